"""A person's outcome (a move into accommodation), from /person: which, then which day."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.street_outreach import (
    MAX_OUTCOME_DAYS_AGO,
    PersonAction,
    PersonOutcomeDay,
    PersonOutcomeKind,
    PersonPress,
)
from bot.domain.rough_sleeping import MoveOutcome
from bot.keyboards.common import pairs
from bot.texts.outreach_records import MOVE_LABELS, day_button


def _back(person_id: int) -> list[InlineKeyboardButton]:
    show = PersonPress(PersonAction.SHOW, person_id).pack()
    return [InlineKeyboardButton("◀ Back", callback_data=show)]


def outcome_kinds(person_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            label,
            callback_data=PersonOutcomeKind(PersonAction.OUTCOME_KIND, person_id, kind).pack(),
        )
        for kind, label in MOVE_LABELS.items()
    ]
    return InlineKeyboardMarkup([*pairs(buttons), _back(person_id)])


def outcome_days(person_id: int, outcome: MoveOutcome, today: date) -> InlineKeyboardMarkup:
    """Today and the days before it (two weeks), and "another date" to type."""
    buttons = [
        InlineKeyboardButton(
            day_button(ago, today - timedelta(days=ago)),
            callback_data=PersonOutcomeDay(person_id, outcome, ago).pack(),
        )
        for ago in range(MAX_OUTCOME_DAYS_AGO + 1)
    ]
    typed = PersonOutcomeKind(PersonAction.OUTCOME_TYPED, person_id, outcome).pack()
    return InlineKeyboardMarkup(
        [
            *[buttons[i : i + 3] for i in range(0, len(buttons), 3)],
            [InlineKeyboardButton("📅 Another date", callback_data=typed)],
            _back(person_id),
        ]
    )
