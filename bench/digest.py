"""One shift's digest at 100,000 and 1,000,000 reports: its cost follows the shift, not the table.

    python -m bench.digest [--database URL] [--reuse] [--explain]

Seeds two databases with bench/seed.py (in a child process, so seeding's memory is not
counted here): SQLite files under data/bench/ by default, or two schemas in the PostgreSQL
database given with --database. Both hold the same "Friday late" shift (bench.seed.BENCH_DATE,
150 reports, 30 outreach contacts) and the same shift the week before; only the rest of the
table differs (100k reports and 20k contacts against 1M and 200k).

For each: `bot.summaries.digest` for that shift (one warm-up, then the median of five), the
same figures without rendering the text and the chart ("data only": the store calls the
digest makes, each also timed on its own), and the digest's tracemalloc peak. Then the
quarterly PDF of the quarter containing the shift on the large database (gather + render),
and the process's peak resident memory. Target: digest time at 1M ≤ 1.2 × at 100k.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bench.common import make_settings, print_table
from bench.seed import BENCH_CONTACTS, BENCH_REPORTS, NOW, TZ, bench_shift, open_engine
from bot.context import Services
from bot.domain.clock import ManualClock
from bot.domain.periods import Quarter
from bot.summaries import compose as summaries
from bot.summaries.quarterly import content as quarterly_content
from bot.summaries.quarterly import document as quarterly
from storage.models import Report
from storage.store import Store

Size = tuple[int, int, str]  # reports, contacts, label
SIZES: tuple[Size, Size] = ((100_000, 20_000, "100k"), (1_000_000, 200_000, "1m"))
FOLDER = Path("data/bench")
RUNS = 5
ROUNDS = 3  # each size measured in turn; the median of the rounds' medians
TARGET = 1.2


@dataclass
class Measured:
    label: str
    reports: int
    contacts: int
    digest_ms: float = 0.0
    data_ms: float = 0.0
    traced_peak_mb: float = 0.0
    queries: dict[str, float] = field(default_factory=dict)  # median ms per store call


# ---- databases -----------------------------------------------------------------------------
def target(database: str | None, label: str) -> tuple[str, str | None]:
    """(url, schema) of one benchmark database."""
    if database is None:
        return f"sqlite+aiosqlite:///{FOLDER}/digest-{label}.db", None
    return database, f"bench_digest_{label}"


async def row_count(url: str, schema: str | None) -> int | None:
    """Reports in that database, or None when it has no schema yet."""
    engine = open_engine(url, schema)
    try:
        async with engine.connect() as connection:
            return int(
                (await connection.execute(select(func.count()).select_from(Report))).scalar_one()
            )
    except Exception:  # no such table (or schema): not seeded yet
        return None
    finally:
        await engine.dispose()


async def reset(url: str, schema: str | None) -> None:
    if schema is None:
        path = make_url(url).database or ""
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(f"{path}{suffix}").unlink, missing_ok=True)
        return
    engine = open_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await engine.dispose()


async def prepare(
    database: str | None, reports: int, contacts: int, label: str, reuse: bool
) -> float | None:
    """Seed one database (in a child process) unless reusing it; the seconds it took."""
    url, schema = target(database, label)
    if reuse and await row_count(url, schema) == reports:
        return None
    await reset(url, schema)
    command = [
        sys.executable,
        "-m",
        "bench.seed",
        "--database",
        url,
        "--reports",
        str(reports),
        "--contacts",
        str(contacts),
    ]
    if schema:
        command += ["--schema", schema]
    began = time.perf_counter()
    await asyncio.to_thread(subprocess.run, command, check=True)
    return time.perf_counter() - began


# ---- measuring -----------------------------------------------------------------------------
async def median_ms(call: Callable[[], Awaitable[Any]], runs: int = RUNS) -> float:
    await call()  # warm-up: caches, prepared statements, imports
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1e3


def data_calls(store: Store) -> dict[str, Callable[[], Awaitable[Any]]]:
    """The store calls `summaries.digest` makes for the benchmarked shift, by name."""
    shift = bench_shift()
    start, end = shift.starts_at, shift.ends_at
    last_start, last_end = summaries.same_time_last_week(start, end, TZ)
    return {
        "by_category": lambda: store.stats.by_category(start, end),
        "by_category (last week)": lambda: store.stats.by_category(last_start, last_end),
        "by_hotspot": lambda: store.stats.by_hotspot(start, end, limit=5),
        "urgent": lambda: store.stats.urgent(start, end),
        "outreach.counts": lambda: store.outreach_stats.counts(start, end),
        "staff_hours": lambda: store.stats.staff_hours(start, end),
        "by_hour": lambda: store.stats.by_hour(start, end, TZ),
    }


async def measure(database: str | None, reports: int, contacts: int, label: str) -> Measured:
    url, schema = target(database, label)
    clock = ManualClock(NOW)
    store = Store(open_engine(url, schema), clock)
    services = Services(settings=make_settings(), store=store, clock=clock)
    shift = bench_shift()
    found = Measured(label, reports, contacts)
    try:

        async def digest() -> summaries.Composed:
            return await summaries.digest(
                services, occurrence=shift, start=shift.starts_at, end=shift.ends_at
            )

        composed = await digest()
        assert composed.chart_png and "Friday late" in composed.text
        found.digest_ms = await median_ms(digest)
        calls = data_calls(store)

        async def data_only() -> None:
            for call in calls.values():
                await call()

        found.data_ms = await median_ms(data_only)
        for name, call in calls.items():
            found.queries[name] = await median_ms(call)
        tracemalloc.start()
        await digest()
        found.traced_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    finally:
        await store.close()
    return found


def combined(rounds: list[Measured]) -> Measured:
    """One size's rounds: the median of each figure, the largest memory peak."""
    first = rounds[0]
    return Measured(
        first.label,
        first.reports,
        first.contacts,
        digest_ms=statistics.median(m.digest_ms for m in rounds),
        data_ms=statistics.median(m.data_ms for m in rounds),
        traced_peak_mb=max(m.traced_peak_mb for m in rounds),
        queries={
            name: statistics.median(m.queries[name] for m in rounds) for name in first.queries
        },
    )


