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

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.config import Settings
from bot.domain.alerts.escalation import EscalationLadder, nearest_members
from bot.domain.reports.incidents import AckKind, ReportStatus, description_shown, reference
from bot.domain.safeguarding import concern_kind
from bot.keyboards import alerts as alert_keyboards
from bot.texts import alerts as alert_texts
from bot.texts import common as common_texts
from storage.alerts.alert_copies import may_acknowledge
from storage.models import Member
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
    attends = member.id in attending_ids
    return alert_keyboards.alert_keyboard(
        report_id,
        acknowledge=open_to_ack and may_acknowledge(member),
        attend=not attends,
        not_attending=attends,
    )


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
