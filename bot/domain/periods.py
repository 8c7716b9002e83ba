"""Periods coordinators ask for: quarters ("2026Q3"), date ranges for exports, /stats periods.

Pure domain. Every period is a half-open window [start, end) of aware UTC instants whose
bounds are local midnights in the partnership's timezone, so "Q3" and "2026-07-01" mean
what the people in the town centre mean by them, whatever the season's UTC offset.
Bad input raises PeriodError with a PeriodProblem; bot.texts words it for people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.shifts.shift_windows import (
    ShiftOccurrence,
    ShiftPattern,
    current_occurrence,
    next_occurrence,
    previous_occurrence,
    to_utc,
)

MAX_EXPORT_DAYS = 366  # a year, leap years included
MAX_STATS_DAYS = 366
FIRST_YEAR, LAST_YEAR = 2000, 2100

_QUARTER_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-9]\d*)$")
_QUARTER_FIRST = re.compile(r"^q([1-9]\d*)\s*[-/ ]?\s*(\d{4})$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAYS = re.compile(r"^(\d{1,4})\s*(?:d|day|days)$")


class PeriodProblem(StrEnum):
    MISSING = "missing"  # nothing given
    BAD_QUARTER = "bad_quarter"  # not like 2026Q3
    QUARTER_NUMBER = "quarter_number"  # Q5
    YEAR_RANGE = "year_range"  # 1850Q1
    BAD_DATE = "bad_date"  # not YYYY-MM-DD, or no such day
    FROM_AFTER_TO = "from_after_to"
    TOO_LONG = "too_long"  # a range over a year
    BAD_PERIOD = "bad_period"  # /stats with something else than 7d, 30d, quarter
    NOT_STARTED = "not_started"  # a quarter still in the future


class PeriodError(ValueError):
    def __init__(self, problem: PeriodProblem, given: str = "") -> None:
        super().__init__(f"{problem.value}: {given!r}")
        self.problem = problem
        self.given = given


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return to_utc(datetime.combine(day, datetime.min.time()), tz)


# ---- quarters ----------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise PeriodError(PeriodProblem.QUARTER_NUMBER, str(self.number))
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(PeriodProblem.YEAR_RANGE, str(self.year))

    @property
    def label(self) -> str:
        """2026Q3: the form the command line and file names use."""
        return f"{self.year}Q{self.number}"

    @property
    def title(self) -> str:
        """Q3 2026 (July–September): the form people read."""
        first, last = self.months[0], self.months[-1]
        return f"Q{self.number} {self.year} ({first.strftime('%B')}–{last.strftime('%B')})"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def months(self) -> tuple[date, date, date]:
        """The first day of each of its three months."""
        month = 3 * self.number - 2
        return (
            date(self.year, month, 1),
            date(self.year, month + 1, 1),
            date(self.year, month + 2, 1),
        )

    @property
    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight on its first day to that of the next quarter's."""
        return _local_midnight(self.first_day, tz), _local_midnight(self.next.first_day, tz)

    def month_bounds(self, tz: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
        """(first day, start, end) of each month, in order."""
        firsts = [*self.months, self.next.first_day]
        return [
            (firsts[i], _local_midnight(firsts[i], tz), _local_midnight(firsts[i + 1], tz))
            for i in range(3)
        ]

    @classmethod
    def containing(cls, at: datetime, tz: ZoneInfo) -> Quarter:
        local = at.astimezone(tz).date()
        return cls(local.year, (local.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    """'2026Q3', '2026-Q3', '2026 q3', 'Q3 2026' → Quarter(2026, 3)."""
    cleaned = " ".join(text.split()).casefold()
    if not cleaned:
        raise PeriodError(PeriodProblem.MISSING)
    match = _QUARTER_YEAR_FIRST.match(cleaned)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
    else:
        match = _QUARTER_FIRST.match(cleaned)
        if not match:
            raise PeriodError(PeriodProblem.BAD_QUARTER, text.strip())
        number, year = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 4:
        raise PeriodError(PeriodProblem.QUARTER_NUMBER, text.strip())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(PeriodProblem.YEAR_RANGE, text.strip())
    return Quarter(year, number)


def parse_reportable_quarter(text: str, *, now: datetime, tz: ZoneInfo) -> Quarter:
    """A quarter that has begun (the current one is reported so far)."""
    quarter = parse_quarter(text)
    start, _ = quarter.bounds(tz)
    if start > now:
        raise PeriodError(PeriodProblem.NOT_STARTED, quarter.label)
    return quarter


# ---- date ranges (exports) ---------------------------------------------------------------
@dataclass(frozen=True)
class DateRange:
    """Whole local days first..last inclusive, as the UTC window [start, end)."""

    first: date
    last: date
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def each_day(self, tz: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
        """(day, start, end) of every day in the range, in order."""
        days = [self.first + timedelta(days=n) for n in range(self.days + 1)]
        return [
            (days[i], _local_midnight(days[i], tz), _local_midnight(days[i + 1], tz))
            for i in range(self.days)
        ]


def parse_date(text: str) -> date:
    """'2026-07-01' (or 2026-7-1); PeriodError for anything else or a day that doesn't exist."""
    match = _DATE.match(text.strip())
    if not match:
        raise PeriodError(PeriodProblem.BAD_DATE, text.strip())
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise PeriodError(PeriodProblem.BAD_DATE, text.strip()) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(PeriodProblem.BAD_DATE, text.strip())
    return day


def parse_date_range(
    first_text: str, last_text: str, tz: ZoneInfo, *, max_days: int = MAX_EXPORT_DAYS
) -> DateRange:
    if not first_text.strip() or not last_text.strip():
        raise PeriodError(PeriodProblem.MISSING)
    first, last = parse_date(first_text), parse_date(last_text)
    if first > last:
        raise PeriodError(PeriodProblem.FROM_AFTER_TO, f"{first} {last}")
    if (last - first).days + 1 > max_days:
        raise PeriodError(PeriodProblem.TOO_LONG, f"{first} {last}")
    return DateRange(
        first, last, _local_midnight(first, tz), _local_midnight(last + timedelta(days=1), tz)
    )


# ---- /stats periods ----------------------------------------------------------------------
@dataclass(frozen=True)
class StatsPeriod:
    start: datetime
    end: datetime
    label: str  # "last 7 days", "Q3 2026 so far", "Q2 2026"


def parse_stats_period(text: str, *, now: datetime, tz: ZoneInfo) -> StatsPeriod:
    """'7d', '30d' (any 1–366 days back from now), 'quarter' (this one so far), '2026Q2'."""
    cleaned = " ".join(text.split()).casefold()
    if not cleaned:
        raise PeriodError(PeriodProblem.MISSING)
    days = _DAYS.match(cleaned)
    if days:
        count = int(days.group(1))
        if not 1 <= count <= MAX_STATS_DAYS:
            raise PeriodError(PeriodProblem.BAD_PERIOD, text.strip())
        label = "the last 24 hours" if count == 1 else f"the last {count} days"
        return StatsPeriod(now - timedelta(days=count), now, label)
    if cleaned in ("quarter", "q", "this quarter"):
        quarter = Quarter.containing(now, tz)
        start, _ = quarter.bounds(tz)
        return StatsPeriod(start, now, f"Q{quarter.number} {quarter.year} so far")
    try:
        quarter = parse_quarter(cleaned)
    except PeriodError:
        raise PeriodError(PeriodProblem.BAD_PERIOD, text.strip()) from None
    start, end = quarter.bounds(tz)
    if start >= now:
        raise PeriodError(PeriodProblem.BAD_PERIOD, text.strip())
    if end > now:
        return StatsPeriod(start, now, f"Q{quarter.number} {quarter.year} so far")
    return StatsPeriod(start, end, f"Q{quarter.number} {quarter.year}")


# ---- which shift /brief and /digest are about ---------------------------------------------
def briefing_occurrence(
    patterns: Sequence[ShiftPattern], tz: ZoneInfo, now: datetime
) -> ShiftOccurrence | None:
    """The shift in progress (the latest to start), else the next to start; None: no shifts."""
    running = [o for p in patterns if (o := current_occurrence(p, tz, now)) is not None]
    if running:
        return max(running, key=lambda o: (o.starts_at, o.pattern_name))
    upcoming = [next_occurrence(p, tz, now) for p in patterns]
    return min(upcoming, key=lambda o: (o.starts_at, o.pattern_name)) if upcoming else None


@dataclass(frozen=True)
class DigestShift:
    occurrence: ShiftOccurrence
    start: datetime
    end: datetime  # now, for a shift still running
    running: bool


def digest_shift(
    patterns: Sequence[ShiftPattern], tz: ZoneInfo, now: datetime
) -> DigestShift | None:
    """The shift in progress (its digest so far), else the one that ended last."""
    running = [o for p in patterns if (o := current_occurrence(p, tz, now)) is not None]
    if running:
        occurrence = max(running, key=lambda o: (o.starts_at, o.pattern_name))
        return DigestShift(occurrence, occurrence.starts_at, now, True)
    ended: list[ShiftOccurrence] = []
    for pattern in patterns:
        occurrence = previous_occurrence(pattern, tz, now)
        while occurrence.ends_at > now:  # defensive: not running, so it has ended
            occurrence = previous_occurrence(pattern, tz, occurrence.starts_at)
        ended.append(occurrence)
    if not ended:
        return None
    occurrence = max(ended, key=lambda o: (o.ends_at, o.pattern_name))
    return DigestShift(occurrence, occurrence.starts_at, occurrence.ends_at, False)
