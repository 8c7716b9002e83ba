"""Shift patterns, as admins list and change them."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.admin import (
    ShiftAction,
    ShiftAdd,
    ShiftPress,
    ShiftsList,
)


def shift_list(shifts: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """shifts: (id, label) of each pattern, in the order listed."""
    rows = [
        [
            InlineKeyboardButton(
                label[:60], callback_data=ShiftPress(ShiftAction.SHOW, shift_id).pack()
            )
        ]
        for shift_id, label in shifts
    ]
    rows.append([InlineKeyboardButton("➕ Add a shift", callback_data=ShiftAdd().pack())])
    return InlineKeyboardMarkup(rows)


def shift_actions(shift_id: int) -> InlineKeyboardMarkup:
    def button(label: str, action: ShiftAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=ShiftPress(action, shift_id).pack())

    return InlineKeyboardMarkup(
        [
            [
                button("📅 Days", ShiftAction.DAYS),
                button("🕗 Start", ShiftAction.START),
                button("🕒 End", ShiftAction.END),
            ],
            [button("✏️ Rename", ShiftAction.RENAME), button("🗑 Remove", ShiftAction.REMOVE)],
            [InlineKeyboardButton("◀ All shifts", callback_data=ShiftsList().pack())],
        ]
    )


def shift_confirm_remove(shift_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove",
                    callback_data=ShiftPress(ShiftAction.REMOVE_CONFIRMED, shift_id).pack(),
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=ShiftPress(ShiftAction.SHOW, shift_id).pack()
                ),
            ]
        ]
    )
