"""The outreach repository on SQLite and PostgreSQL: people, contacts, referrals, counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy import update as sa_update
from sqlmodel import SQLModel

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.outreach import (
    Action,
    AgeBand,
    Flag,
    Need,
    ReferralOutcome,
    ReferralStatus,
    SleepingSite,
)
from storage.catalog import HotspotIn
from storage.models import (
    Member,
    OutboxMessage,
    OutreachContact,
    PersonRecord,
    Report,
    ReportAttachment,
    ReportIn,
)
from storage.outreach.contacts import ContactSaved
from storage.outreach.inputs import (
    ContactIn,
    LegalNameWithoutConsent,
    PersonField,
    PersonIn,
    SightingIn,
)
from storage.outreach.people import Gone, Lookup, MergeOutcome
from storage.store import Store


async def worker(store: Store, telegram_id: int = 30, role: Role = Role.OUTREACH) -> Member:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(role, by=admin, ttl=timedelta(hours=1))
    result = await store.invites.redeem(code, telegram_id=telegram_id, name="Otto", username=None)
    assert result.member is not None
    return result.member


async def new_contact(
    store: Store, by: Member, alias: str, *, notes: str | None = None, **person: object
) -> ContactSaved:
    saved = await store.contacts.log_contact(
        ContactIn(
            new_person=PersonIn(alias=alias, **person),  # type: ignore[arg-type]
            place_text="Bus station",
            sleeping_site=SleepingSite.DOORWAY,
            bedded_down=True,
            needs=[Need.FOOD, Need.ACCOMMODATION],
            actions=[Action.STREETLINK],
            notes=notes,
        ),
        worker=by,
    )
    assert isinstance(saved, ContactSaved)
    return saved


async def contact_with(
    store: Store, by: Member, person_id: int, *, notes: str | None = None
) -> ContactSaved:
    saved = await store.contacts.log_contact(
        ContactIn(
            person_id=person_id,
            place_text="Market",
            bedded_down=True,
            needs=[Need.MENTAL_HEALTH],
            notes=notes,
        ),
        worker=by,
    )
    assert isinstance(saved, ContactSaved)
    return saved


async def test_contact_creates_person_with_first_and_last_seen(
    store: Store, clock: ManualClock
) -> None:
    otto = await worker(store)
    saved = await new_contact(store, otto, "  Johnny  ", age_band=AgeBand.AGE_26_35)
    assert saved.person is not None and saved.person.alias == "Johnny"
    first = clock.now()
    clock.advance(days=3)
    await contact_with(store, otto, saved.person.id or 0)
    person = (await store.people.lookup(saved.person.id or 0)).person
    assert person is not None
    assert person.first_seen == first and person.last_seen == clock.now()
    contact = saved.contact
    assert contact.needs == "accom|food" and contact.actions == "streetlink"  # vocabulary order


async def test_search_is_spelling_tolerant_and_skips_merged(store: Store) -> None:
    otto = await worker(store)
    johnny = (await new_contact(store, otto, "Johnny")).person
    await new_contact(store, otto, "Big Mick")
    await new_contact(store, otto, "Sarah")
    assert johnny is not None
    assert [p.alias for p in await store.people.search("Jonny", viewer=otto)] == ["Johnny"]
    assert [p.alias for p in await store.people.search("mick", viewer=otto)] == ["Big Mick"]
    assert [p.alias for p in await store.people.search("sar", viewer=otto)] == ["Sarah"]
    assert await store.people.search("Zebedee", viewer=otto) == []
    listed = await store.audit.recent(action_prefix="person.listed")
    assert len(listed) == 3 and all(e.actor_id == otto.id for e in listed)
    assert all("Johnny" not in (e.detail or "") for e in listed)  # ids only, never aliases


async def test_similar_asks_only_for_close_aliases(store: Store) -> None:
    otto = await worker(store)
    await new_contact(store, otto, "Johnny")
    await new_contact(store, otto, "Jenny")
    similar = await store.people.similar("Jonny", viewer=otto)
    assert [p.alias for p in similar] == ["Johnny"]


async def test_timeline_is_newest_first_and_audited(store: Store, clock: ManualClock) -> None:
    otto = await worker(store)
    person = (await new_contact(store, otto, "Johnny", notes="first meeting")).person
    assert person is not None
    clock.advance(days=1)
    await contact_with(store, otto, person.id or 0, notes="second meeting")
    view = await store.people.timeline(person.id or 0, viewer=otto)
    assert view is not None
    assert [c.notes for c in view.timeline.contacts] == ["second meeting", "first meeting"]
    assert view.timeline.contacts[0].worker == "Otto"
    assert {t.need for t in view.timeline.needs} == {
        Need.MENTAL_HEALTH,
        Need.FOOD,
        Need.ACCOMMODATION,
    }
    viewed = await store.audit.recent(action_prefix="person.viewed")
    assert [(e.actor_id, e.subject) for e in viewed] == [(otto.id, f"person:{person.id}")]


async def test_legal_name_needs_consent(store: Store) -> None:
    otto = await worker(store)
    person = (await new_contact(store, otto, "Johnny")).person
    assert person is not None
    pid = person.id or 0
    with pytest.raises(LegalNameWithoutConsent):
        await store.people.edit(pid, PersonField.LEGAL_NAME, "John Smith", by=otto)
    await store.people.edit(pid, PersonField.CONSENT, False, by=otto)
    with pytest.raises(LegalNameWithoutConsent):
        await store.people.edit(pid, PersonField.LEGAL_NAME, "John Smith", by=otto)
    await store.people.edit(pid, PersonField.CONSENT, True, by=otto)
    done = await store.people.edit(pid, PersonField.LEGAL_NAME, "John Smith", by=otto)
    assert done.person is not None and done.person.legal_name == "John Smith"
    withdrawn = await store.people.edit(pid, PersonField.CONSENT, False, by=otto)
    assert withdrawn.person is not None and withdrawn.person.legal_name is None
    edits = await store.audit.recent(action_prefix="person.edited")
    assert [e.detail for e in reversed(edits)] == ["consent", "consent", "legal_name", "consent"]


async def test_edit_validates_alias_and_lengths(store: Store) -> None:
    otto = await worker(store)
    person = (await new_contact(store, otto, "Johnny")).person
    assert person is not None
    with pytest.raises(ValueError):
        await store.people.edit(person.id or 0, PersonField.ALIAS, "   ", by=otto)
    with pytest.raises(ValueError):
        await store.people.edit(person.id or 0, PersonField.ALIAS, "x" * 61, by=otto)
    with pytest.raises(ValueError):
        await store.people.edit(person.id or 0, PersonField.APPEARANCE, "x" * 201, by=otto)
    with pytest.raises(ValidationError):
        PersonIn(alias="")
    flags = await store.people.edit(
        person.id or 0, PersonField.FLAGS, [Flag.NRPF, Flag.SAFEGUARDING], by=otto
    )
    assert flags.person is not None and flags.person.flags == "safeg|nrpf"


async def test_merge_keeps_every_contact_and_shows_in_timeline(
    store: Store, clock: ManualClock
) -> None:
    otto = await worker(store)
    keep = (await new_contact(store, otto, "Johnny", age_band=AgeBand.UNKNOWN)).person
    clock.advance(days=1)
    other = (
        await new_contact(store, otto, "Jonny", age_band=AgeBand.AGE_36_50, appearance="red hat")
    ).person
    assert keep is not None and other is not None
    await contact_with(store, otto, other.id or 0)
    outcome = await store.people.merge(keep.id or 0, other.id or 0, by=otto)
    assert isinstance(outcome, MergeOutcome) and outcome.moved_contacts == 2
    assert outcome.kept.age_band is AgeBand.AGE_36_50 and outcome.kept.appearance == "red hat"
    view = await store.people.timeline(keep.id or 0, viewer=otto)
    assert view is not None and len(view.timeline.contacts) == 3
    assert [(m.merged_person_id, m.merged_alias) for m in view.timeline.merges] == [
        (other.id, "Jonny")
    ]
    gone = await store.people.lookup(other.id or 0)
    assert gone.gone is Gone.MERGED and gone.merged_into is not None
    assert gone.merged_into.id == keep.id
    again = await store.people.merge(keep.id or 0, other.id or 0, by=otto)
    assert isinstance(again, Lookup) and again.gone is Gone.MERGED
    assert [p.alias for p in await store.people.search("Jonny", viewer=otto)] == ["Johnny"]
    # A contact for the merged record (an old draft) lands on the kept one.
    late = await contact_with(store, otto, other.id or 0)
    assert late.person is not None and late.person.id == keep.id
    assert (await store.contacts.contact_count(keep.id or 0)) == 4
    merged = await store.audit.recent(action_prefix="person.merged")
    assert len(merged) == 1 and merged[0].subject == f"person:{keep.id}"


async def _words_left(store: Store, words: set[str]) -> list[tuple[str, str, str]]:
    """(table, column, word) for every word still found in any column of any table, read
    whatever its type (SQLModel's AutoString is neither String nor Text), case ignored."""
    found: list[tuple[str, str, str]] = []
    async with store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                values = (await connection.execute(select(column))).scalars().all()
                for value in values:
                    text = str(value if value is not None else "").casefold()
                    found += [(table.name, column.name, w) for w in words if w.casefold() in text]
    return found


async def test_erase_leaves_no_text_about_the_person(store: Store, clock: ManualClock) -> None:
    """Every word of the person's alias, legal name, appearance and notes, and their
    report's photo ids, is gone from every column of every table; the counts stay."""
    otto = await worker(store)
    patrol = await worker(store, 31, Role.WARDEN)
    coordinator = await worker(store, 32, Role.COORDINATOR)
    keep = (
        await new_contact(
            store,
            otto,
            "Zanzibar Quillon",
            notes="Vorpalnote Brambleweft",
            appearance="Tangerinecoat Ochrebeanie",
        )
    ).person
    other = (await new_contact(store, otto, "Quillonish Zanzi", notes="Wafflestomp")).person
    assert keep is not None and other is not None
    await store.people.edit(keep.id or 0, PersonField.CONSENT, True, by=otto)
    await store.people.edit(
        keep.id or 0, PersonField.LEGAL_NAME, "Oswaldo Pemberton-Quaxley", by=otto
    )
    await store.people.merge(keep.id or 0, other.id or 0, by=otto)
    sighting = await store.referrals.add_sighting(
        SightingIn(place_text="Pemberton Yard", seen_at=clock.now(), appearance="Tangerinecoat"),
        reporter=patrol,
    )
    rough = await store.categories.by_slug("rough_sleeping")
    assert rough is not None
    report = await store.reports.file(
        ReportIn(
            category_id=rough.id or 0,
            description="Zanzibar Quillon in a doorway",
            place_text="Quaxley Lane",
            lat=51.5,
            lon=-0.12,
            urgent=True,
            attachments=[("photo", "Photofileidone")],
        ),
        reporter=patrol,
        group_chat_id=-100,
    )
    report_id = report.id or 0
    await store.reports.add_note(report_id, author=patrol, text="Quillon moved to Brambleweft")
    await store.reports.add_attachment(report_id, by=patrol, kind="photo", file_id="Photofiletwo")
    await store.reports.close(
        report_id,
        by=coordinator,
        outcome="Oswaldo taken to the shelter",
        reporter_notice="R-0001 closed: Oswaldo taken to the shelter",
    )
    queue, _ = await store.referrals.open_referrals()
    from_report = next(v for v in queue if v.referral.source_report_id == report_id)
    await store.contacts.log_contact(
        ContactIn(person_id=keep.id, referral_id=sighting.id, notes="Ochrebeanie again"),
        worker=otto,
        reporter_notice="Outreach found Quillon by the Tangerinecoat shop.",
    )
    await store.contacts.log_contact(
        ContactIn(person_id=keep.id, referral_id=from_report.referral.id), worker=otto
    )
    await store.contacts.log_contact(
        ContactIn(place_text="Park", notes="someone else"), worker=otto
    )
    async with store.engine.begin() as connection:  # one of the notices went out already
        await connection.execute(
            sa_update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == f"referral:{sighting.id}")
            .values(status=OutboxStatus.SENT, message_id=7)
        )
    # Half-written flows of other members, as PTB's persistence stores them.
    drafts = {
        "777": {
            "outreach.contact": {"draft_id": "a1", "person_id": keep.id, "who": "Zanzibar Quillon"},
            "report.draft": {"draft_id": "b2", "description": "cans by the fountain"},
        },
        "778": {"outreach.flags": {str(keep.id): ["nrpf"]}},
        "779": {"outreach.contact": {"draft_id": "c3", "who": "Someone Else"}},
        "780": {"report.draft": {"draft_id": "d4", "description": "saw quillon again"}},
    }
    for key, data in drafts.items():
        await store.bot_state.put("user_data", key, json.dumps(data))
    words = {
        *["Zanzibar", "Quillon", "Quillonish", "Zanzi", "Oswaldo", "Pemberton", "Quaxley"],
        *["Tangerinecoat", "Ochrebeanie", "Vorpalnote", "Brambleweft", "Wafflestomp"],
        "Photofileidone",
        "Photofiletwo",
    }
    assert {w for _, _, w in await _words_left(store, words)} == words  # the scan sees them
    before = await store.outreach_stats.counts(
        clock.now() - timedelta(days=1), clock.now() + timedelta(1)
    )

    erased = await store.erasure.erase(keep.id or 0, by=None, via="cli")

    assert erased is not None and erased.records == 2 and erased.contacts_anonymised == 4
    assert (erased.reports_cleared, erased.photos_dropped, erased.drafts_cleared) == (1, 2, 3)
    assert await _words_left(store, words) == []
    assert json.loads((await store.bot_state.get_all("user_data"))["777"]) == {
        "report.draft": {"draft_id": "b2", "description": "cans by the fountain"}
    }
    assert set(await store.bot_state.get_all("user_data")) == {"777", "779"}
    after = await store.outreach_stats.counts(
        clock.now() - timedelta(days=1), clock.now() + timedelta(1)
    )
    assert after.contacts == before.contacts == 5
    assert after.anonymous_contacts == 5 and after.people_seen == 0
    assert await store.people.lookup(keep.id or 0) == Lookup(None, Gone.ERASED)
    assert await store.erasure.erase(keep.id or 0, by=None, via="cli") is None
    audit = await store.audit.recent(action_prefix="person.erased")
    assert len(audit) == 1 and audit[0].subject == f"person:{keep.id}"
    assert "cannot be recalled" in (audit[0].detail or "")
    async with store.engine.connect() as connection:
        kept = (await connection.execute(select(OutreachContact.needs))).scalars().all()
        photos = (await connection.execute(select(ReportAttachment.file_id))).scalars().all()
        pending = (
            await connection.execute(
                select(OutboxMessage.purpose).where(OutboxMessage.status == OutboxStatus.PENDING)
            )
        ).scalars()
        sent_notice = (
            await connection.execute(
                select(OutboxMessage.text).where(OutboxMessage.status == OutboxStatus.SENT)
            )
        ).scalars()
        closed = (await connection.execute(select(Report.status, Report.category_id))).one()
    assert "accom|food" in kept  # anonymous counts of needs stay
    assert photos == [None, None]  # the rows stay, counted; the file ids go
    assert sorted(pending) == ["alert"]  # the close notice is not sent; the alert has no text
    assert list(sent_notice) == [None]
    assert tuple(closed) == ("closed", rough.id)  # the report stays for the counts


