"""A place named in a message that is not a hotspot: "outside Greggs on the high street".

Hotspots are matched first (matching.Matcher). When none is named, the words that say
where are kept as the report's place text, as the member wrote them, and shown in the
proposal: "lad with a knife outside wetherspoons, urgent" → "outside wetherspoons".

A place phrase starts with a word that says where (outside, behind, near, at, in, on,
by, ...) and runs over the words that name a place: a determiner ("the old"), then place
nouns (doorway, library, car park), high-street names (Greggs, the Co-op) or, after a
strong word like "outside", any one name ("outside Rileys"). "of" joins another place
("the doorway of the old Woolworths"), and a place phrase right after another one joins
it ("by the cash machine outside NatWest"). Punctuation ends a phrase.

Weak words ("at", "in", "on", "by") are everywhere ("at shoppers", "in his waistband",
"by 3 lads", "on a shoplifting spree"), so after them only a place noun or a high-street
name counts; people, pronouns, numbers and times never start a place. A phrase that
names only something generic ("on the floor", "in the road") is not a place by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.quick_report.words import Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Longest first when matched. Strong: whatever follows names a place.
STRONG_LEADS: tuple[str, ...] = (
    "outside", "outside of", "behind", "near", "nr", "nearby", "opposite", "opp",
    "next to", "in front of", "round the back of", "around the back of", "at the back of",
    "round the side of", "at the side of", "by the side of", "at the top of", "top of",
    "at the bottom of", "bottom of", "at the end of", "end of", "on the corner of",
    "corner of", "junction of", "above", "beside", "under", "underneath", "against",
    "across from", "along", "alongside",
)  # fmt: skip
WEAK_LEADS: tuple[str, ...] = ("at", "in", "inside", "on", "by", "down", "up", "into", "from")

DETERMINERS = frozenset({"the", "a", "an", "that", "this", "those", "these", "one", "some"})
MODIFIERS = frozenset(
    {
        "old", "new", "main", "high", "back", "front", "top", "bottom", "far", "little", "big",
        "upper", "lower", "rear", "side", "north", "south", "east", "west", "disabled",
        "public", "empty", "derelict", "closed", "down", "24", "hour", "24hr", "usual",
        "same", "war",
    }
)  # fmt: skip

# Nouns that name a place in a town centre (normalised; "car park" is "car" + "park").
PLACE_NOUNS = _words(
    """
    street st road rd lane ln avenue ave square sq place row parade precinct arcade
    centre center mall market hall library church churchyard chapel cathedral park car
    playground play area garden gardens green common field bridge river canal towpath
    path footpath alley alleyway ginnel snicket jitty underpass subway steps stairs
    stairwell doorway doorways entrance exit shelter stop station stn rank taxi cashpoint
    cash machine atm toilets toilet loos memorial statue fountain clock tower monument
    bandstand shop shops store chippy chip kebab takeaway cafe caffe pub bar club
    nightclub bookies hotel hostel school college hospital surgery pharmacy chemist bank
    post office town museum theatre cinema gym leisure garage petrol flats flat estate
    block multi storey multistorey level roof railings railing ledge wall gate gates
    junction roundabout crossing lights traffic corner yard courtyard walkway quarter
    embankment bus train tram platform car wash bins bin shutters underpass
    bridge lift lifts ramp benches bench pavement floor ground counter till
    """
)
# Place nouns that say nothing on their own: "on the floor", "in the road".
GENERIC = _words(
    """
    floor ground bench benches pavement road street way side corner back front top bottom
    end wall car bins bin lift lifts stairs steps level roof
    """
)
# High-street names, as a member types them (normalised: "Co-op" is "co op").
HIGH_STREET = _words(
    """
    greggs boots tesco tescos sainsburys asda morrisons aldi lidl iceland coop co
    mcdonalds maccies maccas mcds kfc nandos costa starbucks pret primark poundland
    wilko wilkos superdrug argos wetherspoons spoons natwest barclays lloyds hsbc
    santander halifax nationwide woolworths woolies waterstones whsmith smiths
    specsavers timpsons debenhams bhs tk footlocker cex vodafone subway burger dominos
    pizza wimpy spar londis budgens poundstretcher
    """
)
# Words that go on a high-street name: "Tesco Express", "Kings Arms", "Co-op".
HIGH_STREET_MORE = _words("express extra metro local arms op direct king hut maxx bargains factory")
# Never the start of a place: people, pronouns, times, amounts.
NOT_A_PLACE = _words(
    """
    his her their my our your its him them me us it he she they you i we
    people shoppers shopper staff lads lad men man women woman girl girls boy boys kid
    kids child children youths youth males male females female bloke blokes guy guys
    someone somebody anyone everyone security police officer officers worker workers
    driver drivers passers public customers customer pensioners pensioner victim
    night morning afternoon evening tonight today moment minute minutes hour hours
    own way foot bike bikes phone phones drink drugs
    """
)
# Words after which a place phrase cannot go on.
PEOPLE_AFTER = _words(
    """
    worker workers staff keeper keepers owner owners assistant assistants manager guard
    guards driver drivers attendant attendants security
    """
)

MAX_PHRASE_WORDS = 12


@dataclass(frozen=True)
class PlaceText:
    """A place phrase: its words normalised, and as the member wrote them."""

    words: tuple[str, ...]
    text: str  # a slice of the message
    start: int  # token index in the message
    end: int


def _phrases(phrases: Sequence[str]) -> list[tuple[str, ...]]:
    return sorted({tuple(p.split()) for p in phrases}, key=lambda words: -len(words))


_STRONG = _phrases(STRONG_LEADS)
_WEAK = _phrases(WEAK_LEADS)


def _lead_at(words: Sequence[str], index: int) -> tuple[int, bool] | None:
    """(words in the lead, strong) for a lead starting at index."""
    for leads, strong in ((_STRONG, True), (_WEAK, False)):
        for lead in leads:
            if tuple(words[index : index + len(lead)]) == lead:
                return len(lead), strong
    return None


def _named(word: str) -> bool:
    if word in PLACE_NOUNS or word in HIGH_STREET:
        return True
    return len(word) > 3 and word.endswith("s") and word[:-1] in PLACE_NOUNS  # "walls"


def _ends_with_ing_or_ly(word: str) -> bool:
    return (word.endswith("ing") or word.endswith("ly")) and not _named(word)


class _Reader:
    def __init__(self, text: str, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.words = [t.word for t in tokens]
        # Words written with a capital: a name goes on while they do ("the Corn Exchange").
        self.capital = [text[t.start : t.start + 1].isupper() for t in tokens]

    def noun_phrase(self, index: int, *, strong: bool) -> tuple[int, bool] | None:
        """(end, generic) of a place noun phrase starting at index, or None."""
        words, tokens, n = self.words, self.tokens, len(self.words)
        i = index
        while i < n and (words[i] in DETERMINERS or words[i] in MODIFIERS) and i - index < 3:
            if tokens[i].breaks_after:
                return None
            i += 1
        if i >= n or words[i] in NOT_A_PLACE or _ends_with_ing_or_ly(words[i]):
            return None
        if words[i].isdigit() and not strong:
            return None
        content: list[str] = []
        if _named(words[i]):
            while i < n and words[i] not in NOT_A_PLACE:
                if not (_named(words[i]) or (content and words[i] in HIGH_STREET_MORE)):
                    break
                content.append(words[i])
                i += 1
                if tokens[i - 1].breaks_after:
                    break
        elif strong and words[i].isalnum() and not _lead_at(words, i):
            # "outside Rileys": one name of any kind, then place nouns ("Rileys bar"), or
            # more words written with a capital ("outside the Corn Exchange").
            content.append(words[i])
            i += 1
            while i < n and not tokens[i - 1].breaks_after:
                named = _named(words[i]) or words[i] in HIGH_STREET_MORE
                if words[i] in NOT_A_PLACE or not (named or self.capital[i]):
                    break
                content.append(words[i])
                i += 1
        else:
            return None
        if i < n and not tokens[i - 1].breaks_after and words[i] in PEOPLE_AFTER:
            return None  # "a shop worker", "door staff": people, not a place
        generic = all(word in GENERIC for word in content)
        # "the doorway of the old Woolworths", "top of market st"
        if i < n and words[i] == "of" and not tokens[i - 1].breaks_after:
            more = self.noun_phrase(i + 1, strong=True)
            if more is not None:
                i, more_generic = more
                generic = generic and more_generic
        return i, generic

    def phrase_at(self, index: int) -> list[tuple[int, int, bool]] | None:
        """The place phrases, chained, from a lead at index: [(start, end, generic)]."""
        lead = _lead_at(self.words, index)
        if lead is None:
            return None
        size, strong = lead
        if self.tokens[index + size - 1].breaks_after:
            return None
        found = self.noun_phrase(index + size, strong=strong)
        if found is None:
            return None
        end, generic = found
        chain = [(index, end, generic)]
        # "by the cash machine outside NatWest", "outside Greggs on the high street"
        if end < len(self.words) and not self.tokens[end - 1].breaks_after:
            more = self.phrase_at(end)
            if more is not None:
                chain.extend(more)
        return chain


def find_place_text(text: str, tokens: Sequence[Token]) -> PlaceText | None:
    """The first place phrase in the message that names more than something generic.

    Generic phrases at the start of a chain are left out ("in the street near the clock
    tower" is kept as "near the clock tower"); further on they qualify the place and stay.
    """
    reader = _Reader(text, tokens)
    index = 0
    while index < len(tokens):
        chain = reader.phrase_at(index)
        if chain is None:
            index += 1
            continue
        while chain and chain[0][2]:
            chain.pop(0)
        if chain:
            start, end = chain[0][0], min(chain[-1][1], chain[0][0] + MAX_PHRASE_WORDS)
            words = tuple(t.word for t in tokens[start:end])
            return PlaceText(words, text[tokens[start].start : tokens[end - 1].end], start, end)
        index += 1
    return None