@dataclass
class QuarterTimes:
    label: str
    gather_ms: float
    render_ms: float
    pages: int
    size_kb: float
    traced_peak_mb: float


async def measure_quarterly(database: str | None, label: str) -> QuarterTimes:
    url, schema = target(database, label)
    clock = ManualClock(NOW)
    store = Store(open_engine(url, schema), clock)
    quarter = Quarter.containing(bench_shift().starts_at, TZ)
    try:
        began = time.perf_counter()
        figures = await quarterly_content.gather(
            store, quarter, tz=TZ, now=NOW, ack_target_minutes=5
        )
        gathered = time.perf_counter()
        pdf = quarterly.render_pdf(figures)
        rendered = time.perf_counter()
        tracemalloc.start()
        figures = await quarterly_content.gather(
            store, quarter, tz=TZ, now=NOW, ack_target_minutes=5
        )
        quarterly.render_pdf(figures)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    finally:
        await store.close()
    from pypdf import PdfReader

    return QuarterTimes(
        label=f"{quarter.label} ({figures.reports:,} reports)",
        gather_ms=(gathered - began) * 1e3,
        render_ms=(rendered - gathered) * 1e3,
        pages=len(PdfReader(io.BytesIO(pdf)).pages),
        size_kb=len(pdf) / 1024,
        traced_peak_mb=peak,
    )


# ---- query plans ---------------------------------------------------------------------------
async def explain(database: str | None, label: str) -> None:
    """The plans of the digest's queries on one database (SQLite: EXPLAIN QUERY PLAN)."""
    url, schema = target(database, label)
    store = Store(open_engine(url, schema), ManualClock(NOW))
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))  # type: ignore[arg-type]

    from sqlalchemy import event

    event.listen(store.engine.sync_engine, "before_cursor_execute", record)
    try:
        for call in data_calls(store).values():
            await call()
        event.remove(store.engine.sync_engine, "before_cursor_execute", record)
        prefix = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN "
        async with store.engine.connect() as connection:
            for statement, params in statements:  # type: ignore[misc]
                print("\n" + " ".join(statement.split()))
                plan = await connection.exec_driver_sql(prefix + statement, params)
                for row in plan.all():
                    print("    ", row[-1] if store.dialect == "sqlite" else row[0])
    finally:
        await store.close()


