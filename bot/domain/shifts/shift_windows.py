"""Shift patterns and the real instants their occurrences start and end.

Pure domain: a pattern is written in the partnership's wall-clock time ("Fri, Sat 20:00–03:00",
Europe/London), while briefings, digests and stored watermarks need exact UTC instants. All the
timezone and DST reasoning lives here so the scheduler, the digest and the tests share one answer.

Conventions (every function follows them):
- Instants going in must be aware; instants coming out are aware UTC.
- Windows are half-open: a shift starting exactly at `since` is in, one starting at `until` is out.
- A local start time that does not exist (spring-forward gap) moves to the first valid instant.
- A local time that happens twice (autumn fold) means the first of the two (fold=0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

__all__ = [
    "ALL_DAYS",
    "ShiftOccurrence",
    "ShiftPattern",
    "Weekday",
    "briefing_time",
    "current_occurrence",
    "digest_time",
    "format_clock",
    "format_weekdays",
    "next_occurrence",
    "occurrence_on",
    "occurrences",
    "parse_clock",
    "parse_weekdays",
    "previous_occurrence",
    "same_shift_last_week",
    "to_utc",
]


class Weekday(IntEnum):
    """Monday=0 … Sunday=6, the same numbering as `date.weekday()`."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def short_name(self) -> str:
        return _SHORT_NAMES[self]


_SHORT_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALL_DAYS: frozenset[int] = frozenset(range(7))

# Every spelling people actually type, mapped to the day number.
_DAY_WORDS: dict[str, int] = {
    **{name.lower(): day for day, name in enumerate(_SHORT_NAMES)},
    **{name: day for day, name in enumerate(_FULL_NAMES)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_ALL_DAYS_WORDS = frozenset({"daily", "every day", "everyday", "all", "all week"})
_GROUP_WORDS: dict[str, frozenset[int]] = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
}
_WEEKDAYS_HINT = 'Use day names like "fri,sat", a range like "mon-fri", or "daily".'


def parse_weekdays(text: str) -> frozenset[int]:
    """Parse "fri,sat", "Mon-Fri", "friday saturday", "weekends" or "daily" into Mon=0..Sun=6.

    A range wraps round the week ("fri-mon" is Fri, Sat, Sun, Mon) because night-time
    patterns often run over the weekend. Raises ValueError naming the part not understood.
    """
    cleaned = text.casefold().replace("–", "-").replace("—", "-").strip()
    if not cleaned:
        raise ValueError(f"Please give at least one day. {_WEEKDAYS_HINT}")
    if cleaned in _ALL_DAYS_WORDS:
        return ALL_DAYS

    days: set[int] = set()
    for chunk in cleaned.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue  # tolerate "fri, sat," and "fri,,sat"
        if chunk in _ALL_DAYS_WORDS:
            days |= ALL_DAYS
        elif "-" in chunk:
            days |= _parse_day_range(chunk)
        else:
            # Spaces separate days too ("fri sat"), so each word is a day or a group.
            for word in chunk.split():
                days |= _GROUP_WORDS.get(word) or {_parse_day(word)}
    if not days:
        raise ValueError(f"Please give at least one day. {_WEEKDAYS_HINT}")
    return frozenset(days)


def _parse_day_range(chunk: str) -> frozenset[int]:
    parts = [part.strip() for part in chunk.split("-")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f'"{chunk}" is not a range of days I understand. {_WEEKDAYS_HINT}')
    first, last = (_parse_day(part) for part in parts)
    span = (last - first) % 7
    return frozenset((first + step) % 7 for step in range(span + 1))


def _parse_day(word: str) -> int:
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    raise ValueError(f'"{word}" is not a day I know. {_WEEKDAYS_HINT}')


def format_weekdays(days: frozenset[int] | set[int]) -> str:
    """Short label for a set of days: "Fri, Sat", "Mon–Fri", "Mon, Wed–Fri", "Every day".

    Runs of three or more days become a range; two adjacent days stay a list, which reads
    better ("Sat, Sun" rather than "Sat–Sun"). The week is shown from Monday, not wrapped.
    """
    _check_days(days)
    if set(days) == ALL_DAYS:
        return "Every day"
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    labels: list[str] = []
    for run in runs:
        if len(run) >= 3:
            labels.append(f"{_SHORT_NAMES[run[0]]}–{_SHORT_NAMES[run[-1]]}")
        else:
            labels.extend(_SHORT_NAMES[day] for day in run)
    return ", ".join(labels)


def _check_days(days: frozenset[int] | set[int]) -> None:
    if not days:
        raise ValueError("A shift needs at least one day of the week.")
    bad = [day for day in days if not isinstance(day, int) or not 0 <= day <= 6]
    if bad:
        raise ValueError(f"Days of the week are numbered 0 (Mon) to 6 (Sun), not {bad!r}.")


def parse_clock(text: str) -> time:
    """Parse a 24-hour clock time: "20:00", "8:30", "20.00" or "0830".

    Seconds, am/pm and "24:00" are refused so a pattern means exactly one wall time.
    """
    cleaned = text.strip().replace(".", ":")
    if ":" in cleaned:
        hours, _, minutes = cleaned.partition(":")
    elif len(cleaned) == 4:
        hours, minutes = cleaned[:2], cleaned[2:]
    else:
        hours, minutes = "", ""
    # isascii() as well: str.isdigit() also accepts digits such as "²" and "٣".
    if (
        1 <= len(hours) <= 2
        and len(minutes) == 2
        and (hours + minutes).isascii()
        and (hours + minutes).isdigit()
        and int(hours) <= 23
        and int(minutes) <= 59
    ):
        return time(int(hours), int(minutes))
    raise ValueError(f'"{text.strip()}" is not a time I understand. Use 24-hour HH:MM, e.g. 20:00.')


def format_clock(value: time) -> str:
    """The inverse of parse_clock: "20:00", "08:30"."""
    return value.strftime("%H:%M")


@dataclass(frozen=True)
class ShiftPattern:
    """A shift starting at `start` local time on each listed weekday.

    It ends at `end` the same day, or the next day when `end <= start` (crosses midnight).
    Times are naive wall-clock times in the partnership's timezone, given separately.
    """

    name: str
    weekdays: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        name = self.name.strip()
        if not name:
            raise ValueError("A shift needs a name.")
        # Accept any iterable of day numbers (lists from JSON, sets) but store a frozenset,
        # so patterns stay hashable and compare equal however they were built.
        weekdays = frozenset(int(day) for day in self.weekdays)
        _check_days(weekdays)
        for label, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is not None:
                raise ValueError(f"The {label} time is a wall-clock time and takes no timezone.")
        if self.start == self.end:
            raise ValueError("A shift can't end at the time it starts.")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "weekdays", weekdays)

    @classmethod
    def from_text(cls, name: str, weekdays: str, start: str, end: str) -> ShiftPattern:
        """Build a pattern from what an admin typed, e.g. ("Late", "fri,sat", "20:00", "3:00")."""
        return cls(name, parse_weekdays(weekdays), parse_clock(start), parse_clock(end))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def describe(self) -> str:
        """One line for lists: "Late: Fri, Sat 20:00–03:00"."""
        days = format_weekdays(self.weekdays)
        return f"{self.name}: {days} {format_clock(self.start)}–{format_clock(self.end)}"


