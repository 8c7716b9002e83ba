"""The audit log: written inside the transaction of the change it records."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import AuditAction
from storage.db import SessionFactory
from storage.models import AuditEntry


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
