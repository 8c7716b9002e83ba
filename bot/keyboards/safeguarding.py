"""Buttons of safeguarding concerns, the lead flag on a member's card, and the taps that
raise a concern (under 18, exploitation)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.safeguarding import (
    ConcernAction,
    ConcernDone,
    ConcernList,
    ConcernPress,
)
from bot.domain.safeguarding import LeadAction, concern_reference
from bot.texts import safeguarding as texts


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def concern_buttons(
    concern_id: int, *, acknowledged: bool, done: bool
) -> InlineKeyboardMarkup | None:
    """Acknowledge until someone has; then "Record what was done" until it is."""
    if done:
        return None
    if not acknowledged:
        press = ConcernPress(ConcernAction.ACKNOWLEDGE, concern_id)
        return InlineKeyboardMarkup([[_button(texts.ACKNOWLEDGE, press.pack())]])
    press = ConcernPress(ConcernAction.ACTIONS, concern_id)
    return InlineKeyboardMarkup([[_button(texts.RECORD_ACTION, press.pack())]])


def action_choice(concern_id: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(texts.ACTION_LABELS[action], ConcernDone(concern_id, action).pack())]
        for action in LeadAction
    ]
    return InlineKeyboardMarkup(rows)


def concern_list(concern_ids: Sequence[int]) -> InlineKeyboardMarkup:
    buttons = [
        _button(
            f"{texts.OPEN} {concern_reference(i)}",
            ConcernPress(ConcernAction.OPEN, i).pack(),
        )
        for i in concern_ids
    ]
    rows = [buttons[n : n + 2] for n in range(0, len(buttons), 2)]
    rows.append([_button("🔄 Refresh", ConcernList().pack())])
    return InlineKeyboardMarkup(rows)
