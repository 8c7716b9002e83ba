"""Briefings, digests and weekly summaries: when they are due, and each sent exactly once.

Planning is pure and driven by a ManualClock; run_due is called directly (never waiting for
the JobQueue) on both databases; delivery goes through the real outbox sender to the local
Bot API; two instances race on one database.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import SettingsError, WeeklyAt, load_settings, parse_weekly_at
from bot.context import BotContext, Services
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.shifts.schedule_plan import (
    ON_TIME,
    Action,
    RunKind,
    decide,
    lookback_start,
    next_due,
    planned_runs,
    week_covered,
)
from bot.domain.shifts.shift_windows import ShiftOccurrence, ShiftPattern
from bot.jobs import scheduler
from bot.jobs.scheduler import Composers, run_due
from bot.summaries.compose import Composed
from bot.texts.partnership import summaries as summaries_texts
from bot.texts.split import CAPTION_LIMIT, MESSAGE_LIMIT, units
from storage.db import create_engine
from storage.state.ledger import OutgoingMessage
from storage.store import Store
from tests.support.harness import COORDINATORS_CHAT, BotHarness, make_settings

LONDON = ZoneInfo("Europe/London")
LEAD = timedelta(minutes=15)
NO_DELAY = timedelta(0)
GRACE = timedelta(minutes=120)
LATE_SHIFT = ShiftPattern.from_text("Friday late", "fri,sat", "20:00", "03:00")
DAY_SHIFT = ShiftPattern.from_text("Saturday day", "sat", "10:00", "16:00")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- planning: pure, with a ManualClock ------------------------------------------------------
@dataclass(frozen=True)
class Fired:
    at: datetime
    kind: RunKind
    key: str
    action: Action


def simulate(
    patterns: list[ShiftPattern],
    clock: ManualClock,
    until: datetime,
    *,
    step: timedelta = timedelta(minutes=5),
    weekly: WeeklyAt | None = None,
    down: tuple[datetime, datetime] | None = None,
) -> list[Fired]:
    """A scheduler that looks every `step` (except while `down`), remembering what it did."""
    done: set[tuple[str, str]] = set()
    newest: datetime | None = None
    fired: list[Fired] = []
    while clock.now() <= until:
        now = clock.now()
        if down is None or not down[0] <= now < down[1]:
            since = lookback_start(now, GRACE, newest)
            for decision in decide(
                patterns,
                LONDON,
                now=now,
                since=since,
                lead=LEAD,
                delay=NO_DELAY,
                grace=GRACE,
                weekly=weekly,
                done=done,
            ):
                run = decision.run
                done.add((run.kind.value, run.key))
                newest = run.due_at if newest is None else max(newest, run.due_at)
                fired.append(Fired(now, run.kind, run.key, decision.action))
        clock.advance(step)
    return fired


def test_a_shift_crossing_midnight_is_briefed_before_it_and_digested_after_midnight() -> None:
    clock = ManualClock(utc(2026, 11, 27, 12, 0))  # Friday, GMT

    fired = simulate([LATE_SHIFT], clock, utc(2026, 11, 29, 12, 0))

    assert fired == [
        Fired(utc(2026, 11, 27, 19, 45), RunKind.BRIEFING, "Friday late@2026-11-27T20:00", "send"),
        Fired(utc(2026, 11, 28, 3, 0), RunKind.DIGEST, "Friday late@2026-11-27T20:00", "send"),
        Fired(utc(2026, 11, 28, 19, 45), RunKind.BRIEFING, "Friday late@2026-11-28T20:00", "send"),
        Fired(utc(2026, 11, 29, 3, 0), RunKind.DIGEST, "Friday late@2026-11-28T20:00", "send"),
    ]


def test_the_night_the_clocks_go_forward_the_shift_lasts_six_hours() -> None:
    clock = ManualClock(utc(2026, 3, 28, 12, 0))  # Saturday; BST starts Sun 01:00 UTC

    fired = simulate([LATE_SHIFT], clock, utc(2026, 3, 29, 12, 0))

    key = "Friday late@2026-03-28T20:00"
    assert fired == [
        Fired(utc(2026, 3, 28, 19, 45), RunKind.BRIEFING, key, "send"),  # 19:45 GMT
        Fired(utc(2026, 3, 29, 2, 0), RunKind.DIGEST, key, "send"),  # 03:00 BST
    ]
    (run,) = [r for r in _runs([LATE_SHIFT], fired[0].at, fired[1].at) if r.kind is RunKind.DIGEST]
    assert run.occurrence is not None and run.occurrence.duration == timedelta(hours=6)


def test_the_night_the_clocks_go_back_the_shift_lasts_eight_hours() -> None:
    clock = ManualClock(utc(2026, 10, 24, 12, 0))  # Saturday; GMT again Sun 01:00 UTC

    fired = simulate([LATE_SHIFT], clock, utc(2026, 10, 25, 12, 0))

    key = "Friday late@2026-10-24T20:00"
    assert fired == [
        Fired(utc(2026, 10, 24, 18, 45), RunKind.BRIEFING, key, "send"),  # 19:45 BST
        Fired(utc(2026, 10, 25, 3, 0), RunKind.DIGEST, key, "send"),  # 03:00 GMT
    ]
    (run,) = [r for r in _runs([LATE_SHIFT], fired[0].at, fired[1].at) if r.kind is RunKind.DIGEST]
    assert run.occurrence is not None and run.occurrence.duration == timedelta(hours=8)


def test_a_run_missed_within_the_grace_period_is_sent_late_and_an_older_one_skipped() -> None:
    # Down from Fri 19:00 to Sat 04:00: the briefing (19:45) is 8 h overdue, the digest
    # (03:00) one hour; both are found on restart, once each.
    clock = ManualClock(utc(2026, 11, 27, 18, 0))

    fired = simulate(
        [LATE_SHIFT],
        clock,
        utc(2026, 11, 28, 12, 0),
        weekly=WeeklyAt(4, time(18, 30)),  # something on time first
        down=(utc(2026, 11, 27, 19, 0), utc(2026, 11, 28, 4, 0)),
    )

    key = "Friday late@2026-11-27T20:00"
    assert fired == [
        Fired(utc(2026, 11, 27, 18, 30), RunKind.WEEKLY, "week@2026-11-16", "send"),
        Fired(utc(2026, 11, 28, 4, 0), RunKind.BRIEFING, key, "skip"),
        Fired(utc(2026, 11, 28, 4, 0), RunKind.DIGEST, key, "send_late"),
    ]


def test_lateness_on_time_late_and_too_late() -> None:
    due = utc(2026, 11, 28, 3, 0)
    runs = _runs([LATE_SHIFT], due - timedelta(hours=1), due)
    (digest,) = [r for r in runs if r.kind is RunKind.DIGEST]

    def action(now: datetime) -> Action:
        (decision,) = decide(
            [LATE_SHIFT],
            LONDON,
            now=now,
            since=due - timedelta(minutes=1),
            lead=LEAD,
            delay=NO_DELAY,
            grace=GRACE,
            weekly=None,
        )
        return decision.action

    assert action(due) is Action.SEND
    assert action(due + ON_TIME) is Action.SEND
    assert action(due + ON_TIME + timedelta(seconds=1)) is Action.SEND_LATE
    assert action(due + GRACE) is Action.SEND_LATE
    assert action(due + GRACE + timedelta(seconds=1)) is Action.SKIP
    # Once done, never again.
    assert (
        decide(
            [LATE_SHIFT],
            LONDON,
            now=due + timedelta(minutes=30),
            since=due - timedelta(minutes=1),
            lead=LEAD,
            delay=NO_DELAY,
            grace=GRACE,
            weekly=None,
            done={("digest", digest.key)},
        )
        == []
    )


def test_looking_back_covers_downtime_but_never_a_backlog_on_a_new_database() -> None:
    now = utc(2026, 11, 28, 12, 0)
    assert lookback_start(now, GRACE, None) == now - GRACE
    assert lookback_start(now, GRACE, now - timedelta(hours=9)) == now - timedelta(hours=9)
    assert lookback_start(now, GRACE, now - timedelta(minutes=5)) == now - GRACE
    assert lookback_start(now, GRACE, now - timedelta(days=30)) == now - timedelta(days=7)


def test_the_jobs_next_times_across_midnight_and_both_dst_changes() -> None:
    def due(kind: RunKind, after: datetime) -> datetime | None:
        return next_due(kind, LONDON, after=after, pattern=LATE_SHIFT, lead=LEAD, delay=NO_DELAY)

    friday_noon = utc(2026, 11, 27, 12, 0)
    assert due(RunKind.BRIEFING, friday_noon) == utc(2026, 11, 27, 19, 45)
    assert due(RunKind.DIGEST, friday_noon) == utc(2026, 11, 28, 3, 0)
    # Fired exactly at its time: the next one is the next shift's.
    assert due(RunKind.BRIEFING, utc(2026, 11, 27, 19, 45)) == utc(2026, 11, 28, 19, 45)
    # During a shift, its own digest is next.
    assert due(RunKind.DIGEST, utc(2026, 11, 27, 23, 0)) == utc(2026, 11, 28, 3, 0)
    assert due(RunKind.DIGEST, utc(2026, 3, 28, 23, 0)) == utc(2026, 3, 29, 2, 0)
    assert due(RunKind.BRIEFING, utc(2026, 10, 24, 12, 0)) == utc(2026, 10, 24, 18, 45)
    assert due(RunKind.DIGEST, utc(2026, 10, 24, 23, 0)) == utc(2026, 10, 25, 3, 0)
    monday_eight = WeeklyAt(0, time(8, 0))
    assert next_due(RunKind.WEEKLY, LONDON, after=friday_noon, weekly=monday_eight) == utc(
        2026, 11, 30, 8, 0
    )
    summer = next_due(RunKind.WEEKLY, LONDON, after=utc(2026, 6, 1, 7, 30), weekly=monday_eight)
    assert summer == utc(2026, 6, 8, 7, 0)  # 08:00 BST, a week on
    assert next_due(RunKind.WEEKLY, LONDON, after=friday_noon, weekly=None) is None


def test_the_weekly_summary_covers_the_last_whole_week_even_across_a_dst_change() -> None:
    start, end = week_covered(utc(2026, 10, 26, 8, 0), LONDON)  # Monday after the clocks went back
    assert (start, end) == (utc(2026, 10, 18, 23, 0), utc(2026, 10, 26, 0, 0))
    assert end - start == timedelta(hours=169)
    (run,) = planned_runs(
        [],
        LONDON,
        since=utc(2026, 10, 26, 7, 0),
        until=utc(2026, 10, 26, 9, 0),
        lead=LEAD,
        delay=NO_DELAY,
        weekly=parse_weekly_at("mon 08:00"),
    )
    assert (run.kind, run.key, run.due_at) == (
        RunKind.WEEKLY,
        "week@2026-10-19",
        utc(2026, 10, 26, 8, 0),
    )
    assert (run.week_start, run.week_end) == (start, end)


def test_weekly_summary_setting() -> None:
    assert parse_weekly_at("mon 08:00") == WeeklyAt(0, time(8, 0))
    assert parse_weekly_at(" Monday  8:30 ") == WeeklyAt(0, time(8, 30))
    assert parse_weekly_at("off") is None
    settings = load_settings(_env_file=None)
    assert settings.weekly_summary == WeeklyAt(0, time(8, 0))
    assert (settings.briefing_lead, settings.digest_delay, settings.schedule_grace) == (
        LEAD,
        NO_DELAY,
        GRACE,
    )
    assert load_settings(_env_file=None, TCAG_WEEKLY_SUMMARY_AT="OFF").weekly_summary is None
    for bad in ("mon", "mon-fri 08:00", "someday 08:00", "mon 25:00"):
        with pytest.raises(SettingsError, match=r"^Setting TCAG_WEEKLY_SUMMARY_AT:"):
            load_settings(_env_file=None, TCAG_WEEKLY_SUMMARY_AT=bad)


def _runs(patterns: list[ShiftPattern], since: datetime, until: datetime) -> list:
    return planned_runs(
        patterns, LONDON, since=since, until=until, lead=LEAD, delay=NO_DELAY, weekly=None
    )


# ---- run_due on both databases, with the real composers (bot.summaries) ------------------------
@dataclass(frozen=True)
class Call:
    kind: RunKind
    name: str | None
    start: datetime
    end: datetime | None
    late: bool


class RecordingComposers:
    """The summary composers, recording what they were asked for (and failing on demand)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.fail_next = 0
        self._real = scheduler.summary_composers()

    def composers(self) -> Composers:
        return Composers(briefing=self._briefing, digest=self._digest, weekly=self._weekly)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("composing failed")

    async def _briefing(
        self, services: Services, occ: ShiftOccurrence, since: datetime, now: datetime, late: bool
    ) -> Composed:
        self._record(Call(RunKind.BRIEFING, occ.pattern_name, since, now, late))
        return await self._real.briefing(services, occ, since, now, late)

    async def _digest(
        self, services: Services, occ: ShiftOccurrence, start: datetime, end: datetime, late: bool
    ) -> Composed:
        self._record(Call(RunKind.DIGEST, occ.pattern_name, start, end, late))
        return await self._real.digest(services, occ, start, end, late)

    async def _weekly(self, services: Services, week_start: datetime, late: bool) -> Composed:
        self._record(Call(RunKind.WEEKLY, None, week_start, None, late))
        return await self._real.weekly(services, week_start, late)


