"""Closing duty sessions left open past their shift (or past the default length)."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import BotContext, Services
from bot.domain.shifts.duty import duty_closes
from bot.jobs.repeating import every
from bot.texts import duty as duty_texts

log = logging.getLogger(__name__)

CLOSE_STALE_JOB = "close-stale-duty"
CLOSE_STALE_SECONDS = 5 * 60


async def close_stale_duty(services: Services, *, member_id: int | None = None) -> int:
    """Close every duty still open past its closing time (bot.duty); how many were closed.

    Each is closed as at its closing time, not when this runs, so hours stay right after
    downtime; the member is told through the outbox, in the same transaction.
    """
    store, tz, now = services.store, services.settings.tz, services.clock.now()
    open_sessions = [
        d for d in await store.duty.open_sessions() if member_id is None or d.member.id == member_id
    ]
    if not open_sessions:
        return 0
    patterns = await store.shifts.patterns()
    closed = 0
    for on_duty in open_sessions:
        duty, member = on_duty.session, on_duty.member
        closes = duty_closes(patterns, tz, duty.started_at)
        if closes.at > now:
            continue
        notice = duty_texts.duty_closed_automatically(
            duty_texts.duty_since(closes.at, now, tz), after_shift=closes.shift is not None
        )
        told = member.is_active  # a suspended member hears nothing more from the bot
        if await store.duty.close_automatically(
            duty.id or 0,
            at=closes.at,
            chat_id=member.telegram_id if told else None,
            notice=notice if told else None,
        ):
            closed += 1
    if closed:
        log.info("closed %s duty session(s) left open after their shift", closed)
        services.outbox_wakeup.set()
    return closed


async def _close_stale_job(context: BotContext) -> None:
    await close_stale_duty(context.services)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    every(application, _close_stale_job, name=CLOSE_STALE_JOB, seconds=CLOSE_STALE_SECONDS)
