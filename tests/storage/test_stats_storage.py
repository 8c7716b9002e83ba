"""storage.partnership.stats on SQLite and PostgreSQL: exact figures from reports at known times.

The night is tests.digest_data's Friday late shift (20:00–03:00, GMT); the reports just
before its start and at its end must not count. Every query must read a range of an index,
so a digest's cost follows the shift's rows, not the table's: the plans are checked too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from bot.domain.clock import ManualClock
from bot.domain.partnership.figures import (
    AckSummary,
    HourCount,
    hour_starts,
)
from storage.store import Store
from tests.support.digest_data import (
    SHIFT,
    SHIFT_END,
    SHIFT_START,
    at,
    duty,
    file,
    hotspots,
    people,
    seed_reports,
    services,
)
from tests.support.harness import make_settings

LONDON = ZoneInfo("Europe/London")


def names(counts: list[Any]) -> dict[str | None, int]:
    return {c.name: c.count for c in counts}


async def test_counts_by_category_and_hotspot(store: Store, clock: ManualClock) -> None:
    await seed_reports(store, clock)
    assert await store.stats.total(SHIFT_START, SHIFT_END) == 7
    by_category = await store.stats.by_category(SHIFT_START, SHIFT_END)
    assert [(c.name, c.count) for c in by_category] == [
        ("Street drinking", 3),
        # Equal counts follow the categories' own order.
        ("Weapon seen", 1),
        ("Violence or assault", 1),
        ("Antisocial behaviour", 1),
        ("Begging", 1),
    ]
    by_hotspot = await store.stats.by_hotspot(SHIFT_START, SHIFT_END)
    assert [(h.name, h.count) for h in by_hotspot] == [
        ("Elmer Square", 4),
        ("Market Street", 2),
        (None, 1),  # the typed place: counted, never named
    ]
    top = await store.stats.by_hotspot(SHIFT_START, SHIFT_END, limit=1)
    assert [(h.name, h.count) for h in top] == [("Elmer Square", 4), (None, 1)]
    # The week before, same hours.
    last_week = await store.stats.by_category(at(20, 20), at(21, 3))
    assert names(last_week) == {"Begging": 2, "Street drinking": 1}


async def test_an_empty_window_has_no_rows(store: Store, clock: ManualClock) -> None:
    await seed_reports(store, clock)
    empty = (at(25, 20), at(26, 3))
    assert await store.stats.total(*empty) == 0
    assert await store.stats.by_category(*empty) == []
    assert await store.stats.by_hotspot(*empty) == []
    assert await store.stats.by_hour(*empty, LONDON) == []
    assert await store.stats.urgent(*empty) == []


async def test_counts_by_local_hour(store: Store, clock: ManualClock) -> None:
    await seed_reports(store, clock)
    slugs = {c.id: c.slug for c in await store.categories.all()}
    rows = await store.stats.by_hour(SHIFT_START, SHIFT_END, LONDON)
    assert [(r.hour, slugs[r.category_id], r.count) for r in rows] == [
        (at(27, 20), "street_drinking", 2),
        (at(27, 21), "weapon", 1),
        (at(27, 21), "begging", 1),
        (at(27, 23), "asb", 1),
        (at(28, 0), "street_drinking", 1),
        (at(28, 2), "violence", 1),
    ]


async def test_the_night_the_clocks_go_back_has_two_one_oclock_hours(
    store: Store, clock: ManualClock
) -> None:
    """25 Oct 2026: 02:00 BST becomes 01:00 GMT. 20:00 BST Sat (19:00Z) to 03:00 GMT."""
    crew = await people(store)
    start = datetime(2026, 10, 24, 19, 0, tzinfo=UTC)
    end = datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    first_one = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second_one = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, an hour later
    for when in (first_one, second_one, second_one + timedelta(minutes=5)):
        await file(store, clock, crew.olly, "begging", when)
    rows = await store.stats.by_hour(start, end, LONDON)
    assert [(r.hour, r.count) for r in rows] == [
        (datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 1),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 2),
    ]
    hours = hour_starts(start, end, LONDON)
    assert len(hours) == 8  # the shift lasted 8 hours
    assert [h.astimezone(LONDON).strftime("%H") for h in hours] == [
        "20", "21", "22", "23", "00", "01", "01", "02"
    ]  # fmt: skip


async def test_hours_follow_a_zone_half_an_hour_off_utc(store: Store, clock: ManualClock) -> None:
    crew = await people(store)
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: local hours start at :30 UTC
    await file(store, clock, crew.olly, "begging", datetime(2026, 11, 27, 14, 45, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 11, 27, 15, 29, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 11, 27, 15, 30, tzinfo=UTC))
    rows = await store.stats.by_hour(at(27, 14, 30), at(27, 17), kolkata)
    assert [(r.hour.astimezone(kolkata).strftime("%H:%M"), r.count) for r in rows] == [
        ("20:00", 2),
        ("21:00", 1),
    ]
    assert all(isinstance(r, HourCount) for r in rows)


async def test_urgent_incidents_with_time_to_acknowledge(store: Store, clock: ManualClock) -> None:
    night = await seed_reports(store, clock)
    incidents = await store.stats.urgent(SHIFT_START, SHIFT_END)
    weapon, violence = incidents
    assert weapon.reference == f"R-{night.weapon.id:04d}"
    assert (weapon.category, weapon.hotspot) == ("Weapon seen", "Elmer Square")
    assert weapon.created_at == at(27, 21, 45)
    assert weapon.time_to_acknowledge == timedelta(minutes=3)
    assert (weapon.acknowledged_by, weapon.attending) == ("Cara", True)
    assert weapon.is_closed and not weapon.escalated
    assert (violence.category, violence.hotspot) == ("Violence or assault", "Market Street")
    assert violence.time_to_acknowledge is None and violence.acknowledged_by is None
    assert violence.escalated and not violence.is_closed
    summary = AckSummary.of(incidents)
    assert (summary.urgent, summary.acknowledged) == (2, 1)
    assert summary.median == summary.longest == timedelta(minutes=3)


async def test_median_time_to_acknowledge(store: Store, clock: ManualClock) -> None:
    crew = await people(store)
    from bot.domain.reports.incidents import AckKind

    for minute, wait in ((0, 2), (10, 10), (20, 4), (30, None)):
        report = await file(store, clock, crew.olly, "weapon", at(27, 21, minute), urgent=True)
        if wait is not None:
            clock.set(at(27, 21, minute) + timedelta(minutes=wait, seconds=30))
            await store.reports.acknowledge(report.id or 0, by=crew.cara, kind=AckKind.ACKNOWLEDGED)
    summary = AckSummary.of(await store.stats.urgent(at(27, 21), at(27, 22)))
    assert (summary.urgent, summary.acknowledged) == (4, 3)
    assert summary.median == timedelta(minutes=4, seconds=30)
    assert summary.longest == timedelta(minutes=10, seconds=30)


async def test_open_urgent_incidents_from_before(store: Store, clock: ManualClock) -> None:
    night = await seed_reports(store, clock)
    # At the next evening's briefing: the violence is still open, the weapon was closed.
    still_open = await store.stats.open_urgent_before(at(28, 19, 45))
    assert [i.report_id for i in still_open] == [night.violence.id]
    assert await store.stats.open_urgent_before(at(27, 21)) == []


async def test_staff_hours_count_each_sessions_overlap(store: Store, clock: ManualClock) -> None:
    crew = await people(store)
    await duty(store, clock, crew.olly, at(27, 19, 50), at(28, 3, 5))  # 7 h inside
    await duty(store, clock, crew.wendy, at(27, 10), at(27, 12))  # earlier that day
    await duty(store, clock, crew.wendy, at(27, 18), at(27, 20))  # ends as the shift starts
    await duty(store, clock, crew.wendy, at(27, 22), at(28, 1))  # 3 h
    await duty(store, clock, crew.wendy, at(28, 3), at(28, 4))  # starts as it ends
    await duty(store, clock, crew.cara, at(27, 20), at(28, 5), auto=True)  # 7 h, automatic
    await duty(store, clock, crew.omar, at(28, 2), None)  # still on: 1 h until the end
    clock.set(at(28, 3, 30))
    hours = await store.stats.staff_hours(SHIFT_START, SHIFT_END)
    assert hours.hours == 18.0
    assert (hours.members, hours.sessions) == (4, 4)
    assert (hours.auto_closed, hours.still_on) == (1, 1)
    # Half-way through the shift, the open session counts up to now.
    clock.set(at(28, 2, 30))
    assert (await store.stats.staff_hours(SHIFT_START, SHIFT_END)).hours == 7 + 3 + 7 + 0.5
    clock.set(at(28, 3, 30))
    empty = await store.stats.staff_hours(at(26, 20), at(27, 3))
    assert (empty.hours, empty.members, empty.auto_closed) == (0.0, 0, 0)


async def test_retired_categories_and_hotspots_still_count(
    store: Store, clock: ManualClock
) -> None:
    crew = await people(store)
    elmer, _ = await hotspots(store)
    await file(store, clock, crew.olly, "begging", at(27, 21), elmer)
    begging = await store.categories.by_slug("begging")
    assert begging is not None
    await store.categories.update(begging.id or 0, retired=True)
    await store.hotspots.remove(elmer.id or 0)
    assert names(await store.stats.by_category(SHIFT_START, SHIFT_END)) == {"Begging": 1}
    assert names(await store.stats.by_hotspot(SHIFT_START, SHIFT_END)) == {"Elmer Square": 1}


# ---- the cost follows the window: every read is a range of an index ------------------------
def _reads_a_range(dialect: str, plan: list[str], table: str) -> bool:
    if dialect == "sqlite":
        lines = [line for line in plan if f" {table} " in f" {line} "]
        return bool(lines) and all(
            line.startswith("SEARCH") and "INDEX" in line and "(" in line for line in lines
        )
    # Each scan of the table must carry an index condition (a range), not just a Filter.
    scans = [i for i, line in enumerate(plan) if f" on {table}" in line]
    for i in scans:
        if "Seq Scan" in plan[i]:
            return False
        details = []
        for line in plan[i + 1 :]:
            if "->" in line:
                break
            details.append(line)
        # A bitmap heap scan rechecks the condition its bitmap index scan (below) ranged on.
        if not any("Index Cond" in line or "Recheck Cond" in line for line in details):
            return False
    return bool(scans)


async def test_digest_and_briefing_queries_read_index_ranges(
    store: Store, clock: ManualClock
) -> None:
    from bot.summaries import compose as summaries

    night = await seed_reports(store, clock)
    await duty(store, clock, night.people.olly, at(27, 19, 50), None)
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        svc = services(store, clock, make_settings())
        await summaries.digest(svc, occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END)
        await summaries.briefing(svc, occurrence=SHIFT, since=at(27, 3), now=at(27, 19, 45))
        await summaries.weekly(svc, week_start=at(23, 0))
    finally:
        event.remove(engine, "before_cursor_execute", capture)

    mine = [
        (sql, params)
        for sql, params in statements
        if " FROM reports " in " ".join(sql.split()) + " "
        or " FROM duty_sessions " in " ".join(sql.split()) + " "
    ]
    assert len(mine) >= 10
    async with store.engine.connect() as connection:
        if store.dialect != "sqlite":
            # Tiny test tables make a sequential scan cheapest: ask whether an index could
            # serve instead, which is what a table of a million rows needs.
            await connection.exec_driver_sql("SET enable_seqscan = off")
        for sql, params in mine:
            explain = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN "
            rows = (await connection.exec_driver_sql(explain + sql, params)).all()
            plan = [str(row[-1] if store.dialect == "sqlite" else row[0]) for row in rows]
            table = (
                "reports" if " FROM reports " in " ".join(sql.split()) + " " else "duty_sessions"
            )
            assert _reads_a_range(store.dialect, plan, table), (sql, plan)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_range_check_rejects_full_scans(dialect: str) -> None:
    if dialect == "sqlite":
        assert not _reads_a_range(dialect, ["SCAN reports"], "reports")
        assert not _reads_a_range(
            dialect, ["SCAN reports USING INDEX ix_reports_category_id_created_at"], "reports"
        )
        assert _reads_a_range(
            dialect, ["SEARCH reports USING INDEX ix_reports_created_at (created_at>?)"], "reports"
        )
    else:
        assert not _reads_a_range(dialect, ["Seq Scan on reports  (cost=…)"], "reports")
        assert _reads_a_range(
            dialect,
            ["Index Scan using ix_reports_created_at on reports", "  Index Cond: (created_at…)"],
            "reports",
        )
        full_index = [
            "Nested Loop",
            "  ->  Index Scan using ix_reports_category_id_created_at on reports",
            "        Filter: (created_at >= …)",
            "  ->  Index Scan using pk_hotspots on hotspots",
            "        Index Cond: (id = reports.hotspot_id)",
        ]
        assert not _reads_a_range(dialect, full_index, "reports")
