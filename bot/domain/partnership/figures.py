"""Summary figures: the plain values briefings, digests and stats are built from.

storage fills them from its queries and bot.summaries renders them; the arithmetic they
share (comparing periods, local hours across clock changes) lives here too.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import CctvCounts
from bot.domain.alerts.staff_safety import SafetyCounts
from bot.domain.reports.incidents import reference
from bot.domain.safeguarding import ConcernCounts


# ---- figures ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryCount:
    category_id: int
    name: str
    count: int
    sort_order: int = 0


@dataclass(frozen=True)
class HotspotCount:
    hotspot_id: int | None  # None: reports at a typed place or a point, not a hotspot
    name: str | None
    count: int


@dataclass(frozen=True)
class HourCount:
    """Reports of one category in one hour; `hour` is the UTC instant the local hour starts."""

    hour: datetime
    category_id: int
    count: int


@dataclass(frozen=True)
class UrgentIncident:
    report_id: int
    created_at: datetime
    category: str
    hotspot: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    attending: bool
    escalated: bool
    closed_at: datetime | None

    @property
    def reference(self) -> str:
        return reference(self.report_id)

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        if self.acknowledged_at is None:
            return None
        return max(self.acknowledged_at - self.created_at, timedelta(0))

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class AckSummary:
    """How fast urgent incidents were acknowledged."""

    urgent: int
    acknowledged: int
    median: timedelta | None
    longest: timedelta | None

    @classmethod
    def of(cls, incidents: Iterable[UrgentIncident]) -> AckSummary:
        incidents = list(incidents)
        waits = sorted(
            wait for wait in (i.time_to_acknowledge for i in incidents) if wait is not None
        )
        return cls(
            urgent=len(incidents),
            acknowledged=len(waits),
            median=statistics.median(waits) if waits else None,
            longest=waits[-1] if waits else None,
        )


@dataclass(frozen=True)
class StaffHours:
    """Time on duty inside a window: each session counts only for its overlap."""

    hours: float
    members: int
    sessions: int
    auto_closed: int  # sessions in the window closed automatically after their shift
    still_on: int  # sessions in the window not yet closed when the figures were taken


@dataclass(frozen=True)
class OutreachFigures:
    """Outreach work as counts only: never who."""

    contacts: int
    anonymous_contacts: int
    new_people: int
    returners: int
    referrals_made: int
    referrals_closed: int
    open_referrals: int


@dataclass(frozen=True)
class OverdueReferral:
    """An open referral nobody has touched (filed, reopened or taken) for too long: how
    long, and its hotspot; nothing about the person."""

    untouched: timedelta
    hotspot: str | None


@dataclass(frozen=True)
class NoteLine:
    note_id: int
    text: str
    author: str | None
    created_at: datetime


@dataclass(frozen=True)
class OnDuty:
    name: str
    role: Role
    since: datetime


@dataclass(frozen=True)
class CategoryComparison:
    """A category's count now and in the period compared against (None: no comparison)."""

    name: str
    count: int
    previous: float | None


@dataclass(frozen=True)
class Briefing:
    shift: str | None  # None: an on-demand briefing outside any shift
    starts_at: datetime | None
    ends_at: datetime | None
    since: datetime
    now: datetime
    total: int
    categories: tuple[CategoryCount, ...]
    hotspots: tuple[HotspotCount, ...]
    urgent: tuple[UrgentIncident, ...]  # filed since `since`
    still_open: tuple[UrgentIncident, ...]  # urgent, filed earlier and still open
    open_referrals: int
    overdue_referrals: tuple[OverdueReferral, ...]
    overdue_after: timedelta
    notes: tuple[NoteLine, ...]
    on_duty: tuple[OnDuty, ...]
    late: bool = False


@dataclass(frozen=True)
class Digest:
    shift: str
    starts_at: datetime
    ends_at: datetime
    total: int
    previous_total: int | None  # the same shift last week
    categories: tuple[CategoryComparison, ...]
    hotspots: tuple[HotspotCount, ...]
    urgent: tuple[UrgentIncident, ...]
    outreach: OutreachFigures
    staff: StaffHours
    late: bool = False
    cctv: CctvCounts | None = None  # CCTV review requests made in the shift
    safety: SafetyCounts = field(default_factory=SafetyCounts)  # staff safety: counts only
    safeguarding: ConcernCounts | None = None  # counts only: never what a concern says

    @property
    def acknowledgements(self) -> AckSummary:
        return AckSummary.of(self.urgent)


@dataclass(frozen=True)
class Weekly:
    starts_at: datetime
    ends_at: datetime
    total: int
    previous_totals: tuple[int, ...]  # the four weeks before, oldest first
    categories: tuple[CategoryComparison, ...]  # previous: the four weeks' average
    hotspots: tuple[HotspotCount, ...]
    urgent: AckSummary
    outreach: OutreachFigures
    staff: StaffHours
    late: bool = False
    safeguarding: ConcernCounts | None = None


@dataclass(frozen=True)
class StatsSummary:
    label: str
    starts_at: datetime
    ends_at: datetime
    total: int
    categories: tuple[CategoryCount, ...]
    hotspots: tuple[HotspotCount, ...]
    urgent: AckSummary
    cctv: CctvCounts | None = None  # CCTV review requests made in the period (unscoped)


@dataclass(frozen=True)
class ChartData:
    """Stacked bars: one label per bar, one series per category (same length as labels)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    x_label: str = ""
    # One per series: picks its colour, so a category keeps it from chart to chart.
    colour_keys: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return sum(sum(values) for _, values in self.series)


# ---- arithmetic the summaries share ---------------------------------------------------------
def compare_categories(
    current: Sequence[CategoryCount],
    previous: Sequence[CategoryCount] | None,
    *,
    periods: int = 1,
) -> tuple[CategoryComparison, ...]:
    """Current counts against a previous period (averaged over `periods` of them).

    A category seen only before still gets its line (0 now), so a drop is visible. Sorted by
    the current count, then the previous, then the categories' own order.
    """
    before = {c.category_id: c for c in previous or ()}
    now = {c.category_id: c for c in current}
    rows = []
    for category_id in {*now, *before}:
        found = now.get(category_id) or before[category_id]
        count = now[category_id].count if category_id in now else 0
        prev: float | None = None
        if previous is not None:
            prev = before[category_id].count / periods if category_id in before else 0.0
        rows.append((-count, -(prev or 0.0), found.sort_order, found.name, count, prev))
    rows.sort()
    return tuple(CategoryComparison(name, count, prev) for *_, name, count, prev in rows)


def sub_hour_offset(tz: ZoneInfo, at: datetime) -> int:
    """Seconds past the UTC hour at which local hours start (0 for London, 1800 for India)."""
    offset = at.astimezone(tz).utcoffset() or timedelta(0)
    return int(offset.total_seconds()) % 3600


def hour_starts(start: datetime, end: datetime, tz: ZoneInfo) -> list[datetime]:
    """The UTC instants each local hour starts in [start, end), the first one floored.

    Real hours, so the night the clocks go back has 01:00 twice and a 20:00–03:00 shift
    has eight bars, and the night they go forward has seven.
    """
    offset = sub_hour_offset(tz, start)
    epoch = int(start.timestamp())
    first = (epoch + offset) // 3600 * 3600 - offset
    hours = []
    at = datetime.fromtimestamp(first, UTC)
    while at < end:
        hours.append(at)
        at += timedelta(hours=1)
    return hours
