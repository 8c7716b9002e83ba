"""Retention: the daily job that purges what is past its period (bot.retention).

Every night at 04:30 in the partnership's time zone (the quietest hour, after the late
shift's digest) `purge_expired` clears or anonymises free text and person details older
than their settings and deletes old sent outbox rows, audit rows and abandoned drafts.
Counts stay. Only the counts per kind are logged and audited, never what was purged.
"""

from __future__ import annotations

import logging
from datetime import time

from telegram.ext import Application

from bot.context import BotContext, OpsApplication, Services
from bot.domain.retention import PurgeCounts, RetentionPolicy
from bot.jobs.repeating import daily

log = logging.getLogger(__name__)

RETENTION_JOB = "retention-purge"
RETENTION_AT = time(4, 30)  # local time (the application's Defaults carry the zone)


async def purge_expired(services: Services) -> PurgeCounts:
    """Purge everything past its retention period now; what went, per kind."""
    settings = services.settings
    counts = await services.store.retention.purge(
        services.clock.now(), RetentionPolicy.from_settings(settings), via="daily job"
    )
    log.info("retention purge: %s", counts.summary())
    return counts


async def _retention_job(context: BotContext) -> None:
    application = context.application
    counts = await purge_expired(context.services)
    # The running bot holds its users' data in memory and writes it back when it changes:
    # forget the drafts purged from the table, so they cannot come back.
    for user_id in counts.draft_user_ids:
        if user_id in application.user_data:
            application.drop_user_data(user_id)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    tz = application.services.settings.tz if isinstance(application, OpsApplication) else None
    daily(application, _retention_job, name=RETENTION_JOB, at=RETENTION_AT.replace(tzinfo=tz))
