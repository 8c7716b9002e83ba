"""Two instances on one PostgreSQL database through a day of shifts: every scheduled message
goes out exactly once.

`tcag run` uses the real clock, so this runs in process: two Applications from
build_application, each with its own Store (its own engine and connection pool) over the same
PostgreSQL database, its own ManualClock and its own local Bot API. The clocks move in
lock-step through a Saturday and into Sunday night (three shift patterns: an early shift
every day, a late one crossing midnight, a weekend day shift; and the weekly summary); at
each tick both instances call bot.scheduler.run_due at the same moment, then both outbox
senders drain at the same moment. Ticks are the minutes something falls due (from
bot.schedule_plan.next_due), the minutes either side, and every hour on the hour: the
minutes in between could only repeat what the hourly ticks show (nothing due, nothing sent).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_application
from bot.context import OpsApplication
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.shifts.schedule_plan import RunKind, lookback_start, next_due, planned_runs
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.jobs.scheduler import DueOutcome, run_due
from bot.offline.bot_api import LocalBotAPI, LocalRequest
from storage.db import create_engine
from storage.models import ReportIn
from storage.store import Store
from tests.support.databases import TestDatabases
from tests.support.harness import ADMIN, COORDINATORS_CHAT, make_settings

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
EARLY = ShiftPattern.from_text("Early", "daily", "06:00", "14:00")
LATE = ShiftPattern.from_text("Late", "daily", "20:00", "03:00")  # crosses midnight
WEEKEND = ShiftPattern.from_text("Weekend", "sat,sun", "10:00", "18:00")
PATTERNS = [EARLY, LATE, WEEKEND]
WEEKLY_AT = "sat 09:00"
# Saturday 00:00 to Sunday 03:30 local: the whole day, and the digest of Saturday's late
# shift, which ends after midnight.
DAY_START = datetime(2026, 11, 28, 0, 0, tzinfo=LONDON)
DAY_END = datetime(2026, 11, 29, 3, 30, tzinfo=LONDON)
TICK = timedelta(minutes=1)
# Non-urgent reports filed during the day (local time), so the digests have something to say.
REPORTS_AT = (
    datetime(2026, 11, 28, 11, 20, tzinfo=LONDON),
    datetime(2026, 11, 28, 22, 5, tzinfo=LONDON),
)


@dataclass
class Instance:
    name: str
    clock: ManualClock
    store: Store
    api: LocalBotAPI
    app: OpsApplication

    async def run_due(self, now: datetime) -> DueOutcome:
        return await run_due(self.app.services, now, instance=self.name)

    async def drain(self) -> int:
        assert self.app.outbox_sender is not None
        return await self.app.outbox_sender.drain()


@pytest.fixture
async def database(databases: TestDatabases) -> AsyncIterator[str]:
    """A migrated PostgreSQL database of this test's own: its URL. Skipped without
    PostgreSQL (failed in CI)."""
    url = await databases.postgres_copy()
    try:
        yield url
    finally:
        databases.release(url)


@pytest.fixture
async def instances(database: str) -> AsyncIterator[tuple[Instance, Instance]]:
    """Two instances, each with its own engine, clock and Bot API, on one database."""
    settings = make_settings(TCAG_WEEKLY_SUMMARY_AT=WEEKLY_AT)
    built: list[Instance] = []
    for name in ("instance-a", "instance-b"):
        clock = ManualClock(DAY_START)
        store = Store(create_engine(database), clock)
        if not built:
            await store.upgrade()
        api = LocalBotAPI()
        app = build_application(
            settings, store=store, clock=clock, request=LocalRequest(api), rate_limit=False
        )
        await app.initialize()
        built.append(Instance(name, clock, store, api, app))
    try:
        yield built[0], built[1]
    finally:
        for instance in built:
            await instance.app.shutdown()
            await instance.store.close()


def due_ticks(start: datetime, end: datetime) -> list[datetime]:
    """The minutes to look at: each next due time (rounded up to the minute) with the
    minutes before and after it, and every hour on the hour, from `start` to `end`."""
    settings = make_settings(TCAG_WEEKLY_SUMMARY_AT=WEEKLY_AT)
    lead, delay, weekly = settings.briefing_lead, settings.digest_delay, settings.weekly_summary
    ticks: set[datetime] = set()
    at = start
    while at < end:
        ticks.add(at)
        at += timedelta(hours=1)
    at = start
    while True:
        candidates = [
            next_due(kind, LONDON, after=at, pattern=pattern, lead=lead, delay=delay)
            for pattern in PATTERNS
            for kind in (RunKind.BRIEFING, RunKind.DIGEST)
        ]
        candidates.append(next_due(RunKind.WEEKLY, LONDON, after=at, weekly=weekly))
        due = min(c for c in candidates if c is not None)
        if due > end:
            break
        minute = due.replace(second=0, microsecond=0)
        if minute < due:
            minute += TICK
        ticks.update({minute - TICK, minute, minute + TICK})
        at = due
    return sorted(t for t in ticks if start <= t <= end)


def expected_runs(start: datetime, end: datetime) -> set[tuple[str, str]]:
    """What the plan says is due in the day (from the scheduler's first look-back on)."""
    settings = make_settings(TCAG_WEEKLY_SUMMARY_AT=WEEKLY_AT)
    runs = planned_runs(
        PATTERNS,
        LONDON,
        since=lookback_start(start, settings.schedule_grace, None),
        until=end,
        lead=settings.briefing_lead,
        delay=settings.digest_delay,
        weekly=settings.weekly_summary,
    )
    return {(run.kind.value, run.key) for run in runs}


async def test_two_instances_through_a_day_send_every_scheduled_message_once(
    instances: tuple[Instance, Instance],
) -> None:
    first, second = instances
    store = first.store
    for pattern in PATTERNS:
        assert await store.shifts.add(pattern) is not None
    reporter = await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name)
    drinking = await store.categories.by_slug("street_drinking")
    assert drinking is not None
    pending_reports = list(REPORTS_AT)

    ticks = due_ticks(DAY_START, DAY_END)
    sent: list[tuple[str, str]] = []
    lost: list[tuple[str, str]] = []
    for now in ticks:
        first.clock.set(now)
        second.clock.set(now)
        while pending_reports and pending_reports[0] <= now:
            pending_reports.pop(0)
            await store.reports.file(
                ReportIn(category_id=drinking.id or 0, place_text="Elmer Square"),
                reporter=reporter,
                group_chat_id=COORDINATORS_CHAT,
            )
        outcomes = await asyncio.gather(first.run_due(now), second.run_due(now))
        for outcome in outcomes:
            assert outcome.failed == [] and outcome.skipped == [] and outcome.late == [], now
            sent += outcome.sent
            lost += outcome.lost
        await asyncio.gather(first.drain(), second.drain())
        assert (await store.outbox.backlog()).pending == 0, now

    # Every run the plan has for the day, claimed once, on time, by one instance or the other.
    expected = expected_runs(DAY_START, DAY_END)
    assert len(expected) == 8  # early ×2, weekend ×2, late digest ×2 and briefing, weekly
    assert sorted(sent) == sorted(expected)  # each sent by exactly one instance
    assert set(lost) <= expected  # the other instance, racing, wrote nothing
    runs = await store.ledger.runs(limit=100)
    assert {(r.kind, r.key) for r in runs} == expected and len(runs) == len(expected)
    assert {(r.status, r.late) for r in runs} == {("sent", False)}
    assert {r.claimed_by for r in runs} <= {first.name, second.name}
    assert {k for k, _ in expected} == {"briefing", "digest", "weekly"}

    # Their messages: each outbox row sent once, and the two Bot APIs together received each
    # message exactly once, in the coordinators' group and nowhere else.
    rows = [row for run in runs for row in await store.ledger.messages_of(run.id or 0)]
    assert rows and all(row.status is OutboxStatus.SENT for row in rows)
    wanted = Counter(("photo" if r.attachment_kind else "text", r.text) for r in rows)
    received = [m for instance in instances for m in instance.api.messages.values()]
    assert {m.chat_id for m in received} == {COORDINATORS_CHAT}
    got = Counter((m.kind, m.caption if m.kind == "photo" else m.text) for m in received)
    assert got == wanted and len(received) == len(rows)
    headings = sorted(m.plain.split("\n", 1)[0] for m in received if m.kind == "text")
    assert headings.count("📋 Briefing: Early") == 1
    assert headings.count("📊 Shift digest: Late") == 2  # Friday's and Saturday's late shifts
    print(
        f"\n{len(ticks)} ticks, {len(runs)} runs ({len(lost)} lost races), {len(rows)} "
        f"messages; instance-a sent "
        f"{len(first.api.messages)}, instance-b {len(second.api.messages)}"
    )
