"""How many updates a minute one member may send before the bot stops listening. Pure.

A phone stuck in a loop, or someone hammering a button, must not hold up every other
member's updates (PTB handles updates one at a time by default). Each member has a window
of one minute from their first update in it: up to `per_minute` updates pass; the next one
gets one polite notice, and every later one in that window is dropped without a word.
The window's end lets them through again. Urgent updates (alert buttons, the report
flow) always pass and are not counted: the limit must never stand between a member and
an alert.

Windows live in memory, keyed by member id (members only: strangers never get one), and
the table is pruned as it grows, so it holds at most the members active in the last minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

WINDOW = timedelta(minutes=1)
PRUNE_AT = 1000  # windows kept before the ended ones are dropped


class Verdict(StrEnum):
    PASS = "pass"
    NOTICE = "notice"  # over the limit: tell them once, and drop this update
    DROP = "drop"  # over the limit, told already: drop it silently


@dataclass
class _Window:
    started: datetime
    count: int = 0
    told: bool = False


class FloodGate:
    def __init__(self, per_minute: int) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._windows: dict[int, _Window] = {}

    def check(self, member_id: int, now: datetime, *, urgent: bool = False) -> Verdict:
        if urgent:
            return Verdict.PASS
        window = self._windows.get(member_id)
        if window is None or now - window.started >= WINDOW:
            if len(self._windows) >= PRUNE_AT:
                self._prune(now)
            window = self._windows[member_id] = _Window(now)
        window.count += 1
        if window.count <= self.per_minute:
            return Verdict.PASS
        if window.told:
            return Verdict.DROP
        window.told = True
        return Verdict.NOTICE

    def resumes_at(self, member_id: int) -> datetime | None:
        """When a member held back may send again (None: not held back)."""
        window = self._windows.get(member_id)
        if window is None or window.count <= self.per_minute:
            return None
        return window.started + WINDOW

    def _prune(self, now: datetime) -> None:
        for member_id in [m for m, w in self._windows.items() if now - w.started >= WINDOW]:
            del self._windows[member_id]

    def __len__(self) -> int:
        return len(self._windows)


__all__ = ["PRUNE_AT", "WINDOW", "FloodGate", "Verdict"]
