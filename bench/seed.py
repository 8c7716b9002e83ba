"""Seed a database with two years of reports and outreach contacts, fast, for the benchmarks.

    python -m bench.seed --database sqlite+aiosqlite:///data/bench/1m.db \
        --reports 1000000 --contacts 200000

The schema comes from `Store.upgrade()` (migrations and default categories); rows then go in
with bulk INSERTs in batches of 10,000 (SQLite: the driver's executemany with values already
in the form SQLAlchemy stores them; PostgreSQL: SQLAlchemy Core executemany).

The data: a town centre's two years to `NOW` — reports mostly at night, mostly at hotspots,
urgent ones acknowledged within minutes; outreach contacts with people seen again and again
(one person per ten contacts, so a person's history is as long at any size), a fifth
anonymous; referrals; duty sessions on the "Friday late" shift (Fri, Sat 20:00–03:00).

The benchmarked shift (`BENCH_DATE`, a Friday) and the same shift a week before hold the same
rows at every size (`BENCH_REPORTS`, `BENCH_CONTACTS`): the rest of the table is spread
around them, so comparing two sizes compares the table, not the shift.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.clock import ManualClock
from bot.domain.shifts.shift_windows import ShiftOccurrence, ShiftPattern, occurrence_on
from storage.catalog import HotspotIn
from storage.db import create_engine
from storage.models import (
    Category,
    DutySession,
    Hotspot,
    Member,
    OutreachContact,
    PersonRecord,
    Referral,
    Report,
)
from storage.store import Store

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # a Saturday noon: the data ends here
YEARS = 2
BENCH_DATE = date(2026, 11, 27)  # the Friday whose "Friday late" digest is benchmarked
BENCH_REPORTS = 150  # reports in that shift, at every size
BENCH_CONTACTS = 30
LAST_WEEK_REPORTS = 140  # and in the same shift a week before (the digest compares)
LAST_WEEK_CONTACTS = 25
CONTACTS_PER_PERSON = 10
CONTACTS_PER_REFERRAL = 20
BATCH = 10_000
SHIFT = ShiftPattern.from_text("Friday late", "fri,sat", "20:00", "03:00")

HOTSPOTS: tuple[tuple[str, float, float], ...] = (
    ("Elmer Square", 51.50720, -0.12760),
    ("Market Street", 51.50810, -0.12610),
    ("Bus Station", 51.50590, -0.12890),
    ("High Street", 51.50690, -0.12480),
    ("Castle Gardens", 51.50920, -0.12950),
    ("Riverside Walk", 51.50480, -0.12700),
    ("Station Approach", 51.50400, -0.12550),
    ("Church Lane", 51.50850, -0.12820),
)
HOTSPOT_WEIGHTS = (30, 20, 18, 12, 8, 6, 4, 2)
# Reports by local hour: quiet days, busy nights (the late shift's hours most of all).
HOUR_WEIGHTS = (9, 7, 5, 3, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 6, 8, 10, 12, 11)
DESCRIPTIONS = (
    "Group gathering, some shouting",
    "Person asleep in doorway",
    "Bottle broken near benches",
    "Argument outside the takeaway",
    None,
    None,
)
MEMBERS = (("officer", 30), ("warden", 25), ("outreach", 15), ("coordinator", 10))


def bench_shift() -> ShiftOccurrence:
    found = occurrence_on(SHIFT, TZ, BENCH_DATE)
    assert found is not None
    return found


def last_week_shift() -> ShiftOccurrence:
    found = occurrence_on(SHIFT, TZ, BENCH_DATE - timedelta(days=7))
    assert found is not None
    return found


@dataclass(frozen=True)
class Seeded:
    reports: int
    contacts: int
    people: int
    referrals: int
    duty_sessions: int
    seconds: float


# ---- value forms ---------------------------------------------------------------------------
def _sqlite_time(epoch_us: int | None) -> str | None:
    """What SQLAlchemy's SQLite DateTime stores: naive UTC, always with microseconds."""
    if epoch_us is None:
        return None
    seconds, micro = divmod(epoch_us, 1_000_000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f".{micro:06d}"


def _aware_time(epoch_us: int | None) -> datetime | None:
    if epoch_us is None:
        return None
    return datetime.fromtimestamp(epoch_us / 1_000_000, UTC)


def _us(at: datetime) -> int:
    return int(at.timestamp()) * 1_000_000 + at.microsecond


class Writer:
    """Bulk INSERTs of tuples in a table's column order, in batches, one transaction each."""

    def __init__(self, connection: AsyncConnection, dialect: str) -> None:
        self.connection = connection
        self.sqlite = dialect == "sqlite"
        self.time: Callable[[int | None], Any] = _sqlite_time if self.sqlite else _aware_time

    async def write(self, table: Table, columns: Sequence[str], rows: Iterator[tuple]) -> int:
        written = 0
        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        statement = insert(table)
        batch: list[tuple] = []

        async def flush() -> None:
            if not batch:
                return
            if self.sqlite:
                await self.connection.exec_driver_sql(sql, batch)
            else:
                await self.connection.execute(
                    statement, [dict(zip(columns, row, strict=True)) for row in batch]
                )
            batch.clear()

        for row in rows:
            batch.append(row)
            written += 1
            if len(batch) >= BATCH:
                await flush()
        await flush()
        return written


# ---- the data ------------------------------------------------------------------------------
def _night_times(rng: random.Random, count: int, first: int, last: int) -> list[int]:
    """`count` instants (µs since the epoch) in [first, last), weighted by local hour."""
    first -= first % 86_400_000_000  # UTC midnight: close enough to local for the weights
    days = (last - first) // 86_400_000_000
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
    found = []
    for hour in hours:
        day = rng.randrange(days)
        at = first + day * 86_400_000_000 + hour * 3_600_000_000 + rng.randrange(3_600_000_000)
        found.append(min(at, last - 1))
    return found


def _outside(times: list[int], windows: Sequence[tuple[int, int]], rng: random.Random) -> None:
    """Move instants that fall in a benchmarked window a day earlier (keeps the count)."""
    for i, at in enumerate(times):
        for start, end in windows:
            if start <= at < end:
                times[i] = at - 86_400_000_000 - rng.randrange(3_600_000_000)


async def seed(
    url: str, *, reports: int, contacts: int, schema: str | None = None, seed_value: int = 5
) -> Seeded:
    began = time.perf_counter()
    engine = open_engine(url, schema)
    try:
        return await _seed(engine, reports, contacts, seed_value, began)
    finally:
        await engine.dispose()


def open_engine(url: str, schema: str | None = None) -> AsyncEngine:
    if schema and make_url(url).get_backend_name() == "postgresql":
        return create_engine(url, connect_args={"server_settings": {"search_path": schema}})
    return create_engine(url)


async def _seed(
    engine: AsyncEngine, n_reports: int, n_contacts: int, seed_value: int, began: float
) -> Seeded:
    rng = random.Random(seed_value)
    store = Store(engine, ManualClock(NOW - timedelta(days=365 * YEARS + 1)))
    await store.upgrade()
    async with engine.connect() as connection:
        if (await connection.execute(select(func.count()).select_from(Report))).scalar_one():
            raise SystemExit("that database has reports already: seed an empty one")
    for name, lat, lon in HOTSPOTS:
        await store.hotspots.upsert(HotspotIn(name=name, lat=lat, lon=lon, radius_m=150))
    await store.shifts.add(SHIFT)

    first = _us(NOW - timedelta(days=365 * YEARS))
    last = _us(NOW)
    bench, before = bench_shift(), last_week_shift()
    windows = [(_us(o.starts_at), _us(o.ends_at)) for o in (bench, before)]

    async with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            await connection.exec_driver_sql("PRAGMA synchronous=OFF")
            await connection.exec_driver_sql("PRAGMA cache_size=-262144")
        writer = Writer(connection, engine.dialect.name)
        t = writer.time
        created = t(first)
        await writer.write(
            Member.__table__,  # type: ignore[arg-type]
            ("telegram_id", "name", "role", "is_admin", "status", "created_at", "updated_at"),
            (
                (
                    9_000_000 + len(role) * 1000 + n,
                    f"{role.title()} {n + 1}",
                    role,
                    False,
                    "active",
                    created,
                    created,
                )
                for role, count in MEMBERS
                for n in range(count)
            ),
        )
        member_rows = (await connection.execute(select(Member.id, Member.role))).all()
        members = [m for m, _ in member_rows]
        outreach_workers = [m for m, role in member_rows if role == "outreach"]
        categories = (await connection.execute(select(Category.id, Category.urgent))).all()
        hotspots = [h for (h,) in (await connection.execute(select(Hotspot.id))).all()]
        hot_weights = HOTSPOT_WEIGHTS[: len(hotspots)]

        # -- reports: the background, then the two benchmarked shifts' fixed rows
        times = _night_times(
            rng, max(n_reports - BENCH_REPORTS - LAST_WEEK_REPORTS, 0), first, last
        )
        _outside(times, windows, rng)
        for (start, end), count in zip(windows, (BENCH_REPORTS, LAST_WEEK_REPORTS), strict=True):
            fixed = random.Random(start)  # the same rows at every size
            times += sorted(start + fixed.randrange(end - start) for _ in range(count))
        times.sort()
        written_reports = await writer.write(
            Report.__table__,  # type: ignore[arg-type]
            _REPORT_COLUMNS,
            _reports(rng, times, members, categories, hotspots, hot_weights, t, last),
        )

        # -- people, their contacts, referrals
        n_people = max(n_contacts // CONTACTS_PER_PERSON, 50)
        contact_times = _night_times(
            rng, max(n_contacts - BENCH_CONTACTS - LAST_WEEK_CONTACTS, 0), first, last
        )
        _outside(contact_times, windows, rng)
        people_of = [None if rng.random() < 0.2 else rng.randrange(n_people) for _ in contact_times]
        for (start, end), count in zip(windows, (BENCH_CONTACTS, LAST_WEEK_CONTACTS), strict=True):
            fixed = random.Random(start)
            for n in range(count):
                contact_times.append(start + fixed.randrange(end - start))
                people_of.append(None if n % 5 == 4 else n * 7 % n_people)
        order = sorted(range(len(contact_times)), key=contact_times.__getitem__)
        contact_times = [contact_times[i] for i in order]
        people_of = [people_of[i] for i in order]
        seen: dict[int, list[int]] = {}
        for at, person in zip(contact_times, people_of, strict=True):
            if person is not None:
                span = seen.setdefault(person, [at, at])
                span[1] = at
        person_ids = await _people(writer, connection, n_people, seen, first, t)
        written_contacts = await writer.write(
            OutreachContact.__table__,  # type: ignore[arg-type]
            ("person_id", "worker_id", "at", "hotspot_id", "sleeping_site", "needs", "actions"),
            (
                (
                    person_ids[person] if person is not None else None,
                    rng.choice(outreach_workers),
                    t(at),
                    rng.choices(hotspots, weights=hot_weights)[0] if rng.random() < 0.8 else None,
                    rng.choice(("doorway", "tent", "begging", "not_out")),
                    rng.choice(("", "accom", "accom|food", "alcohol", "mental|phys")),
                    rng.choice(("", "", "", "streetlink", "housing", "gp|dna", "declined")),
                )
                for at, person in zip(contact_times, people_of, strict=True)
            ),
        )
        n_referrals = max(n_contacts // CONTACTS_PER_REFERRAL, 10)
        written_referrals = await writer.write(
            Referral.__table__,  # type: ignore[arg-type]
            (
                "created_at",
                "seen_at",
                "reporter_id",
                "hotspot_id",
                "status",
                "closed_by_id",
                "closed_at",
                "outcome",
                "touched_at",
            ),
            _referrals(rng, n_referrals, first, last, members, outreach_workers, hotspots, t),
        )
        written_duty = await writer.write(
            DutySession.__table__,  # type: ignore[arg-type]
            ("member_id", "started_at", "ended_at", "end_reason"),
            _duty(rng, members, t),
        )
    if engine.dialect.name == "postgresql":
        # Planner statistics, as autovacuum would gather them after such a load: without
        # them PostgreSQL guesses a fresh table small and scans outreach_contacts whole.
        async with engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql("ANALYZE")
    return Seeded(
        reports=written_reports,
        contacts=written_contacts,
        people=n_people,
        referrals=written_referrals,
        duty_sessions=written_duty,
        seconds=time.perf_counter() - began,
    )


_REPORT_COLUMNS = (
    "reporter_id", "category_id", "hotspot_id", "place_text", "lat", "lon", "outside_area",
    "description", "people_count", "urgent", "source", "status", "created_at",
    "acknowledged_at", "acknowledged_by_id", "ack_kind", "escalated_at", "closed_at",
    "closed_by_id", "outcome",
)  # fmt: skip


def _reports(
    rng: random.Random,
    times: Sequence[int],
    members: Sequence[int],
    categories: Sequence[Any],
    hotspots: Sequence[int],
    hot_weights: Sequence[int],
    t: Callable[[int | None], Any],
    last: int,
) -> Iterator[tuple]:
    recent = last - 2 * 86_400_000_000
    # Urgent categories (weapons, violence, safeguarding) are a few percent of reports.
    category_weights = [1 if urgent else 10 for _, urgent in categories]
    for at in times:
        category, urgent_category = rng.choices(categories, weights=category_weights)[0]
        urgent = bool(urgent_category) or rng.random() < 0.04
        at_hotspot = rng.random() < 0.85
        hotspot = rng.choices(hotspots, weights=hot_weights)[0] if at_hotspot else None
        ack_at = ack_by = ack_kind = escalated = None
        if urgent and rng.random() < 0.96:
            ack_at = at + int(rng.lognormvariate(0.8, 0.9) * 60_000_000)
            ack_by = rng.choice(members)
            ack_kind = "attending" if rng.random() < 0.6 else "acknowledged"
        elif urgent:
            escalated = at + 600_000_000
        still_open = at >= recent and rng.random() < 0.5
        closed = None if still_open else at + rng.randrange(600_000_000, 14_400_000_000)
        yield (
            rng.choice(members),
            category,
            hotspot,
            None if at_hotspot else "near the car park",
            51.5070 + rng.uniform(-0.003, 0.003),
            -0.1270 + rng.uniform(-0.003, 0.003),
            False,
            rng.choice(DESCRIPTIONS),
            rng.choice(("1", "2-3", "4-9", None)),
            urgent,
            rng.choice(("quick", "quick", "guided", "location")),
            "open" if still_open else "closed",
            t(at),
            t(ack_at),
            ack_by,
            ack_kind,
            t(escalated),
            t(closed),
            None if closed is None else rng.choice(members),
            None if closed is None else "Dealt with",
        )


async def _people(
    writer: Writer,
    connection: AsyncConnection,
    count: int,
    seen: dict[int, list[int]],
    first: int,
    t: Callable[[int | None], Any],
) -> list[int]:
    """People in index order; returns their ids (index → id)."""

    def rows() -> Iterator[tuple]:
        for n in range(count):
            first_seen, last_seen = seen.get(n, [first, first])
            yield (
                f"Bench person {n + 1}",
                "unknown",
                "",
                "",
                t(first_seen),
                t(last_seen),
                t(first_seen),
                t(last_seen),
            )

    await writer.write(
        PersonRecord.__table__,  # type: ignore[arg-type]
        (
            "alias",
            "age_band",
            "flags",
            "usual_sites",
            "first_seen",
            "last_seen",
            "created_at",
            "updated_at",
        ),
        rows(),
    )
    found = await connection.execute(select(PersonRecord.id).order_by(PersonRecord.id))
    return [i for (i,) in found.all()]


def _referrals(
    rng: random.Random,
    count: int,
    first: int,
    last: int,
    members: Sequence[int],
    workers: Sequence[int],
    hotspots: Sequence[int],
    t: Callable[[int | None], Any],
) -> Iterator[tuple]:
    recent = last - 3 * 86_400_000_000
    for at in sorted(_night_times(rng, count, first, last)):
        still_open = at >= recent or rng.random() < 0.01
        closed = None if still_open else at + rng.randrange(3_600_000_000, 172_800_000_000)
        yield (
            t(at),
            t(at),
            rng.choice(members),
            rng.choice(hotspots),
            "open" if still_open else "closed",
            None if closed is None else rng.choice(workers),
            t(closed),
            None if closed is None else rng.choice(("contacted", "contacted", "not_found")),
            t(at),  # touched when filed (the briefing's overdue rule)
        )


def _duty(
    rng: random.Random, members: Sequence[int], t: Callable[[int | None], Any]
) -> Iterator[tuple]:
    """Six members on each "Friday late" shift of the two years; a few closed automatically."""
    day = (NOW - timedelta(days=365 * YEARS)).astimezone(TZ).date()
    while day < NOW.date():
        shift = occurrence_on(SHIFT, TZ, day)
        if shift is not None and shift.ends_at <= NOW:
            start, end = _us(shift.starts_at), _us(shift.ends_at)
            for member in rng.sample(list(members), 6):
                auto = rng.random() < 0.05
                ended = (
                    end + 7_200_000_000
                    if auto
                    else end + rng.randrange(-1_800_000_000, 1_800_000_000)
                )
                yield (
                    member,
                    t(start + rng.randrange(900_000_000)),
                    t(ended),
                    "auto" if auto else "off",
                )
        day += timedelta(days=1)


# ---- command line --------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--database", required=True, metavar="URL")
    options.add_argument("--schema", default=None, help="PostgreSQL only: seed in this schema")
    options.add_argument("--reports", type=int, default=1_000_000)
    options.add_argument("--contacts", type=int, default=200_000)
    options.add_argument("--seed", type=int, default=5)
    args = options.parse_args(argv)
    seeded = asyncio.run(
        seed(
            args.database,
            reports=args.reports,
            contacts=args.contacts,
            schema=args.schema,
            seed_value=args.seed,
        )
    )
    print(
        f"seeded {seeded.reports:,} reports, {seeded.contacts:,} contacts, {seeded.people:,} "
        f"people, {seeded.referrals:,} referrals, {seeded.duty_sessions:,} duty sessions "
        f"in {seeded.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
