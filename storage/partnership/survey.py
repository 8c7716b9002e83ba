"""The public perception survey's repository: rounds, anonymous answers, results.

Telegram ids come in (to be keyed) and never go into a row: every method that takes one
turns it into the round's person key first (bot.domain.partnership.survey.person_key).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.partnership.survey import (
    Answer,
    Progress,
    RoundResult,
    new_round_key,
    person_key,
    round_closes_at,
    share,
)
from bot.domain.periods import Quarter
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.partnership.survey_models import SurveyPending, SurveyResponse, SurveyRound

log = logging.getLogger(__name__)

PENDING_TTL = timedelta(minutes=15)  # how long "somewhere else" waits for the typed place


@dataclass(frozen=True)
class OpenRound:
    round_id: int
    key: bytes
    places: tuple[str, ...]
    opened_at: datetime
    closes_at: datetime

    def person(self, telegram_id: int) -> str:
        return person_key(self.key, telegram_id)


@dataclass(frozen=True)
class ClosedRound:
    round_id: int
    opened_at: datetime
    closed_at: datetime
    answers: int


class Surveys:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- rounds ---------------------------------------------------------------------------
    async def open_round(
        self, places: list[str], tz: ZoneInfo, *, by: int | None
    ) -> tuple[OpenRound, ClosedRound | None]:
        """A new round (closing the one open, its key destroyed), ending with the quarter."""
        closed = await self.close_round(by=by)
        now = self._clock.now()
        row = SurveyRound(
            opened_at=now,
            closes_at=round_closes_at(now, tz),
            round_key=new_round_key().hex(),
            places=json.dumps(places, ensure_ascii=False),
        )
        async with self._sessions() as session, session.begin():
            session.add(row)
            await session.flush()
            add_audit(
                session,
                at=now,
                action=AuditAction.SURVEY_OPENED,
                actor_id=by,
                subject=f"round {row.id}",
            )
        log.info("survey round %s opened", row.id)
        return _open(row), closed

    async def close_round(self, *, by: int | None) -> ClosedRound | None:
        """Close the open round: its key and every person key in it are deleted."""
        async with self._sessions() as session, session.begin():
            row = (
                await session.exec(
                    select(SurveyRound).where(col(SurveyRound.closed_at).is_(None)).limit(1)
                )
            ).first()
            if row is None:
                return None
            closed = await self._close(session, row, self._clock.now(), by)
        return closed

    async def current(self) -> OpenRound | None:
        """The round open now; one past its quarter's end is closed here (key destroyed)."""
        async with self._sessions() as session:
            row = (
                await session.exec(
                    select(SurveyRound).where(col(SurveyRound.closed_at).is_(None)).limit(1)
                )
            ).first()
        if row is None:
            return None
        if row.closes_at <= self._clock.now():
            async with self._sessions() as session, session.begin():
                await self._close(session, row, row.closes_at, None)
            return None
        return _open(row)

    async def _close(
        self, session: AsyncSession, row: SurveyRound, at: datetime, by: int | None
    ) -> ClosedRound:
        round_id = row.id or 0
        await session.exec(
            update(SurveyRound)
            .where(col(SurveyRound.id) == round_id)
            .values(closed_at=at, round_key=None)
        )
        await session.exec(
            update(SurveyResponse)
            .where(col(SurveyResponse.round_id) == round_id)
            .values(person_key=None)
        )
        await session.exec(delete(SurveyPending).where(col(SurveyPending.round_id) == round_id))
        count = (
            await session.exec(select(func.count()).where(col(SurveyResponse.round_id) == round_id))
        ).one()
        add_audit(
            session,
            at=self._clock.now(),
            action=AuditAction.SURVEY_CLOSED,
            actor_id=by,
            subject=f"round {round_id}",
            detail=f"{count} answers",
        )
        log.info("survey round %s closed: key destroyed", round_id)
        return ClosedRound(round_id, row.opened_at, at, int(count))

    # ---- answers --------------------------------------------------------------------------
    async def has_answered(self, round_id: int, person: str) -> bool:
        query = (
            select(SurveyResponse.id)
            .where(col(SurveyResponse.round_id) == round_id)
            .where(col(SurveyResponse.person_key) == person)
        )
        async with self._sessions() as session:
            return (await session.exec(query)).first() is not None

    async def save(
        self, round_id: int, person: str, progress: Progress, other_place: str | None = None
    ) -> bool:
        """Store one person's answer; False when they have already answered this round."""
        row = SurveyResponse(
            round_id=round_id,
            person_key=person,
            day=progress.day,
            dark=progress.dark,
            places=progress.places,
            other_place=other_place,
        )
        try:
            async with self._sessions() as session, session.begin():
                session.add(row)
                await session.exec(
                    delete(SurveyPending)
                    .where(col(SurveyPending.round_id) == round_id)
                    .where(col(SurveyPending.person_key) == person)
                )
        except IntegrityError:
            return False
        return True

    async def set_about(
        self, round_id: int, person: str, *, age: int | None = None, gender: int | None = None
    ) -> bool:
        """Add the optional age group or gender to one's answer, once each."""
        values: dict[str, int] = {}
        query = update(SurveyResponse).where(col(SurveyResponse.round_id) == round_id)
        query = query.where(col(SurveyResponse.person_key) == person)
        if age is not None:
            values["age"] = age
            query = query.where(col(SurveyResponse.age) == 0)
        if gender is not None:
            values["gender"] = gender
            query = query.where(col(SurveyResponse.gender) == 0)
        if not values:
            return False
        async with self._sessions() as session, session.begin():
            result = await session.exec(query.values(**values))
            return result.rowcount == 1

    # ---- "somewhere else": the typed place awaited ----------------------------------------
    async def await_place(self, round_id: int, person: str, progress: Progress) -> None:
        expires = self._clock.now() + PENDING_TTL
        async with self._sessions() as session, session.begin():
            await session.exec(
                delete(SurveyPending)
                .where(col(SurveyPending.round_id) == round_id)
                .where(col(SurveyPending.person_key) == person)
            )
            session.add(
                SurveyPending(
                    round_id=round_id,
                    person_key=person,
                    day=progress.day,
                    dark=progress.dark,
                    places=progress.places,
                    expires_at=expires,
                )
            )

    async def awaited_place(self, telegram_id: int) -> tuple[OpenRound, str, Progress] | None:
        """The open round, person key and taps of someone whose typed place is awaited."""
        current = await self.current()
        if current is None:
            return None
        person = current.person(telegram_id)
        query = (
            select(SurveyPending)
            .where(col(SurveyPending.round_id) == current.round_id)
            .where(col(SurveyPending.person_key) == person)
            .where(col(SurveyPending.expires_at) > self._clock.now())
        )
        async with self._sessions() as session:
            row = (await session.exec(query)).first()
        if row is None:
            return None
        return current, person, Progress(row.day, row.dark, row.places)

    # ---- figures --------------------------------------------------------------------------
    async def answers(self, round_id: int) -> list[Answer]:
        query = select(SurveyResponse).where(col(SurveyResponse.round_id) == round_id)
        async with self._sessions() as session:
            rows = (await session.exec(query.order_by(col(SurveyResponse.id)))).all()
        return [Answer(r.day, r.dark, r.places, r.other_place, r.age, r.gender) for r in rows]

    async def places_of(self, round_id: int) -> list[str]:
        async with self._sessions() as session:
            row = await session.get(SurveyRound, round_id)
        return list(json.loads(row.places)) if row is not None else []

    async def results(self, tz: ZoneInfo, *, until: Quarter | None = None) -> list[RoundResult]:
        """Every round's headline figures, oldest first (those opened up to `until`)."""
        async with self._sessions() as session:
            rounds = (
                await session.exec(select(SurveyRound).order_by(col(SurveyRound.opened_at)))
            ).all()
        results: list[RoundResult] = []
        for row in rounds:
            quarter = Quarter.containing(row.opened_at, tz)
            if until is not None and (quarter.year, quarter.number) > (until.year, until.number):
                continue
            answers = await self.answers(row.id or 0)
            results.append(
                RoundResult(
                    round_id=row.id or 0,
                    quarter=quarter,
                    opened_at=row.opened_at,
                    closed_at=row.closed_at,
                    n=len(answers),
                    day=share(answers, "day"),
                    dark=share(answers, "dark"),
                )
            )
        return results


def _open(row: SurveyRound) -> OpenRound:
    assert row.round_key is not None and row.id is not None
    return OpenRound(
        round_id=row.id,
        key=bytes.fromhex(row.round_key),
        places=tuple(json.loads(row.places)),
        opened_at=row.opened_at,
        closes_at=row.closes_at,
    )
