"""How outreach rows are named and read, shared by the outreach repositories."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.geo import point_label
from bot.domain.outreach import Flag, PersonFacts, split_slugs
from storage.models import Hotspot, Member, PersonRecord


def person_subject(person_id: int) -> str:
    """How the audit log names a person: the id only, never the alias."""
    return f"person:{person_id}"


def place_label(
    hotspot: Hotspot | None, place_text: str | None, lat: float | None, lon: float | None
) -> str:
    if hotspot is not None:
        return hotspot.name
    if place_text:
        return place_text
    if lat is not None and lon is not None:
        return point_label(lat, lon)
    return "place not given"


def facts(person: PersonRecord) -> PersonFacts:
    """A person record in domain terms, for texts and keyboards."""
    return PersonFacts(
        id=person.id or 0,
        alias=person.alias,
        age_band=person.age_band,
        appearance=person.appearance,
        gender=person.gender,
        usual_sites=person.usual_sites,
        flags=tuple(split_slugs(person.flags, Flag)),
        consent=person.consent_share,
        consent_at=person.consent_at,
        legal_name=person.legal_name if person.consent_share else None,
        first_seen=person.first_seen,
        last_seen=person.last_seen,
    )


async def members_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Member]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(Member).where(col(Member.id).in_(wanted)))
    return {m.id: m for m in rows.all() if m.id is not None}


async def hotspots_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Hotspot]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(Hotspot).where(col(Hotspot.id).in_(wanted)))
    return {h.id: h for h in rows.all() if h.id is not None}
