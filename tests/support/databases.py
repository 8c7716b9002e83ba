"""Test databases: each test gets its own copy of one migrated template, made once a session.

SQLite: `Store.upgrade()`'s migrations run once into a template file; each test gets a
byte-for-byte copy of it (WAL checkpointed first, so the copy is the whole database).
PostgreSQL: a template database is migrated once; each test gets `CREATE DATABASE ...
TEMPLATE` of it (made in the background while the test before runs), dropped afterwards
(in the background too: a drop waits for a checkpoint).
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
from collections.abc import AsyncIterator, Callable, Coroutine
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


_Done = Callable[[str | None], None]  # told None, or what went wrong


class _Worker:
    """Runs statements on the server one after another, on its own thread and connection."""

    def __init__(self, name: str) -> None:
        self._statements: queue.Queue[tuple[str, _Done] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, statement: str, done: _Done) -> None:
        """Run `statement`; then `done(None)`, or `done(what went wrong)`."""
        self._statements.put((statement, done))

    def close(self) -> None:
        """Once everything submitted has run."""
        self._statements.put(None)
        self._thread.join()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn())
        try:
            while (task := await asyncio.to_thread(self._statements.get)) is not None:
                statement, done = task
                try:
                    await connection.execute(statement)
                except (asyncpg.PostgresError, OSError) as error:
                    done(f"{statement}: {error}")
                else:
                    done(None)
        finally:
            await connection.close()


class _Server:
    """Copies and drops databases in the background, so that a test waits for neither: the
    next test's copy is made while this test runs, and a DROP DATABASE (which waits for a
    checkpoint) while later tests run, on another connection than the copies."""

    def __init__(self) -> None:
        self.copies: queue.Queue[tuple[str, str | None]] = queue.Queue()  # (name, error)
        self.errors: list[str] = []
        self._copier = _Worker("copy-test-databases")
        self._dropper = _Worker("drop-test-databases")

    def copy(self, template: str, name: str) -> None:
        """Make `name` from `template`; (name, what went wrong or None) arrives in `copies`."""
        statement = f'CREATE DATABASE "{name}" TEMPLATE "{template}"'
        self._copier.submit(statement, lambda error: self.copies.put((name, error)))

    def drop(self, name: str) -> None:
        self._dropper.submit(_drop(name), self._dropped)

    def _dropped(self, error: str | None) -> None:
        if error is not None:
            self.errors.append(error)

    def close(self) -> list[str]:
        """Finish every copy and drop asked for; what went wrong."""
        self._copier.close()
        self._dropper.close()
        return self.errors


class TestDatabases:
    """The session's templates and the copies made of them; `close()` at the session's end."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._server: _Server | None = None
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
        server = self._started()
        if self._postgres_template is None:
            template = f"{self._prefix}template"
            _run_apart(_admin(_drop(template)))  # half made by a failed first try
            _run_apart(_admin(f'CREATE DATABASE "{template}"'))
            _run_apart(_migrate(postgres_url(template)))
            self._postgres_template = template
            server.copy(template, self._new_name("test"))
        made, error = await asyncio.to_thread(server.copies.get)
        server.copy(self._postgres_template, self._new_name("test"))  # the next test's
        if error is not None:
            raise RuntimeError(error)
        return postgres_url(made)

    @contextlib.asynccontextmanager
    async def empty_postgres(self) -> AsyncIterator[str]:
        """A brand-new PostgreSQL database with no schema at all (for what migrates it
        itself, like `tcag db upgrade`): its URL, dropped afterwards."""
        self._started()
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
        assert self._server is not None
        self._server.drop(name)

    def close(self) -> None:
        if self._server is None:
            return
        failed = self._server.close()
        unused = []  # the copy made for a test that never came
        while not self._server.copies.empty():
            made, error = self._server.copies.get()
            if error is None:
                unused.append(made)
        if self._postgres_template is not None:
            unused.append(self._postgres_template)
        for name in unused:
            _run_apart(_admin(_drop(name)))
        assert not failed, f"test databases not dropped: {failed}"

    def _started(self) -> _Server:
        """The background copies and drops, started on first use (when earlier runs'
        leftovers are dropped too)."""
        require_postgres()
        if self._server is None:
            self._server = _Server()
            _run_apart(self._drop_stale())
        return self._server

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
        assert self._server is not None
        for row in rows:
            match = _OURS.match(row["datname"])
            pid = int(match.group(1)) if match else os.getpid()
            if pid != os.getpid() and not _pid_alive(pid):
                self._server.drop(row["datname"])


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
