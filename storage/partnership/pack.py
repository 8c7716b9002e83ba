"""What only the quarterly meeting pack reads, over a window [start, end): when and where
reports were filed (for the night-time profile and the hotspot map) and how closed ones
ended (the coded outcomes of /close).

Times and points are read through ix_reports_created_at and closures through
ix_reports_closed_at, so the cost follows the window. Counts and coordinates only: never a
report's text or who filed it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, func, select

from bot.domain.reports.close_outcomes import CloseOutcome, parse_outcome
from storage.db import SessionFactory
from storage.models import Hotspot, Report


@dataclass(frozen=True)
class ReportPoint:
    lat: float
    lon: float
    urgent: bool
    at_hotspot: bool  # placed at its hotspot's centre (no point of its own)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class PackQueries:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def report_times(self, start: datetime, end: datetime) -> list[datetime]:
        """When each report in the window was filed (aware UTC), oldest first."""
        query = (
            select(Report.created_at)
            .where(col(Report.created_at) >= start)
            .where(col(Report.created_at) < end)
            .order_by(col(Report.created_at))
        )
        async with self._sessions() as session:
            return [_aware(at) for at in (await session.exec(query)).all()]

    async def report_points(self, start: datetime, end: datetime) -> list[ReportPoint]:
        """Where each report in the window was: its own point, else its hotspot's centre.

        Reports with neither (a typed place only) are left out: the map says how many.
        """
        query = (
            select(Report.lat, Report.lon, Report.urgent, Hotspot.lat, Hotspot.lon)
            .select_from(Report)
            .outerjoin(Hotspot, col(Hotspot.id) == col(Report.hotspot_id))
            .where(col(Report.created_at) >= start)
            .where(col(Report.created_at) < end)
            .where(col(Report.outside_area).is_(False))
            .order_by(col(Report.created_at), col(Report.id))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        points: list[ReportPoint] = []
        for lat, lon, urgent, hotspot_lat, hotspot_lon in rows:
            if lat is not None and lon is not None:
                points.append(ReportPoint(lat, lon, bool(urgent), False))
            elif hotspot_lat is not None and hotspot_lon is not None:
                points.append(ReportPoint(hotspot_lat, hotspot_lon, bool(urgent), True))
        return points

    async def outcome_codes(self, start: datetime, end: datetime) -> dict[CloseOutcome | None, int]:
        """Reports closed in the window by coded outcome; None: closed without a code."""
        query = (
            select(Report.outcome_code, func.count())
            .where(col(Report.closed_at) >= start)
            .where(col(Report.closed_at) < end)
            .group_by(col(Report.outcome_code))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        counted: Counter[CloseOutcome | None] = Counter()
        for code, n in rows:
            counted[parse_outcome(code)] += int(n)
        return dict(counted)
