"""Rough sleeping statuses, the needs answers, moves and a period's figures: pure domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.outreach import Need, ReferralOutcome
from bot.domain.rough_sleeping import (
    ContactFacts,
    Institution,
    LocalConnection,
    Month,
    MonthError,
    MonthProblem,
    MoveOutcome,
    NeedsAnswer,
    ReferralFacts,
    Seen,
    StreetStatus,
    living_on_streets,
    months_before,
    needs_answer,
    outreach_figures,
    parse_month,
    parse_move_date,
    still_recent,
    store_needs,
    street_status,
    tick_need,
)

LONDON = ZoneInfo("Europe/London")
# December 2026 in London (GMT: local midnight is UTC midnight).
START = datetime(2026, 12, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)


def night(day: int, hour: int = 23) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


def bedded(*ats: datetime) -> list[Seen]:
    return [Seen(at, True) for at in ats]


EARLIER = Seen(datetime(2026, 6, 1, 23, tzinfo=UTC), True)  # known before the period


def status(contacts: list[Seen]) -> StreetStatus | None:
    return street_status(contacts, START, END, LONDON)


def test_living_on_the_streets_needs_three_days_at_least_21_days_apart() -> None:
    # Exactly 21 days from the first to the last: living on the streets.
    assert status([EARLIER, *bedded(night(1), night(10), night(22))]) is (
        StreetStatus.LIVING_ON_STREETS
    )
    # 20 days apart: intermittent.
    assert status([EARLIER, *bedded(night(1), night(10), night(21))]) is StreetStatus.INTERMITTENT
    # Three contacts on two days (two on the same night), 25 days apart: not three days.
    assert status([EARLIER, *bedded(night(1), night(1, 2), night(26))]) is (
        StreetStatus.INTERMITTENT
    )
    assert not living_on_streets([date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 26)])
    assert living_on_streets([date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 22)])


def test_days_are_local_days() -> None:
    """In summer (BST), 23:30 UTC is already the next local day."""
    summer_start = datetime(2026, 6, 30, 23, tzinfo=UTC)  # 1 July, 00:00 BST
    summer_end = datetime(2026, 7, 31, 23, tzinfo=UTC)
    known = Seen(datetime(2026, 3, 1, tzinfo=UTC), True)
    # 1 July 22:30 UTC (23:30 BST) and 1 July 23:30 UTC (2 July, 00:30 BST): two local days.
    days = [
        datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 7, 22, 22, 30, tzinfo=UTC),
    ]
    assert street_status([known, *bedded(*days)], summer_start, summer_end, LONDON) is (
        StreetStatus.LIVING_ON_STREETS
    )


def test_new_means_no_bedded_down_contact_in_the_60_months_before() -> None:
    lookback = months_before(START, 60, LONDON)
    assert lookback == datetime(2021, 12, 1, tzinfo=LONDON)
    in_period = bedded(night(3))
    assert status(in_period) is StreetStatus.NEW  # never seen before
    assert status([Seen(lookback, True), *in_period]) is StreetStatus.INTERMITTENT
    just_outside = Seen(lookback - timedelta(seconds=1), True)
    assert status([just_outside, *in_period]) is StreetStatus.NEW
    # Met before only at risk (not bedded down): still new as a rough sleeper.
    assert status([Seen(night(1) - timedelta(days=30), False), *in_period]) is StreetStatus.NEW
    # Contacts recorded before the question was asked count as not bedded down.
    assert status([Seen(night(1) - timedelta(days=30), None), *in_period]) is StreetStatus.NEW


def test_new_comes_first_and_at_risk_only_has_no_status() -> None:
    # New and bedded down on 3 days over 3 weeks: counted once, as new.
    assert status(bedded(night(1), night(10), night(25))) is StreetStatus.NEW
    # Only met at risk in the period: no status, whatever came before.
    assert status([EARLIER, Seen(night(5), False)]) is None
    # Bedded down only before the period: no status for it.
    assert status([EARLIER]) is None
    # The period's end is not in it.
    assert status([EARLIER, Seen(END, True)]) is None


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(datetime(2026, 5, 31, 12, tzinfo=UTC), 3, UTC) == datetime(
        2026, 2, 28, 12, tzinfo=UTC
    )
    assert months_before(datetime(2028, 3, 31, tzinfo=UTC), 1, UTC) == datetime(
        2028, 2, 29, tzinfo=UTC
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 60, UTC) == datetime(
        2021, 1, 15, tzinfo=UTC
    )


def test_needs_answers_exclude_every_need() -> None:
    chosen = tick_need([], Need.FOOD.value)
    chosen = tick_need(chosen, Need.ACCOMMODATION.value)
    assert chosen == ["accom", "food"]
    assert tick_need(chosen, NeedsAnswer.DECLINED.value) == ["declined"]
    assert tick_need(["declined"], NeedsAnswer.NONE_KNOWN.value) == ["none"]
    assert tick_need(["none"], NeedsAnswer.NONE_KNOWN.value) == []  # untick
    assert tick_need(["none"], Need.DRUGS.value) == ["drugs"]
    with pytest.raises(ValueError):
        tick_need([], "nonsense")
    assert store_needs(["food", "accom"]) == "accom|food"
    assert store_needs(["declined"]) == "declined"
    assert needs_answer("declined") is NeedsAnswer.DECLINED
    assert needs_answer("accom|food") is None and needs_answer("") is None


def test_people_seen_recently_after_a_move() -> None:
    moved = date(2026, 12, 10)
    assert still_recent(night(9), None, LONDON)
    assert not still_recent(night(9), moved, LONDON)
    assert not still_recent(night(10, 8), moved, LONDON)  # seen the same day: moved
    assert still_recent(night(11), moved, LONDON)  # seen again after


def test_a_periods_figures() -> None:
    def contact(
        person: int | None,
        at: datetime,
        bedded_down: bool | None,
        needs: str = "",
        left: str = "",
        connection: LocalConnection | None = None,
    ) -> ContactFacts:
        return ContactFacts(person, at, bedded_down, needs, left, connection)

    contacts = [
        contact(2, datetime(2026, 8, 1, tzinfo=UTC), True),  # 2 seen before
        contact(3, datetime(2026, 8, 1, tzinfo=UTC), True),  # 3 seen before
        contact(1, night(2), True, "accom|food", "prison", LocalConnection.NO),  # 1 new
        contact(1, night(4), True, "food", "prison|hospital", LocalConnection.YES),
        contact(2, night(2), True, "declined"),  # 2 living on the streets
        contact(2, night(12), True, "mental"),
        contact(2, night(23), True, "", "", LocalConnection.UNKNOWN),
        contact(3, night(5), True, "declined"),  # 3 intermittent, declined only
        contact(4, night(6), False, "none", "care"),  # 4 at risk only, none known
        contact(None, night(7), True),  # anonymous, bedded down
        contact(None, night(8), False),
    ]
    referrals = [
        ReferralFacts(night(1, 20), ReferralOutcome.CONTACTED, night(2)),  # 1 day 3 h
        ReferralFacts(night(3, 20), ReferralOutcome.CONTACTED, night(5, 20)),  # 2 days
        ReferralFacts(night(4, 20), ReferralOutcome.NOT_FOUND, None),
        ReferralFacts(night(9, 20), None, None),
    ]
    f = outreach_figures(
        start=START,
        end=END,
        tz=LONDON,
        contacts=contacts,
        moves=[MoveOutcome.HOSTEL, MoveOutcome.HOSTEL, MoveOutcome.CUSTODY],
        referrals=referrals,
    )
    assert (f.rough_sleepers, f.new, f.living_on_streets, f.intermittent) == (3, 1, 1, 1)
    assert (f.at_risk_only, f.people_met, f.anonymous_bedded_down) == (1, 4, 1)
    assert f.needs == {Need.ACCOMMODATION: 1, Need.FOOD: 1, Need.MENTAL_HEALTH: 1}
    assert f.needs_answers == {NeedsAnswer.DECLINED: 1, NeedsAnswer.NONE_KNOWN: 1}
    assert f.left_institution == {
        Institution.PRISON: 1,
        Institution.HOSPITAL: 1,
        Institution.CARE: 1,
    }
    assert f.local_connection == {LocalConnection.YES: 1, LocalConnection.UNKNOWN: 1}
    assert f.moves == {MoveOutcome.HOSTEL: 2, MoveOutcome.CUSTODY: 1}
    assert f.referrals_made == 4
    assert f.referral_outcomes == {
        ReferralOutcome.CONTACTED: 2,
        ReferralOutcome.NOT_FOUND: 1,
        None: 1,
    }
    assert f.median_days_to_contact == pytest.approx((27 / 24 + 2) / 2)


def test_months_and_move_dates_as_typed() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert parse_month("", now=now, tz=LONDON) == Month(2026, 12)
    assert parse_month(" 2026-11 ", now=now, tz=LONDON).bounds(LONDON) == (
        datetime(2026, 11, 1, tzinfo=LONDON),
        datetime(2026, 12, 1, tzinfo=LONDON),
    )
    assert Month(2026, 12).next == Month(2027, 1) and Month(2026, 7).title == "July 2026"
    for bad in ("2026-13", "November", "26-11", "2026-11-01"):
        with pytest.raises(MonthError) as caught:
            parse_month(bad, now=now, tz=LONDON)
        assert caught.value.problem is MonthProblem.BAD
    with pytest.raises(MonthError) as caught:
        parse_month("2027-01", now=now, tz=LONDON)
    assert caught.value.problem is MonthProblem.NOT_STARTED

    today = date(2026, 12, 7)
    assert parse_move_date("2026-11-20", today) == date(2026, 11, 20)
    assert parse_move_date("20/11/2026", today) == date(2026, 11, 20)
    assert parse_move_date("20/11/26", today) == date(2026, 11, 20)
    assert parse_move_date("20.11", today) == date(2026, 11, 20)
    assert parse_move_date("24/12", today) == date(2025, 12, 24)  # not in the future
    for bad in ("2026-12-08", "30/02", "yesterday", "2025-12-05", ""):
        assert parse_move_date(bad, today) is None, bad