async def test_erased_person_cannot_get_a_contact(store: Store) -> None:
    otto = await worker(store)
    person = (await new_contact(store, otto, "Johnny")).person
    assert person is not None
    await store.erasure.erase(person.id or 0, by=otto, via="admin")
    result = await store.contacts.log_contact(ContactIn(person_id=person.id), worker=otto)
    assert result == Lookup(None, Gone.ERASED)


async def test_referral_from_rough_sleeping_report(store: Store, clock: ManualClock) -> None:
    patrol = await worker(store, 31, Role.OFFICER)
    hotspot, _ = await store.hotspots.upsert(HotspotIn("Elmer Square", 51.5, -0.12))
    rough = await store.categories.by_slug("rough_sleeping")
    drinking = await store.categories.by_slug("street_drinking")
    assert rough is not None and drinking is not None
    report = await store.reports.file(
        ReportIn(category_id=rough.id or 0, hotspot_id=hotspot.id, description="in a sleeping bag"),
        reporter=patrol,
        group_chat_id=None,
    )
    await store.reports.file(
        ReportIn(category_id=drinking.id or 0, description="cans"),
        reporter=patrol,
        group_chat_id=None,
    )
    queue, total = await store.referrals.open_referrals()
    assert total == 1
    view = queue[0]
    assert view.referral.source_report_id == report.id and view.referral.reporter_id == patrol.id
    assert view.place == "Elmer Square" and view.description == "in a sleeping bag"
    assert view.referral.seen_at == report.created_at


