"""Lone-working check-ins: role defaults, sessions, signs of life, and each stage of a
check-in claimed once in the schedule ledger (with its messages, in one transaction).

A stage is claimed by inserting its ScheduledRun row (kind "checkin", key per session,
round and stage: bot.domain.alerts.staff_safety.Due.key); the unique (kind, key) lets one
claimant win, across restarts and two instances. The claim re-checks the session in its
own transaction: ended, or answered meanwhile (its round moved on), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Role, Status
from bot.domain.alerts.outbox_types import CHECKIN, Priority
from bot.domain.alerts.staff_safety import (
    CHECKIN_KIND,
    Due,
    SafetyKind,
    SessionEnd,
    Stage,
    round_key,
)
from bot.domain.clock import Clock
from bot.domain.shifts.schedule_plan import RunStatus
from storage.access.audit import add_audit
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import DutySession, Member, ScheduledRun
from storage.safety.copies import queue_copies
from storage.safety.models import CheckInRoleDefault, CheckInSession, SafetyAlert


@dataclass(frozen=True)
class Running:
    """A session with check-ins running, and its member."""

    session: CheckInSession
    member: Member


@dataclass(frozen=True)
class StageMessage:
    """The member's check-in or reminder: text and buttons (JSON), rendered by the job."""

    text: str
    reply_markup: str | None


async def end_checkins_of_duty(
    session: AsyncSession, duty_id: int | None, *, at: datetime, reason: SessionEnd
) -> None:
    """End the check-ins of a duty that ends, in the duty's own transaction."""
    if duty_id is None:
        return
    await session.exec(
        update(CheckInSession)
        .where(col(CheckInSession.duty_id) == duty_id)
        .where(col(CheckInSession.ended_at).is_(None))
        .values(ended_at=at, end_reason=reason.value)
    )


