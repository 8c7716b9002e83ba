"""Outreach records fit for reporting, on SQLite and PostgreSQL: a month's figures from
seeded contacts figure for figure, flags with who and when, outcomes, "seen recently"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.domain.outreach import Flag, Need, PersonField, ReferralOutcome
from bot.domain.retention import RetentionPolicy
from bot.domain.rough_sleeping import (
    Institution,
    LocalConnection,
    MoveOutcome,
    NeedsAnswer,
    StreetStatus,
)
from storage.models import OutreachContact, PersonFlagRow, PersonOutcome
from storage.outreach.people import MergeOutcome
from storage.store import Store
from tests.support.harness import make_settings
from tests.support.outreach_data import DECEMBER, LONDON, Seeder, member, seed_december, utc


async def test_a_months_figures_figure_for_figure(store: Store, clock: ManualClock) -> None:
    await seed_december(store, clock)

    f = await store.outreach_figures.figures(*DECEMBER, LONDON)

    assert f.rough_sleepers == 4 and f.anonymous_bedded_down == 1
    assert f.statuses == {
        StreetStatus.NEW: 2,  # Bob (never seen), Dan (last seen over 60 months before)
        StreetStatus.LIVING_ON_STREETS: 1,  # Alice: 2, 12 and 23 December
        StreetStatus.INTERMITTENT: 1,  # Cath: seen in January 2022
    }
    assert (f.at_risk_only, f.people_met) == (1, 5)  # Eve
    assert f.needs == {
        Need.ACCOMMODATION: 1,
        Need.ALCOHOL: 1,
        Need.MENTAL_HEALTH: 1,
        Need.FOOD: 1,
    }
    assert f.needs_answers == {NeedsAnswer.DECLINED: 1, NeedsAnswer.NONE_KNOWN: 1}
    assert f.left_institution == {
        Institution.PRISON: 1,
        Institution.HOSPITAL: 1,
        Institution.CARE: 1,
    }
    assert f.local_connection == {
        LocalConnection.NO: 1,
        LocalConnection.YES: 1,
        LocalConnection.UNKNOWN: 1,
    }
    assert f.moves == {MoveOutcome.HOSTEL: 1, MoveOutcome.CUSTODY: 1}
    assert f.referrals_made == 4
    assert f.referral_outcomes == {
        ReferralOutcome.CONTACTED: 2,  # Alice's and Bob's (Cath's was made in November)
        ReferralOutcome.NOT_FOUND: 1,
        None: 1,  # still open
    }
    assert f.median_days_to_contact == pytest.approx((27 / 24 + 1) / 2)

    # The coordinators' counts use the same statuses.
    counts = await store.outreach_stats.counts(*DECEMBER, tz=LONDON)
    assert (counts.rough_sleepers, counts.new_people) == (4, 2)
    assert (counts.living_on_streets, counts.returners) == (1, 1)
    # November: nobody met; Alice's move and the referral made then are counted there.
    november = await store.outreach_figures.figures(
        datetime(2026, 11, 1, tzinfo=UTC), DECEMBER[0], LONDON
    )
    assert (november.rough_sleepers, november.moves) == (0, {MoveOutcome.SUPPORTED: 1})
    assert november.referrals_made == 1 and november.referral_outcomes == {
        ReferralOutcome.CONTACTED: 1
    }


async def test_flags_keep_who_set_them_and_move_with_a_merge(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    oona = await member(store, 32, name="Oona")
    s = Seeder(store, clock, otto)
    keep = (await s.contact("Kim", utc(2026, 12, 1))).person
    other = (await s.contact("Kimmy", utc(2026, 12, 2))).person
    assert keep is not None and other is not None
    clock.set(utc(2026, 12, 3, 10))
    await store.people.edit(keep.id or 0, PersonField.FLAGS, [Flag.NRPF], by=otto)
    clock.set(utc(2026, 12, 4, 10))
    await store.people.edit(
        other.id or 0, PersonField.FLAGS, [Flag.RISK_TO_STAFF, Flag.NRPF], by=oona
    )
    clock.set(utc(2026, 12, 5, 10))
    await store.people.edit(
        keep.id or 0, PersonField.FLAGS, [Flag.NRPF, Flag.SAFEGUARDING], by=oona
    )
    await s.move("Kimmy", MoveOutcome.HOSTEL, date(2026, 12, 4))

    merged = await store.people.merge(keep.id or 0, other.id or 0, by=otto)
    assert isinstance(merged, MergeOutcome)
    view = await store.people.timeline(keep.id or 0, viewer=otto)
    assert view is not None
    # Safeguarding and risk to workers first; a kind set on both records stays once, the
    # earlier setting.
    assert [(f.flag, f.set_by, f.set_at) for f in view.flags] == [
        (Flag.SAFEGUARDING, "Oona", utc(2026, 12, 5, 10)),
        (Flag.RISK_TO_STAFF, "Oona", utc(2026, 12, 4, 10)),
        (Flag.NRPF, "Otto", utc(2026, 12, 3, 10)),
    ]
    assert view.person.flags == "safeg|nrpf|risk"
    assert [(o.outcome, o.moved_on) for o in view.outcomes] == [
        (MoveOutcome.HOSTEL, date(2026, 12, 4))
    ]
    # Cleared flags keep who cleared them; the record mirrors those still set.
    clock.set(utc(2026, 12, 6, 10))
    await store.people.edit(keep.id or 0, PersonField.FLAGS, [Flag.SAFEGUARDING], by=otto)
    async with store.engine.connect() as connection:
        rows = (await connection.execute(select(PersonFlagRow))).all()
    assert sorted((r.kind, r.cleared_at is None) for r in rows) == [
        ("nrpf", False),
        ("nrpf", False),
        ("risk", False),
        ("safeg", True),
    ]
    assert all(r.cleared_by_id == otto.id for r in rows if r.cleared_at == utc(2026, 12, 6, 10))
    shown = await store.people.flags(keep.id or 0, viewer=otto)
    assert [f.flag for f in shown] == [Flag.SAFEGUARDING]
    looked = await store.audit.recent(action_prefix="person.viewed")
    assert looked[0].detail == "flags, at the start of a contact"


async def test_people_seen_recently_leave_after_a_move_until_seen_again(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    s = Seeder(store, clock, otto)
    await s.contact("Moved", utc(2026, 12, 1))
    await s.contact("Stayed", utc(2026, 12, 2))
    await s.move("Moved", MoveOutcome.PRIVATE_RENTED, date(2026, 12, 3))
    listed = [p.alias for p in await store.people.recent(viewer=otto, tz=LONDON)]
    assert listed == ["Stayed"]
    await s.contact("Moved", utc(2026, 12, 4))  # seen again after the move
    listed = [p.alias for p in await store.people.recent(viewer=otto, tz=LONDON)]
    assert listed == ["Moved", "Stayed"]
    moves = await store.audit.recent(action_prefix="person.outcome")
    assert [(m.subject, m.detail) for m in moves] == [(f"person:{s.people['Moved']}", "outcome")]


async def test_retention_and_erasure_take_flags_and_typed_connections(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    s = Seeder(store, clock, otto)
    await s.contact(
        "Old", utc(2023, 1, 5), local_connection=LocalConnection.NO, connection_place="Derby"
    )
    await store.people.edit(s.people["Old"], PersonField.FLAGS, [Flag.RISK_TO_STAFF], by=otto)
    await s.move("Old", MoveOutcome.RECONNECTED, date(2023, 1, 6))
    clock.set(utc(2026, 12, 1))
    await store.retention.purge(clock.now(), RetentionPolicy.from_settings(make_settings()))
    async with store.engine.connect() as connection:
        contact = (await connection.execute(select(OutreachContact))).one()
        flags = (await connection.execute(select(PersonFlagRow))).all()
        moves = (await connection.execute(select(PersonOutcome))).all()
    assert contact.connection_place is None and contact.local_connection == "no"
    assert flags == []
    assert [(m.person_id, m.kind) for m in moves] == [(s.people["Old"], "reconnected")]
