"""Read-only figures over a window [start, end) for briefings, digests and summaries.

Every report query is bounded by `reports.created_at` (ix_reports_created_at), so its cost
follows the window's rows, not the table's: a shift's digest reads that shift's reports
whatever the size of the table. Grouping happens in the database; only small aggregates
(at most one row per hour and category) come back. Counts only: never a report's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer, Select, cast, extract, func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.clock import Clock
from bot.domain.partnership.figures import (
    CategoryCount,
    HotspotCount,
    HourCount,
    StaffHours,
    UrgentIncident,
    sub_hour_offset,
)
from bot.domain.partnership.stats_scope import ScopeKind, StatsScope
from bot.domain.reports.incidents import AckKind, ReportStatus
from storage.db import SessionFactory
from storage.models import Category, DutySession, Hotspot, Member, Report
from storage.shifts import ENDED_AUTO


def _aware(value: datetime) -> datetime:
    """Aggregates bypass the column type, so SQLite's naive UTC comes back bare."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _in_window(
    start: datetime, end: datetime, scope: StatsScope | None = None
) -> tuple[ColumnElement[bool], ...]:
    """The window, narrowed to one hotspot or category when /stats names one (read through
    ix_reports_hotspot_id_created_at or ix_reports_category_id_created_at)."""
    window = (col(Report.created_at) >= start, col(Report.created_at) < end)
    if scope is None:
        return window
    column = Report.hotspot_id if scope.kind is ScopeKind.HOTSPOT else Report.category_id
    return (*window, col(column) == scope.id)


def _incident_columns() -> Select:
    """What a briefing or digest shows of an urgent report: never its description."""
    acknowledger = aliased(Member)
    return (
        sa_select(
            col(Report.id),
            col(Report.created_at),
            col(Report.category_id),
            col(Hotspot.name).label("hotspot"),
            col(Report.acknowledged_at),
            col(acknowledger.name).label("acknowledged_by"),
            col(Report.ack_kind),
            col(Report.escalated_at),
            col(Report.closed_at),
        )
        .select_from(Report)
        .outerjoin(Hotspot, col(Hotspot.id) == col(Report.hotspot_id))
        .outerjoin(acknowledger, col(acknowledger.id) == col(Report.acknowledged_by_id))
    )


