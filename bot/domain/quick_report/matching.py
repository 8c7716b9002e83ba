"""Matching a message to a category and a hotspot, spelling-tolerant.

See the package docstring for what is proposed and its known limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.domain.geo import Place
from bot.domain.quick_report.categories import CategoryRule
from bot.domain.quick_report.places import PlaceText, find_place_text
from bot.domain.quick_report.urgency import Urgency, read_urgency
from bot.domain.quick_report.words import COMMON_LOOKALIKES, normalise, tokenise

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
# A keyword of parts ("teen + older men") scores like a phrase of as many words: each part
# after the first adds PHRASE_BONUS. A part read through a typo scores this much less.
CONJUNCTION_TYPO_PENALTY = 10.0

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
# Two hotspots in one message: the later one wins ("lads who were in the churchyard now
# fighting by the fountain"), unless it is where someone came from ("heading from the bus
# station to the square").
PLACE_ABBREVIATIONS = {
    "square": "sq",
    "street": "st",
    "road": "rd",
    "station": "stn",
    "avenue": "ave",
    "lane": "ln",
    "centre": "ctr",
}
PLACE_AWAY_WORDS = frozenset({"from", "left", "leaving", "past", "via"})

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
    place: PlaceMatch | None  # a hotspot
    place_text: PlaceText | None = None  # a place that is not a hotspot, when none is named
    urgency: Urgency = field(default_factory=Urgency)

    @property
    def urgent(self) -> bool:
        """Urgent words, or an urgent category unless the words say it is over or not urgent."""
        return self.urgency.urgent(self.category is not None and self.category.urgent)

    @property
    def is_empty(self) -> bool:
        return self.category is None and self.place is None and self.place_text is None


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


def _abbreviated(words: tuple[str, ...]) -> tuple[str, ...]:
    """ "Elmer Square" as typed in a hurry: "elmer sq". Only the last word, and only for
    names of more than one word ("Square" alone is no name)."""
    if len(words) < 2 or words[-1] not in PLACE_ABBREVIATIONS:
        return words
    return (*words[:-1], PLACE_ABBREVIATIONS[words[-1]])


def _letters(term: str) -> int:
    return len(term.replace(" ", ""))


class _Keyword(NamedTuple):
    words: tuple[str, ...]
    rule_index: int
    original: str


class _Conjunction(NamedTuple):
    """A keyword of parts, each part one of several phrases: "teen/kids + older men"."""

    parts: tuple[tuple[tuple[str, ...], ...], ...]
    rule_index: int
    original: str


def _conjunction_parts(keyword: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    parts = []
    for part in keyword.split("+"):
        phrases = tuple(
            dict.fromkeys(
                tuple(normalise(alt).split()) for alt in part.split("/") if normalise(alt)
            )
        )
        if phrases:
            parts.append(phrases)
    return tuple(parts)


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
    - keywords of parts ("teen + older men"): each phrase of each part is looked for only
      where the message has a reading of its first word.
    - place text and urgency: one pass over the words each, phrases indexed by first word.
    Measured with the default categories and a handful of hotspots: building ~6 ms, a
    typical message ~0.3 ms, a 5,000-character message ~13 ms (splitting the text into
    words with their spans is most of it). So build once (and again when an admin edits
    categories or hotspots), not per message.
    """

    def __init__(self, rules: Iterable[CategoryRule], places: Iterable[Place]) -> None:
        self._rules: tuple[CategoryRule, ...] = tuple(rules)
        self._places: tuple[Place, ...] = tuple(places)

        self._keywords_by_first: dict[str, list[_Keyword]] = {}
        self._conjunctions: list[_Conjunction] = []
        vocabulary: set[str] = set()
        for rule_index, rule in enumerate(self._rules):
            seen: set[tuple[str, ...]] = set()
            for keyword in rule.keywords:
                parts = _conjunction_parts(keyword) if "+" in keyword else ()
                if len(parts) > 1:
                    self._conjunctions.append(_Conjunction(parts, rule_index, keyword))
                    vocabulary.update(word for part in parts for alt in part for word in alt)
                    continue
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
                for variant in dict.fromkeys((words, _abbreviated(words))):
                    if not variant or variant in seen_terms:
                        continue
                    seen_terms.add(variant)
                    term = _PlaceTerm(variant, " ".join(variant), place_index, original)
                    self._place_exact.setdefault(variant, []).append(term)
                    if _letters(term.text) >= PLACE_EXACT_ONLY_BELOW:
                        self._place_fuzzy.append(term)
        self._place_lengths = sorted({len(words) for words in self._place_exact})

    # -- public API -------------------------------------------------------------------

    def propose(self, text: str) -> Proposal:
        tokens = tokenise(text)
        words = [token.word for token in tokens]
        place = self._match_place(words)
        return Proposal(
            self._match_category(words),
            place,
            find_place_text(text, tokens) if place is None else None,
            read_urgency(words, text),
        )

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
        starts: dict[str, list[int]] = {}  # keyword word -> where the message may have it
        if self._conjunctions:
            for position, token_readings in enumerate(readings):
                for word in token_readings:
                    starts.setdefault(word, []).append(position)
        for conjunction in self._conjunctions:
            found = self._conjunction_at(readings, starts, conjunction)
            if found is not None:
                hits.setdefault(conjunction.rule_index, []).append(found)
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
    def _phrase_edits(
        readings: Sequence[dict[str, int]], start: int, words: tuple[str, ...]
    ) -> int | None:
        """Typos needed to read `words` at `start`, or None when they are not there."""
        if start + len(words) > len(readings):
            return None
        edits = 0
        for offset, word in enumerate(words):
            word_edits = readings[start + offset].get(word)
            if word_edits is None:
                return None
            edits += word_edits
        return edits if edits <= MAX_PHRASE_EDITS else None

    def _conjunction_at(
        self,
        readings: Sequence[dict[str, int]],
        starts: dict[str, list[int]],
        conjunction: _Conjunction,
    ) -> tuple[float, int, int, str] | None:
        """A hit when every part is somewhere in the message; its span is the last part's."""
        score = 100.0 + PHRASE_BONUS * (len(conjunction.parts) - 1)
        last: tuple[int, int] = (-1, -1)
        for part in conjunction.parts:
            best: tuple[int, int, int] | None = None  # (edits, start, end)
            for phrase in part:
                for start in starts.get(phrase[0], ()):
                    edits = self._phrase_edits(readings, start, phrase)
                    if edits is not None and (best is None or edits < best[0]):
                        best = (edits, start, start + len(phrase))
            if best is None:
                return None
            if best[0]:
                score -= CONJUNCTION_TYPO_PENALTY
            last = max(last, (best[1], best[2]))
        return score, last[0], last[1], conjunction.original

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
        exact = self._exact_places(tokens)
        if exact is not None:
            return exact
        # Fuzzy, when no name is written exactly. Rank: the longer name, then score, then
        # place order.
        best: tuple[tuple[int, float, int], PlaceMatch] | None = None

        def offer(term: _PlaceTerm, score: float, exact: bool) -> None:
            nonlocal best
            rank = (_letters(term.text), score, -term.place_index)
            if best is None or rank > best[0]:
                place = self._places[term.place_index]
                best = (rank, PlaceMatch(place, score, term.original, exact))

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

    def _exact_places(self, tokens: Sequence[str]) -> PlaceMatch | None:
        """The place named exactly; with several, the one the message ends up at.

        A name inside a longer one's words ("Elmer Square" in "Elmer Square Car Park") is
        not a mention of its own. Of the rest, the last mention wins unless it follows a
        word of leaving ("from the bus station"); then name length and place order.
        """
        hits: list[tuple[int, int, _PlaceTerm]] = []
        for size in self._place_lengths:
            for start in range(len(tokens) - size + 1):
                for term in self._place_exact.get(tuple(tokens[start : start + size]), ()):
                    hits.append((start, start + size, term))
        if not hits:
            return None

        def inside_another(hit: tuple[int, int, _PlaceTerm]) -> bool:
            start, end, _ = hit
            return any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in hits)

        def rank(hit: tuple[int, int, _PlaceTerm]) -> tuple[bool, int, int, int]:
            start, _, term = hit
            before = [t for t in tokens[max(0, start - 2) : start] if t not in ("the", "a")]
            away = bool(before) and before[-1] in PLACE_AWAY_WORDS
            return (not away, start, _letters(term.text), -term.place_index)

        start, _, term = max((hit for hit in hits if not inside_another(hit)), key=rank)
        return PlaceMatch(self._places[term.place_index], 100.0, term.original, True)


# --- one-off helpers ----------------------------------------------------------------------


def match_category(text: str, rules: Iterable[CategoryRule]) -> CategoryMatch | None:
    return Matcher(rules, ()).match_category(text)


def match_place(text: str, places: Iterable[Place]) -> PlaceMatch | None:
    return Matcher((), places).match_place(text)


def propose(text: str, rules: Iterable[CategoryRule], places: Iterable[Place]) -> Proposal:
    return Matcher(rules, places).propose(text)
