"""`tcag report --quarter 2026Q3 --out report.pdf`: the quarterly partnership report as a file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.domain.periods import PeriodError, parse_reportable_quarter
from bot.texts.partnership.coordinator import period_problem


def add_parsers(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    report = commands.add_parser(
        "report",
        help="the quarterly partnership report as a PDF (counts and charts)",
        **with_examples(
            "tcag report --quarter 2026Q3",
            "tcag report --quarter 2026-Q3 --out reports/",
        ),
    )
    report.add_argument(
        "--quarter",
        required=True,
        help="the quarter, like 2026Q3 or 2026-Q3 (in TCAG_TIMEZONE); the current one so far",
    )
    report.add_argument(
        "--out", help="where to write the PDF (default: partnership-report-<quarter>.pdf)"
    )
    report.set_defaults(func=func)


def run(settings: Settings, args: argparse.Namespace, *, clock: Clock | None = None) -> int:
    from bot.cli.runner import StartupError, open_store, prepare_database
    from bot.summaries.quarterly.document import build_report, file_name

    now = (clock or SystemClock()).now()
    try:
        quarter = parse_reportable_quarter(args.quarter, now=now, tz=settings.tz)
    except PeriodError as error:
        print(f"tcag: {period_problem(error.problem, error.given)}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(file_name(quarter))
    if out.is_dir():
        out = out / file_name(quarter)

    async def build() -> tuple[int, bytes]:
        store = open_store(settings)
        try:
            await prepare_database(settings, store)
            figures, pdf = await build_report(
                store,
                quarter,
                tz=settings.tz,
                now=now,
                ack_target_minutes=settings.alert_escalate_minutes,
                by=None,
                via="cli",
            )
            return figures.reports, pdf
        finally:
            await store.close()

    try:
        reports, pdf = asyncio.run(build())
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    except OSError as error:
        print(f"tcag: cannot write {out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(
        f"Wrote {out}: quarterly partnership report, {quarter.title}, "
        f"{reports} report{'s' if reports != 1 else ''} ({len(pdf) // 1024} KB)."
    )
    return 0
