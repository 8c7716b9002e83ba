"""What the benchmarks share: a fresh database, the real Application, people and figures.

- `fresh_database`: an empty SQLite file in a temporary folder by default; with
  `--database postgresql+asyncpg://…` a new schema in that database, dropped afterwards.
- `OpsHarness`: the real Application from `build_application` on the in-process
  LocalBotAPI, built exactly as tests/conftest.py's BotHarness builds it.
- `seed_members`, `seed_hotspots`: active members and a few town-centre hotspots.
- `Figures`, `print_table`: CPU time per update and wall-clock percentiles.
"""

from __future__ import annotations

import argparse
import itertools
import math
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application
from bot.config import Settings
from bot.context import OpsApplication
from bot.domain.access.roles import Role, Status
from bot.domain.clock import Clock
from bot.offline.bot_api import LocalBotAPI, LocalRequest, SentMessage
from bot.offline.chat import LocalTelegram, Person
from storage.catalog import HotspotIn
from storage.db import create_engine, session_factory
from storage.models import DutySession, Member
from storage.store import Store

COORDINATORS_CHAT = -100_200_300

# A few hotspots of a town centre, as an admin would enter them (name, lat, lon, aliases).
HOTSPOTS: tuple[tuple[str, float, float, tuple[str, ...]], ...] = (
    ("Elmer Square", 51.50720, -0.12760, ("the fountain",)),
    ("Market Street", 51.50810, -0.12610, ("the market",)),
    ("Bus Station", 51.50590, -0.12890, ("the buses", "bus stands")),
    ("High Street", 51.50690, -0.12480, ()),
    ("Castle Gardens", 51.50920, -0.12950, ("the castle",)),
    ("Riverside Walk", 51.50480, -0.12700, ("the river path",)),
)


# ---- options -----------------------------------------------------------------------------
def parser(description: str) -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(description=description)
    options.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="run against this database, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test "
        "(a new schema is created there and dropped afterwards); default: a temporary SQLite file",
    )
    return options


def normalised_url(url: str) -> str:
    """The URL as the bot would use it (postgresql:// → postgresql+asyncpg://)."""
    return Settings(_env_file=None, DATABASE_URL=url).database_url  # type: ignore[call-arg]


def shown_url(url: str | None) -> str:
    if url is None:
        return "SQLite (temporary file)"
    return make_url(url).render_as_string(hide_password=True)


# ---- databases ---------------------------------------------------------------------------
@asynccontextmanager
async def fresh_database(url: str | None, label: str) -> AsyncIterator[AsyncEngine]:
    """An empty database: a temporary SQLite file, or a new PostgreSQL schema (dropped after)."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix=f"tcag-bench-{label}-") as folder:
            engine = create_engine(f"sqlite+aiosqlite:///{folder}/{label}.db")
            try:
                yield engine
            finally:
                await engine.dispose()
        return
    url = normalised_url(url)
    if make_url(url).get_backend_name() != "postgresql":
        raise SystemExit("--database takes a PostgreSQL URL (SQLite is the default)")
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    try:
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_engine(url, connect_args={"server_settings": {"search_path": schema}})
        try:
            yield engine
        finally:
            await engine.dispose()
            async with admin.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def open_store(url: str | None, clock: Clock) -> AsyncIterator[Store]:
    """A migrated store with the default categories, on a fresh database."""
    async with fresh_database(url, "ops") as engine:
        store = Store(engine, clock)
        await store.upgrade()
        yield store


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "TCAG_COORDINATORS_CHAT_ID": COORDINATORS_CHAT,
        "TCAG_TIMEZONE": "Europe/London",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


# ---- the real application ----------------------------------------------------------------
class OpsHarness:
    """The real Application on the local Bot API (as tests/conftest.py BotHarness builds it)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: Settings,
        *,
        api: LocalBotAPI | None = None,
        rate_limit: bool = False,
    ) -> None:
        self.store, self.clock, self.settings = store, clock, settings
        self.api = api or LocalBotAPI()
        self.app: OpsApplication = build_application(
            settings,
            store=store,
            clock=clock,
            request=LocalRequest(self.api),
            rate_limit=rate_limit,
        )
        self.updates = Updates(self.app, self.api)

    async def start(self) -> None:
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)

    async def stop(self) -> None:
        await self.app.shutdown()


class Updates:
    """Telegram's JSON for what a person sends, as bot/local_chat.py builds it."""

    def __init__(self, application: Any, api: LocalBotAPI) -> None:
        self._tg = LocalTelegram(application, api)
        self._ids = itertools.count(1)

    def text_payload(self, person: Person, message: str) -> dict[str, Any]:
        return {"update_id": next(self._ids), **self._tg.text_update(person, message)}

    def press_payload(self, person: Person, sent: SentMessage, label: str) -> dict[str, Any]:
        data = sent.button(label)["callback_data"]
        return {"update_id": next(self._ids), **self._tg.callback_update(person, sent, data)}


# ---- seeding -----------------------------------------------------------------------------
def people(first_id: int, count: int, first_name: str) -> list[Person]:
    return [
        Person(first_id + n, first_name, f"No{n + 1}", username=f"{first_name.lower()}_{n + 1}")
        for n in range(count)
    ]


async def seed_members(store: Store, persons: Sequence[Person], role: Role) -> list[Member]:
    """Active members, written in one transaction (joining by invite 200 times is slow)."""
    now = store.clock.now()
    members = [
        Member(
            telegram_id=p.telegram_id,
            name=p.name,
            username=p.username,
            role=role,
            status=Status.ACTIVE,
            created_at=now,
            updated_at=now,
        )
        for p in persons
    ]
    async with session_factory(store.engine)() as session, session.begin():
        session.add_all(members)
    return members


async def seed_on_duty(store: Store, members: Sequence[Member]) -> None:
    """Open duty sessions (as /on starts them): urgent alerts go to whoever is on duty."""
    now = store.clock.now()
    async with session_factory(store.engine)() as session, session.begin():
        session.add_all(DutySession(member_id=m.id or 0, started_at=now) for m in members)


async def seed_hotspots(store: Store) -> None:
    for name, lat, lon, aliases in HOTSPOTS:
        await store.hotspots.upsert(
            HotspotIn(name=name, lat=lat, lon=lon, radius_m=150, aliases=aliases)
        )


# ---- figures -----------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figures:
    name: str
    cpu_seconds: Sequence[float]  # per update
    wall_seconds: Sequence[float]  # per update

    @property
    def cpu_us(self) -> float:
        return sum(self.cpu_seconds) / len(self.cpu_seconds) * 1e6

    @property
    def p50_ms(self) -> float:
        return percentile(self.wall_seconds, 50) * 1e3

    @property
    def p99_ms(self) -> float:
        return percentile(self.wall_seconds, 99) * 1e3


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        return "  ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
    return str(value)
