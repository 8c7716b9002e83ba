"""Which briefings, digests and weekly summaries are due, and whether each is on time.

Pure domain: plain functions over shift patterns, the partnership's timezone and an instant.
The scheduler (bot.scheduler) turns a plan into ledger rows and outbox messages; the times and
keys it uses all come from here, so the jobs, the catch-up after downtime and the tests agree.

Every run has a stable key; with its kind it is the ledger's unique (kind, key):
- briefing and digest: "<shift name>@<local start, YYYY-MM-DDTHH:MM>", e.g.
  "Friday late@2026-10-24T20:00" — the occurrence, not the send time, so two instances with
  different lead or delay settings still agree on what was sent;
- weekly: "week@<local Monday, YYYY-MM-DD>" of the week summarised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.shifts.shift_windows import (
    ShiftOccurrence,
    ShiftPattern,
    briefing_time,
    digest_time,
    next_occurrence,
    occurrences,
    previous_occurrence,
    to_utc,
)

__all__ = [
    "ON_TIME",
    "Action",
    "Decision",
    "PlannedRun",
    "RunKind",
    "RunStatus",
    "WeeklyAt",
    "classify",
    "decide",
    "lookback_start",
    "next_due",
    "planned_runs",
    "previous_shift_end",
    "run_key",
    "week_covered",
]

# A run handled within this long of its time counts as on time (the job fired, the
# database was slow); after it, it is late, and after the grace period it is skipped.
ON_TIME = timedelta(minutes=2)
# However long the bot was down, missed runs are looked for (and recorded) this far back.
MAX_LOOKBACK = timedelta(days=7)
# The longest a shift lasts (under 25 h) plus the longest delay or lead we accept.
_SHIFT_SLACK = timedelta(hours=26)


class RunKind(StrEnum):
    BRIEFING = "briefing"
    DIGEST = "digest"
    WEEKLY = "weekly"


class RunStatus(StrEnum):
    """What the ledger says happened to a run (the reason rides in the status: max 16)."""

    SENT = "sent"
    SKIPPED_MISSED = "skipped:missed"  # older than the grace period when the bot saw it
    SKIPPED_NO_GROUP = "skipped:no-group"  # TCAG_COORDINATORS_CHAT_ID is not set

    @property
    def skipped(self) -> bool:
        return self is not RunStatus.SENT


class Action(StrEnum):
    SEND = "send"  # on time
    SEND_LATE = "send_late"  # missed, but within the grace period: sent marked late
    SKIP = "skip"  # missed for longer than the grace period: recorded and logged only


class WeeklyAt(Protocol):
    """When the weekly summary goes out (bot.config reads it from TCAG_WEEKLY_SUMMARY_AT)."""

    @property
    def weekday(self) -> int: ...  # Monday is 0
    @property
    def at(self) -> time: ...


@dataclass(frozen=True)
class PlannedRun:
    """One briefing, digest or weekly summary, and when it is due (aware UTC)."""

    kind: RunKind
    key: str
    due_at: datetime
    occurrence: ShiftOccurrence | None = None  # briefing and digest
    week_start: datetime | None = None  # weekly: Monday 00:00 local, as UTC
    week_end: datetime | None = None  # the Monday after


@dataclass(frozen=True)
class Decision:
    run: PlannedRun
    action: Action

    @property
    def late(self) -> bool:
        return self.action is not Action.SEND


def run_key(occurrence: ShiftOccurrence, tz: ZoneInfo) -> str:
    """ "Friday late@2026-10-24T20:00": the shift and its local start."""
    return f"{occurrence.pattern_name}@{occurrence.starts_at.astimezone(tz):%Y-%m-%dT%H:%M}"


def week_covered(due_at: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The last whole Monday–Sunday week before the local date of `due_at`, as UTC instants."""
    local_date = due_at.astimezone(tz).date()
    this_monday = local_date - timedelta(days=local_date.weekday())
    start = this_monday - timedelta(days=7)
    return _local_midnight(start, tz), _local_midnight(this_monday, tz)


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return to_utc(datetime.combine(day, time(0, 0)), tz)


def _weekly_run(local_date: date, weekly: WeeklyAt, tz: ZoneInfo) -> PlannedRun:
    due_at = to_utc(datetime.combine(local_date, weekly.at), tz)
    start, end = week_covered(due_at, tz)
    return PlannedRun(
        kind=RunKind.WEEKLY,
        key=f"week@{start.astimezone(tz).date().isoformat()}",
        due_at=due_at,
        week_start=start,
        week_end=end,
    )


