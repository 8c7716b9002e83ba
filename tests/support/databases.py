"""Test databases: each test gets its own copy of one migrated template, made once a session.

SQLite: `Store.upgrade()`'s migrations run once into a template file; each test gets a
byte-for-byte copy of it (WAL checkpointed first, so the copy is the whole database).
PostgreSQL: a template database is migrated once; each test gets `CREATE DATABASE ...
TEMPLATE` of it, dropped afterwards (in the background: a drop waits for a checkpoint).
Either way the test's Store sees the schema and alembic version of a freshly migrated
database, and nothing another test wrote. The default categories are not in the templates:
the fixture seeds them with the test's own clock, as `Store.upgrade()` would.

Every PostgreSQL database made here is named `tcag_t<pid>_...`: two runs never collide, and
a run drops what a run that died left behind (its process is gone).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import shutil
import socket
import sqlite3
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from storage import db

T = TypeVar("T")

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI") == "true"
KINDS = ("sqlite", "postgresql")
_OURS = re.compile(r"^tcag_t(\d+)_")


@cache
def postgres_answers() -> bool:
    """Whether anything listens at TEST_DATABASE_URL (asked once a session)."""
    url = make_url(TEST_DATABASE_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), 2):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    """Skip the test when PostgreSQL does not answer; with CI=true, fail it instead."""
    if postgres_answers():
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI but does not answer at {TEST_DATABASE_URL}")
    pytest.skip(f"PostgreSQL does not answer at {TEST_DATABASE_URL}")


def postgres_url(database: str) -> str:
    """TEST_DATABASE_URL pointed at another database on the same server."""
    return make_url(TEST_DATABASE_URL).set(database=database).render_as_string(hide_password=False)


def _asyncpg_dsn() -> str:
    """The server's maintenance connection (TEST_DATABASE_URL's database), for asyncpg."""
    url = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on its own loop in another thread, away from the test's."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn())
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _drop(name: str) -> str:
    return f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Dropper:
    """Drops databases one after another on its own thread and connection, so a test does
    not wait for the checkpoint each DROP DATABASE takes."""

    def __init__(self) -> None:
        self._names: queue.Queue[str | None] = queue.Queue()
        self._errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="drop-test-databases", daemon=True)
        self._thread.start()

    def drop(self, name: str) -> None:
        self._names.put(name)

    def close(self) -> list[str]:
        """Wait for every drop asked for; the ones that failed."""
        self._names.put(None)
        self._thread.join()
        return self._errors

    def _run(self) -> None:
        asyncio.run(self._drop_all())

    async def _drop_all(self) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn())
        try:
            while (name := await asyncio.to_thread(self._names.get)) is not None:
                try:
                    await connection.execute(_drop(name))
                except (asyncpg.PostgresError, OSError) as error:
                    self._errors.append(f"{name}: {error}")
        finally:
            await connection.close()


class TestDatabases:
    """The session's templates and the copies made of them; `close()` at the session's end."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._dropper: _Dropper | None = None
        self._prefix = f"tcag_t{os.getpid()}_"

    # ---- SQLite --------------------------------------------------------------------------
    def sqlite_copy(self, path: Path) -> str:
        """A migrated SQLite database at `path` (a copy of the template): its URL."""
        if self._sqlite_template is None:
            template = self._folder / "template.db"
            _run_apart(_migrate(f"sqlite+aiosqlite:///{template}"))
            _checkpoint(template)
            self._sqlite_template = template
        shutil.copyfile(self._sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"

    # ---- PostgreSQL ----------------------------------------------------------------------
    async def postgres_copy(self) -> str:
        """A new PostgreSQL database, a copy of the migrated template: its URL. Skips (or
        fails, in CI) when PostgreSQL does not answer. Give it back with `release`."""
        require_postgres()
        if self._postgres_template is None:
            self._dropper = _Dropper()
            _run_apart(self._drop_stale())
            template = f"{self._prefix}template"
            _run_apart(_admin(_drop(template)))  # half made by a failed first try
            _run_apart(_admin(f'CREATE DATABASE "{template}"'))
            _run_apart(_migrate(postgres_url(template)))
            self._postgres_template = template
        name = self._new_name("test")
        await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._postgres_template}"')
        return postgres_url(name)

    @contextlib.asynccontextmanager
    async def empty_postgres(self) -> AsyncIterator[str]:
        """A brand-new PostgreSQL database with no schema at all (for what migrates it
        itself, like `tcag db upgrade`): its URL, dropped afterwards."""
        require_postgres()
        if self._dropper is None:
            self._dropper = _Dropper()
            _run_apart(self._drop_stale())
        name = self._new_name("empty")
        await _admin(f'CREATE DATABASE "{name}"')
        try:
            yield postgres_url(name)
        finally:
            self.release(postgres_url(name))

    def release(self, url: str) -> None:
        """Drop a PostgreSQL database made here (in the background)."""
        name = make_url(url).database
        assert name is not None and name.startswith(self._prefix), url
        assert self._dropper is not None
        self._dropper.drop(name)

    def close(self) -> None:
        if self._dropper is None:
            return
        if self._postgres_template is not None:
            self._dropper.drop(self._postgres_template)
        failed = self._dropper.close()
        assert not failed, f"test databases not dropped: {failed}"

    def _new_name(self, what: str) -> str:
        return f"{self._prefix}{what}_{uuid.uuid4().hex[:10]}"

    async def _drop_stale(self) -> None:
        """Drop the databases of earlier runs whose process has gone (killed, say)."""
        connection = await asyncpg.connect(_asyncpg_dsn())
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE 'tcag\\_t%'"
            )
        finally:
            await connection.close()
        assert self._dropper is not None
        for row in rows:
            match = _OURS.match(row["datname"])
            pid = int(match.group(1)) if match else os.getpid()
            if pid != os.getpid() and not _pid_alive(pid):
                self._dropper.drop(row["datname"])


async def _migrate(url: str) -> None:
    """Alembic up to head, as `Store.upgrade()` does (the categories come per test)."""
    engine = db.create_engine(url)
    try:
        await db.upgrade(engine)
    finally:
        await engine.dispose()


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so a copy of the file alone is the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the template's WAL was not folded in"
