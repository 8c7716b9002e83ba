"""Urgent alerts after they go out: who received which copy, who attends, who acknowledged,
and the escalation ladder, each step claimed once in the schedule ledger.

Every response (attending, not attending any more, acknowledging) queues an edit of every
other copy already sent, in the response's own transaction, and locks the report's row so
that a copy being marked sent at the same moment either is seen here or sees the response
(`copy_sent`): no copy is left showing an old state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Role, Status
from bot.domain.alerts.cctv import CameraAnswer
from bot.domain.alerts.escalation import EscalationStep, OnDutyPosition
from bot.domain.alerts.outbox_types import (
    ALERT_EDIT,
    ALERT_PIN,
    ALERT_PURPOSES,
    ESCALATION,
    NOTICE,
    OutboxStatus,
    Priority,
)
from bot.domain.clock import Clock
from bot.domain.reports.incidents import AckKind, ReportStatus
from bot.domain.shifts.schedule_plan import RunStatus
from storage.alerts.alert_copies import (
    ESCALATION_KIND,
    AlertCopy,
    AlertState,
    Outcome,
    Pressed,
    Response,
    alert_coordinates,
    attending_ids,
    attending_members,
    camera_answer_ids,
    edit_every_copy,
    escalation_key,
    lock_report,
    may_acknowledge,
    queue_pins,
    state_of,
)
from storage.alerts.cctv_models import AlertCameraAnswer
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import (
    AlertAttendance,
    DutySession,
    Hotspot,
    Member,
    OutboxMessage,
    Report,
    ScheduledRun,
)
from storage.state.ledger import recorded_steps


class Alerts:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- which copies went where ------------------------------------------------------
    async def received(self, report_id: int, pressed: Pressed) -> AlertCopy | None:
        """The copy of this report's alert (or escalation) that is that chat's message."""
        async with self._sessions() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.report_id == report_id)
                .where(col(OutboxMessage.purpose).in_(ALERT_PURPOSES))
                .where(OutboxMessage.status == OutboxStatus.SENT)
                .where(OutboxMessage.chat_id == pressed.chat_id)
                .where(OutboxMessage.message_id == pressed.message_id)
            )
            row = (await session.exec(query)).first()
        if row is None or row.message_id is None:
            return None
        return AlertCopy(row.id or 0, row.chat_id, row.message_id, row.alert_step or 0)

    async def was_alerted(self, report_id: int, chat_id: int) -> bool:
        """Whether this chat received a copy of the alert (or an escalation)."""
        async with self._sessions() as session:
            query = (
                select(OutboxMessage.id)
                .where(OutboxMessage.report_id == report_id)
                .where(col(OutboxMessage.purpose).in_(ALERT_PURPOSES))
                .where(OutboxMessage.status == OutboxStatus.SENT)
                .where(OutboxMessage.chat_id == chat_id)
                .limit(1)
            )
            return (await session.exec(query)).first() is not None

    async def copy_sent(self, row: OutboxMessage, message_id: int, shown: AlertState) -> bool:
        """Mark an alert copy sent; True when it also queued that copy's edit.

        The copy was rendered from `shown`; if a response changed the alert meanwhile, its
        edit is queued here. The report's row is locked as responses lock it, so either the
        response saw this copy as sent (and queued its edit) or this sees the response.
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id)
                .values(
                    status=OutboxStatus.SENT, sent_at=now, message_id=message_id, last_error=None
                )
            )
            if row.report_id is None:
                return False
            report = await lock_report(session, row.report_id)
            if report is None:
                return False
            now_shown = state_of(
                report,
                await attending_ids(session, row.report_id),
                await camera_answer_ids(session, row.report_id),
            )
            if now_shown == shown:
                return False
            enqueue(
                session,
                now=now,
                chat_id=row.chat_id,
                purpose=ALERT_EDIT,
                priority=Priority.URGENT_FOLLOW_UP,
                report_id=row.report_id,
                edit_message_id=message_id,
                alert_step=row.alert_step,
            )
        return True

    async def state(self, report_id: int) -> AlertState | None:
        async with self._sessions() as session:
            report = await session.get(Report, report_id)
            if report is None:
                return None
            return state_of(
                report,
                await attending_ids(session, report_id),
                await camera_answer_ids(session, report_id),
            )

    # ---- responses ---------------------------------------------------------------------
    async def _checked(
        self, session: AsyncSession, report_id: int, member: Member, pressed: Pressed
    ) -> tuple[Report | None, Response | None]:
        report = await lock_report(session, report_id)
        if report is None or not report.urgent:
            return None, Response(Outcome.UNKNOWN)
        copy = (
            await session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.report_id == report_id)
                .where(col(OutboxMessage.purpose).in_(ALERT_PURPOSES))
                .where(OutboxMessage.status == OutboxStatus.SENT)
                .where(OutboxMessage.chat_id == pressed.chat_id)
                .where(OutboxMessage.message_id == pressed.message_id)
            )
        ).first()
        if copy is None:
            return None, Response(Outcome.NOT_RECEIVED)
        if report.reporter_id == member.id:
            return None, Response(Outcome.OWN_REPORT)
        if report.status is ReportStatus.CLOSED:
            return None, Response(Outcome.CLOSED)
        return report, None

    async def attend(
        self,
        report_id: int,
        *,
        member: Member,
        pressed: Pressed,
        reporter_notice: str | None = None,
    ) -> Response:
        """Attending, from a copy of this alert; every other copy is edited to show it."""
        try:
            return await self._attend(report_id, member, pressed, reporter_notice)
        except IntegrityError:  # the same member's second press, at the same moment
            return Response(Outcome.UNCHANGED)

    async def _attend(
        self, report_id: int, member: Member, pressed: Pressed, reporter_notice: str | None
    ) -> Response:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report, refused = await self._checked(session, report_id, member, pressed)
            if report is None:
                return refused or Response(Outcome.UNKNOWN)
            if member.role is Role.CCTV:
                return Response(Outcome.NOT_ALLOWED)  # the control room answers for cameras
            existing = (
                await session.exec(
                    select(AlertAttendance)
                    .where(AlertAttendance.report_id == report_id)
                    .where(AlertAttendance.member_id == member.id)
                )
            ).first()
            if existing is not None and existing.until is None:
                return Response(Outcome.UNCHANGED)
            if existing is None:
                session.add(
                    AlertAttendance(report_id=report_id, member_id=member.id or 0, since=now)
                )
            else:
                existing.since, existing.until = now, None
                session.add(existing)
            # Written before reading the copies: on SQLite this takes the write lock, so a
            # copy being marked sent meanwhile is either seen below or sees this.
            await session.flush()
            await edit_every_copy(session, now=now, report_id=report_id, skip=pressed)
            await self._tell_reporter(session, report, reporter_notice, now=now)
        return Response(Outcome.DONE)

    async def stop_attending(
        self,
        report_id: int,
        *,
        member: Member,
        pressed: Pressed,
        reporter_notice: str | None = None,
    ) -> Response:
        """ "Not attending any more": off every copy's list."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report, refused = await self._checked(session, report_id, member, pressed)
            if report is None:
                return refused or Response(Outcome.UNKNOWN)
            result = await session.exec(
                update(AlertAttendance)
                .where(col(AlertAttendance.report_id) == report_id)
                .where(col(AlertAttendance.member_id) == member.id)
                .where(col(AlertAttendance.until).is_(None))
                .values(until=now)
            )
            if result.rowcount != 1:
                return Response(Outcome.UNCHANGED)
            await edit_every_copy(session, now=now, report_id=report_id, skip=pressed)
            await self._tell_reporter(session, report, reporter_notice, now=now)
        return Response(Outcome.DONE)

    async def acknowledge(
        self,
        report_id: int,
        *,
        member: Member,
        pressed: Pressed,
        reporter_notice: str | None = None,
    ) -> Response:
        """Taking ownership (coordinators and admins): escalation stops; the first one wins."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report, refused = await self._checked(session, report_id, member, pressed)
            if report is None:
                return refused or Response(Outcome.UNKNOWN)
            if not may_acknowledge(member):
                return Response(Outcome.NOT_ALLOWED)
            result = await session.exec(
                update(Report)
                .where(col(Report.id) == report_id)
                .where(col(Report.acknowledged_at).is_(None))
                .values(
                    acknowledged_at=now, acknowledged_by_id=member.id, ack_kind=AckKind.ACKNOWLEDGED
                )
            )
            if result.rowcount != 1:
                return Response(Outcome.UNCHANGED)  # someone else was first
            await edit_every_copy(session, now=now, report_id=report_id, skip=pressed)
            await self._tell_reporter(session, report, reporter_notice, now=now)
        return Response(Outcome.DONE)

    async def camera(
        self,
        report_id: int,
        answer: CameraAnswer,
        *,
        member: Member,
        pressed: Pressed,
        reporter_notice: str | None = None,
    ) -> Response:
        """A CCTV operator's answer ("camera on it" / "no camera covers that"), from their
        copy of the alert; every other copy is edited to show it. A second press of the
        other answer changes it."""
        try:
            return await self._camera(report_id, answer, member, pressed, reporter_notice)
        except IntegrityError:  # the same operator's second press, at the same moment
            return Response(Outcome.UNCHANGED)

    async def _camera(
        self,
        report_id: int,
        answer: CameraAnswer,
        member: Member,
        pressed: Pressed,
        reporter_notice: str | None,
    ) -> Response:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report, refused = await self._checked(session, report_id, member, pressed)
            if report is None:
                return refused or Response(Outcome.UNKNOWN)
            if not (member.is_active and member.role is Role.CCTV):
                return Response(Outcome.NOT_ALLOWED)
            existing = (
                await session.exec(
                    select(AlertCameraAnswer)
                    .where(AlertCameraAnswer.report_id == report_id)
                    .where(AlertCameraAnswer.member_id == member.id)
                )
            ).first()
            if existing is not None and existing.answer is answer:
                return Response(Outcome.UNCHANGED)
            if existing is None:
                existing = AlertCameraAnswer(
                    report_id=report_id, member_id=member.id or 0, answer=answer, at=now
                )
            else:
                existing.answer, existing.at = answer, now
            session.add(existing)
            await session.flush()  # the write lock first, as attending takes it
            await edit_every_copy(session, now=now, report_id=report_id, skip=pressed)
            await self._tell_reporter(session, report, reporter_notice, now=now)
        return Response(Outcome.DONE)

    async def _tell_reporter(
        self, session: AsyncSession, report: Report, notice: str | None, *, now: datetime
    ) -> None:
        if not notice:
            return
        reporter = await session.get(Member, report.reporter_id)
        if reporter is None or not reporter.is_active:
            return
        enqueue(
            session,
            now=now,
            chat_id=reporter.telegram_id,
            purpose=NOTICE,
            priority=Priority.URGENT_FOLLOW_UP,
            text=notice,
            report_id=report.id,
        )

    async def attending(self, report_id: int) -> list[Member]:
        """Who attends now, in the order they said so."""
        async with self._sessions() as session:
            return await attending_members(session, report_id)

    async def is_attending(self, report_id: int, member_id: int) -> bool:
        """Attending now or earlier: they may read the report (/show)."""
        async with self._sessions() as session:
            query = (
                select(AlertAttendance.id)
                .where(AlertAttendance.report_id == report_id)
                .where(AlertAttendance.member_id == member_id)
            )
            return (await session.exec(query)).first() is not None

    # ---- who is near -------------------------------------------------------------------
    async def on_duty_positions(self, *, located_after: datetime) -> list[OnDutyPosition]:
        """Active members on duty whose location (shared with /on, or their live location)
        is fresh: noted after `located_after`."""
        async with self._sessions() as session:
            query = (
                select(DutySession.member_id, DutySession.lat, DutySession.lon)
                .join(Member, col(Member.id) == col(DutySession.member_id))
                .where(col(DutySession.ended_at).is_(None))
                .where(Member.status == Status.ACTIVE)
                .where(col(DutySession.lat).is_not(None))
                .where(col(DutySession.lon).is_not(None))
                .where(col(DutySession.located_at) >= located_after)
            )
            rows = (await session.exec(query)).all()
        return [OnDutyPosition(m, lat, lon) for m, lat, lon in rows if lat is not None]

    async def members_by_chat(self, chat_ids: Iterable[int]) -> dict[int, Member]:
        wanted = [c for c in set(chat_ids) if c > 0]
        if not wanted:
            return {}
        async with self._sessions() as session:
            query = select(Member).where(col(Member.telegram_id).in_(wanted))
            return {m.telegram_id: m for m in (await session.exec(query)).all()}

    # ---- the escalation ladder ---------------------------------------------------------
    async def unacknowledged(
        self, *, filed_after: datetime, older_than: timedelta
    ) -> list[tuple[int, datetime, set[int]]]:
        """(report id, filed at, steps recorded) of open urgent alerts nobody acknowledged,
        filed after `filed_after` and at least `older_than` ago."""
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(Report.id, Report.created_at)
                .where(Report.status == ReportStatus.OPEN)
                .where(col(Report.urgent).is_(True))
                .where(col(Report.acknowledged_at).is_(None))
                .where(col(Report.created_at) <= cutoff)
                .where(col(Report.created_at) > filed_after)
                .order_by(col(Report.id))
            )
            reports = [(i, at) for i, at in (await session.exec(query)).all() if i is not None]
            if not reports:
                return []
            recorded = await recorded_steps(
                session,
                kind=ESCALATION_KIND,
                prefix="report",
                ids=[i for i, _ in reports],
                after=filed_after,
            )
        return [(i, at, recorded[i]) for i, at in reports]

    async def escalate(
        self,
        report_id: int,
        step: EscalationStep,
        *,
        group_chat_id: int | None,
        claimed_by: str,
        send: bool = True,
    ) -> bool:
        """Claim one step in the schedule ledger and queue its messages, in one transaction.

        False when the step was claimed already (another instance, or before a restart) or
        the alert was acknowledged or closed meanwhile: nothing is written then. `send`
        False records an overdue step as skipped (a later one went out instead).
        """
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                result = await session.exec(
                    update(Report)
                    .where(col(Report.id) == report_id)
                    .where(col(Report.urgent).is_(True))
                    .where(col(Report.status) == ReportStatus.OPEN.value)
                    .where(col(Report.acknowledged_at).is_(None))
                    .values(escalated_at=func.coalesce(col(Report.escalated_at), now))
                )
                if result.rowcount != 1:
                    return False
                report = await session.get(Report, report_id)
                assert report is not None
                session.add(
                    ScheduledRun(
                        kind=ESCALATION_KIND,
                        key=escalation_key(report_id, step.number),
                        scheduled_at=report.created_at + step.after,
                        claimed_at=now,
                        claimed_by=claimed_by[:64],
                        status=(RunStatus.SENT if send else RunStatus.SKIPPED_MISSED).value,
                        late=not send,
                    )
                )
                await session.flush()  # the unique (kind, key) decides here
                if not send:
                    return True
                chats = await self._audience(session, report, step, group_chat_id)
                for chat_id in chats:
                    enqueue(
                        session,
                        now=now,
                        chat_id=chat_id,
                        purpose=ESCALATION,
                        priority=Priority.URGENT,
                        report_id=report_id,
                        alert_step=step.number,
                        dedupe_key=f"{ESCALATION}:{report_id}:{step.number}:{chat_id}",
                    )
                hotspot = (
                    await session.get(Hotspot, report.hotspot_id) if report.hotspot_id else None
                )
                if alert_coordinates(report, hotspot) is not None:
                    pinned_query = (
                        select(OutboxMessage.chat_id)
                        .where(OutboxMessage.report_id == report_id)
                        .where(OutboxMessage.purpose == ALERT_PIN)
                    )
                    pinned = set((await session.exec(pinned_query)).all())
                    queue_pins(session, chats, now=now, report_id=report_id, pinned=pinned)
        except IntegrityError:
            return False
        return True

    async def _audience(
        self,
        session: AsyncSession,
        report: Report,
        step: EscalationStep,
        group_chat_id: int | None,
    ) -> list[int]:
        """The step's chats, each once, never the reporter's: the group first."""
        roles = []
        if step.coordinators:
            roles.append(col(Member.role) == Role.COORDINATOR.value)
        if step.admins:
            roles.append(col(Member.is_admin).is_(True))
        if step.on_duty:
            roles.append(
                select(DutySession.id)
                .where(DutySession.member_id == Member.id)
                .where(col(DutySession.ended_at).is_(None))
                .exists()
            )
        chats: list[int] = []
        if step.group and group_chat_id is not None:
            chats.append(group_chat_id)
        if roles:
            condition = roles[0]
            for more in roles[1:]:
                condition = condition | more
            query = (
                select(Member.telegram_id)
                .where(Member.status == Status.ACTIVE)
                .where(col(Member.id) != report.reporter_id)
                .where(condition)
                .order_by(col(Member.id))
            )
            chats.extend(c for c in (await session.exec(query)).all() if c not in chats)
        return chats
