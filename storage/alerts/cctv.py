"""CCTV review requests: made from a report, sent to every operator, answered once,
climbing their own ladder while nobody answers; counted for digests and the pack.

Each change is one transaction with the messages it queues and its audit row: a request
and its copies to the operators; an answer (the first one wins: the row's status is the
lock) with the edits of every other copy and the requester's notice; a ladder step with
its claim in the schedule ledger (unique kind and key: once across restarts and two
instances). Texts come from the caller (storage renders nothing): `CopyRenderer` gives
the text and buttons (JSON) of a copy for one step, for an operator or not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Role, Status
from bot.domain.alerts.cctv import (
    CctvAnswer,
    CctvCounts,
    RequestStatus,
    ReviewWindow,
    cctv_reference,
    count_requests,
)
from bot.domain.alerts.escalation import EscalationStep
from bot.domain.alerts.outbox_types import CCTV_REQUEST, NOTICE, OutboxStatus, Priority
from bot.domain.clock import Clock
from bot.domain.reports.incidents import reference
from bot.domain.shifts.schedule_plan import RunStatus
from storage.access.audit import add_audit
from storage.alerts.alert_copies import Pressed
from storage.alerts.cctv_models import CctvRequest
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import Category, Hotspot, Member, OutboxMessage, Report, ScheduledRun
from storage.state.ledger import recorded_steps

CCTV_ESCALATION_KIND = "cctv_escalation"  # the schedule ledger's kind for its ladder steps

# (request view, ladder step: 0 the request itself, for an operator) → (text, buttons JSON)
CopyRenderer = Callable[["CctvRequestView", int, bool], tuple[str, str | None]]


def copy_key(request_id: int, step: int, chat_id: int) -> str:
    return f"cctv:{request_id}:{step}:{chat_id}"


def _copies_prefix(request_id: int) -> str:
    return f"cctv:{request_id}:"


def ladder_key(request_id: int, step: int) -> str:
    return f"cctv:{request_id}:step:{step}"


class Made(StrEnum):
    CREATED = "created"
    ALREADY_OPEN = "already_open"  # one request per report waits at a time
    NO_OPERATORS = "no_operators"  # nobody has the cctv role: nothing stored
    NO_REPORT = "no_report"


class Answered(StrEnum):
    DONE = "done"
    ALREADY = "already"  # someone answered first (or this one did)
    NOT_RECEIVED = "not_received"  # the press came from no copy of this request
    NOT_ALLOWED = "not_allowed"  # only CCTV operators answer
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CctvRequestView:
    """A request with what a person needs to read it."""

    request: CctvRequest
    report: Report
    category: Category
    place: str
    requester: Member | None
    answered_by: Member | None

    @property
    def ref(self) -> str:
        return cctv_reference(self.request.id or 0)

    @property
    def report_ref(self) -> str:
        return reference(self.report.id or 0)


@dataclass(frozen=True)
class MadeRequest:
    outcome: Made
    view: CctvRequestView | None = None  # the new request, or the one already waiting


@dataclass(frozen=True)
class AnswerResult:
    outcome: Answered
    view: CctvRequestView | None = None


def _place(report: Report, chosen: Hotspot | None, report_hotspot: Hotspot | None) -> str:
    """The chosen hotspot, else the report's place as /show says it."""
    if chosen is not None:
        return chosen.name
    if report_hotspot is not None:
        return report_hotspot.name
    if report.place_text:
        return report.place_text
    if report.lat is not None and report.lon is not None:
        return f"{report.lat:.5f}, {report.lon:.5f}"
    return "place not given"


async def _view(session: AsyncSession, request: CctvRequest) -> CctvRequestView | None:
    report = await session.get(Report, request.report_id)
    if report is None:
        return None
    category = await session.get(Category, report.category_id)
    assert category is not None  # foreign key
    chosen = await session.get(Hotspot, request.hotspot_id) if request.hotspot_id else None
    own = await session.get(Hotspot, report.hotspot_id) if report.hotspot_id else None
    requester = await session.get(Member, request.requester_id) if request.requester_id else None
    answered_by = (
        await session.get(Member, request.answered_by_id) if request.answered_by_id else None
    )
    return CctvRequestView(
        request, report, category, _place(report, chosen, own), requester, answered_by
    )