@pytest.fixture
def composing() -> RecordingComposers:
    return RecordingComposers()


async def add_shifts(store: Store, *patterns: ShiftPattern) -> None:
    for pattern in patterns:
        assert await store.shifts.add(pattern) is not None


def services_for(store: Store, clock: ManualClock, **settings: object) -> Services:
    return Services(settings=make_settings(**settings), store=store, clock=clock)


async def run_at(
    services: Services, at: datetime, composing: RecordingComposers, instance: str = "one"
) -> scheduler.DueOutcome:
    assert isinstance(services.clock, ManualClock)
    services.clock.set(at)
    return await run_due(services, at, composers=composing.composers(), instance=instance)


async def sent_rows(store: Store, kind: RunKind, key: str) -> list:
    run = await store.ledger.get(kind, key)
    assert run is not None, (kind, key)
    return await store.ledger.messages_of(run.id or 0)


def is_png(row: object) -> bool:
    ref = getattr(row, "attachment_ref", None) or ""
    return ref.startswith("b64:") and base64.b64decode(ref[4:]).startswith(PNG_SIGNATURE)


FRIDAY = "Friday late@2026-11-27T20:00"
SATURDAY = "Friday late@2026-11-28T20:00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_the_briefing_goes_to_the_group_on_time_and_only_once(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT)
    services = services_for(store, clock)
    briefing_at = utc(2026, 11, 27, 19, 45)

    outcome = await run_at(services, briefing_at, composing)

    assert outcome.sent == [("briefing", FRIDAY)] and outcome.late == []
    assert services.outbox_wakeup.is_set()
    run = await store.ledger.get(RunKind.BRIEFING, FRIDAY)
    assert run is not None
    assert (run.status, run.late, run.scheduled_at, run.claimed_by) == (
        "sent",
        False,
        briefing_at,
        "one",
    )
    (row,) = await sent_rows(store, RunKind.BRIEFING, FRIDAY)
    assert (row.chat_id, row.purpose, row.attachment_kind) == (COORDINATORS_CHAT, "briefing", None)
    assert (row.text or "").startswith("📋 <b>Briefing: Friday late</b>\n")
    assert summaries_texts.SENT_LATE not in (row.text or "")

    # A second call, a minute later, and again at the same moment: nothing new.
    services.outbox_wakeup.clear()
    assert (await run_at(services, briefing_at + timedelta(minutes=1), composing)).sent == []
    assert (await run_at(services, briefing_at, composing)).sent == []
    assert not services.outbox_wakeup.is_set()
    assert await store.ledger.count() == 1
    assert (await store.outbox.backlog()).pending == 1
    assert len(composing.calls) == 1


