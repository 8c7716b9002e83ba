"""Partnership actions (/action): what the partnership agreed to do, owner, due, done.

Few rows (tens a year): the open list and the quarterly pack read them whole. The number
coordinators type in `/action done 3` is the row's id, as /action lists it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import col, select

from bot.domain.clock import Clock
from bot.domain.partnership.partnership_actions import NewAction
from storage.db import SessionFactory
from storage.models import Member, PartnershipAction


class PartnershipActions:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add(self, action: NewAction, *, by: Member) -> PartnershipAction:
        row = PartnershipAction(
            owner=action.owner,
            due=action.due,
            text=action.text,
            created_by_id=by.id,
            created_at=self._clock.now(),
        )
        async with self._sessions() as session, session.begin():
            session.add(row)
        return row

    async def done(self, action_id: int, *, by: Member) -> PartnershipAction | None:
        """Open → done; None when there is no such action or it was done already."""
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(PartnershipAction)
                .where(col(PartnershipAction.id) == action_id)
                .where(col(PartnershipAction.done_at).is_(None))
                .values(done_at=self._clock.now(), done_by_id=by.id)
            )
            if result.rowcount != 1:
                return None
            return await session.get(PartnershipAction, action_id)

    async def get(self, action_id: int) -> PartnershipAction | None:
        async with self._sessions() as session:
            return await session.get(PartnershipAction, action_id)

    async def open(self) -> list[PartnershipAction]:
        """Not done yet, soonest due first."""
        query = (
            select(PartnershipAction)
            .where(col(PartnershipAction.done_at).is_(None))
            .order_by(col(PartnershipAction.due), col(PartnershipAction.id))
        )
        async with self._sessions() as session:
            return list((await session.exec(query)).all())

    async def for_period(self, start: datetime, end: datetime) -> list[PartnershipAction]:
        """What a meeting pack lists: actions recorded before the end, open at the start or
        later (done inside the period, or still open), soonest due first."""
        query = (
            select(PartnershipAction)
            .where(col(PartnershipAction.created_at) < end)
            .where(
                or_(
                    col(PartnershipAction.done_at).is_(None),
                    col(PartnershipAction.done_at) >= start,
                )
            )
            .order_by(col(PartnershipAction.due), col(PartnershipAction.id))
        )
        async with self._sessions() as session:
            return list((await session.exec(query)).all())
