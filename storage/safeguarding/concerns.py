"""Safeguarding concerns: raised in the transaction of whatever raised them, delivered
through the outbox to every safeguarding lead (or the admins when there is none),
acknowledged once, what was done recorded once, and their own escalation ladder claimed
step by step in the schedule ledger (once across restarts and two instances). Every look
at a concern and every change to one is audited.

Copies are rendered at send time from the concern as it stands (bot.jobs.concern_messages),
so a copy sent after an acknowledgement already shows it; an acknowledgement or a recorded
action queues an edit of every copy sent before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import LEAD_ROLES, Status
from bot.domain.alerts.outbox_types import CONCERN, CONCERN_EDIT, OutboxStatus, Priority
from bot.domain.clock import Clock
from bot.domain.safeguarding import (
    OPEN_STATUSES,
    ConcernCounts,
    ConcernKind,
    ConcernSource,
    ConcernStatus,
    ConcernStep,
    LeadAction,
)
from bot.domain.shifts.schedule_plan import RunStatus
from storage.access.audit import add_audit
from storage.alerts.alert_copies import ESCALATION_KIND
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import (
    Category,
    Hotspot,
    Member,
    OutboxMessage,
    OutreachContact,
    PersonRecord,
    Report,
    ScheduledRun,
)
from storage.safeguarding.models import Concern
from storage.state.ledger import recorded_steps


def concern_subject(concern_id: int) -> str:
    """The audit log's subject of a concern (never what it says)."""
    return f"concern:{concern_id}"


def concern_step_key(concern_id: int, step: int) -> str:
    """The schedule ledger's key of one step of a concern's ladder."""
    return f"concern:{concern_id}:step:{step}"


class ConcernOutcome(StrEnum):
    DONE = "done"
    ALREADY = "already"  # someone acknowledged (or recorded) first
    NOT_YET = "not_yet"  # an action before anyone acknowledged (cannot happen by buttons)
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConcernView:
    """A concern with what a lead needs to read it."""

    concern: Concern
    report: Report | None
    category: Category | None
    hotspot: Hotspot | None
    raised_by: Member | None
    acknowledged_by: Member | None
    action_by: Member | None
    person_alias: str | None  # an outreach contact's person, when known

    @property
    def id(self) -> int:
        return self.concern.id or 0

    @property
    def place(self) -> str:
        c = self.concern
        if self.hotspot is not None:
            return self.hotspot.name
        if c.place_text:
            return c.place_text
        if c.lat is not None and c.lon is not None:
            return f"{c.lat:.5f}, {c.lon:.5f}"
        return "place not given"

    @property
    def details(self) -> str | None:
        """What the one who raised it said: the report's description, or the sighting's."""
        if self.report is not None:
            return self.report.description
        return self.concern.details

    @property
    def is_open(self) -> bool:
        return self.concern.status in OPEN_STATUSES


def is_lead_condition() -> ColumnElement[bool]:
    """A member with the flag and a role that may hold it (a role change clears it too)."""
    return col(Member.safeguarding_lead).is_(True) & col(Member.role).in_(
        [r.value for r in LEAD_ROLES]
    )


async def _chats(
    session: AsyncSession, condition: ColumnElement[bool], exclude_member_id: int | None
) -> list[int]:
    query = (
        select(Member.telegram_id)
        .where(Member.status == Status.ACTIVE)
        .where(col(Member.id) != (exclude_member_id or 0))
        .where(condition)
        .order_by(col(Member.id))
    )
    return list((await session.exec(query)).all())


async def concern_audience(
    session: AsyncSession, *, leads: bool, admins: bool, exclude_member_id: int | None
) -> list[int]:
    """Every lead's chat (the admins' when there is no lead), plus the admins' when
    `admins`; each once, never the one who raised it."""
    chats: list[int] = []
    if leads:
        chats = await _chats(session, is_lead_condition(), exclude_member_id)
        if not chats:
            admins = True
    if admins:
        more = await _chats(session, col(Member.is_admin).is_(True), exclude_member_id)
        chats.extend(c for c in more if c not in chats)
    return chats


