"""What a briefing covers: from the end of the last digest sent (the watermark)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.context import Services
from bot.domain.shifts.schedule_plan import RunKind, previous_shift_end
from bot.domain.shifts.shift_windows import ShiftOccurrence, ShiftPattern

DEFAULT_BRIEFING_SPAN = timedelta(hours=24)
MAX_BRIEFING_SPAN = timedelta(days=7)


async def briefing_since(
    services: Services,
    occurrence: ShiftOccurrence,
    patterns: list[ShiftPattern],
    now: datetime,
) -> datetime:
    """Where a briefing's window starts: the end of the last digest sent, else of the last
    shift, else a day before; never more than a week back."""
    earliest = now - MAX_BRIEFING_SPAN
    watermark = await services.store.ledger.last_window_end(
        RunKind.DIGEST, not_after=now, since=earliest
    )
    if watermark is None:
        watermark = previous_shift_end(patterns, services.settings.tz, occurrence, now)
    if watermark is None:
        watermark = now - DEFAULT_BRIEFING_SPAN
    return max(watermark, earliest)
