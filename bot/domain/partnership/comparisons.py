"""Comparing a quarter with an earlier one, like with like.

A quarter still running is compared "to date": its days so far against the same days of
the earlier quarter (to the same local wall-clock time), never against that quarter's
whole. Pure: windows are aware UTC instants, bounds are local times in the zone given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.periods import Quarter
from bot.domain.shifts.shift_windows import to_utc

SAME_WITHIN_PERCENT = 0.5  # a change smaller than this reads as "the same"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class LikeForLike:
    """The quarter (or its days so far) and the same stretch of an earlier quarter."""

    current: Window
    earlier: Window
    earlier_quarter: Quarter
    to_date: bool  # True: the quarter is not over, both windows run to the same day and time


def like_for_like(quarter: Quarter, earlier: Quarter, tz: ZoneInfo, now: datetime) -> LikeForLike:
    start, end = quarter.bounds(tz)
    earlier_start, earlier_end = earlier.bounds(tz)
    if now >= end:
        return LikeForLike(Window(start, end), Window(earlier_start, earlier_end), earlier, False)
    # The local wall-clock time elapsed since the quarter began, laid on the earlier one.
    elapsed = now.astimezone(tz).replace(tzinfo=None) - start.astimezone(tz).replace(tzinfo=None)
    local_earlier_start = earlier_start.astimezone(tz).replace(tzinfo=None)
    cut = min(to_utc(local_earlier_start + elapsed, tz), earlier_end)
    return LikeForLike(Window(start, max(now, start)), Window(earlier_start, cut), earlier, True)


def year_before(quarter: Quarter) -> Quarter:
    return Quarter(quarter.year - 1, quarter.number)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"  # none before, some now
    NONE = "none"  # none either time


@dataclass(frozen=True)
class Change:
    now: int
    before: int
    direction: Direction
    percent: float | None  # None when there was nothing before


def change(now: int, before: int) -> Change:
    if before == 0:
        return Change(now, before, Direction.NEW if now else Direction.NONE, None)
    percent = 100 * (now - before) / before
    if abs(percent) < SAME_WITHIN_PERCENT:
        return Change(now, before, Direction.SAME, percent)
    return Change(now, before, Direction.UP if percent > 0 else Direction.DOWN, percent)
