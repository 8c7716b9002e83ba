"""Outreach domain: vocabularies, spelling-tolerant alias matching, timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.outreach import (
    MAX_ALIAS,
    Action,
    AliasError,
    ContactEntry,
    MergeEntry,
    Need,
    alias_score,
    build_timeline,
    clean_alias,
    join_slugs,
    match_aliases,
    similar_aliases,
    split_slugs,
    toggle,
)

PEOPLE = [
    (1, "Johnny"),
    (2, "Big Mick"),
    (3, "Sarah"),
    (4, "Jenny"),
    (5, "Scouse Dave"),
    (6, "Nick"),
]


def found(query: str) -> list[str]:
    return [h.alias for h in match_aliases(query, PEOPLE)]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("Jonny", "Johnny"),
        ("johnny", "Johnny"),
        ("JOHNNY!", "Johnny"),
        ("Johny", "Johnny"),
        ("Joh", "Johnny"),  # the start of an alias
        ("mick", "Big Mick"),  # one word of a longer alias
        ("Mik", "Big Mick"),
        ("Sara", "Sarah"),
        ("dave", "Scouse Dave"),
        ("davey", "Scouse Dave"),
        ("scouse dave", "Scouse Dave"),
        ("dave scouse", "Scouse Dave"),
    ],
)
def test_search_finds_misspelt_aliases(query: str, expected_first: str) -> None:
    assert found(query)[0] == expected_first


def test_search_keeps_different_names_apart() -> None:
    assert found("Zebedee") == []
    assert found("Tom") == []
    assert "Sarah" not in found("Jonny")
    # Similar names are all offered, best first: the worker tells them apart by details.
    assert found("Jonny")[:2] == ["Johnny", "Jenny"]


def test_same_person_check_is_stricter_than_search() -> None:
    assert [h.alias for h in similar_aliases("Jonny", PEOPLE)] == ["Johnny"]
    assert [h.alias for h in similar_aliases("Mick", PEOPLE)] == ["Big Mick"]
    assert similar_aliases("Joh", PEOPLE) == []  # a prefix alone is not the same person
    assert similar_aliases("Mike", PEOPLE) == []
    assert similar_aliases("Sam", PEOPLE) == []


def test_scores() -> None:
    assert alias_score("Jonny", "Johnny") == pytest.approx(90.9, abs=0.1)
    assert alias_score("", "Johnny") == 0
    assert alias_score("Jo", "Johnny") < 75  # two letters are too few to search by


def test_clean_alias() -> None:
    assert clean_alias("  Big   Mick ") == "Big Mick"
    with pytest.raises(AliasError):
        clean_alias("   ")
    with pytest.raises(AliasError):
        clean_alias("x" * (MAX_ALIAS + 1))
    assert clean_alias("x" * MAX_ALIAS) == "x" * MAX_ALIAS


def test_slugs_round_trip_in_vocabulary_order() -> None:
    assert join_slugs([Need.FOOD, Need.ACCOMMODATION, Need.FOOD], Need) == "accom|food"
    assert split_slugs("food|accom|retired_slug", Need) == [Need.FOOD, Need.ACCOMMODATION]
    assert split_slugs(None, Action) == []
    assert toggle([Need.FOOD], Need.ACCOMMODATION) == [Need.ACCOMMODATION, Need.FOOD]
    assert toggle([Need.FOOD], Need.FOOD) == []


def test_timeline_orders_and_summarises_needs() -> None:
    day = datetime(2026, 11, 1, 22, tzinfo=UTC)

    def contact(i: int, days: int, needs: tuple[Need, ...], referral: int | None = None):
        return ContactEntry(
            i, day + timedelta(days=days), "Otto", "Market", None, needs, (), None, referral
        )

    timeline = build_timeline(
        [
            contact(1, 0, (Need.FOOD,)),
            contact(3, 10, (Need.MENTAL_HEALTH, Need.FOOD), referral=7),
            contact(2, 5, ()),
        ],
        [MergeEntry(day + timedelta(days=7), 9, "Jonny")],
    )
    assert [c.contact_id for c in timeline.contacts] == [3, 2, 1]
    assert timeline.first_seen == day and timeline.last_seen == day + timedelta(days=10)
    food = next(t for t in timeline.needs if t.need is Need.FOOD)
    assert (food.times, food.first, food.last) == (2, day, day + timedelta(days=10))
    assert timeline.referral_ids == [7]
    kinds = [type(e).__name__ for e in timeline.events]
    assert kinds == ["ContactEntry", "MergeEntry", "ContactEntry", "ContactEntry"]
    empty = build_timeline([])
    assert empty.first_seen is None and empty.contacts == []


def test_referral_overdue_setting() -> None:
    from pathlib import Path

    from bot.config import SettingsError, load_settings

    assert load_settings(_env_file=None).referral_overdue_hours == 24
    overdue = load_settings(_env_file=None, TCAG_REFERRAL_OVERDUE_HOURS="12")
    assert overdue.referral_overdue_hours == 12
    older_name = load_settings(_env_file=None, TCAG_REFERRAL_STALE_HOURS="36")
    assert older_name.referral_overdue_hours == 36
    with pytest.raises(SettingsError, match="TCAG_REFERRAL_OVERDUE_HOURS"):
        load_settings(_env_file=None, TCAG_REFERRAL_OVERDUE_HOURS="0")
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    assert "TCAG_REFERRAL_OVERDUE_HOURS=24" in example


def test_drafts_expire_after_an_hour_without_an_answer() -> None:
    from bot.domain.outreach import draft_expired

    now = datetime(2026, 11, 27, 22, tzinfo=UTC)
    assert not draft_expired(None, now)
    assert not draft_expired((now - timedelta(minutes=60)).isoformat(), now)
    assert draft_expired((now - timedelta(minutes=61)).isoformat(), now)
    assert draft_expired("garbled", now)


def test_a_report_reopens_the_latest_not_found_referral_at_the_same_place() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.domain.referrals import NotFound, ReferralPlace, reopens, same_place

    now = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    square = ReferralPlace(7, None, (52.6, -1.1))
    assert same_place(ReferralPlace(7, None, None), square)  # the same hotspot
    assert same_place(
        ReferralPlace(None, "Bus  STATION", None), ReferralPlace(None, "bus station", None)
    )
    assert same_place(ReferralPlace(None, None, (52.60130, -1.1)), square)  # 145 m
    assert not same_place(ReferralPlace(None, None, (52.60140, -1.1)), square)  # 156 m
    assert not same_place(ReferralPlace(None, "Library", None), ReferralPlace(None, None, None))
    candidates = [
        NotFound(1, now - timedelta(hours=20), square),
        NotFound(2, now - timedelta(hours=2), square),
        NotFound(3, now - timedelta(hours=1), ReferralPlace(None, "Library", None)),
        NotFound(4, now - timedelta(hours=25), ReferralPlace(None, "Park", None)),
        NotFound(5, now - timedelta(hours=24), ReferralPlace(None, "Arches", None)),
    ]
    assert reopens(ReferralPlace(7, None, None), candidates, now=now) == 2
    assert reopens(ReferralPlace(None, "library", None), candidates, now=now) == 3
    assert reopens(ReferralPlace(None, "Park", None), candidates, now=now) is None  # 25 h
    assert reopens(ReferralPlace(None, "Market", None), candidates, now=now) is None
    assert reopens(ReferralPlace(None, "Arches", None), candidates, now=now) is None  # 24 h