def _queue_copies(
    session: AsyncSession, chats: list[int], *, now: datetime, concern_id: int, step: int
) -> None:
    for chat_id in chats:
        enqueue(
            session,
            now=now,
            chat_id=chat_id,
            purpose=CONCERN,
            priority=Priority.URGENT,
            concern_id=concern_id,
            alert_step=step,
            dedupe_key=f"{CONCERN}:{concern_id}:{step}:{chat_id}",
        )


async def raise_concern(
    session: AsyncSession,
    *,
    now: datetime,
    source: ConcernSource,
    kind: ConcernKind,
    raised_by_id: int | None,
    report: Report | None = None,
    contact: OutreachContact | None = None,
    hotspot_id: int | None = None,
    place_text: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    seen_at: datetime | None = None,
    details: str | None = None,
) -> Concern:
    """A new concern in the caller's transaction, with its copies to every lead queued."""
    where = report or contact
    if where is not None:
        hotspot_id, place_text = where.hotspot_id, where.place_text
        lat, lon = where.lat, where.lon
    concern = Concern(
        source=source,
        kind=kind,
        report_id=report.id if report is not None else None,
        contact_id=contact.id if contact is not None else None,
        raised_by_id=raised_by_id,
        raised_at=now,
        hotspot_id=hotspot_id,
        place_text=place_text,
        lat=lat,
        lon=lon,
        seen_at=seen_at or now,
        details=details,
        status=ConcernStatus.OPEN,
    )
    session.add(concern)
    await session.flush()
    concern_id = concern.id or 0
    add_audit(
        session,
        at=now,
        action=AuditAction.CONCERN_RAISED,
        actor_id=raised_by_id,
        subject=concern_subject(concern_id),
        detail=kind.value,
    )
    chats = await concern_audience(
        session, leads=True, admins=False, exclude_member_id=raised_by_id
    )
    _queue_copies(session, chats, now=now, concern_id=concern_id, step=0)
    return concern


async def _edit_every_copy(
    session: AsyncSession, *, now: datetime, concern_id: int, skip: tuple[int, int] | None
) -> None:
    """Queue an edit of every copy sent so far (they render the concern as it stands)."""
    copies = await session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.concern_id == concern_id)
        .where(OutboxMessage.purpose == CONCERN)
        .where(OutboxMessage.status == OutboxStatus.SENT)
        .where(col(OutboxMessage.message_id).is_not(None))
        .order_by(col(OutboxMessage.id))
    )
    for copy in copies.all():
        if copy.message_id is None or (copy.chat_id, copy.message_id) == skip:
            continue
        enqueue(
            session,
            now=now,
            chat_id=copy.chat_id,
            purpose=CONCERN_EDIT,
            priority=Priority.URGENT_FOLLOW_UP,
            concern_id=concern_id,
            edit_message_id=copy.message_id,
            alert_step=copy.alert_step,
        )