def planned_runs(
    patterns: list[ShiftPattern],
    tz: ZoneInfo,
    *,
    since: datetime,
    until: datetime,
    lead: timedelta,
    delay: timedelta,
    weekly: WeeklyAt | None,
) -> list[PlannedRun]:
    """Every run due in [since, until], oldest first (briefings before digests at a tie)."""
    runs: list[PlannedRun] = []
    for pattern in patterns:
        # Occurrences whose briefing or digest can fall in the window.
        for occurrence in occurrences(
            pattern, tz, since - delay - _SHIFT_SLACK, until + lead + timedelta(seconds=1)
        ):
            key = run_key(occurrence, tz)
            for kind, due_at in (
                (RunKind.BRIEFING, briefing_time(occurrence, lead)),
                (RunKind.DIGEST, digest_time(occurrence, delay)),
            ):
                if since <= due_at <= until:
                    runs.append(PlannedRun(kind, key, due_at, occurrence=occurrence))
    if weekly is not None:
        day = since.astimezone(tz).date() - timedelta(days=1)
        last = until.astimezone(tz).date() + timedelta(days=1)
        while day <= last:
            if day.weekday() == weekly.weekday:
                run = _weekly_run(day, weekly, tz)
                if since <= run.due_at <= until:
                    runs.append(run)
            day += timedelta(days=1)
    order = {RunKind.DIGEST: 0, RunKind.BRIEFING: 1, RunKind.WEEKLY: 2}
    # A digest due at the same moment as the next briefing goes first: the briefing's window
    # starts where that digest's ends.
    return sorted(runs, key=lambda run: (run.due_at, order[run.kind], run.key))


def classify(due_at: datetime, now: datetime, grace: timedelta) -> Action:
    """On time, late within the grace period, or too old to send."""
    lateness = now - due_at
    if lateness <= ON_TIME:
        return Action.SEND
    if lateness <= grace:
        return Action.SEND_LATE
    return Action.SKIP


def lookback_start(now: datetime, grace: timedelta, newest_recorded: datetime | None) -> datetime:
    """Where to look for runs not yet handled.

    From the newest run in the ledger (when the scheduler last did something), so runs
    missed during downtime are found and recorded, but never more than MAX_LOOKBACK; on a
    new database only the grace period, so a first start records no backlog of skips.
    """
    start = now - grace if newest_recorded is None else min(newest_recorded, now - grace)
    return max(start, now - MAX_LOOKBACK)


def decide(
    patterns: list[ShiftPattern],
    tz: ZoneInfo,
    *,
    now: datetime,
    since: datetime,
    lead: timedelta,
    delay: timedelta,
    grace: timedelta,
    weekly: WeeklyAt | None,
    done: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[Decision]:
    """What to do now with each run due in [since, now] that `done` (kind, key) lacks."""
    runs = planned_runs(patterns, tz, since=since, until=now, lead=lead, delay=delay, weekly=weekly)
    return [
        Decision(run, classify(run.due_at, now, grace))
        for run in runs
        if (run.kind.value, run.key) not in done
    ]


def next_due(
    kind: RunKind,
    tz: ZoneInfo,
    *,
    after: datetime,
    pattern: ShiftPattern | None = None,
    lead: timedelta = timedelta(0),
    delay: timedelta = timedelta(0),
    weekly: WeeklyAt | None = None,
) -> datetime | None:
    """When the next run of this kind (for this pattern) is due, strictly after `after`."""
    if kind is RunKind.WEEKLY:
        if weekly is None:
            return None
        day = after.astimezone(tz).date() - timedelta(days=1)
        while True:
            if day.weekday() == weekly.weekday:
                due_at = to_utc(datetime.combine(day, weekly.at), tz)
                if due_at > after:
                    return due_at
            day += timedelta(days=1)
    if pattern is None:
        raise ValueError("a briefing or digest needs its shift pattern")
    if kind is RunKind.BRIEFING:
        # Its briefing is after `after` exactly when the shift starts after `after + lead`.
        return briefing_time(next_occurrence(pattern, tz, after + lead), lead)
    for occurrence in occurrences(pattern, tz, after - delay - _SHIFT_SLACK, after + _ONE_WEEK):
        due_at = digest_time(occurrence, delay)
        if due_at > after:
            return due_at
    raise AssertionError("unreachable: every pattern has a shift within a week")


_ONE_WEEK = timedelta(days=8)


def previous_shift_end(
    patterns: list[ShiftPattern], tz: ZoneInfo, occurrence: ShiftOccurrence, at: datetime
) -> datetime | None:
    """The end of the latest shift (any pattern) that started before this one and ended by `at`.

    A briefing with no digest sent yet covers the time since then: "since the last shift".
    """
    ends: list[datetime] = []
    for pattern in patterns:
        earlier = previous_occurrence(pattern, tz, occurrence.starts_at)
        while earlier.ends_at > at:  # still running when the briefing goes: take the one before
            earlier = previous_occurrence(pattern, tz, earlier.starts_at)
        ends.append(earlier.ends_at)
    return max(ends) if ends else None
