"""The buttons under every copy of an urgent alert."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks


def alert_buttons(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ Acknowledge", callback_data=callbacks.incident_ack(report_id)
                ),
                InlineKeyboardButton(
                    "🚶 Attending", callback_data=callbacks.incident_attending(report_id)
                ),
            ]
        ]
    )
