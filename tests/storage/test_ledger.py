"""The schedule ledger: a run is claimed exactly once, with its outbox rows or not at all."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.shifts.schedule_plan import RunKind, RunStatus
from bot.jobs.scheduler import last_scheduled_run
from storage.state.ledger import OutgoingMessage, outbox_key
from storage.store import Store
from tests.support.harness import COORDINATORS_CHAT

DUE = datetime(2026, 11, 27, 19, 45, tzinfo=UTC)
KEY = "Friday late@2026-11-27T20:00"
SHIFT_START = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
SHIFT_END = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def briefing_messages() -> list[OutgoingMessage]:
    return [
        OutgoingMessage(COORDINATORS_CHAT, "<b>Briefing</b> part 1"),
        OutgoingMessage(COORDINATORS_CHAT, "part 2"),
        OutgoingMessage(COORDINATORS_CHAT, "chart", "photo", "b64:iVBORw0KGgo="),
    ]


async def outbox_rows(store: Store) -> list:
    rows = []
    for run in await store.ledger.runs(limit=1000):
        rows += await store.ledger.messages_of(run.id or 0)
    return rows


async def claim_briefing(store: Store, by: str = "a", key: str = KEY):
    return await store.ledger.claim(
        kind=RunKind.BRIEFING,
        key=key,
        scheduled_at=DUE,
        claimed_by=by,
        window_start=SHIFT_START - timedelta(hours=17),
        window_end=DUE,
        messages=briefing_messages(),
    )


async def test_a_claim_records_the_run_and_queues_its_messages_together(
    store: Store, clock: ManualClock
) -> None:
    run = await claim_briefing(store)

    assert run is not None and run.id is not None
    stored = await store.ledger.get(RunKind.BRIEFING, KEY)
    assert stored is not None
    assert (stored.status, stored.late, stored.claimed_by) == ("sent", False, "a")
    assert (stored.scheduled_at, stored.claimed_at, stored.window_end) == (DUE, clock.now(), DUE)
    rows = await store.ledger.messages_of(run.id)
    assert [(r.chat_id, r.purpose, r.text, r.attachment_kind) for r in rows] == [
        (COORDINATORS_CHAT, "briefing", "<b>Briefing</b> part 1", None),
        (COORDINATORS_CHAT, "briefing", "part 2", None),
        (COORDINATORS_CHAT, "briefing", "chart", "photo"),
    ]
    assert [r.dedupe_key for r in rows] == [outbox_key(run.id, i) for i in range(3)]
    assert rows[2].attachment_ref == "b64:iVBORw0KGgo="
    assert all(r.status is OutboxStatus.PENDING and r.next_attempt_at == clock.now() for r in rows)


async def test_the_second_claim_of_a_run_loses_and_writes_no_outbox_rows(store: Store) -> None:
    first = await claim_briefing(store, by="instance-a")
    second = await claim_briefing(store, by="instance-b")

    assert first is not None and second is None
    assert await store.ledger.count() == 1
    assert (await store.ledger.get(RunKind.BRIEFING, KEY)).claimed_by == "instance-a"  # type: ignore[union-attr]
    assert len(await outbox_rows(store)) == 3
    assert (await store.outbox.backlog()).pending == 3


async def test_concurrent_claims_of_one_run_let_exactly_one_through(store: Store) -> None:
    results = await asyncio.gather(*(claim_briefing(store, by=f"i{n}") for n in range(6)))

    assert sum(r is not None for r in results) == 1
    assert await store.ledger.count() == 1
    assert (await store.outbox.backlog()).pending == 3


async def test_the_same_shift_has_one_briefing_and_one_digest(store: Store) -> None:
    assert await claim_briefing(store) is not None
    digest = await store.ledger.claim(
        kind=RunKind.DIGEST,
        key=KEY,
        scheduled_at=SHIFT_END,
        claimed_by="a",
        late=True,
        window_start=SHIFT_START,
        window_end=SHIFT_END,
        messages=[OutgoingMessage(COORDINATORS_CHAT, "Digest (sent late)")],
    )
    assert digest is not None and digest.late
    assert await store.ledger.count() == 2
    assert [r.purpose for r in await store.ledger.messages_of(digest.id or 0)] == ["digest"]


async def test_a_skipped_run_is_recorded_without_messages(store: Store) -> None:
    skipped = await store.ledger.claim(
        kind=RunKind.DIGEST,
        key=KEY,
        scheduled_at=SHIFT_END,
        claimed_by="a",
        status=RunStatus.SKIPPED_MISSED,
        late=True,
    )
    assert skipped is not None and skipped.status == "skipped:missed"
    assert await store.ledger.messages_of(skipped.id or 0) == []
    assert (await store.outbox.backlog()).pending == 0
    # Skipped is final: a later attempt to send it loses.
    assert (
        await store.ledger.claim(
            kind=RunKind.DIGEST,
            key=KEY,
            scheduled_at=SHIFT_END,
            claimed_by="b",
            messages=[OutgoingMessage(COORDINATORS_CHAT, "Digest")],
        )
        is None
    )
    assert (await store.outbox.backlog()).pending == 0


async def test_watermarks_and_the_newest_run(store: Store, clock: ManualClock) -> None:
    assert await store.ledger.newest_scheduled_at() is None
    assert await last_scheduled_run(store) is None

    await store.ledger.claim(
        kind=RunKind.DIGEST,
        key=KEY,
        scheduled_at=SHIFT_END,
        claimed_by="a",
        window_start=SHIFT_START,
        window_end=SHIFT_END,
    )
    clock.advance(minutes=5)
    await store.ledger.claim(
        kind=RunKind.DIGEST,
        key="Other@2026-11-26T20:00",
        scheduled_at=SHIFT_END - timedelta(days=1),
        claimed_by="a",
        status=RunStatus.SKIPPED_MISSED,
        window_start=SHIFT_START - timedelta(days=1),
        window_end=SHIFT_END - timedelta(days=1),
    )

    assert await store.ledger.newest_scheduled_at() == SHIFT_END
    newest = await last_scheduled_run(store)
    assert newest is not None and newest.key == "Other@2026-11-26T20:00"  # claimed last
    assert await store.ledger.recorded_since(SHIFT_END) == {("digest", KEY)}
    # The briefing watermark: the latest window actually sent, not the skipped one.
    since = SHIFT_END - timedelta(days=7)
    assert (
        await store.ledger.last_window_end(
            RunKind.DIGEST, not_after=SHIFT_END + timedelta(hours=17), since=since
        )
        == SHIFT_END
    )
    assert (
        await store.ledger.last_window_end(
            RunKind.DIGEST, not_after=SHIFT_END - timedelta(minutes=1), since=since
        )
        is None
    )
