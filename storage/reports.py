"""Reports: filing (with urgent alerts in the same transaction), follow-up and queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Role, Status
from bot.domain.alerts.cctv import CameraAnswer
from bot.domain.alerts.outbox_types import ALERT, NOTICE, Priority, closed_notice_key
from bot.domain.clock import Clock
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.domain.reports.incidents import AckKind, ReportStatus
from bot.domain.safeguarding import ConcernSource, concern_kind
from storage.alerts.alert_copies import (
    AlertState,
    Pressed,
    alert_coordinates,
    attending_members,
    camera_answers,
    edit_every_copy,
    queue_pins,
    state_of,
)
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import (
    Category,
    DutySession,
    Hotspot,
    Member,
    Report,
    ReportAttachment,
    ReportIn,
    ReportNote,
)
from storage.outreach.referrals import ROUGH_SLEEPING_SLUG, SeenWith, add_referral_for_report
from storage.safeguarding.concerns import raise_concern


@dataclass(frozen=True)
class ReportView:
    """A report with the names a person needs to read it."""

    report: Report
    category: Category
    hotspot: Hotspot | None
    reporter: Member | None
    acknowledged_by: Member | None = None
    closed_by: Member | None = None
    notes: list[ReportNote] = field(default_factory=list)
    attachments: list[ReportAttachment] = field(default_factory=list)
    attending: list[Member] = field(default_factory=list)  # urgent: who attends now
    # urgent: CCTV operators' answers on its alert, in order
    camera: list[tuple[Member, CameraAnswer]] = field(default_factory=list)

    @property
    def alert_state(self) -> AlertState:
        """What a copy of its alert shows (see storage.alerts.alerts)."""
        return state_of(
            self.report,
            tuple(m.id or 0 for m in self.attending),
            tuple((m.id or 0, str(a)) for m, a in self.camera),
        )

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """Where its map pin goes, if anywhere."""
        return alert_coordinates(self.report, self.hotspot)

    @property
    def place(self) -> str:
        if self.hotspot is not None:
            return self.hotspot.name
        if self.report.place_text:
            return self.report.place_text
        if self.report.lat is not None and self.report.lon is not None:
            return f"{self.report.lat:.5f}, {self.report.lon:.5f}"
        return "place not given"


@dataclass(frozen=True)
class AckOutcome:
    view: ReportView
    won: bool  # False: someone else acknowledged first


class Reports:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- filing ------------------------------------------------------------------------
    async def file(
        self,
        draft: ReportIn,
        *,
        reporter: Member,
        group_chat_id: int | None,
        referral: SeenWith | None = None,
    ) -> Report:
        """Store a confirmed report; an urgent one writes its alerts in the same transaction.

        A rough sleeping report, or one filed with `referral`, queues an outreach referral
        (pushed to outreach on duty) in that transaction too.
        """
        draft = ReportIn.model_validate(draft.model_dump())  # validate again: never trust callers
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            report = Report(
                reporter_id=reporter.id or 0,
                category_id=draft.category_id,
                hotspot_id=draft.hotspot_id,
                place_text=draft.place_text,
                lat=draft.lat,
                lon=draft.lon,
                outside_area=draft.outside_area,
                description=draft.description,
                people_count=draft.people_count,
                urgent=draft.urgent,
                under_18=draft.under_18,
                source=draft.source,
                status=ReportStatus.OPEN,
                created_at=now,
            )
            session.add(report)
            await session.flush()
            for kind, file_id in draft.attachments:
                session.add(
                    ReportAttachment(
                        report_id=report.id or 0,
                        kind=kind,
                        file_id=file_id,
                        added_by_id=reporter.id,
                        added_at=now,
                    )
                )
            category = await session.get(Category, draft.category_id)
            slug = category.slug if category is not None else None
            if report.under_18:
                pass  # a young person is never an adult outreach referral: a concern below
            elif referral is not None:
                await add_referral_for_report(
                    session, report, now=now, seen_at=referral.seen_at,
                    appearance=referral.appearance,
                )  # fmt: skip
            elif slug == ROUGH_SLEEPING_SLUG:
                await add_referral_for_report(session, report, now=now)  # the referral queue
            concern = concern_kind(category_slug=slug, under_18=report.under_18)
            if concern is not None:  # to every safeguarding lead (or the admins), privately
                await raise_concern(
                    session,
                    now=now,
                    source=ConcernSource.REPORT,
                    kind=concern,
                    raised_by_id=reporter.id,
                    report=report,
                )
            if report.urgent:
                chats = await self._alert_chats(session, exclude_member_id=reporter.id)
                if group_chat_id is not None:
                    chats.insert(0, group_chat_id)
                for chat_id in chats:
                    enqueue(
                        session,
                        now=now,
                        chat_id=chat_id,
                        purpose=ALERT,
                        priority=Priority.URGENT,
                        report_id=report.id,
                        alert_step=0,
                        dedupe_key=f"{ALERT}:{report.id}:{chat_id}",
                    )
                hotspot = (
                    await session.get(Hotspot, report.hotspot_id) if report.hotspot_id else None
                )
                if alert_coordinates(report, hotspot) is not None:
                    # After every copy's text (a lower priority): the pin never delays an alert.
                    queue_pins(session, chats, now=now, report_id=report.id or 0)
        return report

    async def _alert_chats(
        self, session: AsyncSession, *, exclude_member_id: int | None
    ) -> list[int]:
        """Every active member on duty now (any role), and every CCTV operator on duty or
        not (the control room watches all the time), except the reporter."""
        on_duty = (
            select(DutySession.id)
            .where(DutySession.member_id == Member.id)
            .where(col(DutySession.ended_at).is_(None))
            .exists()
        )
        query = (
            select(Member.telegram_id)
            .where(Member.status == Status.ACTIVE)
            .where(col(Member.id) != (exclude_member_id or 0))
            .where(on_duty | (col(Member.role) == Role.CCTV.value))
            .order_by(col(Member.id))
        )
        return list((await session.exec(query)).all())

    # ---- urgent follow-up --------------------------------------------------------------
    async def acknowledge(
        self, report_id: int, *, by: Member, kind: AckKind, pressed: tuple[int, int] | None = None
    ) -> AckOutcome | None:
        """Record an acknowledgement as it stands (imports, the demo, tests): the first one
        wins and every other sent copy gets an edit queued. None: no such report.

        Presses from alert copies go through storage.alerts.alerts.Alerts, which checks who may.
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Report)
                .where(col(Report.id) == report_id)
                .where(col(Report.urgent).is_(True))
                .where(col(Report.acknowledged_at).is_(None))
                .values(acknowledged_at=now, acknowledged_by_id=by.id, ack_kind=kind)
            )
            won = result.rowcount == 1
            if won:
                skip = Pressed(*pressed) if pressed is not None else None
                await edit_every_copy(session, now=now, report_id=report_id, skip=skip)
        view = await self.view(report_id)
        return AckOutcome(view, won) if view is not None else None

    # ---- after the fact ----------------------------------------------------------------
    async def add_note(
        self, report_id: int, *, author: Member, text: str, limit: int | None = None
    ) -> ReportNote | None:
        """Add an update; None when the report has `limit` updates already
        (TCAG_MAX_NOTES_PER_REPORT: /show must stay readable, and nobody can stall it)."""
        now = self._clock.now()
        note = ReportNote(report_id=report_id, author_id=author.id, text=text, created_at=now)
        async with self._sessions() as session, session.begin():
            if limit is not None and await self._count(session, ReportNote, report_id) >= limit:
                return None
            session.add(note)
        return note

    async def add_attachment(
        self, report_id: int, *, by: Member, kind: str, file_id: str, limit: int | None = None
    ) -> bool:
        """Add a photo or voice note; False when the report has `limit` already
        (TCAG_MAX_PHOTOS_PER_REPORT)."""
        async with self._sessions() as session, session.begin():
            if (
                limit is not None
                and await self._count(session, ReportAttachment, report_id) >= limit
            ):
                return False
            session.add(
                ReportAttachment(
                    report_id=report_id,
                    kind=kind,
                    file_id=file_id,
                    added_by_id=by.id,
                    added_at=self._clock.now(),
                )
            )
        return True

    async def _count(
        self,
        session: AsyncSession,
        model: type[ReportNote] | type[ReportAttachment],
        report_id: int,
    ) -> int:
        # The report's row is locked first (PostgreSQL), so two adds at once cannot both
        # take the last place.
        await session.exec(select(Report.id).where(Report.id == report_id).with_for_update())
        query = select(func.count()).select_from(model).where(model.report_id == report_id)
        return int((await session.exec(query)).one())

    async def close(
        self,
        report_id: int,
        *,
        by: Member,
        outcome: str,
        outcome_code: CloseOutcome | None = None,
        reporter_notice: str | None = None,
    ) -> Report | None:
        """Open → closed with an outcome (free text, and the coded one if chosen yet);
        None when it was not open.

        `reporter_notice` is queued for the reporter in the same transaction (unless they
        closed it themselves or are no longer active), so a crash cannot lose it.
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Report)
                .where(col(Report.id) == report_id)
                .where(col(Report.status) == ReportStatus.OPEN.value)
                .values(
                    status=ReportStatus.CLOSED,
                    closed_at=now,
                    closed_by_id=by.id,
                    outcome=outcome,
                    outcome_code=outcome_code,
                )
            )
            if result.rowcount != 1:
                return None
            report = await session.get(Report, report_id)
            assert report is not None
            if report.urgent:
                await edit_every_copy(session, now=now, report_id=report_id)  # buttons go
            reporter = await session.get(Member, report.reporter_id)
            if (
                reporter_notice
                and reporter is not None
                and reporter.is_active
                and reporter.id != by.id
            ):
                enqueue(
                    session,
                    now=now,
                    chat_id=reporter.telegram_id,
                    purpose=NOTICE,
                    text=reporter_notice,
                    report_id=report_id,  # an erasure finds it (the outcome may name someone)
                    dedupe_key=closed_notice_key(report_id),
                )
            return report

    async def set_outcome_code(self, report_id: int, code: CloseOutcome) -> bool:
        """The coded outcome of a closed report (chosen after `/close R-12 text`)."""
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Report)
                .where(col(Report.id) == report_id)
                .where(col(Report.status) == ReportStatus.CLOSED.value)
                .values(outcome_code=code)
            )
            return bool(result.rowcount == 1)

    # ---- reading -----------------------------------------------------------------------
    async def get(self, report_id: int) -> Report | None:
        async with self._sessions() as session:
            return await session.get(Report, report_id)

    async def view(self, report_id: int, *, with_details: bool = False) -> ReportView | None:
        async with self._sessions() as session:
            report = await session.get(Report, report_id)
            if report is None:
                return None
            return await self._view(session, report, with_details=with_details)

    async def _view(
        self, session: AsyncSession, report: Report, *, with_details: bool
    ) -> ReportView:
        category = await session.get(Category, report.category_id)
        assert category is not None  # foreign key
        hotspot = await session.get(Hotspot, report.hotspot_id) if report.hotspot_id else None
        reporter = await session.get(Member, report.reporter_id)
        acked = (
            await session.get(Member, report.acknowledged_by_id)
            if report.acknowledged_by_id
            else None
        )
        closed = await session.get(Member, report.closed_by_id) if report.closed_by_id else None
        notes: list[ReportNote] = []
        attachments: list[ReportAttachment] = []
        if with_details:
            notes = list(
                (
                    await session.exec(
                        select(ReportNote)
                        .where(ReportNote.report_id == report.id)
                        .order_by(col(ReportNote.id))
                    )
                ).all()
            )
            attachments = list(
                (
                    await session.exec(
                        select(ReportAttachment)
                        .where(ReportAttachment.report_id == report.id)
                        .order_by(col(ReportAttachment.id))
                    )
                ).all()
            )
        attending = await attending_members(session, report.id or 0) if report.urgent else []
        camera = await camera_answers(session, report.id or 0) if report.urgent else []
        return ReportView(
            report, category, hotspot, reporter, acked, closed, notes, attachments, attending,
            camera,
        )  # fmt: skip

    async def by_reporter(self, member_id: int, *, limit: int = 10) -> list[ReportView]:
        async with self._sessions() as session:
            query = (
                select(Report)
                .where(Report.reporter_id == member_id)
                .order_by(col(Report.created_at).desc(), col(Report.id).desc())
                .limit(limit)
            )
            reports = (await session.exec(query)).all()
            return [await self._view(session, r, with_details=False) for r in reports]

    async def open_urgent(self) -> list[ReportView]:
        async with self._sessions() as session:
            query = (
                select(Report)
                .where(Report.status == ReportStatus.OPEN)
                .where(col(Report.urgent).is_(True))
                .order_by(col(Report.created_at), col(Report.id))
            )
            reports = (await session.exec(query)).all()
            return [await self._view(session, r, with_details=False) for r in reports]

    async def created_between(self, start: datetime, end: datetime) -> list[Report]:
        async with self._sessions() as session:
            query = (
                select(Report)
                .where(col(Report.created_at) >= start)
                .where(col(Report.created_at) < end)
                .order_by(col(Report.created_at))
            )
            return list((await session.exec(query)).all())
