"""What a copy of an urgent alert shows and where copies went: states, keys in the schedule
ledger, map pins, who attends. storage.alerts.alerts.Alerts answers the presses on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import CameraAnswer
from bot.domain.alerts.outbox_types import (
    ALERT_EDIT,
    ALERT_PIN,
    ALERT_PURPOSES,
    OutboxStatus,
    Priority,
)
from bot.domain.reports.incidents import ReportStatus
from storage.alerts.cctv_models import AlertCameraAnswer
from storage.alerts.outbox import enqueue
from storage.models import AlertAttendance, Hotspot, Member, OutboxMessage, Report

ESCALATION_KIND = "escalation"  # the schedule ledger's kind for escalation steps


def escalation_key(report_id: int, step: int) -> str:
    return f"report:{report_id}:step:{step}"


def pin_key(report_id: int, chat_id: int) -> str:
    """One map pin per chat and report, whichever copy (alert or escalation) brought it."""
    return f"{ALERT_PIN}:{report_id}:{chat_id}"


class Outcome(StrEnum):
    DONE = "done"
    UNCHANGED = "unchanged"  # already attending / not attending / acknowledged by someone
    NOT_RECEIVED = "not_received"  # the press did not come from a copy of this alert
    OWN_REPORT = "own_report"  # the reporter cannot respond to their own alert
    NOT_ALLOWED = "not_allowed"  # acknowledging needs a coordinator or an admin
    CLOSED = "closed"
    UNKNOWN = "unknown"  # no such urgent report


@dataclass(frozen=True)
class AlertState:
    """What a copy shows: compared after sending, to edit a copy that went out stale."""

    acknowledged_by_id: int | None
    attending: tuple[int, ...]
    closed: bool
    camera: tuple[tuple[int, str], ...] = ()  # CCTV operators' answers: (member id, answer)


@dataclass(frozen=True)
class Pressed:
    """Where a button was pressed: the chat and the message."""

    chat_id: int
    message_id: int


@dataclass(frozen=True)
class AlertCopy:
    row_id: int
    chat_id: int
    message_id: int
    step: int


@dataclass(frozen=True)
class Response:
    outcome: Outcome
    copy: AlertCopy | None = None


def may_acknowledge(member: Member) -> bool:
    """Taking ownership of an incident (it stops the escalation): coordinators and admins."""
    return member.is_active and (member.role is Role.COORDINATOR or member.is_admin)


async def edit_every_copy(
    session: AsyncSession, *, now: datetime, report_id: int, skip: Pressed | None = None
) -> None:
    """Queue an edit of every copy of this alert sent so far (they render at send time)."""
    copies = await session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.report_id == report_id)
        .where(col(OutboxMessage.purpose).in_(ALERT_PURPOSES))
        .where(OutboxMessage.status == OutboxStatus.SENT)
        .where(col(OutboxMessage.message_id).is_not(None))
        .order_by(col(OutboxMessage.id))
    )
    waiting = await session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.edit_message_id)
        .where(OutboxMessage.report_id == report_id)
        .where(OutboxMessage.purpose == ALERT_EDIT)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .where(OutboxMessage.attempts == 0)
    )
    untried = {(chat, message) for chat, message in waiting.all() if message is not None}
    # The pressed copy is edited by its handler at once; a copy with an edit still waiting
    # untried gets nothing more: that edit renders the state as it is when it goes.
    for copy in copies.all():
        if copy.message_id is None:
            continue
        where = (copy.chat_id, copy.message_id)
        if where in untried or (skip is not None and where == (skip.chat_id, skip.message_id)):
            continue
        enqueue(
            session,
            now=now,
            chat_id=copy.chat_id,
            purpose=ALERT_EDIT,
            priority=Priority.URGENT_FOLLOW_UP,
            report_id=report_id,
            edit_message_id=copy.message_id,
            alert_step=copy.alert_step,
        )


async def lock_report(session: AsyncSession, report_id: int) -> Report | None:
    """The report, its row locked until commit: responses and copy_sent take turns."""
    query = select(Report).where(Report.id == report_id).with_for_update()
    return (await session.exec(query)).first()


async def attending_ids(session: AsyncSession, report_id: int) -> tuple[int, ...]:
    query = (
        select(AlertAttendance.member_id)
        .where(AlertAttendance.report_id == report_id)
        .where(col(AlertAttendance.until).is_(None))
        .order_by(col(AlertAttendance.since), col(AlertAttendance.id))
    )
    return tuple((await session.exec(query)).all())


def state_of(
    report: Report, attending: tuple[int, ...], camera: tuple[tuple[int, str], ...] = ()
) -> AlertState:
    return AlertState(
        acknowledged_by_id=report.acknowledged_by_id if report.acknowledged_at else None,
        attending=attending,
        closed=report.status is ReportStatus.CLOSED,
        camera=camera,
    )


async def camera_answer_ids(session: AsyncSession, report_id: int) -> tuple[tuple[int, str], ...]:
    """(member id, answer) of each CCTV operator who answered on the alert, in order."""
    query = (
        select(AlertCameraAnswer.member_id, AlertCameraAnswer.answer)
        .where(AlertCameraAnswer.report_id == report_id)
        .order_by(col(AlertCameraAnswer.id))
    )
    return tuple((m, str(a)) for m, a in (await session.exec(query)).all())


async def camera_answers(
    session: AsyncSession, report_id: int
) -> list[tuple[Member, CameraAnswer]]:
    """Each CCTV operator's answer on the alert, with the operator, in order."""
    query = (
        select(Member, AlertCameraAnswer.answer)
        .join(AlertCameraAnswer, col(AlertCameraAnswer.member_id) == col(Member.id))
        .where(AlertCameraAnswer.report_id == report_id)
        .order_by(col(AlertCameraAnswer.id))
    )
    return [(m, CameraAnswer(a)) for m, a in (await session.exec(query)).all()]


def alert_coordinates(report: Report, hotspot: Hotspot | None) -> tuple[float, float] | None:
    """Where the map pin goes: the hotspot, else the location shared with the report."""
    if hotspot is not None:
        return hotspot.lat, hotspot.lon
    if report.lat is not None and report.lon is not None:
        return report.lat, report.lon
    return None


def queue_pins(
    session: AsyncSession,
    chats: Iterable[int],
    *,
    now: datetime,
    report_id: int,
    pinned: set[int] = frozenset(),  # type: ignore[assignment]
) -> None:
    """A map pin for each chat that has none for this report yet (after its alert copy)."""
    for chat_id in chats:
        if chat_id in pinned:
            continue
        enqueue(
            session,
            now=now,
            chat_id=chat_id,
            purpose=ALERT_PIN,
            priority=Priority.URGENT_FOLLOW_UP,
            report_id=report_id,
            dedupe_key=pin_key(report_id, chat_id),
        )


async def attending_members(session: AsyncSession, report_id: int) -> list[Member]:
    query = (
        select(Member)
        .join(AlertAttendance, col(AlertAttendance.member_id) == col(Member.id))
        .where(AlertAttendance.report_id == report_id)
        .where(col(AlertAttendance.until).is_(None))
        .order_by(col(AlertAttendance.since), col(AlertAttendance.id))
    )
    return list((await session.exec(query)).all())
