"""The CCTV control room from Telegram: operators get every urgent alert and answer for the
cameras on every copy; a report's reporter or a coordinator asks for a review, operators
answer (found and saved with a footage reference, nothing found, no coverage), the requester
is told; an unanswered request climbs its ladder once per step; counted in the digest;
who may do what."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import CctvAnswer, RequestStatus
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.jobs.cctv import escalate_cctv_requests
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from storage.models import ReportIn
from tests.support.alerting import (
    ALERTED,
    COORDINATOR,
    REPORTER,
    WARDEN,
    alert_copy,
    button_labels,
    drain,
    elmer_square,
    file_urgent,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT, STRANGER, BotHarness
from tests.support.reporting import seed_elmer

CARL = Person(2007, "Carl", "Camera")
CATH = Person(2008, "Cath", "Camera")
OPERATORS = (CARL, CATH)
ANSWERS = ["✅ Found and saved", "🔍 Nothing found", "🚫 No coverage"]


async def operators(bot: BotHarness) -> None:
    for person in OPERATORS:
        await bot.member(person, Role.CCTV)


def last_answer(bot: BotHarness) -> str:
    return str(bot.api.callback_answers()[-1].get("text"))


def request_copy(bot: BotHarness, person: Person, ref: str = "CCTV-1") -> SentMessage:
    copies = [m for m in bot.api.sent_to(person.telegram_id) if f"· {ref}" in m.plain]
    assert len(copies) >= 1, [m.plain for m in bot.api.sent_to(person.telegram_id)]
    return copies[0]


def told(bot: BotHarness, person: Person) -> list[str]:
    return [m.plain for m in bot.api.sent_to(person.telegram_id) if "CCTV-" in m.plain]


async def ask(bot: BotHarness, person: Person, command: str = "/cctv R-0001") -> SentMessage:
    await bot.tg.send(person, command)
    return bot.last(person)


# ---- operators on an urgent alert -------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_operators_get_every_urgent_alert_and_answer_for_the_cameras_on_every_copy(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await operators(bot)  # not on duty: the control room gets every urgent alert
    await file_urgent(bot, members.reporter)
    await drain(bot)

    carl_copy = alert_copy(bot, CARL.telegram_id)
    assert button_labels(carl_copy) == ["📹 Camera on it", "No camera covers that"]
    assert "Two men, one showing a knife" in carl_copy.plain  # not a sensitive category

    await bot.tg.press(CARL, carl_copy, "Camera on it")
    assert last_answer(bot) == "Thanks — R-0001: camera on it. Everyone alerted can see it."
    await bot.tg.press(CATH, alert_copy(bot, CATH.telegram_id), "No camera covers that")
    await drain(bot)

    line = "📹 CCTV: Carl Camera — camera on it; Cath Camera — no camera covers that"
    for chat_id in (*ALERTED, CARL.telegram_id, CATH.telegram_id):
        assert line in alert_copy(bot, chat_id).plain, chat_id
    assert button_labels(alert_copy(bot, CARL.telegram_id)) == ["No camera covers that"]
    reporter_heard = [m.plain for m in bot.api.sent_to(REPORTER.telegram_id) if "CCTV" in m.plain]
    assert reporter_heard == [
        "📹 CCTV on your report R-0001: camera on it (Carl Camera).",
        "📹 CCTV on your report R-0001: no camera covers that (Cath Camera).",
    ]
    # Pressing the same answer again changes nothing.
    edits = len(bot.api.calls_of("editMessageText"))
    await bot.tg.press_data(CATH, alert_copy(bot, CATH.telegram_id), "inc:nocam:1")
    assert last_answer(bot) == cctv_texts.ALREADY_ANSWERED_CAMERA
    await drain(bot)
    assert len(bot.api.calls_of("editMessageText")) == edits


async def test_an_operator_sees_no_description_of_a_sensitive_report(bot: BotHarness) -> None:
    members = await team(bot)
    await operators(bot)
    welfare = await bot.store.categories.by_slug("welfare")
    assert welfare is not None and welfare.sensitive
    await bot.store.reports.file(
        ReportIn(
            category_id=welfare.id or 0,
            place_text="Bus station",
            description="Man collapsed, known to services as Jim",
            urgent=True,
        ),
        reporter=members.reporter,
        group_chat_id=bot.settings.coordinators_chat_id,
    )
    await drain(bot)
    assert "Jim" not in alert_copy(bot, CARL.telegram_id).plain

    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    await drain(bot)
    copy = request_copy(bot, CARL)
    assert "Jim" not in copy.plain and "sensitive category: no description here" in copy.plain


# ---- a review request, made and answered ------------------------------------------------------
@pytest.mark.pg_smoke
async def test_found_and_saved_with_its_footage_reference_and_the_requester_is_told(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await operators(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)

    draft = await ask(bot, REPORTER)
    assert "CCTV review for R-0001" in draft.plain
    assert "Footage from 20:45 to 21:15 (Fri 27 Nov)" in draft.plain
    await bot.tg.press(REPORTER, draft, "Start earlier")
    await bot.tg.press(REPORTER, bot.last(REPORTER), "End later")
    assert "Footage from 20:30 to 21:30" in bot.last(REPORTER).plain
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    assert bot.last(REPORTER).plain == (
        "📨 CCTV-1 for R-0001 sent to the control room (2 operators). "
        "You'll be told their answer here."
    )
    await drain(bot)

    for person in OPERATORS:
        copy = request_copy(bot, person)
        assert "📹 CCTV review requested · CCTV-1" in copy.plain
        assert "Report R-0001 · Weapon seen" in copy.plain
        assert "Footage from 20:30 to 21:30 (Fri 27 Nov)" in copy.plain
        assert "Asked by Rita Reporter" in copy.plain
        assert button_labels(copy) == ANSWERS

    bot.clock.advance(minutes=7)
    await bot.tg.press(CARL, request_copy(bot, CARL), "Found and saved")
    assert last_answer(bot) == "Thanks — CCTV-1 answered: found and saved."
    carl_copy = request_copy(bot, CARL)
    assert "Answered by Carl Camera at 21:07: found and saved" in carl_copy.plain
    assert button_labels(carl_copy) == ["🧾 Add the footage reference"]
    assert bot.last(CARL).plain.startswith("🧾 Send the footage reference")

    await bot.tg.send(CARL, "CR-1127\nsecond line")  # two lines: not a reference
    assert bot.last(CARL).plain == cctv_texts.FOOTAGE_REF_BAD
    stored = (await bot.store.cctv.for_report(1))[0].request
    assert stored.footage_ref is None
    await bot.tg.send(CARL, "  CR-2026-1127-004 ")
    assert bot.last(CARL).plain == (
        "🧾 Footage reference saved for CCTV-1 (R-0001); the requester is told."
    )
    await drain(bot)

    cath_copy = request_copy(bot, CATH)
    assert "Answered by Carl Camera at 21:07: found and saved" in cath_copy.plain
    assert button_labels(cath_copy) == [] and cath_copy.edits == 1
    assert told(bot, REPORTER)[-2:] == [
        "📹 CCTV review CCTV-1 of your request for R-0001: found and saved (Carl Camera). "
        "The footage reference follows.",
        "🧾 Footage reference for R-0001 (CCTV-1): CR-2026-1127-004 (Carl Camera).",
    ]
    stored = (await bot.store.cctv.for_report(1))[0].request
    assert (stored.status, stored.answer, stored.footage_ref) == (
        RequestStatus.ANSWERED,
        CctvAnswer.FOUND,
        "CR-2026-1127-004",
    )
    # Cath's press on her (now answered) copy: someone was first.
    await bot.tg.press_data(CATH, cath_copy, "cv:n:1")
    assert last_answer(bot) == "Already answered by Carl Camera: found and saved."
    actions = [e.action for e in reversed(await bot.store.audit.recent(action_prefix="cctv."))]
    assert actions == ["cctv.requested", "cctv.answered", "cctv.footage_ref"]


@pytest.mark.parametrize(
    ("label", "said"),
    [("Nothing found", "nothing found"), ("No coverage", "no camera coverage")],
)
async def test_a_coordinator_asks_from_show_and_hears_the_answer(
    bot: BotHarness, label: str, said: str
) -> None:
    members = await team(bot)
    await operators(bot)
    hotspot_id = await elmer_square(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)

    await bot.tg.send(COORDINATOR, "/show R-0001")
    await bot.tg.press(COORDINATOR, bot.last(COORDINATOR), "Request CCTV review")
    await bot.tg.press(COORDINATOR, bot.last(COORDINATOR), "Place:")
    assert bot.last(COORDINATOR).plain == cctv_texts.PICK_PLACE
    await bot.tg.press(COORDINATOR, bot.last(COORDINATOR), "Elmer Square")
    assert "📍 Elmer Square" in bot.last(COORDINATOR).plain
    await bot.tg.press(COORDINATOR, bot.last(COORDINATOR), "Send to the control room")
    await drain(bot)
    copy = request_copy(bot, CATH)
    assert "📍 Elmer Square" in copy.plain and "Asked by Cora Coordinator" in copy.plain
    stored = (await bot.store.cctv.for_report(1))[0].request
    assert stored.hotspot_id == hotspot_id

    bot.clock.advance(minutes=3)
    await bot.tg.press(CATH, copy, label)
    await drain(bot)
    assert told(bot, COORDINATOR)[-1] == (
        f"📹 CCTV review CCTV-1 of your request for R-0001: {said} (Cath Camera)."
    )
    assert button_labels(request_copy(bot, CATH)) == []  # nothing more to add
    assert button_labels(request_copy(bot, CARL)) == []
    assert told(bot, REPORTER) == []  # the coordinator asked, the coordinator is told


# ---- refusals ---------------------------------------------------------------------------------
async def test_who_may_ask_and_what_is_refused_changes_nothing(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)

    # No operator yet: nothing stored, and the requester knows why.
    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    assert bot.last(REPORTER).plain == cctv_texts.NO_OPERATORS
    assert await bot.store.cctv.for_report(1) == []

    await operators(bot)
    # Someone else's report, a warden: refused, the same as for a report that does not exist.
    assert (await ask(bot, WARDEN)).plain == cctv_texts.NOT_YOURS
    assert (await ask(bot, WARDEN, "/cctv R-0099")).plain == cctv_texts.NOT_YOURS
    # Operators answer requests; they make none.
    assert (await ask(bot, CARL)).plain == cctv_texts.OPERATORS_DO_NOT_REQUEST
    # A stranger gets the one fixed reply.
    assert (await ask(bot, STRANGER)).plain == common_texts.NOT_A_MEMBER
    assert await bot.store.cctv.for_report(1) == []

    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    await drain(bot)
    # A warden forging an operator's answer: the gate refuses it; nothing changes.
    await bot.tg.press_data(WARDEN, bot.last(WARDEN), "cv:f:1")
    assert last_answer(bot) == common_texts.NOT_ALLOWED_BUTTON
    # An operator pressing from a message that is not their copy: refused too.
    not_a_copy = next(
        m
        for m in bot.api.sent_to(CARL.telegram_id)
        if m.plain == cctv_texts.OPERATORS_DO_NOT_REQUEST
    )
    await bot.tg.press_data(CARL, not_a_copy, "cv:f:1")
    assert last_answer(bot) == cctv_texts.ANSWER_NOT_RECEIVED
    stored = (await bot.store.cctv.for_report(1))[0].request
    assert stored.status is RequestStatus.OPEN and stored.answer is None
    # A second request while the first waits: told so, nothing new.
    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    assert bot.last(REPORTER).plain.startswith("CCTV-1 for R-0001, asked at 21:00, is still")
    assert len(await bot.store.cctv.for_report(1)) == 1
    # An operator sees no outreach records.
    await bot.tg.send(CARL, "/people")
    assert "not available for your role" in bot.last(CARL).plain


async def test_the_window_stays_within_its_bounds(bot: BotHarness) -> None:
    members = await team(bot)
    await operators(bot)
    await file_urgent(bot, members.reporter)
    draft = await ask(bot, REPORTER)
    for _ in range(30):  # 15-minute taps: the window never grows past 6 hours
        await bot.tg.press(REPORTER, bot.last(REPORTER), "Start earlier")
    assert "Footage from 15:15 to 21:15" in bot.last(REPORTER).plain
    assert draft.message_id == bot.last(REPORTER).message_id  # one message, edited


# ---- /cctv: the requests ----------------------------------------------------------------------
async def test_operators_list_what_waits_and_each_look_is_audited(bot: BotHarness) -> None:
    members = await team(bot)
    await operators(bot)
    await file_urgent(bot, members.reporter)
    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")

    await bot.tg.send(CARL, "/cctv")
    listing = bot.last(CARL).plain
    assert listing.startswith("📹 CCTV review requests waiting: 1")
    assert "CCTV-1 · R-0001 · Elmer Square, by the fountain · Fri 27 Nov 20:45–21:15" in listing
    await bot.tg.send(COORDINATOR, "/cctv")
    assert "Latest CCTV review requests: 1" in bot.last(COORDINATOR).plain
    views = await bot.store.audit.recent(action_prefix="cctv.viewed")
    assert [(v.detail) for v in views] == ["CCTV-1", "CCTV-1"]
    await bot.tg.send(WARDEN, "/cctv")
    assert bot.last(WARDEN).plain.startswith("To ask the control room for footage")


# ---- the ladder of an unanswered request -------------------------------------------------------
async def test_an_unanswered_request_climbs_its_ladder_once_per_step(bot: BotHarness) -> None:
    members = await team(bot)
    await operators(bot)
    await file_urgent(bot, members.reporter)
    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    await drain(bot)
    services = bot.app.services

    bot.clock.advance(minutes=14)
    assert await escalate_cctv_requests(services) == 0
    bot.clock.advance(minutes=1)  # TCAG_CCTV_ANSWER_MINUTES (15): every operator again
    assert await escalate_cctv_requests(services, instance="a") == 1
    assert await escalate_cctv_requests(services, instance="b") == 0  # a second instance
    await drain(bot)
    for person in OPERATORS:
        again = request_copy(bot, person, "CCTV-1")
        waiting = [m for m in bot.api.sent_to(person.telegram_id) if "still waiting" in m.plain]
        assert len(waiting) == 1 and button_labels(waiting[0]) == ANSWERS, person
        assert again.plain != waiting[0].plain
    assert not [m for m in bot.api.sent_to(COORDINATOR.telegram_id) if "control room" in m.plain]

    bot.clock.advance(minutes=15)  # twice that: the coordinators and admins
    assert await escalate_cctv_requests(services) == 1
    assert await escalate_cctv_requests(services) == 0
    await drain(bot)
    for person in (COORDINATOR, ADMIN):
        heads_up = [
            m
            for m in bot.api.sent_to(person.telegram_id)
            if "No answer from the control" in m.plain
        ]
        assert len(heads_up) == 1 and button_labels(heads_up[0]) == [], person
        assert "after 30 min · CCTV-1" in heads_up[0].plain
    assert not [
        m for m in bot.api.sent_to(COORDINATORS_CHAT) if "No answer from the control" in m.plain
    ]

    # Answered from the escalated copy: the ladder ends; every copy shows the answer.
    waiting = next(m for m in bot.api.sent_to(CATH.telegram_id) if "still waiting" in m.plain)
    await bot.tg.press(CATH, waiting, "No coverage")
    await drain(bot)
    heads_up = [m for m in bot.api.sent_to(ADMIN.telegram_id) if "CCTV-1" in m.plain][-1]
    assert "Answered by Cath Camera" in heads_up.plain
    bot.clock.advance(hours=2)
    assert await escalate_cctv_requests(services) == 0


# ---- counted in the digest -----------------------------------------------------------------------
async def test_the_shift_digest_counts_the_requests(bot: BotHarness) -> None:
    members = await team(bot)
    await operators(bot)
    await bot.store.shifts.add(ShiftPattern("Friday late", frozenset({4}), time(20), time(3)))
    await file_urgent(bot, members.reporter)
    await ask(bot, REPORTER)
    await bot.tg.press(REPORTER, bot.last(REPORTER), "Send to the control room")
    await drain(bot)
    bot.clock.advance(minutes=12)
    await bot.tg.press(CARL, request_copy(bot, CARL), "Nothing found")

    await bot.tg.send(COORDINATOR, "/digest")
    digest = next(m.plain for m in bot.api.sent_to(COORDINATOR.telegram_id) if "digest" in m.plain)
    assert "📹 CCTV reviews" in digest
    figures = (
        "1 requested · 0 found and saved · 1 nothing found · 0 no coverage · median answer 12 min"
    )
    assert figures in digest
    await bot.tg.send(COORDINATOR, "/stats 7d")
    sent = bot.api.sent_to(COORDINATOR.telegram_id)
    stats = next(m.plain for m in sent if "Statistics:" in m.plain)
    assert "📹 CCTV reviews" in stats and figures in stats


# ---- joining -----------------------------------------------------------------------------------
async def test_an_admin_invites_an_operator_a_coordinator_cannot(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(COORDINATOR, "/invite cctv")
    assert bot.last(COORDINATOR).plain.startswith("You can't invite a cctv.")
    assert await bot.store.members.active_by_role(Role.CCTV) == []

    await bot.tg.send(ADMIN, "/invite cctv")
    reply = bot.last(ADMIN).plain
    assert "Invite to join as CCTV operator" in reply
    code = next(w for w in reply.split() if w.startswith("https://t.me/")).split("start=")[1]
    await bot.tg.send(CARL, f"/start {code}")
    assert "You're in as CCTV operator" in bot.last(CARL).plain
    [carl] = await bot.store.members.active_by_role(Role.CCTV)
    assert carl.telegram_id == CARL.telegram_id
    await bot.tg.send(CARL, "/help")
    help_text = bot.last(CARL).plain
    assert "/cctv" in help_text and "/people" not in help_text and "/export" not in help_text


# ---- the report's own confirmation --------------------------------------------------------------
async def test_the_confirmation_offers_the_reporter_a_review_but_not_an_operator(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await bot.member(WARDEN, Role.WARDEN)
    await operators(bot)
    for person, offered in ((WARDEN, True), (CARL, False)):
        await bot.tg.send(person, "3 lads drinking by the fountain in Elmer Square")
        await bot.tg.press(person, bot.last(person), "Confirm")
        stored = bot.last(person).plain
        assert "stored at 21:00" in stored
        assert ("/cctv R-" in stored) is offered, person
    # The hint works as it says.
    await bot.tg.send(WARDEN, "/cctv R-0001")
    assert "CCTV review for R-0001" in bot.last(WARDEN).plain
