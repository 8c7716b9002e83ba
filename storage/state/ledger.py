"""The schedule ledger: each briefing, digest and summary claimed once, with its messages.

A run is claimed by inserting its ScheduledRun row; the unique (kind, key) lets exactly one
claimant succeed, and its outbox rows are written in the same transaction. An instance that
loses the race (PostgreSQL makes it wait for the winner, then refuses the duplicate) rolls
back and has written nothing: no second briefing can reach the group.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.alerts.outbox_types import Priority
from bot.domain.clock import Clock
from bot.domain.shifts.schedule_plan import RunKind, RunStatus
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import OutboxMessage, ScheduledRun


@dataclass(frozen=True)
class OutgoingMessage:
    """One outbox row of a run: a text, or a photo (`attachment_ref` "b64:<PNG>") and caption."""

    chat_id: int
    text: str | None
    attachment_kind: str | None = None
    attachment_ref: str | None = None


# Escalation steps share the ledger (storage.alerts.alerts) for its once-only claim; the schedule's
# own questions (what ran last, which runs were missed) are about these kinds only.
_SCHEDULE_KINDS = tuple(kind.value for kind in RunKind)


async def recorded_steps(
    session: AsyncSession, *, kind: str, prefix: str, ids: Collection[int], after: datetime
) -> dict[int, set[int]]:
    """The ladder steps the ledger holds for each of `ids`, from keys
    "<prefix>:<id>:step:<n>" of runs scheduled after `after` (every ladder keys its steps
    so: urgent alerts, CCTV review requests, safeguarding concerns)."""
    recorded: dict[int, set[int]] = {i: set() for i in ids}
    query = (
        select(ScheduledRun.key)
        .where(ScheduledRun.kind == kind)
        .where(col(ScheduledRun.key).startswith(f"{prefix}:"))
        .where(col(ScheduledRun.scheduled_at) > after)
    )
    for key in (await session.exec(query)).all():
        parts = key.split(":")
        if len(parts) != 4 or parts[2] != "step" or not parts[1].isdigit():
            continue
        if int(parts[1]) in recorded and parts[3].isdigit():
            recorded[int(parts[1])].add(int(parts[3]))
    return recorded


def outbox_key(run_id: int, index: int) -> str:
    """The dedupe key of a run's n-th outbox row: ties the rows to their ledger row."""
    return f"sched:{run_id}:{index}"


class Ledger:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def claim(
        self,
        *,
        kind: RunKind,
        key: str,
        scheduled_at: datetime,
        claimed_by: str,
        status: RunStatus = RunStatus.SENT,
        late: bool = False,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        messages: Sequence[OutgoingMessage] = (),
    ) -> ScheduledRun | None:
        """Record the run and queue its messages, in one transaction; None if already claimed."""
        now = self._clock.now()
        run = ScheduledRun(
            kind=kind.value,
            key=key,
            scheduled_at=scheduled_at,
            claimed_at=now,
            claimed_by=claimed_by[:64],
            status=status.value,
            late=late,
            window_start=window_start,
            window_end=window_end,
        )
        try:
            async with self._sessions() as session, session.begin():
                session.add(run)
                await session.flush()  # the unique (kind, key) decides here
                for index, message in enumerate(messages):
                    enqueue(
                        session,
                        now=now,
                        chat_id=message.chat_id,
                        purpose=kind.value,
                        priority=Priority.NORMAL,
                        text=message.text,
                        attachment_kind=message.attachment_kind,
                        attachment_ref=message.attachment_ref,
                        dedupe_key=outbox_key(run.id or 0, index),
                    )
        except IntegrityError:
            return None  # another instance (or an earlier call) has it: nothing was written
        return run

    async def recorded_since(self, since: datetime) -> set[tuple[str, str]]:
        """(kind, key) of every run scheduled at or after `since`."""
        async with self._sessions() as session:
            query = (
                select(ScheduledRun.kind, ScheduledRun.key)
                .where(col(ScheduledRun.scheduled_at) >= since)
                .where(col(ScheduledRun.kind).in_(_SCHEDULE_KINDS))
            )
            return {(kind, key) for kind, key in (await session.exec(query)).all()}

    async def get(self, kind: RunKind, key: str) -> ScheduledRun | None:
        async with self._sessions() as session:
            query = select(ScheduledRun).where(
                ScheduledRun.kind == kind.value, ScheduledRun.key == key
            )
            return (await session.exec(query)).first()

    async def newest_scheduled_at(self) -> datetime | None:
        """When the newest run recorded was due: roughly when the scheduler last worked."""
        newest = await self._newest(col(ScheduledRun.scheduled_at))
        return newest.scheduled_at if newest is not None else None

    async def newest(self) -> ScheduledRun | None:
        """The run claimed most recently (sent or skipped), for health checks."""
        return await self._newest(col(ScheduledRun.claimed_at))

    async def _newest(self, by: object) -> ScheduledRun | None:
        async with self._sessions() as session:
            query = (
                select(ScheduledRun)
                .where(col(ScheduledRun.kind).in_(_SCHEDULE_KINDS))
                .order_by(by.desc(), col(ScheduledRun.id).desc())  # type: ignore[attr-defined]
                .limit(1)
            )
            return (await session.exec(query)).first()

    async def last_window_end(
        self, kind: RunKind, *, not_after: datetime, since: datetime
    ) -> datetime | None:
        """The end of the latest window sent for `kind`, within [since, not_after]: a watermark."""
        async with self._sessions() as session:
            query = select(ScheduledRun).where(
                ScheduledRun.kind == kind.value,
                ScheduledRun.status == RunStatus.SENT.value,
                col(ScheduledRun.scheduled_at) >= since,
                col(ScheduledRun.window_end) <= not_after,
                col(ScheduledRun.window_end) >= since,
            )
            query = query.order_by(col(ScheduledRun.window_end).desc()).limit(1)
            row = (await session.exec(query)).first()
            return row.window_end if row is not None else None

    async def runs(self, *, limit: int = 50) -> list[ScheduledRun]:
        """The newest runs first."""
        async with self._sessions() as session:
            query = (
                select(ScheduledRun)
                .where(col(ScheduledRun.kind).in_(_SCHEDULE_KINDS))
                .order_by(col(ScheduledRun.scheduled_at).desc(), col(ScheduledRun.id).desc())
                .limit(limit)
            )
            return list((await session.exec(query)).all())

    async def messages_of(self, run_id: int) -> list[OutboxMessage]:
        """The outbox rows a run queued, in order."""
        async with self._sessions() as session:
            query = (
                select(OutboxMessage)
                .where(col(OutboxMessage.dedupe_key).like(f"sched:{run_id}:%"))
                .order_by(col(OutboxMessage.id))
            )
            return list((await session.exec(query)).all())

    async def count(self) -> int:
        async with self._sessions() as session:
            query = (
                select(func.count())
                .select_from(ScheduledRun)
                .where(col(ScheduledRun.kind).in_(_SCHEDULE_KINDS))
            )
            return int((await session.exec(query)).one())
