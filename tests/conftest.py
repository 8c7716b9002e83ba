"""Fixtures only; what they are built from lives in tests/support (test modules import from
there, never from one another: tests/test_test_layout.py checks).

Which database a test runs on. Each test gets its own database, a copy of a template
migrated once per session (tests/support/databases.py), on:
- SQLite and PostgreSQL: storage and job tests, which take `store` and do not run the
  Application;
- SQLite only: handler and flow tests, which run the Application: the `bot` fixture, or
  `@pytest.mark.app` on a test that builds its own BotHarness or Application from `store`;
- SQLite and PostgreSQL again for the handler and flow tests marked `@pytest.mark.pg_smoke`:
  a smoke set covering each feature area on PostgreSQL.
PostgreSQL is TEST_DATABASE_URL; when it does not answer those tests are skipped (with
CI=true they fail). Only SQLite: `pytest -k "not postgresql"`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.config import Settings
from bot.domain.clock import ManualClock
from storage.db import create_engine
from storage.store import Store
from tests.support.databases import KINDS, TestDatabases
from tests.support.harness import ADMIN, START, BotHarness, make_settings


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts): one worker more than the cores this process may use.

    About a third of the suite's time is spent waiting, not computing: `tcag run` processes
    starting and stopping, real timers in the end-to-end tests, PostgreSQL. A third worker
    on two cores fills that time. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def databases_for(metafunc: pytest.Metafunc) -> tuple[str, ...]:
    """The rule above, for one test that takes `store` (itself or through `bot`)."""
    marked = {mark.name for mark in metafunc.definition.iter_markers()}
    runs_the_app = "bot" in metafunc.fixturenames or "app" in marked
    return ("sqlite",) if runs_the_app and "pg_smoke" not in marked else KINDS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames:
        metafunc.parametrize("store", databases_for(metafunc), indirect=True)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    found = TestDatabases(tmp_path_factory.mktemp("templates"))
    yield found
    found.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def store(
    request: pytest.FixtureRequest, tmp_path, clock: ManualClock, databases: TestDatabases
) -> AsyncIterator[Store]:
    """A migrated database of this test's own, with the default categories: an SQLite file
    or a PostgreSQL database, copied from the session's template."""
    if request.param == "sqlite":
        url = databases.sqlite_copy(tmp_path / "test.db")
    else:
        url = await databases.postgres_copy()
    store = Store(create_engine(url), clock)
    try:
        await store.categories.seed_defaults()  # as Store.upgrade() does, at the test's time
        yield store
    finally:
        await store.close()
        if request.param == "postgresql":
            databases.release(url)


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
