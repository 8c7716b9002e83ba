"""Staff safety: lone-working check-ins, what a missed one leads to, and "Need help". Pure.

A member on duty alone is asked "All OK?" every N minutes, counted from their last sign of
life (an answer, any message or report, going alone). A check-in is asked once it is due;
unanswered `grace` minutes after it was asked, the member is reminded; unanswered
`remind` minutes after that, the missed check-in alerts the coordinators and the group (the
first step of the escalation ladder), and climbs the rest of the ladder (admins and
everyone on duty, then repeats) until a coordinator says "I'm contacting them" or the
member answers. Each stage is claimed once in the schedule ledger (storage.safety): after a
restart the latest stage due is sent, the earlier ones are recorded as skipped, so a bot
that was down sends one message, not a burst; a check-in that fell due while the bot was
down is asked at once, and its clock starts then (nobody misses a question never asked).

"Need help" is one alert at once to coordinators, the group, CCTV operators and everyone on
duty, first in the send budget; unacknowledged, it repeats on the ladder's repeat interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.alerts.escalation import EscalationLadder, EscalationStep

CHECKIN_KIND = "checkin"  # the schedule ledger's kind for check-in stages
SAFETY_KIND = "safety"  # … and for repeats of a "Need help" nobody acknowledged
MIN_EVERY_MINUTES, MAX_EVERY_MINUTES = 5, 240


class WorkingMode(StrEnum):
    ALONE = "alone"
    PAIRED = "paired"


class SafetyKind(StrEnum):
    MISSED = "missed"  # a missed check-in
    HELP = "help"  # "Need help"


class SessionEnd(StrEnum):
    OFF = "off"  # /off
    AUTO = "auto"  # duty closed automatically after its shift
    PAIRED = "paired"  # the member said they are paired after all
    COORDINATOR = "ended"  # a coordinator ended a forgotten session


class Stage(StrEnum):
    CHECKIN = "ask"
    REMINDER = "remind"
    ALERT = "step"  # with the ladder step's number


@dataclass(frozen=True)
class Due:
    """One stage of a check-in, due at `at`; `step` for an alert stage (1, 2, …)."""

    stage: Stage
    at: datetime
    step: EscalationStep | None = None

    @property
    def number(self) -> int:
        return self.step.number if self.step is not None else 0

    def key(self, session_id: int, round_key: str) -> str:
        """The ledger key: one per session, check-in round and stage."""
        suffix = f"{self.stage.value}:{self.number}" if self.step else self.stage.value
        return f"s:{session_id}:{round_key}:{suffix}"


def round_key(last_seen_at: datetime) -> str:
    """A check-in round is known by the sign of life it counts from (UTC, to the second)."""
    return f"{int(last_seen_at.timestamp())}"


@dataclass(frozen=True)
class CheckInPlan:
    grace: timedelta = timedelta(minutes=5)  # asked → reminded
    remind: timedelta = timedelta(minutes=5)  # reminded → the coordinators alerted
    ladder: EscalationLadder = field(default_factory=EscalationLadder)

    def stages_after_asking(self, asked_at: datetime) -> list[Due]:
        """The reminder and every step of the ladder for a check-in asked at `asked_at`."""
        reminded = asked_at + self.grace
        alert_from = reminded + self.remind
        first = self.ladder.steps()[0].after
        return [
            Due(Stage.REMINDER, reminded),
            *(Due(Stage.ALERT, alert_from + (s.after - first), s) for s in self.ladder.steps()),
        ]

    def next_question(self, last_seen_at: datetime, every: timedelta) -> datetime:
        return last_seen_at + every

    def plan(
        self,
        now: datetime,
        *,
        last_seen_at: datetime,
        every: timedelta,
        asked_at: datetime | None,
        recorded: set[str],
        session_id: int,
    ) -> tuple[Due | None, list[Due]]:
        """(the stage to act on now, the overdue earlier stages to record as skipped)."""
        rk = round_key(last_seen_at)
        if asked_at is None:
            question = Due(Stage.CHECKIN, self.next_question(last_seen_at, every))
            if question.at <= now and question.key(session_id, rk) not in recorded:
                return question, []
            return None, []
        due = [d for d in self.stages_after_asking(asked_at) if d.at <= now]
        pending = [d for d in due if d.key(session_id, rk) not in recorded]
        if not pending:
            return None, []
        latest = pending[-1]
        if latest.stage is Stage.ALERT and not any(
            d.stage is Stage.ALERT for d in due if d.key(session_id, rk) in recorded
        ):
            # The first alert always goes as the first step (coordinators and the group),
            # even when a later step is also due: the later ones follow on the next round.
            first_alert = next(d for d in pending if d.stage is Stage.ALERT)
            return first_alert, [d for d in pending if d.at < first_alert.at]
        return latest, [d for d in pending if d.at < latest.at]


def help_repeat_steps(ladder: EscalationLadder) -> list[EscalationStep]:
    """When an unacknowledged "Need help" goes out again (after it was raised), and to whom:
    every repeat interval of the ladder, to coordinators, the group, admins and everyone on
    duty, as many times as the ladder repeats."""
    return [
        EscalationStep(
            number=n + 1,
            after=timedelta(minutes=ladder.repeat_minutes * n),
            coordinators=True,
            group=True,
            admins=True,
            on_duty=True,
        )
        for n in range(1, ladder.repeats + 1)
    ]


def help_plan(
    steps: list[EscalationStep], age: timedelta, recorded: set[int]
) -> tuple[EscalationStep | None, list[EscalationStep]]:
    """(the repeat to send now, the overdue earlier ones to record as skipped)."""
    pending = [s for s in steps if s.after <= age and s.number not in recorded]
    if not pending:
        return None, []
    return pending[-1], pending[:-1]


def median_minutes(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    ordered = sorted(d.total_seconds() / 60 for d in durations)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class SafetyCounts:
    """Staff safety in a digest: counts only, never who."""

    checkins_missed: int = 0
    help_raised: int = 0
    median_ack_minutes: float | None = None

    @property
    def any(self) -> bool:
        return bool(self.checkins_missed or self.help_raised)
