"""Quick report: read a plain street message for a proposed category and hotspot.

"3 lads drinking by the fountain in Elmer Square" proposes *street drinking* at
*Elmer Square*; the member then confirms or changes both, so this module guesses and never
decides. It is pure domain code (stdlib and rapidfuzz only).

Build one `Matcher` from the current categories and hotspots and reuse it for every
message; the module-level `match_category`, `match_place` and `propose` functions build a
throwaway Matcher and suit one-off calls and tests.

Known limits, accepted because a person confirms every proposal: no negation ("no knife
seen" still proposes *weapon*) and one place per message (the best-ranked mention wins).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.domain.geo import Place

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

# Everyday words one typo away from a default keyword. A word that is spelt right is far
# likelier meant than a misspelling, so these never match fuzzily: "flight" is not "fight",
# "later" is not "lager", "runway" is not "runaway". Generated from a British English word
# list (every word one OSA edit from a default single-word keyword, same first letter),
# minus forms of the same idea ("robber", "knifed"), which may match. Tokens that are
# keywords themselves ("shooting" vs "shouting") are never read fuzzily in any case.
_LOOKALIKE_WORDS = """
    argon attached attaching bade baggier baggiest bagging bawl beading bending bidding
    biggies blame blanked blanker blankest blare blaze bleeping blending bogging brawn
    breeding budding buggies bugging chid chill cinder clack crank crick crock deader
    deafer dearer dinker dodge doggy drank drink dunk flight forearm fright frighting
    gassed glasses glossed grassed grooved grooving hammed hamper hampered herein heroic
    heroine heron hopeless insured inured knaves lamer larger larking laser later laxer
    layer lettering lucking luring munged munging paunch peeking peeling peeping peering
    peeving petering pieing pinch pinched pinching pistil piston punchy ribbed rife
    riffle rifled rile robed rubbed rubbery runnel runnier runway scabbed scabbing
    scooting scouting searing shearing shogun shooing shorting shuffle sighing skulk
    slabbed slabbing slashing slice slighting sloshed slunk slurping smearing snuffle
    space spearing spiced spicy spike spine spire spite splashed splice spouting spunk
    spurring stabled stabling stashed stashing straggled stubbed stubbing stunk sunk
    swabbed swabbing swaggering sward swashed swashing sweating swore sworn tinnier
    tinniest tugging tunnies violet warps weeding weeping wrap wrapt youth
