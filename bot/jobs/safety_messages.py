"""What a copy of a staff-safety alert says, rendered when it is sent (or edited) from the
alert's state: who, their role, their last sign of life, where they were last known (the
pin follows as a location message), and who is contacting them or that they answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup

from bot.config import Settings
from bot.context import Services
from bot.domain.alerts.outbox_types import SAFETY_EDIT
from bot.domain.alerts.send_budget import Level
from bot.domain.alerts.staff_safety import CheckInPlan, SafetyKind
from bot.jobs.alert_messages import ladder_of
from bot.keyboards import safety as keyboards
from bot.texts import safety as texts
from storage.models import Member, OutboxMessage
from storage.safety.alerts import SafetyState, SafetyView, may_acknowledge

# The outbox sender's paced call: (chat id, the Bot API call, its level in the send budget).
Paced = Callable[[int, Callable[[], Awaitable[Any]], Level], Awaitable[Any]]


class Undeliverable(Exception):
    """A safety row that can never be sent (its alert is gone, or it has no location)."""


@dataclass(frozen=True)
class SafetyMessage:
    text: str
    markup: InlineKeyboardMarkup | None


def checkin_plan(settings: Settings) -> CheckInPlan:
    return CheckInPlan(
        grace=timedelta(minutes=settings.checkin_grace_minutes),
        remind=timedelta(minutes=settings.checkin_remind_minutes),
        ladder=ladder_of(settings),
    )


def safety_message(
    view: SafetyView,
    *,
    now: datetime,
    tz: ZoneInfo,
    step: int,
    chat_id: int,
    recipient: Member | None,
) -> SafetyMessage:
    alert, member = view.alert, view.member
    if alert.kind is SafetyKind.MISSED:
        lines = [texts.missed_heading(member.name, member.role, step)]
        if alert.last_seen_at is not None:
            lines.append(texts.last_sign_of_life(alert.last_seen_at, now, tz))
    else:
        lines = [texts.help_heading(member.name, member.role, step)]
        lines.append(texts.help_pressed_at(alert.raised_at, tz))
    lines.append(texts.location_line(alert.located_at, tz, pinned=view.point is not None))
    markup = None
    if alert.answered_at is not None:
        lines.append(texts.answered_line(member.name, alert.answered_at, tz))
    elif alert.acknowledged_at is not None and view.acknowledged_by is not None:
        lines.append(texts.acknowledged_line(view.acknowledged_by.name, alert.acknowledged_at, tz))
    else:
        lines.append(texts.NOBODY_YET)
        # The group's copy, and a coordinator's or an admin's, can take it on.
        if chat_id < 0 or (recipient is not None and may_acknowledge(recipient)):
            markup = keyboards.contacting(alert.id or 0)
    return SafetyMessage(texts.safety_alert(lines), markup)


async def deliver_safety(
    row: OutboxMessage, services: Services, bot: Bot, paced: Paced, member: Member | None
) -> tuple[int, SafetyState | None]:
    """Send (or edit) one copy, rendered now; (message id, the state it showed)."""
    view = await services.store.safety.view(row.safety_alert_id)
    if view is None:
        raise Undeliverable("safety alert no longer exists")
    chat_id = row.chat_id
    message = safety_message(
        view,
        now=services.clock.now(),
        tz=services.settings.tz,
        step=row.alert_step or 0,
        chat_id=chat_id,
        recipient=member,
    )
    text, markup = message.text, message.markup
    if row.purpose == SAFETY_EDIT:
        message_id = row.edit_message_id
        if message_id is None:
            raise Undeliverable("edit without a message id")
        await paced(
            chat_id,
            lambda: bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            ),
            Level.URGENT,
        )
        return message_id, None
    sent = await paced(
        chat_id,
        lambda: bot.send_message(chat_id, text, reply_markup=markup),
        Level.STAFF_SAFETY,
    )
    return sent.message_id, view.state


async def deliver_safety_pin(row: OutboxMessage, services: Services, bot: Bot, paced: Paced) -> int:
    """Where the member was last known, as a map pin (a location message)."""
    view = await services.store.safety.view(row.safety_alert_id)
    point = view.point if view is not None else None
    if point is None:
        raise Undeliverable("the safety alert has no location")
    chat_id = row.chat_id
    sent = await paced(
        chat_id,
        lambda: bot.send_location(chat_id, latitude=point[0], longitude=point[1]),
        Level.STAFF_SAFETY,
    )
    return sent.message_id
