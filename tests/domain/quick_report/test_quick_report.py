import time

import pytest

from bot.domain.geo import Place
from bot.domain.quick_report import (
    COMMON_LOOKALIKES,
    DEFAULT_CATEGORIES,
    CategoryMatch,
    CategoryRule,
    Matcher,
    PlaceMatch,
    Proposal,
    default_rules,
    match_category,
    match_place,
    normalise,
    propose,
)

RULES = default_rules()
ID_BY_SLUG = {entry.slug: index for index, entry in enumerate(DEFAULT_CATEGORIES, start=1)}

ELMER_SQUARE = Place(1, "Elmer Square", 52.6296, -1.1324, 60.0, ("the fountain",))
BUS_STATION = Place(2, "Bus Station", 52.6314, -1.1324, 80.0, ("Bus", "interchange"))
GREGGS = Place(3, "Greggs", 52.6301, -1.1310, 15.0)
BOOTS = Place(4, "Boots", 52.6305, -1.1300, 15.0)
MARKET = Place(5, "Market Street", 52.6290, -1.1290, 120.0, ("the market",))
ST_MARYS = Place(6, "St Mary's Churchyard", 52.6280, -1.1330, 50.0, ("churchyard",))
PLACES = (ELMER_SQUARE, BUS_STATION, GREGGS, BOOTS, MARKET, ST_MARYS)

MATCHER = Matcher(RULES, PLACES)


def slug_of(match: CategoryMatch | None) -> str | None:
    if match is None:
        return None
    return DEFAULT_CATEGORIES[match.category_id - 1].slug


def place_of(match: PlaceMatch | None) -> str | None:
    return None if match is None else match.place.name


# --- the messages from the design ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "place"),
    [
        ("3 lads drinking by the fountain in Elmer Square", "street_drinking", "Elmer Square"),
        ("bloke with a machette outside greggs", "weapon", "Greggs"),
        (
            "kid looks about 13 handing over packages to older lads at the bus station",
            "safeguarding",
            "Bus Station",
        ),
        ("someone sleeping in the doorway of Boots", "rough_sleeping", "Boots"),
        ("lovely evening", None, None),
        ("Two blokes fighting outside Greggs, one bleeding", "violence", "Greggs"),
        ("drunk bloke staggering about shouting at shoppers", "drunk_disorderly", None),
        ("suspicious male trying car doors on Market Street", "suspicious", "Market Street"),
        ("lad selling weed by the interchange", "drug_dealing", "Bus Station"),
        ("graffiti all over the bus shelter", "criminal_damage", "Bus Station"),
        ("woman asking people for money outside Boots", "begging", "Boots"),
        ("group of youths with balaclavas at the churchyard", "gang", "St Mary's Churchyard"),
        ("kids throwing stones at buses", "asb", None),  # children alone are no safeguarding cue
        ("kid about 13 with older lads by the bus station", "safeguarding", "Bus Station"),
        ("lads throwing stones at the market", "asb", "Market Street"),
        ("tent pitched in St Mary's churchyard again", "rough_sleeping", "St Mary's Churchyard"),
        ("someone shoplifting in boots", "theft", "Boots"),
    ],
)
def test_realistic_messages(text: str, category: str | None, place: str | None) -> None:
    proposal = MATCHER.propose(text)
    assert slug_of(proposal.category) == category
    assert place_of(proposal.place) == place


def test_proposal_for_the_design_example_carries_details() -> None:
    proposal = propose("3 lads drinking by the fountain in Elmer Square", RULES, PLACES)
    assert proposal.category == CategoryMatch(
        ID_BY_SLUG["street_drinking"], 150.0, "lads drinking", urgent=False
    )
    assert proposal.place is not None
    assert proposal.place.place_id == ELMER_SQUARE.id
    assert proposal.place.exact
    assert proposal.place.score == 100.0
    assert not proposal.is_empty


def test_nothing_to_propose() -> None:
    proposal = MATCHER.propose("lovely evening")
    assert proposal == Proposal(None, None)
    assert proposal.is_empty
    assert MATCHER.propose("").is_empty
    assert MATCHER.propose("   !!! 👍 ...").is_empty


# --- categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "keyword"),
    [
        ("bloke with a machette", "weapon", "machete"),
        ("lads drinkin on the benches", "street_drinking", "lads drinking"),
        ("someone sleepin rough behind the library", "rough_sleeping", "sleeping rough"),
        ("herion needles in the alley", "drug_dealing", "heroin"),
        ("grafiti on the shutters", "criminal_damage", "graffiti"),
        ("man looks vulnerabel", "safeguarding", "vulnerable"),
        ("suspicous behaviour near the cashpoint", "suspicious", "suspicious"),
    ],
)
def test_small_misspellings_of_longer_keywords(text: str, category: str, keyword: str) -> None:
    match = MATCHER.match_category(text)
    assert slug_of(match) == category
    assert match is not None and match.keyword == keyword
    exact = MATCHER.match_category(keyword)
    assert exact is not None and match.score < exact.score  # fuzzy scores below exact


