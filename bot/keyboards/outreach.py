"""Logging an outreach contact (/contact): one button family, one draft."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.street_outreach import (
    ConsentAnswer,
    ContactAction,
    ContactAge,
    ContactConsent,
    ContactExploitation,
    ContactHotspot,
    ContactKnownPlace,
    ContactLocal,
    ContactPerson,
    ContactPress,
    ContactSite,
    ContactTick,
)
from bot.domain.callbacks.wire import Button
from bot.domain.outreach import (
    SLEEPING_SITE_LABELS,
    AgeBand,
    PersonFacts,
    SleepingSite,
)
from bot.keyboards.common import HotspotLike, pairs, ticked
from bot.texts import safeguarding as safeguarding_texts
from bot.texts.common import shorten
from bot.texts.outreach import person_button
from bot.texts.outreach_records import CONNECTION_LABELS

_Choice = TypeVar("_Choice", bound=StrEnum)


def _out(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


def _out_cancel(draft_id: str) -> list[InlineKeyboardButton]:
    return [_out("✖️ Cancel", ContactPress(draft_id, ContactAction.CANCEL))]


def contact_cancel(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_out_cancel(draft_id)])


def contact_choose(draft_id: str, people: Sequence[PersonFacts] = ()) -> InlineKeyboardMarkup:
    rows = [
        [_out(person_button(i, p), ContactPerson(draft_id, ContactAction.PICK, p.id))]
        for i, p in enumerate(people, start=1)
    ]
    rows.append(
        [
            _out("➕ New person", ContactPress(draft_id, ContactAction.NEW_PERSON)),
            _out("👤 Anonymous", ContactPress(draft_id, ContactAction.ANONYMOUS)),
        ]
    )
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_same_person(draft_id: str, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [_out(f"✅ Yes: {person_button(i, p)}", ContactPerson(draft_id, ContactAction.SAME, p.id))]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ No, a new person", ContactPress(draft_id, ContactAction.NOT_SAME))])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_age(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [_out(band.label.capitalize(), ContactAge(draft_id, band)) for band in AgeBand]
    return InlineKeyboardMarkup([*pairs(buttons), _out_cancel(draft_id)])


def contact_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_out("Skip ▶", ContactPress(draft_id, ContactAction.SKIP)), *_out_cancel(draft_id)]]
    )


def contact_places(
    draft_id: str, hotspots: Sequence[HotspotLike], *, referral_place: bool
) -> InlineKeyboardMarkup:
    buttons = [_out(f"📍 {h.name}", ContactHotspot(draft_id, h.id or 0)) for h in hotspots]
    rows = pairs(buttons)
    if referral_place:
        rows.insert(
            0,
            [
                _out(
                    "📍 Where the referral was",
                    ContactPress(draft_id, ContactAction.REFERRAL_PLACE),
                )
            ],
        )
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


# Bedded down (sleeping rough) at these sites; the last two are "not bedded down: at risk".
BEDDED_SITES = (SleepingSite.DOORWAY, SleepingSite.TENT, SleepingSite.CAR, SleepingSite.OTHER)
AT_RISK_SITES = (SleepingSite.BEGGING_PITCH, SleepingSite.NOT_SLEEPING_OUT)


def contact_sites(draft_id: str) -> InlineKeyboardMarkup:
    """One tap: where they sleep, and bedded down or only at risk."""
    bedded = [
        _out(f"🛏 {SLEEPING_SITE_LABELS[site]}", ContactSite(draft_id, site, True))
        for site in BEDDED_SITES
    ]
    at_risk = [
        _out(f"⚠️ {SLEEPING_SITE_LABELS[site]} (at risk)", ContactSite(draft_id, site, False))
        for site in AT_RISK_SITES
    ]
    return InlineKeyboardMarkup([*pairs(bedded), *pairs(at_risk), _out_cancel(draft_id)])


def contact_local(draft_id: str, before: str | None) -> InlineKeyboardMarkup:
    """Local connection: yes / no / unknown, and "as last time" when there was one."""
    rows = [
        [_out(label, ContactLocal(draft_id, answer)) for answer, label in CONNECTION_LABELS.items()]
    ]
    if before is not None:
        again = ContactPress(draft_id, ContactAction.LOCAL_AGAIN)
        rows.insert(0, [_out(f"↩️ As last time: {shorten(before, 40)}", again)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_connection_places(draft_id: str, places: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [
        _out(f"📍 {shorten(place, 30)}", ContactKnownPlace(draft_id, i))
        for i, place in enumerate(places)
    ]
    return InlineKeyboardMarkup(
        [
            *pairs(buttons),
            [_out("Skip ▶", ContactPress(draft_id, ContactAction.SKIP)), *_out_cancel(draft_id)],
        ]
    )


def contact_multi(
    draft_id: str,
    labels: Mapping[_Choice, str],
    chosen: Sequence[_Choice],
    *,
    toggle: ContactAction,
    done: ContactAction,
) -> InlineKeyboardMarkup:
    """A multi-select: each press toggles a ✓; Done moves on."""
    buttons = [
        _out(ticked(label, value in chosen), ContactTick(draft_id, toggle, value.value))
        for value, label in labels.items()
    ]
    return InlineKeyboardMarkup(
        [
            *pairs(buttons),
            [_out("Done ▶", ContactPress(draft_id, done))],
            _out_cancel(draft_id),
        ]
    )


def contact_consent(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _out("Yes", ContactConsent(draft_id, ConsentAnswer.YES)),
                _out("No", ContactConsent(draft_id, ConsentAnswer.NO)),
            ],
            [_out("Not asked / no change", ContactConsent(draft_id, ConsentAnswer.NOT_ASKED))],
            _out_cancel(draft_id),
        ]
    )


def contact_confirm(draft_id: str, *, exploitation: str | None = None) -> InlineKeyboardMarkup:
    """Save or cancel; above them, a tap flags exploitation (the chosen one ticked, tapped
    again to take it off): saving then raises a safeguarding concern."""
    flags = [
        _out(
            ("✓ " if kind.value == exploitation else "🛡 ") + label,
            ContactExploitation(draft_id, kind),
        )
        for kind, label in safeguarding_texts.EXPLOITATION_BUTTONS.items()
    ]
    return InlineKeyboardMarkup(
        [
            flags,
            [_out("✅ Save", ContactPress(draft_id, ContactAction.SAVE)), *_out_cancel(draft_id)],
        ]
    )
