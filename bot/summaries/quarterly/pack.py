"""The meeting pack's figures beyond the quarter's own counts: comparisons like with like
(the quarter before, the same quarter last year), the night-time profile, the points of
the hotspot map, coded outcomes of closed incidents, partnership actions, and the places
and the CCTV control room's review requests.

Gathered through the store's repository API, counts and coordinates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.partnership.comparisons import (
    Change,
    LikeForLike,
    change,
    like_for_like,
    year_before,
)
from bot.domain.partnership.partnership_actions import ActionStatus, status_on
from bot.domain.periods import Quarter
from bot.domain.reports.close_outcomes import CloseOutcome

if TYPE_CHECKING:
    from storage.partnership.pack import ReportPoint
    from storage.store import Store

COMPARED_CATEGORIES = 8  # the summary compares the largest few categories one by one
WEEKDAYS, HOURS = 7, 24


@dataclass(frozen=True)
class MeasureComparison:
    """One line of the summary: a count now, against the quarter before and a year before."""

    measure: str  # "reports", "urgent", "contacts", or "category" (then `category` names it)
    now: int
    vs_previous: Change
    vs_year: Change
    category: str | None = None


@dataclass(frozen=True)
class HotspotPlace:
    name: str
    lat: float
    lon: float
    radius_m: float
    reports: int


@dataclass(frozen=True)
class ActionRow:
    number: int
    owner: str
    due: date
    text: str
    status: ActionStatus


@dataclass(frozen=True)
class CctvFigures:
    """CCTV review requests made in the quarter, and how the control room answered them."""

    requests: int
    found: int
    median_minutes_to_answer: float | None
    nothing_found: int = 0
    no_coverage: int = 0
    unanswered: int = 0


@dataclass(frozen=True)
class PackFigures:
    previous: LikeForLike
    year_before: LikeForLike
    comparisons: tuple[MeasureComparison, ...]
    night: tuple[tuple[int, ...], ...]  # [weekday Monday=0][local hour] report counts
    points: tuple[ReportPoint, ...]
    unplaced: int  # reports in the quarter not on the map: no point, or outside the area
    places: tuple[HotspotPlace, ...]
    outcomes: dict[CloseOutcome | None, int]  # closed in the quarter; None: no code chosen
    actions: tuple[ActionRow, ...]
    cctv: CctvFigures | None = None  # None: not collected yet

    @property
    def to_date(self) -> bool:
        return self.previous.to_date

    @property
    def closed(self) -> int:
        return sum(self.outcomes.values())


def night_profile(times: list[datetime], tz: ZoneInfo) -> tuple[tuple[int, ...], ...]:
    """Reports by local weekday and hour, in the partnership's time zone."""
    grid = [[0] * HOURS for _ in range(WEEKDAYS)]
    for at in times:
        local = at.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
    return tuple(tuple(row) for row in grid)


async def _counts(store: Store, start: datetime, end: datetime) -> dict[str, int]:
    """Every measure the summary compares, over one window: total, urgent, contacts and
    each category by name (as "category:<name>")."""
    counts = {
        "reports": await store.stats.total(start, end),
        "urgent": len(await store.stats.urgent(start, end)),
        "contacts": (await store.outreach_stats.counts(start, end)).contacts,
    }
    for category in await store.stats.by_category(start, end):
        counts[f"category:{category.name}"] = category.count
    return counts


async def compare(
    store: Store, quarter: Quarter, tz: ZoneInfo, now: datetime
) -> tuple[LikeForLike, LikeForLike, tuple[MeasureComparison, ...]]:
    previous = like_for_like(quarter, quarter.previous, tz, now)
    last_year = like_for_like(quarter, year_before(quarter), tz, now)
    current = await _counts(store, previous.current.start, previous.current.end)
    before = await _counts(store, previous.earlier.start, previous.earlier.end)
    year = await _counts(store, last_year.earlier.start, last_year.earlier.end)
    categories = sorted(
        {key for key in (*current, *before, *year) if key.startswith("category:")},
        key=lambda key: (-current.get(key, 0), -before.get(key, 0), key),
    )[:COMPARED_CATEGORIES]
    rows = []
    for key in ("reports", "urgent", *categories, "contacts"):
        now_count = current.get(key, 0)
        is_category = key.startswith("category:")
        rows.append(
            MeasureComparison(
                measure="category" if is_category else key,
                now=now_count,
                vs_previous=change(now_count, before.get(key, 0)),
                vs_year=change(now_count, year.get(key, 0)),
                category=key.removeprefix("category:") if is_category else None,
            )
        )
    return previous, last_year, tuple(rows)


async def gather_cctv(store: Store, start: datetime, end: datetime) -> CctvFigures | None:
    """CCTV review requests made in the window (storage.alerts.cctv: counts only)."""
    counts = await store.cctv.counts(start, end)
    return CctvFigures(
        requests=counts.requests,
        found=counts.found,
        median_minutes_to_answer=counts.median_minutes_to_answer,
        nothing_found=counts.nothing_found,
        no_coverage=counts.no_coverage,
        unanswered=counts.unanswered,
    )


async def gather_pack(
    store: Store, quarter: Quarter, *, tz: ZoneInfo, now: datetime
) -> PackFigures:
    start, end = quarter.bounds(tz)
    previous, last_year, comparisons = await compare(store, quarter, tz, now)
    points = await store.pack.report_points(start, end)
    times = await store.pack.report_times(start, end)
    hotspot_counts = {
        h.hotspot_id: h.count for h in await store.stats.by_hotspot(start, end) if h.hotspot_id
    }
    places = tuple(
        HotspotPlace(h.name, h.lat, h.lon, h.radius_m, hotspot_counts.get(h.id or 0, 0))
        for h in await store.hotspots.active()
    )
    today = min(now, end).astimezone(tz).date()
    actions = tuple(
        ActionRow(
            number=a.id or 0,
            owner=a.owner,
            due=a.due,
            text=a.text,
            status=status_on(a.done_at is not None and a.done_at < end, a.due, today),
        )
        for a in await store.actions.for_period(start, end)
    )
    return PackFigures(
        previous=previous,
        year_before=last_year,
        comparisons=comparisons,
        night=night_profile(times, tz),
        points=tuple(points),
        unplaced=len(times) - len(points),
        places=places,
        outcomes=await store.pack.outcome_codes(start, end),
        actions=actions,
        cctv=await gather_cctv(store, start, end),
    )
