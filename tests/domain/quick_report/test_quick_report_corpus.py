"""The quick-report reading against messages written the way officers type.

tests/data/quick_report_corpus.tsv holds realistic street messages (short, lower case,
slang, typos, places that are not hotspots, two places in one message), each with the
category, place and urgency a coordinator would expect. Place is a hotspot's name (from
the sample hotspots in examples/hotspots.csv), the place text the report should keep (as
typed: "outside wetherspoons"), or "-" for none. Each of the three figures must stay at
90% or more.

How it was built, so the figures can be judged: the first 173 messages were written with
the keyword review; the next 60 were written after the keywords were frozen and read
38/60 categories, 57/60 places, 50/60 urgency at first; the last 40, written after the
fixes those prompted, read 31/40, 37/40, 38/40 at first. Both batches were then kept here,
and the keywords and place words extended for the ideas they showed (not for their exact
words). Expect unseen messages to read somewhat below the figures printed here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.domain.geo import Place
from bot.domain.quick_report import DEFAULT_CATEGORIES, Matcher, default_rules, normalise

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "quick_report_corpus.tsv"
SAMPLE_HOTSPOTS = ROOT / "examples" / "hotspots.csv"
PASS_MARK = 0.90
NO_PLACE = "-"

# Misreadings that cannot be fixed without breaking others, each with the reason.
KNOWN_MISREADINGS: dict[str, str] = {
    "drunk lads kicking off at the taxi rank": (
        "read as antisocial behaviour: 'kicking off' and 'drunk lads' weigh the same and "
        "the design's order puts antisocial behaviour first; both are fair readings"
    ),
    "bloke just robbed the till at the kebab shop and legged it": (
        "read as violence (robbery), urgent: on the street 'robbed' means stole as often "
        "as it means robbery, and the words cannot tell them apart; the urgent reading is "
        "the safe one, and the member changes it with a tap"
    ),
}


@dataclass(frozen=True)
class Expected:
    text: str
    category: str
    place: str
    urgent: bool


def _corpus() -> list[Expected]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Expected(row["text"], row["category"], row["place"], row["urgent"] == "yes") for row in rows
    ]


def _sample_hotspots() -> list[Place]:
    with SAMPLE_HOTSPOTS.open(encoding="utf-8", newline="") as handle:
        return [
            Place(
                index,
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                float(row["radius_m"]),
                tuple(alias for alias in row["aliases"].split("|") if alias),
            )
            for index, row in enumerate(csv.DictReader(handle), start=1)
        ]


EXPECTED = _corpus()
HOTSPOTS = _sample_hotspots()
MATCHER = Matcher(default_rules(), HOTSPOTS)
SLUGS = [entry.slug for entry in DEFAULT_CATEGORIES]


@dataclass(frozen=True)
class Reading:
    category: str
    place: str
    urgent: bool


def read(text: str) -> Reading:
    proposal = MATCHER.propose(text)
    category = SLUGS[proposal.category.category_id - 1] if proposal.category else NO_PLACE
    if proposal.place is not None:
        place = proposal.place.place.name
    elif proposal.place_text is not None:
        place = proposal.place_text.text
    else:
        place = NO_PLACE
    return Reading(category, place, proposal.urgent)


def _same_place(expected: str, got: str) -> bool:
    return normalise(expected) == normalise(got)


def _misread(expected: Expected) -> list[str]:
    got = read(expected.text)
    wrong = []
    if got.category != expected.category:
        wrong.append(f"category {got.category} (expected {expected.category})")
    if not _same_place(expected.place, got.place):
        wrong.append(f"place {got.place!r} (expected {expected.place!r})")
    if got.urgent is not expected.urgent:
        wrong.append(f"urgent {got.urgent} (expected {expected.urgent})")
    return wrong


def test_the_corpus_is_big_and_well_formed() -> None:
    assert len(EXPECTED) >= 150
    assert len({e.text for e in EXPECTED}) == len(EXPECTED)  # no message twice
    hotspot_names = {place.name for place in HOTSPOTS}
    for expected in EXPECTED:
        assert expected.category in SLUGS, expected
        assert expected.place, expected
    # Every category, places that are hotspots and places that are not, both urgencies.
    assert {e.category for e in EXPECTED} == set(SLUGS)
    assert sum(e.place in hotspot_names for e in EXPECTED) >= 50
    assert sum(e.place not in hotspot_names and e.place != NO_PLACE for e in EXPECTED) >= 40
    assert sum(e.urgent for e in EXPECTED) >= 40
    assert sum(not e.urgent for e in EXPECTED) >= 40


def test_each_figure_is_at_least_90_percent() -> None:
    total = len(EXPECTED)
    category = place = urgency = 0
    wrong: list[str] = []
    for expected in EXPECTED:
        got = read(expected.text)
        category += got.category == expected.category
        place += _same_place(expected.place, got.place)
        urgency += got.urgent is expected.urgent
        problems = _misread(expected)
        if problems and expected.text not in KNOWN_MISREADINGS:
            wrong.append(f"{expected.text!r}: {', '.join(problems)}")
    figures = f"category {category}/{total}, place {place}/{total}, urgency {urgency}/{total}"
    print(f"\nquick-report corpus: {figures}")
    for name, right in (("category", category), ("place", place), ("urgency", urgency)):
        assert right / total >= PASS_MARK, f"{name} below 90%: {figures}\n" + "\n".join(wrong)


@pytest.mark.parametrize("text", sorted(KNOWN_MISREADINGS))
def test_known_misreadings_are_in_the_corpus_and_still_misread(text: str) -> None:
    # A misreading fixed by a change of keywords comes off the list.
    expected = next((e for e in EXPECTED if e.text == text), None)
    assert expected is not None, f"not in the corpus: {text!r}"
    assert _misread(expected), f"read right now: take it off KNOWN_MISREADINGS: {text!r}"
