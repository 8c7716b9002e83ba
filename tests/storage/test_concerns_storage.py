"""Safeguarding concerns on SQLite and PostgreSQL: raised in the transaction of what raised
them, to every lead (or the admins), acknowledged once, what was done recorded once, each
step of their ladder claimed once, counted for the digests, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import col, select

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import CONCERN, CONCERN_EDIT, OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.retention import DataKind, RetentionPolicy
from bot.domain.safeguarding import (
    ConcernKind,
    ConcernLadder,
    ConcernSource,
    ConcernStatus,
    LeadAction,
)
from storage.models import Member, OutboxMessage, Referral, ReportIn
from storage.outreach.contacts import ContactSaved
from storage.outreach.inputs import ContactIn, PersonIn
from storage.safeguarding.concerns import ConcernOutcome
from storage.safeguarding.models import Concern
from storage.store import Store

LADDER = ConcernLadder(leads_again_minutes=15, admins_minutes=30)


async def member(store: Store, telegram_id: int, role: Role, *, lead: bool = False) -> Member:
    admin = await store.members.ensure_admin(1, "Alex")
    found, _ = await store.members.request_access(telegram_id, f"M{telegram_id}", None)
    approved = await store.members.approve(found.id or 0, role, by=admin)
    assert approved is not None
    if lead:
        assert await store.members.set_safeguarding_lead(found.id or 0, True, by=admin)
    refreshed = await store.members.get(found.id or 0)
    assert refreshed is not None
    return refreshed


async def outbox(store: Store) -> list[OutboxMessage]:
    async with store.engine.connect() as connection:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        return list((await connection.execute(query)).all())


async def table(store: Store, model: type) -> list:
    async with store.engine.connect() as connection:
        return list((await connection.execute(select(model))).all())


async def file_report(store: Store, reporter: Member, slug: str, *, under_18: bool) -> int:
    category = await store.categories.by_slug(slug)
    assert category is not None
    report = await store.reports.file(
        ReportIn(
            category_id=category.id or 0,
            place_text="Car park, level 2",
            description="Boy of about 15 sleeping in the stairwell",
            under_18=under_18,
        ),
        reporter=reporter,
        group_chat_id=None,
    )
    return report.id or 0


async def test_an_under_18_rough_sleeping_report_raises_a_concern_not_a_referral(
    store: Store,
) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    report_id = await file_report(store, warden, "rough_sleeping", under_18=True)

    assert await table(store, Referral) == []
    [concern] = await table(store, Concern)
    assert (concern.source, concern.kind, concern.report_id) == (
        ConcernSource.REPORT.value,
        ConcernKind.UNDER_18.value,
        report_id,
    )
    assert concern.status == ConcernStatus.OPEN.value
    assert concern.place_text == "Car park, level 2"
    [copy] = await outbox(store)
    assert (copy.chat_id, copy.purpose, copy.concern_id, copy.alert_step) == (
        lead.telegram_id,
        CONCERN,
        concern.id,
        0,
    )
    assert copy.text is None  # rendered at send time, from the concern as it stands
    audit = await store.audit.recent(action_prefix="concern.")
    assert [(a.action, a.subject, a.detail) for a in audit] == [
        ("concern.raised", f"concern:{concern.id}", "under18")
    ]
    # Without "under 18", the same report is outreach's referral and no concern.
    await file_report(store, warden, "rough_sleeping", under_18=False)
    assert len(await table(store, Referral)) == 1 and len(await table(store, Concern)) == 1


async def test_a_safeguarding_report_goes_to_every_lead_never_the_raiser(store: Store) -> None:
    first = await member(store, 10, Role.OUTREACH, lead=True)
    second = await member(store, 12, Role.COORDINATOR, lead=True)
    await file_report(store, second, "safeguarding", under_18=False)  # a lead raises it
    [concern] = await table(store, Concern)
    assert concern.kind == ConcernKind.SAFEGUARDING_REPORT.value
    assert [r.chat_id for r in await outbox(store)] == [first.telegram_id]
    # A report in another category without "under 18" raises nothing.
    await file_report(store, second, "street_drinking", under_18=False)
    assert len(await table(store, Concern)) == 1


async def test_with_no_lead_the_admins_get_it_and_a_role_change_ends_a_lead(
    store: Store,
) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    admin = await store.members.by_telegram_id(1)
    assert admin is not None
    assert [m.id for m in await store.concerns.leads()] == [lead.id]
    changed = await store.members.change_role(lead.id or 0, Role.WARDEN, by=admin)
    assert changed is not None and changed.safeguarding_lead is False
    assert await store.concerns.leads() == []
    # A warden cannot be made lead at all.
    assert await store.members.set_safeguarding_lead(warden.id or 0, True, by=admin) is None
    await file_report(store, warden, "safeguarding", under_18=False)
    assert [r.chat_id for r in await outbox(store)] == [admin.telegram_id]


async def test_acknowledged_once_then_what_was_done_once(store: Store, clock: ManualClock) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    other = await member(store, 12, Role.COORDINATOR, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    await file_report(store, warden, "safeguarding", under_18=True)
    [concern] = await table(store, Concern)
    concern_id = concern.id
    copies = await outbox(store)
    for row, message_id in zip(copies, (501, 502), strict=True):
        await store.outbox.mark_sent(row.id or 0, message_id)

    assert (
        await store.concerns.record_action(concern_id, LeadAction.POLICE, "rang 101", by=lead)
        is ConcernOutcome.NOT_YET
    )
    clock.advance(minutes=4)
    pressed = (lead.telegram_id, 501)
    assert await store.concerns.acknowledge(concern_id, by=lead, pressed=pressed) is (
        ConcernOutcome.DONE
    )
    assert await store.concerns.acknowledge(concern_id, by=other) is ConcernOutcome.ALREADY
    assert await store.concerns.acknowledge(9999, by=other) is ConcernOutcome.UNKNOWN
    edits = [r for r in await outbox(store) if r.purpose == CONCERN_EDIT]
    assert [(e.chat_id, e.edit_message_id) for e in edits] == [(other.telegram_id, 502)]

    assert (
        await store.concerns.record_action(
            concern_id, LeadAction.CHILDRENS_SERVICES, "  MASH ref 4471 ", by=other
        )
        is ConcernOutcome.DONE
    )
    assert (
        await store.concerns.record_action(concern_id, LeadAction.ADVICE, "again", by=lead)
        is ConcernOutcome.ALREADY
    )
    view = await store.concerns.view(concern_id)
    assert view is not None
    c = view.concern
    assert c.status is ConcernStatus.DONE and c.action is LeadAction.CHILDRENS_SERVICES
    assert c.action_note == "MASH ref 4471"
    assert c.acknowledged_at == c.raised_at + timedelta(minutes=4)  # aware UTC, round trip
    assert view.acknowledged_by is not None and view.acknowledged_by.id == lead.id
    assert view.action_by is not None and view.action_by.id == other.id
    assert view.details == "Boy of about 15 sleeping in the stairwell"
    actions = [a.action for a in await store.audit.recent(action_prefix="concern.")]
    assert actions == ["concern.action_recorded", "concern.acknowledged", "concern.raised"]


async def test_each_step_of_the_ladder_is_claimed_once(store: Store, clock: ManualClock) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    admin = await store.members.by_telegram_id(1)
    assert admin is not None
    await file_report(store, warden, "safeguarding", under_18=False)
    [concern] = await table(store, Concern)
    clock.advance(minutes=31)
    [(concern_id, _, recorded)] = await store.concerns.unacknowledged(
        raised_after=clock.now() - timedelta(days=1), older_than=LADDER.first_after
    )
    assert concern_id == concern.id and recorded == set()
    first, second = LADDER.steps()
    assert await store.concerns.escalate(concern_id, first, claimed_by="a", send=False)
    assert await store.concerns.escalate(concern_id, second, claimed_by="a")
    assert not await store.concerns.escalate(concern_id, second, claimed_by="b")  # once
    [(_, _, recorded)] = await store.concerns.unacknowledged(
        raised_after=clock.now() - timedelta(days=1), older_than=LADDER.first_after
    )
    assert recorded == {1, 2}
    step_two = [r for r in await outbox(store) if r.alert_step == 2]
    assert sorted(r.chat_id for r in step_two) == sorted([lead.telegram_id, admin.telegram_id])
    assert all(r.status == OutboxStatus.PENDING.value for r in step_two)

    await store.concerns.acknowledge(concern_id, by=lead)
    assert (
        await store.concerns.unacknowledged(
            raised_after=clock.now() - timedelta(days=1), older_than=LADDER.first_after
        )
        == []
    )


async def test_counts_for_the_digest(store: Store, clock: ManualClock) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    start = clock.now()
    for wait in (2, 10, None):
        await file_report(store, warden, "safeguarding", under_18=False)
        concern = (await table(store, Concern))[-1]
        if wait is not None:
            clock.advance(minutes=wait)
            await store.concerns.acknowledge(concern.id, by=lead)
        clock.advance(minutes=1)
    counts = await store.concerns.counts(start, clock.now())
    assert (counts.raised, counts.acknowledged, counts.median_minutes_to_acknowledge) == (3, 2, 6)
    later = await store.concerns.counts(clock.now(), clock.now() + timedelta(hours=1))
    assert (later.raised, later.acknowledged, later.median_minutes_to_acknowledge) == (0, 0, None)


async def test_a_contact_flagged_for_exploitation_raises_a_concern(store: Store) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    worker = await member(store, 13, Role.OUTREACH)
    saved = await store.contacts.log_contact(
        ContactIn(place_text="Flat 3, Tower Road", exploitation=ConcernKind.COUNTY_LINES),
        worker=worker,
    )
    concern_id = saved.concern_id  # type: ignore[union-attr]
    assert concern_id is not None
    [concern] = await table(store, Concern)
    assert (concern.kind, concern.contact_id, concern.place_text) == (
        ConcernKind.COUNTY_LINES.value,
        saved.contact.id,  # type: ignore[union-attr]
        "Flat 3, Tower Road",
    )
    assert [r.chat_id for r in await outbox(store)] == [lead.telegram_id]
    with pytest.raises(ValidationError):
        ContactIn(place_text="x", exploitation=ConcernKind.UNDER_18)


async def test_retention_clears_a_concerns_texts_and_keeps_the_counts(
    store: Store, clock: ManualClock
) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    start = clock.now()
    concern = await store.concerns.raise_for_sighting(
        raised_by=warden,
        seen_at=start,
        hotspot_id=None,
        place_text="Bus station",
        lat=52.6,
        lon=-1.1,
        details="Grey hoodie, about 15",
    )
    await store.concerns.acknowledge(concern.id or 0, by=lead)
    await store.concerns.record_action(
        concern.id or 0, LeadAction.POLICE, "PC Smith, CAD 1234", by=lead
    )
    clock.advance(days=364)
    assert (await store.retention.plan(clock.now(), RetentionPolicy()))[DataKind.CONCERNS] == 0
    clock.advance(days=2)
    purged = await store.retention.purge(clock.now(), RetentionPolicy())
    assert purged[DataKind.CONCERNS] == 1
    view = await store.concerns.view(concern.id or 0)
    assert view is not None
    c = view.concern
    assert (c.details, c.action_note, c.place_text, c.lat, c.lon) == (None,) * 5
    assert c.action is LeadAction.POLICE and c.status is ConcernStatus.DONE  # the record stays
    counts = await store.concerns.counts(start, start + timedelta(days=1))
    assert (counts.raised, counts.acknowledged) == (1, 1)


async def test_erasing_the_person_clears_what_their_concern_copied(store: Store) -> None:
    await member(store, 10, Role.OUTREACH, lead=True)
    worker = await member(store, 13, Role.OUTREACH)
    admin = await store.members.by_telegram_id(1)
    assert admin is not None
    saved = await store.contacts.log_contact(
        ContactIn(
            new_person=PersonIn(alias="Zanzibar Zed"),
            place_text="Flat 3, Tower Road",
            exploitation=ConcernKind.CUCKOOING,
        ),
        worker=worker,
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    assert saved.concern_id is not None
    view = await store.concerns.view(saved.concern_id)
    assert view is not None and view.person_alias == "Zanzibar Zed"
    assert await store.erasure.erase(saved.person.id or 0, by=admin, via="test") is not None
    view = await store.concerns.view(saved.concern_id)
    assert view is not None
    assert view.person_alias is None and view.concern.place_text is None
    assert view.concern.kind is ConcernKind.CUCKOOING  # the concern itself stays


async def test_open_concerns_not_yet_acknowledged_first_and_the_listing_audited(
    store: Store, clock: ManualClock
) -> None:
    lead = await member(store, 10, Role.OUTREACH, lead=True)
    warden = await member(store, 11, Role.WARDEN)
    ids = []
    for _ in range(3):
        await file_report(store, warden, "safeguarding", under_18=False)
        ids.append((await table(store, Concern))[-1].id)
        clock.advance(minutes=1)
    await store.concerns.acknowledge(ids[0], by=lead)  # acknowledged: after the waiting ones
    await store.concerns.acknowledge(ids[2], by=lead)
    await store.concerns.record_action(ids[2], LeadAction.NO_FURTHER_ACTION, "seen", by=lead)
    views, total = await store.concerns.open_list(by=lead, limit=10)
    assert total == 2 and [v.id for v in views] == [ids[1], ids[0]]
    views, total = await store.concerns.open_list(by=lead, limit=1)
    assert total == 2 and [v.id for v in views] == [ids[1]]
    listed = await store.audit.recent(action_prefix="concern.listed")
    assert [(a.actor_id, a.detail) for a in listed] == [
        (lead.id, "1 of 2 open"),
        (lead.id, "2 of 2 open"),
    ]
    assert await store.concerns.look(9999, by=lead) is None
    looked = await store.concerns.look(ids[1], by=lead)
    assert looked is not None and looked.details == "Boy of about 15 sleeping in the stairwell"
    [viewed] = await store.audit.recent(action_prefix="concern.viewed")
    assert (viewed.actor_id, viewed.subject) == (lead.id, f"concern:{ids[1]}")
