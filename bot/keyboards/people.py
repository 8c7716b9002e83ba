"""Person records: search hits, edits, merges and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.domain.outreach import FLAG_LABELS, AgeBand, Flag, PersonFacts
from bot.keyboards.common import pairs, ticked
from bot.texts.outreach import person_button
from bot.texts.people import PERSON_FIELD_LABELS, erase_button


def person_hits(people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    person_button(i, p), callback_data=callbacks.person("show", p.id)
                )
            ]
            for i, p in enumerate(people, start=1)
        ]
    )


def person_actions(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🤝 Log contact", callback_data=callbacks.outreach("for", person_id)
                ),
                InlineKeyboardButton("✏️ Edit", callback_data=callbacks.person("edit", person_id)),
            ],
            [
                InlineKeyboardButton(
                    "🔀 Merge another record into this",
                    callback_data=callbacks.person("merge", person_id),
                )
            ],
        ]
    )


def person_edit_menu(person: PersonFacts) -> InlineKeyboardMarkup:
    fields = ["alias", "appearance", "age_band", "gender", "usual_sites", "flags", "consent"]
    if person.consent:
        fields.append("legal_name")
    buttons = [
        InlineKeyboardButton(
            PERSON_FIELD_LABELS[f], callback_data=callbacks.person("f", person.id, f)
        )
        for f in fields
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.person("show", person.id))
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def person_age(person_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            band.label.capitalize(), callback_data=callbacks.person("age", person_id, band.value)
        )
        for band in AgeBand
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.person("edit", person_id))
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def person_flags(person_id: int, chosen: Sequence[Flag]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ticked(label, flag in chosen),
                callback_data=callbacks.person("flag", person_id, flag.value),
            )
        ]
        for flag, label in FLAG_LABELS.items()
    ]
    rows.append(
        [InlineKeyboardButton("Done ✅", callback_data=callbacks.person("flags", person_id))]
    )
    return InlineKeyboardMarkup(rows)


def person_consent(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data=callbacks.person("cons", person_id, "y")),
                InlineKeyboardButton("No", callback_data=callbacks.person("cons", person_id, "n")),
            ],
            [InlineKeyboardButton("◀ Back", callback_data=callbacks.person("edit", person_id))],
        ]
    )


def merge_hits(keep_id: int, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                person_button(i, p), callback_data=callbacks.person("mrg", keep_id, p.id)
            )
        ]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.person("show", keep_id))])
    return InlineKeyboardMarkup(rows)


def merge_confirm(keep_id: int, other_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🔀 Merge", callback_data=callbacks.person("mok", keep_id, other_id)
                ),
                InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.person("show", keep_id)),
            ]
        ]
    )


def erase_choose(people: Sequence[PersonFacts], tz: ZoneInfo) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(erase_button(p, tz), callback_data=callbacks.erase("ok", p.id))]
        for p in people
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.erase("x"))])
    return InlineKeyboardMarkup(rows)
