"""Checking on lone workers: every 30 seconds (and 2 seconds after a start, so a check-in
that fell due while the bot was down goes at once), each session's due stage is claimed
once in the schedule ledger with its messages: the check-in, the reminder, the missed
check-in's alert and its steps up the ladder (bot.domain.alerts.staff_safety). An
unacknowledged "Need help" is sent again on the ladder's repeat interval, also once each.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext, Services
from bot.domain.access.roles import Status
from bot.domain.alerts.staff_safety import (
    Due,
    Stage,
    help_plan,
    help_repeat_steps,
)
from bot.jobs.alert_messages import ladder_of
from bot.jobs.repeating import every
from bot.jobs.safety_messages import checkin_plan
from bot.jobs.scheduler import default_instance
from bot.keyboards import safety as keyboards
from bot.texts import common as common_texts
from bot.texts import safety as texts
from storage.safety.checkins import Running, StageMessage

log = logging.getLogger(__name__)

STAFF_SAFETY_JOB = "check-on-lone-workers"
CHECK_SECONDS = 30
FIRST_SECONDS = 2
LOOK_BACK = timedelta(days=1)


def stage_message(services: Services, running: Running, due: Due) -> StageMessage | None:
    """The member's check-in or reminder, with its buttons."""
    settings = services.settings
    session = running.session
    markup = json.dumps(keyboards.checkin(session.id or 0).to_dict())
    if due.stage is Stage.CHECKIN:
        seen = common_texts.local_time(session.last_seen_at, settings.tz)
        return StageMessage(texts.checkin_question(session.every_minutes, seen), markup)
    if due.stage is Stage.REMINDER:
        return StageMessage(texts.checkin_reminder(settings.checkin_remind_minutes), markup)
    return None


async def check_on_lone_workers(services: Services, *, instance: str | None = None) -> int:
    """Claim and queue every stage due now; how many were sent."""
    store, settings = services.store, services.settings
    claimant = instance or default_instance()
    plan = checkin_plan(settings)
    await store.checkins.end_orphaned()
    running = [r for r in await store.checkins.running() if r.member.status is Status.ACTIVE]
    services.lone_workers.ids = {r.member.id or 0 for r in running}
    services.lone_workers.known = True
    recorded = await store.checkins.recorded([r.session.id or 0 for r in running])
    now = services.clock.now()
    sent = alerted = 0
    for one in running:
        session = one.session
        due, skipped = plan.plan(
            now,
            last_seen_at=session.last_seen_at,
            every=timedelta(minutes=session.every_minutes),
            asked_at=session.asked_at,
            recorded=recorded.get(session.id or 0, set()),
            session_id=session.id or 0,
        )
        for missed in skipped:
            await store.checkins.claim(one, missed, claimed_by=claimant, send=False)
        if due is None:
            continue
        if await store.checkins.claim(
            one,
            due,
            claimed_by=claimant,
            message=stage_message(services, one, due),
            group_chat_id=settings.coordinators_chat_id,
        ):
            sent += 1
            alerted += due.stage is Stage.ALERT
    repeated = await _repeat_help(services, claimant)
    if sent or repeated:
        log.info("staff safety: %s check-in stage(s), %s help repeat(s)", sent, repeated)
        services.outbox_wakeup.set()
    if alerted or repeated:
        services.safety_wakeup.set()
    return sent + repeated


async def _repeat_help(services: Services, claimant: str) -> int:
    steps = help_repeat_steps(ladder_of(services.settings))
    if not steps:
        return 0
    now = services.clock.now()
    store = services.store.safety
    repeated = 0
    for alert, keys in await store.open_help(raised_after=now - steps[-1].after - LOOK_BACK):
        recorded = {int(k.rsplit(":", 1)[1]) for k in keys}
        step, skipped = help_plan(steps, now - alert.raised_at, recorded)
        for missed in skipped:
            await store.repeat_help(
                alert.id or 0,
                missed,
                scheduled_at=alert.raised_at + missed.after,
                claimed_by=claimant,
                group_chat_id=None,
                send=False,
            )
        if step is not None and await store.repeat_help(
            alert.id or 0,
            step,
            scheduled_at=alert.raised_at + step.after,
            claimed_by=claimant,
            group_chat_id=services.settings.coordinators_chat_id,
        ):
            repeated += 1
    return repeated


async def _job(context: BotContext) -> None:
    await check_on_lone_workers(context.services)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    every(application, _job, name=STAFF_SAFETY_JOB, seconds=CHECK_SECONDS, first=FIRST_SECONDS)
