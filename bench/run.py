"""Every benchmark, one after another, then one table of figures and ratios against baselines.

    python -m bench.run [--quick] [--database URL]

Runs, in this process and in turn, bench/quick_report.py, bench/fanout.py, bench/surge.py,
bench/digest.py and bench/memory.py (each prints its own tables as it goes; the memory
benchmark runs `tcag run` as its own process, on SQLite), then one table with a row per
figure: the value, its baseline (bare PTB echo, PTB echo + one row, the outbox's floor, the
100k database), the ratio, the target and whether it is met. The exit status is 1 when a
target is missed.

Full sizes by default: 2,000 updates (after 200 warm-up) per application, 200 officers on
duty in 3 rounds, 60 officers' surge of 56 messages a second for 10 s, the digest on 100k
and 1M reports, seeded afresh (about 30 s on SQLite).
--quick: 500 updates, 100 officers in 2 rounds, and the digest databases of data/bench (or
the PostgreSQL schemas) reused when already seeded at full size, else seeded at 100k and
300k; under a minute with the databases reused (the full run: about two minutes).
"""

from __future__ import annotations

import asyncio
import os
import platform
import sqlite3
import sys
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import digest, fanout, memory, quick_report, surge
from bench.common import normalised_url, parser, shown_url
from storage.db import create_engine


@dataclass(frozen=True)
class Sizes:
    updates: int
    warmup: int
    members: int
    rounds: int
    quick: bool


FULL = Sizes(updates=2000, warmup=200, members=200, rounds=3, quick=False)
QUICK = Sizes(updates=500, warmup=50, members=100, rounds=2, quick=True)
QUICK_DIGEST: tuple[digest.Size, digest.Size] = (
    (100_000, 20_000, "100k"),
    (300_000, 60_000, "300k"),
)


@dataclass(frozen=True)
class Row:
    benchmark: str
    figure: str
    value: str
    baseline: str = "—"
    ratio: str = "—"
    target: str = "—"
    met: bool | None = None  # None: a figure without a target

    def cells(self) -> tuple[str, ...]:
        mark = "" if self.met is None else ("✓" if self.met else "✗")
        return (
            self.benchmark,
            self.figure,
            self.value,
            self.baseline,
            self.ratio,
            self.target,
            mark,
        )


# ---- the machine ---------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


