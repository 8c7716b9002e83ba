"""Quarters, export date ranges, /stats periods and the shift /brief and /digest mean."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.periods import (
    PeriodError,
    PeriodProblem,
    Quarter,
    briefing_occurrence,
    digest_shift,
    parse_date_range,
    parse_quarter,
    parse_reportable_quarter,
    parse_stats_period,
)
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.texts.partnership import coordinator as coordinator_texts

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("text", ["2026Q3", "2026-Q3", "2026 q3", " 2026q3 ", "Q3 2026", "q3-2026"])
def test_quarters_are_read_in_the_usual_spellings(text: str) -> None:
    assert parse_quarter(text) == Quarter(2026, 3)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", PeriodProblem.MISSING),
        ("2026", PeriodProblem.BAD_QUARTER),
        ("third quarter", PeriodProblem.BAD_QUARTER),
        ("2026Q5", PeriodProblem.QUARTER_NUMBER),
        ("2026Q0", PeriodProblem.BAD_QUARTER),
        ("1850Q1", PeriodProblem.YEAR_RANGE),
        ("26Q3", PeriodProblem.BAD_QUARTER),
    ],
)
def test_bad_quarters_are_refused_with_the_reason(text: str, problem: PeriodProblem) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_quarter(text)
    assert raised.value.problem is problem


def test_refusals_read_as_friendly_sentences() -> None:
    assert coordinator_texts.period_problem(PeriodProblem.QUARTER_NUMBER, "2026Q5") == (
        "“2026Q5”: quarters are Q1 to Q4, like 2026Q3."
    )
    assert "YYYY-MM-DD" in coordinator_texts.period_problem(PeriodProblem.BAD_DATE, "1/7/26")
    long = coordinator_texts.period_problem(PeriodProblem.BAD_QUARTER, "x" * 500)
    assert len(long) < 120


def test_quarter_bounds_are_local_midnights_in_summer_and_winter() -> None:
    q3 = Quarter(2026, 3)
    assert q3.bounds(LONDON) == (
        datetime(2026, 6, 30, 23, 0, tzinfo=UTC),  # 1 July 00:00 BST
        datetime(2026, 9, 30, 23, 0, tzinfo=UTC),  # 1 October 00:00 BST
    )
    q4 = Quarter(2026, 4)
    assert q4.bounds(LONDON) == (
        datetime(2026, 9, 30, 23, 0, tzinfo=UTC),
        datetime(2027, 1, 1, 0, 0, tzinfo=UTC),  # GMT after the clocks went back
    )
    months = q4.month_bounds(LONDON)
    assert [m[0] for m in months] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert months[1][1] == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert q4.title == "Q4 2026 (October–December)"
    assert q4.next == Quarter(2027, 1) and Quarter(2027, 1).previous == q4


def test_a_quarter_not_yet_begun_is_refused_and_the_current_one_is_allowed() -> None:
    now = datetime(2026, 8, 1, 12, tzinfo=UTC)
    assert parse_reportable_quarter("2026Q3", now=now, tz=LONDON) == Quarter(2026, 3)
    with pytest.raises(PeriodError) as raised:
        parse_reportable_quarter("2026Q4", now=now, tz=LONDON)
    assert raised.value.problem is PeriodProblem.NOT_STARTED


def test_date_ranges_are_whole_local_days() -> None:
    period = parse_date_range("2026-07-01", "2026-7-3", LONDON)
    assert (period.first, period.last, period.days) == (date(2026, 7, 1), date(2026, 7, 3), 3)
    assert period.start == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert period.end == datetime(2026, 7, 3, 23, tzinfo=UTC)
    days = period.each_day(LONDON)
    assert [d for d, _, _ in days] == [date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3)]
    assert days[-1][2] == period.end


def test_the_day_the_clocks_go_back_is_25_hours_long() -> None:
    ((_day, start, end),) = parse_date_range("2026-10-25", "2026-10-25", LONDON).each_day(LONDON)
    assert end - start == timedelta(hours=25)


@pytest.mark.parametrize(
    ("first", "last", "problem"),
    [
        ("2026-07-01", "tomorrow", PeriodProblem.BAD_DATE),
        ("01/07/2026", "2026-07-31", PeriodProblem.BAD_DATE),
        ("2026-02-30", "2026-03-01", PeriodProblem.BAD_DATE),
        ("2026-09-30", "2026-07-01", PeriodProblem.FROM_AFTER_TO),
        ("2025-07-01", "2026-07-02", PeriodProblem.TOO_LONG),
    ],
)
def test_bad_date_ranges_are_refused(first: str, last: str, problem: PeriodProblem) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_date_range(first, last, LONDON)
    assert raised.value.problem is problem


def test_a_whole_leap_year_may_be_exported() -> None:
    assert parse_date_range("2028-01-01", "2028-12-31", LONDON).days == 366


def test_stats_periods() -> None:
    now = datetime(2026, 8, 15, 12, tzinfo=UTC)
    week = parse_stats_period("7d", now=now, tz=LONDON)
    assert (week.start, week.end, week.label) == (now - timedelta(days=7), now, "the last 7 days")
    assert parse_stats_period("30 days", now=now, tz=LONDON).start == now - timedelta(days=30)
    quarter = parse_stats_period("quarter", now=now, tz=LONDON)
    assert quarter.start == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert (quarter.end, quarter.label) == (now, "Q3 2026 so far")
    past = parse_stats_period("2026Q2", now=now, tz=LONDON)
    assert past.label == "Q2 2026" and past.end == datetime(2026, 6, 30, 23, tzinfo=UTC)
    for bad in ("fortnight", "0d", "400d", "2027Q1", ""):
        with pytest.raises(PeriodError):
            parse_stats_period(bad, now=now, tz=LONDON)


LATE = ShiftPattern("Late", frozenset({4, 5}), time(20, 0), time(3, 0))  # Fri, Sat
DAY = ShiftPattern("Day", frozenset(range(7)), time(9, 0), time(17, 0))


def test_briefing_is_for_the_shift_in_progress_else_the_next() -> None:
    friday_night = datetime(2026, 11, 27, 22, tzinfo=UTC)
    running = briefing_occurrence([LATE, DAY], LONDON, friday_night)
    assert running is not None and running.pattern_name == "Late"
    saturday_morning = datetime(2026, 11, 28, 7, tzinfo=UTC)
    upcoming = briefing_occurrence([LATE, DAY], LONDON, saturday_morning)
    assert upcoming is not None and upcoming.pattern_name == "Day"
    assert upcoming.starts_at == datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert briefing_occurrence([], LONDON, friday_night) is None


def test_digest_is_of_the_shift_so_far_else_the_last_one_ended() -> None:
    friday_night = datetime(2026, 11, 27, 22, tzinfo=UTC)
    running = digest_shift([LATE, DAY], LONDON, friday_night)
    assert running is not None and running.running
    assert running.occurrence.pattern_name == "Late"
    assert (running.start, running.end) == (datetime(2026, 11, 27, 20, tzinfo=UTC), friday_night)
    saturday_morning = datetime(2026, 11, 28, 7, tzinfo=UTC)
    ended = digest_shift([LATE, DAY], LONDON, saturday_morning)
    assert ended is not None and not ended.running
    assert ended.occurrence.pattern_name == "Late"
    assert ended.end == datetime(2026, 11, 28, 3, tzinfo=UTC)
    assert digest_shift([], LONDON, friday_night) is None
