"""Coordinators' outputs: the /stats period choice."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.texts.coordinator import STATS_LAST_7_DAYS, STATS_LAST_30_DAYS, STATS_THIS_QUARTER


def stats_periods() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(STATS_LAST_7_DAYS, callback_data=callbacks.stats_period("7d")),
                InlineKeyboardButton(
                    STATS_LAST_30_DAYS, callback_data=callbacks.stats_period("30d")
                ),
            ],
            [
                InlineKeyboardButton(
                    STATS_THIS_QUARTER, callback_data=callbacks.stats_period("quarter")
                )
            ],
        ]
    )
