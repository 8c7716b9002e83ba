"""Buttons of shift patterns (shf), one's duty (dut), the audit log (aud) and /stats (sta)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.access.audit_view import is_action_term
from bot.domain.callbacks.prefixes import AUDIT, DUTY, SHIFTS, STATS
from bot.domain.callbacks.wire import Button, Family


# ---- shf:list, shf:add, shf:<action>:<shift> -------------------------------------------------
class ShiftAction(StrEnum):
    LIST = "list"
    ADD = "add"
    SHOW = "show"
    RENAME = "ren"
    DAYS = "days"
    START = "start"
    END = "end"
    REMOVE = "rm"  # asks to confirm
    REMOVE_CONFIRMED = "rmok"


class ShiftButton(Button):
    PREFIX = SHIFTS


@dataclass(frozen=True)
class ShiftsList(ShiftButton, action=ShiftAction.LIST):
    pass


@dataclass(frozen=True)
class ShiftAdd(ShiftButton, action=ShiftAction.ADD):
    pass


# The actions that ask for a typed answer (a name, days or a time).
SHIFT_CHANGES = (ShiftAction.RENAME, ShiftAction.DAYS, ShiftAction.START, ShiftAction.END)


@dataclass(frozen=True)
class ShiftPress(
    ShiftButton,
    actions=(
        ShiftAction.SHOW,
        *SHIFT_CHANGES,
        ShiftAction.REMOVE,
        ShiftAction.REMOVE_CONFIRMED,
    ),
):
    """One shift pattern's card, or one of its actions."""

    action: ShiftAction
    shift_id: int


ShiftPresses = ShiftsList | ShiftAdd | ShiftPress
SHIFT_BUTTONS = Family[ShiftPresses](ShiftsList, ShiftAdd, ShiftPress)


# ---- dut:loc:<duty session> ------------------------------------------------------------------
class DutyAction(StrEnum):
    LOCATION = "loc"


@dataclass(frozen=True)
class DutyLocation(Button, action=DutyAction.LOCATION):
    PREFIX = DUTY
    session_id: int


DUTY_BUTTONS = Family[DutyLocation](DutyLocation)


# ---- aud:p:<page>, aud:m:<member>:<page>, aud:a:<action term>:<page> -------------------------
# The action term is audit vocabulary (`member.`, `export`), checked by
# bot.domain.access.audit_view.
class AuditAction(StrEnum):
    PAGE = "p"
    BY_MEMBER = "m"
    BY_ACTION = "a"


class AuditButton(Button):
    PREFIX = AUDIT


@dataclass(frozen=True)
class AuditPage(AuditButton, action=AuditAction.PAGE):
    page: int


@dataclass(frozen=True)
class AuditMemberPage(AuditButton, action=AuditAction.BY_MEMBER):
    member_id: int
    page: int = 0


@dataclass(frozen=True)
class AuditActionPage(AuditButton, action=AuditAction.BY_ACTION):
    term: str
    page: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        if not is_action_term(self.term):
            raise ValueError(f"{self.term!r} is not an audit action term")


AuditPages = AuditPage | AuditMemberPage | AuditActionPage
AUDIT_BUTTONS = Family[AuditPages](AuditPage, AuditMemberPage, AuditActionPage)


# ---- sta:p:<period> (7d, 30d, quarter; read by bot.domain.periods) ---------------------------
class StatsAction(StrEnum):
    PERIOD = "p"


@dataclass(frozen=True)
class StatsPeriod(Button, action=StatsAction.PERIOD):
    PREFIX = STATS
    period: str  # read by bot.domain.periods, which explains a period it does not know


STATS_BUTTONS = Family[StatsPeriod](StatsPeriod)
