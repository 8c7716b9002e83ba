"""Shift patterns (admins) and duty sessions (/on, /off), in the language of the domain.

Patterns are stored as wall-clock text ("4,5", "20:00", "03:00") and read back as
bot.shift_windows.ShiftPattern, so every timezone and DST question is answered there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.roles import Status
from bot.domain.alerts.outbox_types import Priority
from bot.domain.clock import Clock
from bot.domain.shifts.duty import MAX_DUTY, OwnLocation
from bot.domain.shifts.shift_windows import ShiftPattern, format_clock, parse_clock
from storage.alerts.outbox import enqueue
from storage.db import SessionFactory
from storage.models import DutySession, Member, ShiftPatternRow
from storage.outreach.referral_copies import push_waiting

log = logging.getLogger(__name__)

ENDED_OFF = "off"  # DutySession.end_reason: the member sent /off
ENDED_AUTO = "auto"  # closed automatically after the shift
DUTY_NOTICE = "duty_notice"  # outbox purpose: a member told their duty was closed


# ---- shift patterns ------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredShift:
    """A pattern with the id its buttons carry."""

    id: int
    pattern: ShiftPattern

    @property
    def name(self) -> str:
        return self.pattern.name


class ShiftProblem(StrEnum):
    NOT_FOUND = "not_found"
    NAME_TAKEN = "name_taken"


def _weekdays_text(days: frozenset[int]) -> str:
    return ",".join(str(day) for day in sorted(days))


def _to_domain(row: ShiftPatternRow) -> StoredShift:
    """Raises ValueError for a row someone edited by hand into nonsense."""
    days = frozenset(int(day) for day in row.weekdays.split(",") if day.strip())
    pattern = ShiftPattern(row.name, days, parse_clock(row.start_time), parse_clock(row.end_time))
    return StoredShift(row.id or 0, pattern)


def _fill(row: ShiftPatternRow, pattern: ShiftPattern) -> None:
    row.name = pattern.name
    row.weekdays = _weekdays_text(pattern.weekdays)
    row.start_time = format_clock(pattern.start)
    row.end_time = format_clock(pattern.end)


def _same_name(name: str) -> ColumnElement[bool]:
    return func.lower(ShiftPatternRow.name) == name.casefold()


class ShiftPatterns:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def active(self) -> list[StoredShift]:
        """Every pattern in use, earliest start first."""
        async with self._sessions() as session:
            query = select(ShiftPatternRow).where(col(ShiftPatternRow.removed_at).is_(None))
            rows = (await session.exec(query)).all()
        shifts: list[StoredShift] = []
        for row in rows:
            try:
                shifts.append(_to_domain(row))
            except ValueError:
                log.warning("shift pattern %s is unreadable and was left out", row.id)
        return sorted(shifts, key=lambda s: (s.pattern.start, s.name.casefold(), s.id))

    async def patterns(self) -> list[ShiftPattern]:
        """The patterns in use, as domain objects (the scheduler and digests read these)."""
        return [shift.pattern for shift in await self.active()]

    async def get(self, shift_id: int) -> StoredShift | None:
        async with self._sessions() as session:
            row = await session.get(ShiftPatternRow, shift_id)
        if row is None or row.removed_at is not None:
            return None
        try:
            return _to_domain(row)
        except ValueError:
            return None

    async def by_name(self, name: str) -> StoredShift | None:
        """The pattern in use with this name, in any letter case."""
        async with self._sessions() as session:
            query = (
                select(ShiftPatternRow)
                .where(_same_name(name.strip()))
                .where(col(ShiftPatternRow.removed_at).is_(None))
            )
            row = (await session.exec(query)).first()
        if row is None:
            return None
        try:
            return _to_domain(row)
        except ValueError:
            return None

    async def add(self, pattern: ShiftPattern) -> StoredShift | None:
        """None when a pattern in use has that name already (in any letter case)."""
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                if await self._name_in_use(session, pattern.name, except_id=None):
                    return None
                await self._forget_removed(session, pattern.name)
                row = ShiftPatternRow(
                    name="", weekdays="", start_time="", end_time="", created_at=now
                )
                _fill(row, pattern)
                session.add(row)
        except IntegrityError:  # the same name added at the same moment elsewhere
            return None
        return StoredShift(row.id or 0, pattern)

    async def change(self, shift_id: int, pattern: ShiftPattern) -> StoredShift | ShiftProblem:
        """Replace a pattern in use (name, days or times) with `pattern`."""
        try:
            async with self._sessions() as session, session.begin():
                row = await session.get(ShiftPatternRow, shift_id)
                if row is None or row.removed_at is not None:
                    return ShiftProblem.NOT_FOUND
                if await self._name_in_use(session, pattern.name, except_id=shift_id):
                    return ShiftProblem.NAME_TAKEN
                if row.name.casefold() != pattern.name.casefold():
                    await self._forget_removed(session, pattern.name)
                _fill(row, pattern)
                session.add(row)
        except IntegrityError:
            return ShiftProblem.NAME_TAKEN
        return StoredShift(shift_id, pattern)

    async def remove(self, shift_id: int) -> str | None:
        """Stop using a pattern (the row stays, marked removed); its name, or None."""
        return await self._remove(col(ShiftPatternRow.id) == shift_id)

    async def remove_by_name(self, name: str) -> str | None:
        """The same by name, in any letter case (the command line); also an unreadable one."""
        return await self._remove(_same_name(name.strip()))

    async def _remove(self, which: ColumnElement[bool]) -> str | None:
        async with self._sessions() as session, session.begin():
            query = (
                select(ShiftPatternRow)
                .where(which)
                .where(col(ShiftPatternRow.removed_at).is_(None))
                .with_for_update()
            )
            row = (await session.exec(query)).first()
            if row is None:
                return None
            row.removed_at = self._clock.now()
            session.add(row)
        return row.name

    @staticmethod
    async def _name_in_use(session: AsyncSession, name: str, *, except_id: int | None) -> bool:
        query = (
            select(ShiftPatternRow.id)
            .where(_same_name(name))
            .where(col(ShiftPatternRow.removed_at).is_(None))
        )
        if except_id is not None:
            query = query.where(col(ShiftPatternRow.id) != except_id)
        return (await session.exec(query)).first() is not None

    @staticmethod
    async def _forget_removed(session: AsyncSession, name: str) -> None:
        # Names are unique in the table; a removed pattern of the same name has nothing that
        # refers to it (the ledger keeps names as text), so it makes way for the new one.
        await session.exec(
            delete(ShiftPatternRow)
            .where(_same_name(name))
            .where(col(ShiftPatternRow.removed_at).is_not(None))
        )


# ---- duty ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OnDuty:
    """An open duty session and its member."""

    member: Member
    session: DutySession


@dataclass(frozen=True)
class DutyHours:
    """Time on duty inside a window: each session counts only for its overlap."""

    total_hours: float
    members: int
    auto_closed: int  # sessions in the window that were closed automatically


class Duty:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def current(self, member_id: int) -> DutySession | None:
        """The member's open duty session, if they are on duty."""
        async with self._sessions() as session:
            query = (
                select(DutySession)
                .where(DutySession.member_id == member_id)
                .where(col(DutySession.ended_at).is_(None))
                .order_by(col(DutySession.started_at).desc())
            )
            return (await session.exec(query)).first()

    async def start(
        self, member_id: int, *, lat: float | None = None, lon: float | None = None
    ) -> tuple[DutySession, bool]:
        """Go on duty; (the open session, True) or (the one already open, False).

        An outreach worker going on duty gets the referrals nobody has taken yet, queued
        in the same transaction (storage.outreach.referral_copies.push_waiting).
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            # Lock the member's row (PostgreSQL) so two /on at once open one session.
            lock = select(Member).where(Member.id == member_id).with_for_update()
            member = (await session.exec(lock)).first()
            query = (
                select(DutySession)
                .where(DutySession.member_id == member_id)
                .where(col(DutySession.ended_at).is_(None))
            )
            existing = (await session.exec(query)).first()
            if existing is not None:
                return existing, False
            located_at = now if lat is not None and lon is not None else None
            duty = DutySession(
                member_id=member_id, started_at=now, lat=lat, lon=lon, located_at=located_at
            )
            session.add(duty)
            if member is not None:  # an outreach worker gets the referrals waiting for them
                await push_waiting(session, member, now=now)
        return duty, True

    async def end(self, member_id: int) -> DutySession | None:
        """Go off duty (/off); the closed session, or None if they were not on duty."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = (
                select(DutySession)
                .where(DutySession.member_id == member_id)
                .where(col(DutySession.ended_at).is_(None))
                .with_for_update()
            )
            open_sessions = list((await session.exec(query)).all())
            for duty in open_sessions:
                duty.ended_at, duty.end_reason = max(now, duty.started_at), ENDED_OFF
                duty.lat = duty.lon = duty.located_at = None  # where they were is theirs only
                session.add(duty)
        return open_sessions[0] if open_sessions else None

    async def set_location(
        self, session_id: int, member_id: int, lat: float, lon: float
    ) -> DutySession | None:
        """Note where the member is on their open session; None if it is not theirs or closed."""
        async with self._sessions() as session, session.begin():
            duty = await session.get(DutySession, session_id)
            if duty is None or duty.member_id != member_id or duty.ended_at is not None:
                return None
            duty.lat, duty.lon, duty.located_at = lat, lon, self._clock.now()
            session.add(duty)
        return duty

    async def set_live_location(self, member_id: int, lat: float, lon: float) -> bool:
        """A live location's update, on the member's open duty; False if not on duty."""
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(DutySession)
                .where(col(DutySession.member_id) == member_id)
                .where(col(DutySession.ended_at).is_(None))
                .values(lat=lat, lon=lon, located_at=self._clock.now())
            )
        return bool(result.rowcount)

    async def own_location(self, member_id: int) -> OwnLocation | None:
        """Where the member on duty last was (however old: freshness is the caller's rule)."""
        duty = await self.current(member_id)
        if duty is None or duty.lat is None or duty.lon is None or duty.located_at is None:
            return None
        return OwnLocation(duty.lat, duty.lon, duty.located_at)

    async def open_sessions(self) -> list[OnDuty]:
        """Every open session with its member (whatever their status), earliest first."""
        async with self._sessions() as session:
            query = (
                select(DutySession, Member)
                .join(Member, col(Member.id) == col(DutySession.member_id))
                .where(col(DutySession.ended_at).is_(None))
                .order_by(col(DutySession.started_at), col(DutySession.id))
            )
            rows = (await session.exec(query)).all()
        return [OnDuty(member, duty) for duty, member in rows]

    async def on_duty_now(self) -> list[OnDuty]:
        """Active members on duty now, with their sessions, earliest on first."""
        return [d for d in await self.open_sessions() if d.member.status is Status.ACTIVE]

    async def on_duty(self) -> list[Member]:
        """Active members on duty now, earliest on first."""
        return [d.member for d in await self.on_duty_now()]

    async def close_automatically(
        self, session_id: int, *, at: datetime, chat_id: int | None, notice: str | None
    ) -> bool:
        """Close a duty left open, as at `at`, and queue the member's notice with it.

        False when it was closed meanwhile (/off, or another instance got there first).
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(DutySession)
                .where(col(DutySession.id) == session_id)
                .where(col(DutySession.ended_at).is_(None))
                .values(ended_at=at, end_reason=ENDED_AUTO, lat=None, lon=None, located_at=None)
            )
            if result.rowcount != 1:
                return False
            if chat_id is not None and notice is not None:
                enqueue(
                    session,
                    now=now,
                    chat_id=chat_id,
                    purpose=DUTY_NOTICE,
                    priority=Priority.NORMAL,
                    text=notice,
                    dedupe_key=f"{DUTY_NOTICE}:{session_id}",
                )
        return True

    async def sessions_between(self, start: datetime, end: datetime) -> list[DutySession]:
        """Sessions overlapping [start, end), open ones included, earliest first.

        A closed session lasts at most MAX_DUTY, so only those started since start - MAX_DUTY
        are read (ix_duty_sessions_started_at); open ones come from ix_duty_sessions_ended_at.
        """
        if end <= start:
            return []
        async with self._sessions() as session:
            query = (
                select(DutySession)
                .where(
                    or_(
                        (col(DutySession.started_at) >= start - MAX_DUTY)
                        & (col(DutySession.started_at) < end)
                        & (col(DutySession.ended_at) > start),
                        col(DutySession.ended_at).is_(None) & (col(DutySession.started_at) < end),
                    )
                )
                .order_by(col(DutySession.started_at), col(DutySession.id))
            )
            return list((await session.exec(query)).all())

    async def hours_between(self, start: datetime, end: datetime) -> DutyHours:
        """Hours on duty inside [start, end); open sessions count up to now."""
        now = self._clock.now()
        total = 0.0
        members: set[int] = set()
        auto_closed = 0
        for duty in await self.sessions_between(start, end):
            until = min(duty.ended_at or now, end)
            seconds = (until - max(duty.started_at, start)).total_seconds()
            if seconds > 0:
                total += seconds
                members.add(duty.member_id)
            if duty.end_reason == ENDED_AUTO:
                auto_closed += 1
        return DutyHours(total_hours=total / 3600, members=len(members), auto_closed=auto_closed)
