"""Coordinators' outputs: the /stats period choice."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.admin import (
    StatsPeriod,
)
from bot.texts.partnership.coordinator import (
    STATS_LAST_7_DAYS,
    STATS_LAST_30_DAYS,
    STATS_THIS_QUARTER,
)


def stats_periods() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(STATS_LAST_7_DAYS, callback_data=StatsPeriod("7d").pack()),
                InlineKeyboardButton(STATS_LAST_30_DAYS, callback_data=StatsPeriod("30d").pack()),
            ],
            [InlineKeyboardButton(STATS_THIS_QUARTER, callback_data=StatsPeriod("quarter").pack())],
        ]
    )
