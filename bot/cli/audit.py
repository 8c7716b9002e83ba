"""`tcag audit`: the audit log from the shell, oldest first, to stdout.

    tcag audit --since 2026-11-01                    every entry since that local midnight
    tcag audit --since 2026-11-01 --format csv       the same as CSV (a header line first)
    tcag audit --since 2026-11-01 --action person.   only some actions (as /audit filters)

Exit codes: 0 done; 2 a bad date or action; 3 database unreachable; 4 schema out of date.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.domain.access.audit_view import is_action_term
from bot.summaries.audit_log import audit_words

if TYPE_CHECKING:  # the store (and Telegram) load only when a command runs, not for --help
    from storage.store import Store

CSV_HEADER = ("time", "actor", "action", "what", "subject", "detail")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


async def audit_report(
    store: Store, *, since: date, tz: ZoneInfo, fmt: str = "text", action: str | None = None
) -> str:
    """The entries since local midnight of `since`, as text lines or CSV."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=tz)
    rows = await store.audit.since(start, action=action)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for row in rows:
            actor, verb, subject, detail = audit_words(row)
            at = row.at.astimezone(tz).isoformat(timespec="seconds")
            writer.writerow((at, actor, row.action, verb, subject, detail))
        return out.getvalue()
    from bot.texts.admin.audit import audit_sentence

    return "".join(
        f"{row.at.astimezone(tz):%Y-%m-%d %H:%M:%S}  {audit_sentence(*audit_words(row))}\n"
        for row in rows
    )


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.catalog import _with_store

    action = args.action.strip().casefold() if args.action else None
    if action is not None and not is_action_term(action):
        print(
            f"tcag: {args.action!r} is not an action such as member. person. or export",
            file=sys.stderr,
        )
        return 2

    async def work(store: Store) -> int:
        report = await audit_report(
            store, since=args.since, tz=settings.tz, fmt=args.format, action=action
        )
        sys.stdout.write(report)
        return 0

    return _with_store(settings, work)


def add_parser(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    audit = commands.add_parser(
        "audit",
        help="print the audit log since a date (text or CSV)",
        **with_examples(
            "tcag audit --since 2026-07-01",
            "tcag audit --since 2026-07-01 --format csv --action member. > members.csv",
        ),
    )
    audit.add_argument(
        "--since", required=True, type=_day, help="first day, YYYY-MM-DD (local time)"
    )
    audit.add_argument("--format", choices=("text", "csv"), default="text")
    audit.add_argument(
        "--action", help="only actions starting with this (member. person. invite.) or export"
    )
    audit.set_defaults(func=func)
