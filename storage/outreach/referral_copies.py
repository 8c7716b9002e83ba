"""Where a referral's copies went: pushed to outreach workers, edited when it changes.

A new referral is queued, in its own transaction, as one outbox row per outreach worker on
duty (`referral`); one who goes on duty later gets the referrals still waiting in the /on
transaction. The rows carry the referral's id, not its text: the outbox sender renders
each copy when it goes (bot.jobs.referral_messages), for its recipient, from the
referral as it is then. Taking, closing or reopening a referral queues an edit
(`referral_edit`) of every copy sent so far; a copy that was on its way while that
happened gets its edit from `copy_sent`, which locks the referral as those changes do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Role, Status
from bot.domain.alerts.outbox_types import REFERRAL_COPY, REFERRAL_EDIT, OutboxStatus, Priority
from bot.domain.outreach import ReferralStatus
from storage.alerts.outbox import enqueue
from storage.models import DutySession, Member, OutboxMessage, Referral

# At most this many waiting referrals are pushed to a worker going on duty (oldest first);
# the rest are in /referrals.
WAITING_PUSHED_AT_ON = 10


@dataclass(frozen=True)
class ReferralState:
    """What a copy shows: compared after sending, to edit a copy that went out stale."""

    status: ReferralStatus
    taken_by_id: int | None
    reports: int  # 1 + the reports attached to it since


@dataclass(frozen=True)
class Pressed:
    """Where a referral's button was pressed: the chat and the message."""

    chat_id: int
    message_id: int


def push_key(referral_id: int, round_: int, chat_id: int) -> str:
    """One copy per worker and round (a reopened referral is pushed again: round 1, 2…)."""
    return f"{REFERRAL_COPY}:{referral_id}:{round_}:{chat_id}"


async def lock_referral(session: AsyncSession, referral_id: int) -> Referral | None:
    query = select(Referral).where(Referral.id == referral_id).with_for_update()
    return (await session.exec(query)).first()


async def attached_count(session: AsyncSession, referral_id: int) -> int:
    query = select(func.count()).where(Referral.attached_to_id == referral_id)
    return int((await session.exec(query)).one())


async def state_of(session: AsyncSession, referral: Referral) -> ReferralState:
    return ReferralState(
        referral.status, referral.taken_by_id, 1 + await attached_count(session, referral.id or 0)
    )


def _queue_copy(
    session: AsyncSession, *, now: datetime, referral_id: int, round_: int, chat_id: int
) -> None:
    enqueue(
        session,
        now=now,
        chat_id=chat_id,
        purpose=REFERRAL_COPY,
        priority=Priority.NORMAL,
        referral_id=referral_id,
        dedupe_key=push_key(referral_id, round_, chat_id),
    )


async def push_to_on_duty(session: AsyncSession, referral: Referral, *, now: datetime) -> int:
    """A copy for every outreach worker on duty now but its reporter; how many (0: they
    get it at /on)."""
    await session.flush()
    referral_id = referral.id or 0
    round_ = await attached_count(session, referral_id)
    on_duty = (
        select(DutySession.id)
        .where(DutySession.member_id == Member.id)
        .where(col(DutySession.ended_at).is_(None))
        .exists()
    )
    query = (
        select(Member.telegram_id)
        .where(Member.status == Status.ACTIVE)
        .where(Member.role == Role.OUTREACH)
        .where(col(Member.id) != (referral.reporter_id or 0))
        .where(on_duty)
        .order_by(col(Member.id))
    )
    chats = list((await session.exec(query)).all())
    for chat_id in chats:
        _queue_copy(session, now=now, referral_id=referral_id, round_=round_, chat_id=chat_id)
    return len(chats)


async def push_waiting(session: AsyncSession, member: Member, *, now: datetime) -> int:
    """At /on: an outreach worker gets the referrals nobody has taken (but their own
    reports), oldest first, each once (a copy of the same round already sent or queued to
    them is not sent again)."""
    if member.role is not Role.OUTREACH or member.status is not Status.ACTIVE:
        return 0
    query = (
        select(Referral)
        .where(Referral.status == ReferralStatus.OPEN)
        .where(or_(col(Referral.reporter_id).is_(None), col(Referral.reporter_id) != member.id))
        .order_by(col(Referral.touched_at), col(Referral.id))
    )
    queued = 0
    for referral in (await session.exec(query)).all():
        referral_id = referral.id or 0
        round_ = await attached_count(session, referral_id)
        key = push_key(referral_id, round_, member.telegram_id)
        sent = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
        if (await session.exec(sent)).first() is not None:
            continue
        _queue_copy(
            session, now=now, referral_id=referral_id, round_=round_, chat_id=member.telegram_id
        )
        queued += 1
        if queued >= WAITING_PUSHED_AT_ON:
            break
    return queued


async def edit_every_copy(
    session: AsyncSession, *, now: datetime, referral_id: int, skip: Pressed | None = None
) -> int:
    """Queue an edit of every copy of this referral sent so far (rendered when it goes)."""
    copies = await session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.message_id)
        .where(OutboxMessage.referral_id == referral_id)
        .where(OutboxMessage.purpose == REFERRAL_COPY)
        .where(OutboxMessage.status == OutboxStatus.SENT)
        .where(col(OutboxMessage.message_id).is_not(None))
        .order_by(col(OutboxMessage.id))
    )
    waiting = await session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.edit_message_id)
        .where(OutboxMessage.referral_id == referral_id)
        .where(OutboxMessage.purpose == REFERRAL_EDIT)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .where(OutboxMessage.attempts == 0)
    )
    # An edit still waiting untried renders the referral as it is when it goes: no second.
    untried = {(chat, message) for chat, message in waiting.all()}
    queued = 0
    for chat_id, message_id in copies.all():
        where = (chat_id, message_id)
        if where in untried or (skip is not None and where == (skip.chat_id, skip.message_id)):
            continue
        enqueue(
            session,
            now=now,
            chat_id=chat_id,
            purpose=REFERRAL_EDIT,
            priority=Priority.NORMAL,
            referral_id=referral_id,
            edit_message_id=message_id,
        )
        queued += 1
    return queued
