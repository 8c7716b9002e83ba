"""The quarterly partnership report's figures, gathered through the store: counts only.

`gather(store, quarter, ...)` asks the repository API for a quarter's counts (reports by
month and category, hotspots, time to acknowledge urgent alerts, outreach numbers).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.outreach import Action, ReferralOutcome
from bot.domain.partnership.survey import RoundResult, trend
from bot.domain.periods import Quarter
from bot.summaries.quarterly.pack import PackFigures, gather_pack
from bot.texts.partnership.quarterly import (
    PDF_MONTH_FORMAT,
    PDF_MONTH_SHORT_FORMAT,
    PDF_NOT_ACKNOWLEDGED,
    pdf_ack_bucket,
)

if TYPE_CHECKING:
    from bot.domain.partnership.figures import UrgentIncident
    from bot.domain.rough_sleeping import OutreachFigures
    from storage.outreach.counts import OutreachCounts
    from storage.store import Store

TOP_HOTSPOTS = 10
# Minutes from an urgent report to its first acknowledgement, for the distribution.
_ACK_LIMITS: tuple[float, ...] = (0, 2, 5, 10, 30, math.inf)
ACK_BUCKETS: tuple[tuple[str, float], ...] = tuple(
    (pdf_ack_bucket(lower, upper), upper) for lower, upper in itertools.pairwise(_ACK_LIMITS)
)
NOT_ACKNOWLEDGED = PDF_NOT_ACKNOWLEDGED


@dataclass(frozen=True)
class CategoryRow:
    name: str
    total: int
    urgent: int


@dataclass(frozen=True)
class HotspotRow:
    hotspot_id: int | None  # None: reports naming no hotspot
    name: str | None
    total: int
    urgent: int


@dataclass(frozen=True)
class AckSummary:
    """How fast urgent alerts were acknowledged."""

    urgent: int
    acknowledged: int
    target_minutes: int  # the escalation time: acknowledged within it, nobody was re-alerted
    within_target: int
    median_minutes: float | None
    p90_minutes: float | None
    buckets: tuple[tuple[str, int], ...]  # ACK_BUCKETS labels, then NOT_ACKNOWLEDGED

    @property
    def not_acknowledged(self) -> int:
        return self.urgent - self.acknowledged


def summarise_acks(timings: Sequence[UrgentIncident], target_minutes: int) -> AckSummary:
    minutes = sorted(
        max(0.0, (t.acknowledged_at - t.created_at).total_seconds() / 60)
        for t in timings
        if t.acknowledged_at is not None
    )
    counts = [0] * len(ACK_BUCKETS)
    for value in minutes:
        counts[next(i for i, (_, upper) in enumerate(ACK_BUCKETS) if value < upper)] += 1
    buckets = [(label, n) for (label, _), n in zip(ACK_BUCKETS, counts, strict=True)]
    buckets.append((NOT_ACKNOWLEDGED, len(timings) - len(minutes)))
    return AckSummary(
        urgent=len(timings),
        acknowledged=len(minutes),
        target_minutes=target_minutes,
        within_target=sum(1 for value in minutes if value <= target_minutes),
        median_minutes=statistics.median(minutes) if minutes else None,
        # Nearest rank: the time within which 90% of acknowledged alerts were answered.
        p90_minutes=minutes[math.ceil(0.9 * len(minutes)) - 1] if minutes else None,
        buckets=tuple(buckets),
    )


@dataclass(frozen=True)
class MonthFigures:
    first_day: date
    reports: int
    urgent: int
    by_category: dict[str, int]
    ack: AckSummary
    outreach: OutreachCounts
    rough_sleeping: OutreachFigures | None = None  # the data framework's measures

    @property
    def label(self) -> str:
        return self.first_day.strftime(PDF_MONTH_FORMAT)

    @property
    def short_label(self) -> str:
        return self.first_day.strftime(PDF_MONTH_SHORT_FORMAT)


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    timezone: str
    start: datetime
    end: datetime
    generated_at: datetime
    complete: bool  # False for the current quarter, reported so far
    categories: list[CategoryRow]
    previous_reports: int
    hotspots: list[HotspotRow]
    months: list[MonthFigures]
    ack: AckSummary
    outreach: OutreachCounts
    referral_outcomes: dict[ReferralOutcome, int]
    actions: dict[Action, int]
    pack: PackFigures | None = None  # the meeting pack's comparisons, maps, outcomes...
    duty_hours: float | None = None
    # The public survey: each round up to this quarter, with the change after dark since
    # the round before (percentage points).
    survey: list[tuple[RoundResult, int | None]] = field(default_factory=list)
    rough_sleeping: OutreachFigures | None = None  # the data framework's measures

    @property
    def reports(self) -> int:
        return sum(c.total for c in self.categories)

    @property
    def urgent(self) -> int:
        return sum(c.urgent for c in self.categories)


async def gather(
    store: Store,
    quarter: Quarter,
    *,
    tz: ZoneInfo,
    now: datetime,
    ack_target_minutes: int,
) -> QuarterFigures:
    """Every figure the report shows, through the repository API (counts only)."""
    start, end = quarter.bounds(tz)
    stats = store.stats
    urgent = await stats.urgent(start, end)
    months: list[MonthFigures] = []
    for first_day, month_start, month_end in quarter.month_bounds(tz):
        by_category = await stats.by_category(month_start, month_end)
        in_month = [i for i in urgent if month_start <= i.created_at < month_end]
        months.append(
            MonthFigures(
                first_day=first_day,
                reports=sum(c.count for c in by_category),
                urgent=len(in_month),
                by_category={c.name: c.count for c in by_category},
                ack=summarise_acks(in_month, ack_target_minutes),
                outreach=await store.outreach_stats.counts(month_start, month_end, tz=tz),
                rough_sleeping=await store.outreach_figures.figures(month_start, month_end, tz),
            )
        )
    urgent_by_category = Counter(i.category for i in urgent)
    urgent_by_hotspot = Counter(i.hotspot for i in urgent)
    pack = await gather_pack(store, quarter, tz=tz, now=now)
    # Like with like: a quarter not over is compared with the same days of the one before.
    previous_start, previous_end = pack.previous.earlier.start, pack.previous.earlier.end
    return QuarterFigures(
        quarter=quarter,
        timezone=str(tz),
        start=start,
        end=end,
        generated_at=now,
        complete=end <= now,
        categories=[
            CategoryRow(c.name, c.count, urgent_by_category[c.name])
            for c in await stats.by_category(start, end)
        ],
        previous_reports=await stats.total(previous_start, previous_end),
        hotspots=[
            HotspotRow(h.hotspot_id, h.name, h.count, urgent_by_hotspot[h.name])
            for h in await stats.by_hotspot(start, end, limit=TOP_HOTSPOTS)
        ],
        months=months,
        ack=summarise_acks(urgent, ack_target_minutes),
        outreach=await store.outreach_stats.counts(start, end, tz=tz),
        referral_outcomes=await store.quarterly.referral_outcomes(start, end),
        actions=await store.quarterly.contact_actions(start, end),
        pack=pack,
        duty_hours=(await stats.staff_hours(start, min(end, now))).hours,
        survey=trend(await store.survey.results(tz, until=quarter)),
        rough_sleeping=await store.outreach_figures.figures(start, end, tz),
    )
