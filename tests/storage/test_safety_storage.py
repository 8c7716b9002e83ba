"""Staff safety's storage on SQLite and PostgreSQL: check-in sessions end with the duty,
each stage is claimed once by one claimant, a sign of life answers a missed check-in, role
defaults are audited, and digests get counts only."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import SAFETY, SAFETY_EDIT, SAFETY_PIN
from bot.domain.alerts.staff_safety import CheckInPlan, SafetyCounts, Stage
from bot.domain.clock import ManualClock
from bot.domain.retention import DataKind, RetentionPolicy
from storage.models import OutboxMessage
from storage.safety.checkins import StageMessage
from storage.store import Store

GROUP = -100_200_300
PLAN = CheckInPlan()


async def lone_warden(store: Store) -> tuple[int, int]:
    """A warden on duty with a location, checked on every 30 minutes: (member, session)."""
    warden = await store.members.ensure_admin(7, "Wendy", role=Role.WARDEN)
    await store.members.ensure_admin(8, "Cora", role=Role.COORDINATOR)
    duty, _ = await store.duty.start(warden.id or 0, lat=51.5, lon=-0.12)
    session = await store.checkins.start(warden.id or 0, duty.id or 0, 30)
    return warden.id or 0, session.id or 0


async def due_now(store: Store, clock: ManualClock) -> list[tuple[object, object]]:
    running = await store.checkins.running()
    recorded = await store.checkins.recorded([r.session.id or 0 for r in running])
    plans = []
    for one in running:
        s = one.session
        due, _ = PLAN.plan(
            clock.now(),
            last_seen_at=s.last_seen_at,
            every=timedelta(minutes=s.every_minutes),
            asked_at=s.asked_at,
            recorded=recorded[s.id or 0],
            session_id=s.id or 0,
        )
        plans.append((one, due))
    return plans


async def test_each_stage_is_claimed_once_among_four_instances(
    store: Store, clock: ManualClock
) -> None:
    await lone_warden(store)
    clock.advance(minutes=30)
    [(running, due)] = await due_now(store, clock)
    assert due is not None and due.stage is Stage.CHECKIN  # type: ignore[attr-defined]
    message = StageMessage("⏰ Check-in", None)
    won = await asyncio.gather(
        *(
            store.checkins.claim(running, due, claimed_by=f"i{n}", message=message)  # type: ignore[arg-type]
            for n in range(4)
        )
    )
    assert sorted(won) == [False, False, False, True]
    rows = [r for r in await _all_outbox(store) if r.purpose == "checkin"]
    assert [(r.chat_id, r.text) for r in rows] == [(7, "⏰ Check-in")]

    clock.advance(minutes=10)  # reminder (5) and first alert (10) both due: the alert goes
    [(running, due)] = await due_now(store, clock)
    assert due is not None and due.stage is Stage.ALERT and due.number == 1  # type: ignore[attr-defined]
    won = await asyncio.gather(
        *(
            store.checkins.claim(running, due, claimed_by=f"i{n}", group_chat_id=GROUP)  # type: ignore[arg-type]
            for n in range(4)
        )
    )
    assert sorted(won) == [False, False, False, True]
    copies = [r for r in await _all_outbox(store) if r.purpose == SAFETY]
    pins = [r for r in await _all_outbox(store) if r.purpose == SAFETY_PIN]
    assert sorted(r.chat_id for r in copies) == sorted([GROUP, 8])  # the coordinator, the group
    assert sorted(r.chat_id for r in pins) == sorted([GROUP, 8])
    assert all(r.priority < 0 for r in copies + pins)  # ahead of every other row


async def _all_outbox(store: Store) -> list[Any]:
    async with store.engine.connect() as connection:
        return list((await connection.execute(select(OutboxMessage))).all())


async def test_a_sign_of_life_answers_a_missed_check_in(store: Store, clock: ManualClock) -> None:
    warden_id, _ = await lone_warden(store)
    clock.advance(minutes=30)
    [(running, due)] = await due_now(store, clock)
    await store.checkins.claim(running, due, claimed_by="a", message=StageMessage("?", None))  # type: ignore[arg-type]
    clock.advance(minutes=10)
    [(running, due)] = await due_now(store, clock)
    assert await store.checkins.claim(running, due, claimed_by="a", group_chat_id=GROUP)  # type: ignore[arg-type]
    for row in [r for r in await _all_outbox(store) if r.purpose == SAFETY]:
        await store.outbox.mark_sent(row.id, 100 + row.id)

    clock.advance(minutes=3)
    answered = await store.checkins.seen(warden_id)

    assert len(answered) == 1
    view = await store.safety.view(answered[0])
    assert view is not None and view.alert.answered_at == clock.now()
    assert view.point == (51.5, -0.12)
    edits = [r for r in await _all_outbox(store) if r.purpose == SAFETY_EDIT]
    assert sorted(r.chat_id for r in edits) == sorted([GROUP, 8])
    session = await store.checkins.current(warden_id)
    assert session is not None and session.asked_at is None
    assert session.last_seen_at == clock.now()
    [(_, due)] = await due_now(store, clock)
    assert due is None  # a new round: its check-in is 30 minutes away


async def test_check_ins_end_with_the_duty_and_defaults_are_audited(
    store: Store, clock: ManualClock
) -> None:
    warden_id, session_id = await lone_warden(store)
    await store.duty.end(warden_id)
    ended = await store.checkins.get(session_id)
    assert ended is not None and ended.ended_at == clock.now() and ended.end_reason == "off"
    assert await store.checkins.running() == []

    admin = await store.members.ensure_admin(1, "Ada")
    await store.checkins.set_role_default(Role.WARDEN, alone=True, every_minutes=20, by=admin)
    default = await store.checkins.role_default(Role.WARDEN)
    assert default is not None and default.alone and default.every_minutes == 20
    [row] = await store.audit.since(clock.now() - timedelta(days=1), action="safety.")
    assert (row.action, row.subject) == ("safety.role_default", "warden")


async def test_digest_counts_missed_help_and_median_time_to_acknowledge(
    store: Store, clock: ManualClock
) -> None:
    start = clock.now()
    warden_id, _ = await lone_warden(store)
    coordinator = await store.members.by_telegram_id(8)
    assert coordinator is not None
    warden = await store.members.get(warden_id)
    assert warden is not None
    first = await store.safety.raise_help(warden, group_chat_id=GROUP)
    again = await store.safety.raise_help(warden, group_chat_id=GROUP)
    assert first.new and not again.new and again.alert.id == first.alert.id
    clock.advance(minutes=4)
    assert await store.safety.acknowledge(
        first.alert.id or 0, by=coordinator, pressed=(GROUP, 1), member_notice="📞"
    )
    assert not await store.safety.acknowledge(
        first.alert.id or 0, by=coordinator, pressed=(GROUP, 1), member_notice="📞"
    )
    clock.advance(minutes=1)
    second = await store.safety.raise_help(warden, group_chat_id=GROUP)
    clock.advance(minutes=8)
    await store.safety.acknowledge(
        second.alert.id or 0, by=coordinator, pressed=(GROUP, 2), member_notice="📞"
    )

    counts = await store.safety.counts(start, clock.now() + timedelta(minutes=1))

    assert counts == SafetyCounts(checkins_missed=0, help_raised=2, median_ack_minutes=6.0)
    assert await store.safety.counts(clock.now() + timedelta(hours=1), clock.now()) == (
        SafetyCounts()
    )


async def test_retention_clears_a_safety_alerts_location_with_duty_locations(
    store: Store, clock: ManualClock
) -> None:
    warden_id, _ = await lone_warden(store)
    warden = await store.members.get(warden_id)
    assert warden is not None
    raised = await store.safety.raise_help(warden, group_chat_id=GROUP)
    policy = RetentionPolicy(duty_locations_days=31)
    assert (await store.retention.plan(clock.now(), policy))[DataKind.SAFETY_LOCATIONS] == 0

    later = clock.now() + timedelta(days=32)
    counts = await store.retention.purge(later, policy)

    assert counts[DataKind.SAFETY_LOCATIONS] == 1
    view = await store.safety.view(raised.alert.id)
    assert view is not None and view.point is None and view.alert.located_at is None
    assert (await store.safety.counts(clock.now(), later)).help_raised == 1  # counts stay


async def test_duty_closed_automatically_ends_its_check_ins(
    store: Store, clock: ManualClock
) -> None:
    warden_id, session_id = await lone_warden(store)
    duty = await store.duty.current(warden_id)
    assert duty is not None
    closed_at = clock.now() + timedelta(hours=12)
    clock.advance(hours=13)
    assert await store.duty.close_automatically(
        duty.id or 0, at=closed_at, chat_id=7, notice="closed"
    )
    ended = await store.checkins.get(session_id)
    assert ended is not None and (ended.ended_at, ended.end_reason) == (closed_at, "auto")
    assert await store.checkins.end_orphaned() == 0
