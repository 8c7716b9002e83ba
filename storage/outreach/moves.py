"""A person's moves into accommodation, read and carried inside a caller's transaction:
the record shows them, a merge moves them, erasure unlinks them (they hold no text, so
they stay as anonymous counts and a past month's figures do not change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.rough_sleeping import MoveOutcome
from storage.models import PersonOutcome
from storage.outreach.records import members_by_id


@dataclass(frozen=True)
class OutcomeEntry:
    """One outcome on a person's record: what, dated when, recorded by whom and when."""

    outcome: MoveOutcome
    moved_on: date
    recorded_by: str | None
    recorded_at: datetime


async def outcomes_of(session: AsyncSession, person_id: int) -> list[OutcomeEntry]:
    """A person's outcomes, the latest move first."""
    query = (
        select(PersonOutcome)
        .where(col(PersonOutcome.person_id) == person_id)
        .order_by(col(PersonOutcome.moved_on).desc(), col(PersonOutcome.id).desc())
    )
    rows = list((await session.exec(query)).all())
    members = await members_by_id(session, [r.recorded_by_id for r in rows])
    return [
        OutcomeEntry(
            r.kind,
            r.moved_on,
            members[r.recorded_by_id].name if r.recorded_by_id in members else None,
            r.recorded_at,
        )
        for r in rows
    ]


async def move_outcomes(session: AsyncSession, keep_id: int, other_ids: Sequence[int]) -> None:
    """A merge: the other record's outcomes are the kept one's."""
    if other_ids:
        await session.exec(
            update(PersonOutcome)
            .where(col(PersonOutcome.person_id).in_(other_ids))
            .values(person_id=keep_id)
        )


async def detach_outcomes(session: AsyncSession, person_ids: Sequence[int]) -> None:
    """Erasure: outcomes stay as anonymous counts."""
    if person_ids:
        await session.exec(
            update(PersonOutcome)
            .where(col(PersonOutcome.person_id).in_(person_ids))
            .values(person_id=None)
        )


async def latest_moves(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, date]:
    """Each person's latest move date ("people seen recently" leaves them out)."""
    if not person_ids:
        return {}
    query = (
        select(PersonOutcome.person_id, func.max(PersonOutcome.moved_on))
        .where(col(PersonOutcome.person_id).in_(person_ids))
        .group_by(col(PersonOutcome.person_id))
    )
    return {pid: on for pid, on in (await session.exec(query)).all() if pid is not None}
