"""Categories and hotspots: the vocabulary of reports, managed by admins."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.clock import Clock
from bot.domain.geo import Place
from bot.domain.quick_report import DEFAULT_CATEGORIES, CategoryRule
from bot.domain.reports.incidents import SENSITIVE_BY_DEFAULT
from storage.db import SessionFactory
from storage.models import Category, Hotspot, Report


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:40] or "category"


def join_terms(terms: list[str] | tuple[str, ...]) -> str:
    cleaned = [t.strip().replace("|", " ") for t in terms]
    return "|".join(dict.fromkeys(t for t in cleaned if t))


class _Catalog:
    """A catalog table the quick-report matcher reads: its writes are counted.

    `changes` moves on after every write transaction (once it has committed, or failed), so
    a reader that caches what it read (handlers.reports' matcher) knows when to read again.
    It counts this process's writes only: another process's (`tcag hotspots import`) are
    seen when the reader's cache runs out.
    """

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self.changes = 0

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self._sessions() as session, session.begin():
                yield session
        finally:
            self.changes += 1


class Categories(_Catalog):
    async def seed_defaults(self) -> int:
        """Add the default categories to an empty table; returns how many were added."""
        now = self._clock.now()
        async with self._write() as session:
            if (await session.exec(select(func.count()).select_from(Category))).one():
                return 0
            for order, default in enumerate(DEFAULT_CATEGORIES):
                session.add(
                    Category(
                        slug=default.slug,
                        name=default.name,
                        keywords=join_terms(list(default.keywords)),
                        urgent=default.urgent,
                        sensitive=default.slug in SENSITIVE_BY_DEFAULT,
                        sort_order=order * 10,
                        created_at=now,
                    )
                )
        return len(DEFAULT_CATEGORIES)

    async def active(self) -> list[Category]:
        async with self._sessions() as session:
            query = (
                select(Category)
                .where(col(Category.retired_at).is_(None))
                .order_by(col(Category.sort_order), col(Category.id))
            )
            return list((await session.exec(query)).all())

    async def all(self) -> list[Category]:
        async with self._sessions() as session:
            query = select(Category).order_by(col(Category.sort_order), col(Category.id))
            return list((await session.exec(query)).all())

    async def get(self, category_id: int) -> Category | None:
        async with self._sessions() as session:
            return await session.get(Category, category_id)

    async def by_slug(self, slug: str) -> Category | None:
        async with self._sessions() as session:
            return (await session.exec(select(Category).where(Category.slug == slug))).first()

    async def rules(self) -> list[CategoryRule]:
        """What the quick-report matcher reads."""
        return [
            CategoryRule(
                id=c.id or 0, name=c.name, keywords=c.keyword_list, urgent=c.urgent, slug=c.slug
            )
            for c in await self.active()
        ]

    async def uses_by(self, member_id: int, *, since: datetime) -> dict[int, int]:
        """How many reports the member filed in each category since then (the guided
        picker shows their most used first). ix_reports_reporter_id_created_at bounds it."""
        async with self._sessions() as session:
            uses = func.count(col(Report.id))
            query = (
                select(Report.category_id, uses)
                .where(Report.reporter_id == member_id)
                .where(col(Report.created_at) >= since)
                .group_by(col(Report.category_id))
            )
            return {category_id: count for category_id, count in (await session.exec(query))}

    async def add(self, name: str, *, keywords: list[str], urgent: bool) -> Category | None:
        """None when a category with that name (or slug) exists already."""
        now = self._clock.now()
        slug = _slug(name)
        async with self._write() as session:
            clash = select(Category).where(
                (Category.slug == slug) | (func.lower(Category.name) == name.casefold())
            )
            if (await session.exec(clash)).first() is not None:
                return None
            last = (await session.exec(select(func.max(Category.sort_order)))).one() or 0
            category = Category(
                slug=slug,
                name=name,
                keywords=join_terms(keywords),
                urgent=urgent,
                sort_order=last + 10,
                created_at=now,
            )
            session.add(category)
        return category

    async def rename(self, category_id: int, name: str) -> Category | None:
        """None when there is no such category or another one has that name already."""
        async with self._write() as session:
            category = await session.get(Category, category_id)
            clash = select(Category).where(
                func.lower(Category.name) == name.casefold(), Category.id != category_id
            )
            if category is None or (await session.exec(clash)).first() is not None:
                return None
            category.name = name
            session.add(category)
        return category

    async def update(
        self,
        category_id: int,
        *,
        name: str | None = None,
        keywords: list[str] | None = None,
        urgent: bool | None = None,
        sensitive: bool | None = None,
        retired: bool | None = None,
    ) -> Category | None:
        async with self._write() as session:
            category = await session.get(Category, category_id)
            if category is None:
                return None
            if name is not None:
                category.name = name
            if keywords is not None:
                category.keywords = join_terms(keywords)
            if urgent is not None:
                category.urgent = urgent
            if sensitive is not None:
                category.sensitive = sensitive
            if retired is not None:
                category.retired_at = self._clock.now() if retired else None
            session.add(category)
        return category


@dataclass(frozen=True)
class HotspotIn:
    name: str
    lat: float
    lon: float
    radius_m: float = 100.0
    aliases: tuple[str, ...] = ()


class Hotspots(_Catalog):
    async def active(self) -> list[Hotspot]:
        async with self._sessions() as session:
            query = (
                select(Hotspot).where(col(Hotspot.retired_at).is_(None)).order_by(col(Hotspot.name))
            )
            return list((await session.exec(query)).all())

    async def most_used(self, limit: int = 8) -> list[Hotspot]:
        """Active hotspots, the most reported first: what a reporter most likely wants."""
        async with self._sessions() as session:
            uses = func.count(col(Report.id))
            query = (
                select(Hotspot, uses)
                .outerjoin(Report, col(Report.hotspot_id) == col(Hotspot.id))
                .where(col(Hotspot.retired_at).is_(None))
                .group_by(col(Hotspot.id))
                .order_by(uses.desc(), col(Hotspot.name))
                .limit(limit)
            )
            return [row[0] for row in (await session.exec(query)).all()]

    async def places(self) -> list[Place]:
        return [
            Place(
                id=h.id or 0,
                name=h.name,
                lat=h.lat,
                lon=h.lon,
                radius_m=h.radius_m,
                aliases=h.alias_list,
            )
            for h in await self.active()
        ]

    async def get(self, hotspot_id: int) -> Hotspot | None:
        async with self._sessions() as session:
            return await session.get(Hotspot, hotspot_id)

    async def by_name(self, name: str) -> Hotspot | None:
        async with self._sessions() as session:
            query = select(Hotspot).where(func.lower(Hotspot.name) == name.casefold())
            return (await session.exec(query)).first()

    async def upsert(self, place: HotspotIn) -> tuple[Hotspot, bool]:
        """Add, or update the one with this name (case-insensitive); (row, created)."""
        now = self._clock.now()
        async with self._write() as session:
            query = select(Hotspot).where(func.lower(Hotspot.name) == place.name.casefold())
            hotspot = (await session.exec(query)).first()
            created = hotspot is None
            if hotspot is None:
                hotspot = Hotspot(name=place.name, lat=place.lat, lon=place.lon, created_at=now)
            hotspot.name, hotspot.lat, hotspot.lon = place.name, place.lat, place.lon
            hotspot.radius_m = place.radius_m
            hotspot.aliases = join_terms(list(place.aliases))
            hotspot.retired_at = None
            session.add(hotspot)
        return hotspot, created

    async def upsert_many(self, places: list[HotspotIn]) -> tuple[int, int]:
        """upsert() for every place in one transaction (all or nothing); (added, updated)."""
        now = self._clock.now()
        added = updated = 0
        async with self._write() as session:
            for place in places:
                query = select(Hotspot).where(func.lower(Hotspot.name) == place.name.casefold())
                hotspot = (await session.exec(query)).first()
                if hotspot is None:
                    hotspot = Hotspot(name=place.name, lat=place.lat, lon=place.lon, created_at=now)
                    added += 1
                else:
                    updated += 1
                hotspot.name, hotspot.lat, hotspot.lon = place.name, place.lat, place.lon
                hotspot.radius_m = place.radius_m
                hotspot.aliases = join_terms(list(place.aliases))
                hotspot.retired_at = None
                session.add(hotspot)
                await session.flush()
        return added, updated

    async def update(
        self,
        hotspot_id: int,
        *,
        radius_m: float | None = None,
        aliases: list[str] | None = None,
    ) -> Hotspot | None:
        """Change an active hotspot's radius or aliases; None when it is missing or retired."""
        async with self._write() as session:
            hotspot = await session.get(Hotspot, hotspot_id)
            if hotspot is None or hotspot.retired_at is not None:
                return None
            if radius_m is not None:
                hotspot.radius_m = radius_m
            if aliases is not None:
                hotspot.aliases = join_terms(aliases)
            session.add(hotspot)
        return hotspot

    async def rename(self, hotspot_id: int, name: str) -> Hotspot | None:
        """None when there is no such hotspot or the name is taken."""
        async with self._write() as session:
            hotspot = await session.get(Hotspot, hotspot_id)
            clash = select(Hotspot).where(
                func.lower(Hotspot.name) == name.casefold(), Hotspot.id != hotspot_id
            )
            if hotspot is None or (await session.exec(clash)).first() is not None:
                return None
            hotspot.name = name
            session.add(hotspot)
        return hotspot

    async def remove(self, hotspot_id: int) -> Hotspot | None:
        """Retire: old reports keep the place; new ones can no longer choose it."""
        async with self._write() as session:
            hotspot = await session.get(Hotspot, hotspot_id)
            if hotspot is None or hotspot.retired_at is not None:
                return None
            hotspot.retired_at = self._clock.now()
            session.add(hotspot)
        return hotspot
