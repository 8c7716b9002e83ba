"""Engine, sessions and schema migrations.

alembic (with mako and every dialect's DDL, some 11 MiB) is imported only to migrate: a
running bot checks its schema by reading the version table and the revision numbers
written in the migration files, so it never loads alembic while its schema is current.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

SessionFactory = async_sessionmaker[AsyncSession]
VERSION_TABLE = "alembic_version"  # alembic's default, which env.py keeps

if TYPE_CHECKING:
    from alembic.config import Config


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets its folder, WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 15}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def _without_nul(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    """PostgreSQL text cannot hold U+0000, which a message may carry: drop it, not the row."""
    return statement, _strip_nul(parameters)


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, tuple | list):
        return type(value)(_strip_nul(v) for v in value)
    if isinstance(value, dict):
        return {k: _strip_nul(v) for k, v in value.items()}
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revisions() -> frozenset[str]:
    """The revisions no migration revises, from each file's `revision`/`down_revision`."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if not names & {"revision", "down_revision"}:
                continue  # a migration's own data need not be a literal
            value = ast.literal_eval(node.value)
            if "revision" in names:
                revisions.add(value)
            elif "down_revision" in names and value is not None:
                revised.update([value] if isinstance(value, str) else value)
    return frozenset(revisions - revised)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    def read(connection: Connection) -> set[str]:
        if not inspect(connection).has_table(VERSION_TABLE):
            return set()
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return {row[0] for row in rows}

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def schema_is_current(engine: AsyncEngine) -> bool:
    return await current_revisions(engine) == head_revisions()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Run alembic migrations on this engine's database (idempotent)."""
    from alembic import command

    await _run(engine, lambda cfg: command.upgrade(cfg, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    await _run(engine, lambda cfg: command.downgrade(cfg, revision))


async def _run(engine: AsyncEngine, action: Callable[[Config], None]) -> None:
    def run(connection: Connection) -> None:
        action(alembic_config(connection))

    async with engine.begin() as connection:
        await connection.run_sync(run)