async def test_take_then_contact_closes_referral_and_tells_reporter(
    store: Store, clock: ManualClock
) -> None:
    otto = await worker(store)
    other = await worker(store, 32)
    patrol = await worker(store, 31, Role.WARDEN)
    referral = await store.referrals.add_sighting(
        SightingIn(place_text="Church steps", seen_at=clock.now()), reporter=patrol
    )
    rid = referral.id or 0
    taken = await store.referrals.take(rid, by=otto)
    assert taken is not None and taken.won and taken.view.referral.status is ReferralStatus.TAKEN
    second = await store.referrals.take(rid, by=other)
    assert second is not None and not second.won
    assert second.view.taken_by is not None and second.view.taken_by.id == otto.id
    saved = await store.contacts.log_contact(
        ContactIn(referral_id=rid, place_text="Church steps"),
        worker=otto,
        reporter_notice="Outreach found them.",
    )
    assert isinstance(saved, ContactSaved) and saved.referral_closed
    closed = await store.referrals.referral(rid)
    assert closed is not None and closed.referral.status is ReferralStatus.CLOSED
    assert closed.referral.outcome is ReferralOutcome.CONTACTED
    assert closed.referral.contact_id == saved.contact.id
    assert not await store.referrals.not_found(
        rid, by=other, where_looked="Church steps", reporter_notice="x"
    )
    async with store.engine.connect() as connection:
        rows = (await connection.execute(select(OutboxMessage))).all()
    assert [(r.chat_id, r.purpose, r.text) for r in rows] == [
        (patrol.telegram_id, "notice", "Outreach found them.")
    ]


