"""Coded outcomes of closed incidents: the fixed list a coordinator picks at /close.

The code is what the quarterly pack counts; the free text beside it (optional) is what
happened in the coordinator's words. Pure values: bot.texts words them for people.
"""

from __future__ import annotations

from enum import StrEnum


class CloseOutcome(StrEnum):
    ADVICE = "advice"  # words of advice given
    MOVED_ON = "moved_on"
    ARREST = "arrest"
    REFERRED = "referred"  # referred to another agency
    NO_FURTHER_ACTION = "nfa"
    UNFOUNDED = "unfounded"
    OTHER = "other"


def parse_outcome(value: str | None) -> CloseOutcome | None:
    """A stored or pressed code; None for no code or one this version does not know."""
    try:
        return CloseOutcome(value) if value else None
    except ValueError:
        return None
