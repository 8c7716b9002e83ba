"""Person records: search hits, edits, merges and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.street_outreach import (
    ConsentAnswer,
    ContactFor,
    EraseCancel,
    EraseConfirm,
    PersonAction,
    PersonAge,
    PersonConsent,
    PersonDetail,
    PersonFlag,
    PersonMerge,
    PersonPress,
)
from bot.domain.outreach import (
    FLAG_LABELS,
    AgeBand,
    Flag,
    PersonFacts,
    PersonField,
)
from bot.keyboards.common import pairs, ticked
from bot.texts.admin.people import PERSON_FIELD_LABELS, erase_button
from bot.texts.outreach import person_button


def person_hits(people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    person_button(i, p), callback_data=PersonPress(PersonAction.SHOW, p.id).pack()
                )
            ]
            for i, p in enumerate(people, start=1)
        ]
    )


def person_actions(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🤝 Log contact", callback_data=ContactFor(person_id).pack()),
                InlineKeyboardButton(
                    "✏️ Edit", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    "🏠 Outcome: moved",
                    callback_data=PersonPress(PersonAction.OUTCOME, person_id).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    "🔀 Merge another record into this",
                    callback_data=PersonPress(PersonAction.MERGE, person_id).pack(),
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
            PERSON_FIELD_LABELS[f], callback_data=PersonDetail(person.id, PersonField(f)).pack()
        )
        for f in fields
    ]
    back = InlineKeyboardButton(
        "◀ Back", callback_data=PersonPress(PersonAction.SHOW, person.id).pack()
    )
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def person_age(person_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            band.label.capitalize(), callback_data=PersonAge(person_id, band).pack()
        )
        for band in AgeBand
    ]
    back = InlineKeyboardButton(
        "◀ Back", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
    )
    return InlineKeyboardMarkup([*pairs(buttons), [back]])


def person_flags(person_id: int, chosen: Sequence[Flag]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ticked(label, flag in chosen),
                callback_data=PersonFlag(person_id, flag).pack(),
            )
        ]
        for flag, label in FLAG_LABELS.items()
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "Done ✅", callback_data=PersonPress(PersonAction.FLAGS_DONE, person_id).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def person_consent(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "Yes", callback_data=PersonConsent(person_id, ConsentAnswer.YES).pack()
                ),
                InlineKeyboardButton(
                    "No", callback_data=PersonConsent(person_id, ConsentAnswer.NO).pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    "◀ Back", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
                )
            ],
        ]
    )


def merge_hits(keep_id: int, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                person_button(i, p),
                callback_data=PersonMerge(PersonAction.MERGE_PICK, keep_id, p.id).pack(),
            )
        ]
        for i, p in enumerate(people, start=1)
    ]
    cancel = PersonPress(PersonAction.SHOW, keep_id).pack()
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=cancel)])
    return InlineKeyboardMarkup(rows)


def merge_confirm(keep_id: int, other_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🔀 Merge",
                    callback_data=PersonMerge(PersonAction.MERGE_CONFIRM, keep_id, other_id).pack(),
                ),
                InlineKeyboardButton(
                    "✖️ Cancel", callback_data=PersonPress(PersonAction.SHOW, keep_id).pack()
                ),
            ]
        ]
    )


def erase_choose(people: Sequence[PersonFacts], tz: ZoneInfo) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(erase_button(p, tz), callback_data=EraseConfirm(p.id).pack())]
        for p in people
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=EraseCancel().pack())])
    return InlineKeyboardMarkup(rows)
