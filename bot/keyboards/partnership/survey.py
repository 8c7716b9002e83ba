"""Keyboards of the public survey: every button carries the answers so far, tagged.

`sign` turns a button's payload into its tag (the round key and the person's key stay
with the caller).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.survey import SurveyAction, SurveyPress, payload
from bot.domain.partnership.survey import (
    NOT_ANSWERED,
    AgeGroup,
    Feeling,
    Gender,
    Progress,
    positions,
)
from bot.keyboards.common import pairs, ticked
from bot.texts.partnership import survey as wording

Sign = Callable[[str], str]


def _button(
    label: str, sign: Sign, action: SurveyAction, round_id: int, progress: Progress, value: int
) -> InlineKeyboardButton:
    tag = sign(payload(action, round_id, progress, value))
    press = SurveyPress(action, round_id, progress.day, progress.dark, progress.places, value, tag)
    return InlineKeyboardButton(label, callback_data=press.pack())


def feelings(
    action: SurveyAction, round_id: int, progress: Progress, sign: Sign
) -> InlineKeyboardMarkup:
    """Very safe … Very unsafe, one a row, and Don't know."""
    rows = [
        [_button(wording.FEELING_LABELS[f], sign, action, round_id, progress, int(f))]
        for f in Feeling
    ]
    return InlineKeyboardMarkup(rows)


def places(
    round_id: int, progress: Progress, names: Sequence[str], sign: Sign
) -> InlineKeyboardMarkup:
    chosen = set(positions(progress.places))
    buttons = [
        _button(ticked(name, i in chosen), sign, SurveyAction.TOGGLE, round_id, progress, i)
        for i, name in enumerate(names)
    ]
    rows = pairs(buttons)
    rows.append(
        [_button(wording.SOMEWHERE_ELSE, sign, SurveyAction.ELSEWHERE, round_id, progress, 0)]
    )
    done = wording.PLACES_DONE if chosen else wording.NONE_OF_THESE
    rows.append([_button(done, sign, SurveyAction.PLACES_DONE, round_id, progress, 0)])
    return InlineKeyboardMarkup(rows)


def skip_other_place(round_id: int, progress: Progress, sign: Sign) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(wording.SKIP, sign, SurveyAction.PLACES_DONE, round_id, progress, 0)]]
    )


def ages(round_id: int, sign: Sign) -> InlineKeyboardMarkup:
    none = Progress()
    buttons = [
        _button(wording.AGE_LABELS[a], sign, SurveyAction.AGE, round_id, none, int(a))
        for a in AgeGroup
    ]
    rows = pairs(buttons)
    rows.append([_button(wording.SKIP, sign, SurveyAction.AGE, round_id, none, NOT_ANSWERED)])
    return InlineKeyboardMarkup(rows)


def genders(round_id: int, sign: Sign) -> InlineKeyboardMarkup:
    none = Progress()
    buttons = [
        _button(wording.GENDER_LABELS[g], sign, SurveyAction.GENDER, round_id, none, int(g))
        for g in Gender
    ]
    rows = pairs(buttons)
    rows.append([_button(wording.SKIP, sign, SurveyAction.GENDER, round_id, none, NOT_ANSWERED)])
    return InlineKeyboardMarkup(rows)
