"""/stats filters: a hotspot or a category named after the period, spelling-tolerant.

`/stats 30d Elmer Square`, `/stats quarter street drinking`, `/stats 7d elmer sq`. Pure:
matched against the names (and aliases, slugs) given; the closest wins, a tie is refused.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

CUTOFF = 0.72  # how alike a name must be (difflib's ratio) to count as meant


class ScopeKind(StrEnum):
    HOTSPOT = "hotspot"
    CATEGORY = "category"


@dataclass(frozen=True)
class Candidate:
    kind: ScopeKind
    id: int
    name: str
    other_names: tuple[str, ...] = ()  # aliases of a hotspot, the slug of a category


@dataclass(frozen=True)
class StatsScope:
    kind: ScopeKind
    id: int
    name: str


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _score(wanted: str, name: str) -> float:
    name = _folded(name)
    if not name:
        return 0.0
    if wanted == name:
        return 2.0
    if name.startswith(wanted) and len(wanted) >= 4:
        return 1.5
    return difflib.SequenceMatcher(None, wanted, name).ratio()


def match_scope(text: str, candidates: Sequence[Candidate]) -> StatsScope | None:
    """The hotspot or category meant by `text`; None when nothing (or two equally) match."""
    wanted = _folded(text)
    if not wanted:
        return None
    scored = sorted(
        ((max(_score(wanted, n) for n in (c.name, *c.other_names)), c) for c in candidates),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < CUTOFF:
        return None
    best, chosen = scored[0]
    if len(scored) > 1 and scored[1][0] == best and scored[1][1].name != chosen.name:
        return None
    return StatsScope(chosen.kind, chosen.id, chosen.name)


def split_period(text: str) -> tuple[str, str]:
    """'30d Elmer Square' → ('30d', 'Elmer Square'); 'this quarter' stays one period."""
    words = text.split()
    if len(words) >= 2 and words[0].casefold() == "this" and words[1].casefold() == "quarter":
        return " ".join(words[:2]), " ".join(words[2:])
    return (words[0] if words else ""), " ".join(words[1:])


class ScopeNotFound(ValueError):
    """A /stats filter that names no hotspot or category (or two equally well)."""

    def __init__(self, given: str) -> None:
        super().__init__(given)
        self.given = given
