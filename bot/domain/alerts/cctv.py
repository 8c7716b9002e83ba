"""The CCTV control room as rules: review requests (a time window and a place around a
report), the operators' answers, the ladder an unanswered request climbs, and the figures.

Pure: a request's window is kept as minutes before and after the report's time, moved by
taps in WINDOW_STEP_MINUTES steps inside the bounds below; figures are counted from plain
(created, answered, answer) rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import median

from bot.domain.access.roles import Role
from bot.domain.alerts.escalation import EscalationStep

WINDOW_STEP_MINUTES = 15  # one tap moves an end of the window this much
MAX_BEFORE_MINUTES = 12 * 60  # the window starts at most this long before the report
MAX_AFTER_MINUTES = 12 * 60  # and ends at most this long after it
MAX_WINDOW_MINUTES = 6 * 60  # an operator reviews at most this much footage per request
FOOTAGE_REF_MAX = 100  # a footage reference: one line, this many characters at most


class CctvAnswer(StrEnum):
    """An operator's answer to a review request."""

    FOUND = "found"  # found and saved (a footage reference follows)
    NOTHING = "nothing"  # reviewed: nothing found
    NO_COVERAGE = "no_coverage"  # no camera covers that place


class CameraAnswer(StrEnum):
    """An operator's answer on an urgent alert."""

    ON_IT = "on_it"  # a camera is on it
    NO_CAMERA = "no_camera"  # no camera covers that


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


def cctv_reference(request_id: int) -> str:
    """CCTV-7: the request's own number, said alongside its report's R-0042."""
    return f"CCTV-{request_id}"


@dataclass(frozen=True)
class ReviewWindow:
    """Minutes before and after the report's time: (-15, 15) is 15 min either side."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not -MAX_BEFORE_MINUTES <= self.start < self.end <= MAX_AFTER_MINUTES:
            raise ValueError("the window must start before it ends, within the bounds")
        if self.end - self.start > MAX_WINDOW_MINUTES:
            raise ValueError("the window is too long to review")

    @classmethod
    def around(cls, minutes: int) -> ReviewWindow:
        return cls(-minutes, minutes)

    def moved(self, *, start: int = 0, end: int = 0) -> ReviewWindow | None:
        """The window with one end moved by so many steps; None when that leaves the bounds
        (the tap changes nothing)."""
        try:
            return ReviewWindow(
                self.start + start * WINDOW_STEP_MINUTES, self.end + end * WINDOW_STEP_MINUTES
            )
        except ValueError:
            return None

    def bounds(self, reported_at: datetime) -> tuple[datetime, datetime]:
        return (
            reported_at + timedelta(minutes=self.start),
            reported_at + timedelta(minutes=self.end),
        )


def may_request_review(role: Role, *, is_admin: bool, is_reporter: bool) -> bool:
    """A report's reporter or a coordinator (or an admin) asks for a review of it; the
    control room answers requests and never makes them."""
    if role is Role.CCTV:
        return False
    return is_reporter or role is Role.COORDINATOR or is_admin


def read_footage_ref(text: str) -> str | None:
    """A footage reference as typed: one line, 1 to FOOTAGE_REF_MAX characters; None if not."""
    cleaned = text.strip()
    if not cleaned or "\n" in cleaned or "\r" in cleaned or len(cleaned) > FOOTAGE_REF_MAX:
        return None
    return cleaned


def cctv_ladder(answer_minutes: int) -> list[EscalationStep]:
    """An unanswered request: after `answer_minutes` every operator again; after twice that
    the coordinators and the admins, who can ring the control room."""
    return [
        EscalationStep(1, timedelta(minutes=answer_minutes), False, False, False, False, True),
        EscalationStep(2, timedelta(minutes=2 * answer_minutes), True, False, True, False),
    ]


def due_steps(ladder: list[EscalationStep], age: timedelta) -> list[EscalationStep]:
    return [step for step in ladder if step.after <= age]


@dataclass(frozen=True)
class CctvCounts:
    """CCTV review requests made in a window, and how they were answered."""

    requests: int
    found: int
    nothing_found: int
    no_coverage: int
    median_minutes_to_answer: float | None  # over the answered ones; None if none

    @property
    def answered(self) -> int:
        return self.found + self.nothing_found + self.no_coverage

    @property
    def unanswered(self) -> int:
        return self.requests - self.answered


def count_requests(
    rows: Iterable[tuple[datetime, datetime | None, CctvAnswer | None]],
) -> CctvCounts:
    """(created at, answered at, answer) of each request made in the window."""
    answers: dict[CctvAnswer, int] = dict.fromkeys(CctvAnswer, 0)
    waits: list[float] = []
    requests = 0
    for created, answered, answer in rows:
        requests += 1
        if answer is None or answered is None:
            continue
        answers[answer] += 1
        waits.append((answered - created).total_seconds() / 60)
    return CctvCounts(
        requests=requests,
        found=answers[CctvAnswer.FOUND],
        nothing_found=answers[CctvAnswer.NOTHING],
        no_coverage=answers[CctvAnswer.NO_COVERAGE],
        median_minutes_to_answer=median(waits) if waits else None,
    )
