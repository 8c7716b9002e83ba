"""Quick report: read a plain street message for a category, a place and its urgency.

"3 lads drinking by the fountain in Elmer Square" proposes *street drinking* at
*Elmer Square*; "lad with a knife outside wetherspoons, urgent" proposes *weapon seen*,
urgent (the words say so, and why), at the place text "outside wetherspoons". The member
then confirms or changes what was read, so this package guesses and never decides. It is
pure domain code (stdlib and rapidfuzz only).

Build one `Matcher` from the current categories and hotspots and reuse it for every
message; the module-level `match_category`, `match_place` and `propose` functions build a
throwaway Matcher and suit one-off calls and tests.

Known limits, accepted because a person confirms every proposal: no negation for
categories ("no knife seen" still proposes *weapon*, though not urgent for the word) and
one place per message (hotspots first, the last one named; else the first place phrase).
tests/data/quick_report_corpus.tsv measures the reading on realistic messages.

categories: the default categories and their keywords; words: normalisation, the words
never read as typos, and words with their spans; places: place phrases that are not
hotspots; urgency: urgent words and the words that calm a message; matching: the Matcher
and what it proposes. The names below are importable from the package itself.
"""

from __future__ import annotations

from bot.domain.quick_report.categories import (
    DEFAULT_CATEGORIES,
    LIFE_AT_RISK_SLUGS,
    CategoryRule,
    DefaultCategory,
    default_rules,
)
from bot.domain.quick_report.matching import (
    CategoryMatch,
    Matcher,
    PlaceMatch,
    Proposal,
    match_category,
    match_place,
    propose,
)
from bot.domain.quick_report.places import PlaceText, find_place_text
from bot.domain.quick_report.urgency import Urgency, read_urgency
from bot.domain.quick_report.words import COMMON_LOOKALIKES, Token, normalise, tokenise

__all__ = [
    "COMMON_LOOKALIKES",
    "DEFAULT_CATEGORIES",
    "LIFE_AT_RISK_SLUGS",
    "CategoryMatch",
    "CategoryRule",
    "DefaultCategory",
    "Matcher",
    "PlaceMatch",
    "PlaceText",
    "Proposal",
    "Token",
    "Urgency",
    "default_rules",
    "find_place_text",
    "match_category",
    "match_place",
    "normalise",
    "propose",
    "read_urgency",
    "tokenise",
]
