"""Erasing a person on request: which half-written drafts name them. Pure.

An erasure deletes the person's record and clears every text about them (storage.outreach
.erasure). Drafts are not rows of their own: they live in each member's user data (kept by
PTB's persistence in bot_state, and in the running bot's memory), so the same rule reads
both copies: a draft goes when it names the person (a whole word of their alias or legal
name, in any letter case) or, for drafts about person records (keys starting
`PERSON_DRAFTS`), when it holds one of the erased record ids anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

# user_data keys of the drafts that hold person record ids ("outreach.contact",
# "outreach.editing", "outreach.merging", "outreach.flags", ...).
PERSON_DRAFTS = "outreach."
MIN_WORD = 3  # shorter words of a name ("Al", "de") would match every other draft


@dataclass(frozen=True)
class Named:
    """What identifies the person in a draft: record ids and the words of their names."""

    person_ids: frozenset[int]
    words: frozenset[str]

    @classmethod
    def of(cls, person_ids: Iterable[int], names: Iterable[str | None]) -> Named:
        words = {
            w.casefold()
            for name in names
            if name
            for w in re.findall(r"\w+", name)
            if len(w) >= MIN_WORD
        }
        return cls(frozenset(person_ids), frozenset(words))

    def in_text(self, text: str) -> bool:
        found = {w.casefold() for w in re.findall(r"\w+", text)}
        return not found.isdisjoint(self.words)

    def in_value(self, value: Any, *, by_id: bool) -> bool:
        """Whether a JSON value (a draft) names the person; `by_id`: its ids count too."""
        if isinstance(value, str):
            return self.in_text(value) or (
                by_id and value.isdigit() and int(value) in self.person_ids
            )
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return by_id and value in self.person_ids
        if isinstance(value, dict):
            return any(
                self.in_value(k, by_id=by_id) or self.in_value(v, by_id=by_id)
                for k, v in value.items()
            )
        if isinstance(value, list | tuple):
            return any(self.in_value(v, by_id=by_id) for v in value)
        return False


def scrub_drafts(user_data: MutableMapping[Any, Any], named: Named) -> list[str]:
    """Remove the drafts that name the person from one member's user data, in place;
    the keys removed (empty: nothing named them)."""
    gone = [
        str(key)
        for key, value in list(user_data.items())
        if named.in_value(value, by_id=str(key).startswith(PERSON_DRAFTS))
        or named.in_text(str(key))
    ]
    for key in list(user_data):
        if str(key) in gone:
            del user_data[key]
    return gone


__all__ = ["MIN_WORD", "PERSON_DRAFTS", "Named", "scrub_drafts"]
