"""Buttons of staff safety (saf): alone or paired at /on, a check-in's answers, "Need help"
(on every check-in and the main menu), "I'm contacting them" on a safety alert, and a
coordinator ending a forgotten session. Who may press what is asked again by the handler
(a check-in only by its member, acknowledging only by coordinators and admins, from a copy
that was sent to that chat)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import SAFETY
from bot.domain.callbacks.wire import Button, Family


class SafetyAction(StrEnum):
    ALONE = "alone"
    PAIRED = "paired"
    OK = "ok"
    HELP = "help"
    ACK = "ack"
    END = "end"


class SafetyButton(Button):
    PREFIX = SAFETY


@dataclass(frozen=True)
class WorkingMode(SafetyButton, actions=(SafetyAction.ALONE, SafetyAction.PAIRED)):
    """saf:alone:<duty>, saf:paired:<duty>: asked at /on."""

    action: SafetyAction
    duty_id: int


@dataclass(frozen=True)
class CheckInOk(SafetyButton, action=SafetyAction.OK):
    session_id: int


@dataclass(frozen=True)
class NeedHelp(SafetyButton, action=SafetyAction.HELP):
    pass


@dataclass(frozen=True)
class SafetyAck(SafetyButton, action=SafetyAction.ACK):
    alert_id: int


@dataclass(frozen=True)
class EndCheckIns(SafetyButton, action=SafetyAction.END):
    session_id: int


SafetyPresses = WorkingMode | CheckInOk | NeedHelp | SafetyAck | EndCheckIns
SAFETY_BUTTONS = Family[SafetyPresses](WorkingMode, CheckInOk, NeedHelp, SafetyAck, EndCheckIns)
