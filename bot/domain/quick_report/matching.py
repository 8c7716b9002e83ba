"""Matching a message to a category and a hotspot, spelling-tolerant.

See the package docstring for what is proposed and its known limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.domain.geo import Place
from bot.domain.quick_report.categories import CategoryRule
from bot.domain.quick_report.words import COMMON_LOOKALIKES, normalise

# --- tuning constants ---------------------------------------------------------------------

# Keywords shorter than this match only as exact whole words: one typo in "crack" already
# gives "track", and in "gang" gives "bang" or "hang".
FUZZY_KEYWORD_MIN_LEN = 5
# A phrase ("county lines") is more specific evidence than one word, so each extra word
# adds this much to the hit's score: an exact two-word phrase (150) beats any single word.
PHRASE_BONUS = 50.0
# Several distinct keywords of one category, on different words ("cans", "cider") make it
# likelier; only a few count, so a long rant cannot outweigh a phrase by sheer volume.
EXTRA_KEYWORD_BONUS = 10.0
MAX_EXTRA_KEYWORDS = 3
# A phrase may carry at most this many typos in total (each word within its own budget).
MAX_PHRASE_EDITS = 2

# Place names and aliases shorter than this (letters, spaces ignored) match only as exact
# whole words: "Bus" must not fire inside "business" or on "bud".
PLACE_EXACT_ONLY_BELOW = 4
# fuzz.ratio is the normalised Indel similarity: 100 * (1 - edits / (len(a) + len(b))),
# where a substitution or a transposition costs two edits. For names of 8+ letters, 85
# admits one typo: a swapped pair ("Elmer Sqaure" 91.7, "fountian" 87.5), a wrong letter
# (87.5) or two missing ones (85.7); two wrong letters in an 8-letter name score 75 and
# fail. Shorter names need 90, which admits only one missing or extra letter ("Gregs",
# "Tescos" 90.9), so "boot" (88.9) is not "Boots" and "marker" (83.3) is not "Market".
PLACE_FUZZY_THRESHOLD = 85.0
PLACE_FUZZY_THRESHOLD_SHORT = 90.0
PLACE_SHORT_NAME_LEN = 8

# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryMatch:
    category_id: int
    score: float
    keyword: str  # the keyword as written in the rule that scored best
    urgent: bool = False


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    score: float  # 100 for an exact name or alias, else the fuzz.ratio of the best window
    term: str  # the name or alias that matched, as written on the place
    exact: bool

    @property
    def place_id(self) -> int:
        return self.place.id


@dataclass(frozen=True)
class Proposal:
    category: CategoryMatch | None
    place: PlaceMatch | None

    @property
    def is_empty(self) -> bool:
        return self.category is None and self.place is None


def _edit_budget(word: str) -> int:
    """Typos tolerated in one keyword word: none below 5 letters, else one.

    One edit (OSA: a transposition counts once) covers "machette", "drinkin", "herion".
    Two would also turn "exploited" into "explained" and "strangled" into "stranger".
    """
    return 0 if len(word) < FUZZY_KEYWORD_MIN_LEN else 1


def _best_with_support(hits: list[tuple[float, int, int, str]]) -> tuple[float, str, int]:
    """The best hit's score and keyword, and how many other hits support it.

    Support counts only different keywords on words the counted hits don't cover, so
    "lads drinking" does not also count its own "drinking", "grafiti" read as both
    "graffiti" and "grafitti" counts once, and "cider cider cider" counts once.
    """
    ordered = sorted(hits, key=lambda hit: (-hit[0], hit[1], hit[3]))
    top, start, end, keyword = ordered[0]
    spans = [(start, end)]
    keywords = {keyword}
    for _score, start, end, other in ordered[1:]:
        if len(spans) > MAX_EXTRA_KEYWORDS:
            break
        if other in keywords or any(start < e and s < end for s, e in spans):
            continue
        spans.append((start, end))
        keywords.add(other)
    return top, keyword, len(spans) - 1


def _letters(term: str) -> int:
    return len(term.replace(" ", ""))


class _Keyword(NamedTuple):
    words: tuple[str, ...]
    rule_index: int
    original: str


class _PlaceTerm(NamedTuple):
    words: tuple[str, ...]
    text: str
    place_index: int
    original: str


# --- the matcher --------------------------------------------------------------------------


class Matcher:
    """Category and hotspot matching, precomputed once from rules and places.

    Cost. Building is linear in the total length of keywords, names and aliases. For a
    message of T words:
    - categories: each distinct word is looked up in a dict of keyword words; a word that
      is not a keyword is compared (rapidfuzz OSA distance, in C) only with the fuzzy-
      eligible keyword words sharing its first letter; then one pass over the T positions
      follows the few keywords that start with that word. Roughly O(T) dict work plus
      O(distinct words x ~20) C comparisons.
    - places: a dict lookup per window of each name length (exact hits), then
      rapidfuzz.process.extractOne (in C) for each name/alias of 4+ letters over the
      text's windows of n-1..n+1 words. O(T x names) C comparisons, cut short by
      score_cutoff.
    Measured with the default categories and a handful of hotspots: building ~1 ms, a
    typical message ~0.03 ms, a 5,000-character message ~1-2 ms. So build once (and again
    when an admin edits categories or hotspots), not per message.
    """

    def __init__(self, rules: Iterable[CategoryRule], places: Iterable[Place]) -> None:
        self._rules: tuple[CategoryRule, ...] = tuple(rules)
        self._places: tuple[Place, ...] = tuple(places)

        self._keywords_by_first: dict[str, list[_Keyword]] = {}
        vocabulary: set[str] = set()
        for rule_index, rule in enumerate(self._rules):
            seen: set[tuple[str, ...]] = set()
            for keyword in rule.keywords:
                words = tuple(normalise(keyword).split())
                if not words or words in seen:
                    continue
                seen.add(words)
                vocabulary.update(words)
                self._keywords_by_first.setdefault(words[0], []).append(
                    _Keyword(words, rule_index, keyword)
                )
        self._vocabulary = frozenset(vocabulary)
        # Fuzzy targets grouped by first letter: misspellings rarely change it, and the
        # grouping cuts the comparisons per word by an order of magnitude.
        self._fuzzy_targets: dict[str, list[str]] = {}
        for word in sorted(vocabulary):
            if _edit_budget(word) and word.isalpha():
                self._fuzzy_targets.setdefault(word[0], []).append(word)

        self._place_exact: dict[tuple[str, ...], list[_PlaceTerm]] = {}
        self._place_fuzzy: list[_PlaceTerm] = []
        for place_index, place in enumerate(self._places):
            seen_terms: set[tuple[str, ...]] = set()
            for original in (place.name, *place.aliases):
                words = tuple(normalise(original).split())
                # "the fountain" is found as "fountain" so "by the fountian" still works.
                if len(words) > 1 and words[0] == "the":
                    words = words[1:]
                if not words or words in seen_terms:
                    continue
                seen_terms.add(words)
                term = _PlaceTerm(words, " ".join(words), place_index, original)
                self._place_exact.setdefault(words, []).append(term)
                if _letters(term.text) >= PLACE_EXACT_ONLY_BELOW:
                    self._place_fuzzy.append(term)
        self._place_lengths = sorted({len(words) for words in self._place_exact})

    # -- public API -------------------------------------------------------------------

    def propose(self, text: str) -> Proposal:
        tokens = normalise(text).split()
        return Proposal(self._match_category(tokens), self._match_place(tokens))

    def match_category(self, text: str) -> CategoryMatch | None:
        return self._match_category(normalise(text).split())

    def match_place(self, text: str) -> PlaceMatch | None:
        return self._match_place(normalise(text).split())

    # -- categories -------------------------------------------------------------------

    def _readings(self, token: str) -> dict[str, int]:
        """Keyword words this text word may stand for, with the typos needed (0 = exact)."""
        readings: dict[str, int] = {}
        if token in self._vocabulary:
            readings[token] = 0
        # A plain plural counts as exact: "tents", "guns", "kids".
        if len(token) > 3 and token.endswith("s") and token[:-1] in self._vocabulary:
            readings.setdefault(token[:-1], 0)
        if readings or token in COMMON_LOOKALIKES or not token.isalpha():
            return readings
        if len(token) < FUZZY_KEYWORD_MIN_LEN - 1:
            return readings
        targets = self._fuzzy_targets.get(token[0])
        if not targets:
            return readings
        for word, distance, _ in process.extract(
            token, targets, scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            if distance <= _edit_budget(word):
                readings[word] = int(distance)
        return readings

    def _match_category(self, tokens: Sequence[str]) -> CategoryMatch | None:
        if not tokens or not self._rules:
            return None
        cache: dict[str, dict[str, int]] = {}
        readings: list[dict[str, int]] = []
        for token in tokens:
            if token not in cache:
                cache[token] = self._readings(token)
            readings.append(cache[token])

        # rule index -> hits as (score, start, end, keyword as written)
        hits: dict[int, list[tuple[float, int, int, str]]] = {}
        for start, first_readings in enumerate(readings):
            for first_word, first_edits in first_readings.items():
                for keyword in self._keywords_by_first.get(first_word, ()):
                    score = self._score_at(tokens, readings, start, keyword, first_edits)
                    if score is not None:
                        end = start + len(keyword.words)
                        hits.setdefault(keyword.rule_index, []).append(
                            (score, start, end, keyword.original)
                        )
        if not hits:
            return None

        best: tuple[tuple[bool, float, int], CategoryMatch] | None = None
        for rule_index, rule_hits in hits.items():
            top, keyword, extra = _best_with_support(rule_hits)
            score = top + EXTRA_KEYWORD_BONUS * extra
            rule = self._rules[rule_index]
            # Urgent first, then score, then rule order (lower index wins).
            rank = (rule.urgent, score, -rule_index)
            if best is None or rank > best[0]:
                best = (rank, CategoryMatch(rule.id, score, keyword, rule.urgent))
        assert best is not None
        return best[1]

    @staticmethod
    def _score_at(
        tokens: Sequence[str],
        readings: Sequence[dict[str, int]],
        start: int,
        keyword: _Keyword,
        first_edits: int,
    ) -> float | None:
        end = start + len(keyword.words)
        if end > len(tokens):
            return None
        edits = first_edits
        for offset, word in enumerate(keyword.words[1:], start=1):
            word_edits = readings[start + offset].get(word)
            if word_edits is None:
                return None
            edits += word_edits
        if edits > MAX_PHRASE_EDITS:
            return None
        phrase = " ".join(keyword.words)
        similarity = 100.0 if edits == 0 else fuzz.ratio(" ".join(tokens[start:end]), phrase)
        return similarity + PHRASE_BONUS * (len(keyword.words) - 1)

    # -- places -----------------------------------------------------------------------

    def _match_place(self, tokens: Sequence[str]) -> PlaceMatch | None:
        if not tokens or not self._places:
            return None
        # Rank: exact before fuzzy, then the longer name, then score, then place order.
        best: tuple[tuple[bool, int, float, int], PlaceMatch] | None = None

        def offer(term: _PlaceTerm, score: float, exact: bool) -> None:
            nonlocal best
            rank = (exact, _letters(term.text), score, -term.place_index)
            if best is None or rank > best[0]:
                place = self._places[term.place_index]
                best = (rank, PlaceMatch(place, score, term.original, exact))

        for size in self._place_lengths:
            for start in range(len(tokens) - size + 1):
                for term in self._place_exact.get(tuple(tokens[start : start + size]), ()):
                    offer(term, 100.0, True)
        if best is not None:
            return best[1]

        windows: dict[int, list[str]] = {}
        for term in self._place_fuzzy:
            letters = _letters(term.text)
            cutoff = (
                PLACE_FUZZY_THRESHOLD
                if letters >= PLACE_SHORT_NAME_LEN
                else PLACE_FUZZY_THRESHOLD_SHORT
            )
            size = len(term.words)
            for window_size in (size - 1, size, size + 1):
                if window_size < 1 or window_size > len(tokens):
                    continue
                if window_size not in windows:
                    windows[window_size] = list(
                        dict.fromkeys(
                            " ".join(tokens[i : i + window_size])
                            for i in range(len(tokens) - window_size + 1)
                        )
                    )
                found = process.extractOne(
                    term.text, windows[window_size], scorer=fuzz.ratio, score_cutoff=cutoff
                )
                if found is not None:
                    offer(term, float(found[1]), False)
        return best[1] if best is not None else None


# --- one-off helpers ----------------------------------------------------------------------


def match_category(text: str, rules: Iterable[CategoryRule]) -> CategoryMatch | None:
    return Matcher(rules, ()).match_category(text)


def match_place(text: str, places: Iterable[Place]) -> PlaceMatch | None:
    return Matcher((), places).match_place(text)


def propose(text: str, rules: Iterable[CategoryRule], places: Iterable[Place]) -> Proposal:
    return Matcher(rules, places).propose(text)
