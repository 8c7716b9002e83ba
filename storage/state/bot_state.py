"""Bot state: what python-telegram-bot persists (conversation states, per-user drafts).

Rows are (kind, key) → JSON text. Only storage.state.persistence uses this; it decides the
kinds and keys and does the JSON.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, select

from bot.domain.clock import Clock
from storage.db import SessionFactory
from storage.models import BotState


class BotStates:
    def __init__(self, sessions: SessionFactory, clock: Clock, dialect: str) -> None:
        self._sessions = sessions
        self._clock = clock
        # Only the dialect in use is imported: the other one's module is megabytes.
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        self._insert = insert

    async def get_all(self, kind: str) -> dict[str, str]:
        """Every row of one kind: key → JSON text."""
        async with self._sessions() as session:
            query = select(BotState).where(BotState.kind == kind).order_by(col(BotState.key))
            return {row.key: row.data for row in (await session.exec(query)).all()}

    async def put(self, kind: str, key: str, data: str) -> None:
        """Insert or replace one row (one statement, so two writers never collide)."""
        now = self._clock.now()
        statement = self._insert(BotState).values(kind=kind, key=key, data=data, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["kind", "key"],
            set_={"data": statement.excluded.data, "updated_at": statement.excluded.updated_at},
        )
        async with self._sessions() as session, session.begin():
            await session.exec(statement)  # type: ignore[call-overload]

    async def delete(self, kind: str, key: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.exec(  # type: ignore[call-overload]
                delete(BotState).where(col(BotState.kind) == kind, col(BotState.key) == key)
            )
