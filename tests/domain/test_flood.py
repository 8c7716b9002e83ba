"""The per-member rate of updates: a polite notice once, then silence until the minute ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.access.flood import PRUNE_AT, FloodGate, Verdict

T0 = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def test_the_limit_passes_then_one_notice_then_silence_until_the_minute_ends() -> None:
    gate = FloodGate(per_minute=3)
    verdicts = [gate.check(7, T0 + timedelta(seconds=i)) for i in range(6)]
    assert verdicts == [Verdict.PASS] * 3 + [Verdict.NOTICE, Verdict.DROP, Verdict.DROP]
    assert gate.resumes_at(7) == T0 + timedelta(minutes=1)
    assert gate.check(7, T0 + timedelta(seconds=59)) is Verdict.DROP
    assert gate.check(7, T0 + timedelta(seconds=60)) is Verdict.PASS  # a new minute
    assert gate.resumes_at(7) is None


def test_members_are_counted_apart_and_urgent_updates_always_pass() -> None:
    gate = FloodGate(per_minute=2)
    for _ in range(2):
        assert gate.check(1, T0) is Verdict.PASS
    assert gate.check(1, T0) is Verdict.NOTICE
    assert gate.check(1, T0, urgent=True) is Verdict.PASS  # an alert button, the report flow
    assert gate.check(2, T0) is Verdict.PASS


def test_ended_windows_are_pruned_so_memory_stays_bounded() -> None:
    gate = FloodGate(per_minute=5)
    for member in range(PRUNE_AT):
        gate.check(member, T0)
    assert len(gate) == PRUNE_AT
    gate.check(10**6, T0 + timedelta(minutes=2))
    assert len(gate) == 1


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        FloodGate(per_minute=0)
