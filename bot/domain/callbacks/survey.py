"""Buttons of the public survey (sv): the one family a stranger may press.

`sv:<action>:<round>:<day>:<dark>:<places>:<value>:<tag>`, all small ints but the tag:
the answers so far travel here (never in per-user state), and the tag, a short MAC under
the round's key over everything before it and the person's key, refuses a forged or
copied button. Longest case: `sv:t:2147483647:5:4:4095:11:AbCdEfGh` is 37 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import SURVEY
from bot.domain.callbacks.wire import Button, Family, build
from bot.domain.partnership.survey import Progress


class SurveyAction(StrEnum):
    DAY = "d"  # value: how safe by day
    DARK = "n"  # value: how safe after dark
    TOGGLE = "t"  # value: a place's position, avoided or not
    ELSEWHERE = "o"  # "somewhere else": asks for the place in words
    PLACES_DONE = "f"  # places chosen: the answer is stored
    AGE = "a"  # value: age group (0: skipped)
    GENDER = "g"  # value: gender (0: skipped)


class SurveyButton(Button):
    PREFIX = SURVEY


@dataclass(frozen=True)
class SurveyPress(SurveyButton, actions=tuple(SurveyAction)):
    action: SurveyAction
    round_id: int
    day: int
    dark: int
    places: int
    value: int
    tag: str

    @property
    def progress(self) -> Progress:
        return Progress(self.day, self.dark, self.places)

    @property
    def payload(self) -> str:
        """What the tag signs: the data before it."""
        return payload(self.action, self.round_id, self.progress, self.value)


def payload(action: SurveyAction, round_id: int, progress: Progress, value: int) -> str:
    return build(
        SURVEY, action.value, round_id, progress.day, progress.dark, progress.places, value
    )


SURVEY_BUTTONS = Family[SurveyPress](SurveyPress)