async def test_overdue_referrals_are_those_untouched(store: Store, clock: ManualClock) -> None:
    patrol = await worker(store, 31, Role.WARDEN)
    otto = await worker(store)
    old = await store.referrals.add_sighting(
        SightingIn(place_text="A", seen_at=clock.now()), reporter=patrol
    )
    taken = await store.referrals.add_sighting(
        SightingIn(place_text="T", seen_at=clock.now()), reporter=patrol
    )
    clock.advance(hours=20)
    await store.referrals.take(taken.id or 0, by=otto)  # touched: overdue 24 h from now
    later = await store.referrals.add_sighting(
        SightingIn(place_text="B", seen_at=clock.now()), reporter=patrol
    )
    clock.advance(hours=5)
    overdue = await store.referrals.overdue_referrals(older_than=timedelta(hours=24))
    assert [v.referral.id for v in overdue] == [old.id]
    clock.advance(hours=20)
    overdue = await store.referrals.overdue_referrals(older_than=timedelta(hours=24))
    assert [v.referral.id for v in overdue] == [old.id, taken.id, later.id]
    await store.referrals.not_found(old.id or 0, by=otto, where_looked="A", reporter_notice=None)
    overdue = await store.referrals.overdue_referrals(older_than=timedelta(hours=24))
    assert old.id not in [v.referral.id for v in overdue]


