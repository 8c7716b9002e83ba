"""Staff safety's buttons: alone or paired, a check-in's answers, "I'm contacting them",
and ending a forgotten session."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.safety import (
    CheckInOk,
    EndCheckIns,
    NeedHelp,
    SafetyAck,
    SafetyAction,
    WorkingMode,
)
from bot.texts import safety as texts


def working_mode(duty_id: int) -> list[InlineKeyboardButton]:
    """Asked under "You're on duty since …": one tap."""
    return [
        InlineKeyboardButton(
            texts.ALONE_BUTTON, callback_data=WorkingMode(SafetyAction.ALONE, duty_id).pack()
        ),
        InlineKeyboardButton(
            texts.PAIRED_BUTTON, callback_data=WorkingMode(SafetyAction.PAIRED, duty_id).pack()
        ),
    ]


def im_paired(duty_id: int) -> list[InlineKeyboardButton]:
    """The role works alone by default: a way out for a member paired today."""
    data = WorkingMode(SafetyAction.PAIRED, duty_id).pack()
    return [InlineKeyboardButton(texts.IM_PAIRED_BUTTON, callback_data=data)]


def need_help_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(texts.NEED_HELP_BUTTON, callback_data=NeedHelp().pack())


def need_help() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[need_help_button()]])


def checkin(session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.ALL_OK_BUTTON, callback_data=CheckInOk(session_id).pack()
                ),
                need_help_button(),
            ]
        ]
    )


def contacting(alert_id: int) -> InlineKeyboardMarkup:
    data = SafetyAck(alert_id).pack()
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.CONTACTING_BUTTON, callback_data=data)]]
    )


def end_sessions(sessions: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """(session id, member name) of each session a coordinator may end."""
    if not sessions:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.end_button(name), callback_data=EndCheckIns(session_id).pack()
                )
            ]
            for session_id, name in sessions
        ]
    )
