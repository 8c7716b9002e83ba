"""The escalation ladder of an urgent alert nobody acknowledged, and who is near it. Pure.

Unacknowledged after the first step's minutes (5 by default): coordinators privately and the
coordinators' group. After the second's (10): admins and every member on duty again. Then
every "repeat" minutes (10), at most "repeats" times more, to all of those, until someone
acknowledges or the report is closed. Each step is sent once (the schedule ledger records
it, see storage.reports.Reports.escalate); a step found overdue after a later one fell due
(the bot was down) is recorded as skipped, so a restart sends one message, not a burst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from bot.domain.geo import haversine_m

NEAREST_COUNT = 3  # at most this many members are marked "nearest" on one alert


@dataclass(frozen=True)
class EscalationStep:
    number: int  # 1, 2, 3, ...
    after: timedelta  # since the report was filed
    coordinators: bool  # coordinators, privately
    group: bool  # the coordinators' group
    admins: bool
    on_duty: bool  # every member on duty (never the reporter)
    cctv: bool = False  # every CCTV operator (a review request's ladder)

    @property
    def minutes(self) -> int:
        return int(self.after.total_seconds() // 60)


@dataclass(frozen=True)
class EscalationLadder:
    first_minutes: int = 5
    second_minutes: int = 10
    repeat_minutes: int = 10
    repeats: int = 6

    def __post_init__(self) -> None:
        if not 0 < self.first_minutes < self.second_minutes:
            raise ValueError("the second step must come after the first")
        if self.repeat_minutes < 1 or self.repeats < 0:
            raise ValueError("repeats need a positive interval and a count of at least 0")

    @property
    def length(self) -> int:
        return 2 + self.repeats

    def step(self, number: int) -> EscalationStep | None:
        if number == 1:
            return EscalationStep(
                1, timedelta(minutes=self.first_minutes), True, True, False, False
            )
        if number == 2:
            return EscalationStep(
                2, timedelta(minutes=self.second_minutes), False, False, True, True
            )
        if 2 < number <= self.length:
            after = self.second_minutes + (number - 2) * self.repeat_minutes
            return EscalationStep(number, timedelta(minutes=after), True, True, True, True)
        return None

    def steps(self) -> list[EscalationStep]:
        return [s for n in range(1, self.length + 1) if (s := self.step(n)) is not None]

    def due(self, age: timedelta) -> list[EscalationStep]:
        """Every step due at this age of the report, in order."""
        return [s for s in self.steps() if s.after <= age]

    @property
    def last_after(self) -> timedelta:
        last = self.step(self.length)
        assert last is not None
        return last.after


class _Numbered(Protocol):
    @property
    def number(self) -> int: ...


S = TypeVar("S", bound=_Numbered)


def escalation_plan(due: list[S], recorded: set[int]) -> tuple[S | None, list[S]]:
    """(the step to send now, the overdue earlier steps to record as skipped).

    Any ladder's steps: an urgent alert's, and a safeguarding concern's own
    (bot.domain.safeguarding.ConcernLadder).

    Only the latest due step goes out: after a restart the ladder resumes where it
    stands, it does not replay every step it missed.
    """
    pending = [s for s in due if s.number not in recorded]
    if not pending:
        return None, []
    latest = pending[-1]
    return latest, [s for s in pending if s.number < latest.number]


@dataclass(frozen=True)
class OnDutyPosition:
    member_id: int
    lat: float
    lon: float


def nearest_members(
    positions: Iterable[OnDutyPosition],
    lat: float,
    lon: float,
    *,
    within_m: float,
    count: int = NEAREST_COUNT,
) -> dict[int, float]:
    """member id → distance in metres, for the `count` closest within `within_m`."""
    if within_m <= 0:
        return {}
    distances = sorted((haversine_m(p.lat, p.lon, lat, lon), p.member_id) for p in positions)
    return {member: metres for metres, member in distances[:count] if metres <= within_m}
