"""The buttons under every copy of an urgent alert, as its recipient may use them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.reports import (
    AlertAction,
    AlertResponse,
)
from bot.texts import alerts as alert_texts


def alert_keyboard(
    report_id: int, *, acknowledge: bool, attend: bool, not_attending: bool
) -> InlineKeyboardMarkup | None:
    """An alert copy's buttons, as the one it was sent to may use them (None: none)."""
    row = []
    if acknowledge:
        row.append(_button(alert_texts.ACKNOWLEDGE_BUTTON, AlertAction.ACKNOWLEDGE, report_id))
    if attend:
        row.append(_button(alert_texts.ATTEND_BUTTON, AlertAction.ATTENDING, report_id))
    rows = [row] if row else []
    if not_attending:
        rows.append(
            [_button(alert_texts.NOT_ATTENDING_BUTTON, AlertAction.NOT_ATTENDING, report_id)]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def _button(label: str, action: AlertAction, report_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=AlertResponse(action, report_id).pack())