class Stats:
    def __init__(self, sessions: SessionFactory, clock: Clock, dialect: str) -> None:
        self._sessions = sessions
        self._clock = clock
        self._dialect = dialect

    # ---- reports -----------------------------------------------------------------------
    async def total(
        self, start: datetime, end: datetime, *, scope: StatsScope | None = None
    ) -> int:
        async with self._sessions() as session:
            query = select(func.count()).select_from(Report).where(*_in_window(start, end, scope))
            return int((await session.exec(query)).one())

    async def by_category(
        self, start: datetime, end: datetime, *, scope: StatsScope | None = None
    ) -> list[CategoryCount]:
        """Reports per category (retired ones included), most first; empty ones left out."""
        query = (
            select(col(Report.category_id), func.count())
            .where(*_in_window(start, end, scope))
            .group_by(col(Report.category_id))
        )
        async with self._sessions() as session:
            counts = (await session.exec(query)).all()
            categories = await self._categories(session, [cid for cid, _ in counts])
        found = [
            CategoryCount(
                category_id=cid,
                name=categories[cid].name if cid in categories else "?",
                count=int(count),
                sort_order=categories[cid].sort_order if cid in categories else 0,
            )
            for cid, count in counts
        ]
        return sorted(found, key=lambda c: (-c.count, c.sort_order, c.category_id))

    async def by_hotspot(
        self,
        start: datetime,
        end: datetime,
        *,
        limit: int | None = None,
        scope: StatsScope | None = None,
    ) -> list[HotspotCount]:
        """Reports per hotspot, most first; reports at no hotspot are one row with id None.

        `limit` caps the named hotspots; the row for "not at a hotspot" always comes too.
        """
        query = (
            select(col(Report.hotspot_id), func.count())
            .where(*_in_window(start, end, scope))
            .group_by(col(Report.hotspot_id))
        )
        async with self._sessions() as session:
            counts = (await session.exec(query)).all()
            ids = [hid for hid, _ in counts if hid is not None]
            names: dict[int, str] = {}
            if ids:
                rows = await session.exec(
                    select(Hotspot.id, Hotspot.name).where(col(Hotspot.id).in_(ids))
                )
                names = {hid: name for hid, name in rows.all() if hid is not None}
        named = sorted(
            (HotspotCount(hid, names.get(hid, "?"), int(n)) for hid, n in counts if hid),
            key=lambda h: (-h.count, h.name or ""),
        )
        if limit is not None:
            named = named[:limit]
        elsewhere = [HotspotCount(None, None, int(n)) for hid, n in counts if hid is None]
        return named + elsewhere

    async def by_hour(
        self, start: datetime, end: datetime, tz: ZoneInfo, *, scope: StatsScope | None = None
    ) -> list[HourCount]:
        """Reports per local hour and category, in order; empty hours left out.

        Grouped on whole seconds since the epoch, shifted by the zone's offset past the UTC
        hour (0 in London, 30 min in India), so each bucket is one real local hour: the
        night the clocks go back has two 01:00 hours, as the people on shift lived them.
        """
        offset = sub_hour_offset(tz, start)
        if self._dialect == "sqlite":
            seconds = cast(func.strftime("%s", col(Report.created_at)), Integer)
        else:
            seconds = cast(func.floor(extract("epoch", col(Report.created_at))), BigInteger)
        # Integer division: floor for the non-negative values any report after 1970 has.
        bucket = ((seconds + literal(offset)) // literal(3600)).label("bucket")
        query = (
            select(bucket, col(Report.category_id), func.count())
            .where(*_in_window(start, end, scope))
            .group_by(bucket, col(Report.category_id))
            .order_by(bucket, col(Report.category_id))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return [
            HourCount(
                hour=datetime.fromtimestamp(int(b) * 3600 - offset, UTC),
                category_id=int(category_id),
                count=int(count),
            )
            for b, category_id, count in rows
        ]

    async def urgent(
        self, start: datetime, end: datetime, *, scope: StatsScope | None = None
    ) -> list[UrgentIncident]:
        """Urgent reports filed in the window, oldest first, with who acknowledged them."""
        query = (
            _incident_columns()
            .where(*_in_window(start, end, scope))
            .where(col(Report.urgent).is_(True))
            .order_by(col(Report.created_at), col(Report.id))
        )
        async with self._sessions() as session:
            return await self._incidents(session, query)

    async def open_urgent_before(
        self, before: datetime, *, limit: int = 50
    ) -> list[UrgentIncident]:
        """Urgent reports filed before `before` and still open, oldest first.

        Reads ix_reports_status_urgent_created_at: the open urgent ones only.
        """
        query = (
            _incident_columns()
            .where(col(Report.status) == ReportStatus.OPEN.value)
            .where(col(Report.urgent).is_(True))
            .where(col(Report.created_at) < before)
            .order_by(col(Report.created_at), col(Report.id))
            .limit(limit)
        )
        async with self._sessions() as session:
            return await self._incidents(session, query)

    async def _incidents(self, session: AsyncSession, query: Select) -> list[UrgentIncident]:
        rows = (await session.exec(query)).all()
        categories = await self._categories(session, [row.category_id for row in rows])
        return [
            UrgentIncident(
                report_id=row.id,
                created_at=_aware(row.created_at),
                category=categories[row.category_id].name if row.category_id in categories else "?",
                hotspot=row.hotspot,
                acknowledged_at=_aware(row.acknowledged_at) if row.acknowledged_at else None,
                acknowledged_by=row.acknowledged_by,
                attending=row.ack_kind == AckKind.ATTENDING.value,
                escalated=row.escalated_at is not None,
                closed_at=_aware(row.closed_at) if row.closed_at else None,
            )
            for row in rows
        ]

    @staticmethod
    async def _categories(session: AsyncSession, ids: Iterable[int]) -> dict[int, Category]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await session.exec(select(Category).where(col(Category.id).in_(wanted)))
        return {c.id: c for c in rows.all() if c.id is not None}

    # ---- duty ----------------------------------------------------------------------------
    async def staff_hours(self, start: datetime, end: datetime) -> StaffHours:
        """Hours on duty inside the window: each session counts for its overlap only.

        A session overlaps when it started before the end and had not ended by the start.
        Two reads, each on ix_duty_sessions_ended_at: sessions ending after the start (a
        range: this window's and later ones, not the whole history; the start is checked
        here so no planner is tempted by the unbounded "started before the end"), and the
        open ones, which count up to now (or the window's end, if earlier).
        """
        now = self._clock.now()
        columns = (
            col(DutySession.member_id),
            col(DutySession.started_at),
            col(DutySession.ended_at),
            col(DutySession.end_reason),
        )
        ended = sa_select(*columns).where(col(DutySession.ended_at) > start)
        still_open = sa_select(*columns).where(col(DutySession.ended_at).is_(None))
        async with self._sessions() as session:
            found = [*(await session.exec(ended)).all(), *(await session.exec(still_open)).all()]
        rows = [row for row in found if _aware(row.started_at) < end]
        seconds = 0.0
        members: set[int] = set()
        auto_closed = still_on = 0
        for member_id, started_at, ended_at, end_reason in rows:
            started_at = _aware(started_at)
            until = _aware(ended_at) if ended_at is not None else now
            seconds += max((min(until, end) - max(started_at, start)).total_seconds(), 0.0)
            members.add(member_id)
            if ended_at is None:
                still_on += 1
            elif end_reason == ENDED_AUTO:
                auto_closed += 1
        return StaffHours(
            hours=round(seconds / 3600, 2),
            members=len(members),
            sessions=len(rows),
            auto_closed=auto_closed,
            still_on=still_on,
        )
