"""Partnership actions: what the partnership agreed to do, who owns it, by when.

Coordinators record them with `/action add <owner> <due date> <text>`; the quarterly pack
lists them with their status. Pure: reading the command and working out the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.periods import PeriodError, parse_date

MAX_OWNER = 80
MAX_ACTION_TEXT = 300


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    OVERDUE = "overdue"  # open past its due date: worked out, never stored


class ActionProblem(StrEnum):
    MISSING = "missing"  # fewer than owner, date and text
    BAD_DATE = "bad_date"
    OWNER_TOO_LONG = "owner_too_long"
    TEXT_TOO_LONG = "text_too_long"


class ActionInputError(ValueError):
    def __init__(self, problem: ActionProblem, given: str = "") -> None:
        super().__init__(f"{problem.value}: {given!r}")
        self.problem = problem
        self.given = given


@dataclass(frozen=True)
class NewAction:
    owner: str
    due: date
    text: str


def parse_new_action(text: str) -> NewAction:
    """'Council 2026-10-31 Fix the lights in Elmer Square' → owner, due date, text.

    The owner is one word, or several in quotes ("Town council"); underscores read as
    spaces (Town_council) for those who don't reach for quotes on a phone.
    """
    rest = text.strip()
    if rest.startswith(('"', "“")):
        closing = rest.find('"' if rest[0] == '"' else "”", 1)
        if closing < 0:
            raise ActionInputError(ActionProblem.MISSING, rest)
        owner, rest = rest[1:closing].strip(), rest[closing + 1 :].strip()
    else:
        parts = rest.split(maxsplit=1)
        owner = parts[0].replace("_", " ") if parts else ""
        rest = parts[1] if len(parts) > 1 else ""
    parts = rest.split(maxsplit=1)
    if not owner or len(parts) < 2 or not parts[1].strip():
        raise ActionInputError(ActionProblem.MISSING, text.strip())
    try:
        due = parse_date(parts[0])
    except PeriodError:
        raise ActionInputError(ActionProblem.BAD_DATE, parts[0]) from None
    if len(owner) > MAX_OWNER:
        raise ActionInputError(ActionProblem.OWNER_TOO_LONG, owner)
    body = parts[1].strip()
    if len(body) > MAX_ACTION_TEXT:
        raise ActionInputError(ActionProblem.TEXT_TOO_LONG, str(len(body)))
    return NewAction(owner, due, body)


def status_on(done: bool, due: date, today: date) -> ActionStatus:
    if done:
        return ActionStatus.DONE
    return ActionStatus.OVERDUE if due < today else ActionStatus.OPEN