class CheckIns:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- role defaults (admins) --------------------------------------------------------
    async def role_defaults(self) -> dict[Role, CheckInRoleDefault]:
        async with self._sessions() as session:
            rows = (await session.exec(select(CheckInRoleDefault))).all()
        return {row.role: row for row in rows}

    async def role_default(self, role: Role) -> CheckInRoleDefault | None:
        return (await self.role_defaults()).get(role)

    async def set_role_default(
        self, role: Role, *, alone: bool, every_minutes: int | None, by: Member
    ) -> CheckInRoleDefault:
        """An admin sets a role's default (audited)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = select(CheckInRoleDefault).where(CheckInRoleDefault.role == role)
            row = (await session.exec(query)).first() or CheckInRoleDefault(
                role=role, updated_at=now
            )
            row.alone, row.every_minutes = alone, every_minutes
            row.updated_at, row.updated_by_id = now, by.id
            session.add(row)
            mode = "alone" if alone else "paired"
            add_audit(
                session,
                at=now,
                action=AuditAction.CHECKIN_DEFAULT_SET,
                actor_id=by.id,
                subject=role.value,
                detail=f"{mode}, every {every_minutes} min" if every_minutes else mode,
            )
        return row

    # ---- sessions ----------------------------------------------------------------------
    async def start(self, member_id: int, duty_id: int, every_minutes: int) -> CheckInSession:
        """Check-ins for this duty (the one running, if any, keeps going)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            lock = select(Member.id).where(Member.id == member_id).with_for_update()
            await session.exec(lock)
            query = (
                select(CheckInSession)
                .where(CheckInSession.member_id == member_id)
                .where(col(CheckInSession.ended_at).is_(None))
            )
            running = (await session.exec(query)).first()
            if running is not None:
                return running
            started = CheckInSession(
                member_id=member_id,
                duty_id=duty_id,
                every_minutes=every_minutes,
                started_at=now,
                last_seen_at=now,
            )
            session.add(started)
        return started

    async def current(self, member_id: int) -> CheckInSession | None:
        async with self._sessions() as session:
            query = (
                select(CheckInSession)
                .where(CheckInSession.member_id == member_id)
                .where(col(CheckInSession.ended_at).is_(None))
            )
            return (await session.exec(query)).first()

    async def get(self, session_id: int) -> CheckInSession | None:
        async with self._sessions() as session:
            return await session.get(CheckInSession, session_id)

    async def end_own(self, member_id: int, reason: SessionEnd) -> CheckInSession | None:
        """The member ends their own check-ins (paired after all); None if none ran."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = (
                select(CheckInSession)
                .where(CheckInSession.member_id == member_id)
                .where(col(CheckInSession.ended_at).is_(None))
                .with_for_update()
            )
            running = (await session.exec(query)).first()
            if running is None:
                return None
            running.ended_at, running.end_reason = now, reason.value
            session.add(running)
        return running

    async def end_forgotten(
        self, session_id: int, *, by: Member, notice: str | None
    ) -> Running | None:
        """A coordinator ends a session left running (audited; the member told). None if it
        had ended already."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(CheckInSession)
                .where(col(CheckInSession.id) == session_id)
                .where(col(CheckInSession.ended_at).is_(None))
                .values(ended_at=now, end_reason=SessionEnd.COORDINATOR.value, ended_by_id=by.id)
            )
            if result.rowcount != 1:
                return None
            ended = await session.get(CheckInSession, session_id)
            assert ended is not None
            member = await session.get(Member, ended.member_id)
            assert member is not None
            add_audit(
                session,
                at=now,
                action=AuditAction.CHECKINS_ENDED,
                actor_id=by.id,
                subject_member_id=member.id,
                subject=f"checkins:{session_id}",
            )
            if notice and member.is_active and member.id != by.id:
                enqueue(
                    session,
                    now=now,
                    chat_id=member.telegram_id,
                    purpose=CHECKIN,
                    priority=Priority.URGENT_FOLLOW_UP,
                    text=notice,
                )
        return Running(ended, member)

    async def running(self) -> list[Running]:
        """Every session with check-ins running, oldest sign of life first."""
        async with self._sessions() as session:
            query = (
                select(CheckInSession, Member)
                .join(Member, col(Member.id) == col(CheckInSession.member_id))
                .where(col(CheckInSession.ended_at).is_(None))
                .order_by(col(CheckInSession.last_seen_at), col(CheckInSession.id))
            )
            return [Running(s, m) for s, m in (await session.exec(query)).all()]

    async def end_orphaned(self) -> int:
        """End check-ins whose duty ended some other way (duty ends end them: a safety net)."""
        async with self._sessions() as session, session.begin():
            query = (
                select(CheckInSession.id, DutySession.ended_at)
                .join(DutySession, col(DutySession.id) == col(CheckInSession.duty_id))
                .where(col(CheckInSession.ended_at).is_(None))
                .where(col(DutySession.ended_at).is_not(None))
            )
            rows = (await session.exec(query)).all()
            for session_id, ended_at in rows:
                await session.exec(
                    update(CheckInSession)
                    .where(col(CheckInSession.id) == session_id)
                    .where(col(CheckInSession.ended_at).is_(None))
                    .values(ended_at=ended_at, end_reason=SessionEnd.AUTO.value)
                )
        return len(rows)

    # ---- signs of life -----------------------------------------------------------------
    async def seen(self, member_id: int) -> list[int]:
        """A sign of life from the member: their check-in clock starts again. The ids of the
        missed-check-in alerts it answers (their copies are edited to say so)."""
        now = self._clock.now()
        if await self.current(member_id) is None:
            return []  # most members, most of the time: one read, no transaction
        async with self._sessions() as session, session.begin():
            query = (
                select(CheckInSession)
                .where(CheckInSession.member_id == member_id)
                .where(col(CheckInSession.ended_at).is_(None))
                .with_for_update()
            )
            running = (await session.exec(query)).first()
            if running is None:
                return []
            running.last_seen_at, running.asked_at = now, None
            session.add(running)
            open_alerts = (
                await session.exec(
                    select(SafetyAlert)
                    .where(SafetyAlert.session_id == running.id)
                    .where(SafetyAlert.kind == SafetyKind.MISSED)
                    .where(col(SafetyAlert.answered_at).is_(None))
                    .with_for_update()
                )
            ).all()
            answered: list[int] = []
            for alert in open_alerts:
                alert.answered_at = now
                session.add(alert)
                await session.flush()
                await queue_copies(session, alert, now=now, edits=True)
                answered.append(alert.id or 0)
        return answered

    # ---- the stages of a check-in, each once --------------------------------------------
    async def recorded(self, session_ids: Sequence[int]) -> dict[int, set[str]]:
        """The ledger keys recorded so far for these sessions, by session."""
        found: dict[int, set[str]] = {i: set() for i in session_ids}
        if not session_ids:
            return found
        async with self._sessions() as session:
            query = (
                select(ScheduledRun.key)
                .where(ScheduledRun.kind == CHECKIN_KIND)
                .where(or_(*(col(ScheduledRun.key).like(f"s:{i}:%") for i in session_ids)))
            )
            for key in (await session.exec(query)).all():
                found.setdefault(int(key.split(":")[1]), set()).add(key)
        return found

    async def claim(
        self,
        running: Running,
        due: Due,
        *,
        claimed_by: str,
        send: bool = True,
        message: StageMessage | None = None,
        group_chat_id: int | None = None,
    ) -> bool:
        """Claim one stage and queue what it sends, in one transaction; False when it was
        claimed already, or the session ended or moved on (answered) meanwhile."""
        now = self._clock.now()
        planned = running.session
        rk = round_key(planned.last_seen_at)
        try:
            async with self._sessions() as session, session.begin():
                current = (
                    await session.exec(
                        select(CheckInSession)
                        .where(CheckInSession.id == planned.id)
                        .with_for_update()
                    )
                ).first()
                if (
                    current is None
                    or current.ended_at is not None
                    or round_key(current.last_seen_at) != rk
                ):
                    return False
                session.add(
                    ScheduledRun(
                        kind=CHECKIN_KIND,
                        key=due.key(current.id or 0, rk),
                        scheduled_at=due.at,
                        claimed_at=now,
                        claimed_by=claimed_by[:64],
                        status=(RunStatus.SENT if send else RunStatus.SKIPPED_MISSED).value,
                        late=not send,
                    )
                )
                await session.flush()  # the unique (kind, key) decides here
                if due.stage is Stage.CHECKIN:
                    current.asked_at = now  # the question's clock starts when it is asked
                    session.add(current)
                if not send:
                    return True
                member = await session.get(Member, current.member_id)
                if member is None or member.status is not Status.ACTIVE:
                    return True
                if due.stage in (Stage.CHECKIN, Stage.REMINDER) and message is not None:
                    enqueue(
                        session,
                        now=now,
                        chat_id=member.telegram_id,
                        purpose=CHECKIN,
                        priority=Priority.URGENT,
                        text=message.text,
                        reply_markup=message.reply_markup,
                        dedupe_key=f"{CHECKIN}:{due.key(current.id or 0, rk)}"[:120],
                    )
                if due.stage is Stage.ALERT and due.step is not None:
                    await self._alert_step(
                        session, current, member, due, now=now, group_chat_id=group_chat_id
                    )
        except IntegrityError:
            return False
        return True

    async def _alert_step(
        self,
        session: AsyncSession,
        current: CheckInSession,
        member: Member,
        due: Due,
        *,
        now: datetime,
        group_chat_id: int | None,
    ) -> None:
        """The missed check-in's alert (made at its first step) goes to the step's people,
        unless a coordinator acknowledged it: the ladder stops there."""
        assert due.step is not None
        query = (
            select(SafetyAlert)
            .where(SafetyAlert.session_id == current.id)
            .where(SafetyAlert.kind == SafetyKind.MISSED)
            .where(SafetyAlert.last_seen_at == current.last_seen_at)
        )
        alert = (await session.exec(query)).first()
        if alert is None:
            duty = await session.get(DutySession, current.duty_id) if current.duty_id else None
            alert = SafetyAlert(
                kind=SafetyKind.MISSED,
                member_id=member.id or 0,
                session_id=current.id,
                raised_at=now,
                last_seen_at=current.last_seen_at,
                lat=duty.lat if duty else None,
                lon=duty.lon if duty else None,
                located_at=duty.located_at if duty else None,
            )
            session.add(alert)
            await session.flush()
        elif not alert.open:
            return
        await queue_copies(session, alert, now=now, step=due.step, group_chat_id=group_chat_id)
