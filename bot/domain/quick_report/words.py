"""How the words of a message are read: one normal form, and words never taken as typos."""

from __future__ import annotations

import re
import unicodedata

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
