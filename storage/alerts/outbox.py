"""The outbox: rows written in the event's own transaction, sent and marked by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.alerts.outbox_types import OutboxStatus, Priority
from bot.domain.clock import Clock
from storage.db import SessionFactory
from storage.models import OutboxMessage

# A claimed row is left alone by other senders for this long; if its sender died, it is
# picked up again afterwards (that is the one case where a message can go out twice).
# The default; `tcag run` uses TCAG_OUTBOX_LEASE_SECONDS (a crashed process's claimed rows
# wait this long after a restart before they are sent).
LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class FollowUp:
    """A message queued together with another row's outcome (at most one per dedupe_key)."""

    chat_id: int
    purpose: str
    text: str
    dedupe_key: str
    report_id: int | None = None
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest_pending_at: datetime | None
    undeliverable: int


def enqueue(
    session: AsyncSession,
    *,
    now: datetime,
    chat_id: int,
    purpose: str,
    priority: Priority = Priority.NORMAL,
    text: str | None = None,
    reply_markup: str | None = None,
    report_id: int | None = None,
    edit_message_id: int | None = None,
    attachment_kind: str | None = None,
    attachment_ref: str | None = None,
    dedupe_key: str | None = None,
    alert_step: int | None = None,
    referral_id: int | None = None,
    safety_alert_id: int | None = None,
    concern_id: int | None = None,
) -> OutboxMessage:
    """Add one outgoing message to the caller's transaction."""
    row = OutboxMessage(
        created_at=now,
        chat_id=chat_id,
        purpose=purpose,
        priority=int(priority),
        text=text,
        reply_markup=reply_markup,
        report_id=report_id,
        edit_message_id=edit_message_id,
        attachment_kind=attachment_kind,
        attachment_ref=attachment_ref,
        dedupe_key=dedupe_key,
        alert_step=alert_step,
        referral_id=referral_id,
        safety_alert_id=safety_alert_id,
        concern_id=concern_id,
        status=OutboxStatus.PENDING,
        next_attempt_at=now,
    )
    session.add(row)
    return row


async def mark_sent_in(
    session: AsyncSession, row_id: int, message_id: int | None, *, now: datetime
) -> None:
    """Mark a row sent in the caller's transaction (message_id None: nothing went out,
    as for a referral's copy withdrawn because someone took it first)."""
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row_id)
        .values(status=OutboxStatus.SENT, sent_at=now, message_id=message_id, last_error=None)
    )


class Outbox:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add(self, **fields: object) -> OutboxMessage:
        """Enqueue one message on its own (no other change to commit with it)."""
        async with self._sessions() as session, session.begin():
            row = enqueue(session, now=self._clock.now(), **fields)  # type: ignore[arg-type]
        return row

    async def claim_due(
        self, limit: int = 50, lease: timedelta = LEASE, *, most_urgent: Priority | None = None
    ) -> list[OutboxMessage]:
        """Due rows, most urgent first, leased so another instance leaves them alone
        (only those of `most_urgent` priority or more urgent, when given)."""
        now = self._clock.now()
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .where(col(OutboxMessage.next_attempt_at) <= now)
            .order_by(
                col(OutboxMessage.priority),
                col(OutboxMessage.next_attempt_at),
                col(OutboxMessage.id),
            )
            .limit(limit)
        )
        if most_urgent is not None:
            query = query.where(col(OutboxMessage.priority) <= int(most_urgent))
        claimed: list[OutboxMessage] = []
        async with self._sessions() as session, session.begin():
            for row in (await session.exec(query)).all():
                attempts = row.attempts + 1
                result = await session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id) == row.id)
                    .where(col(OutboxMessage.status) == OutboxStatus.PENDING.value)
                    .where(col(OutboxMessage.next_attempt_at) == row.next_attempt_at)
                    .values(next_attempt_at=now + lease, attempts=attempts)
                    # The row object is updated below, detached: synchronising it as well
                    # counted the attempt twice once the session flushed it.
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    session.expunge(row)
                    row.next_attempt_at, row.attempts = now + lease, attempts
                    claimed.append(row)
        return claimed

    async def add_once(self, **fields: object) -> bool:
        """Enqueue unless a row with the same dedupe_key exists already (then False)."""
        try:
            await self.add(**fields)
        except IntegrityError:
            return False
        return True

    async def release(self, row_id: int, at: datetime, error: str | None = None) -> None:
        """Hand a claimed row back untried (flood control, shutdown): the attempt doesn't count."""
        values: dict[str, object] = {
            "next_attempt_at": at,
            "attempts": case(
                (col(OutboxMessage.attempts) > 0, col(OutboxMessage.attempts) - 1), else_=0
            ),
        }
        if error is not None:
            values["last_error"] = error[:200]
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id)
                .where(col(OutboxMessage.status) == OutboxStatus.PENDING.value)
                .values(**values)
            )

    async def mark_sent(self, row_id: int, message_id: int | None) -> None:
        async with self._sessions() as session, session.begin():
            await mark_sent_in(session, row_id, message_id, now=self._clock.now())

    async def retry_later(self, row_id: int, delay: timedelta, error: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id)
                .values(next_attempt_at=self._clock.now() + delay, last_error=error[:200])
            )

    async def give_up(
        self, row_id: int, error: str, *, follow_ups: Sequence[FollowUp] = ()
    ) -> None:
        """Mark a row undeliverable, queueing `follow_ups` (the admins told) in the same
        transaction: a crash can never record the one without the other."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id)
                .values(status=OutboxStatus.UNDELIVERABLE, last_error=error[:200])
            )
            for message in follow_ups:
                queued = select(OutboxMessage.id).where(
                    OutboxMessage.dedupe_key == message.dedupe_key
                )
                if (await session.exec(queued)).first() is not None:
                    continue  # queued already (another alert row of the same report, say)
                enqueue(
                    session,
                    now=now,
                    chat_id=message.chat_id,
                    purpose=message.purpose,
                    priority=message.priority,
                    text=message.text,
                    report_id=message.report_id,
                    dedupe_key=message.dedupe_key,
                )

    async def get(self, row_id: int) -> OutboxMessage | None:
        async with self._sessions() as session:
            return await session.get(OutboxMessage, row_id)

    async def for_report(self, report_id: int) -> list[OutboxMessage]:
        async with self._sessions() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.report_id == report_id)
                .order_by(col(OutboxMessage.id))
            )
            return list((await session.exec(query)).all())

    async def next_due_at(self) -> datetime | None:
        async with self._sessions() as session:
            query = select(func.min(OutboxMessage.next_attempt_at)).where(
                OutboxMessage.status == OutboxStatus.PENDING
            )
            return (await session.exec(query)).one()

    async def backlog(self) -> Backlog:
        async with self._sessions() as session:
            pending = select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status == OutboxStatus.PENDING
            )
            count, oldest = (await session.exec(pending)).one()
            undeliverable = select(func.count()).where(
                OutboxMessage.status == OutboxStatus.UNDELIVERABLE
            )
            failed = (await session.exec(undeliverable)).one()
        if isinstance(oldest, datetime) and oldest.tzinfo is None:  # SQLite keeps no zone
            oldest = oldest.replace(tzinfo=UTC)
        return Backlog(pending=int(count), oldest_pending_at=oldest, undeliverable=int(failed))
