"""An urgent report's alert as a member sees it now: text and buttons from its current state.

The outbox sender renders every alert, escalation and alert edit here at send time, and the
alert handler renders the pressed copy here, so all copies of one alert read the same.
Once acknowledged, alerts and escalations alike take one form, without buttons (an
escalation that was acknowledged before it went out says who responded instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import keyboards, texts
from bot.domain.incidents import AckKind, description_shown, reference
from storage.reports import ReportView


@dataclass(frozen=True)
class AlertMessage:
    text: str
    markup: InlineKeyboardMarkup | None  # None once acknowledged: the buttons go
    acknowledged: bool


def alert_message(
    view: ReportView, *, tz: ZoneInfo, escalate_minutes: int, escalation: bool = False
) -> AlertMessage:
    report = view.report
    report_id = report.id or 0
    reporter = view.reporter
    # Every copy goes beyond those allowed to /show it: a sensitive category's never says
    # what happened (bot.domain.incidents.description_shown).
    shown = description_shown(sensitive=view.category.sensitive)
    facts = texts.alert_facts(
        reference=reference(report_id),
        category=view.category.name,
        place=view.place,
        at=texts.local_time(report.created_at, tz),
        people_count=report.people_count,
        reporter=reporter.name if reporter is not None else None,
        reporter_role=reporter.role if reporter is not None else None,
        description=report.description if shown else None,
        withheld=not shown,
    )
    if report.acknowledged_at is not None:
        by = view.acknowledged_by.name if view.acknowledged_by is not None else None
        text = texts.acknowledged_alert(
            facts,
            by,
            texts.local_time(report.acknowledged_at, tz),
            attending=report.ack_kind is AckKind.ATTENDING,
        )
        return AlertMessage(text, None, acknowledged=True)
    if escalation:
        text = texts.escalated_alert(facts, escalate_minutes)
    else:
        text = texts.urgent_alert(facts)
    return AlertMessage(text, keyboards.alert_buttons(report_id), acknowledged=False)


def acknowledged_by(view: ReportView, tz: ZoneInfo) -> tuple[str | None, str]:
    """Who acknowledged (None: a member since removed) and when, in local time."""
    at = view.report.acknowledged_at
    name = view.acknowledged_by.name if view.acknowledged_by is not None else None
    return name, texts.local_time(at, tz) if at is not None else "?"