async def postgres_version(url: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return str((await connection.execute(text("SHOW server_version"))).scalar_one())
    finally:
        await engine.dispose()


async def machine(url: str | None) -> str:
    database = f"SQLite {sqlite3.sqlite_version}"
    if url is not None:
        database = f"PostgreSQL {await postgres_version(url)} ({shown_url(url)})"
    return (
        f"{os.cpu_count()} × {cpu_model()}; Python {platform.python_version()} "
        f"({platform.system()} {platform.release()}); {database}"
    )


# ---- the digest's databases ----------------------------------------------------------------
async def digest_sizes(database: str | None, sizes: Sizes) -> tuple[tuple[digest.Size, ...], bool]:
    """The sizes to run the digest at and whether to reuse databases already seeded."""
    if not sizes.quick:
        return digest.SIZES, False
    for reports, _, label in digest.SIZES:
        if await digest.row_count(*digest.target(database, label)) != reports:
            return QUICK_DIGEST, True
    return digest.SIZES, True


# ---- the table -----------------------------------------------------------------------------
def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×"


def quick_rows(q: quick_report.QuickReportResult) -> list[Row]:
    name, bare, one, ops = "quick report", q.bare, q.one_row, q.ops
    target = quick_report.TARGET_RATIO
    return [
        Row(
            name,
            "CPU µs/update",
            f"{ops.cpu_us:,.0f}",
            f"PTB echo {bare.cpu_us:,.0f}",
            ratio(ops.cpu_us, bare.cpu_us),
        ),
        Row(
            name,
            "CPU µs/update",
            f"{ops.cpu_us:,.0f}",
            f"echo + 1 row {one.cpu_us:,.0f}",
            ratio(ops.cpu_us, one.cpu_us),
            f"≤ {target}×",
            q.met,
        ),
        Row(
            name,
            "p50 ms",
            f"{ops.p50_ms:.2f}",
            f"echo + 1 row {one.p50_ms:.2f}",
            ratio(ops.p50_ms, one.p50_ms),
        ),
        Row(
            name,
            "p99 ms",
            f"{ops.p99_ms:.2f}",
            f"echo + 1 row {one.p99_ms:.2f}",
            ratio(ops.p99_ms, one.p99_ms),
        ),
    ]


def fanout_rows(f: fanout.FanoutResult) -> list[Row]:
    name = f"fan-out ({f.chats} chats)"
    rounds = len(f.rounds)
    once = min(r.once_each for r in f.rounds)
    return [
        Row(
            name,
            f"fan-out s (slowest of {rounds})",
            f"{f.slowest_s:.2f}",
            f"floor {f.floor_s:.2f}",
            ratio(f.slowest_s, f.floor_s),
            f"≤ {1 + fanout.FLOOR_TOLERANCE:.2f}×",
            f.within,
        ),
        Row(name, f"member replies p50 ms (n={f.replies})", f"{f.p50_ms:.1f}"),
        Row(
            name,
            f"member replies p99 ms (n={f.replies})",
            f"{f.p99_ms:.1f}",
            target=f"< {fanout.P99_TARGET_MS:.0f} ms",
            met=f.fast,
        ),
        Row(
            name,
            "delivered exactly once",
            f"{once}/{f.chats}",
            target=f"{f.chats}/{f.chats}, {rounds} rounds",
            met=f.delivered,
        ),
    ]


def surge_rows(r: surge.SurgeResult) -> list[Row]:
    name = f"surge ({r.officers} officers, {r.rate:g}/s)"
    return [
        Row(
            name,
            "Confirm → group's alert s",
            f"{r.confirm_to_alert_s:.2f}",
            "before: 5 s",
            target=f"≤ {surge.CONFIRM_TARGET_S:.0f} s",
            met=r.fast,
        ),
        Row(
            name,
            "peak sends in any second",
            str(r.peak_per_second),
            target=f"≤ {surge.PEAK_TARGET}",
            met=r.within,
        ),
        Row(name, f"replies lost (of {r.sent})", str(r.replies_lost), target="0", met=r.lossless),
        Row(name, "all answered after s", f"{r.drained_s:.1f}"),
    ]


def digest_rows(d: digest.DigestResult) -> list[Row]:
    small, large = d.small, d.large
    big = f"digest ({digest.shown_label(large.label)})"
    return [
        Row(f"digest ({digest.shown_label(small.label)})", "digest ms", f"{small.digest_ms:.1f}"),
        Row(
            big,
            "digest ms",
            f"{large.digest_ms:.1f}",
            f"{small.label} {small.digest_ms:.1f}",
            ratio(large.digest_ms, small.digest_ms),
            f"≤ {digest.TARGET}×",
            d.met,
        ),
        Row(
            big,
            "data only ms",
            f"{large.data_ms:.1f}",
            f"{small.label} {small.data_ms:.1f}",
            ratio(large.data_ms, small.data_ms),
        ),
        Row(
            big,
            f"quarterly PDF build s ({d.pdf.pages} pages)",
            f"{(d.pdf.gather_ms + d.pdf.render_ms) / 1e3:.2f}",
        ),
        Row("all", "peak memory MB (ru_maxrss)", f"{d.peak_rss_mb:.0f}"),
    ]


def memory_rows(m: memory.MemoryResult) -> list[Row]:
    name = "memory (tcag run)"
    floor = f"PTB + SQLModel {m.floor_mib:.0f}"
    return [
        Row(
            name,
            "idle RSS MiB after start",
            f"{m.idle_mib:.0f}",
            floor,
            ratio(m.idle_mib, m.floor_mib),
            f"≤ {memory.IDLE_TARGET_MIB:.0f} MiB",
            m.idle_met,
        ),
        Row(name, "RSS MiB after /digest (chart)", f"{m.rss('after /digest'):.0f}"),
        Row(name, "RSS MiB after /quarter (PDF)", f"{m.rss('after /quarter'):.0f}"),
        Row(
            name,
            "peak RSS MiB (VmHWM)",
            f"{m.peak_mib:.0f}",
            target=f"≤ {memory.PEAK_TARGET_MIB:.0f} MiB",
            met=m.peak_met,
        ),
    ]


HEADERS = ("benchmark", "figure", "value", "baseline", "ratio", "target", "met")
RIGHT = {2, 4}  # value, ratio: right-aligned; the rest to the left


def print_summary(rows: list[Row]) -> None:
    cells = [HEADERS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(
            v.rjust(w) if i in RIGHT else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    print(line(HEADERS))
    print("  ".join("-" * w for w in widths))
    for values in cells[1:]:
        print(line(values))


# ---- the run -------------------------------------------------------------------------------
def heading(title: str) -> None:
    print(f"\n{'=' * 8} {title} {'=' * (80 - len(title))}\n", flush=True)


async def main(url: str | None, sizes: Sizes) -> bool:
    where = await machine(url)
    heading("quick report")
    quick = await quick_report.main(url, sizes.updates, sizes.warmup, profile=False)
    heading("fan-out")
    fanned = await fanout.main(
        url, members=sizes.members, senders=10, rate=5.0, rounds=sizes.rounds, latency=0.01
    )
    heading("surge")
    surged = await surge.main(url)
    heading("digest")
    at, reuse = await digest_sizes(url, sizes)
    digested = await digest.run(url, reuse, False, at)
    heading("memory")
    remembered = await memory.measure(memory.REPORTS)
    memory.print_result(remembered)

    rows = [
        *quick_rows(quick),
        *fanout_rows(fanned),
        *surge_rows(surged),
        *digest_rows(digested),
        *memory_rows(remembered),
    ]
    heading("summary")
    print(f"Machine: {where}")
    print(f"Database: {shown_url(url)}; {'--quick' if sizes.quick else 'full sizes'}\n")
    print_summary(rows)
    missed = [row for row in rows if row.met is False]
    print()
    if missed:
        for row in missed:
            print(f"MISSED: {row.benchmark}: {row.figure} {row.value} (target {row.target})")
    else:
        print("Every target met.")
    return not missed


def run() -> None:
    options = parser(__doc__.splitlines()[0] if __doc__ else "")
    options.add_argument(
        "--quick", action="store_true", help="smaller sizes, databases reused (about 2 minutes)"
    )
    args = options.parse_args()
    url = args.database
    if url is not None:
        url = normalised_url(url)
        if make_url(url).get_backend_name() != "postgresql":
            raise SystemExit("--database takes a PostgreSQL URL (SQLite is the default)")
    ok = asyncio.run(main(url, QUICK if args.quick else FULL))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    run()
