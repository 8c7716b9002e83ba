"""Safeguarding rules, plain: what a report raises, the lead's note, the concerns' ladder,
the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.access.roles import Role
from bot.domain.alerts.escalation import escalation_plan
from bot.domain.safeguarding import (
    ConcernCounts,
    ConcernKind,
    ConcernLadder,
    concern_kind,
    concern_reference,
    may_be_lead,
    note_problem,
)


def test_what_a_report_raises() -> None:
    assert concern_kind(category_slug="safeguarding", under_18=False) is (
        ConcernKind.SAFEGUARDING_REPORT
    )
    assert concern_kind(category_slug="safeguarding", under_18=True) is ConcernKind.UNDER_18
    assert concern_kind(category_slug="rough_sleeping", under_18=True) is ConcernKind.UNDER_18
    assert concern_kind(category_slug="street_drinking", under_18=False) is None
    assert concern_kind(category_slug=None, under_18=False) is None


def test_who_may_be_lead() -> None:
    assert [r for r in Role if may_be_lead(r)] == [Role.OUTREACH, Role.COORDINATOR]


def test_the_leads_note_is_one_line() -> None:
    assert note_problem("Rang MASH, ref 4471") is None
    assert note_problem("   ") == "empty"
    assert note_problem("rang\nthem") == "lines"
    assert note_problem("x" * 201) == "long"
    assert note_problem("x" * 200) is None
    assert concern_reference(12) == "S-0012"


def test_the_concerns_ladder() -> None:
    ladder = ConcernLadder()
    first, second = ladder.steps()
    assert (first.minutes, first.leads, first.admins) == (15, True, False)
    assert (second.minutes, second.leads, second.admins) == (30, True, True)
    assert ladder.step(3) is None
    assert ladder.due(timedelta(minutes=14)) == []
    # After downtime only the latest step due goes out; the earlier one is recorded skipped.
    step, skipped = escalation_plan(ladder.due(timedelta(minutes=40)), recorded=set())
    assert step == second and skipped == [first]
    assert escalation_plan(ladder.due(timedelta(minutes=40)), recorded={1, 2}) == (None, [])
    with pytest.raises(ValueError):
        ConcernLadder(leads_again_minutes=30, admins_minutes=30)


def test_counts_only() -> None:
    counts = ConcernCounts.of(4, [timedelta(minutes=3), timedelta(minutes=9)])
    assert (counts.raised, counts.acknowledged, counts.median_minutes_to_acknowledge) == (4, 2, 6)
    assert ConcernCounts.of(1, []).median_minutes_to_acknowledge is None