# ---- command line --------------------------------------------------------------------------
@dataclass(frozen=True)
class DigestResult:
    """The figures `run` prints; `met`: digest time at the large size ≤ TARGET × the small."""

    small: Measured
    large: Measured
    pdf: QuarterTimes  # on the large database
    peak_rss_mb: float  # ru_maxrss of this process (seeding, in a child, excluded)

    @property
    def ratio(self) -> float:
        return self.large.digest_ms / self.small.digest_ms

    @property
    def data_ratio(self) -> float:
        return self.large.data_ms / self.small.data_ms

    @property
    def met(self) -> bool:
        return self.ratio <= TARGET


def shown_label(label: str) -> str:
    return label.replace("m", "M")  # "1m" → "1M"


async def run(
    database: str | None, reuse: bool, show_plans: bool, sizes: Sequence[Size] = SIZES
) -> DigestResult:
    for reports, contacts, label in sizes:
        seconds = await prepare(database, reports, contacts, label, reuse)
        if seconds is not None:
            print(f"seeding {label} took {seconds:.1f} s (child process)")
    # The sizes take turns (ROUNDS times), so a busy moment on the machine hits both alike.
    rounds: list[list[Measured]] = [[] for _ in sizes]
    for _ in range(ROUNDS):
        for found, (reports, contacts, label) in zip(rounds, sizes, strict=True):
            found.append(await measure(database, reports, contacts, label))
    results = [combined(found) for found in rounds]
    small, large = results
    ratio = large.digest_ms / small.digest_ms
    data_ratio = large.data_ms / small.data_ms
    where = (
        "SQLite files under data/bench/"
        if database is None
        else make_url(database).render_as_string(hide_password=True)
    )
    print(
        f"\nOne 'Friday late' shift's digest ({bench_shift().key}; "
        f"{BENCH_REPORTS} reports, {BENCH_CONTACTS} contacts) — {where}"
    )
    print_table(
        (
            "reports / contacts in table",
            "digest ms (median)",
            "data only ms",
            "tracemalloc peak MB",
        ),
        [
            (
                f"{m.reports:,} / {m.contacts:,}",
                f"{m.digest_ms:.1f}",
                f"{m.data_ms:.1f}",
                f"{m.traced_peak_mb:.1f}",
            )
            for m in results
        ],
    )
    met = "met" if ratio <= TARGET else "MISSED"
    print(
        f"ratio {shown_label(large.label)}/{shown_label(small.label)}: digest {ratio:.2f}× "
        f"(target ≤ {TARGET}×: {met}); "
        f"data only {data_ratio:.2f}×"
    )
    print("\nPer store call (median ms):")
    print_table(
        ("call", *(m.label for m in results), "ratio"),
        [
            (
                name,
                f"{small.queries[name]:.2f}",
                f"{large.queries[name]:.2f}",
                f"{large.queries[name] / small.queries[name]:.2f}×",
            )
            for name in small.queries
        ],
    )
    pdf = await measure_quarterly(database, large.label)
    print(f"\nQuarterly PDF {pdf.label}, {shown_label(large.label)} database:")
    print_table(
        ("gather ms", "render ms", "total ms", "pages", "PDF KB", "tracemalloc peak MB"),
        [
            (
                f"{pdf.gather_ms:.0f}",
                f"{pdf.render_ms:.0f}",
                f"{pdf.gather_ms + pdf.render_ms:.0f}",
                pdf.pages,
                f"{pdf.size_kb:.0f}",
                f"{pdf.traced_peak_mb:.1f}",
            )
        ],
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of this process (ru_maxrss, seeding excluded): {peak_mb:.0f} MB")
    if show_plans:
        await explain(database, large.label)
    return DigestResult(small, large, pdf, peak_mb)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument(
        "--database",
        default=None,
        metavar="URL",
        help="PostgreSQL URL: seed two schemas there (default: SQLite files)",
    )
    options.add_argument("--reuse", action="store_true", help="reuse databases already seeded")
    options.add_argument("--explain", action="store_true", help="print the digest's query plans")
    args = options.parse_args()
    database = args.database
    if database is not None:
        database = make_settings(DATABASE_URL=database).database_url
        if make_url(database).get_backend_name() != "postgresql":
            raise SystemExit("--database takes a PostgreSQL URL (SQLite files are the default)")
    asyncio.run(run(database, args.reuse, args.explain))


if __name__ == "__main__":
    main()