async def test_counts(store: Store, clock: ManualClock) -> None:
    otto = await worker(store)
    patrol = await worker(store, 31, Role.WARDEN)
    start0 = clock.now()
    returner = (await new_contact(store, otto, "Old Timer")).person
    regular = (await new_contact(store, otto, "Regular")).person
    assert returner is not None and regular is not None
    clock.advance(days=90)
    await contact_with(store, otto, regular.id or 0)  # seen 20 days before the period
    clock.advance(days=20)
    start = clock.now()
    await contact_with(store, otto, returner.id or 0)
    await contact_with(store, otto, returner.id or 0)
    await contact_with(store, otto, regular.id or 0)
    await new_contact(store, otto, "Newcomer")
    await store.contacts.log_contact(ContactIn(place_text="Park"), worker=otto)
    await store.referrals.add_sighting(SightingIn(place_text="A", seen_at=start), reporter=patrol)
    clock.advance(hours=5)
    closed = await store.referrals.add_sighting(
        SightingIn(place_text="B", seen_at=clock.now()), reporter=patrol
    )
    clock.advance(hours=1)
    await store.referrals.not_found(closed.id or 0, by=otto, where_looked="B", reporter_notice=None)
    clock.advance(hours=1)
    end = clock.now()

    counts = await store.outreach_stats.counts(start, end)

    assert (counts.contacts, counts.anonymous_contacts, counts.people_seen) == (5, 1, 3)
    # New: no bedded-down contact in the 60 months before; both others were seen bedded
    # down before the period (however recently), so both are intermittent / returners.
    assert (counts.rough_sleepers, counts.new_people, counts.returners) == (3, 1, 2)
    assert counts.living_on_streets == 0
    assert (counts.referrals_made, counts.referrals_closed, counts.open_referrals) == (2, 1, 1)
    assert counts.open_referral_ages == (timedelta(hours=7),)
    first = await store.outreach_stats.counts(start0, start0 + timedelta(days=1))
    assert (first.contacts, first.new_people, first.returners) == (2, 2, 0)
    # The referral closed later still counts as open at the end of an earlier period.
    early = await store.outreach_stats.counts(start, start + timedelta(hours=5, minutes=30))
    assert early.open_referrals == 2


async def test_person_table_name(store: Store) -> None:
    assert PersonRecord.__tablename__ == "people"