async def test_a_digest_missed_within_the_grace_period_is_sent_marked_late(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT)
    services = services_for(store, clock)

    outcome = await run_at(services, utc(2026, 11, 28, 3, 40), composing)  # due 03:00

    assert outcome.sent == outcome.late == [("digest", FRIDAY)]
    run = await store.ledger.get(RunKind.DIGEST, FRIDAY)
    assert run is not None and (run.status, run.late) == ("sent", True)
    assert (run.window_start, run.window_end) == (utc(2026, 11, 27, 20, 0), utc(2026, 11, 28, 3, 0))
    assert composing.calls == [
        Call(RunKind.DIGEST, "Friday late", utc(2026, 11, 27, 20, 0), utc(2026, 11, 28, 3, 0), True)
    ]
    message, chart = await sent_rows(store, RunKind.DIGEST, FRIDAY)
    assert (message.text or "").startswith(
        "📊 <b>Shift digest: Friday late</b>" + summaries_texts.SENT_LATE
    )
    assert chart.attachment_kind == "photo" and is_png(chart)
    assert (chart.text or "").startswith("📊 ")  # the chart's caption
    assert (await run_at(services, utc(2026, 11, 28, 3, 45), composing)).sent == []


async def test_runs_missed_beyond_the_grace_period_are_recorded_skipped_and_logged(
    store: Store,
    clock: ManualClock,
    composing: RecordingComposers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await add_shifts(store, LATE_SHIFT)
    services = services_for(store, clock)
    await run_at(services, utc(2026, 11, 27, 19, 45), composing)  # the briefing, on time
    # Down from 19:50 until Saturday 06:00: the digest (03:00) is three hours overdue.

    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        outcome = await run_at(services, utc(2026, 11, 28, 6, 0), composing)

    assert outcome.skipped == [("digest", FRIDAY)] and outcome.sent == []
    run = await store.ledger.get(RunKind.DIGEST, FRIDAY)
    assert run is not None and run.status == "skipped:missed"
    assert await store.ledger.messages_of(run.id or 0) == []
    assert [c.kind for c in composing.calls] == [RunKind.BRIEFING]  # the digest never composed
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "digest" in warning and FRIDAY in warning and "skipped" in warning
    # Skipped is final.
    assert (await run_at(services, utc(2026, 11, 28, 6, 5), composing)).skipped == []


async def test_a_briefing_covers_the_time_since_the_last_digest_sent(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT, DAY_SHIFT)
    services = services_for(store, clock)
    await run_at(services, utc(2026, 11, 28, 3, 0), composing)  # Friday late's digest
    # Down all Saturday day shift: its briefing and digest are missed (recorded, skipped).

    outcome = await run_at(services, utc(2026, 11, 28, 19, 45), composing)

    day = "Saturday day@2026-11-28T10:00"
    assert outcome.skipped == [("briefing", day), ("digest", day)]
    assert outcome.sent == [("briefing", SATURDAY)]
    # Nothing since Friday's digest was reported, so the briefing reaches back to it.
    assert composing.calls[-1] == Call(
        RunKind.BRIEFING, "Friday late", utc(2026, 11, 28, 3, 0), utc(2026, 11, 28, 19, 45), False
    )
    run = await store.ledger.get(RunKind.BRIEFING, SATURDAY)
    assert run is not None
    assert (run.window_start, run.window_end) == (
        utc(2026, 11, 28, 3, 0),
        utc(2026, 11, 28, 19, 45),
    )
    (row,) = await sent_rows(store, RunKind.BRIEFING, SATURDAY)
    assert "Sat 28 Nov 03:00" in (row.text or "")  # "since" as the group reads it


async def test_without_any_digest_a_briefing_covers_the_time_since_the_last_shift_ended(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT, DAY_SHIFT)
    services = services_for(store, clock)

    await run_at(services, utc(2026, 11, 28, 19, 45), composing)

    assert composing.calls == [
        Call(
            RunKind.BRIEFING,
            "Friday late",
            utc(2026, 11, 28, 16, 0),  # the day shift's end
            utc(2026, 11, 28, 19, 45),
            False,
        )
    ]


async def test_the_weekly_summary_goes_on_monday_morning_for_the_week_before(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    services = services_for(store, clock)

    outcome = await run_at(services, utc(2026, 11, 30, 8, 0), composing)

    assert outcome.sent == [("weekly", "week@2026-11-23")]
    assert composing.calls == [Call(RunKind.WEEKLY, None, utc(2026, 11, 23, 0, 0), None, False)]
    run = await store.ledger.get(RunKind.WEEKLY, "week@2026-11-23")
    assert run is not None
    assert (run.window_start, run.window_end) == (utc(2026, 11, 23, 0, 0), utc(2026, 11, 30, 0, 0))
    message, chart = await sent_rows(store, RunKind.WEEKLY, "week@2026-11-23")
    assert (message.purpose, chart.purpose) == ("weekly", "weekly")
    assert (message.text or "").startswith("🗓 <b>Weekly summary</b>")
    assert is_png(chart)

    off = services_for(store, clock, TCAG_WEEKLY_SUMMARY_AT="off")
    assert (await run_at(off, utc(2026, 12, 7, 8, 0), composing)).sent == []


async def test_without_a_coordinators_group_runs_are_recorded_skipped_and_logged_once(
    store: Store,
    clock: ManualClock,
    composing: RecordingComposers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    early = ShiftPattern.from_text("Friday early", "fri", "18:00", "19:45")
    await add_shifts(store, LATE_SHIFT, early)
    services = services_for(store, clock, TCAG_COORDINATORS_CHAT_ID=None)

    with caplog.at_level(logging.WARNING, logger="bot.jobs.scheduler"):
        outcome = await run_at(services, utc(2026, 11, 27, 19, 45), composing)

    # The early shift's briefing (17:45) is within the grace period: skipped for the same reason.
    assert sorted(outcome.skipped) == [
        ("briefing", "Friday early@2026-11-27T18:00"),
        ("briefing", FRIDAY),
        ("digest", "Friday early@2026-11-27T18:00"),
    ]
    for kind, key in outcome.skipped:
        run = await store.ledger.get(RunKind(kind), key)
        assert run is not None and run.status == "skipped:no-group"
    assert (await store.outbox.backlog()).pending == 0 and composing.calls == []
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "TCAG_COORDINATORS_CHAT_ID" in warning


async def test_a_long_briefing_is_split_under_telegrams_limit(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT)
    coordinator = await store.members.ensure_admin(4242, "Casey Coordinator")
    for n in range(12):
        await store.notes.add(coordinator, f"Note {n}: " + "keep an eye on the taxi rank " * 30)
    services = services_for(store, clock)

    await run_at(services, utc(2026, 11, 27, 19, 45), composing)

    rows = await sent_rows(store, RunKind.BRIEFING, FRIDAY)
    assert len(rows) >= 3
    assert all(0 < units(r.text or "") <= MESSAGE_LIMIT for r in rows)
    assert (rows[0].text or "").startswith("📋 <b>Briefing: Friday late</b>")
    everything = "".join(r.text or "" for r in rows)
    assert all(f"Note {n}:" in everything for n in range(12))


def test_a_long_caption_is_cut_under_the_caption_limit_and_the_rest_follows() -> None:
    composed = Composed("<b>Digest</b>", b"png", "Chart " + "word " * 300)

    messages = scheduler.outgoing_messages(COORDINATORS_CHAT, composed)

    assert [m.attachment_kind for m in messages] == [None, "photo", None]
    assert messages[0].text == "<b>Digest</b>"
    assert messages[1].attachment_ref == "b64:" + base64.b64encode(b"png").decode()
    assert 0 < units(messages[1].text or "") <= CAPTION_LIMIT
    rest = (messages[1].text or "") + " " + (messages[2].text or "")
    assert rest.split() == ("Chart " + "word " * 300).split()
    assert scheduler.outgoing_messages(1, Composed("text only")) == [
        OutgoingMessage(1, "text only")
    ]


async def test_a_run_that_fails_to_compose_is_not_recorded_and_goes_out_at_the_retry(
    store: Store, clock: ManualClock, composing: RecordingComposers
) -> None:
    await add_shifts(store, LATE_SHIFT)
    services = services_for(store, clock)
    composing.fail_next = 1

    failed = await run_at(services, utc(2026, 11, 27, 19, 45), composing)
    retried = await run_at(services, utc(2026, 11, 27, 19, 50), composing)

    assert failed.failed == [("briefing", FRIDAY)] and failed.sent == []
    assert retried.sent == retried.late == [("briefing", FRIDAY)]
    assert await store.ledger.count() == 1


# ---- delivery through the outbox ---------------------------------------------------------------
async def test_the_group_gets_the_digest_then_its_chart_as_a_photo_with_a_caption(
    bot: BotHarness, composing: RecordingComposers
) -> None:
    await add_shifts(bot.store, LATE_SHIFT)
    bot.clock.set(utc(2026, 11, 28, 3, 0))
    await run_due(bot.app.services, bot.clock.now(), composers=composing.composers())

    assert bot.app.outbox_sender is not None
    assert await bot.app.outbox_sender.drain() == 2

    message, photo = bot.api.sent_to(COORDINATORS_CHAT)
    assert message.kind == "text" and message.plain.startswith("📊 Shift digest: Friday late")
    assert photo.kind == "photo" and (photo.caption or "").startswith("📊 ")
    assert photo.file_bytes is not None and photo.file_bytes.startswith(PNG_SIGNATURE)
    rows = await sent_rows(bot.store, RunKind.DIGEST, FRIDAY)
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert await bot.app.outbox_sender.drain() == 0  # nothing twice


async def test_an_unreadable_inline_chart_is_marked_undeliverable_not_retried(
    bot: BotHarness,
) -> None:
    row = await bot.store.outbox.add(
        chat_id=COORDINATORS_CHAT,
        purpose="digest",
        text="Chart",
        attachment_kind="photo",
        attachment_ref="b64:not base64!",
    )
    assert bot.app.outbox_sender is not None
    assert await bot.app.outbox_sender.drain() == 0

    stored = await bot.store.outbox.get(row.id or 0)
    assert stored is not None and stored.status is OutboxStatus.UNDELIVERABLE
    assert stored.last_error == "attachment data unreadable"
    assert bot.api.sent_to(COORDINATORS_CHAT) == []


# ---- jobs: deterministic names, rebuilt from the database ---------------------------------------
def schedule_jobs(bot: BotHarness) -> dict[str, datetime | None]:
    job_queue = bot.app.job_queue
    assert job_queue is not None
    names = [job.name or "" for job in job_queue.jobs()]
    assert len(names) == len(set(names)), names  # never two jobs of one name
    return {
        job.name or "": job.data
        for job in job_queue.jobs()
        if (job.name or "").startswith(scheduler.JOB_PREFIX)
    }


async def run_job(bot: BotHarness, name: str) -> None:
    """What the JobQueue would do at the job's time, without waiting for it."""
    job_queue = bot.app.job_queue
    assert job_queue is not None
    (job,) = job_queue.get_jobs_by_name(name)
    job.schedule_removal()  # a run_once job is gone once it runs
    await job.callback(BotContext.from_job(job, bot.app))  # type: ignore[arg-type]


async def test_jobs_are_built_at_start_and_rebuilt_when_the_patterns_change(
    bot: BotHarness,
) -> None:
    # Started on Friday 27 November at 21:00 (GMT) with no shifts yet.
    assert schedule_jobs(bot) == {
        "schedule:weekly": utc(2026, 11, 30, 8, 0),
        "schedule:catch-up": None,
    }

    await add_shifts(bot.store, LATE_SHIFT)
    await scheduler.reschedule(bot.app)
    assert schedule_jobs(bot) == {
        "schedule:briefing:Friday late": utc(2026, 11, 28, 19, 45),
        "schedule:digest:Friday late": utc(2026, 11, 28, 3, 0),  # tonight's, after midnight
        "schedule:weekly": utc(2026, 11, 30, 8, 0),
        "schedule:catch-up": None,
    }

    await add_shifts(bot.store, DAY_SHIFT)
    names = await scheduler.reschedule(bot.app)
    await scheduler.on_patterns_changed(bot.app)  # twice: still one job per name
    assert sorted(names) == [
        "schedule:briefing:Friday late",
        "schedule:briefing:Saturday day",
        "schedule:digest:Friday late",
        "schedule:digest:Saturday day",
        "schedule:weekly",
    ]
    assert schedule_jobs(bot)["schedule:briefing:Saturday day"] == utc(2026, 11, 28, 9, 45)

    assert await bot.store.shifts.remove_by_name("friday late") == "Friday late"
    await scheduler.reschedule(bot.app)
    assert set(schedule_jobs(bot)) == {
        "schedule:briefing:Saturday day",
        "schedule:digest:Saturday day",
        "schedule:weekly",
        "schedule:catch-up",
    }


async def test_the_catch_up_at_start_and_each_job_send_what_is_due_then_plan_the_next(
    bot: BotHarness, composing: RecordingComposers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduler, "summary_composers", composing.composers)
    await add_shifts(bot.store, LATE_SHIFT)
    await scheduler.reschedule(bot.app)

    # Started at 21:00: tonight's briefing (19:45) was missed and goes out late.
    await run_job(bot, scheduler.CATCH_UP_JOB)
    briefing = await bot.store.ledger.get(RunKind.BRIEFING, FRIDAY)
    assert briefing is not None and briefing.late and briefing.status == "sent"

    bot.clock.set(utc(2026, 11, 28, 3, 0))
    await run_job(bot, "schedule:digest:Friday late")
    digest = await bot.store.ledger.get(RunKind.DIGEST, FRIDAY)
    assert digest is not None and not digest.late
    assert schedule_jobs(bot)["schedule:digest:Friday late"] == utc(2026, 11, 29, 3, 0)
    assert bot.app.services.outbox_wakeup.is_set()

    # A run that cannot be composed is tried again a few minutes later.
    bot.clock.set(utc(2026, 11, 28, 19, 45))
    composing.fail_next = 1
    await run_job(bot, "schedule:briefing:Friday late")
    assert scheduler.RETRY_JOB in schedule_jobs(bot)
    assert await bot.store.ledger.get(RunKind.BRIEFING, SATURDAY) is None
    bot.clock.set(utc(2026, 11, 28, 19, 50))
    await run_job(bot, scheduler.RETRY_JOB)
    retried = await bot.store.ledger.get(RunKind.BRIEFING, SATURDAY)
    assert retried is not None and retried.late and retried.status == "sent"
    assert scheduler.RETRY_JOB not in schedule_jobs(bot)
    assert [c.kind for c in composing.calls] == [RunKind.BRIEFING, RunKind.DIGEST] + [
        RunKind.BRIEFING
    ] * 2
    newest = await scheduler.last_scheduled_run(bot.store)
    assert newest is not None and newest.key == SATURDAY

    assert bot.app.outbox_sender is not None
    await bot.app.outbox_sender.drain()
    headings = [m.plain.split("\n")[0] for m in bot.api.sent_to(COORDINATORS_CHAT)]
    assert headings == [
        "📋 Briefing: Friday late (sent late)",
        "📊 Shift digest: Friday late",
        headings[2],  # the digest's chart
        "📋 Briefing: Friday late (sent late)",
    ]


# ---- two instances on one database ----------------------------------------------------------
@pytest.fixture
async def second_store(store: Store, clock: ManualClock) -> AsyncIterator[Store]:
    """Another engine (another "process") on the same database."""
    other = Store(create_engine(store.engine.url.render_as_string(hide_password=False)), clock)
    yield other
    await other.close()


async def test_two_instances_on_one_database_send_each_run_exactly_once(
    store: Store, second_store: Store, clock: ManualClock
) -> None:
    await add_shifts(store, LATE_SHIFT, DAY_SHIFT)
    first = services_for(store, clock)
    second = services_for(second_store, clock)
    one, two = RecordingComposers(), RecordingComposers()
    # A weekend of shifts, both instances waking at the same moments and racing.
    moments = [
        utc(2026, 11, 27, 19, 45),
        utc(2026, 11, 28, 3, 0),
        utc(2026, 11, 28, 9, 45),
        utc(2026, 11, 28, 16, 0),
        utc(2026, 11, 28, 19, 45),
        utc(2026, 11, 29, 3, 0),
        utc(2026, 11, 30, 8, 0),
    ]
    outcomes = []
    for at in moments:
        clock.set(at)
        for _ in range(5):  # and again, as a job and a catch-up might
            outcomes += await asyncio.gather(
                run_due(first, at, composers=one.composers(), instance="instance-a"),
                run_due(second, at, composers=two.composers(), instance="instance-b"),
            )

    sent = [pair for outcome in outcomes for pair in outcome.sent]
    assert len(sent) == len(set(sent)) == 7  # 4 Friday late, 2 Saturday day, 1 weekly
    runs = await store.ledger.runs(limit=100)
    assert len(runs) == 7 and {r.status for r in runs} == {"sent"}
    expected_rows = {"briefing": [None], "digest": [None, "photo"], "weekly": [None, "photo"]}
    outbox = []
    for run in runs:
        rows = await store.ledger.messages_of(run.id or 0)
        assert [r.attachment_kind for r in rows] == expected_rows[run.kind], run.key
        outbox += rows
    assert (await store.outbox.backlog()).pending == len(outbox) == 11
    assert len({r.dedupe_key for r in outbox}) == 11
