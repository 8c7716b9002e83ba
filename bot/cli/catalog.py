"""`tcag hotspots import|export` and `tcag categories list`: the catalog from the shell.

    tcag hotspots import places.csv     add or update (by name) every row; all or nothing
    tcag hotspots export [--out FILE]   the active hotspots, same columns (stdout by default)

Exit codes: 0 done; 1 the file was unreadable or had bad rows (nothing imported);
3 database unreachable; 4 PostgreSQL schema out of date.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.domain.reports.catalog import CsvProblems, PlaceRow, read_places_csv, write_places_csv

if TYPE_CHECKING:  # the store (and Telegram) load only when a command runs, not for --help
    from storage.store import Store

Work = Callable[["Store"], Awaitable[int]]


def _fail(message: str) -> int:
    print(f"tcag: {message}", file=sys.stderr)
    return 1


def _with_store(settings: Settings, work: Work) -> int:
    """Run `work(store)` on a prepared database; StartupError becomes its exit code."""
    from bot.cli.runner import StartupError, open_store, prepare_database

    async def run() -> int:
        store = open_store(settings)
        try:
            await prepare_database(settings, store)
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code


def import_hotspots(settings: Settings, path: str) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"cannot read {path}: {error}")
    try:
        rows = read_places_csv(text)
    except CsvProblems as problems:
        count = len(problems.problems)
        lines = "\n".join(f"  {p}" for p in problems.problems)
        return _fail(
            f"{path}: {count} problem{'s' if count != 1 else ''}; nothing was imported.\n{lines}"
        )

    from storage.catalog import HotspotIn

    async def work(store: Store) -> int:
        places = [HotspotIn(r.name, r.lat, r.lon, r.radius_m, r.aliases) for r in rows]
        added, updated = await store.hotspots.upsert_many(places)
        print(f"Imported {len(places)} hotspots ({added} added, {updated} updated)")
        return 0

    return _with_store(settings, work)


def export_hotspots(settings: Settings, out: str | None) -> int:
    rows: list[PlaceRow] = []

    async def work(store: Store) -> int:
        rows.extend(
            PlaceRow(h.name, h.lat, h.lon, h.radius_m, h.alias_list)
            for h in await store.hotspots.active()
        )
        return 0

    code = _with_store(settings, work)
    if code:
        return code
    text = write_places_csv(rows)
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(out).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        return _fail(f"cannot write {out}: {error}")
    print(f"Exported {len(rows)} hotspots to {out}")
    return 0


def list_categories(settings: Settings) -> int:
    async def work(store: Store) -> int:
        for category in await store.categories.all():
            marks = [" (urgent by default)" if category.urgent else ""]
            if category.retired_at is not None:
                marks.append(" (retired)")
            words = len(category.keyword_list)
            print(f"{category.id:>4}  {category.name}{''.join(marks)}  · {words} keywords")
        return 0

    return _with_store(settings, work)


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "categories":
        return list_categories(settings)
    if args.hotspots_command == "import":
        return import_hotspots(settings, args.file)
    return export_hotspots(settings, args.out)


def add_parsers(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    func: Callable[[argparse.Namespace], int],
) -> None:
    """The `hotspots` and `categories` sub-commands, all calling `func` (cli.cmd_catalog)."""
    hotspots = commands.add_parser(
        "hotspots",
        help="import or export hotspots (CSV)",
        **with_examples("tcag hotspots import examples/hotspots.csv", "tcag hotspots export"),
    )
    actions = hotspots.add_subparsers(dest="hotspots_command", required=True, metavar="ACTION")
    load = actions.add_parser(
        "import",
        help="add or update hotspots from a CSV file: name,lat,lon,radius_m,aliases",
        **with_examples("tcag hotspots import examples/hotspots.csv"),
    )
    load.add_argument("file", help="CSV with a header; aliases separated by |")
    load.set_defaults(func=func)
    dump = actions.add_parser(
        "export",
        help="write the hotspots as CSV (stdout by default)",
        **with_examples("tcag hotspots export", "tcag hotspots export --out hotspots.csv"),
    )
    dump.add_argument("--out", help="write to this file instead")
    dump.set_defaults(func=func)

    categories = commands.add_parser(
        "categories", help="report categories", **with_examples("tcag categories list")
    )
    category_actions = categories.add_subparsers(
        dest="categories_command", required=True, metavar="ACTION"
    )
    listing = category_actions.add_parser(
        "list", help="list every category", **with_examples("tcag categories list")
    )
    listing.set_defaults(func=func)
