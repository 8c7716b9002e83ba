"""Outcomes: a person's moves into accommodation (hostel, supported housing, private rented,
reconnected, hospital, custody), each with its date, recorded from /person. Audited.

An outcome holds no text: on erasure it stays as an anonymous count (its person unlinked),
so the figures of a past month do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.rough_sleeping import MoveOutcome
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Member, PersonOutcome
from storage.outreach.people import Lookup, find_person
from storage.outreach.records import members_by_id, person_subject


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


class Outcomes:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(
        self, person_id: int, outcome: MoveOutcome, moved_on: date, *, by: Member
    ) -> Lookup:
        """Record a move for a person (the record, or why it is gone). Audited."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            found = await find_person(session, person_id)
            if found.person is None:
                return found
            session.add(
                PersonOutcome(
                    person_id=person_id,
                    kind=outcome,
                    moved_on=moved_on,
                    recorded_by_id=by.id,
                    recorded_at=now,
                )
            )
            add_audit(
                session,
                at=now,
                action=AuditAction.PERSON_OUTCOME,
                actor_id=by.id,
                subject=person_subject(person_id),
                detail="outcome",
            )
            return found