async def _operators(session: AsyncSession) -> list[Member]:
    query = (
        select(Member)
        .where(Member.status == Status.ACTIVE)
        .where(Member.role == Role.CCTV)
        .order_by(col(Member.id))
    )
    return list((await session.exec(query)).all())


class CctvRequests:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- making one --------------------------------------------------------------------
    async def create(
        self,
        report_id: int,
        *,
        requester: Member,
        window: ReviewWindow,
        hotspot_id: int | None,
        render: CopyRenderer,
    ) -> MadeRequest:
        """Store the request and queue a copy to every CCTV operator, in one transaction."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report = (
                await session.exec(select(Report).where(Report.id == report_id).with_for_update())
            ).first()
            if report is None:
                return MadeRequest(Made.NO_REPORT)
            waiting = (
                await session.exec(
                    select(CctvRequest)
                    .where(CctvRequest.report_id == report_id)
                    .where(CctvRequest.status == RequestStatus.OPEN)
                    .order_by(col(CctvRequest.id))
                )
            ).first()
            if waiting is not None:
                return MadeRequest(Made.ALREADY_OPEN, await _view(session, waiting))
            operators = await _operators(session)
            if not operators:
                return MadeRequest(Made.NO_OPERATORS)
            if hotspot_id is not None and await session.get(Hotspot, hotspot_id) is None:
                hotspot_id = None
            start, end = window.bounds(report.created_at)
            request = CctvRequest(
                report_id=report_id,
                requester_id=requester.id,
                created_at=now,
                window_start=start,
                window_end=end,
                hotspot_id=hotspot_id,
                status=RequestStatus.OPEN,
            )
            session.add(request)
            await session.flush()
            view = await _view(session, request)
            assert view is not None
            text, markup = render(view, 0, True)
            for operator in operators:
                enqueue(
                    session,
                    now=now,
                    chat_id=operator.telegram_id,
                    purpose=CCTV_REQUEST,
                    priority=Priority.NORMAL,
                    text=text,
                    reply_markup=markup,
                    report_id=report_id,
                    dedupe_key=copy_key(request.id or 0, 0, operator.telegram_id),
                )
            add_audit(
                session,
                at=now,
                action=AuditAction.CCTV_REQUESTED,
                actor_id=requester.id,
                subject=view.ref,
                detail=f"for {view.report_ref}",
            )
        return MadeRequest(Made.CREATED, view)

    # ---- reading -----------------------------------------------------------------------
    async def view(self, request_id: int) -> CctvRequestView | None:
        async with self._sessions() as session:
            request = await session.get(CctvRequest, request_id)
            return await _view(session, request) if request is not None else None

    async def for_report(self, report_id: int) -> list[CctvRequestView]:
        async with self._sessions() as session:
            query = (
                select(CctvRequest)
                .where(CctvRequest.report_id == report_id)
                .order_by(col(CctvRequest.id))
            )
            views = [await _view(session, r) for r in (await session.exec(query)).all()]
        return [v for v in views if v is not None]

    async def listed(
        self, *, viewer: Member, open_only: bool, limit: int = 10
    ) -> list[CctvRequestView]:
        """Requests open now (or the latest, answered too), oldest open first; the look is
        audited (who looked at which requests)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = select(CctvRequest)
            if open_only:
                query = query.where(CctvRequest.status == RequestStatus.OPEN).order_by(
                    col(CctvRequest.id)
                )
            else:
                query = query.order_by(col(CctvRequest.id).desc())
            rows = (await session.exec(query.limit(limit))).all()
            views = [v for r in rows if (v := await _view(session, r)) is not None]
            add_audit(
                session,
                at=now,
                action=AuditAction.CCTV_VIEWED,
                actor_id=viewer.id,
                subject="cctv requests",
                detail=", ".join(v.ref for v in views) or "none",
            )
        return views

    async def received(self, request_id: int, pressed: Pressed) -> bool:
        """Whether this chat's message is a copy of the request (escalations included)."""
        async with self._sessions() as session:
            return await self._received(session, request_id, pressed)

    async def _received(self, session: AsyncSession, request_id: int, pressed: Pressed) -> bool:
        query = (
            select(OutboxMessage.id)
            .where(OutboxMessage.purpose == CCTV_REQUEST)
            .where(col(OutboxMessage.dedupe_key).startswith(_copies_prefix(request_id)))
            .where(OutboxMessage.status == OutboxStatus.SENT)
            .where(OutboxMessage.chat_id == pressed.chat_id)
            .where(OutboxMessage.message_id == pressed.message_id)
            .limit(1)
        )
        return (await session.exec(query)).first() is not None

    # ---- answering ---------------------------------------------------------------------
    async def answer(
        self,
        request_id: int,
        answer: CctvAnswer,
        *,
        member: Member,
        pressed: Pressed,
        edited: Callable[[CctvRequestView], str],
        notice: Callable[[CctvRequestView], str],
    ) -> AnswerResult:
        """The first answer wins: stored, every other copy edited to `edited` (no buttons),
        the requester told `notice`, audited."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            request = await session.get(CctvRequest, request_id)
            if request is None:
                return AnswerResult(Answered.UNKNOWN)
            if not await self._received(session, request_id, pressed):
                return AnswerResult(Answered.NOT_RECEIVED)
            if not (member.is_active and member.role is Role.CCTV):
                return AnswerResult(Answered.NOT_ALLOWED)
            result = await session.exec(
                update(CctvRequest)
                .where(col(CctvRequest.id) == request_id)
                .where(col(CctvRequest.status) == RequestStatus.OPEN.value)
                .values(
                    status=RequestStatus.ANSWERED.value,
                    answer=answer.value,
                    answered_at=now,
                    answered_by_id=member.id,
                )
            )
            await session.refresh(request)
            view = await _view(session, request)
            if result.rowcount != 1 or view is None:
                return AnswerResult(Answered.ALREADY, view)
            text = edited(view)
            for chat_id, message_id in await self._sent_copies(session, request_id):
                if (chat_id, message_id) == (pressed.chat_id, pressed.message_id):
                    continue  # the handler edits the pressed one at once
                enqueue(
                    session,
                    now=now,
                    chat_id=chat_id,
                    purpose=CCTV_REQUEST,
                    text=text,
                    report_id=request.report_id,
                    edit_message_id=message_id,
                )
            self._tell_requester(session, view, notice(view), now=now)
            add_audit(
                session,
                at=now,
                action=AuditAction.CCTV_ANSWERED,
                actor_id=member.id,
                subject=view.ref,
                detail=f"{view.report_ref}: {answer.value}",
            )
        return AnswerResult(Answered.DONE, view)

    async def record_footage_ref(
        self,
        request_id: int,
        footage_ref: str,
        *,
        member: Member,
        notice: Callable[[CctvRequestView], str],
    ) -> CctvRequestView | None:
        """The reference of footage found and saved, by the operator who found it; the
        requester is told. None: not theirs to record (or no such request)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(CctvRequest)
                .where(col(CctvRequest.id) == request_id)
                .where(col(CctvRequest.answer) == CctvAnswer.FOUND.value)
                .where(col(CctvRequest.answered_by_id) == member.id)
                .values(footage_ref=footage_ref, footage_ref_at=now)
            )
            if result.rowcount != 1:
                return None
            request = await session.get(CctvRequest, request_id)
            assert request is not None
            await session.refresh(request)
            view = await _view(session, request)
            if view is None:
                return None
            self._tell_requester(session, view, notice(view), now=now)
            add_audit(
                session,
                at=now,
                action=AuditAction.CCTV_FOOTAGE_REF,
                actor_id=member.id,
                subject=view.ref,
                detail=f"for {view.report_ref}",
            )
        return view

    async def _sent_copies(self, session: AsyncSession, request_id: int) -> list[tuple[int, int]]:
        query = (
            select(OutboxMessage.chat_id, OutboxMessage.message_id)
            .where(OutboxMessage.purpose == CCTV_REQUEST)
            .where(col(OutboxMessage.dedupe_key).startswith(_copies_prefix(request_id)))
            .where(OutboxMessage.status == OutboxStatus.SENT)
            .where(col(OutboxMessage.message_id).is_not(None))
            .order_by(col(OutboxMessage.id))
        )
        return [(c, m) for c, m in (await session.exec(query)).all() if m is not None]

    def _tell_requester(
        self, session: AsyncSession, view: CctvRequestView, text: str, *, now: datetime
    ) -> None:
        requester = view.requester
        if requester is None or not requester.is_active:
            return
        enqueue(
            session,
            now=now,
            chat_id=requester.telegram_id,
            purpose=NOTICE,
            text=text,
            report_id=view.report.id,
        )

    # ---- the ladder of an unanswered request ------------------------------------------
    async def unanswered(
        self, *, made_after: datetime, older_than: timedelta
    ) -> list[tuple[int, datetime, set[int]]]:
        """(request id, made at, ladder steps recorded) of open requests made after
        `made_after` and at least `older_than` ago."""
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(CctvRequest.id, CctvRequest.created_at)
                .where(CctvRequest.status == RequestStatus.OPEN)
                .where(col(CctvRequest.created_at) <= cutoff)
                .where(col(CctvRequest.created_at) > made_after)
                .order_by(col(CctvRequest.id))
            )
            requests = [(i, at) for i, at in (await session.exec(query)).all() if i is not None]
            if not requests:
                return []
            recorded = await recorded_steps(
                session,
                kind=CCTV_ESCALATION_KIND,
                prefix="cctv",
                ids=[i for i, _ in requests],
                after=made_after,
            )
        return [(i, at, recorded[i]) for i, at in requests]

    async def escalate(
        self,
        request_id: int,
        step: EscalationStep,
        *,
        claimed_by: str,
        render: CopyRenderer,
        send: bool = True,
    ) -> bool:
        """Claim one step in the schedule ledger and queue its copies, in one transaction;
        False when claimed already or answered meanwhile (nothing written then)."""
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                result = await session.exec(
                    update(CctvRequest)
                    .where(col(CctvRequest.id) == request_id)
                    .where(col(CctvRequest.status) == RequestStatus.OPEN.value)
                    .values(escalated_at=func.coalesce(col(CctvRequest.escalated_at), now))
                )
                if result.rowcount != 1:
                    return False
                request = await session.get(CctvRequest, request_id)
                assert request is not None
                session.add(
                    ScheduledRun(
                        kind=CCTV_ESCALATION_KIND,
                        key=ladder_key(request_id, step.number),
                        scheduled_at=request.created_at + step.after,
                        claimed_at=now,
                        claimed_by=claimed_by[:64],
                        status=(RunStatus.SENT if send else RunStatus.SKIPPED_MISSED).value,
                        late=not send,
                    )
                )
                await session.flush()  # the unique (kind, key) decides here
                if not send:
                    return True
                view = await _view(session, request)
                if view is None:
                    return True
                for member, for_operator in await self._audience(session, step):
                    text, markup = render(view, step.number, for_operator)
                    enqueue(
                        session,
                        now=now,
                        chat_id=member.telegram_id,
                        purpose=CCTV_REQUEST,
                        text=text,
                        reply_markup=markup,
                        report_id=request.report_id,
                        dedupe_key=copy_key(request_id, step.number, member.telegram_id),
                    )
        except IntegrityError:
            return False
        return True

    async def _audience(
        self, session: AsyncSession, step: EscalationStep
    ) -> Sequence[tuple[Member, bool]]:
        """(member, is an operator) for the step, each once."""
        chosen: dict[int, tuple[Member, bool]] = {}
        if step.cctv:
            for operator in await _operators(session):
                chosen[operator.id or 0] = (operator, True)
        conditions = []
        if step.coordinators:
            conditions.append(col(Member.role) == Role.COORDINATOR.value)
        if step.admins:
            conditions.append(col(Member.is_admin).is_(True))
        if conditions:
            condition = conditions[0]
            for more in conditions[1:]:
                condition = condition | more
            query = (
                select(Member)
                .where(Member.status == Status.ACTIVE)
                .where(condition)
                .order_by(col(Member.id))
            )
            for member in (await session.exec(query)).all():
                chosen.setdefault(member.id or 0, (member, member.role is Role.CCTV))
        return list(chosen.values())

    # ---- figures -----------------------------------------------------------------------
    async def counts(self, start: datetime, end: datetime) -> CctvCounts:
        """Requests made in [start, end) and how they were answered (counts only)."""
        async with self._sessions() as session:
            query = (
                select(CctvRequest.created_at, CctvRequest.answered_at, CctvRequest.answer)
                .where(col(CctvRequest.created_at) >= start)
                .where(col(CctvRequest.created_at) < end)
            )
            rows = (await session.exec(query)).all()
        return count_requests((c, a, CctvAnswer(x) if x else None) for c, a, x in rows)