"""
COMMON_LOOKALIKES: frozenset[str] = frozenset(_LOOKALIKE_WORDS.split())


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRule:
    """A report category as the matcher sees it: keywords are free text, any case."""

    id: int
    name: str
    keywords: tuple[str, ...]
    urgent: bool = False


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


class DefaultCategory(NamedTuple):
    slug: str
    name: str
    keywords: tuple[str, ...]
    urgent: bool


# Default categories from DESIGN.md, in its order (which is also the final tie-break).
# Urgent categories win any tie, so their keywords are kept precise: "kicking" alone would
# turn "kicking bins" into an assault, hence "kicked him" and friends.
DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory(
        "suspicious",
        "Suspicious activity / sighting",
        (
            "suspicious",
            "suspiciously",
            "acting suspicious",
            "acting suspiciously",
            "acting strange",
            "acting odd",
            "hanging around",
            "loitering",
            "lurking",
            "trying car doors",
            "trying door handles",
            "trying doors",
            "looking into cars",
            "looking in cars",
            "following people",
            "following someone",
            "keeps coming back",
            "unattended bag",
            "suspicious package",
            "dodgy",
            "sighting",
            "spotted again",
            "seen again",
        ),
        False,
    ),
    DefaultCategory(
        "drug_dealing",
        "Suspected drug dealing",
        (
            "dealing",
            "dealer",
            "dealers",
            "deal",
            "drug deal",
            "drug dealing",
            "dealing drugs",
            "drug",
            "weed",
            "cannabis",
            "skunk",
            "crack",
            "spice",
            "heroin",
            "cocaine",
            "coke",
            "ket",
            "ketamine",
            "county lines",
            "runner",
            "exchanging packages",
            "handing over packages",
            "passing packages",
            "swapping packages",
            "hand to hand",
            "baggies",
            "wraps",
            "smell of weed",
            "smoking weed",
            "smoking a joint",
            "spliff",
            "nitrous",
            "laughing gas",
        ),
        False,
    ),
    DefaultCategory(
        "gang",
        "Gang or group activity",
        (
            "gang",
            "gang of",
            "group of lads",
            "group of youths",
            "group of men",
            "large group",
            "big group",
            "youths",
            "balaclava",
            "masks on",
            "faces covered",
            "hoods up",
            "rival group",
            "postcode",
        ),
        False,
    ),
    DefaultCategory(
        "weapon",
        "Weapon seen",
        (
            "weapon",
            "knife",
            "knives",
            "blade",
            "machete",
            "zombie knife",
            "stanley knife",
            "flick knife",
            "pulled a knife",
            "carrying a knife",
            "gun",
            "firearm",
            "pistol",
            "shotgun",
            "rifle",
            "air rifle",
            "shooting",
            "shots fired",
            "been shot",
            "got shot",
            "crossbow",
            "sword",
            "samurai sword",
            "axe",
            "hammer",
            "bat",
            "baseball bat",
            "knuckle duster",
            "knuckleduster",
            "acid",
            "corrosive",
        ),
        True,
    ),
    DefaultCategory(
        "violence",
        "Violence or assault",
        (
            "fight",
            "fighting",
            "punch",
            "punched",
            "punching",
            "assault",
            "assaulted",
            "attacked",
            "attacking",
            "hit him",
            "hit her",
            "hit someone",
            "hitting him",
            "hitting her",
            "hitting someone",
            "got hit",
            "been hit",
            "kicked him",
            "kicked her",
            "kicked someone",
            "kicking him",
            "kicking her",
            "kicking someone",
            "stabbed",
            "stabbing",
            "slashed",
            "glassed",
            "beaten up",
            "beating up",
            "beat up",
            "squaring up",
            "brawl",
            "scuffle",
            "bleeding",
            "head injury",
            "injured",
            "violent",
            "violence",
            "headbutted",
            "headbutt",
            "strangled",
            "mugged",
            "mugging",
            "robbed",
            "robbery",
        ),
        True,
    ),
    DefaultCategory(
        "asb",
        "Antisocial behaviour",
        (
            "antisocial",
            "anti social",
            "asb",
            "shouting",
            "swearing",
            "abusive",
            "verbal abuse",
            "harassing",
            "harassment",
            "hassling",
            "intimidating",
            "intimidation",
            "threatening",
            "nuisance",
            "rowdy",
            "loud music",
            "throwing stones",
            "throwing things",
            "throwing eggs",
            "firework",
            "urinating",
            "weeing",
            "peeing",
            "spitting at",
            "littering",
            "riding on the pavement",
            "bikes on the pavement",
            "e scooter",
            "escooter",
            "wheelies",
            "causing trouble",
            "causing a nuisance",
            "kicking off",
            "mouthing off",
            "pestering",
        ),
        False,
    ),
    DefaultCategory(
        "street_drinking",
        "Street drinking",
        (
            "street drinking",
            "drinking",
            "drinker",
            "drinking in the street",
            "lads drinking",
            "youths drinking",
            "men drinking",
            "people drinking",
            "group drinking",
            "cans",
            "cans of",
            "tins",
            "tinnies",
            "booze",
            "cider",
            "lager",
            "beer",
            "alcohol",
            "vodka",
            "special brew",
            "open can",
            "open bottle",
        ),
        False,
    ),
    DefaultCategory(
        "drunk_disorderly",
        "Drunk and disorderly",
        (
            "drunk",
            "drunken",
            "drunk and disorderly",
            "disorderly",
            "very drunk",
            "really drunk",
            "paralytic",
            "legless",
            "hammered",
            "off his face",
            "off her face",
            "off their face",
            "out of it",
            "staggering",
            "falling over",
            "fell over",
            "passed out",
            "vomiting",
            "being sick",
            "slurring",
            "pissed",
        ),
        False,
    ),
    DefaultCategory(
        "begging",
        "Begging",
        (
            "begging",
            "beggar",
            "begging for money",
            "asking for money",
            "asking people for money",
            "asking for change",
            "asking for cash",
            "spare change",
            "any change",
            "cup out",
            "paper cup",
            "sitting with a cup",
            "aggressive begging",
            "begging pitch",
        ),
        False,
    ),
    DefaultCategory(
        "rough_sleeping",
        "Rough sleeping",
        (
            "rough sleeper",
            "rough sleeping",
            "sleeping rough",
            "sleeping bag",
            "sleeping in the doorway",
            "sleeping in a doorway",
            "sleeping in",
            "sleeping on",
            "sleeping outside",
            "sleeping on a bench",
            "asleep in",
            "asleep on",
            "bedding",
            "bedded down",
            "blanket",
            "cardboard",
            "tent",
            "doorway",
            "homeless",
            "streetlink",
        ),
        False,
    ),
    DefaultCategory(
        "criminal_damage",
        "Criminal damage",
        (
            "criminal damage",
            "damage",
            "damaged",
            "damaging",
            "graffiti",
            "grafitti",
            "tagging",
            "spray paint",
            "spray painting",
            "vandalism",
            "vandalised",
            "vandal",
            "smashed",
            "smashed window",
            "broken window",
            "smashing",
            "kicking bins",
            "keyed",
            "set fire",
            "set on fire",
            "arson",
        ),
        False,
    ),
    DefaultCategory(
        "safeguarding",
        "Safeguarding concern",
        (
            "safeguarding",
            "child",
            "children",
            "kid",
            "young girl",
            "young boy",
            "young lad",
            "schoolkid",
            "school kids",
            "school uniform",
            "looks young",
            "looks underage",
            "underage",
            "under age",
            "vulnerable",
            "vulnerable adult",
            "exploited",
            "exploitation",
            "exploiting",
            "grooming",
            "groomed",
            "being groomed",
            "cuckooing",
            "trafficked",
            "trafficking",
            "modern slavery",
            "missing child",
            "missing person",
            "runaway",
            "self harm",
            "suicidal",
            "threatening to jump",
        ),
        True,
    ),
    DefaultCategory(
        "other",
        "Other",
        (
            "shoplifting",
            "shoplifter",
            "theft",
            "stolen",
            "pickpocket",
            "pickpocketing",
            "lost property",
            "found property",
        ),
        False,
    ),
)


def default_rules() -> tuple[CategoryRule, ...]:
    """DEFAULT_CATEGORIES as rules with ids 1..n (the database assigns real ids)."""
    return tuple(
        CategoryRule(index, entry.name, entry.keywords, entry.urgent)
        for index, entry in enumerate(DEFAULT_CATEGORIES, start=1)
    )


# --- normalisation ------------------------------------------------------------------------

_APOSTROPHES = "'’‘`´ʼ"
_POSSESSIVE = re.compile(f"[{_APOSTROPHES}]s\\b")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")


def normalise(text: str) -> str:
    """Casefold, NFKC, drop accents and possessive 's, punctuation and emoji to spaces.

    "Elmer's  Square!! 🍺" -> "elmer square"; "don't" -> "dont"; "anti-social" ->
    "anti social". Rules, places and messages all go through this, so they agree.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHE.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    kept = (
        char if char.isalnum() else " " for char in decomposed if unicodedata.category(char) != "Mn"
    )
    return " ".join("".join(kept).split())


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
