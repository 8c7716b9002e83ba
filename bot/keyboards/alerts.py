"""The buttons under every copy of an urgent alert."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.reports import (
    AlertAction,
    AlertResponse,
)


def alert_buttons(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ Acknowledge",
                    callback_data=AlertResponse(AlertAction.ACKNOWLEDGE, report_id).pack(),
                ),
                InlineKeyboardButton(
                    "🚶 Attending",
                    callback_data=AlertResponse(AlertAction.ATTENDING, report_id).pack(),
                ),
            ]
        ]
    )
