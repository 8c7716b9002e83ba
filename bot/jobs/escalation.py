"""Escalating urgent alerts and safeguarding concerns nobody acknowledged: each ladder, one
step at a time.

Every 30 seconds the job looks at open urgent reports nobody acknowledged and sends the
step of the ladder (bot.domain.alerts.escalation) each has reached, if not sent already. Each step
is claimed in the schedule ledger in the transaction that queues its messages, so it goes
out once, across restarts and with two instances on one database; a step that fell due
while an even later one did (the bot was down) is recorded as skipped. Acknowledging stops
the ladder at once: a claim re-checks the report in its own transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext, Services
from bot.domain.alerts.escalation import escalation_plan
from bot.jobs.alert_messages import ladder_of
from bot.jobs.cctv import escalate_cctv_requests
from bot.jobs.concern_messages import concern_ladder
from bot.jobs.repeating import every
from bot.jobs.scheduler import default_instance

log = logging.getLogger(__name__)

ESCALATION_JOB = "escalate-overdue-alerts"
ESCALATION_CHECK_SECONDS = 30
# After a start (a restart, say) the ladder is looked at at once, not half a minute later.
ESCALATION_FIRST_SECONDS = 2
# A report whose whole ladder ended this long ago is no longer looked at.
LOOK_BACK_AFTER_LADDER = timedelta(days=1)


async def escalate_overdue(services: Services, *, instance: str | None = None) -> int:
    """Send each unacknowledged alert's due step of the ladder, once; how many were sent."""
    settings, alerts, clock = services.settings, services.store.alerts, services.clock
    ladder = ladder_of(settings)
    now = clock.now()
    first = ladder.step(1)
    assert first is not None
    candidates = await alerts.unacknowledged(
        filed_after=now - ladder.last_after - LOOK_BACK_AFTER_LADDER, older_than=first.after
    )
    claimant = instance or default_instance()
    sent = 0
    for report_id, filed_at, recorded in candidates:
        step, skipped = escalation_plan(ladder.due(now - filed_at), recorded)
        for missed in skipped:
            await alerts.escalate(
                report_id, missed, group_chat_id=None, claimed_by=claimant, send=False
            )
        if step is not None and await alerts.escalate(
            report_id,
            step,
            group_chat_id=settings.coordinators_chat_id,
            claimed_by=claimant,
        ):
            sent += 1
    if sent:
        log.info("escalated %s unacknowledged urgent report(s)", sent)
        services.outbox_wakeup.set()
    return sent


async def escalate_overdue_concerns(services: Services, *, instance: str | None = None) -> int:
    """Send each unacknowledged safeguarding concern's due step of its own ladder (every
    lead again, then the admins), once; how many were sent. The same ledger as the alerts'."""
    concerns, clock = services.store.concerns, services.clock
    ladder = concern_ladder(services.settings)
    now = clock.now()
    candidates = await concerns.unacknowledged(
        raised_after=now - ladder.last_after - LOOK_BACK_AFTER_LADDER,
        older_than=ladder.first_after,
    )
    claimant = instance or default_instance()
    sent = 0
    for concern_id, raised_at, recorded in candidates:
        step, skipped = escalation_plan(ladder.due(now - raised_at), recorded)
        for missed in skipped:
            await concerns.escalate(concern_id, missed, claimed_by=claimant, send=False)
        if step is not None and await concerns.escalate(concern_id, step, claimed_by=claimant):
            sent += 1
    if sent:
        log.info("escalated %s unacknowledged safeguarding concern(s)", sent)
        services.outbox_wakeup.set()
    return sent


async def _escalation_job(context: BotContext) -> None:
    await escalate_overdue(context.services)
    # Unanswered CCTV review requests climb their own ladder on the same beat.
    await escalate_cctv_requests(context.services)
    await escalate_overdue_concerns(context.services)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    every(
        application,
        _escalation_job,
        name=ESCALATION_JOB,
        seconds=ESCALATION_CHECK_SECONDS,
        first=ESCALATION_FIRST_SECONDS,
    )
