"""Urgency in the words of a message: never dropped, always explained.

"lads kicking off outside the kings need backup now" is antisocial behaviour, a category
that is not urgent by default, but the officer is asking for help: the proposal is urgent
and says why ("you wrote “need backup”, “now”"). The member can still switch it off with
one tap, so this errs on the side of urgent.

Two kinds of words calm a message down:
- an explicit "not urgent" ("fyi", "no rush"): the proposal is not urgent, whatever the
  category's default and whatever other words say (the member chose to say so);
- signs it is over ("earlier", "all calm now", "moved on"): the category's default no
  longer makes it urgent, but urgent words still do ("knife found earlier" stays urgent).

Urgent words are matched exactly (after normalisation), never fuzzily: a typo that makes
a report urgent costs a colleague a run; one that misses is caught by the category and
by the member's own tap. A negation just before an urgent word ("no knife seen", "not
bleeding") cancels that word only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Phrases, normalised (see words.normalise). Longer phrases are tried first, so "not
# breathing" is reported as such rather than as "breathing".
URGENT_PHRASES: tuple[str, ...] = (
    # asking for help
    "urgent", "urgently", "asap", "emergency", "help", "help needed", "need help",
    "needs help", "need backup", "need back up", "backup", "back up needed",
    "need assistance", "assistance needed", "need police", "police needed",
    "need ambulance", "ambulance", "999", "officer down", "hurry", "quickly", "right now",
    # life at risk
    "not breathing", "no pulse", "cpr", "unresponsive", "not responding", "unconscious",
    "bleeding", "blood everywhere", "covered in blood", "overdose", "overdosed", "od",
    "not moving", "cant wake", "blue lips", "fitting", "seizure", "choking",
    "jump", "jumping", "threatening to jump", "on the ledge", "suicidal",
    # weapons and wounds
    "knife", "knives", "blade", "bladed", "machete", "zombie knife", "gun", "firearm",
    "shots fired", "stabbed", "stabbing", "shot", "shank", "tooled up", "acid",
    "on fire",
)  # fmt: skip

# "now" alone is everywhere ("now at the bus station", "gone now"); it is urgent next to a
# call for someone to come, or with an exclamation mark.
NOW = "now"
NOW_CALLERS = frozenset(
    {"need", "needed", "come", "get", "send", "attend", "here", "please", "asap", "quick"}
)
NOW_WINDOW = 3  # words either side of "now" searched for a caller

# An explicit "not urgent": the proposal is not urgent.
NOT_URGENT_PHRASES: tuple[str, ...] = (
    "not urgent", "non urgent", "nonurgent", "no rush", "no hurry", "fyi", "for info",
    "for information", "no need to attend", "no need to come", "low priority",
    "when you get a chance", "when you can",
)  # fmt: skip

# Signs it is over: the category's default urgency is dropped, urgent words still count.
OVER_PHRASES: tuple[str, ...] = (
    "earlier", "last night", "yesterday", "this morning", "all calm", "all quiet",
    "calm now", "quiet now", "gone now", "now gone", "has gone", "have gone", "moved on",
    "left the area", "dispersed", "no longer", "sorted now", "all ok now", "all fine now",
)  # fmt: skip

NEGATIONS = frozenset({"no", "not", "without", "nt", "isnt", "wasnt", "arent", "never"})
NEGATION_WINDOW = 2  # "no knife", "no sign of a knife" is beyond this: known limit


@dataclass(frozen=True)
class Urgency:
    """What the words say about urgency; the category's default is combined in `urgent`."""

    words: tuple[str, ...] = ()  # urgent words found, as in URGENT_PHRASES, in text order
    not_urgent: tuple[str, ...] = ()  # explicit "not urgent" phrases
    over: tuple[str, ...] = ()  # signs it is over

    def urgent(self, category_default: bool) -> bool:
        if self.not_urgent:
            return False
        return bool(self.words) or (category_default and not self.over)

    def by_words(self) -> bool:
        return bool(self.words) and not self.not_urgent


_Phrases = dict[str, list[tuple[str, ...]]]  # first word -> phrases, longest first


def _phrases(phrases: Sequence[str]) -> _Phrases:
    by_first: _Phrases = {}
    for words in sorted({tuple(p.split()) for p in phrases}, key=lambda w: (-len(w), w)):
        by_first.setdefault(words[0], []).append(words)
    return by_first


_URGENT = _phrases(URGENT_PHRASES)
_NOT_URGENT = _phrases(NOT_URGENT_PHRASES)
_OVER = _phrases(OVER_PHRASES)


def _find(tokens: Sequence[str], phrases: _Phrases, claimed: set[int]) -> list[tuple[int, str]]:
    """(position, phrase) for each phrase found on words not yet claimed; claims them.

    At each position the longest phrase wins ("threatening to jump" before "jump").
    """
    found: list[tuple[int, str]] = []
    for start, token in enumerate(tokens):
        for words in phrases.get(token, ()):
            span = range(start, start + len(words))
            if tuple(tokens[start : start + len(words)]) == words and not claimed.intersection(
                span
            ):
                claimed.update(span)
                found.append((start, " ".join(words)))
                break
    return found


def _negated(tokens: Sequence[str], start: int) -> bool:
    before = tokens[max(0, start - NEGATION_WINDOW) : start]
    return any(word in NEGATIONS for word in before)


def read_urgency(tokens: Sequence[str], raw_text: str = "") -> Urgency:
    """Urgency in normalised tokens; `raw_text` only for "now!" (punctuation is gone)."""
    claimed: set[int] = set()
    not_urgent = _find(tokens, _NOT_URGENT, claimed)
    over = _find(tokens, _OVER, claimed)
    found = [
        (start, phrase)
        for start, phrase in _find(tokens, _URGENT, claimed)
        if not _negated(tokens, start)
    ]
    shouted = "now!" in raw_text.casefold().replace(" !", "!")
    for index, token in enumerate(tokens):
        if token != NOW or index in claimed:
            continue
        near = tokens[max(0, index - NOW_WINDOW) : index + NOW_WINDOW + 1]
        if shouted or any(word in NOW_CALLERS for word in near):
            found.append((index, NOW))
    words = tuple(dict.fromkeys(phrase for _, phrase in sorted(found)))
    return Urgency(
        words=words,
        not_urgent=tuple(phrase for _, phrase in sorted(not_urgent)),
        over=tuple(phrase for _, phrase in sorted(over)),
    )
