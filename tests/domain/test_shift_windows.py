"""Shift windows: parsing, and wall-clock patterns turned into exact UTC instants across DST.

UK clock changes in 2026: forward at 01:00 GMT on Sunday 29 March, back at 02:00 BST on
Sunday 25 October. US (New York): forward Sunday 8 March, back Sunday 1 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.shifts.shift_windows import (
    ALL_DAYS,
    ShiftOccurrence,
    ShiftPattern,
    Weekday,
    briefing_time,
    current_occurrence,
    digest_time,
    format_clock,
    format_weekdays,
    next_occurrence,
    occurrence_on,
    occurrences,
    parse_clock,
    parse_weekdays,
    previous_occurrence,
    same_shift_last_week,
    to_utc,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

LATE = ShiftPattern("Late", frozenset({Weekday.FRI, Weekday.SAT}), time(20, 0), time(3, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# --- weekdays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri,sat", {4, 5}),
        ("Fri, Sat", {4, 5}),
        ("FRIDAY,saturday", {4, 5}),
        ("friday saturday", {4, 5}),
        ("fri, sat,", {4, 5}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon – Fri", {0, 1, 2, 3, 4}),
        ("tues-thurs", {1, 2, 3}),
        ("fri-mon", {4, 5, 6, 0}),  # wraps round the weekend
        ("sun-sun", {6}),
        ("mon-wed, sat", {0, 1, 2, 5}),
        ("daily", set(range(7))),
        ("Every day", set(range(7))),
        ("weekends", {5, 6}),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("wed, weekends", {2, 5, 6}),
    ],
)
def test_parse_weekdays_accepts(text: str, expected: set[int]) -> None:
    parsed = parse_weekdays(text)
    assert parsed == frozenset(expected)
    assert isinstance(parsed, frozenset)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("fri,funday", '"funday"'),
        ("fry", '"fry"'),
        ("mon-", '"mon-"'),
        ("-fri", '"-fri"'),
        ("mon-wed-fri", '"mon-wed-fri"'),
        ("mon-xyz", '"xyz"'),
        ("5", '"5"'),
        ("fri;sat", '"fri;sat"'),
    ],
)
def test_parse_weekdays_names_the_bad_part(text: str, named: str) -> None:
    with pytest.raises(ValueError, match=named) as caught:
        parse_weekdays(text)
    assert "mon-fri" in str(caught.value)  # and says what would work


@pytest.mark.parametrize("text", ["", "   ", ",", " , ,"])
def test_parse_weekdays_rejects_no_days(text: str) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        parse_weekdays(text)


@pytest.mark.parametrize(
    ("days", "label"),
    [
        ({4, 5}, "Fri, Sat"),
        ({0, 1, 2, 3, 4}, "Mon–Fri"),
        (set(range(7)), "Every day"),
        ({5, 6}, "Sat, Sun"),
        ({0, 2, 3, 4}, "Mon, Wed–Fri"),
        ({0, 4, 5, 6}, "Mon, Fri–Sun"),
        ({3}, "Thu"),
    ],
)
def test_format_weekdays(days: set[int], label: str) -> None:
    assert format_weekdays(frozenset(days)) == label


def test_format_weekdays_round_trips_through_parse() -> None:
    for days in [{4, 5}, {0, 1, 2, 3, 4}, {0, 2, 3, 4}, ALL_DAYS, {6}]:
        label = format_weekdays(frozenset(days)).replace("Every day", "daily")
        assert parse_weekdays(label) == frozenset(days)


def test_format_weekdays_rejects_empty_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        format_weekdays(frozenset())
    with pytest.raises(ValueError, match="0 \\(Mon\\) to 6 \\(Sun\\)"):
        format_weekdays(frozenset({7}))


def test_weekday_enum_matches_date_weekday() -> None:
    assert date(2026, 10, 23).weekday() == Weekday.FRI
    assert Weekday.SAT.short_name == "Sat"


# --- clock times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:00", time(20, 0)),
        ("8:30", time(8, 30)),
        ("08:30", time(8, 30)),
        (" 0:00 ", time(0, 0)),
        ("23:59", time(23, 59)),
        ("2000", time(20, 0)),
        ("20.00", time(20, 0)),
    ],
)
def test_parse_clock_accepts(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    "text", ["", "24:00", "20:60", "8", "8:3", "20:00:00", "8pm", "abc", "-1:00", "²0:00", "12345"]
)
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock(text)


def test_format_clock() -> None:
    assert format_clock(time(8, 30)) == "08:30"


# --- patterns -------------------------------------------------------------------------------


def test_pattern_from_text_and_describe() -> None:
    pattern = ShiftPattern.from_text("  Late ", "Fri,Sat", "20:00", "3:00")
    assert pattern == LATE  # name trimmed, weekdays normalised
    assert pattern.crosses_midnight
    assert pattern.describe() == "Late: Fri, Sat 20:00–03:00"


def test_pattern_coerces_weekdays_to_frozenset_of_ints() -> None:
    pattern = ShiftPattern("Day", [0, 1, 1], time(9), time(17))  # type: ignore[arg-type]
    assert pattern.weekdays == frozenset({0, 1})
    assert not pattern.crosses_midnight
    assert hash(pattern) == hash(ShiftPattern("Day", frozenset({0, 1}), time(9), time(17)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"end": time(20, 0)}, "can't end at the time it starts"),
        ({"name": "  "}, "needs a name"),
        ({"weekdays": frozenset()}, "at least one day"),
        ({"weekdays": frozenset({7})}, "0 \\(Mon\\) to 6 \\(Sun\\)"),
        ({"start": time(20, 0, tzinfo=UTC)}, "takes no timezone"),
    ],
)
def test_pattern_rejects_invalid(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "name": "Late",
        "weekdays": frozenset({4}),
        "start": time(20, 0),
        "end": time(3, 0),
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        ShiftPattern(**fields)  # type: ignore[arg-type]


# --- occurrences and DST --------------------------------------------------------------------


def test_normal_night_crosses_midnight_and_lasts_seven_hours() -> None:
    occurrence = occurrence_on(LATE, LONDON, date(2026, 10, 16))
    assert occurrence is not None
    assert occurrence.starts_at == utc(2026, 10, 16, 19, 0)  # 20:00 BST
    assert occurrence.ends_at == utc(2026, 10, 17, 2, 0)  # 03:00 BST the next day
    assert occurrence.duration == timedelta(hours=7)
    assert occurrence.key == "Late@2026-10-16"
    assert occurrence.starts_at.tzinfo is UTC


def test_clocks_going_back_makes_the_night_eight_hours() -> None:
    occurrence = occurrence_on(LATE, LONDON, date(2026, 10, 24))
    assert occurrence is not None
    assert occurrence.starts_at == utc(2026, 10, 24, 19, 0)  # 20:00 BST
    assert occurrence.ends_at == utc(2026, 10, 25, 3, 0)  # 03:00 GMT
    assert occurrence.duration == timedelta(hours=8)


def test_clocks_going_forward_makes_the_night_six_hours() -> None:
    occurrence = occurrence_on(LATE, LONDON, date(2026, 3, 28))
    assert occurrence is not None
    assert occurrence.starts_at == utc(2026, 3, 28, 20, 0)  # 20:00 GMT
    assert occurrence.ends_at == utc(2026, 3, 29, 2, 0)  # 03:00 BST
    assert occurrence.duration == timedelta(hours=6)


def test_every_night_of_a_year_is_seven_hours_except_the_two_dst_nights() -> None:
    nightly = ShiftPattern("Nightly", ALL_DAYS, time(20, 0), time(3, 0))
    year = occurrences(nightly, LONDON, london(2026, 1, 1), london(2027, 1, 1))
    assert len(year) == 365
    unusual = {o.local_date: o.duration for o in year if o.duration != timedelta(hours=7)}
    assert unusual == {
        date(2026, 3, 28): timedelta(hours=6),
        date(2026, 10, 24): timedelta(hours=8),
    }


def test_start_in_spring_forward_gap_moves_to_first_valid_instant() -> None:
    # 01:30 does not exist in London on 29 March 2026: 01:00 GMT is followed by 02:00 BST.
    early = ShiftPattern("Early", frozenset({Weekday.SUN}), time(1, 30), time(6, 0))
    occurrence = occurrence_on(early, LONDON, date(2026, 3, 29))
    assert occurrence is not None
    assert occurrence.starts_at == utc(2026, 3, 29, 1, 0)  # 02:00 BST, the first valid instant
    assert occurrence.starts_at.astimezone(LONDON).time() == time(2, 0)
    assert occurrence.ends_at == utc(2026, 3, 29, 5, 0)  # 06:00 BST
    assert occurrence.duration == timedelta(hours=4)
    # The Sunday before, an ordinary 01:30 GMT.
    week_before = occurrence_on(early, LONDON, date(2026, 3, 22))
    assert week_before is not None
    assert week_before.starts_at == utc(2026, 3, 22, 1, 30)


def test_shift_wholly_inside_the_gap_is_kept_with_zero_length() -> None:
    inside = ShiftPattern("Odd", frozenset({Weekday.SUN}), time(1, 15), time(1, 45))
    occurrence = occurrence_on(inside, LONDON, date(2026, 3, 29))
    assert occurrence is not None
    assert occurrence.duration == timedelta(0)
    assert current_occurrence(inside, LONDON, occurrence.starts_at) is None


def test_end_in_autumn_fold_takes_the_first_occurrence() -> None:
    # 01:30 happens twice in London on 25 October 2026 (BST, then GMT); we take the BST one.
    short = ShiftPattern("Short", frozenset({Weekday.SAT}), time(20, 0), time(1, 30))
    occurrence = occurrence_on(short, LONDON, date(2026, 10, 24))
    assert occurrence is not None
    assert occurrence.ends_at == utc(2026, 10, 25, 0, 30)  # 01:30 BST, fold=0
    assert occurrence.duration == timedelta(hours=5, minutes=30)  # as on any other Saturday


def test_start_in_autumn_fold_takes_the_first_occurrence() -> None:
    early = ShiftPattern("Early", frozenset({Weekday.SUN}), time(1, 30), time(6, 0))
    occurrence = occurrence_on(early, LONDON, date(2026, 10, 25))
    assert occurrence is not None
    assert occurrence.starts_at == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert occurrence.ends_at == utc(2026, 10, 25, 6, 0)  # 06:00 GMT
    assert occurrence.duration == timedelta(hours=5, minutes=30)


def test_new_york_dst_changes() -> None:
    overnight = ShiftPattern("Overnight", frozenset({Weekday.SAT}), time(22, 0), time(6, 0))
    spring = occurrence_on(overnight, NEW_YORK, date(2026, 3, 7))
    autumn = occurrence_on(overnight, NEW_YORK, date(2026, 10, 31))
    normal = occurrence_on(overnight, NEW_YORK, date(2026, 6, 6))
    assert spring is not None and autumn is not None and normal is not None
    assert (spring.starts_at, spring.ends_at) == (utc(2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0))
    assert spring.duration == timedelta(hours=7)
    assert (autumn.starts_at, autumn.ends_at) == (utc(2026, 11, 1, 2, 0), utc(2026, 11, 1, 11, 0))
    assert autumn.duration == timedelta(hours=9)
    assert normal.duration == timedelta(hours=8)
    # New York's gap is 02:00–03:00 local; 02:30 becomes 03:00 EDT.
    assert to_utc(datetime.combine(date(2026, 3, 8), time(2, 30)), NEW_YORK) == utc(
        2026, 3, 8, 7, 0
    )


def test_to_utc_rejects_aware_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_utc(london(2026, 1, 1, 20, 0), LONDON)


def test_occurrences_over_four_weeks_spanning_dst() -> None:
    found = occurrences(LATE, LONDON, london(2026, 10, 5), london(2026, 11, 2))
    assert len(found) == 8
    assert [o.local_date.day for o in found] == [9, 10, 16, 17, 23, 24, 30, 31]
    assert found == sorted(found, key=lambda o: o.starts_at)
    # Every start is 20:00 local, whichever side of the change it falls.
    assert {o.starts_at.astimezone(LONDON).time() for o in found} == {time(20, 0)}
    assert found[-1].starts_at == utc(2026, 10, 31, 20, 0)  # GMT by then


def test_occurrences_window_is_half_open() -> None:
    friday_start = london(2026, 10, 16, 20, 0)
    assert [o.local_date for o in occurrences(LATE, LONDON, friday_start, friday_start)] == []
    starting_now = occurrences(LATE, LONDON, friday_start, friday_start + timedelta(minutes=1))
    assert [o.local_date for o in starting_now] == [date(2026, 10, 16)]
    up_to_start = occurrences(LATE, LONDON, friday_start - timedelta(days=1), friday_start)
    assert up_to_start == []


def test_occurrences_accepts_any_aware_zone_for_the_window() -> None:
    in_new_york = datetime(2026, 10, 5, tzinfo=NEW_YORK)
    assert len(occurrences(LATE, LONDON, in_new_york, in_new_york + timedelta(weeks=2))) == 4


def test_occurrences_empty_when_until_not_after_since() -> None:
    assert occurrences(LATE, LONDON, london(2026, 10, 20), london(2026, 10, 1)) == []


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 10, 16, 20, 0)  # noqa: DTZ001 - the point of the test
    aware = london(2026, 10, 16, 20, 0)
    with pytest.raises(ValueError, match="since must be a timezone-aware"):
        occurrences(LATE, LONDON, naive, aware)
    with pytest.raises(ValueError, match="until must be a timezone-aware"):
        occurrences(LATE, LONDON, aware, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence(LATE, LONDON, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        previous_occurrence(LATE, LONDON, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        current_occurrence(LATE, LONDON, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        ShiftOccurrence("Late", date(2026, 10, 16), naive, aware)


def test_occurrence_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="end before it starts"):
        ShiftOccurrence("Late", date(2026, 10, 16), utc(2026, 10, 16, 20), utc(2026, 10, 16, 19))


def test_occurrence_normalises_to_utc() -> None:
    occurrence = ShiftOccurrence(
        "Late", date(2026, 10, 16), london(2026, 10, 16, 20), london(2026, 10, 17, 3)
    )
    assert occurrence.starts_at == utc(2026, 10, 16, 19)
    assert occurrence.starts_at.tzinfo is UTC


# --- current, next, previous, last week -----------------------------------------------------


def test_current_occurrence_after_midnight_is_fridays() -> None:
    current = current_occurrence(LATE, LONDON, london(2026, 10, 17, 1, 0))  # Saturday 01:00
    assert current is not None
    assert current.local_date == date(2026, 10, 16)  # Friday's shift
    assert current.key == "Late@2026-10-16"


def test_current_occurrence_boundaries() -> None:
    assert current_occurrence(LATE, LONDON, london(2026, 10, 16, 19, 59)) is None
    at_start = current_occurrence(LATE, LONDON, london(2026, 10, 16, 20, 0))
    assert at_start is not None
    assert at_start.local_date == date(2026, 10, 16)  # start included
    assert current_occurrence(LATE, LONDON, london(2026, 10, 17, 3, 0)) is None  # end excluded
    assert current_occurrence(LATE, LONDON, london(2026, 10, 17, 12, 0)) is None
    assert current_occurrence(LATE, LONDON, london(2026, 10, 14, 22, 0)) is None  # Wednesday


def test_current_occurrence_in_the_repeated_hour() -> None:
    # 02:30 UTC on 25 October is 02:30 GMT, after the clocks went back: still Saturday's shift.
    current = current_occurrence(LATE, LONDON, utc(2026, 10, 25, 2, 30))
    assert current is not None
    assert current.local_date == date(2026, 10, 24)


def test_next_occurrence() -> None:
    wednesday = london(2026, 10, 14, 12, 0)
    assert next_occurrence(LATE, LONDON, wednesday).local_date == date(2026, 10, 16)
    # Strictly after: at Friday's start the next one is Saturday's.
    friday_start = london(2026, 10, 16, 20, 0)
    assert next_occurrence(LATE, LONDON, friday_start).local_date == date(2026, 10, 17)
    # After Saturday's start, a whole week's wait, across the clock change.
    following = next_occurrence(LATE, LONDON, london(2026, 10, 24, 20, 1))
    assert following.local_date == date(2026, 10, 30)
    assert following.starts_at == utc(2026, 10, 30, 20, 0)


def test_next_occurrence_for_a_one_day_pattern_is_a_week_away() -> None:
    sunday = ShiftPattern("Sunday", frozenset({Weekday.SUN}), time(10, 0), time(14, 0))
    after = london(2026, 10, 25, 10, 0)
    assert next_occurrence(sunday, LONDON, after).local_date == date(2026, 11, 1)


def test_previous_occurrence() -> None:
    # Strictly before Friday's start, so last Saturday's.
    assert previous_occurrence(LATE, LONDON, london(2026, 10, 16, 20, 0)).local_date == date(
        2026, 10, 10
    )
    # One that started before and is still running counts.
    running = previous_occurrence(LATE, LONDON, london(2026, 10, 16, 20, 1))
    assert running.local_date == date(2026, 10, 16)


def test_same_shift_last_week_follows_local_time_across_dst() -> None:
    after_change = occurrence_on(LATE, LONDON, date(2026, 10, 31))
    assert after_change is not None
    last_week = same_shift_last_week(after_change, LATE, LONDON)
    assert last_week is not None
    assert last_week.local_date == date(2026, 10, 24)
    assert last_week.starts_at == utc(2026, 10, 24, 19, 0)
    # Not simply 7×24h earlier: the clocks changed in between.
    assert after_change.starts_at - last_week.starts_at == timedelta(days=7, hours=1)


def test_same_shift_last_week_when_pattern_changed() -> None:
    saturday = occurrence_on(LATE, LONDON, date(2026, 10, 31))
    assert saturday is not None
    fridays_only = ShiftPattern("Late", frozenset({Weekday.FRI}), time(20, 0), time(3, 0))
    assert same_shift_last_week(saturday, fridays_only, LONDON) is None
    other = ShiftPattern("Early", frozenset({Weekday.SAT}), time(8, 0), time(16, 0))
    with pytest.raises(ValueError, match="belongs to 'Late'"):
        same_shift_last_week(saturday, other, LONDON)


# --- briefing and digest times --------------------------------------------------------------


def test_briefing_and_digest_times() -> None:
    occurrence = occurrence_on(LATE, LONDON, date(2026, 10, 24))
    assert occurrence is not None
    assert briefing_time(occurrence, timedelta(minutes=15)) == utc(2026, 10, 24, 18, 45)
    assert digest_time(occurrence, timedelta(minutes=5)) == utc(2026, 10, 25, 3, 5)
    assert briefing_time(occurrence, timedelta(0)) == occurrence.starts_at


def test_briefing_and_digest_reject_negative_offsets() -> None:
    occurrence = occurrence_on(LATE, LONDON, date(2026, 10, 24))
    assert occurrence is not None
    with pytest.raises(ValueError, match="can't be negative"):
        briefing_time(occurrence, timedelta(minutes=-1))
    with pytest.raises(ValueError, match="can't be negative"):
        digest_time(occurrence, timedelta(minutes=-1))
