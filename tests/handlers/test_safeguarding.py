"""Safeguarding concerns through the real bot: raised from a safeguarding report, an
"under 18" tap (guided report, quick proposal, /roughsleeper) or an exploitation flag on an
outreach contact; delivered privately to every lead (or the admins), acknowledged, what was
done recorded and audited; their own ladder; nobody else reads them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.domain.access.roles import Role
from bot.domain.callbacks.safeguarding import ConcernAction, ConcernPress
from bot.domain.safeguarding import ConcernKind, ConcernSource, ConcernStatus, LeadAction
from bot.jobs.escalation import escalate_overdue_concerns
from bot.offline.chat import Person
from bot.texts import common as common_texts
from bot.texts import safeguarding as concern_texts
from storage.models import AuditEntry, OutboxMessage, Referral, Report
from storage.safeguarding.models import Concern
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness
from tests.support.reporting import press_category, seed_elmer

LENA = Person(4001, "Lena", "Lead")  # an outreach worker, the safeguarding lead
OTTO = Person(3001, "Otto", "Outreach")  # an outreach worker, not a lead
WARDEN = Person(2003, "Wendy", "Warden")
COORDINATOR = Person(2004, "Cora", "Coordinator")
DESCRIPTION = "Girl about 14 getting into a car with two older men <unknown>"


async def make_lead(bot: BotHarness, person: Person) -> None:
    """The admin makes a member safeguarding lead from their /members card."""
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    assert member is not None
    await bot.tg.send(ADMIN, "/members")
    await bot.tg.press(ADMIN, bot.last(ADMIN), member.name)
    await bot.tg.press(ADMIN, bot.last(ADMIN), concern_texts.MAKE_LEAD)


async def team(bot: BotHarness, *, with_lead: bool = True) -> None:
    await bot.member(LENA, Role.OUTREACH)
    await bot.member(OTTO, Role.OUTREACH)
    await bot.member(WARDEN, Role.WARDEN)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    if with_lead:
        await make_lead(bot, LENA)


async def drain(bot: BotHarness) -> int:
    assert bot.app.outbox_sender is not None
    return await bot.app.outbox_sender.drain()


def copies(bot: BotHarness, chat_id: int) -> list:
    """The concern copies this chat received, as they now stand."""
    return [m for m in bot.api.sent_to(chat_id) if "Safeguarding concern S-" in m.plain]


def everything_to(bot: BotHarness, chat_id: int) -> str:
    return "\n".join(m.plain for m in bot.api.sent_to(chat_id))


async def rows(bot: BotHarness, model: type) -> list:
    async with bot.store.engine.connect() as connection:
        return list((await connection.execute(select(model))).all())


async def audit_actions(bot: BotHarness) -> list[str]:
    return [row.action for row in await rows(bot, AuditEntry) if row.action.startswith("concern.")]


async def rough_sleeper_under_18(bot: BotHarness, person: Person) -> None:
    await bot.tg.send(person, "/roughsleeper")
    assert "do they seem under 18?" in bot.last(person).plain
    await bot.tg.press(person, bot.last(person), "Yes")
    # 999 first if in danger; no "unwell or in danger?" (no welfare alert, no referral).
    assert "Where?" in bot.last(person).plain
    assert "unwell or in danger" not in bot.last(person).plain
    await bot.tg.send(person, "Bus station, by the lockers")
    await bot.tg.press(person, bot.last(person), "Just now")
    await bot.tg.send(person, "Grey hoodie, small rucksack")
    assert "Seems under 18: yes" in bot.last(person).plain
    await bot.tg.press(person, bot.last(person), "Send to the safeguarding lead")


async def safeguarding_report(bot: BotHarness, person: Person = WARDEN) -> None:
    """The guided /report in the safeguarding category (urgent by default)."""
    await bot.tg.send(person, "/report")
    await press_category(bot, person, bot.last(person), "Safeguarding concern")
    await bot.tg.press(person, bot.last(person), "Elmer Square")
    await bot.tg.send(person, DESCRIPTION)
    await bot.tg.press(person, bot.last(person), "2-3")
    await bot.tg.press(person, bot.last(person), "Urgent")
    await bot.tg.press(person, bot.last(person), "Confirm")


# ---- /roughsleeper: under 18 goes to the lead, never to outreach's adult queue ---------------
@pytest.mark.pg_smoke
async def test_an_under_18_rough_sleeper_goes_to_the_lead_not_outreach(bot: BotHarness) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)

    told = bot.last(WARDEN).plain
    assert "Sent to the safeguarding lead as concern S-0001" in told
    assert "not to outreach's adult referral queue" in told and "call 999" in told
    assert await rows(bot, Referral) == []
    [concern] = await rows(bot, Concern)
    assert concern.source == ConcernSource.SIGHTING.value
    assert concern.kind == ConcernKind.UNDER_18.value
    await bot.tg.send(OTTO, "/referrals")
    assert bot.last(OTTO).plain == "📋 No open referrals right now."

    await drain(bot)
    [copy] = copies(bot, LENA.telegram_id)
    assert "Person under 18 involved" in copy.plain
    assert "Bus station, by the lockers" in copy.plain and "Grey hoodie" in copy.plain
    assert "Raised by: Wendy Warden (Street warden)" in copy.plain
    assert [b["text"] for b in copy.inline_buttons] == [concern_texts.ACKNOWLEDGE]
    for elsewhere in (OTTO.telegram_id, COORDINATOR.telegram_id, ADMIN.telegram_id):
        assert copies(bot, elsewhere) == [], elsewhere
    assert "Grey hoodie" not in everything_to(bot, COORDINATORS_CHAT)


# ---- a safeguarding report: the lead reads it, everyone else category, place, time -----------
async def test_a_safeguarding_report_reaches_the_lead_and_nobody_else_reads_it(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await team(bot)
    coordinator = await bot.store.members.by_telegram_id(COORDINATOR.telegram_id)
    assert coordinator is not None
    await bot.store.duty.start(coordinator.id or 0)  # on duty: gets the urgent alert
    await safeguarding_report(bot)

    stored = bot.last(WARDEN).plain
    assert "Report R-0001 stored" in stored
    assert "Safeguarding concern S-0001: sent privately to the safeguarding lead" in stored
    await drain(bot)
    [copy] = copies(bot, LENA.telegram_id)
    assert "Safeguarding report" in copy.plain and "report R-0001" in copy.plain
    assert "Girl about 14 getting into a car" in copy.plain  # escaped, in full, for the lead
    group = everything_to(bot, COORDINATORS_CHAT)
    alert = everything_to(bot, COORDINATOR.telegram_id)
    assert "R-0001" in group and "Safeguarding concern" in group and "Elmer Square" in group
    assert "🔒 Details: /show R-0001 (safeguarding lead and admins)" in group
    for elsewhere in (group, alert):
        assert "Girl about 14" not in elsewhere

    # /show: the reporter and the lead read it; a coordinator who is not a lead does not.
    await bot.tg.send(COORDINATOR, "/show R-1")
    assert bot.last(COORDINATOR).plain == concern_texts.REPORT_FOR_LEADS
    await bot.tg.send(LENA, "/show R-1")
    assert "Girl about 14" in bot.last(LENA).plain
    await bot.tg.send(WARDEN, "/show R-1")
    assert "Girl about 14" in bot.last(WARDEN).plain
    # The lead's reading is a look at the concern: audited (the reporter's own is not).
    assert await audit_actions(bot) == ["concern.raised", "concern.viewed"]


# ---- the under-18 tap: guided summary and the quick proposal ---------------------------------
async def test_under_18_tap_in_the_guided_report_raises_a_concern(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await team(bot)
    await bot.tg.send(WARDEN, "/report")
    await press_category(bot, WARDEN, bot.last(WARDEN), "Antisocial behaviour")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Elmer Square")
    await bot.tg.send(WARDEN, "Kids throwing stones at the bus shelter")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "4-9")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Urgent")
    summary = bot.last(WARDEN)
    await bot.tg.press(WARDEN, summary, "Under 18 involved")
    assert "Under 18 involved: yes" in summary.plain
    assert "👶 Under 18 involved: yes" in [b["text"] for b in summary.inline_buttons]
    await bot.tg.press(WARDEN, summary, "Confirm")

    [report] = await rows(bot, Report)
    assert report.under_18 is True
    [concern] = await rows(bot, Concern)
    assert (concern.kind, concern.report_id) == (ConcernKind.UNDER_18.value, report.id)
    assert "Safeguarding concern S-0001" in bot.last(WARDEN).plain
    await drain(bot)
    assert "Kids throwing stones" in copies(bot, LENA.telegram_id)[0].plain
    # Its urgent alert goes to the group without the description (the sensitive mechanism).
    group = everything_to(bot, COORDINATORS_CHAT)
    assert "R-0001" in group and "Kids throwing stones" not in group


async def test_under_18_tap_on_the_quick_proposal(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await team(bot)
    await bot.tg.send(WARDEN, "Lads drinking cans by the fountain")
    proposal = bot.last(WARDEN)
    await bot.tg.press(WARDEN, proposal, "Under 18 involved")
    assert "Under 18 involved: yes" in proposal.plain
    await bot.tg.press(WARDEN, proposal, "Under 18 involved")  # and off again
    assert "Under 18 involved: yes" not in proposal.plain
    await bot.tg.press(WARDEN, proposal, "Under 18 involved")
    await bot.tg.press(WARDEN, proposal, "Confirm")
    [concern] = await rows(bot, Concern)
    assert concern.kind == ConcernKind.UNDER_18.value
    assert "Safeguarding concern S-0001" in bot.last(WARDEN).plain


# ---- an outreach contact flagged for exploitation ---------------------------------------------
async def test_a_contact_flagged_for_exploitation_reaches_the_lead(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "Anonymous")
    await bot.tg.send(OTTO, "Flat above the bookies")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not sleeping out")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")  # local connection
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")  # needs
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")  # recently left
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")  # actions
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    summary = bot.last(OTTO)
    await bot.tg.press(OTTO, summary, "Sexual exploitation")
    await bot.tg.press(OTTO, summary, "Cuckooing")  # another: it replaces the first
    assert "Exploitation: cuckooing: the safeguarding lead is told" in summary.plain
    assert "✓ Cuckooing" in [b["text"] for b in summary.inline_buttons]
    await bot.tg.press(OTTO, summary, "Save")

    assert "Safeguarding concern S-0001: sent privately" in bot.last(OTTO).plain
    [concern] = await rows(bot, Concern)
    assert (concern.source, concern.kind) == (
        ConcernSource.CONTACT.value,
        ConcernKind.CUCKOOING.value,
    )
    assert concern.contact_id is not None and concern.place_text == "Flat above the bookies"
    await drain(bot)
    [copy] = copies(bot, LENA.telegram_id)
    assert "Exploitation: cuckooing" in copy.plain and "outreach contact" in copy.plain
    assert copies(bot, COORDINATOR.telegram_id) == []


# ---- the lead acknowledges and records what was done: audited --------------------------------
async def test_the_lead_acknowledges_and_records_what_was_done(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await team(bot)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await make_lead(bot, COORDINATOR)  # a second lead: both get it
    await safeguarding_report(bot)
    await drain(bot)
    [mine] = copies(bot, LENA.telegram_id)
    [theirs] = copies(bot, COORDINATOR.telegram_id)

    await bot.tg.press(LENA, mine, "Acknowledge")
    assert bot.api.callback_answers()[-1]["text"] == concern_texts.ACK_DONE
    assert "Acknowledged by Lena Lead at 21:00" in mine.plain
    assert [b["text"] for b in mine.inline_buttons] == [concern_texts.RECORD_ACTION]
    await drain(bot)  # the other lead's copy is edited to say so
    assert "Acknowledged by Lena Lead" in theirs.plain
    await bot.tg.press(COORDINATOR, theirs, "Record what was done")  # either lead may record

    await bot.tg.press(LENA, mine, "Record what was done")
    await bot.tg.press(LENA, bot.last(LENA), "Referred to children's services")
    assert bot.last(LENA).plain == concern_texts.ASK_NOTE
    await bot.tg.send(LENA, "Rang the front door\nand the police")
    assert bot.last(LENA).plain == concern_texts.NOTE_LINES
    await bot.tg.send(LENA, "x" * 201)
    assert "at most 200" in bot.last(LENA).plain
    assert (await rows(bot, Concern))[0].status == ConcernStatus.ACKNOWLEDGED.value
    await bot.tg.send(LENA, "Rang MASH, ref 4471; police informed")
    assert "Referred to children's services. Recorded" in bot.last(LENA).plain

    [concern] = await rows(bot, Concern)
    assert concern.status == ConcernStatus.DONE.value
    assert concern.action == LeadAction.CHILDRENS_SERVICES.value
    assert concern.action_note == "Rang MASH, ref 4471; police informed"
    await drain(bot)
    for copy in (mine, theirs):
        assert "Referred to children's services</b>: Rang MASH" in copy.text
        assert copy.inline_buttons == []
    # The second lead's choice came too late: nothing changes.
    await bot.tg.press(COORDINATOR, bot.last(COORDINATOR), "Advice given")
    assert bot.api.callback_answers()[-1]["text"] == concern_texts.ACTION_ALREADY

    await bot.tg.send(LENA, "/concerns")
    assert bot.last(LENA).plain == concern_texts.CONCERNS_NONE
    assert await audit_actions(bot) == [
        "concern.raised",
        "concern.acknowledged",
        "concern.action_recorded",
        "concern.listed",
    ]
    entries = [r for r in await rows(bot, AuditEntry) if r.action.startswith("concern.")]
    assert all(r.subject in ("concern:1", None) for r in entries)
    assert all("MASH" not in (r.detail or "") for r in entries)  # never what it says


async def test_concerns_lists_and_opens_them_audited(bot: BotHarness) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)
    await bot.tg.send(LENA, "/concerns")
    listing = bot.last(LENA)
    assert "Open safeguarding concerns: 1" in listing.plain
    assert "S-0001 · Person under 18 involved · Bus station, by the lockers" in listing.plain
    await bot.tg.press(LENA, listing, "Open S-0001")
    opened = bot.last(LENA)
    assert "Grey hoodie" in opened.plain
    await bot.tg.press(LENA, opened, "Acknowledge")
    assert await audit_actions(bot) == [
        "concern.raised",
        "concern.listed",
        "concern.viewed",
        "concern.acknowledged",
    ]


# ---- no lead: the admins, and tcag check warns -----------------------------------------------
async def test_with_no_lead_the_admins_receive_concerns(bot: BotHarness) -> None:
    await team(bot, with_lead=False)
    assert await bot.store.concerns.leads() == []
    await rough_sleeper_under_18(bot, WARDEN)
    assert "sent privately" not in bot.last(WARDEN).plain  # the sighting's own words
    await drain(bot)
    [copy] = copies(bot, ADMIN.telegram_id)
    assert "Person under 18 involved" in copy.plain
    assert copies(bot, LENA.telegram_id) == []
    await bot.tg.press(ADMIN, copy, "Acknowledge")
    assert "Acknowledged by Alex Admin" in copy.plain


# ---- unacknowledged: its own ladder ----------------------------------------------------------
async def test_an_unacknowledged_concern_climbs_its_own_ladder(bot: BotHarness) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)
    await drain(bot)
    services = bot.app.services  # type: ignore[attr-defined]
    bot.clock.advance(minutes=14)
    assert await escalate_overdue_concerns(services) == 0
    bot.clock.advance(minutes=1)  # 15 min: every lead again
    assert await escalate_overdue_concerns(services) == 1
    assert await escalate_overdue_concerns(services) == 0  # once
    await drain(bot)
    _, again = copies(bot, LENA.telegram_id)
    assert "not acknowledged after 15 min" in again.plain
    assert copies(bot, ADMIN.telegram_id) == []
    bot.clock.advance(minutes=15)  # 30 min: the admins (and the leads)
    assert await escalate_overdue_concerns(services, instance="other") == 1
    await drain(bot)
    [to_admin] = copies(bot, ADMIN.telegram_id)
    assert "not acknowledged after 30 min" in to_admin.plain
    assert len(copies(bot, LENA.telegram_id)) == 3
    assert copies(bot, OTTO.telegram_id) == [] and copies(bot, COORDINATOR.telegram_id) == []

    await bot.tg.press(ADMIN, to_admin, "Acknowledge")
    await drain(bot)
    assert all("Acknowledged by Alex Admin" in c.plain for c in copies(bot, LENA.telegram_id))
    bot.clock.advance(hours=2)
    assert await escalate_overdue_concerns(services) == 0


async def test_an_acknowledged_concern_never_climbs(bot: BotHarness) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)
    await drain(bot)
    await bot.tg.press(LENA, copies(bot, LENA.telegram_id)[0], "Acknowledge")
    bot.clock.advance(minutes=45)
    assert await escalate_overdue_concerns(bot.app.services) == 0  # type: ignore[attr-defined]


# ---- who may not -----------------------------------------------------------------------------
async def test_a_warden_or_outreach_worker_who_is_no_lead_cannot_open_a_concern(
    bot: BotHarness,
) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)
    await drain(bot)
    before = await audit_actions(bot)
    for person in (WARDEN, OTTO, COORDINATOR):
        await bot.tg.send(person, "/concerns")
        assert bot.last(person).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="concerns")
        menu = bot.last(person)
        for action in (ConcernAction.OPEN, ConcernAction.ACKNOWLEDGE):
            calls = await bot.tg.press_data(person, menu, ConcernPress(action, 1).pack())
            assert [c.method for c in calls] == ["answerCallbackQuery"]
            assert calls[0].params["text"] == common_texts.NOT_ALLOWED_BUTTON
    assert await audit_actions(bot) == before
    [concern] = await rows(bot, Concern)
    assert concern.status == ConcernStatus.OPEN.value


async def test_a_copy_waiting_for_someone_no_longer_a_lead_is_not_sent(bot: BotHarness) -> None:
    await team(bot)
    await rough_sleeper_under_18(bot, WARDEN)
    lena = await bot.store.members.by_telegram_id(LENA.telegram_id)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert lena is not None and admin is not None
    assert await bot.store.members.set_safeguarding_lead(lena.id or 0, False, by=admin)
    await drain(bot)
    assert copies(bot, LENA.telegram_id) == []
    [row] = [r for r in await rows(bot, OutboxMessage) if r.concern_id is not None]
    assert row.status == "undeliverable"


# ---- the lead flag on /members ---------------------------------------------------------------
async def test_the_admin_sets_and_removes_the_lead_flag_audited(bot: BotHarness) -> None:
    await team(bot, with_lead=False)
    await make_lead(bot, LENA)
    card = bot.last(ADMIN)
    assert "Safeguarding lead: yes" in card.plain
    assert "You are now a safeguarding lead" in bot.last(LENA).plain
    assert "concerns" in bot.api.commands_for_chat(LENA.telegram_id)
    await bot.tg.send(LENA, "/concerns")
    assert bot.last(LENA).plain == concern_texts.CONCERNS_NONE
    await bot.tg.send(LENA, "/start")  # the menu has the way in too
    await bot.tg.press(LENA, bot.last(LENA), "Concerns")
    assert bot.last(LENA).plain == concern_texts.CONCERNS_NONE

    # A warden's card offers no lead button; a role change away from outreach clears it.
    warden = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert warden is not None and admin is not None
    assert await bot.store.members.set_safeguarding_lead(warden.id or 0, True, by=admin) is None
    await bot.tg.press(ADMIN, card, "Change role")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Street warden")
    lena = await bot.store.members.by_telegram_id(LENA.telegram_id)
    assert lena is not None and lena.safeguarding_lead is False
    assert "concerns" not in bot.api.commands_for_chat(LENA.telegram_id)
    actions = [r.action for r in await rows(bot, AuditEntry) if r.action.startswith("member.")]
    assert "member.lead_set" in actions and actions[-1] == "member.role_changed"
    outbox = await rows(bot, OutboxMessage)
    assert outbox == []  # nothing queued by flag changes
