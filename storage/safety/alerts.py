"""Staff-safety alerts: "Need help" raised, "I'm contacting them" pressed, repeats of an
alert nobody acknowledged (each claimed once in the schedule ledger), and the counts a
digest shows (how many, never who)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Role
from bot.domain.alerts.escalation import EscalationStep
from bot.domain.alerts.outbox_types import NOTICE, SAFETY, SAFETY_EDIT, OutboxStatus, Priority
from bot.domain.alerts.staff_safety import (
    SAFETY_KIND,
    SafetyCounts,
    SafetyKind,
    median_minutes,
)
from bot.domain.clock import Clock
from bot.domain.shifts.schedule_plan import RunStatus
from storage.access.audit import add_audit
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import DutySession, Member, OutboxMessage, ScheduledRun
from storage.safety.copies import queue_copies
from storage.safety.models import CheckInSession, SafetyAlert


@dataclass(frozen=True)
class SafetyState:
    """What a copy shows: compared after sending, to edit a copy that went out stale."""

    acknowledged_by_id: int | None
    answered: bool


@dataclass(frozen=True)
class SafetyView:
    alert: SafetyAlert
    member: Member
    acknowledged_by: Member | None

    @property
    def state(self) -> SafetyState:
        return SafetyState(self.alert.acknowledged_by_id, self.alert.answered_at is not None)

    @property
    def point(self) -> tuple[float, float] | None:
        if self.alert.lat is None or self.alert.lon is None:
            return None
        return self.alert.lat, self.alert.lon


@dataclass(frozen=True)
class Raised:
    alert: SafetyAlert
    new: bool  # False: this member's earlier call for help is still open


def may_acknowledge(member: Member) -> bool:
    return member.is_active and (member.role is Role.COORDINATOR or member.is_admin)


def repeat_key(alert_id: int, number: int) -> str:
    return f"h:{alert_id}:{number}"


class SafetyAlerts:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def raise_help(self, member: Member, *, group_chat_id: int | None) -> Raised:
        """ "Need help": one alert at once to everyone it goes to, with the member's live or
        last location; a second press while the first is unacknowledged adds nothing."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            lock = select(Member.id).where(Member.id == member.id).with_for_update()
            await session.exec(lock)
            open_help = (
                await session.exec(
                    select(SafetyAlert)
                    .where(SafetyAlert.member_id == member.id)
                    .where(SafetyAlert.kind == SafetyKind.HELP)
                    .where(col(SafetyAlert.acknowledged_at).is_(None))
                    .where(col(SafetyAlert.raised_at) > now - timedelta(hours=1))
                    .order_by(col(SafetyAlert.raised_at).desc())
                )
            ).first()
            if open_help is not None:
                return Raised(open_help, new=False)
            duty = (
                await session.exec(
                    select(DutySession)
                    .where(DutySession.member_id == member.id)
                    .where(col(DutySession.ended_at).is_(None))
                )
            ).first()
            checkins = (
                await session.exec(
                    select(CheckInSession)
                    .where(CheckInSession.member_id == member.id)
                    .where(col(CheckInSession.ended_at).is_(None))
                )
            ).first()
            alert = SafetyAlert(
                kind=SafetyKind.HELP,
                member_id=member.id or 0,
                session_id=checkins.id if checkins else None,
                raised_at=now,
                last_seen_at=now,
                lat=duty.lat if duty else None,
                lon=duty.lon if duty else None,
                located_at=duty.located_at if duty else None,
            )
            session.add(alert)
            await session.flush()
            await queue_copies(session, alert, now=now, group_chat_id=group_chat_id)
        return Raised(alert, new=True)

    async def view(self, alert_id: int | None) -> SafetyView | None:
        if alert_id is None:
            return None
        async with self._sessions() as session:
            alert = await session.get(SafetyAlert, alert_id)
            if alert is None:
                return None
            member = await session.get(Member, alert.member_id)
            if member is None:
                return None
            by = (
                await session.get(Member, alert.acknowledged_by_id)
                if alert.acknowledged_by_id
                else None
            )
        return SafetyView(alert, member, by)

    async def received(self, alert_id: int, chat_id: int, message_id: int) -> OutboxMessage | None:
        """The copy of this alert that is that chat's message (a press counts only there)."""
        async with self._sessions() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.safety_alert_id == alert_id)
                .where(OutboxMessage.purpose == SAFETY)
                .where(OutboxMessage.status == OutboxStatus.SENT)
                .where(OutboxMessage.chat_id == chat_id)
                .where(OutboxMessage.message_id == message_id)
            )
            return (await session.exec(query)).first()

    async def acknowledge(
        self, alert_id: int, *, by: Member, pressed: tuple[int, int], member_notice: str
    ) -> bool:
        """ "I'm contacting them": the ladder stops, every other copy is edited, the member
        is told who; audited. False when someone else was first (or it was answered)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(SafetyAlert)
                .where(col(SafetyAlert.id) == alert_id)
                .where(col(SafetyAlert.acknowledged_at).is_(None))
                .where(col(SafetyAlert.answered_at).is_(None))
                .values(acknowledged_at=now, acknowledged_by_id=by.id)
            )
            if result.rowcount != 1:
                return False
            alert = await session.get(SafetyAlert, alert_id)
            assert alert is not None
            await queue_copies(session, alert, now=now, edits=True, skip=pressed)
            add_audit(
                session,
                at=now,
                action=AuditAction.SAFETY_ACKNOWLEDGED,
                actor_id=by.id,
                subject_member_id=alert.member_id,
                subject=f"safety:{alert_id}",
                detail=alert.kind.value,
            )
            member = await session.get(Member, alert.member_id)
            if member is not None and member.is_active:
                enqueue(
                    session,
                    now=now,
                    chat_id=member.telegram_id,
                    purpose=NOTICE,
                    priority=Priority.URGENT_FOLLOW_UP,
                    text=member_notice,
                    safety_alert_id=alert_id,
                )
        return True

    async def copy_sent(self, row: OutboxMessage, message_id: int, shown: SafetyState) -> None:
        """Mark a copy sent; if the alert changed since it was rendered, queue its edit."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id)
                .values(
                    status=OutboxStatus.SENT, sent_at=now, message_id=message_id, last_error=None
                )
            )
            alert = (
                await session.exec(
                    select(SafetyAlert)
                    .where(SafetyAlert.id == row.safety_alert_id)
                    .with_for_update()
                )
            ).first()
            if alert is None:
                return
            if SafetyState(alert.acknowledged_by_id, alert.answered_at is not None) == shown:
                return
            enqueue(
                session,
                now=now,
                chat_id=row.chat_id,
                purpose=SAFETY_EDIT,
                priority=Priority.URGENT_FOLLOW_UP,
                edit_message_id=message_id,
                alert_step=row.alert_step,
                safety_alert_id=alert.id,
            )

    # ---- "Need help" nobody acknowledged: repeated, each once ---------------------------
    async def open_help(self, *, raised_after: datetime) -> list[tuple[SafetyAlert, set[str]]]:
        async with self._sessions() as session:
            alerts = (
                await session.exec(
                    select(SafetyAlert)
                    .where(SafetyAlert.kind == SafetyKind.HELP)
                    .where(col(SafetyAlert.acknowledged_at).is_(None))
                    .where(col(SafetyAlert.raised_at) > raised_after)
                    .order_by(col(SafetyAlert.id))
                )
            ).all()
            if not alerts:
                return []
            keys = (
                await session.exec(
                    select(ScheduledRun.key)
                    .where(ScheduledRun.kind == SAFETY_KIND)
                    .where(col(ScheduledRun.scheduled_at) > raised_after)
                )
            ).all()
        return [(a, {k for k in keys if k.startswith(f"h:{a.id}:")}) for a in alerts]

    async def repeat_help(
        self,
        alert_id: int,
        step: EscalationStep,
        *,
        scheduled_at: datetime,
        claimed_by: str,
        group_chat_id: int | None,
        send: bool = True,
    ) -> bool:
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                alert = (
                    await session.exec(
                        select(SafetyAlert).where(SafetyAlert.id == alert_id).with_for_update()
                    )
                ).first()
                if alert is None or alert.acknowledged_at is not None:
                    return False
                session.add(
                    ScheduledRun(
                        kind=SAFETY_KIND,
                        key=repeat_key(alert_id, step.number),
                        scheduled_at=scheduled_at,
                        claimed_at=now,
                        claimed_by=claimed_by[:64],
                        status=(RunStatus.SENT if send else RunStatus.SKIPPED_MISSED).value,
                        late=not send,
                    )
                )
                await session.flush()
                if send:
                    await queue_copies(
                        session, alert, now=now, step=step, group_chat_id=group_chat_id
                    )
        except IntegrityError:
            return False
        return True

    # ---- counts for digests -------------------------------------------------------------
    async def counts(self, start: datetime, end: datetime) -> SafetyCounts:
        async with self._sessions() as session:
            query = (
                select(SafetyAlert.kind, func.count())
                .where(col(SafetyAlert.raised_at) >= start)
                .where(col(SafetyAlert.raised_at) < end)
                .group_by(col(SafetyAlert.kind))
            )
            by_kind = {SafetyKind(k): int(n) for k, n in (await session.exec(query)).all()}
            acked = (
                await session.exec(
                    select(SafetyAlert.raised_at, SafetyAlert.acknowledged_at)
                    .where(col(SafetyAlert.raised_at) >= start)
                    .where(col(SafetyAlert.raised_at) < end)
                    .where(col(SafetyAlert.acknowledged_at).is_not(None))
                )
            ).all()
        waits = [ack - raised for raised, ack in acked if ack is not None]
        return SafetyCounts(
            checkins_missed=by_kind.get(SafetyKind.MISSED, 0),
            help_raised=by_kind.get(SafetyKind.HELP, 0),
            median_ack_minutes=median_minutes(waits),
        )
