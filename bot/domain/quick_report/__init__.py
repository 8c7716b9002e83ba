"""Quick report: read a plain street message for a proposed category and hotspot.

"3 lads drinking by the fountain in Elmer Square" proposes *street drinking* at
*Elmer Square*; the member then confirms or changes both, so this package guesses and never
decides. It is pure domain code (stdlib and rapidfuzz only).

Build one `Matcher` from the current categories and hotspots and reuse it for every
message; the module-level `match_category`, `match_place` and `propose` functions build a
throwaway Matcher and suit one-off calls and tests.

Known limits, accepted because a person confirms every proposal: no negation ("no knife
seen" still proposes *weapon*) and one place per message (the best-ranked mention wins).

categories: the default categories and their keywords; words: normalisation and the
everyday words never read as typos; matching: the Matcher and what it proposes. The names
below are importable from the package itself.
"""

from __future__ import annotations

from bot.domain.quick_report.categories import (
    DEFAULT_CATEGORIES,
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
from bot.domain.quick_report.words import COMMON_LOOKALIKES, normalise

__all__ = [
    "COMMON_LOOKALIKES",
    "DEFAULT_CATEGORIES",
    "CategoryMatch",
    "CategoryRule",
    "DefaultCategory",
    "Matcher",
    "PlaceMatch",
    "Proposal",
    "default_rules",
    "match_category",
    "match_place",
    "normalise",
    "propose",
]
