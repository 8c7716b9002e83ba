"""`tcag purge [--dry-run]`: purge what is past its retention period now, as the daily job does.

    tcag purge --dry-run     how many rows of each kind would go; nothing changes
    tcag purge               clear, anonymise or delete them (audited), then the same table

Exit codes: 0 done; 3 database unreachable; 4 schema out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.domain.retention import PurgeCounts, RetentionPolicy, purge_table

if TYPE_CHECKING:  # the store loads only when the command runs, not for --help
    from storage.store import Store


async def purge(store: Store, settings: Settings, *, dry_run: bool) -> PurgeCounts:
    now, policy = store.clock.now(), RetentionPolicy.from_settings(settings)
    if dry_run:
        return await store.retention.plan(now, policy)
    return await store.retention.purge(now, policy, via="cli")


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.catalog import _with_store

    async def work(store: Store) -> int:
        counts = await purge(store, settings, dry_run=args.dry_run)
        policy = RetentionPolicy.from_settings(settings)
        sys.stdout.write(purge_table(counts, policy, dry_run=args.dry_run))
        if args.dry_run:
            sys.stdout.write("Dry run: nothing was changed.\n")
        return 0

    return _with_store(settings, work)


def add_parser(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    purge_command = commands.add_parser(
        "purge",
        help="clear or delete data past its retention period now (counts stay)",
        **with_examples("tcag purge --dry-run", "tcag purge"),
    )
    purge_command.add_argument(
        "--dry-run", action="store_true", help="only say how many rows of each kind would go"
    )
    purge_command.set_defaults(func=func)
