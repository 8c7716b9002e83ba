"""How the words of a message are read: one normal form, and words never taken as typos."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

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


# --- words with their place in the message ------------------------------------------------

# Punctuation after a word that ends a phrase: "outside wetherspoons, urgent" keeps the place
# to "outside wetherspoons". A slash or an apostrophe does not.
_BREAKS = frozenset(',.;:!?()[]{}"“”–—-…')
_INNER_BREAKS = _BREAKS - {"-"}  # "anti-social" is one phrase
_WORD_PIECE = re.compile(r"[^\W_]+", re.UNICODE)
_EDGE = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """One word of a message: normalised, with where it stands in the text as written."""

    word: str
    start: int
    end: int
    breaks_after: bool = False  # punctuation ends the phrase after this word


def tokenise(text: str) -> list[Token]:
    """The message's words, as `normalise(text).split()` gives them, with their spans.

    Each word keeps the span of the text it came from, so a phrase can be shown as the
    member wrote it ("outside Greggs"), not in its normal form ("outside greggs").
    """
    tokens: list[Token] = []
    for chunk in re.finditer(r"\S+", text):
        raw = chunk.group()
        words = normalise(raw).split()
        if not words:  # a dash or a lone comma between words
            if tokens and any(char in _BREAKS for char in raw):
                tokens[-1] = replace(tokens[-1], breaks_after=True)
            continue
        stripped = _EDGE.sub("", raw)
        offset = chunk.start() + (raw.find(stripped) if stripped else 0)
        trailing = raw[raw.find(stripped) + len(stripped) :] if stripped else raw
        ends_phrase = any(char in _BREAKS for char in trailing)
        pieces = list(_WORD_PIECE.finditer(stripped)) if len(words) > 1 else []
        if len(words) > 1 and len(pieces) == len(words):
            for index, (word, piece) in enumerate(zip(words, pieces, strict=True)):
                between = (
                    stripped[piece.end() : pieces[index + 1].start()]
                    if index + 1 < len(pieces)
                    else ""
                )
                last = index == len(words) - 1
                tokens.append(
                    Token(
                        word,
                        offset + piece.start(),
                        offset + piece.end(),
                        ends_phrase if last else any(c in _INNER_BREAKS for c in between),
                    )
                )
            continue
        for index, word in enumerate(words):
            last = index == len(words) - 1
            tokens.append(Token(word, offset, offset + len(stripped), ends_phrase and last))
    return tokens
