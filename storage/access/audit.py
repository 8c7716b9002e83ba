"""The audit log: written inside the transaction of the change it records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bot.domain.access.audit import AuditAction
from storage.db import SessionFactory
from storage.models import AuditEntry, Member


def add_audit(
    session: AsyncSession,
    *,
    at: datetime,
    action: AuditAction,
    actor_id: int | None,
    subject_member_id: int | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            action=action.value,
            actor_id=actor_id,
            subject_member_id=subject_member_id,
            subject=subject,
            detail=detail[:200] if detail else None,
        )
    )


class AuditLog:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def recent(
        self,
        *,
        limit: int = 20,
        actor_id: int | None = None,
        action_prefix: str | None = None,
        subject_member_id: int | None = None,
    ) -> list[AuditEntry]:
        query = select(AuditEntry)
        if actor_id is not None:
            query = query.where(AuditEntry.actor_id == actor_id)
        if subject_member_id is not None:
            query = query.where(AuditEntry.subject_member_id == subject_member_id)
        if action_prefix:
            query = query.where(col(AuditEntry.action).startswith(action_prefix))
        query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
        async with self._sessions() as session:
            return list((await session.exec(query)).all())

    # ---- reading it: /audit and `tcag audit` ------------------------------------------
    async def page(
        self, *, offset: int, limit: int, member_id: int | None = None, action: str | None = None
    ) -> tuple[list[AuditRow], int]:
        """One page, newest first, and how many rows match in all.

        `member_id`: rows where that member acted or was acted on. `action`: see
        `action_matches`.
        """
        conditions = _conditions(member_id=member_id, action=action)
        count = select(func.count()).select_from(AuditEntry).where(*conditions)
        query = (
            _rows_query()
            .where(*conditions)
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            .offset(offset)
            .limit(limit)
        )
        async with self._sessions() as session:
            total = int((await session.exec(count)).one())
            rows = [_row(*r) for r in (await session.exec(query)).all()]
        return rows, total

    async def since(self, since: datetime, *, action: str | None = None) -> list[AuditRow]:
        """Every row at or after `since`, oldest first (for `tcag audit`)."""
        query = (
            _rows_query()
            .where(col(AuditEntry.at) >= since, *_conditions(action=action))
            .order_by(col(AuditEntry.at), col(AuditEntry.id))
        )
        async with self._sessions() as session:
            return [_row(*r) for r in (await session.exec(query)).all()]


@dataclass(frozen=True)
class AuditRow:
    """An audit entry with the names of the members in it (never anyone else's details)."""

    id: int
    at: datetime
    action: str
    actor_id: int | None
    actor_name: str | None
    subject_member_id: int | None
    subject_member_name: str | None
    subject: str | None
    detail: str | None


_Actor = aliased(Member)
_Subject = aliased(Member)


def _rows_query() -> Select[tuple[AuditEntry, str, str]]:
    return (
        select(AuditEntry, _Actor.name, _Subject.name)
        .outerjoin(_Actor, col(_Actor.id) == col(AuditEntry.actor_id))
        .outerjoin(_Subject, col(_Subject.id) == col(AuditEntry.subject_member_id))
    )


def _row(entry: AuditEntry, actor_name: str | None, subject_name: str | None) -> AuditRow:
    return AuditRow(
        id=entry.id or 0,
        at=entry.at,
        action=entry.action,
        actor_id=entry.actor_id,
        actor_name=actor_name,
        subject_member_id=entry.subject_member_id,
        subject_member_name=subject_name,
        subject=entry.subject,
        detail=entry.detail,
    )


def action_matches(term: str) -> ColumnElement[bool]:
    """`member.` matches member.*; a word matches an action starting with it, or whose part
    after the dot does (`export` matches data.exported). LIKE wildcards are taken literally."""
    action = col(AuditEntry.action)
    return or_(
        action.startswith(term, autoescape=True), action.contains("." + term, autoescape=True)
    )


def _conditions(
    *, member_id: int | None = None, action: str | None = None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if member_id is not None:
        conditions.append(
            or_(
                col(AuditEntry.actor_id) == member_id,
                col(AuditEntry.subject_member_id) == member_id,
            )
        )
    if action:
        conditions.append(action_matches(action))
    return conditions
