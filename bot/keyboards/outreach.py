"""Logging an outreach contact (/contact): one button family, one draft."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.domain.outreach import SLEEPING_SITE_LABELS, AgeBand, PersonFacts
from bot.keyboards.common import Named, pairs, ticked
from bot.texts.outreach import person_button

_Choice = TypeVar("_Choice", bound=StrEnum)


def _out(label: str, action: str, draft_id: str, arg: object | None = None) -> InlineKeyboardButton:
    args = (draft_id,) if arg is None else (draft_id, arg)
    return InlineKeyboardButton(label, callback_data=callbacks.outreach(action, *args))


def _out_cancel(draft_id: str) -> list[InlineKeyboardButton]:
    return [_out("✖️ Cancel", "x", draft_id)]


def contact_cancel(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_out_cancel(draft_id)])


def contact_choose(draft_id: str, people: Sequence[PersonFacts] = ()) -> InlineKeyboardMarkup:
    rows = [
        [_out(person_button(i, p), "pick", draft_id, p.id)] for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ New person", "newp", draft_id), _out("👤 Anonymous", "anon", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_same_person(draft_id: str, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [_out(f"✅ Yes: {person_button(i, p)}", "same", draft_id, p.id)]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ No, a new person", "notsame", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_age(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [_out(band.label.capitalize(), "age", draft_id, band.value) for band in AgeBand]
    return InlineKeyboardMarkup([*pairs(buttons), _out_cancel(draft_id)])


def contact_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_out("Skip ▶", "skip", draft_id), *_out_cancel(draft_id)]])


def contact_places(
    draft_id: str, hotspots: Sequence[Named], *, referral_place: bool
) -> InlineKeyboardMarkup:
    buttons = [_out(f"📍 {h.name}", "hot", draft_id, h.id) for h in hotspots]
    rows = pairs(buttons)
    if referral_place:
        rows.insert(0, [_out("📍 Where the referral was", "refplace", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_sites(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [
        _out(label, "site", draft_id, site.value) for site, label in SLEEPING_SITE_LABELS.items()
    ]
    return InlineKeyboardMarkup([*pairs(buttons), _out_cancel(draft_id)])


def contact_multi(
    draft_id: str,
    labels: Mapping[_Choice, str],
    chosen: Sequence[_Choice],
    *,
    toggle: str,
    done: str,
) -> InlineKeyboardMarkup:
    """A multi-select: each press toggles a ✓; Done moves on."""
    buttons = [
        _out(ticked(label, value in chosen), toggle, draft_id, value.value)
        for value, label in labels.items()
    ]
    return InlineKeyboardMarkup(
        [*pairs(buttons), [_out("Done ▶", done, draft_id)], _out_cancel(draft_id)]
    )


def contact_consent(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_out("Yes", "cons", draft_id, "y"), _out("No", "cons", draft_id, "n")],
            [_out("Not asked / no change", "cons", draft_id, "u")],
            _out_cancel(draft_id),
        ]
    )


def contact_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_out("✅ Save", "save", draft_id), *_out_cancel(draft_id)]])
