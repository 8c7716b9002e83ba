"""The referral queue's buttons and the "Rough sleeper seen" flow."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.street_outreach import (
    ReferralAction,
    ReferralNotFoundCancel,
    ReferralPress,
    SightingAction,
    SightingAge,
    SightingDanger,
    SightingHotspot,
    SightingPress,
    SightingWhen,
)
from bot.domain.callbacks.wire import Button
from bot.domain.referrals import DangerAnswer
from bot.keyboards.common import HotspotLike, pairs
from bot.texts.referrals import DANGER_LABELS


def referral_buttons(referral_id: int, *, taken: bool) -> InlineKeyboardMarkup:
    take = InlineKeyboardButton(
        "🙋 Take", callback_data=ReferralPress(ReferralAction.TAKE, referral_id).pack()
    )
    row = [] if taken else [take]
    row.append(
        InlineKeyboardButton(
            "🤝 Log contact", callback_data=ReferralPress(ReferralAction.LOG, referral_id).pack()
        )
    )
    row.append(
        InlineKeyboardButton(
            "🔎 Not found",
            callback_data=ReferralPress(ReferralAction.NOT_FOUND, referral_id).pack(),
        )
    )
    return InlineKeyboardMarkup([row])


def not_found_cancel() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("✖️ Cancel", callback_data=ReferralNotFoundCancel().pack())]]
    )


def _rs(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


RS_WHEN_CHOICES: tuple[tuple[str, int], ...] = (
    ("Just now", 0),
    ("About 30 min ago", 30),
    ("About 1 hour ago", 60),
    ("About 2 hours ago", 120),
    ("Earlier (4 hours or more)", 240),
)


def rs_danger(draft_id: str) -> InlineKeyboardMarkup:
    """StreetLink's scope question: Yes / No / Not sure."""
    yes, no, unsure = (
        _rs(f"{icon} {DANGER_LABELS[a.value]}", SightingDanger(draft_id, a))
        for icon, a in (
            ("🚨", DangerAnswer.YES),
            ("🙂", DangerAnswer.NO),
            ("🤷", DangerAnswer.NOT_SURE),
        )
    )
    return InlineKeyboardMarkup([[yes], [no, unsure], [_rs_cancel(draft_id)]])


def rs_places(draft_id: str, hotspots: Sequence[HotspotLike]) -> InlineKeyboardMarkup:
    buttons = [_rs(f"📍 {h.name}", SightingHotspot(draft_id, h.id or 0)) for h in hotspots]
    return InlineKeyboardMarkup([*pairs(buttons), [_rs_cancel(draft_id)]])


def rs_when(draft_id: str) -> InlineKeyboardMarkup:
    rows = [[_rs(label, SightingWhen(draft_id, minutes))] for label, minutes in RS_WHEN_CHOICES]
    rows.append([_rs_cancel(draft_id)])
    return InlineKeyboardMarkup(rows)


def rs_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_rs("Skip ▶", SightingPress(draft_id, SightingAction.SKIP)), _rs_cancel(draft_id)]]
    )


def rs_under_18(draft_id: str) -> InlineKeyboardMarkup:
    """StreetLink's first scope question: under-18s are not a rough sleeping referral."""
    return InlineKeyboardMarkup(
        [
            [
                _rs("Yes", SightingAge(draft_id, True)),
                _rs("No", SightingAge(draft_id, False)),
            ],
            [_rs_cancel(draft_id)],
        ]
    )


def rs_confirm(draft_id: str, *, under_18: bool = False) -> InlineKeyboardMarkup:
    send = "✅ Send to the safeguarding lead" if under_18 else "✅ Send to outreach"
    return InlineKeyboardMarkup(
        [[_rs(send, SightingPress(draft_id, SightingAction.SEND)), _rs_cancel(draft_id)]]
    )


def _rs_cancel(draft_id: str) -> InlineKeyboardButton:
    return _rs("✖️ Cancel", SightingPress(draft_id, SightingAction.CANCEL))
