"""Escalating urgent alerts that nobody acknowledged in time."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext, Services
from bot.jobs.repeating import every

log = logging.getLogger(__name__)

ESCALATION_JOB = "escalate-overdue-alerts"
ESCALATION_CHECK_SECONDS = 30


async def escalate_overdue(services: Services) -> int:
    """Escalate every urgent report unacknowledged for too long, each once; how many."""
    settings, reports = services.settings, services.store.reports
    overdue = await reports.due_for_escalation(
        older_than=timedelta(minutes=settings.alert_escalate_minutes)
    )
    escalated = 0
    for report_id in overdue:
        if await reports.escalate(report_id, group_chat_id=settings.coordinators_chat_id):
            escalated += 1
    if escalated:
        log.info("escalated %s unacknowledged urgent report(s)", escalated)
        services.outbox_wakeup.set()
    return escalated


async def _escalation_job(context: BotContext) -> None:
    await escalate_overdue(context.services)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    every(application, _escalation_job, name=ESCALATION_JOB, seconds=ESCALATION_CHECK_SECONDS)
