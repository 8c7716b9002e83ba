"""The escalation ladder: each step to its people, once, across restarts and two instances;
it stops the moment someone acknowledges."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.alerts.escalation import EscalationLadder, escalation_plan, nearest_members
from bot.domain.alerts.escalation import OnDutyPosition as Position
from bot.jobs.escalation import ESCALATION_JOB, escalate_overdue
from bot.texts import common as common_texts
from storage.alerts.alert_copies import ESCALATION_KIND
from tests.support.alerting import (
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

FIRST = "Not yet acknowledged after 5 minutes"
SECOND = "Not yet acknowledged after 10 minutes"
# Step 1: coordinators privately and the group (the admin is a coordinator too). Step 2:
# admins and everyone on duty.
STEP_ONE = (COORDINATORS_CHAT, ADMIN.telegram_id, COORDINATOR.telegram_id)
STEP_TWO = (ADMIN.telegram_id, OFFICER.telegram_id, WARDEN.telegram_id, COORDINATOR.telegram_id)


# ---- the ladder, as plain rules ------------------------------------------------------------
def test_the_default_ladder() -> None:
    ladder = EscalationLadder()
    steps = ladder.steps()
    assert [s.minutes for s in steps] == [5, 10, 20, 30, 40, 50, 60, 70]
    first, second, third = steps[:3]
    assert (first.coordinators, first.group, first.admins, first.on_duty) == (
        True, True, False, False,
    )  # fmt: skip
    assert (second.coordinators, second.group, second.admins, second.on_duty) == (
        False, False, True, True,
    )  # fmt: skip
    assert (third.coordinators, third.group, third.admins, third.on_duty) == (True,) * 4
    assert ladder.last_after == timedelta(minutes=70)
    assert [s.number for s in ladder.due(timedelta(minutes=9, seconds=59))] == [1]
    assert ladder.due(timedelta(minutes=4)) == []


def test_a_ladder_needs_its_steps_in_order() -> None:
    with pytest.raises(ValueError):
        EscalationLadder(first_minutes=10, second_minutes=10)
    assert EscalationLadder(repeats=0).length == 2


def test_after_downtime_only_the_latest_step_due_goes_out() -> None:
    ladder = EscalationLadder()
    due = ladder.due(timedelta(minutes=25))  # steps 1, 2 and 3
    step, skipped = escalation_plan(due, recorded=set())
    assert step is not None and step.number == 3
    assert [s.number for s in skipped] == [1, 2]
    assert escalation_plan(due, recorded={1, 2, 3}) == (None, [])
    step, skipped = escalation_plan(due, recorded={1})
    assert step is not None and step.number == 3 and [s.number for s in skipped] == [2]


def test_nearest_members_are_the_closest_few_within_the_radius() -> None:
    place = (51.5072, -0.1276)
    positions = [
        Position(1, 51.5073, -0.1276),  # ~11 m
        Position(2, 51.5080, -0.1276),  # ~89 m
        Position(3, 51.5090, -0.1276),  # ~200 m
        Position(4, 51.5076, -0.1276),  # ~44 m
        Position(5, 51.5300, -0.1276),  # ~2.5 km
    ]
    nearest = nearest_members(positions, *place, within_m=500)
    assert list(nearest) == [1, 4, 2]  # the closest three, closest first
    assert nearest_members(positions, *place, within_m=20) == {1: pytest.approx(11.1, abs=1)}
    assert nearest_members(positions, *place, within_m=0) == {}


# ---- the ladder at work --------------------------------------------------------------------
async def test_the_ladder_climbs_step_by_step_each_once(bot: BotHarness) -> None:
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
    assert await escalate_overdue(services) == 0  # once only
    await drain(bot)

    for chat_id in STEP_ONE:
        [escalation] = delivered(bot, chat_id, FIRST)
        assert "Weapon seen · R-0001" in escalation.plain
        assert "Reported by Rita Reporter (Police officer)" in escalation.plain
        assert common_texts.IF_LIFE_AT_RISK in escalation.plain
        assert button_labels(escalation)[0] == "✅ Acknowledge"
    for person in (OFFICER, WARDEN, OUTREACH, REPORTER):
        assert delivered(bot, person.telegram_id, FIRST) == [], person

    bot.clock.advance(minutes=5)
    assert await escalate_overdue(services) == 1
    await drain(bot)
    for chat_id in STEP_TWO:
        assert len(delivered(bot, chat_id, SECOND)) == 1, chat_id
    for chat_id in (COORDINATORS_CHAT, OUTREACH.telegram_id, REPORTER.telegram_id):
        assert delivered(bot, chat_id, SECOND) == [], chat_id

    bot.clock.advance(minutes=10)  # 20 minutes: the first repeat, to everyone
    assert await escalate_overdue(services) == 1
    await drain(bot)
    for chat_id in (*STEP_ONE, *STEP_TWO):
        assert len(delivered(bot, chat_id, "after 20 minutes")) == 1, chat_id
    assert delivered(bot, REPORTER.telegram_id) == []  # the reporter is never escalated to

    recorded = [r for r in await bot.store.ledger.runs() if r.kind == ESCALATION_KIND]
    assert recorded == []  # the schedule's own listing leaves escalations out
    assert await bot.store.ledger.newest() is None


async def test_the_ladder_ends_after_its_repeats(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    services = bot.app.services
    sent = 0
    for _ in range(40):
        bot.clock.advance(minutes=5)
        sent += await escalate_overdue(services)
    assert sent == EscalationLadder().length  # 2 steps and 6 repeats, then silence


async def test_acknowledging_stops_the_ladder_at_once(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    bot.clock.advance(minutes=5)
    await escalate_overdue(bot.app.services)
    await drain(bot)
    [escalation] = delivered(bot, COORDINATORS_CHAT, FIRST)

    await bot.tg.press(COORDINATOR, escalation, "Acknowledge")
    await drain(bot)

    for chat_id in STEP_ONE:  # the alert and the escalation both show it
        for copy in delivered(bot, chat_id):
            assert "Acknowledged by Cora Coordinator at 21:05" in copy.plain, chat_id
            assert "✅ Acknowledge" not in button_labels(copy)
    bot.clock.advance(minutes=60)
    assert await escalate_overdue(bot.app.services) == 0
    await drain(bot)
    assert delivered(bot, COORDINATORS_CHAT, SECOND) == []


async def test_attending_alone_does_not_stop_the_ladder(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    bot.clock.advance(minutes=5)
    assert await escalate_overdue(bot.app.services) == 1
    await drain(bot)
    [escalation] = delivered(bot, COORDINATORS_CHAT, FIRST)
    assert "🚶 Attending: Wendy Warden" in escalation.plain  # who is already going


async def test_an_edited_escalation_keeps_its_heading(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    bot.clock.advance(minutes=5)
    await escalate_overdue(bot.app.services)
    await drain(bot)

    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    await drain(bot)

    [escalation] = delivered(bot, COORDINATORS_CHAT, FIRST)
    assert escalation.edits == 1 and "🚶 Attending: Wendy Warden" in escalation.plain


async def test_closing_the_report_stops_the_ladder(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.store.reports.close(1, by=members.coordinator, outcome="False alarm")
    bot.clock.advance(minutes=30)
    assert await escalate_overdue(bot.app.services) == 0


async def test_after_downtime_the_ladder_resumes_where_it_stands(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    bot.clock.advance(minutes=25)  # the bot was down through steps 1 and 2

    assert await escalate_overdue(bot.app.services) == 1
    await drain(bot)

    assert len(delivered(bot, COORDINATORS_CHAT, "after 20 minutes")) == 1
    assert delivered(bot, COORDINATORS_CHAT, FIRST) == []  # no burst of missed steps
    assert await escalate_overdue(bot.app.services) == 0


async def test_two_instances_send_each_step_once(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    bot.clock.advance(minutes=5)

    sent = await asyncio.gather(
        *(escalate_overdue(bot.app.services, instance=f"instance-{n}") for n in range(4))
    )

    assert sum(sent) == 1
    await drain(bot)
    assert len(delivered(bot, COORDINATORS_CHAT, FIRST)) == 1
    rows = [r for r in await bot.store.outbox.for_report(1) if r.purpose == "escalation"]
    assert sorted(r.chat_id for r in rows) == sorted(STEP_ONE)


async def test_escalation_job_is_scheduled_every_30_seconds(bot: BotHarness) -> None:
    assert bot.app.job_queue is not None
    jobs = bot.app.job_queue.get_jobs_by_name(ESCALATION_JOB)
    assert len(jobs) == 1
    assert jobs[0].trigger.interval == timedelta(seconds=30)


async def test_the_ladder_comes_from_settings(store, clock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        TCAG_ALERT_ESCALATE_MINUTES="10",
        TCAG_ALERT_ESCALATE_SECOND_MINUTES="15",
        TCAG_ALERT_ESCALATE_REPEAT_MINUTES="30",
        TCAG_ALERT_ESCALATE_REPEATS="1",
    )
    harness = BotHarness(store, clock, settings)
    await harness.start()
    try:
        await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
        members = await team(harness)
        await file_urgent(harness, members.reporter)
        services = harness.app.services
        clock.advance(minutes=9)
        assert await escalate_overdue(services) == 0
        clock.advance(minutes=1)
        assert await escalate_overdue(services) == 1
        clock.advance(minutes=5)
        assert await escalate_overdue(services) == 1
        clock.advance(minutes=29)
        assert await escalate_overdue(services) == 0
        clock.advance(minutes=1)  # 45 minutes: the one repeat
        assert await escalate_overdue(services) == 1
        clock.advance(hours=2)
        assert await escalate_overdue(services) == 0
        await drain(harness)
        assert len(delivered(harness, COORDINATORS_CHAT, "after 10 minutes")) == 1
        assert len(delivered(harness, ADMIN.telegram_id, "after 15 minutes")) == 1
        assert len(delivered(harness, COORDINATORS_CHAT, "after 45 minutes")) == 1
    finally:
        await harness.stop()
