"""A person's flags (safeguarding, risk to workers, ...) with who set each and when.

`person_flags` holds every flag ever set on a record: set by whom and when, cleared by
whom and when. The record's `flags` column mirrors the kinds still set (lists and searches
read it); both change together, here, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.outreach import Flag, join_slugs
from bot.domain.rough_sleeping import flag_rank
from storage.models import PersonFlagRow, PersonRecord
from storage.outreach.records import members_by_id

_KINDS = frozenset(f.value for f in Flag)


@dataclass(frozen=True)
class FlagSet:
    """One flag still set on a person: what, by whom (their name), since when."""

    flag: Flag
    set_by: str | None
    set_at: datetime


async def set_flags(
    session: AsyncSession,
    person: PersonRecord,
    flags: Iterable[Flag],
    *,
    by_id: int | None,
    now: datetime,
) -> None:
    """Make `flags` the person's flags: new ones are set by `by_id` now, the others cleared."""
    wanted = set(flags)
    person_id = person.id or 0
    rows = await _active(session, [person_id])
    have = {Flag(r.kind) for r in rows if r.kind in _KINDS}
    for flag in wanted - have:
        session.add(
            PersonFlagRow(person_id=person_id, kind=flag.value, set_by_id=by_id, set_at=now)
        )
    gone = [r.id for r in rows if r.kind not in {f.value for f in wanted}]
    if gone:
        await session.exec(
            update(PersonFlagRow)
            .where(col(PersonFlagRow.id).in_(gone))
            .values(cleared_at=now, cleared_by_id=by_id)
        )
    person.flags = join_slugs(wanted, Flag)


async def move_flags(
    session: AsyncSession, keep: PersonRecord, other_id: int, *, now: datetime
) -> None:
    """A merge: the other record's flags move to the kept one; a kind set on both stays
    once (the earlier setting), the later duplicate is cleared."""
    keep_id = keep.id or 0
    await session.exec(
        update(PersonFlagRow)
        .where(col(PersonFlagRow.person_id) == other_id)
        .values(person_id=keep_id)
    )
    seen: set[str] = set()
    duplicates: list[int] = []
    for row in sorted(await _active(session, [keep_id]), key=lambda r: (r.set_at, r.id or 0)):
        if row.kind in seen:
            duplicates.append(row.id or 0)
        seen.add(row.kind)
    if duplicates:
        await session.exec(
            update(PersonFlagRow)
            .where(col(PersonFlagRow.id).in_(duplicates))
            .values(cleared_at=now)
        )
    keep.flags = join_slugs((Flag(k) for k in seen if k in _KINDS), Flag)


async def delete_flags(session: AsyncSession, person_ids: Sequence[int]) -> int:
    """Erasure and retention: a person's flags go with their details."""
    if not person_ids:
        return 0
    result = await session.exec(
        delete(PersonFlagRow).where(col(PersonFlagRow.person_id).in_(person_ids))
    )
    return int(result.rowcount or 0)


async def flags_set(session: AsyncSession, person_id: int) -> list[FlagSet]:
    """The flags still set on a person, safeguarding and risk to workers first."""
    rows = [r for r in await _active(session, [person_id]) if r.kind in _KINDS]
    members = await members_by_id(session, [r.set_by_id for r in rows])
    shown = [
        FlagSet(
            Flag(r.kind), members[r.set_by_id].name if r.set_by_id in members else None, r.set_at
        )
        for r in rows
    ]
    return sorted(shown, key=lambda f: (flag_rank(f.flag), f.set_at))


async def _active(session: AsyncSession, person_ids: Sequence[int]) -> list[PersonFlagRow]:
    query = (
        select(PersonFlagRow)
        .where(col(PersonFlagRow.person_id).in_(person_ids))
        .where(col(PersonFlagRow.cleared_at).is_(None))
        .order_by(col(PersonFlagRow.set_at), col(PersonFlagRow.id))
    )
    return list((await session.exec(query)).all())
