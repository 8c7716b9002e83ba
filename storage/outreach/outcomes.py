"""Outcomes: a person's moves into accommodation (hostel, supported housing, private rented,
reconnected, hospital, custody), each with its date, recorded from /person. Audited (the
audit row says an outcome was recorded, never which).
"""

from __future__ import annotations

from datetime import date

from bot.domain.access.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.rough_sleeping import MoveOutcome
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Member, PersonOutcome
from storage.outreach.people import Lookup, find_person
from storage.outreach.records import person_subject


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
