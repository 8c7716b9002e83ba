"""Going on duty: the offer to add a location, and the phone's own location button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.callbacks.admin import (
    DutyLocation,
)
from bot.texts.duty import DUTY_LOCATION_BUTTON, DUTY_NO_LOCATION, DUTY_SEND_LOCATION


def duty_started(
    session_id: int, working_mode: list[InlineKeyboardButton] | None = None
) -> InlineKeyboardMarkup:
    """Add a location; and (staff safety) alone or paired, when asked."""
    location = InlineKeyboardButton(
        DUTY_LOCATION_BUTTON, callback_data=DutyLocation(session_id).pack()
    )
    return InlineKeyboardMarkup([[location], *([working_mode] if working_mode else [])])


def duty_location() -> ReplyKeyboardMarkup:
    """The phone's own location button, and a way out."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(DUTY_SEND_LOCATION, request_location=True)],
            [KeyboardButton(DUTY_NO_LOCATION)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
