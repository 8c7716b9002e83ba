"""Reports after the fact: the coded outcomes offered by /close."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.reports import CloseCode
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.keyboards.common import pairs
from bot.texts.incidents import CLOSE_OUTCOME_LABELS


def close_outcomes(report_id: int) -> InlineKeyboardMarkup:
    """One button per outcome code, two to a row, in the list's order."""
    return InlineKeyboardMarkup(
        pairs(
            [
                InlineKeyboardButton(
                    CLOSE_OUTCOME_LABELS[code], callback_data=CloseCode(report_id, code).pack()
                )
                for code in CloseOutcome
            ]
        )
    )
