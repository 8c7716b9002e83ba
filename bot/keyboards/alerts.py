"""The buttons under every copy of an urgent alert, as its recipient may use them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.alerts.cctv import CameraAnswer
from bot.domain.callbacks.reports import (
    AlertAction,
    AlertResponse,
)
from bot.texts import alerts as alert_texts
from bot.texts import cctv as cctv_texts


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


def camera_keyboard(report_id: int, *, answered: CameraAnswer | None) -> InlineKeyboardMarkup:
    """A CCTV operator's copy: their two answers (the one given already left off)."""
    row = []
    if answered is not CameraAnswer.ON_IT:
        row.append(_button(cctv_texts.CAMERA_ON_BUTTON, AlertAction.CAMERA_ON, report_id))
    if answered is not CameraAnswer.NO_CAMERA:
        row.append(_button(cctv_texts.NO_CAMERA_BUTTON, AlertAction.NO_CAMERA, report_id))
    return InlineKeyboardMarkup([row])


def _button(label: str, action: AlertAction, report_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=AlertResponse(action, report_id).pack())
