"""The referral queue's buttons and the "Rough sleeper seen" flow."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.keyboards.common import Named, pairs


def referral_buttons(referral_id: int, *, taken: bool) -> InlineKeyboardMarkup:
    take = InlineKeyboardButton("🙋 Take", callback_data=callbacks.referral("take", referral_id))
    row = [] if taken else [take]
    row.append(
        InlineKeyboardButton("🤝 Log contact", callback_data=callbacks.referral("log", referral_id))
    )
    row.append(
        InlineKeyboardButton("🔎 Not found", callback_data=callbacks.referral("nf", referral_id))
    )
    return InlineKeyboardMarkup([row])


def _rs(label: str, action: str, draft_id: str, arg: object | None = None) -> InlineKeyboardButton:
    args = (draft_id,) if arg is None else (draft_id, arg)
    return InlineKeyboardButton(label, callback_data=callbacks.rough_sleeper(action, *args))


RS_WHEN_CHOICES: tuple[tuple[str, int], ...] = (
    ("Just now", 0),
    ("About 30 min ago", 30),
    ("About 1 hour ago", 60),
    ("About 2 hours ago", 120),
    ("Earlier (4 hours or more)", 240),
)


def rs_places(draft_id: str, hotspots: Sequence[Named]) -> InlineKeyboardMarkup:
    buttons = [_rs(f"📍 {h.name}", "hot", draft_id, h.id) for h in hotspots]
    return InlineKeyboardMarkup([*pairs(buttons), [_rs("✖️ Cancel", "x", draft_id)]])


def rs_when(draft_id: str) -> InlineKeyboardMarkup:
    rows = [[_rs(label, "when", draft_id, minutes)] for label, minutes in RS_WHEN_CHOICES]
    rows.append([_rs("✖️ Cancel", "x", draft_id)])
    return InlineKeyboardMarkup(rows)


def rs_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_rs("Skip ▶", "skip", draft_id), _rs("✖️ Cancel", "x", draft_id)]])


def rs_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_rs("✅ Send to outreach", "ok", draft_id), _rs("✖️ Cancel", "x", draft_id)]]
    )
