"""The survey's pure rules: the person key, button tags, progress, figures, rate window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.callbacks.survey import SURVEY_BUTTONS, SurveyAction, SurveyPress, payload
from bot.domain.partnership.survey import (
    Answer,
    Progress,
    RateWindow,
    RoundResult,
    Share,
    button_tag,
    clean_other_place,
    figures,
    new_round_key,
    person_key,
    round_closes_at,
    tag_matches,
    trend,
)
from bot.domain.periods import Quarter

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def test_the_person_key_depends_on_the_round_key_and_hides_the_id() -> None:
    one, two = new_round_key(), new_round_key()
    assert person_key(one, 5005) == person_key(one, 5005)
    assert person_key(one, 5005) != person_key(two, 5005)
    assert person_key(one, 5005) != person_key(one, 5006)
    assert "5005" not in person_key(one, 5005) and len(person_key(one, 5005)) == 64


def test_a_tag_binds_the_payload_to_the_person_and_round() -> None:
    key, person = new_round_key(), "p" * 64
    data = payload(SurveyAction.DARK, 3, Progress(day=2), 4)
    tag = button_tag(key, person, data)
    assert tag_matches(key, person, data, tag)
    assert not tag_matches(key, "q" * 64, data, tag)
    assert not tag_matches(new_round_key(), person, data, tag)
    assert not tag_matches(key, person, payload(SurveyAction.DARK, 3, Progress(day=1), 4), tag)
    press = SurveyPress(SurveyAction.DARK, 3, 2, 0, 0, 4, tag)
    assert press.payload == data and SURVEY_BUTTONS.unpack(press.pack()) == press
    longest = SurveyPress(SurveyAction.TOGGLE, 2**31 - 1, 5, 5, 2**12 - 1, 11, tag).pack()
    assert len(longest.encode()) <= 64


def test_progress_validity() -> None:
    assert Progress().is_valid(3)
    assert Progress(1, 4, 0b101).is_valid(3)
    assert not Progress(1, 4, 0b1000).is_valid(3)  # a place past the round's list
    assert not Progress(6, 1).is_valid(3)
    assert not Progress(0, 1).is_valid(3)  # after dark before the day
    assert not Progress(1, 0, 1).is_valid(3)  # places before the feelings
    assert Progress(1, 2, 0b11).toggled(0) == Progress(1, 2, 0b10)


def test_round_lasts_at_most_the_quarter() -> None:
    assert round_closes_at(NOW, LONDON) == datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    summer = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)  # 23:30 BST, still Q3 locally
    assert round_closes_at(summer, LONDON) == datetime(2026, 9, 30, 23, 0, tzinfo=UTC)


def test_other_place_is_one_short_line() -> None:
    assert clean_other_place("  the\nunderpass  ") == "the underpass"
    assert clean_other_place("   ") is None
    assert len(clean_other_place("x" * 200) or "") == 60


def test_figures_share_and_suppression() -> None:
    answers = [Answer(1, 3, 0b01, None, 2, 1) for _ in range(5)]
    answers += [Answer(4, 4, 0b10, "Bus station", 3, 2) for _ in range(3)]
    answers += [Answer(5, 5, 0b11, "bus station", 0, 0) for _ in range(2)]
    result = figures(answers, ["Elmer Square", "Market"])
    assert result.n == 10
    assert result.day == Share(5, 10) and result.day.percent == 50
    assert result.dark == Share(0, 10) and result.dark.percent == 0
    women = next(g for g in result.by_gender if g.label == 1)
    men = next(g for g in result.by_gender if g.label == 2)
    assert women.dark.percent == 0 and women.day.percent == 100
    assert men.day.n == 3 and not men.day.shown and men.day.percent is None
    assert result.places == [("Elmer Square", 7), ("Market", 5)]
    assert result.somewhere_else == 5 and result.named_elsewhere == [("bus station", 5)]


def test_trend_in_points_after_dark() -> None:
    q3, q4 = Quarter(2026, 3), Quarter(2026, 4)
    first = RoundResult(1, q3, NOW - timedelta(days=90), NOW, 10, Share(8, 10), Share(4, 10))
    second = RoundResult(2, q4, NOW, None, 20, Share(16, 20), Share(12, 20))
    small = RoundResult(3, q4, NOW + timedelta(days=1), None, 3, Share(3, 3), Share(3, 3))
    assert [change for _, change in trend([second, first, small])] == [None, 20, None]


def test_rate_window() -> None:
    window = RateWindow()
    assert all(window.allow("a", NOW, per_person=2, overall=3) for _ in range(2))
    assert not window.allow("a", NOW, per_person=2, overall=3)
    assert window.allow("b", NOW, per_person=2, overall=3)
    assert not window.allow("c", NOW, per_person=2, overall=3)  # everyone together
    later = NOW + timedelta(minutes=1, seconds=1)
    assert window.allow("a", later, per_person=2, overall=3)
