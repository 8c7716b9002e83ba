"""Exports and partnership reports: the rows they carry, and the audit entry each leaves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.domain.access.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.partnership.csv_export import ReportLine
from bot.domain.reports.incidents import reference
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Category, Hotspot, Member, Report


class Exports:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def report_lines(self, start: datetime, end: datetime) -> list[ReportLine]:
        """Every report filed in [start, end), oldest first (ix_reports_created_at)."""
        reporter = aliased(Member)
        query = (
            select(Report, Category.name, Category.sensitive, Hotspot.name, reporter.role)
            .join(Category, col(Category.id) == col(Report.category_id))
            .outerjoin(Hotspot, col(Hotspot.id) == col(Report.hotspot_id))
            .outerjoin(reporter, col(reporter.id) == col(Report.reporter_id))
            .where(col(Report.created_at) >= start)
            .where(col(Report.created_at) < end)
            .order_by(col(Report.created_at), col(Report.id))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return [
            ReportLine(
                reference=reference(report.id or 0),
                created_at=report.created_at,
                category=category,
                hotspot=hotspot,
                place_text=report.place_text,
                lat=report.lat,
                lon=report.lon,
                urgent=report.urgent,
                people_count=report.people_count,
                source=report.source.value,
                status=report.status.value,
                reporter_role=role.value if role is not None else None,
                acknowledged_at=report.acknowledged_at,
                ack_kind=report.ack_kind.value if report.ack_kind else None,
                escalated_at=report.escalated_at,
                closed_at=report.closed_at,
                outcome=report.outcome,
                description=report.description,
                sensitive=sensitive or report.under_18,
            )
            for report, category, sensitive, hotspot, role in rows
        ]

    async def record(
        self, action: AuditAction, *, by: Member | None, subject: str, detail: str | None = None
    ) -> None:
        """Audit one export or report: who, what period, how many rows (never the data)."""
        async with self._sessions() as session, session.begin():
            add_audit(
                session,
                at=self._clock.now(),
                action=action,
                actor_id=by.id if by is not None else None,
                subject=subject[:64],
                detail=detail,
            )
