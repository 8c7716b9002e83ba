"""Where a staff-safety alert's copies go, and queueing them, their map pins and edits.

Copies are rendered at send time from the alert's current state (bot.jobs.safety_messages),
so a copy sent after a coordinator said "I'm contacting them" already shows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Role, Status
from bot.domain.alerts.escalation import EscalationStep
from bot.domain.alerts.outbox_types import (
    SAFETY,
    SAFETY_EDIT,
    SAFETY_PIN,
    OutboxStatus,
    Priority,
)
from bot.domain.alerts.staff_safety import SafetyKind
from storage.alerts.outbox import enqueue
from storage.models import DutySession, Member, OutboxMessage
from storage.safety.models import SafetyAlert


def copy_key(alert_id: int, step: int, chat_id: int) -> str:
    return f"{SAFETY}:{alert_id}:{step}:{chat_id}"


def pin_key(alert_id: int, chat_id: int) -> str:
    return f"{SAFETY_PIN}:{alert_id}:{chat_id}"


async def audience(
    session: AsyncSession,
    alert: SafetyAlert,
    *,
    step: EscalationStep | None,
    group_chat_id: int | None,
) -> list[int]:
    """The chats a copy goes to, each once, never the member's own: the group first.

    "Need help" (no step): coordinators, the group, CCTV operators and everyone on duty;
    a missed check-in: the ladder step's people.
    """
    if step is None:
        coordinators, group, admins, on_duty, cctv = True, True, False, True, True
    else:
        coordinators, group, admins, on_duty = (
            step.coordinators,
            step.group,
            step.admins,
            step.on_duty,
        )
        cctv = alert.kind is SafetyKind.HELP
    conditions = []
    if coordinators:
        conditions.append(col(Member.role) == Role.COORDINATOR.value)
    if admins:
        conditions.append(col(Member.is_admin).is_(True))
    if cctv:  # the control room gets every "Need help"
        conditions.append(col(Member.role) == Role.CCTV.value)
    if on_duty:
        conditions.append(
            select(DutySession.id)
            .where(DutySession.member_id == Member.id)
            .where(col(DutySession.ended_at).is_(None))
            .exists()
        )
    chats: list[int] = []
    if group and group_chat_id is not None:
        chats.append(group_chat_id)
    if conditions:
        condition = conditions[0]
        for more in conditions[1:]:
            condition = condition | more
        query = (
            select(Member.telegram_id)
            .where(Member.status == Status.ACTIVE)
            .where(col(Member.id) != alert.member_id)
            .where(condition)
            .order_by(col(Member.id))
        )
        chats.extend(c for c in (await session.exec(query)).all() if c not in chats)
    return chats


async def queue_copies(
    session: AsyncSession,
    alert: SafetyAlert,
    *,
    now: datetime,
    step: EscalationStep | None = None,
    group_chat_id: int | None = None,
    edits: bool = False,
    skip: tuple[int, int] | None = None,
) -> list[int]:
    """Queue the alert's copies (and a map pin per chat that has none), or with `edits`
    an edit of every copy sent so far (but the pressed one, `skip`). The chats queued."""
    alert_id = alert.id or 0
    if edits:
        sent = await session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.safety_alert_id == alert_id)
            .where(OutboxMessage.purpose == SAFETY)
            .where(OutboxMessage.status == OutboxStatus.SENT)
            .where(col(OutboxMessage.message_id).is_not(None))
            .order_by(col(OutboxMessage.id))
        )
        chats = []
        for copy in sent.all():
            if skip is not None and (copy.chat_id, copy.message_id) == skip:
                continue
            enqueue(
                session,
                now=now,
                chat_id=copy.chat_id,
                purpose=SAFETY_EDIT,
                priority=Priority.URGENT_FOLLOW_UP,
                edit_message_id=copy.message_id,
                alert_step=copy.alert_step,
                safety_alert_id=alert_id,
            )
            chats.append(copy.chat_id)
        return chats
    number = step.number if step is not None else 0
    chats = await audience(session, alert, step=step, group_chat_id=group_chat_id)
    pinned = set(
        (
            await session.exec(
                select(OutboxMessage.chat_id)
                .where(OutboxMessage.safety_alert_id == alert_id)
                .where(OutboxMessage.purpose == SAFETY_PIN)
            )
        ).all()
    )
    for chat_id in chats:
        enqueue(
            session,
            now=now,
            chat_id=chat_id,
            purpose=SAFETY,
            priority=Priority.STAFF_SAFETY,
            alert_step=number,
            safety_alert_id=alert_id,
            dedupe_key=copy_key(alert_id, number, chat_id),
        )
    if alert.lat is not None and alert.lon is not None:
        for chat_id in chats:
            if chat_id in pinned:
                continue
            enqueue(
                session,
                now=now,
                chat_id=chat_id,
                purpose=SAFETY_PIN,
                priority=Priority.STAFF_SAFETY_PIN,
                safety_alert_id=alert_id,
                dedupe_key=pin_key(alert_id, chat_id),
            )
    return chats
