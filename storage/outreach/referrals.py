"""The referral queue: rough sleepers seen, taken by a worker, closed with an outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Status
from bot.domain.alerts.outbox_types import NOTICE, Priority, referral_notice_key
from bot.domain.clock import Clock
from bot.domain.outreach import OPEN_REFERRAL_STATUSES, ReferralOutcome, ReferralStatus
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import Hotspot, Member, Referral, Report
from storage.outreach.inputs import SightingIn
from storage.outreach.records import hotspots_by_id, members_by_id, place_label


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    hotspot: Hotspot | None
    reporter: Member | None
    taken_by: Member | None
    report_description: str | None  # the source report's text, for referrals from reports
    closed_by: Member | None = None

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


@dataclass(frozen=True)
class TakeOutcome:
    view: ReferralView
    won: bool  # False: it was taken by someone else or closed already


# ---- referrals from reports (called inside Reports.file's transaction) -------------------
ROUGH_SLEEPING_SLUG = "rough_sleeping"


def add_referral_for_report(session: AsyncSession, report: Report, *, now: datetime) -> Referral:
    """Queue a referral for a rough sleeping report, in the report's own transaction.

    The report's text is not copied: the queue shows it from the report, so it exists once.
    """
    referral = Referral(
        created_at=now,
        seen_at=report.created_at,
        source_report_id=report.id,
        reporter_id=report.reporter_id,
        hotspot_id=report.hotspot_id,
        place_text=report.place_text,
        lat=report.lat,
        lon=report.lon,
        status=ReferralStatus.OPEN,
    )
    session.add(referral)
    return referral


def _enqueue_notice(
    session: AsyncSession, *, now: datetime, reporter: Member | None, text: str | None, key: str
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
) -> bool:
    """Close an open or taken referral and tell its reporter; False when closed already."""
    result = await session.exec(
        update(Referral)
        .where(col(Referral.id) == referral_id)
        .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
        .values(
            status=ReferralStatus.CLOSED,
            closed_at=now,
            closed_by_id=by.id,
            outcome=outcome,
            contact_id=contact_id,
        )
    )
    if result.rowcount != 1:
        return False
    referral = await session.get(Referral, referral_id)
    reporter = (
        await session.get(Member, referral.reporter_id)
        if referral is not None and referral.reporter_id
        else None
    )
    key = referral_notice_key(referral_id)
    _enqueue_notice(session, now=now, reporter=reporter, text=notice, key=key)
    return True


async def referral_views(session: AsyncSession, ids: Sequence[int]) -> list[ReferralView]:
    if not ids:
        return []
    rows = (await session.exec(select(Referral).where(col(Referral.id).in_(ids)))).all()
    by_id = {r.id: r for r in rows}
    referrals = [by_id[i] for i in ids if i in by_id]
    members = await members_by_id(
        session,
        [m for r in referrals for m in (r.reporter_id, r.taken_by_id, r.closed_by_id)],
    )
    hotspots = await hotspots_by_id(session, [r.hotspot_id for r in referrals])
    report_ids = [r.source_report_id for r in referrals if r.source_report_id is not None]
    descriptions: dict[int, str | None] = {}
    if report_ids:
        query = select(Report.id, Report.description).where(col(Report.id).in_(report_ids))
        descriptions = {i: d for i, d in (await session.exec(query)).all() if i is not None}
    return [
        ReferralView(
            r,
            hotspots.get(r.hotspot_id),
            members.get(r.reporter_id),
            members.get(r.taken_by_id),
            descriptions.get(r.source_report_id) if r.source_report_id else None,
            members.get(r.closed_by_id),
        )
        for r in referrals
    ]


class Referrals:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add_sighting(self, sighting: SightingIn, *, reporter: Member) -> Referral:
        """ "Rough sleeper seen" from any member: queue a referral for outreach."""
        sighting = SightingIn.model_validate(sighting.model_dump())
        referral = Referral(
            created_at=self._clock.now(),
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
            session.add(referral)
        return referral

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

    async def stale_referrals(self, *, older_than: timedelta) -> list[ReferralView]:
        """Referrals open longer than `older_than` (TCAG_REFERRAL_STALE_HOURS), oldest first.

        For the briefing: it should show counts, ages and places only, never descriptions.
        """
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(Referral.id)
                .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
                .where(col(Referral.created_at) <= cutoff)
                .order_by(col(Referral.created_at), col(Referral.id))
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            return await referral_views(session, ids)

    async def take(self, referral_id: int, *, by: Member) -> TakeOutcome | None:
        """Open → taken by this worker. None: no such referral."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Referral)
                .where(col(Referral.id) == referral_id)
                .where(col(Referral.status) == ReferralStatus.OPEN.value)
                .values(status=ReferralStatus.TAKEN, taken_by_id=by.id, taken_at=now)
            )
            won = result.rowcount == 1
        view = await self.referral(referral_id)
        return TakeOutcome(view, won) if view is not None else None

    async def not_found(self, referral_id: int, *, by: Member, reporter_notice: str | None) -> bool:
        """Close as "not found" and tell the reporter; False when it was closed already."""
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
            )