@pytest.mark.parametrize(
    "text",
    [
        "nice flight back from Spain",  # flight is not fight
        "see you later at the cafe",  # later is not lager
        "the plane is on the runway",  # runway is not runaway
        "lost my glasses near the bank",  # glasses is not glassed
        "just chill, nothing going on",  # chill is not child
        "plenty of space in the car park",  # space is not spice
        "she swore she paid",  # swore is not sword
        "exam tests and texts all day",  # tests, texts are not tents
        "there was a track on the road",  # crack is too short to be fuzzy
        "bang on time for once",  # gang is too short to be fuzzy
    ],
)
def test_real_words_are_not_taken_for_misspelt_keywords(text: str) -> None:
    assert MATCHER.match_category(text) is None


def test_lookalikes_never_read_fuzzily() -> None:
    for word in ("flight", "later", "runway", "glasses", "space", "forearm", "hopeless"):
        assert word in COMMON_LOOKALIKES
        assert MATCHER.match_category(f"the {word} was fine") is None


def test_whole_words_only() -> None:
    assert MATCHER.match_category("the batter at the cricket club") is None  # not "bat"
    assert MATCHER.match_category("gangway by the library") is None  # not "gang"
    assert MATCHER.match_category("a cancer charity shop") is None  # not "cans"
    assert slug_of(MATCHER.match_category("man with a bat")) == "weapon"


def test_plurals_of_keywords_count_as_exact() -> None:
    for text, category in (
        ("two tents behind the church", "rough_sleeping"),
        ("guns seen in a car", "weapon"),
        ("gangs at it again", "gang"),
    ):
        match = MATCHER.match_category(text)
        assert slug_of(match) == category
        assert match is not None and match.score >= 100


def test_phrases_score_higher_than_single_words() -> None:
    single = MATCHER.match_category("dealing")
    phrase = MATCHER.match_category("county lines")
    longer = MATCHER.match_category("exchanging packages")
    assert single is not None and phrase is not None and longer is not None
    assert single.score == 100.0
    assert phrase.score == 150.0
    assert phrase.keyword == "county lines"


def test_phrase_beats_single_word_from_another_category() -> None:
    # "drunk" alone would say drunk and disorderly; the phrase says street drinking.
    match = MATCHER.match_category("drunk, bunch of lads drinking cider")
    assert slug_of(match) == "street_drinking"


def test_urgent_category_wins_over_higher_score() -> None:
    text = "kid looks about 13 handing over packages to older lads at the bus station"
    match = MATCHER.match_category(text)
    assert slug_of(match) == "safeguarding"
    # A child with older people: a keyword of two parts ("kid/... + older/...").
    assert match is not None and match.urgent and " + " in match.keyword
    # Without the safeguarding rule, the longer phrase makes it drug dealing.
    without = [rule for rule in RULES if rule.id != ID_BY_SLUG["safeguarding"]]
    dealing = match_category(text, without)
    assert slug_of(dealing) == "drug_dealing"
    assert dealing is not None and not dealing.urgent and dealing.score > match.score


def test_several_keywords_of_one_category_add_up() -> None:
    one = MATCHER.match_category("cider")
    three = MATCHER.match_category("cider, cans and vodka")
    assert one is not None and three is not None
    assert three.score == one.score + 20


def test_repetition_alone_adds_nothing() -> None:
    once = MATCHER.match_category("cider")
    many = MATCHER.match_category("cider " * 50)
    assert once == many


def test_ties_go_to_rule_order() -> None:
    rules = (
        CategoryRule(10, "First", ("hoodie",)),
        CategoryRule(20, "Second", ("hoodie",)),
    )
    match = match_category("lad in a hoodie", rules)
    assert match is not None and match.category_id == 10
    assert match_category("lad in a hoodie", rules[::-1]) == CategoryMatch(20, 100.0, "hoodie")


def test_custom_rules_use_the_rule_ids_and_keywords_as_written() -> None:
    rules = (CategoryRule(42, "Dog fouling", ("Dog Mess", "fouling")),)
    match = match_category("DOG-MESS everywhere!!", rules)
    assert match == CategoryMatch(42, 150.0, "Dog Mess")
    assert match_category("anything", ()) is None


def test_punctuation_emoji_and_case_do_not_matter() -> None:
    for text in (
        "🔪🔪 MACHETE!!! 🔪",
        "...machete...",
        "Ｍａｃｈｅｔｅ",  # full-width, folded by NFKC
        "machete😱",
    ):
        assert slug_of(MATCHER.match_category(text)) == "weapon", text


def test_hyphens_and_apostrophes() -> None:
    assert slug_of(MATCHER.match_category("really anti-social lot")) == "asb"
    assert slug_of(MATCHER.match_category("he's off his face")) == "drunk_disorderly"
    assert slug_of(MATCHER.match_category("lads’ cans everywhere")) == "street_drinking"


