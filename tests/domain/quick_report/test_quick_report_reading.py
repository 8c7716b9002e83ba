"""Reading a quick report beyond keywords: urgency words, place text, cues, two places."""

from __future__ import annotations

import pytest

from bot.domain.geo import Place
from bot.domain.quick_report import (
    DEFAULT_CATEGORIES,
    CategoryMatch,
    CategoryRule,
    Matcher,
    Urgency,
    default_rules,
    find_place_text,
    match_category,
    normalise,
    read_urgency,
    tokenise,
)

ELMER_SQUARE = Place(1, "Elmer Square", 52.6012, -1.1034, 80.0, ("the fountain",))
BUS_STATION = Place(2, "Bus Station", 52.6031, -1.0987, 120.0, ("the bus station",))
CHURCHYARD = Place(3, "St Mary's Churchyard", 52.6020, -1.1071, 70.0, ("the churchyard",))
KINGS_ARMS = Place(4, "Kings Arms", 52.6016, -1.0997, 40.0, ("the kings",))
MATCHER = Matcher(default_rules(), (ELMER_SQUARE, BUS_STATION, CHURCHYARD, KINGS_ARMS))
SLUGS = [entry.slug for entry in DEFAULT_CATEGORIES]


def slug_of(match: CategoryMatch | None) -> str | None:
    return None if match is None else SLUGS[match.category_id - 1]


def urgency(text: str) -> Urgency:
    return read_urgency(normalise(text).split(), text)


def place_text(text: str) -> str | None:
    found = find_place_text(text, tokenise(text))
    return None if found is None else found.text


# --- the example ------------------------------------------------------------------


def test_knife_outside_wetherspoons_is_urgent_with_its_place() -> None:
    proposal = MATCHER.propose("lad with a knife outside wetherspoons, urgent")
    assert slug_of(proposal.category) == "weapon"
    assert proposal.place is None  # not a hotspot
    assert proposal.place_text is not None
    assert proposal.place_text.text == "outside wetherspoons"
    assert proposal.urgent
    assert proposal.urgency.words == ("knife", "urgent")


# --- urgency --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("lads kicking off outside the kings need backup now", ("need backup", "now")),
        ("man collapsed, not breathing", ("not breathing",)),
        ("someone bleeding by the fountain", ("bleeding",)),
        ("male stabbed on the towpath", ("stabbed",)),
        ("woman unconscious at the bus station", ("unconscious",)),
        ("possible overdose in the toilets", ("overdose",)),
        ("lad on the bridge threatening to jump", ("threatening to jump",)),
        ("come now please", ("now",)),
        ("fight now!", ("now",)),
        ("beggar getting aggressive, help", ("help",)),
        ("need assistance asap at the kings", ("need assistance", "asap")),
    ],
)
def test_urgent_words_are_found_and_named(text: str, words: tuple[str, ...]) -> None:
    found = urgency(text)
    assert found.words == words
    assert found.urgent(category_default=False)


@pytest.mark.parametrize(
    "text",
    [
        "drinkers now at the bus station",  # "now" telling where they went
        "3 nights now in the same doorway",
        "all gone now",
        "no knife seen, just shouting",  # a negation cancels the word
        "not bleeding, just shaken",
    ],
)
def test_now_and_negated_words_are_not_urgent_words(text: str) -> None:
    assert urgency(text).words == ()


def test_not_urgent_wins_over_everything() -> None:
    calm = urgency("not urgent - fight outside the kings earlier, knife mentioned")
    assert calm.not_urgent == ("not urgent",)
    assert not calm.urgent(category_default=True)
    assert not calm.by_words()
    fyi = urgency("fyi rough sleeper moved on")
    assert fyi.not_urgent == ("fyi",)


def test_signs_it_is_over_drop_the_category_default_but_not_urgent_words() -> None:
    over = urgency("fight earlier outside kfc, all calm now")
    assert over.over == ("earlier", "all calm")
    assert not over.urgent(category_default=True)
    knife = urgency("knife found earlier in the bushes")
    assert knife.words == ("knife",) and knife.over == ("earlier",)
    assert knife.urgent(category_default=False)


def test_proposal_urgency_joins_words_and_category() -> None:
    by_category = MATCHER.propose("two lads fighting by the fountain")
    assert by_category.urgent and by_category.urgency.words == ()
    by_words = MATCHER.propose("street drinkers back at the kings, need backup")
    assert slug_of(by_words.category) == "street_drinking"
    assert by_words.urgent and by_words.urgency.words == ("need backup",)
    calm = MATCHER.propose("not urgent, fight by the fountain earlier")
    assert slug_of(calm.category) == "violence" and not calm.urgent


# --- places that are not hotspots -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("lad with a knife outside Wetherspoons, urgent", "outside Wetherspoons"),
        ("drunk bloke outside Greggs on the high street", "outside Greggs on the high street"),
        ("youths by the war memorial again", "by the war memorial"),
        ("sleeping bags behind the library", "behind the library"),
        ("man begging by the cash machine outside NatWest", "by the cash machine outside NatWest"),
        (
            "bloke passed out in the doorway of the old Woolworths",
            ("in the doorway of the old Woolworths"),
        ),
        ("shoplifter in the Co-op, security aware", "in the Co-op"),
        ("fight outside Rileys bar now", "outside Rileys bar"),
        ("lads in the street near the clock tower", "near the clock tower"),
    ],
)
def test_place_text_is_kept_as_written(text: str, place: str) -> None:
    assert place_text(text) == place


