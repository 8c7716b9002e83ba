"""Filing a report: the guided /report flow and the quick report's proposal."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain import callbacks
from bot.keyboards.common import Named, pairs

SHARE_LOCATION = "📍 Share location"
TYPE_A_PLACE = "⌨️ Type a place"
URGENT = "Urgent ⚠️"
NOT_URGENT = "Not urgent"
PEOPLE_SKIP = "skip"


def _cancel_row(draft_id: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.report_button("x", draft_id))]


def report_categories(draft_id: str, categories: Sequence[Named]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(c.name, callback_data=callbacks.report_button("cat", draft_id, c.id))
        for c in categories
    ]
    return InlineKeyboardMarkup([*pairs(buttons), _cancel_row(draft_id)])


def report_location() -> ReplyKeyboardMarkup:
    """The phone's own location button, and a way to type the place instead."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(SHARE_LOCATION, request_location=True)], [KeyboardButton(TYPE_A_PLACE)]],
        resize_keyboard=True,
        input_field_placeholder="Type the place",
    )


def report_hotspots(draft_id: str, hotspots: Sequence[Named]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"📍 {h.name}", callback_data=callbacks.report_button("hot", draft_id, h.id)
        )
        for h in hotspots
    ]
    return InlineKeyboardMarkup([*pairs(buttons), _cancel_row(draft_id)])


def _report(label: str, action: str, draft_id: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.report_button(action, draft_id))


def report_continue(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_report("➡️ Continue", "go", draft_id)], _cancel_row(draft_id)])


def report_people(draft_id: str, bands: tuple[str, ...]) -> InlineKeyboardMarkup:
    counts = [
        InlineKeyboardButton(band, callback_data=callbacks.report_button("ppl", draft_id, band))
        for band in bands
    ]
    skip = InlineKeyboardButton(
        "Skip", callback_data=callbacks.report_button("ppl", draft_id, PEOPLE_SKIP)
    )
    return InlineKeyboardMarkup([counts, [skip], _cancel_row(draft_id)])


def report_urgent(draft_id: str, *, preset: bool) -> InlineKeyboardMarkup:
    """The category's default (or the member's earlier answer) is ticked."""

    def button(label: str, urgent: bool) -> InlineKeyboardButton:
        tick = "✓ " if urgent is preset else ""
        return InlineKeyboardButton(
            tick + label, callback_data=callbacks.report_button("urg", draft_id, int(urgent))
        )

    return InlineKeyboardMarkup(
        [[button(URGENT, True), button(NOT_URGENT, False)], _cancel_row(draft_id)]
    )


def report_summary(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_report("✅ Confirm", "ok", draft_id), _report("✏️ Edit", "edit", draft_id)],
            _cancel_row(draft_id),
        ]
    )


REPORT_EDIT_LABELS = (
    ("category", "📂 Category"),
    ("place", "📍 Place"),
    ("what", "📝 What happened"),
    ("people", "👥 People"),
    ("urgent", "⚠️ Urgent?"),
)


def report_edit_fields(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(label, callback_data=callbacks.report_button("ed", draft_id, field))
        for field, label in REPORT_EDIT_LABELS
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.report_button("sum", draft_id))
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def quick_proposal(draft_id: str) -> InlineKeyboardMarkup:
    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callbacks.quick_button(action, draft_id))

    return InlineKeyboardMarkup(
        [
            [button("✅ Confirm", "ok")],
            [button("📂 Change category", "cat"), button("📍 Change place", "place")],
            [button("✖️ Cancel", "x")],
        ]
    )
