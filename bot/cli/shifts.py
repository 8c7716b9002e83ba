"""`tcag shifts add|list|remove`: shift patterns from the shell.

    tcag shifts add "Friday late" --days fri,sat --start 20:00 --end 03:00
    tcag shifts list
    tcag shifts remove "Friday late"

Times are wall-clock times in TCAG_TIMEZONE; an end before the start is the next day.
Exit codes: 0 done; 1 bad days, times or name, or no such shift (nothing changed);
3 database unreachable; 4 PostgreSQL schema out of date.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.domain.shifts.shift_input import shift_from_parts

if TYPE_CHECKING:  # the store loads only when a command runs, not for --help
    from storage.store import Store

Work = Callable[["Store"], Awaitable[int]]

RUNNING_BOT_HINT = "A bot already running (tcag run) follows the change once restarted."


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


def add_shift(settings: Settings, name: str, days: str, start: str, end: str) -> int:
    try:
        pattern = shift_from_parts(name, days, start, end)
    except ValueError as error:
        return _fail(str(error))

    async def work(store: Store) -> int:
        added = await store.shifts.add(pattern)
        if added is None:
            return _fail(f'a shift named "{pattern.name}" exists already; nothing was added.')
        print(f"Added {pattern.describe()} ({settings.timezone}).")
        print(RUNNING_BOT_HINT)
        return 0

    return _with_store(settings, work)


def list_shifts(settings: Settings) -> int:
    async def work(store: Store) -> int:
        shifts = await store.shifts.active()
        if not shifts:
            print('No shift patterns yet. Add one: tcag shifts add "Friday late" '
                  "--days fri,sat --start 20:00 --end 03:00")  # fmt: skip
            return 0
        print(f"Shift patterns (times in {settings.timezone}):")
        for shift in shifts:
            print(f"  {shift.pattern.describe()}")
        return 0

    return _with_store(settings, work)


def remove_shift(settings: Settings, name: str) -> int:
    async def work(store: Store) -> int:
        removed = await store.shifts.remove_by_name(name)
        if removed is None:
            return _fail(f'no shift named "{name.strip()}"; `tcag shifts list` shows them.')
        print(f"Removed {removed}.")
        print(RUNNING_BOT_HINT)
        return 0

    return _with_store(settings, work)


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.shifts_command == "add":
        return add_shift(settings, args.name, args.days, args.start, args.end)
    if args.shifts_command == "remove":
        return remove_shift(settings, args.name)
    return list_shifts(settings)


def add_parsers(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    func: Callable[[argparse.Namespace], int],
) -> None:
    """The `shifts` sub-commands, all calling `func` (cli.cmd_shifts)."""
    shifts = commands.add_parser(
        "shifts",
        help="shift patterns: add, list, remove",
        **with_examples(
            'tcag shifts add "Friday late" --days fri,sat --start 20:00 --end 03:00',
            "tcag shifts list",
        ),
    )
    actions = shifts.add_subparsers(dest="shifts_command", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add a shift pattern (times in TCAG_TIMEZONE; an end before the start is next day)",
        **with_examples(
            'tcag shifts add "Friday late" --days fri,sat --start 20:00 --end 03:00',
            'tcag shifts add "Day patrol" --days mon-fri --start 09:00 --end 17:00',
        ),
    )
    add.add_argument("name", help='its name, e.g. "Friday late"')
    add.add_argument("--days", required=True, help="e.g. fri,sat or mon-fri or daily")
    add.add_argument("--start", required=True, help="start time, 24-hour HH:MM, e.g. 20:00")
    add.add_argument("--end", required=True, help="end time, e.g. 03:00")
    add.set_defaults(func=func)
    listing = actions.add_parser(
        "list", help="list the shift patterns in use", **with_examples("tcag shifts list")
    )
    listing.set_defaults(func=func)
    remove = actions.add_parser(
        "remove",
        help="stop using a shift pattern",
        **with_examples('tcag shifts remove "friday late"'),
    )
    remove.add_argument("name", help="its name (any letter case)")
    remove.set_defaults(func=func)
