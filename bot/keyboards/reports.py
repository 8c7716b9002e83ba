"""Filing a report: the guided /report flow and the quick report's proposal."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.callbacks.reports import (
    PEOPLE_SKIP,
    KeptDraftAction,
    KeptDraftPress,
    QuickAction,
    QuickCancel,
    QuickChange,
    QuickConfirm,
    QuickToggleUrgent,
    QuickUnder18,
    ReportBackToSummary,
    ReportCancel,
    ReportCategory,
    ReportConfirm,
    ReportContinue,
    ReportEdit,
    ReportEditField,
    ReportHotspot,
    ReportMoreCategories,
    ReportPeople,
    ReportUnder18,
    ReportUrgent,
    ShowMore,
)
from bot.domain.callbacks.wire import Button
from bot.domain.reports.report_draft import DraftField
from bot.keyboards.common import CategoryLike, HotspotLike, pairs
from bot.texts.incidents import SHOW_MORE

SHARE_LOCATION = "📍 Share location"
TYPE_A_PLACE = "⌨️ Type a place"
URGENT = "Urgent ⚠️"
NOT_URGENT = "Not urgent"
MORE_CATEGORIES = "More…"
CONFIRM = "✅ Confirm"
EDIT = "✏️ Edit"
CANCEL = "✖️ Cancel"
CONTINUE = "➡️ Continue"
SKIP = "Skip"
CHANGE_CATEGORY = "📂 Change category"
CHANGE_PLACE = "📍 Change place"
URGENT_ON = "⚠️ Urgent: on"
URGENT_OFF = "Urgent: off"
UNDER_18_ON = "👶 Under 18 involved: yes"
UNDER_18_OFF = "👶 Under 18 involved? no"


def _cancel_row(draft_id: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(CANCEL, callback_data=ReportCancel(draft_id).pack())]


def report_categories(
    draft_id: str, categories: Sequence[CategoryLike], *, more: bool = False
) -> InlineKeyboardMarkup:
    """The categories to choose from; "More…" shows every category when some are left out."""
    buttons = [
        InlineKeyboardButton(c.name, callback_data=ReportCategory(draft_id, c.id or 0).pack())
        for c in categories
    ]
    rows = pairs(buttons)
    if more:
        more_button = ReportMoreCategories(draft_id).pack()
        rows.append([InlineKeyboardButton(MORE_CATEGORIES, callback_data=more_button)])
    return InlineKeyboardMarkup([*rows, _cancel_row(draft_id)])


def report_location() -> ReplyKeyboardMarkup:
    """The phone's own location button, and a way to type the place instead."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(SHARE_LOCATION, request_location=True)], [KeyboardButton(TYPE_A_PLACE)]],
        resize_keyboard=True,
        input_field_placeholder="Type the place",
    )


def report_hotspots(draft_id: str, hotspots: Sequence[HotspotLike]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"📍 {h.name}", callback_data=ReportHotspot(draft_id, h.id or 0).pack()
        )
        for h in hotspots
    ]
    return InlineKeyboardMarkup([*pairs(buttons), _cancel_row(draft_id)])


def _report(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


def report_continue(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_report(CONTINUE, ReportContinue(draft_id))], _cancel_row(draft_id)]
    )


def report_people(draft_id: str, bands: tuple[str, ...]) -> InlineKeyboardMarkup:
    counts = [
        InlineKeyboardButton(band, callback_data=ReportPeople(draft_id, band).pack())
        for band in bands
    ]
    skip = InlineKeyboardButton(SKIP, callback_data=ReportPeople(draft_id, PEOPLE_SKIP).pack())
    return InlineKeyboardMarkup([counts, [skip], _cancel_row(draft_id)])


def report_urgent(draft_id: str, *, preset: bool) -> InlineKeyboardMarkup:
    """The category's default (or the member's earlier answer) is ticked."""

    def button(label: str, urgent: bool) -> InlineKeyboardButton:
        tick = "✓ " if urgent is preset else ""
        return InlineKeyboardButton(
            tick + label, callback_data=ReportUrgent(draft_id, urgent).pack()
        )

    return InlineKeyboardMarkup(
        [[button(URGENT, True), button(NOT_URGENT, False)], _cancel_row(draft_id)]
    )


def report_summary(draft_id: str, *, under_18: bool = False) -> InlineKeyboardMarkup:
    """Confirm, Edit, the one-tap "Under 18 involved?" (yes: the safeguarding lead is told),
    Cancel."""
    return InlineKeyboardMarkup(
        [
            [
                _report(CONFIRM, ReportConfirm(draft_id)),
                _report(EDIT, ReportEdit(draft_id)),
            ],
            [_report(UNDER_18_ON if under_18 else UNDER_18_OFF, ReportUnder18(draft_id))],
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
        InlineKeyboardButton(
            label, callback_data=ReportEditField(draft_id, DraftField(field)).pack()
        )
        for field, label in REPORT_EDIT_LABELS
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=ReportBackToSummary(draft_id).pack())
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def quick_proposal(
    draft_id: str, *, urgent: bool = False, under_18: bool = False
) -> InlineKeyboardMarkup:
    """Confirm, change either reading, switch urgent on or off with one tap, or cancel."""
    change_category = QuickChange(draft_id, QuickAction.CHANGE_CATEGORY)
    change_place = QuickChange(draft_id, QuickAction.CHANGE_PLACE)
    return InlineKeyboardMarkup(
        [
            [_report(CONFIRM, QuickConfirm(draft_id))],
            [
                _report(CHANGE_CATEGORY, change_category),
                _report(CHANGE_PLACE, change_place),
            ],
            [_report(URGENT_ON if urgent else URGENT_OFF, QuickToggleUrgent(draft_id))],
            [_report(UNDER_18_ON if under_18 else UNDER_18_OFF, QuickUnder18(draft_id))],
            [_report(CANCEL, QuickCancel(draft_id))],
        ]
    )


def kept_drafts(draft_ids: Sequence[str]) -> InlineKeyboardMarkup:
    """/drafts: Resume or Drop, one row per kept draft, numbered as listed."""
    rows = [
        [
            _report(f"▶️ Resume {number}", KeptDraftPress(KeptDraftAction.RESUME, draft_id)),
            _report(f"🗑 Drop {number}", KeptDraftPress(KeptDraftAction.DROP, draft_id)),
        ]
        for number, draft_id in enumerate(draft_ids, start=1)
    ]
    return InlineKeyboardMarkup(rows)


def show_more(report_id: int, page: int) -> InlineKeyboardMarkup:
    """/show's next page of one report."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(SHOW_MORE, callback_data=ShowMore(report_id, page).pack())]]
    )
