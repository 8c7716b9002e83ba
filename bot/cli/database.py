"""`tcag db upgrade`: apply the migrations to DATABASE_URL and say which ones ran."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot.cli.usage import with_examples
from bot.config import Settings


def add_parsers(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    db = commands.add_parser(
        "db",
        help="database schema",
        **with_examples("tcag db upgrade"),
    )
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade",
        help="apply the migrations to DATABASE_URL (creates an SQLite file that is not there)",
        **with_examples(
            "tcag db upgrade",
            "DATABASE_URL=postgresql://tcag@db.example.org/tcag tcag db upgrade",
        ),
    )
    upgrade.set_defaults(func=func)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.runner import StartupError

    try:
        before, after, applied = asyncio.run(_upgrade(settings))
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    print(upgrade_summary(before, after, applied))
    return 0


async def _upgrade(settings: Settings) -> tuple[set[str], set[str], list[str]]:
    from bot.cli.runner import check_connection, open_store
    from storage.db import current_revisions

    store = open_store(settings)
    try:
        await check_connection(settings, store)
        before = await current_revisions(store.engine)
        await store.upgrade()
        after = await current_revisions(store.engine)
    finally:
        await store.close()
    return before, after, applied_between(before, after)


def applied_between(before: set[str], after: set[str]) -> list[str]:
    """The revisions from `before` (exclusive) up to `after`, oldest first."""
    if before == after:
        return []
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    lower: str | tuple[str, ...] = tuple(sorted(before)) or "base"
    newest_first = script.iterate_revisions(tuple(sorted(after)), lower)
    return [revision.revision for revision in newest_first][::-1]


def _span(revisions: Sequence[str]) -> str:
    """0001–0005 for a run of numbered revisions (a revision may name itself after its
    number: 0011_outreach_records counts as 11), else the list."""
    if len(revisions) == 1:
        return revisions[0]
    numbered = [r.partition("_")[0] for r in revisions]
    if all(n.isdigit() for n in numbered):
        numbers = [int(n) for n in numbered]
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{revisions[0]}–{revisions[-1]}"
    return ", ".join(revisions)


def upgrade_summary(before: set[str], after: set[str], applied: Sequence[str]) -> str:
    now = ", ".join(sorted(after)) or "empty"
    if not applied:
        return f"No migrations needed: the schema is already at {now}."
    return f"Applied {_span(applied)}; schema is now {now}."