@pytest.mark.parametrize(
    "text",
    [
        "male shouting at shoppers",  # people
        "kid with a knife in his waistband",  # a pronoun
        "male jumped by 3 lads",  # a number of people
        "man on the floor, not moving",  # only something generic
        "two females on a shoplifting spree",
        "lad pulled a knife on a shop worker",
        "out on his own at 1am",
        "lovely evening",
    ],
)
def test_no_place_text_where_there_is_no_place(text: str) -> None:
    assert place_text(text) is None


def test_a_hotspot_wins_over_place_text() -> None:
    proposal = MATCHER.propose("fight outside greggs by the fountain")
    assert proposal.place is not None and proposal.place.place == ELMER_SQUARE
    assert proposal.place_text is None


def test_place_text_survives_a_message_that_only_names_it() -> None:
    proposal = MATCHER.propose("outside the co-op")
    assert proposal.category is None
    assert proposal.place_text is not None and proposal.place_text.text == "outside the co-op"
    assert not proposal.is_empty


def test_tokens_keep_their_spans_and_where_punctuation_ends_a_phrase() -> None:
    text = "Lad by Elmer's Square, anti-social!"
    tokens = tokenise(text)
    assert [t.word for t in tokens] == normalise(text).split()
    assert [text[t.start : t.end] for t in tokens] == [
        "Lad", "by", "Elmer's", "Square", "anti", "social",
    ]  # fmt: skip
    assert [t.breaks_after for t in tokens] == [False, False, False, True, False, True]


# --- two hotspots, abbreviations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("lads who were in the churchyard now fighting by the fountain", ELMER_SQUARE),
        ("group heading from the bus station to the square, drinking", BUS_STATION),
        ("male who kicked off at the kings now at the bus station", BUS_STATION),
        ("drinkers from the fountain now in the churchyard", CHURCHYARD),
    ],
)
def test_of_two_hotspots_the_last_wins_unless_it_is_left(text: str, place: Place) -> None:
    match = MATCHER.match_place(text)
    assert match is not None and match.place == place


def test_from_counts_as_leaving() -> None:
    match = MATCHER.match_place("lads came from the bus station")
    assert match is not None and match.place == BUS_STATION  # the only one named
    match = MATCHER.match_place("from the churchyard to the kings")
    assert match is not None and match.place == KINGS_ARMS


def test_common_abbreviations_of_place_names() -> None:
    for text in ("drinkers at elmer sq", "ELMER SQ!!"):
        match = MATCHER.match_place(text)
        assert match is not None and match.place == ELMER_SQUARE and match.exact
    assert MATCHER.match_place("sq") is None  # a name of one word has no short form


# --- categories: cues, new defaults ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("girl looks about 14 getting into a car with older men", "safeguarding"),
        ("young lad out on his own at 1am", "safeguarding"),
        ("teenage girl hanging about with older blokes", "safeguarding"),
        ("worried a kid is being groomed", "safeguarding"),
        ("kids lobbing stones at buses", "asb"),  # children alone are no cue
        ("kids on bikes doing wheelies", "asb"),
        ("man collapsed outside boots", "welfare"),
        ("male spiced out, not responding", "welfare"),
        ("lady confused and lost, doesnt know where she lives", "welfare"),
        ("shoplifter legged it", "theft"),
        ("bike stolen from the racks", "theft"),
        ("pickpocket working the crowd", "theft"),
        ("lad tooled up", "weapon"),
        ("scrapping by the bus station", "violence"),
        ("someone cotched in a doorway", "rough_sleeping"),
        ("nitrous canisters everywhere", "drug_dealing"),
        ("lads necking cans", "street_drinking"),
    ],
)
def test_street_language(text: str, category: str) -> None:
    assert slug_of(MATCHER.match_category(text)) == category


def test_welfare_is_urgent_and_life_at_risk_by_default() -> None:
    from bot.domain.quick_report import LIFE_AT_RISK_SLUGS

    welfare = next(entry for entry in DEFAULT_CATEGORIES if entry.slug == "welfare")
    theft = next(entry for entry in DEFAULT_CATEGORIES if entry.slug == "theft")
    assert welfare.name == "Welfare / medical" and welfare.urgent
    assert theft.name == "Theft / shoplifting" and not theft.urgent
    assert {"welfare"} == LIFE_AT_RISK_SLUGS
    assert {rule.slug for rule in default_rules()} == set(SLUGS)


def test_a_keyword_of_parts_needs_every_part() -> None:
    rules = (CategoryRule(9, "Dogs", ("dog/dogs + off the leash/loose",)),)
    assert match_category("dog loose in the park", rules) == CategoryMatch(
        9, 150.0, "dog/dogs + off the leash/loose"
    )
    assert match_category("two dogs off the leash", rules) is not None
    assert match_category("dog on a leash", rules) is None
    assert match_category("loose paving slab", rules) is None
    typo = match_category("dogs off the laesh", rules)  # a typo in a longer part
    assert typo is not None and typo.score < 150.0
