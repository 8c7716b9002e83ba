"""Referrals pushed to outreach, edited, reopened and overdue: the repository API on SQLite and
on PostgreSQL, and migration 0012_referrals_push on a database that had referrals."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import REFERRAL_COPY, REFERRAL_EDIT, OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.outreach import ReferralOutcome, ReferralStatus
from storage import db
from storage.catalog import HotspotIn
from storage.models import Member, OutboxMessage, Referral, ReportIn
from storage.outreach import ContactIn, Pressed, SeenWith, SightingIn
from storage.store import Store


async def member(store: Store, telegram_id: int, role: Role = Role.OUTREACH) -> Member:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(role, by=admin, ttl=timedelta(hours=1))
    result = await store.invites.redeem(
        code, telegram_id=telegram_id, name=f"M{telegram_id}", username=None
    )
    assert result.member is not None
    return result.member


async def outbox(store: Store, purpose: str | None = None) -> list[OutboxMessage]:
    async with db.session_factory(store.engine)() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if purpose is not None:
            query = query.where(OutboxMessage.purpose == purpose)
        return list((await session.exec(query)).all())


async def sent_copies(store: Store, *, but: int | None = None) -> dict[int, int]:
    """Mark the pending copies sent (but to chat `but`), as the sender would:
    {chat id: message id}."""
    messages = {}
    for n, row in enumerate(await outbox(store, REFERRAL_COPY), start=100):
        if row.status is OutboxStatus.PENDING and row.chat_id != but:
            await store.outbox.mark_sent(row.id or 0, n)
            messages[row.chat_id] = n
    return messages


async def test_copies_go_to_outreach_on_duty_and_to_the_rest_at_their_on(
    store: Store, clock: ManualClock
) -> None:
    otto, oona, ossie = [await member(store, t) for t in (30, 31, 32)]
    warden = await member(store, 40, Role.WARDEN)
    await store.duty.start(otto.id or 0)
    await store.duty.start(warden.id or 0)  # on duty, but not outreach

    first = await store.referrals.add_sighting(
        SightingIn(place_text="Bus station", seen_at=clock.now()), reporter=warden
    )
    copies = await outbox(store, REFERRAL_COPY)
    assert [(r.chat_id, r.referral_id) for r in copies] == [(otto.telegram_id, first.id)]
    own = await store.referrals.add_sighting(  # an outreach worker's own report: no copy
        SightingIn(place_text="Arches", seen_at=clock.now()), reporter=otto
    )
    await store.referrals.take(own.id or 0, by=otto)
    assert len(await outbox(store, REFERRAL_COPY)) == 1

    second = await store.referrals.add_sighting(
        SightingIn(place_text="Market", seen_at=clock.now()), reporter=warden
    )
    await store.referrals.take(second.id or 0, by=otto)
    assert await store.referrals.waiting_for(oona.telegram_id) == 0
    await store.duty.start(oona.id or 0)  # gets the waiting one, not the taken one
    assert await store.referrals.waiting_for(oona.telegram_id) == 1
    await store.duty.end(oona.id or 0)
    await store.duty.start(oona.id or 0)  # once only
    await store.duty.start(ossie.id or 0)
    copies = await outbox(store, REFERRAL_COPY)
    assert sorted((r.chat_id, r.referral_id) for r in copies) == sorted(
        [
            (otto.telegram_id, first.id),
            (otto.telegram_id, second.id),
            (oona.telegram_id, first.id),
            (ossie.telegram_id, first.id),
        ]
    )
    assert len({r.dedupe_key for r in copies}) == len(copies)


async def test_taking_edits_every_other_copy_and_a_late_copy_edits_itself(
    store: Store, clock: ManualClock
) -> None:
    otto, oona, ossie = [await member(store, t) for t in (30, 31, 32)]
    patrol = await member(store, 40, Role.OFFICER)
    for worker in (otto, oona, ossie):
        await store.duty.start(worker.id or 0)
    referral = await store.referrals.add_sighting(
        SightingIn(place_text="Church steps", seen_at=clock.now()), reporter=patrol
    )
    rid = referral.id or 0
    [ossie_row] = [r for r in await outbox(store, REFERRAL_COPY) if r.chat_id == 32]
    view = await store.referrals.referral(rid)
    assert view is not None
    shown = view.state  # Ossie's copy was rendered (open) and is on its way
    messages = await sent_copies(store, but=32)

    taken = await store.referrals.take(rid, by=otto, pressed=Pressed(30, messages[30]))
    assert taken is not None and taken.won
    edits = await outbox(store, REFERRAL_EDIT)
    assert [(e.chat_id, e.edit_message_id) for e in edits] == [(31, messages[31])]
    again = await store.referrals.take(rid, by=oona, pressed=Pressed(31, messages[31]))
    assert again is not None and not again.won
    audited = [(e.action, e.subject, e.actor_id) for e in await store.audit.since(clock.now())]
    audited = [a for a in audited if a[0].startswith("referral.")]
    assert audited == [("referral.taken", f"referral:{rid}", otto.id)]  # the refused one: no row
    assert len(await outbox(store, REFERRAL_EDIT)) == 1  # a refused take changes nothing

    # Ossie's copy arrives after the take: it queues its own edit; a current one does not.
    assert await store.referrals.copy_sent(ossie_row, 200, shown)
    edits = await outbox(store, REFERRAL_EDIT)
    assert [(e.chat_id, e.edit_message_id) for e in edits][-1] == (32, 200)
    after = await store.referrals.referral(rid)
    assert after is not None
    assert not await store.referrals.copy_sent(ossie_row, 200, after.state)
    assert await store.referrals.is_copy(rid, Pressed(32, 200))
    assert not await store.referrals.is_copy(rid, Pressed(32, 201))


async def test_a_second_report_within_a_day_reopens_the_not_found_referral(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    wendy, olly = await member(store, 40, Role.WARDEN), await member(store, 41, Role.OFFICER)
    square, _ = await store.hotspots.upsert(HotspotIn("Elmer Square", 52.6, -1.1))
    first = await store.referrals.add_sighting(
        SightingIn(hotspot_id=square.id, seen_at=clock.now(), appearance="green bag"),
        reporter=wendy,
    )
    fid = first.id or 0
    clock.advance(hours=1)
    assert await store.referrals.not_found(
        fid, by=otto, where_looked="the square's doorways", reporter_notice="not found"
    )
    clock.advance(hours=5)
    # At a point 60 m from the square's centre: the same place.
    again = await store.referrals.add_sighting(
        SightingIn(lat=52.60054, lon=-1.1, seen_at=clock.now(), appearance="red tent"),
        reporter=olly,
    )
    assert again.attached_to_id == fid and again.status is ReferralStatus.ATTACHED
    view = await store.referrals.referral(fid)
    assert view is not None and view.is_open and view.referral.reopened_at == clock.now()
    assert [a.description for a in view.again] == ["red tent"]
    assert view.description == "green bag" and view.referral.where_looked is not None
    assert view.not_found_by is not None and view.not_found_by.id == otto.id
    views, total = await store.referrals.open_referrals()
    assert total == 1 and [v.referral.id for v in views] == [fid]

    # Not found again: both close, both reporters are told, each notice once.
    assert await store.referrals.not_found(
        fid, by=otto, where_looked="everywhere", reporter_notice="not found again"
    )
    closed = await store.referrals.referral(fid)
    assert closed is not None and closed.referral.status is ReferralStatus.CLOSED
    attached = await store.referrals.referral(again.id or 0)
    assert attached is not None and attached.referral.status is ReferralStatus.CLOSED
    assert attached.referral.outcome is ReferralOutcome.NOT_FOUND
    notices = [(r.chat_id, r.text) for r in await outbox(store, "notice")]
    assert notices == [(40, "not found"), (40, "not found again"), (41, "not found again")]
    audited = [(e.action, e.subject, e.actor_id) for e in await store.audit.since(first.created_at)]
    assert [a for a in audited if a[0].startswith("referral.")] == [
        ("referral.not_found", f"referral:{fid}", otto.id),
        ("referral.not_found", f"referral:{fid}", otto.id),
    ]


async def test_not_reopened_after_a_day_elsewhere_or_when_found(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    wendy = await member(store, 40, Role.WARDEN)

    async def seen(place: str) -> Referral:
        return await store.referrals.add_sighting(
            SightingIn(place_text=place, seen_at=clock.now()), reporter=wendy
        )

    old = await seen("Bus  Station")
    await store.referrals.not_found(old.id or 0, by=otto, where_looked="x", reporter_notice=None)
    clock.advance(hours=2)
    assert (await seen("Library")).attached_to_id is None  # elsewhere
    clock.advance(hours=22, minutes=1)
    assert (await seen("bus station")).attached_to_id is None  # more than 24 h after
    contacted = await seen("Park gates")
    await store.contacts.log_contact(
        ContactIn(referral_id=contacted.id, place_text="Park gates"), worker=otto
    )
    assert (await seen("Park gates")).attached_to_id is None  # found, not "not found"


async def test_a_report_with_a_referral_files_both_together(
    store: Store, clock: ManualClock
) -> None:
    otto = await member(store, 30)
    olly = await member(store, 41, Role.OFFICER)
    await store.duty.start(otto.id or 0)
    welfare = await store.categories.by_slug("welfare")
    assert welfare is not None
    seen_at = clock.now() - timedelta(minutes=30)
    report = await store.reports.file(
        ReportIn(category_id=welfare.id or 0, place_text="Stairwell", urgent=True),
        reporter=olly,
        group_chat_id=-100,
        referral=SeenWith(seen_at, "blue coat"),
    )
    referral = await store.referrals.for_report(report.id or 0)
    assert referral is not None and referral.seen_at == seen_at
    assert referral.appearance == "blue coat" and referral.status is ReferralStatus.OPEN
    purposes = sorted((r.purpose, r.chat_id) for r in await outbox(store))
    assert ("referral", otto.telegram_id) in purposes and ("alert", -100) in purposes


def _before_referrals_push() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    down = script.get_revision("0012_referrals_push").down_revision
    assert isinstance(down, str)
    return down


async def test_migration_counts_existing_referrals_as_touched(
    store: Store, clock: ManualClock
) -> None:
    await member(store, 30)
    await db.downgrade(store.engine, _before_referrals_push())  # wherever the chain puts it
    referrals = sa.table(
        "referrals",
        *(sa.column(c) for c in ("id", "created_at", "seen_at", "status", "taken_at")),
        *(sa.column(c) for c in ("closed_at", "closed_by_id", "outcome")),
    )
    filed, taken = clock.now() - timedelta(hours=30), clock.now() - timedelta(hours=2)
    base = {"seen_at": filed, "created_at": filed, "closed_at": None, "closed_by_id": None}
    async with store.engine.begin() as connection:
        await connection.execute(
            referrals.insert(),
            [
                {"id": 1, "status": "open", "taken_at": None, "outcome": None, **base},
                {"id": 2, "status": "taken", "taken_at": taken, "outcome": None, **base},
                {**base, "id": 3, "status": "closed", "taken_at": None, "outcome": "not_found",
                 "closed_at": taken, "closed_by_id": 1},
            ],
        )  # fmt: skip
    await store.upgrade()
    overdue = await store.referrals.overdue_referrals(older_than=timedelta(hours=24))
    assert [v.referral.id for v in overdue] == [1]
    closed = await store.referrals.referral(3)
    assert closed is not None and closed.referral.not_found_at == taken
    assert closed.not_found_by is not None and closed.not_found_by.id == 1
