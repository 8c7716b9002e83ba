"""Duty rules: which shift a member's duty belongs to, and when duty left open is closed.

Pure domain (no Telegram, no database). A member goes on duty with /on and off with /off;
people forget /off, so a duty still open is closed automatically:
- 2 hours after the end of its shift: the shift in progress when /on was sent, or else
  the next one starting within 2 hours (someone arriving early for it);
- with no shift at all, 12 hours after /on.
The closing time is worked out again from the current patterns whenever it is needed, so
it needs no stored column; it is never more than MAX_DUTY after /on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.shifts.shift_windows import (
    ShiftOccurrence,
    ShiftPattern,
    current_occurrence,
    occurrences,
)

CLOSE_AFTER_SHIFT = timedelta(hours=2)  # duty left open ends this long after its shift
EARLY_START = timedelta(hours=2)  # /on this long before a shift starts belongs to it
WITHOUT_SHIFT = timedelta(hours=12)  # duty with no shift at all ends after this long
# The longest shift lasts under 25 hours (a day plus a DST hour), so no duty can run longer
# than an early start, that shift and the time after it; queries may rely on this bound.
MAX_DUTY = EARLY_START + timedelta(hours=25) + CLOSE_AFTER_SHIFT


@dataclass(frozen=True)
class DutyClose:
    """When a duty started at some time is closed if still open, and why."""

    at: datetime
    shift: ShiftOccurrence | None  # None: no shift, closed WITHOUT_SHIFT after /on


def duty_shift(
    patterns: list[ShiftPattern], tz: ZoneInfo, started_at: datetime
) -> ShiftOccurrence | None:
    """The shift a duty started at `started_at` belongs to, or None.

    The shift in progress (the one ending last if shifts overlap), else the first one
    starting within EARLY_START.
    """
    running = [
        occurrence
        for pattern in patterns
        if (occurrence := current_occurrence(pattern, tz, started_at)) is not None
    ]
    if running:
        return max(running, key=lambda o: (o.ends_at, o.starts_at))
    until = started_at + EARLY_START
    upcoming = [
        occurrence
        for pattern in patterns
        for occurrence in occurrences(pattern, tz, started_at, until + timedelta(seconds=1))
        if occurrence.starts_at <= until
    ]
    if not upcoming:
        return None
    return min(upcoming, key=lambda o: (o.starts_at, -o.ends_at.timestamp()))


def duty_closes(patterns: list[ShiftPattern], tz: ZoneInfo, started_at: datetime) -> DutyClose:
    """When a duty started at `started_at` is closed automatically if nobody sends /off."""
    shift = duty_shift(patterns, tz, started_at)
    if shift is None:
        return DutyClose(started_at + WITHOUT_SHIFT, None)
    return DutyClose(min(shift.ends_at + CLOSE_AFTER_SHIFT, started_at + MAX_DUTY), shift)


def shifts_now(patterns: list[ShiftPattern], tz: ZoneInfo, at: datetime) -> list[ShiftOccurrence]:
    """The shifts in progress at `at`, earliest start first."""
    running = [
        occurrence
        for pattern in patterns
        if (occurrence := current_occurrence(pattern, tz, at)) is not None
    ]
    return sorted(running, key=lambda o: (o.starts_at, o.pattern_name))


# ---- the member's own location while on duty -----------------------------------------------
@dataclass(frozen=True)
class OwnLocation:
    """Where a member on duty last was: the point shared with /on, or their live location.

    Used only for their own reports and alerts; never shown to anyone else. Cleared when
    their duty ends.
    """

    lat: float
    lon: float
    at: datetime  # when the point was taken (a live location's last update)

    def is_fresh(self, now: datetime, max_age: timedelta) -> bool:
        """Taken within max_age of now; a point from the future (clock skew) is fresh."""
        return now - self.at <= max_age

    def age_minutes(self, now: datetime) -> int:
        return max(0, int((now - self.at).total_seconds() // 60))


def fresh_location(
    location: OwnLocation | None, now: datetime, max_age: timedelta
) -> OwnLocation | None:
    """The location if it is fresh enough to stand for where the member is now."""
    if location is None or not location.is_fresh(now, max_age):
        return None
    return location
