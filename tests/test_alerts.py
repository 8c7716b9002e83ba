"""Urgent alerts: Acknowledge / Attending, every copy edited, escalation when nobody responds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import texts
from bot.domain.incidents import AckKind
from bot.jobs.escalation import ESCALATION_JOB, escalate_overdue
from bot.offline.chat import Person
from storage.models import ReportIn
from tests.support.alerting import (
    ALERTED,
    COORDINATOR,
    OFFICER,
    OUTREACH,
    REPORTER,
    WARDEN,
    alert_copy,
    button_labels,
    delivered,
    drain,
    file_urgent,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness, make_settings

ESCALATED = "Not yet acknowledged after 5 minutes"
# Escalations go to the group, coordinators and admins; patrols already have the alert.
ESCALATED_TO = (COORDINATORS_CHAT, ADMIN.telegram_id, COORDINATOR.telegram_id)


def last_answer(bot: BotHarness) -> str:
    return str(bot.api.callback_answers()[-1].get("text"))


@pytest.mark.pg_smoke
async def test_first_press_edits_the_pressed_copy_at_once_and_the_rest_after_drain(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)
    wakeup = bot.app.services.outbox_wakeup
    wakeup.clear()

    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Acknowledge")

    assert last_answer(bot) == ("Thanks — you acknowledged R-0001. Everyone alerted can see it.")
    pressed = alert_copy(bot, OFFICER.telegram_id)
    assert "✅ Acknowledged by Olly Officer at 21:00" in pressed.plain
    assert "Weapon seen · R-0001" in pressed.plain  # the facts stay
    assert pressed.inline_buttons == [] and pressed.edits == 1
    assert wakeup.is_set()
    others = [chat for chat in ALERTED if chat != OFFICER.telegram_id]
    assert all(alert_copy(bot, chat).edits == 0 for chat in others)  # not yet

    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id)
        assert "Acknowledged by Olly Officer at 21:00" in copy.plain, chat_id
        assert copy.inline_buttons == [] and copy.edits == 1
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.acknowledged_by_id == members.officer.id
    assert stored.ack_kind is AckKind.ACKNOWLEDGED


async def test_attending_from_the_group_shows_who_is_going(bot: BotHarness) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)

    await bot.tg.press(COORDINATOR, alert_copy(bot, COORDINATORS_CHAT), "Attending")
    await drain(bot)

    assert "as attending" in last_answer(bot)
    for chat_id in ALERTED:
        assert "Acknowledged by Cora Coordinator at 21:00 (attending)" in (
            alert_copy(bot, chat_id).plain
        )
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.ack_kind is AckKind.ATTENDING


async def test_later_press_is_told_who_acknowledged_and_its_copy_is_fixed(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Acknowledge")
    bot.clock.advance(minutes=1)

    # The warden's copy still has its buttons: the edit is queued, not sent yet.
    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")

    assert last_answer(bot) == "Already acknowledged by Olly Officer at 21:00"
    warden_copy = alert_copy(bot, WARDEN.telegram_id)
    assert warden_copy.inline_buttons == [] and warden_copy.edits == 1
    assert "Acknowledged by Olly Officer at 21:00" in warden_copy.plain
    await drain(bot)  # its queued edit changes nothing now, and counts as sent
    assert warden_copy.edits == 1
    assert (await bot.store.outbox.backlog()).pending == 0

    # Once every copy shows it, a press (an old client) only gets the answer.
    calls_before = len(bot.api.calls_of("editMessageText"))
    await bot.tg.press_data(ADMIN, alert_copy(bot, ADMIN.telegram_id), "inc:ack:1")
    assert last_answer(bot) == "Already acknowledged by Olly Officer at 21:00"
    assert len(bot.api.calls_of("editMessageText")) == calls_before
    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_by_id == members.officer.id


async def test_garbled_or_unknown_alert_buttons_change_nothing(bot: BotHarness) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)
    copy = alert_copy(bot, OFFICER.telegram_id)

    for data in ("inc:ack:abc", "inc:zzz:1", "inc:ack:999", "inc:ack", "inc:att:-1"):
        await bot.tg.press_data(OFFICER, copy, data)
        assert last_answer(bot) == texts.ALERT_UNKNOWN, data

    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.acknowledged_at is None
    assert copy.edits == 0 and button_labels(copy) == ["✅ Acknowledge", "🚶 Attending"]


async def test_a_report_that_is_not_urgent_has_no_alert_to_acknowledge(bot: BotHarness) -> None:
    members = await team(bot)
    urgent = await file_urgent(bot, members.reporter)
    await drain(bot)
    categories = await bot.store.categories.active()
    calm = await bot.store.reports.file(
        ReportIn(category_id=categories[-1].id or 0, place_text="Market"),
        reporter=members.reporter,
        group_chat_id=COORDINATORS_CHAT,
    )
    assert calm.id == (urgent.id or 0) + 1
    await bot.tg.press_data(OFFICER, alert_copy(bot, OFFICER.telegram_id), f"inc:ack:{calm.id}")
    assert last_answer(bot) == texts.ALERT_UNKNOWN
    stored = await bot.store.reports.get(calm.id or 0)
    assert stored is not None and stored.acknowledged_at is None


# ---- escalation -------------------------------------------------------------------------
async def test_unacknowledged_alert_is_escalated_once_after_five_minutes(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    services = bot.app.services

    bot.clock.advance(minutes=4, seconds=59)
    assert await escalate_overdue(services) == 0
    bot.clock.advance(seconds=1)
    services.outbox_wakeup.clear()
    assert await escalate_overdue(services) == 1
    assert services.outbox_wakeup.is_set()
    await drain(bot)

    for chat_id in ESCALATED_TO:
        escalations = delivered(bot, chat_id, ESCALATED)
        assert len(escalations) == 1, chat_id
        assert "Weapon seen · R-0001" in escalations[0].plain
        assert "Reported by Rita Reporter (Police officer)" in escalations[0].plain
        assert texts.IF_LIFE_AT_RISK in escalations[0].plain
        assert button_labels(escalations[0]) == ["✅ Acknowledge", "🚶 Attending"]
    for person in (OFFICER, WARDEN, OUTREACH, REPORTER):
        assert delivered(bot, person.telegram_id, ESCALATED) == []

    bot.clock.advance(minutes=10)
    assert await escalate_overdue(services) == 0  # once only
    await drain(bot)
    assert len(delivered(bot, COORDINATORS_CHAT, ESCALATED)) == 1


async def test_pressing_an_escalation_edits_every_alert_and_escalation(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    bot.clock.advance(minutes=5)
    await escalate_overdue(bot.app.services)
    await drain(bot)
    escalation = delivered(bot, COORDINATORS_CHAT, ESCALATED)[0]

    await bot.tg.press(COORDINATOR, escalation, "Acknowledge")
    await drain(bot)

    copies = [m for chat in ALERTED for m in delivered(bot, chat)]
    assert len(copies) == len(ALERTED) + len(ESCALATED_TO)
    for copy in copies:
        assert "Acknowledged by Cora Coordinator at 21:05" in copy.plain
        assert copy.inline_buttons == []


async def test_acknowledged_alert_is_never_escalated(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    bot.clock.advance(minutes=30)
    assert await escalate_overdue(bot.app.services) == 0
    await drain(bot)
    assert delivered(bot, COORDINATORS_CHAT, ESCALATED) == []


async def test_escalation_job_is_scheduled_every_30_seconds(bot: BotHarness) -> None:
    assert bot.app.job_queue is not None
    jobs = bot.app.job_queue.get_jobs_by_name(ESCALATION_JOB)
    assert len(jobs) == 1
    assert jobs[0].trigger.interval == timedelta(seconds=30)


@pytest.mark.app
async def test_escalation_minutes_come_from_settings(store, clock) -> None:  # type: ignore[no-untyped-def]
    harness = BotHarness(store, clock, make_settings(TCAG_ALERT_ESCALATE_MINUTES="10"))
    await harness.start()
    try:
        await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
        members = await team(harness)
        await file_urgent(harness, members.reporter)
        clock.advance(minutes=9)
        assert await escalate_overdue(harness.app.services) == 0
        clock.advance(minutes=1)
        assert await escalate_overdue(harness.app.services) == 1
        await drain(harness)
        escalation = delivered(harness, COORDINATORS_CHAT, "Not yet acknowledged after 10 minutes")
        assert len(escalation) == 1
    finally:
        await harness.stop()


async def test_a_sensitive_category_never_puts_its_description_in_an_alert(
    bot: BotHarness,
) -> None:
    """Group copy, on-duty broadcast, escalation and the pressed copy: category, place,
    time and reference, and where to read the rest; /show gives it to those allowed."""
    members = await team(bot)
    safeguarding = await bot.store.categories.by_slug("safeguarding")
    assert safeguarding is not None and safeguarding.sensitive
    secret = "Girl about 13 <Amy> getting into a car with two older men"
    await bot.store.reports.file(
        ReportIn(
            category_id=safeguarding.id or 0,
            place_text="Bus station",
            description=secret,
            urgent=True,
        ),
        reporter=members.reporter,
        group_chat_id=bot.settings.coordinators_chat_id,
    )
    await drain(bot)
    bot.clock.advance(minutes=5)
    assert await escalate_overdue(bot.app.services) == 1
    await drain(bot)
    first_copy = delivered(bot, COORDINATORS_CHAT)[0]
    await bot.tg.press(COORDINATOR, first_copy, "Acknowledge")
    await drain(bot)

    copies = [m for chat in {*ALERTED, *ESCALATED_TO} for m in delivered(bot, chat)]
    assert len(copies) == len(ALERTED) + len(ESCALATED_TO)
    for copy in copies:
        assert "Safeguarding concern · R-0001" in copy.plain and "Bus station" in copy.plain
        assert "🔒 Details: /show R-0001" in copy.plain
        assert "Amy" not in copy.plain and "older men" not in copy.plain
    await bot.tg.send(COORDINATOR, "/show R-0001")
    assert "Amy" in bot.last(COORDINATOR).plain


async def test_acknowledged_by_is_the_name_they_joined_with_not_their_telegram_name(
    bot: BotHarness,
) -> None:
    """A display name anyone can change in Telegram must not let a member pass for another
    on an alert; the name is the one stored when they joined, or as an admin set it."""
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    posing = Person(OFFICER.telegram_id, "Cora", "Coordinator", username="cora_c")

    await bot.tg.press(posing, alert_copy(bot, OFFICER.telegram_id), "Acknowledge")
    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id).plain
        assert "Acknowledged by Olly Officer at 21:00" in copy and "by Cora" not in copy
    stored = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert stored is not None and stored.name == "Olly Officer"
    assert stored.username == "cora_c"  # the @username is kept up to date (/audit finds it)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    renamed = await bot.store.members.rename(stored.id or 0, "  PC  Olly   Owens ", by=admin)
    assert renamed is not None and renamed.name == "PC Olly Owens"
    [entry] = await bot.store.audit.recent(action_prefix="member.renamed")
    assert entry.actor_id == admin.id and entry.subject_member_id == stored.id
