"""Checking on lone workers: the plan of a check-in's stages, a check-in due while the bot
was down asked at once on start, no burst after downtime, two instances, and "Need help"
repeated on the ladder until someone is contacting the member."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.access.roles import Role
from bot.domain.alerts.escalation import EscalationLadder
from bot.domain.alerts.staff_safety import (
    CheckInPlan,
    Stage,
    help_plan,
    help_repeat_steps,
    median_minutes,
    round_key,
)
from bot.jobs.staff_safety import FIRST_SECONDS, STAFF_SAFETY_JOB, check_on_lone_workers
from tests.support.alerting import COORDINATOR, OFFICER, WARDEN, drain
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

T0 = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
EVERY = timedelta(minutes=30)


def plan_at(minutes: int, asked: int | None, recorded: set[str] = frozenset()):  # type: ignore[assignment,no-untyped-def]
    return CheckInPlan().plan(
        T0 + timedelta(minutes=minutes),
        last_seen_at=T0,
        every=EVERY,
        asked_at=None if asked is None else T0 + timedelta(minutes=asked),
        recorded=set(recorded),
        session_id=1,
    )


# ---- the plan, as plain rules ------------------------------------------------------------
def test_a_check_in_then_a_reminder_then_the_ladder() -> None:
    assert plan_at(29, None) == (None, [])
    due, skipped = plan_at(30, None)
    assert due is not None and due.stage is Stage.CHECKIN and skipped == []
    assert plan_at(34, 30)[0] is None
    due, _ = plan_at(35, 30)
    assert due is not None and due.stage is Stage.REMINDER
    rk = round_key(T0)
    assert due.key(1, rk) == f"s:1:{rk}:remind"
    reminded = {due.key(1, rk)}
    due, _ = plan_at(40, 30, reminded)
    assert due is not None and (due.stage, due.number) == (Stage.ALERT, 1)
    assert [d.at - T0 for d in CheckInPlan().stages_after_asking(T0)][:4] == [
        timedelta(minutes=m) for m in (5, 10, 15, 25)
    ]


def test_after_downtime_the_first_alert_goes_first_and_earlier_stages_are_skipped() -> None:
    # Asked at 21:30, the bot down until 22:30: the coordinators and the group are alerted
    # (never only step 2's admins), the reminder is recorded as skipped.
    due, skipped = plan_at(90, 30)
    assert due is not None and (due.stage, due.number) == (Stage.ALERT, 1)
    assert [s.stage for s in skipped] == [Stage.REMINDER]
    # The check-in itself is asked, however late: nobody misses a question never asked.
    due, skipped = plan_at(200, None)
    assert due is not None and due.stage is Stage.CHECKIN and skipped == []


def test_need_help_repeats_and_the_median() -> None:
    steps = help_repeat_steps(EscalationLadder(repeat_minutes=10, repeats=3))
    assert [(s.number, s.minutes) for s in steps] == [(2, 10), (3, 20), (4, 30)]
    assert all(s.coordinators and s.group and s.admins and s.on_duty for s in steps)
    step, skipped = help_plan(steps, timedelta(minutes=25), set())
    assert step is not None and step.number == 3 and [s.number for s in skipped] == [2]
    assert help_plan(steps, timedelta(minutes=25), {2, 3}) == (None, [])
    assert median_minutes([]) is None
    assert median_minutes([timedelta(minutes=m) for m in (2, 9, 4)]) == 4


# ---- the job -------------------------------------------------------------------------------
async def lone_warden(bot: BotHarness) -> None:
    for person, role in ((WARDEN, Role.WARDEN), (OFFICER, Role.OFFICER)):
        await bot.member(person, role)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    warden = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    officer = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert warden is not None and officer is not None
    duty, _ = await bot.store.duty.start(warden.id or 0, lat=51.5072, lon=-0.1276)
    await bot.store.duty.start(officer.id or 0)
    await bot.store.checkins.start(warden.id or 0, duty.id or 0, 30)


def texts_to(bot: BotHarness, chat_id: int, start: str) -> list[str]:
    return [m.plain for m in bot.api.sent_to(chat_id) if m.plain.startswith(start)]


@pytest.mark.pg_smoke
async def test_a_check_in_due_while_the_bot_was_down_is_asked_at_once(bot: BotHarness) -> None:
    await lone_warden(bot)
    bot.clock.advance(hours=3)  # down since 21:00; the check-in fell due at 21:30

    assert await check_on_lone_workers(bot.app.services) == 1
    await drain(bot)

    assert texts_to(bot, WARDEN.telegram_id, "⏰") == [
        "⏰ Check-in: all OK? (last sign of life 21:00, every 30 min)"
    ]
    assert texts_to(bot, COORDINATORS_CHAT, "⚠️") == []  # no alert for a question unasked
    bot.clock.advance(minutes=4)
    assert await check_on_lone_workers(bot.app.services) == 0
    bot.clock.advance(minutes=1)  # its reminder counts from when it was asked
    assert await check_on_lone_workers(bot.app.services) == 1


@pytest.mark.pg_smoke
async def test_two_instances_send_each_check_in_and_alert_once(bot: BotHarness) -> None:
    await lone_warden(bot)
    services = bot.app.services
    for minutes in (30, 5, 5, 5):  # the check-in, the reminder, step 1, step 2
        bot.clock.advance(minutes=minutes)
        sent = await asyncio.gather(
            *(check_on_lone_workers(services, instance=f"instance-{n}") for n in range(4))
        )
        assert sum(sent) == 1, minutes
    await drain(bot)
    assert len(texts_to(bot, WARDEN.telegram_id, "⏰")) == 2
    assert len(texts_to(bot, COORDINATORS_CHAT, "⚠️ Missed check-in")) == 1
    assert len(texts_to(bot, COORDINATOR.telegram_id, "⚠️ Missed check-in")) == 1
    assert len(texts_to(bot, ADMIN.telegram_id, "⚠️ Missed check-in")) == 2  # steps 1 and 2
    assert len(texts_to(bot, OFFICER.telegram_id, "⚠️ Missed check-in")) == 1  # step 2


async def test_need_help_is_repeated_until_someone_is_contacting_them(bot: BotHarness) -> None:
    await lone_warden(bot)
    warden = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    assert warden is not None
    await bot.store.safety.raise_help(warden, group_chat_id=COORDINATORS_CHAT)
    await drain(bot)
    first = texts_to(bot, COORDINATORS_CHAT, "🆘 NEED HELP")
    assert len(first) == 1

    bot.clock.advance(minutes=10)
    assert await check_on_lone_workers(bot.app.services) == 1
    await drain(bot)
    assert texts_to(bot, COORDINATORS_CHAT, "🆘 NEED HELP · repeat 1")

    copy = next(m for m in bot.api.sent_to(COORDINATOR.telegram_id) if "NEED HELP" in m.plain)
    await bot.tg.press(COORDINATOR, copy, "contacting")
    await drain(bot)
    assert texts_to(bot, WARDEN.telegram_id, "📞") == [
        "📞 Cora Coordinator is contacting you now (21:10)."
    ]
    for minutes in (10, 10, 10):
        bot.clock.advance(minutes=minutes)
        await check_on_lone_workers(bot.app.services)
    await drain(bot)
    assert len(texts_to(bot, COORDINATORS_CHAT, "🆘 NEED HELP")) == 2  # no more repeats


async def test_the_job_runs_every_30_seconds_and_at_once_on_start(bot: BotHarness) -> None:
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(STAFF_SAFETY_JOB)
    assert job.trigger.interval == timedelta(seconds=30)
    assert FIRST_SECONDS <= 2