class Concerns:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- reading -------------------------------------------------------------------------
    async def view(self, concern_id: int) -> ConcernView | None:
        """For rendering its copies (the outbox): no one looks, so nothing is audited."""
        async with self._sessions() as session:
            return await self._view(session, concern_id)

    async def _view(self, session: AsyncSession, concern_id: int) -> ConcernView | None:
        concern = await session.get(Concern, concern_id)
        if concern is None:
            return None
        report = await session.get(Report, concern.report_id) if concern.report_id else None
        category = await session.get(Category, report.category_id) if report else None
        hotspot = await session.get(Hotspot, concern.hotspot_id) if concern.hotspot_id else None

        async def member(member_id: int | None) -> Member | None:
            return await session.get(Member, member_id) if member_id else None

        alias = None
        if concern.contact_id is not None:
            contact = await session.get(OutreachContact, concern.contact_id)
            person = (
                await session.get(PersonRecord, contact.person_id)
                if contact is not None and contact.person_id
                else None
            )
            if person is not None and not person.anonymised:
                alias = person.alias
        return ConcernView(
            concern,
            report,
            category,
            hotspot,
            await member(concern.raised_by_id),
            await member(concern.acknowledged_by_id),
            await member(concern.action_by_id),
            alias,
        )

    async def look(self, concern_id: int, *, by: Member) -> ConcernView | None:
        """A lead or an admin opens one concern: audited."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            view = await self._view(session, concern_id)
            if view is None:
                return None
            add_audit(
                session,
                at=now,
                action=AuditAction.CONCERN_VIEWED,
                actor_id=by.id,
                subject=concern_subject(concern_id),
            )
        return view

    async def open_list(self, *, by: Member, limit: int) -> tuple[list[ConcernView], int]:
        """Open concerns (not yet acknowledged first, then oldest first) and how many in
        all; the listing is audited."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            where = col(Concern.status).in_([s.value for s in OPEN_STATUSES])
            total = (
                await session.exec(select(func.count()).select_from(Concern).where(where))
            ).one()
            query = (
                select(Concern.id)
                .where(where)
                .order_by(col(Concern.acknowledged_at).is_not(None), col(Concern.raised_at))
                .limit(limit)
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            views = [v for i in ids if (v := await self._view(session, i)) is not None]
            add_audit(
                session,
                at=now,
                action=AuditAction.CONCERNS_LISTED,
                actor_id=by.id,
                detail=f"{len(views)} of {int(total)} open",
            )
        return views, int(total)

    async def leads(self) -> list[Member]:
        """Active safeguarding leads (a coordinator or outreach worker with the flag)."""
        async with self._sessions() as session:
            query = (
                select(Member)
                .where(Member.status == Status.ACTIVE)
                .where(is_lead_condition())
                .order_by(col(Member.id))
            )
            return list((await session.exec(query)).all())

    async def counts(self, start: datetime, end: datetime) -> ConcernCounts:
        """Raised in [start, end), how many of those acknowledged, and the median wait."""
        async with self._sessions() as session:
            query = (
                select(Concern.raised_at, Concern.acknowledged_at)
                .where(col(Concern.raised_at) >= start)
                .where(col(Concern.raised_at) < end)
            )
            rows = (await session.exec(query)).all()
        waits = [ack - raised for raised, ack in rows if ack is not None]
        return ConcernCounts.of(len(rows), waits)

    async def has_lead(self) -> bool:
        return bool(await self.leads())

    async def for_report(self, report_id: int) -> Concern | None:
        """The concern a report raised, if any."""
        async with self._sessions() as session:
            query = select(Concern).where(Concern.report_id == report_id).limit(1)
            return (await session.exec(query)).first()

    # ---- raised from "Rough sleeper seen" --------------------------------------------------
    async def raise_for_sighting(
        self,
        *,
        raised_by: Member,
        seen_at: datetime,
        hotspot_id: int | None,
        place_text: str | None,
        lat: float | None,
        lon: float | None,
        details: str | None,
    ) -> Concern:
        """A person who seems under 18 seen sleeping rough: a concern for the lead, never
        an adult outreach referral (StreetLink's scope is 18 and over)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            return await raise_concern(
                session,
                now=now,
                source=ConcernSource.SIGHTING,
                kind=ConcernKind.UNDER_18,
                raised_by_id=raised_by.id,
                hotspot_id=hotspot_id,
                place_text=place_text,
                lat=lat,
                lon=lon,
                seen_at=seen_at,
                details=details,
            )

    # ---- a lead's answers ----------------------------------------------------------------
    async def acknowledge(
        self, concern_id: int, *, by: Member, pressed: tuple[int, int] | None = None
    ) -> ConcernOutcome:
        """A lead (or an admin) takes it: its ladder stops; the first one wins."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Concern)
                .where(col(Concern.id) == concern_id)
                .where(col(Concern.status) == ConcernStatus.OPEN.value)
                .values(
                    status=ConcernStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by_id=by.id
                )
            )
            if result.rowcount != 1:
                exists = await session.get(Concern, concern_id)
                return ConcernOutcome.ALREADY if exists else ConcernOutcome.UNKNOWN
            add_audit(
                session,
                at=now,
                action=AuditAction.CONCERN_ACKNOWLEDGED,
                actor_id=by.id,
                subject=concern_subject(concern_id),
            )
            await _edit_every_copy(session, now=now, concern_id=concern_id, skip=pressed)
        return ConcernOutcome.DONE

    async def record_action(
        self,
        concern_id: int,
        action: LeadAction,
        note: str,
        *,
        by: Member,
    ) -> ConcernOutcome:
        """What was done, once, after an acknowledgement (the note is one line)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Concern)
                .where(col(Concern.id) == concern_id)
                .where(col(Concern.status) == ConcernStatus.ACKNOWLEDGED.value)
                .values(
                    status=ConcernStatus.DONE,
                    action=action,
                    action_note=note.strip()[:200],
                    action_at=now,
                    action_by_id=by.id,
                )
            )
            if result.rowcount != 1:
                existing = await session.get(Concern, concern_id)
                if existing is None:
                    return ConcernOutcome.UNKNOWN
                if existing.status is ConcernStatus.OPEN:
                    return ConcernOutcome.NOT_YET
                return ConcernOutcome.ALREADY
            add_audit(
                session,
                at=now,
                action=AuditAction.CONCERN_ACTION,
                actor_id=by.id,
                subject=concern_subject(concern_id),
                detail=action.value,
            )
            await _edit_every_copy(session, now=now, concern_id=concern_id, skip=None)
        return ConcernOutcome.DONE

    # ---- the ladder ----------------------------------------------------------------------
    async def unacknowledged(
        self, *, raised_after: datetime, older_than: timedelta
    ) -> list[tuple[int, datetime, set[int]]]:
        """(concern id, raised at, steps recorded) of concerns no lead acknowledged yet."""
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(Concern.id, Concern.raised_at)
                .where(Concern.status == ConcernStatus.OPEN)
                .where(col(Concern.raised_at) <= cutoff)
                .where(col(Concern.raised_at) > raised_after)
                .order_by(col(Concern.id))
            )
            found = [(i, at) for i, at in (await session.exec(query)).all() if i is not None]
            if not found:
                return []
            recorded = await recorded_steps(
                session,
                kind=ESCALATION_KIND,
                prefix="concern",
                ids=[i for i, _ in found],
                after=raised_after,
            )
        return [(i, at, recorded[i]) for i, at in found]

    async def escalate(
        self, concern_id: int, step: ConcernStep, *, claimed_by: str, send: bool = True
    ) -> bool:
        """Claim one step in the schedule ledger and queue its copies, in one transaction;
        False when it was claimed already or the concern was acknowledged meanwhile."""
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                concern = (
                    await session.exec(
                        select(Concern).where(Concern.id == concern_id).with_for_update()
                    )
                ).first()
                if concern is None or concern.status is not ConcernStatus.OPEN:
                    return False
                session.add(
                    ScheduledRun(
                        kind=ESCALATION_KIND,
                        key=concern_step_key(concern_id, step.number),
                        scheduled_at=concern.raised_at + step.after,
                        claimed_at=now,
                        claimed_by=claimed_by[:64],
                        status=(RunStatus.SENT if send else RunStatus.SKIPPED_MISSED).value,
                        late=not send,
                    )
                )
                await session.flush()  # the unique (kind, key) decides here
                if not send:
                    return True
                chats = await concern_audience(
                    session,
                    leads=step.leads,
                    admins=step.admins,
                    exclude_member_id=concern.raised_by_id,
                )
                _queue_copies(session, chats, now=now, concern_id=concern_id, step=step.number)
        except IntegrityError:
            return False
        return True
