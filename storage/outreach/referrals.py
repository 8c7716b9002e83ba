"""The referral queue: rough sleepers seen, pushed to outreach, taken by a worker, closed with
an outcome, reopened when reported again after "not found"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Status
from bot.domain.alerts.outbox_types import (
    NOTICE,
    REFERRAL_COPY,
    REFERRAL_EDIT,
    OutboxStatus,
    Priority,
    referral_notice_key,
)
from bot.domain.clock import Clock
from bot.domain.outreach import OPEN_REFERRAL_STATUSES, ReferralOutcome, ReferralStatus
from bot.domain.referrals import REOPEN_WITHIN, NotFound, ReferralPlace, reopens
from storage.access.audit import add_audit
from storage.alerts.outbox import enqueue, mark_sent_in
from storage.db import SessionFactory
from storage.models import Hotspot, Member, OutboxMessage, Referral, Report
from storage.outreach.inputs import SightingIn
from storage.outreach.records import hotspots_by_id, members_by_id, place_label
from storage.outreach.referral_copies import (
    Pressed,
    ReferralState,
    attached_count,
    edit_every_copy,
    lock_referral,
    push_to_on_duty,
    state_of,
)


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    hotspot: Hotspot | None
    reporter: Member | None
    taken_by: Member | None
    report_description: str | None  # the source report's text, for referrals from reports
    closed_by: Member | None = None
    not_found_by: Member | None = None
    # Reports of the same rough sleeper after it was not found, oldest first.
    again: tuple[ReferralView, ...] = field(default=())

    @property
    def place(self) -> str:
        r = self.referral
        return place_label(self.hotspot, r.place_text, r.lat, r.lon)

    @property
    def description(self) -> str | None:
        return self.referral.appearance or self.report_description

    @property
    def is_open(self) -> bool:
        return self.referral.status in OPEN_REFERRAL_STATUSES

    @property
    def state(self) -> ReferralState:
        r = self.referral
        return ReferralState(r.status, r.taken_by_id, 1 + len(self.again))


@dataclass(frozen=True)
class TakeOutcome:
    view: ReferralView
    won: bool  # False: it was taken by someone else or closed already


@dataclass(frozen=True)
class Filed:
    """A referral filed: `referral` is the row for this report; `reopened` the not-found
    referral it was attached to (then `referral` waits inside it, not in the queue)."""

    referral: Referral
    reopened: Referral | None
    pushed: int  # copies queued to outreach workers on duty


def referral_subject(referral_id: int) -> str:
    """How the audit log names a referral: its id only."""
    return f"referral:{referral_id}"


# ---- filing (also inside Reports.file's transaction) --------------------------------------
ROUGH_SLEEPING_SLUG = "rough_sleeping"


@dataclass(frozen=True)
class SeenWith:
    """A report that also refers a rough sleeper (the in-danger "Rough sleeper seen": an
    urgent welfare report): when they were seen and what they look like."""

    seen_at: datetime
    appearance: str | None = None


async def _place_of(session: AsyncSession, r: Referral) -> ReferralPlace:
    point = (r.lat, r.lon) if r.lat is not None and r.lon is not None else None
    if point is None and r.hotspot_id is not None:
        hotspot = await session.get(Hotspot, r.hotspot_id)
        point = (hotspot.lat, hotspot.lon) if hotspot is not None else None
    return ReferralPlace(r.hotspot_id, r.place_text, point)


async def _not_found_since(session: AsyncSession, since: datetime) -> list[NotFound]:
    query = (
        select(Referral)
        .where(Referral.status == ReferralStatus.CLOSED)
        .where(Referral.outcome == ReferralOutcome.NOT_FOUND)
        .where(col(Referral.closed_at) >= since)
    )
    return [
        NotFound(r.id or 0, r.closed_at, await _place_of(session, r))
        for r in (await session.exec(query)).all()
        if r.closed_at is not None
    ]


async def file_referral(session: AsyncSession, referral: Referral, *, now: datetime) -> Filed:
    """Queue a new referral and push it to outreach on duty, in the caller's transaction.

    Reported again within a day of being closed "not found" at or near the same place, it
    reopens that referral instead: the new report is attached to it (both are shown) and
    the reopened referral is pushed again.
    """
    referral.touched_at = now
    session.add(referral)
    await session.flush()
    candidates = await _not_found_since(session, now - REOPEN_WITHIN)
    reopened_id = reopens(await _place_of(session, referral), candidates, now=now)
    old = await lock_referral(session, reopened_id) if reopened_id is not None else None
    if old is None or old.status is not ReferralStatus.CLOSED:
        return Filed(referral, None, await push_to_on_duty(session, referral, now=now))
    referral.status, referral.attached_to_id = ReferralStatus.ATTACHED, old.id
    old.status, old.reopened_at, old.touched_at = ReferralStatus.OPEN, now, now
    old.taken_by_id = old.taken_at = None
    old.closed_by_id = old.closed_at = old.outcome = None
    session.add_all([referral, old])
    await session.flush()
    # Pushed again as a new round: its old copies keep saying it was not found.
    return Filed(referral, old, await push_to_on_duty(session, old, now=now))


async def add_referral_for_report(
    session: AsyncSession,
    report: Report,
    *,
    now: datetime,
    seen_at: datetime | None = None,
    appearance: str | None = None,
) -> Filed:
    """Queue a referral for a report, in the report's own transaction.

    The report's text is not copied: the queue shows it from the report, so it exists once.
    (A welfare report raised from "Rough sleeper seen" passes the sighting's own time and
    appearance.)
    """
    referral = Referral(
        created_at=now,
        seen_at=seen_at or report.created_at,
        source_report_id=report.id,
        reporter_id=report.reporter_id,
        hotspot_id=report.hotspot_id,
        place_text=report.place_text,
        lat=report.lat,
        lon=report.lon,
        appearance=appearance,
        status=ReferralStatus.OPEN,
    )
    return await file_referral(session, referral, now=now)


def _enqueue_notice(
    session: AsyncSession,
    *,
    now: datetime,
    reporter: Member | None,
    text: str | None,
    key: str,
    referral_id: int | None = None,
) -> bool:
    if reporter is None or text is None or reporter.status is not Status.ACTIVE:
        return False
    enqueue(
        session,
        now=now,
        chat_id=reporter.telegram_id,
        purpose=NOTICE,
        priority=Priority.NORMAL,
        text=text,
        dedupe_key=key,
        referral_id=referral_id,
    )
    return True


async def close_referral(
    session: AsyncSession,
    referral_id: int,
    *,
    by: Member,
    outcome: ReferralOutcome,
    contact_id: int | None,
    notice: str | None,
    now: datetime,
    where_looked: str | None = None,
    skip: Pressed | None = None,
) -> bool:
    """Close an open or taken referral and tell its reporter (and the reporters of the
    reports attached to it); False when closed already. Its copies lose their buttons."""
    values: dict[str, object] = {
        "status": ReferralStatus.CLOSED,
        "closed_at": now,
        "closed_by_id": by.id,
        "outcome": outcome,
        "contact_id": contact_id,
    }
    if outcome is ReferralOutcome.NOT_FOUND:
        values.update(where_looked=where_looked, not_found_at=now, not_found_by_id=by.id)
    result = await session.exec(
        update(Referral)
        .where(col(Referral.id) == referral_id)
        .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
        .values(**values)
    )
    if result.rowcount != 1:
        return False
    if outcome is ReferralOutcome.NOT_FOUND:
        add_audit(
            session,
            at=now,
            action=AuditAction.REFERRAL_NOT_FOUND,
            actor_id=by.id,
            subject=referral_subject(referral_id),
        )
    attached = (
        await session.exec(
            select(Referral)
            .where(Referral.attached_to_id == referral_id)
            .where(Referral.status == ReferralStatus.ATTACHED)
        )
    ).all()
    told: set[int] = set()
    round_ = await attached_count(session, referral_id)
    for row in [await session.get(Referral, referral_id), *attached]:
        if row is None:
            continue
        if row.id != referral_id:
            row.status, row.closed_at, row.closed_by_id = ReferralStatus.CLOSED, now, by.id
            row.outcome, row.contact_id = outcome, contact_id
            session.add(row)
        reporter = await session.get(Member, row.reporter_id) if row.reporter_id else None
        if reporter is None or reporter.id in told:
            continue
        told.add(reporter.id or 0)
        key = referral_notice_key(row.id or 0, round_ if row.id == referral_id else 0)
        _enqueue_notice(
            session, now=now, reporter=reporter, text=notice, key=key, referral_id=row.id
        )
    await edit_every_copy(session, now=now, referral_id=referral_id, skip=skip)
    return True


async def referral_views(session: AsyncSession, ids: Sequence[int]) -> list[ReferralView]:
    if not ids:
        return []
    rows = (await session.exec(select(Referral).where(col(Referral.id).in_(ids)))).all()
    attached = (
        await session.exec(
            select(Referral)
            .where(col(Referral.attached_to_id).in_(ids))
            .order_by(col(Referral.created_at), col(Referral.id))
        )
    ).all()
    by_id = {r.id: r for r in rows}
    referrals = [by_id[i] for i in ids if i in by_id]
    everyone = [*referrals, *attached]
    members = await members_by_id(
        session,
        [
            m
            for r in everyone
            for m in (r.reporter_id, r.taken_by_id, r.closed_by_id, r.not_found_by_id)
        ],
    )
    hotspots = await hotspots_by_id(session, [r.hotspot_id for r in everyone])
    report_ids = [r.source_report_id for r in everyone if r.source_report_id is not None]
    descriptions: dict[int, str | None] = {}
    if report_ids:
        query = select(Report.id, Report.description).where(col(Report.id).in_(report_ids))
        descriptions = {i: d for i, d in (await session.exec(query)).all() if i is not None}

    def view(r: Referral, again: tuple[ReferralView, ...] = ()) -> ReferralView:
        return ReferralView(
            r,
            hotspots.get(r.hotspot_id),
            members.get(r.reporter_id),
            members.get(r.taken_by_id),
            descriptions.get(r.source_report_id) if r.source_report_id else None,
            members.get(r.closed_by_id),
            members.get(r.not_found_by_id),
            again,
        )

    return [
        view(r, tuple(view(a) for a in attached if a.attached_to_id == r.id)) for r in referrals
    ]


class Referrals:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add_sighting(self, sighting: SightingIn, *, reporter: Member) -> Referral:
        """ "Rough sleeper seen" from any member: queue a referral for outreach (pushed to
        outreach on duty). The row returned has `attached_to_id` set when the report
        reopened a referral not found earlier."""
        sighting = SightingIn.model_validate(sighting.model_dump())
        now = self._clock.now()
        referral = Referral(
            created_at=now,
            seen_at=sighting.seen_at,
            reporter_id=reporter.id,
            hotspot_id=sighting.hotspot_id,
            place_text=sighting.place_text,
            lat=sighting.lat,
            lon=sighting.lon,
            appearance=sighting.appearance,
            status=ReferralStatus.OPEN,
        )
        async with self._sessions() as session, session.begin():
            return (await file_referral(session, referral, now=now)).referral

    async def for_report(self, report_id: int) -> Referral | None:
        """The referral a report filed (a rough sleeping or rough sleeper welfare report)."""
        async with self._sessions() as session:
            query = select(Referral).where(Referral.source_report_id == report_id)
            return (await session.exec(query.order_by(col(Referral.id)))).first()

    async def referral(self, referral_id: int) -> ReferralView | None:
        async with self._sessions() as session:
            views = await referral_views(session, [referral_id])
            return views[0] if views else None

    async def open_referrals(self, *, limit: int = 10) -> tuple[list[ReferralView], int]:
        """The oldest open referrals first, and how many are open in all."""
        async with self._sessions() as session:
            open_ = col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES])
            total = int((await session.exec(select(func.count()).where(open_))).one())
            query = (
                select(Referral.id)
                .where(open_)
                .order_by(col(Referral.created_at), col(Referral.id))
                .limit(limit)
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            return await referral_views(session, ids), total

    async def is_copy(self, referral_id: int, pressed: Pressed) -> bool:
        """Whether the pressed message is a copy of this referral pushed to that chat."""
        async with self._sessions() as session:
            query = (
                select(OutboxMessage.id)
                .where(OutboxMessage.referral_id == referral_id)
                .where(OutboxMessage.purpose == REFERRAL_COPY)
                .where(OutboxMessage.chat_id == pressed.chat_id)
                .where(OutboxMessage.message_id == pressed.message_id)
            )
            return (await session.exec(query)).first() is not None

    async def waiting_for(self, telegram_id: int) -> int:
        """How many referral copies wait to be sent to this chat (told at /on)."""
        async with self._sessions() as session:
            query = (
                select(func.count())
                .where(OutboxMessage.chat_id == telegram_id)
                .where(OutboxMessage.purpose == REFERRAL_COPY)
                .where(OutboxMessage.status == OutboxStatus.PENDING)
            )
            return int((await session.exec(query)).one())

    async def overdue_referrals(self, *, older_than: timedelta) -> list[ReferralView]:
        """Open referrals nobody has touched (filed, reopened or taken) for `older_than`
        (TCAG_REFERRAL_OVERDUE_HOURS), longest untouched first.

        For the briefing: it shows counts, ages and places only, never descriptions.
        """
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(Referral.id)
                .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
                .where(col(Referral.touched_at) <= cutoff)
                .order_by(col(Referral.touched_at), col(Referral.id))
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            return await referral_views(session, ids)

    async def take(
        self, referral_id: int, *, by: Member, pressed: Pressed | None = None
    ) -> TakeOutcome | None:
        """Open → taken by this worker; the other copies then show who took it. None: no
        such referral."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Referral)
                .where(col(Referral.id) == referral_id)
                .where(col(Referral.status) == ReferralStatus.OPEN.value)
                .values(
                    status=ReferralStatus.TAKEN, taken_by_id=by.id, taken_at=now, touched_at=now
                )
            )
            won = result.rowcount == 1
            if won:
                await edit_every_copy(session, now=now, referral_id=referral_id, skip=pressed)
                add_audit(
                    session,
                    at=now,
                    action=AuditAction.REFERRAL_TAKEN,
                    actor_id=by.id,
                    subject=referral_subject(referral_id),
                )
        view = await self.referral(referral_id)
        return TakeOutcome(view, won) if view is not None else None

    async def not_found(
        self,
        referral_id: int,
        *,
        by: Member,
        where_looked: str,
        reporter_notice: str | None,
        pressed: Pressed | None = None,
    ) -> bool:
        """Close as "not found", noting where they looked, and tell the reporter; False
        when it was closed already."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            return await close_referral(
                session,
                referral_id,
                by=by,
                outcome=ReferralOutcome.NOT_FOUND,
                contact_id=None,
                notice=reporter_notice,
                now=now,
                where_looked=where_looked,
                skip=pressed,
            )

    async def copy_sent(self, row: OutboxMessage, message_id: int, shown: ReferralState) -> bool:
        """Mark a referral's copy sent; True when it also queued that copy's edit (the
        referral changed while the copy was on its way)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await mark_sent_in(session, row.id or 0, message_id, now=now)
            referral = await lock_referral(session, row.referral_id or 0)
            if referral is None or await state_of(session, referral) == shown:
                return False
            enqueue(
                session,
                now=now,
                chat_id=row.chat_id,
                purpose=REFERRAL_EDIT,
                priority=Priority.NORMAL,
                referral_id=referral.id,
                edit_message_id=message_id,
            )
        return True