@dataclass(frozen=True)
class ShiftOccurrence:
    """One real shift: the pattern on one local date, as exact UTC instants."""

    pattern_name: str
    local_date: date  # the local date the shift starts on, even when it ends after midnight
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "starts_at")
        _require_aware(self.ends_at, "ends_at")
        # Only a shift lying wholly inside a spring-forward gap can be empty; never negative.
        if self.ends_at < self.starts_at:
            raise ValueError("A shift can't end before it starts.")
        object.__setattr__(self, "starts_at", self.starts_at.astimezone(UTC))
        object.__setattr__(self, "ends_at", self.ends_at.astimezone(UTC))

    @property
    def duration(self) -> timedelta:
        """Real elapsed time, so 20:00–03:00 is 8h on the night the clocks go back."""
        return self.ends_at - self.starts_at

    @property
    def key(self) -> str:
        """Stable identifier, e.g. "Friday late@2026-10-24", for job names and sent-markers."""
        return f"{self.pattern_name}@{self.local_date.isoformat()}"

    def contains(self, at: datetime) -> bool:
        """Whether `at` falls in this shift (start included, end excluded)."""
        _require_aware(at, "at")
        return self.starts_at <= at < self.ends_at


def _require_aware(value: datetime, label: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{label} must be a timezone-aware datetime, got naive {value!r}.")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """Convert a naive local wall time in `tz` to an aware UTC instant.

    Ambiguous times (the hour repeated when clocks go back) take the first occurrence, fold=0:
    a shift "at 01:30" that night begins at the first 01:30, which is what a person reading
    the rota would expect, and it keeps the mapping from wall time to instant non-decreasing.
    Non-existent times (the hour skipped when clocks go forward) move to the first valid
    instant after the gap: 01:30 on the spring-forward night in London becomes 02:00 BST.
    """
    if local.tzinfo is not None:
        raise ValueError("to_utc expects a naive wall-clock time.")
    first = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == local:
        return first  # an ordinary time, or the first of two (fold=0)
    # In a gap, zoneinfo reads fold=0 with the offset from before the change and fold=1 with
    # the offset from after it; the transition instant lies between the two readings.
    # zoneinfo has no public API for transitions, so bisect on whole seconds (tzdata
    # transitions always fall on whole seconds); a gap is at most a few hours wide.
    offset_after = first.astimezone(tz).utcoffset()
    before = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low = (before - _EPOCH) // _SECOND
    high = -((_EPOCH - first) // _SECOND)  # ceiling, so `high` is still after the change
    while high - low > 1:
        middle = (low + high) // 2
        if (_EPOCH + middle * _SECOND).astimezone(tz).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return _EPOCH + high * _SECOND


def occurrence_on(pattern: ShiftPattern, tz: ZoneInfo, local_date: date) -> ShiftOccurrence | None:
    """The shift starting on `local_date`, or None if the pattern doesn't run that weekday."""
    if local_date.weekday() not in pattern.weekdays:
        return None
    end_date = local_date + timedelta(days=1) if pattern.crosses_midnight else local_date
    return ShiftOccurrence(
        pattern_name=pattern.name,
        local_date=local_date,
        starts_at=to_utc(datetime.combine(local_date, pattern.start), tz),
        ends_at=to_utc(datetime.combine(end_date, pattern.end), tz),
    )


def _occurrences_by_date(
    pattern: ShiftPattern, tz: ZoneInfo, first: date, last: date
) -> list[ShiftOccurrence]:
    """Occurrences starting on local dates first..last inclusive, in order."""
    found = []
    day = first
    while day <= last:
        occurrence = occurrence_on(pattern, tz, day)
        if occurrence is not None:
            found.append(occurrence)
        day += timedelta(days=1)
    return found


def occurrences(
    pattern: ShiftPattern, tz: ZoneInfo, since: datetime, until: datetime
) -> list[ShiftOccurrence]:
    """Every occurrence starting in [since, until), sorted by start."""
    _require_aware(since, "since")
    _require_aware(until, "until")
    if until <= since:
        return []
    # One day of slack before `since`: a start pushed forward out of a gap just before
    # midnight lands on the next local date, so its local_date can precede since's date.
    first = since.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date()
    return [
        occurrence
        for occurrence in _occurrences_by_date(pattern, tz, first, last)
        if since <= occurrence.starts_at < until
    ]


# Long enough to hold at least one occurrence of any pattern (one weekday a week), with a day
# of slack for DST shifts and the local/UTC date difference.
_ONE_WEEK_AND_SLACK = timedelta(days=8)


def next_occurrence(pattern: ShiftPattern, tz: ZoneInfo, after: datetime) -> ShiftOccurrence:
    """The first occurrence starting strictly after `after`.

    Never None: a pattern always has at least one weekday, so one starts within a week.
    """
    _require_aware(after, "after")
    for occurrence in occurrences(pattern, tz, after, after + _ONE_WEEK_AND_SLACK):
        if occurrence.starts_at > after:
            return occurrence
    raise AssertionError("unreachable: every pattern has a shift within eight days")


def previous_occurrence(pattern: ShiftPattern, tz: ZoneInfo, before: datetime) -> ShiftOccurrence:
    """The last occurrence that started strictly before `before` (it may still be running)."""
    _require_aware(before, "before")
    found = occurrences(pattern, tz, before - _ONE_WEEK_AND_SLACK, before)
    if not found:
        raise AssertionError("unreachable: every pattern has a shift within eight days")
    return found[-1]


def current_occurrence(pattern: ShiftPattern, tz: ZoneInfo, at: datetime) -> ShiftOccurrence | None:
    """The occurrence in progress at `at` (start included, end excluded), or None.

    Includes one that started the previous day and crosses midnight. Occurrences of one
    pattern never overlap (each ends by the wall time the next starts, and to_utc never runs
    backwards), so at most one is in progress.
    """
    _require_aware(at, "at")
    local_date = at.astimezone(tz).date()
    # Shifts last under 25 hours, so one in progress started today, yesterday or (with a
    # fold) the day before.
    candidates = _occurrences_by_date(pattern, tz, local_date - timedelta(days=2), local_date)
    in_progress = [occurrence for occurrence in candidates if occurrence.contains(at)]
    return in_progress[-1] if in_progress else None


def same_shift_last_week(
    occurrence: ShiftOccurrence, pattern: ShiftPattern, tz: ZoneInfo
) -> ShiftOccurrence | None:
    """The same pattern seven local days earlier, for the digest's "against last week" column.

    Computed from the local date, not by subtracting 7×24h: across a DST change last week's
    shift started at a different UTC time. None if the pattern no longer runs that weekday
    (an admin changed it since).
    """
    if occurrence.pattern_name != pattern.name:
        raise ValueError(
            f"Occurrence belongs to {occurrence.pattern_name!r}, not pattern {pattern.name!r}."
        )
    return occurrence_on(pattern, tz, occurrence.local_date - timedelta(days=7))


def briefing_time(occurrence: ShiftOccurrence, lead: timedelta) -> datetime:
    """When the briefing for this shift is due: `lead` before it starts."""
    if lead < timedelta(0):
        raise ValueError("The briefing lead time can't be negative.")
    return occurrence.starts_at - lead


def digest_time(occurrence: ShiftOccurrence, delay: timedelta) -> datetime:
    """When the digest for this shift is due: `delay` after it ends."""
    if delay < timedelta(0):
        raise ValueError("The digest delay can't be negative.")
    return occurrence.ends_at + delay
