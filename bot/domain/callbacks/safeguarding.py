"""Buttons of safeguarding concerns (sg): open one, acknowledge, record what was done.

Ids and the fixed action only, never a word of the concern."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import SAFEGUARDING
from bot.domain.callbacks.wire import Button, Family
from bot.domain.safeguarding import LeadAction


class ConcernAction(StrEnum):
    LIST = "list"  # /concerns again
    OPEN = "open"  # one concern in full
    ACKNOWLEDGE = "ack"
    ACTIONS = "acts"  # the fixed list of what was done
    DONE = "do"  # one of them chosen: the note is typed next


class ConcernButton(Button):
    PREFIX = SAFEGUARDING


@dataclass(frozen=True)
class ConcernList(ConcernButton, action=ConcernAction.LIST):
    pass


@dataclass(frozen=True)
class ConcernPress(
    ConcernButton, actions=(ConcernAction.OPEN, ConcernAction.ACKNOWLEDGE, ConcernAction.ACTIONS)
):
    action: ConcernAction
    concern_id: int


@dataclass(frozen=True)
class ConcernDone(ConcernButton, action=ConcernAction.DONE):
    concern_id: int
    done: LeadAction


CONCERN_BUTTONS = Family[ConcernList | ConcernPress | ConcernDone](
    ConcernList, ConcernPress, ConcernDone
)
