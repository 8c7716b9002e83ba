"""Shift patterns, as admins list and change them."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks


def shift_list(shifts: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """shifts: (id, label) of each pattern, in the order listed."""
    rows = [
        [InlineKeyboardButton(label[:60], callback_data=callbacks.shift_action("show", shift_id))]
        for shift_id, label in shifts
    ]
    rows.append([InlineKeyboardButton("➕ Add a shift", callback_data=callbacks.shift_add())])
    return InlineKeyboardMarkup(rows)


def shift_actions(shift_id: int) -> InlineKeyboardMarkup:
    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callbacks.shift_action(action, shift_id))

    return InlineKeyboardMarkup(
        [
            [button("📅 Days", "days"), button("🕗 Start", "start"), button("🕒 End", "end")],
            [button("✏️ Rename", "ren"), button("🗑 Remove", "rm")],
            [InlineKeyboardButton("◀ All shifts", callback_data=callbacks.shifts_list())],
        ]
    )


def shift_confirm_remove(shift_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove", callback_data=callbacks.shift_action("rmok", shift_id)
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=callbacks.shift_action("show", shift_id)
                ),
            ]
        ]
    )
