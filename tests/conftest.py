"""Fixtures: a store on SQLite and on PostgreSQL, a manual clock, the local Bot API."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from sqlalchemy import text

from bot.app import build_application
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.roles import Role
from bot.offline.bot_api import LocalBotAPI, LocalRequest
from bot.offline.chat import LocalTelegram, Person
from storage.db import create_engine
from storage.store import Store

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
COORDINATORS_CHAT = -100_200_300
START = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # a Friday night


def _postgres_answers() -> bool:
    parsed = urlparse(TEST_DATABASE_URL.replace("+asyncpg", ""))
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 2):
            return True
    except OSError:
        return False


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(
    request: pytest.FixtureRequest, tmp_path, clock: ManualClock
) -> AsyncIterator[Store]:
    """A migrated, empty database: an SQLite file, or a fresh schema in PostgreSQL."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        store = Store(engine, clock)
        await store.upgrade()
        yield store
        await store.close()
        return
    if not _postgres_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but does not answer at {TEST_DATABASE_URL}")
        pytest.skip(f"PostgreSQL does not answer at {TEST_DATABASE_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(TEST_DATABASE_URL)
    async with admin_engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(
        TEST_DATABASE_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    store = Store(engine, clock)
    await store.upgrade()
    yield store
    await store.close()
    async with admin_engine.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin_engine.dispose()


ADMIN = Person(1001, "Alex", "Admin", username="alex_admin")
STRANGER = Person(5005, "Sam", "Stranger", username="sam_s")


class BotHarness:
    """The real Application on a test database, talking to the local Bot API."""

    def __init__(self, store: Store, clock: ManualClock, settings: Settings) -> None:
        self.store, self.clock, self.settings = store, clock, settings
        self.api = LocalBotAPI()
        self.app = build_application(
            settings, store=store, clock=clock, request=LocalRequest(self.api), rate_limit=False
        )
        self.tg = LocalTelegram(self.app, self.api)

    async def start(self) -> None:
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)

    async def stop(self) -> None:
        await self.app.shutdown()

    async def member(self, person: Person, role: Role, *, admin: bool = False) -> Person:
        """Bring a person in through an invite, as a real member would join."""
        if admin:
            await self.store.members.ensure_admin(
                person.telegram_id, person.name, person.username, role=role
            )
            return person
        inviter = await self.store.members.ensure_admin(
            ADMIN.telegram_id, ADMIN.name, ADMIN.username
        )
        code, _ = await self.store.invites.create(
            role, by=inviter, ttl=self.clock.now() - self.clock.now() + _DAY
        )
        await self.tg.send(person, f"/start {code}")
        return person

    def last(self, person: Person):
        return self.api.last_to(person.telegram_id)


from datetime import timedelta  # noqa: E402

_DAY = timedelta(days=1)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "TCAG_COORDINATORS_CHAT_ID": COORDINATORS_CHAT,
        "TCAG_TIMEZONE": "Europe/London",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
async def bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[BotHarness]:
    harness = BotHarness(store, clock, settings)
    await harness.start()
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    yield harness
    await harness.stop()