# --- places -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "exact"),
    [
        ("by Elmer's Square", "Elmer Square", True),  # possessive
        ("ELMER SQUARE!!!", "Elmer Square", True),
        ("near the fountain", "Elmer Square", True),  # alias
        ("near the Fountain.", "Elmer Square", True),
        ("in Elmers Square", "Elmer Square", False),
        ("Elmer Sqaure", "Elmer Square", False),
        ("sat by the fountian", "Elmer Square", False),
        ("outside gregs", "Greggs", False),
        ("st marys churchyard", "St Mary's Churchyard", True),
        ("at the bus stop", "Bus Station", True),  # "Bus" alias, whole word
        ("on market st", "Market Street", True),  # alias "the market"
    ],
)
def test_place_matching(text: str, place: str, exact: bool) -> None:
    match = MATCHER.match_place(text)
    assert place_of(match) == place
    assert match is not None and match.exact is exact


def test_short_alias_is_not_found_inside_a_longer_word() -> None:
    assert MATCHER.match_place("business as usual, nothing to report") is None
    assert MATCHER.match_place("busy afternoon") is None
    assert match_place("bud", [BUS_STATION]) is None  # too short for fuzzy matching


def test_near_miss_short_names_do_not_match() -> None:
    assert MATCHER.match_place("car boot sale") is None  # "boot" is not "Boots"
    assert MATCHER.match_place("marker pen on the wall") is None  # not "market"


def test_exact_alias_beats_fuzzy_name() -> None:
    cafe = Place(7, "Fountain Cafe", 0.0, 0.0, 10.0)
    match = match_place("by the fountain caff", [cafe, ELMER_SQUARE])
    assert place_of(match) == "Elmer Square"
    assert match is not None and match.exact and match.term == "the fountain"


def test_longer_name_beats_a_shorter_one_inside_it() -> None:
    square = Place(1, "Elmer Square", 0.0, 0.0, 10.0)
    car_park = Place(2, "Elmer Square Car Park", 0.0, 0.0, 10.0)
    for places in ((square, car_park), (car_park, square)):
        assert place_of(match_place("van in elmer square car park", places)) == (
            "Elmer Square Car Park"
        )
        assert place_of(match_place("van in elmer square", places)) == "Elmer Square"


def test_place_match_reports_the_term_as_written() -> None:
    match = MATCHER.match_place("by the fountain")
    assert match is not None
    assert match.term == "the fountain"
    assert match.place_id == ELMER_SQUARE.id


def test_no_places_configured() -> None:
    assert match_place("Elmer Square", ()) is None
    proposal = propose("knife in Elmer Square", RULES, ())
    assert slug_of(proposal.category) == "weapon"
    assert proposal.place is None


# --- normalisation, defaults, speed -------------------------------------------------------


def test_normalise() -> None:
    assert normalise("Elmer's  Square!! 🍺") == "elmer square"
    assert normalise("  DON'T   stop ") == "dont stop"
    assert normalise("anti-social") == "anti social"
    assert normalise("Café Nero") == "cafe nero"
    assert normalise("ｆｕｌｌ　ｗｉｄｔｈ") == "full width"
    assert normalise("STRASSE straße") == "strasse strasse"
    assert normalise("") == ""


def test_default_categories_follow_the_design() -> None:
    slugs = [entry.slug for entry in DEFAULT_CATEGORIES]
    assert slugs == [
        "suspicious", "drug_dealing", "gang", "weapon", "violence", "asb",
        "street_drinking", "drunk_disorderly", "begging", "rough_sleeping",
        "criminal_damage", "safeguarding", "welfare", "theft", "other",
    ]  # fmt: skip
    urgent = {entry.slug for entry in DEFAULT_CATEGORIES if entry.urgent}
    assert urgent == {"weapon", "violence", "safeguarding", "welfare"}
    for slug, name, keywords, is_urgent in DEFAULT_CATEGORIES:
        assert name and keywords and isinstance(is_urgent, bool), slug
        assert len(set(keywords)) == len(keywords), slug
    assert [rule.id for rule in RULES] == list(range(1, len(DEFAULT_CATEGORIES) + 1))


def test_every_default_keyword_finds_its_own_category() -> None:
    # Each keyword, alone, proposes its category (unless an urgent category shares a word).
    for slug, _name, keywords, _urgent in DEFAULT_CATEGORIES:
        for keyword in keywords:
            assert slug_of(MATCHER.match_category(keyword)) == slug, keyword


def test_very_long_text_still_works_and_stays_fast() -> None:
    filler = "quiet afternoon, shoppers about, nothing much happening on the high street. "
    text = (filler * 80)[:4_970] + " lad with a knife by the fountian"
    assert len(text) >= 5_000
    start = time.perf_counter()
    proposal = MATCHER.propose(text)
    elapsed = time.perf_counter() - start
    assert slug_of(proposal.category) == "weapon"
    assert place_of(proposal.place) == "Elmer Square"
    assert elapsed < 0.5  # a few ms in practice; generous for slow CI machines


def test_matcher_is_reusable_and_stateless() -> None:
    text = "bloke with a machette outside greggs"
    assert MATCHER.propose(text) == MATCHER.propose(text)
    assert MATCHER.propose(text) == propose(text, RULES, PLACES)
