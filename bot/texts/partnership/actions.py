"""Partnership actions: /action add, /action done, /action (the open ones)."""

from __future__ import annotations

from datetime import date

from bot.domain.partnership.partnership_actions import (
    MAX_ACTION_TEXT,
    MAX_OWNER,
    ActionProblem,
    ActionStatus,
)
from bot.texts.common import esc

ACTION_USAGE = (
    "Partnership actions:\n"
    "/action add Council 2026-10-31 Fix the lights in Elmer Square\n"
    '/action add "Town centre BID" 2026-11-15 Bins emptied before 7pm\n'
    "/action done 3 (the number /action shows)\n"
    "/action: the open ones."
)
ACTIONS_NONE_OPEN = (
    "No open partnership actions. Add one with /action add &lt;owner&gt; &lt;due date&gt; "
    "&lt;text&gt;."
)
ACTION_DONE_USAGE = "Please give the action's number, like /action done 3."

_PROBLEMS = {
    ActionProblem.MISSING: "Please give an owner, a due date and the action.",
    ActionProblem.BAD_DATE: "The due date should look like 2026-10-31",
    ActionProblem.OWNER_TOO_LONG: f"Please keep the owner to {MAX_OWNER} characters.",
    ActionProblem.TEXT_TOO_LONG: f"Please keep the action to {MAX_ACTION_TEXT} characters.",
}
_STATUS = {
    ActionStatus.OPEN: "open",
    ActionStatus.DONE: "done",
    ActionStatus.OVERDUE: "overdue",
}


def action_refused(problem: ActionProblem, given: str) -> str:
    detail = f" (not “{esc(given)}”)." if problem is ActionProblem.BAD_DATE else ""
    return f"{_PROBLEMS[problem]}{detail}\n\n{ACTION_USAGE}"


def action_added(number: int, owner: str, due: date) -> str:
    return f"Action #{number} recorded: {esc(owner)}, due {due:%d %b %Y}."


def action_done(number: int) -> str:
    return f"Action #{number} marked done."


def action_not_open(number: int) -> str:
    return f"There is no open action #{number}: /action lists them."


def actions_header(count: int) -> str:
    return f"<b>Open partnership actions ({count})</b>"


def action_line(number: int, owner: str, due: date, text: str, status: ActionStatus) -> str:
    flag = " ⚠️ overdue" if status is ActionStatus.OVERDUE else ""
    return f"#{number} {esc(text)}: {esc(owner)}, due {due:%d %b %Y}{flag}"


def action_status(status: ActionStatus) -> str:
    return _STATUS[status]
