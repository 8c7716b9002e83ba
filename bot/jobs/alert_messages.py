"""An urgent report's alert as one recipient sees it now: text and buttons from its state.

The outbox sender renders every alert, escalation and alert edit here at send time, and the
alert handler renders the pressed copy here, so all copies of one alert read the same: who
attends ("Attending: Wendy, Omar"), whether and by whom it was acknowledged, the step of the
escalation ladder the copy belongs to. What differs is the recipient's: the buttons they
may use (Acknowledge for coordinators and admins until someone has; Attending, or "Not
attending any more" once they do; the group copy carries all three), and a "nearest" mark
for a member on duty close to the place. A closed report's copies lose their buttons.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.config import Settings
from bot.context import Services
from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import may_request_review
from bot.domain.alerts.escalation import EscalationLadder, nearest_members
from bot.domain.alerts.outbox_types import ALERT, ALERT_EDIT, ESCALATION, SAFETY, SAFETY_EDIT
from bot.domain.reports.incidents import AckKind, ReportStatus, description_shown, reference
from bot.domain.safeguarding import concern_kind
from bot.keyboards import alerts as alert_keyboards
from bot.keyboards import cctv as cctv_keyboards
from bot.texts import alerts as alert_texts
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from storage.alerts.alert_copies import may_acknowledge
from storage.models import Member, OutboxMessage
from storage.reports import ReportView
from storage.store import Store


@dataclass(frozen=True)
class Recipient:
    """Whom a copy is for: a member's private chat, or the coordinators' group."""

    chat_id: int
    member: Member | None = None  # None: the group (or a chat no longer a member's)
    nearest_m: float | None = None  # set when they are among the nearest on duty

    @property
    def is_group(self) -> bool:
        return self.chat_id < 0


@dataclass(frozen=True)
class AlertMessage:
    text: str
    markup: InlineKeyboardMarkup | None  # None: no buttons (closed)
    acknowledged: bool


def alert_message(
    view: ReportView,
    *,
    tz: ZoneInfo,
    ladder: EscalationLadder,
    step: int = 0,
    recipient: Recipient | None = None,
) -> AlertMessage:
    report = view.report
    report_id = report.id or 0
    reporter = view.reporter
    # Every copy goes beyond those allowed to /show it: a sensitive category's never says
    # what happened (bot.domain.reports.incidents.description_shown).
    for_leads = (
        concern_kind(category_slug=view.category.slug, under_18=view.report.under_18) is not None
    )
    shown = description_shown(sensitive=view.category.sensitive or for_leads)
    facts = alert_texts.alert_facts(
        reference=reference(report_id),
        category=view.category.name,
        place=view.place,
        at=common_texts.local_time(report.created_at, tz),
        people_count=report.people_count,
        reporter=reporter.name if reporter is not None else None,
        reporter_role=reporter.role if reporter is not None else None,
        description=report.description if shown else None,
        withheld=not shown,
        for_leads=for_leads,
    )
    acknowledged = report.acknowledged_at is not None
    if acknowledged:
        name, at = acknowledged_by(view, tz)
        heading = alert_texts.alert_heading_acknowledged(
            name, at, legacy_attending=report.ack_kind is AckKind.ATTENDING
        )
    elif step > 0 and (escalation := ladder.step(step)) is not None:
        heading = alert_texts.alert_heading_escalated(escalation.minutes)
    else:
        heading = alert_texts.ALERT_HEADING_URGENT
    closed = report.status is ReportStatus.CLOSED
    text = alert_texts.alert_copy_text(
        heading,
        facts,
        attending=[m.name for m in view.attending],
        nearest_m=recipient.nearest_m if recipient is not None and not closed else None,
        closed=closed,
        camera=cctv_texts.camera_line([(m.name, a) for m, a in view.camera])
        if view.camera
        else None,
    )
    return AlertMessage(text, _buttons(view, recipient, closed=closed), acknowledged)


def _buttons(
    view: ReportView, recipient: Recipient | None, *, closed: bool
) -> InlineKeyboardMarkup | None:
    if closed:
        return None
    report_id = view.report.id or 0
    open_to_ack = view.report.acknowledged_at is None
    attending_ids = {m.id for m in view.attending}
    member = recipient.member if recipient is not None else None
    if recipient is None or recipient.is_group or member is None:
        # Shared by everyone in the group: each press is checked against who pressed it.
        return alert_keyboards.alert_keyboard(
            report_id, acknowledge=open_to_ack, attend=True, not_attending=bool(attending_ids)
        )
    if member.role is Role.CCTV:
        # The control room answers for its cameras; it neither attends nor takes ownership.
        given = next((a for m, a in view.camera if m.id == member.id), None)
        return alert_keyboards.camera_keyboard(report_id, answered=given)
    attends = member.id in attending_ids
    keyboard = alert_keyboards.alert_keyboard(
        report_id,
        acknowledge=open_to_ack and may_acknowledge(member),
        attend=not attends,
        not_attending=attends,
    )
    if may_request_review(member.role, is_admin=member.is_admin, is_reporter=False):
        return cctv_keyboards.with_request_button(keyboard, report_id)
    return keyboard


def acknowledged_by(view: ReportView, tz: ZoneInfo) -> tuple[str | None, str]:
    """Who acknowledged (None: a member since removed) and when, in local time."""
    at = view.report.acknowledged_at
    name = view.acknowledged_by.name if view.acknowledged_by is not None else None
    return name, common_texts.local_time(at, tz) if at is not None else "?"


def ladder_of(settings: Settings) -> EscalationLadder:
    """The escalation ladder the settings describe."""
    return EscalationLadder(
        first_minutes=settings.alert_escalate_minutes,
        second_minutes=settings.alert_escalate_second_minutes,
        repeat_minutes=settings.alert_escalate_repeat_minutes,
        repeats=settings.alert_escalate_repeats,
    )


async def recipient_for(
    store: Store, settings: Settings, view: ReportView, chat_id: int, member: Member | None
) -> Recipient:
    """The recipient of one copy, "nearest" mark included (the outbox batches this)."""
    if chat_id < 0 or member is None:
        return Recipient(chat_id)
    point = view.coordinates
    if not settings.alert_nearest_m or point is None:
        return Recipient(chat_id, member)
    fresh = timedelta(minutes=settings.own_location_fresh_minutes)
    positions = [
        p
        for p in await store.alerts.on_duty_positions(located_after=store.clock.now() - fresh)
        if p.member_id != view.report.reporter_id
    ]
    nearest = nearest_members(positions, *point, within_m=settings.alert_nearest_m)
    return Recipient(chat_id, member, nearest.get(member.id or 0))


# Rows rendered for their recipient: alert copies and edits, safety copies and edits.
_FOR_MEMBERS = frozenset({ALERT, ESCALATION, ALERT_EDIT, SAFETY, SAFETY_EDIT})


class SendBatch:
    """What one claimed batch shares, each read once: reports' views, the members the
    batch's alert copies go to, and who on duty is nearest each report."""

    def __init__(self, services: Services, rows: list[OutboxMessage]) -> None:
        self._services = services
        self._views: dict[int, ReportView | None] = {}
        self._nearest: dict[int, dict[int, float]] = {}
        self._members: dict[int, Member] | None = None
        self._alert_chats = {r.chat_id for r in rows if r.purpose in _FOR_MEMBERS}
        # The batch's chats ask at once: without the lock each would read the view itself
        # (100 reads at a time, queueing members' replies behind them for the pool).
        self._reading = asyncio.Lock()

    @property
    def _store(self) -> Store:
        return self._services.store

    async def view(self, report_id: int | None) -> ReportView | None:
        if report_id is None:
            return None
        async with self._reading:
            if report_id not in self._views:
                self._views[report_id] = await self._store.reports.view(report_id)
        return self._views[report_id]

    async def member_of(self, chat_id: int) -> Member | None:
        """The member a private copy goes to (read once per batch)."""
        if chat_id < 0:
            return None
        async with self._reading:
            if self._members is None:
                self._members = await self._store.alerts.members_by_chat(self._alert_chats)
        return self._members.get(chat_id)

    async def recipient(self, chat_id: int, view: ReportView) -> Recipient:
        """Whom this copy is for: their buttons, and whether they are among the nearest."""
        if chat_id < 0:
            return Recipient(chat_id)
        async with self._reading:
            if self._members is None:
                self._members = await self._store.alerts.members_by_chat(self._alert_chats)
            member = self._members.get(chat_id)
            report_id = view.report.id or 0
            if report_id not in self._nearest:
                self._nearest[report_id] = await self._nearest_to(view)
        if member is None:
            return Recipient(chat_id)
        return Recipient(chat_id, member, self._nearest[report_id].get(member.id or 0))

    async def _nearest_to(self, view: ReportView) -> dict[int, float]:
        within = self._services.settings.alert_nearest_m
        point = view.coordinates
        if not within or point is None:
            return {}
        services = self._services
        fresh = timedelta(minutes=services.settings.own_location_fresh_minutes)
        positions = await self._store.alerts.on_duty_positions(
            located_after=services.clock.now() - fresh
        )
        reporter_id = view.report.reporter_id
        return nearest_members(
            (p for p in positions if p.member_id != reporter_id), *point, within_m=within
        )
