"""What briefings, digests and summaries say: plain figures in, HTML text out.

Pure domain (no telegram, no sqlalchemy): bot.summaries gathers the figures from the store
into these dataclasses, and the `render_*` functions assemble the message from the phrases
in bot.texts. Everything here goes to the coordinators' group (and a briefing also to each
member going on duty), so it carries counts, categories, hotspots, references, times and
member names only: never a report's description, a typed place, or anything about an
outreach client.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.incidents import reference
from bot.domain.roles import Role

# Lists are capped so a busy night still reads on a phone; the counts stay complete.
TOP_HOTSPOTS = 5
MAX_URGENT_LINES = 25
MAX_STILL_OPEN_LINES = 10
MAX_STALE_REFERRAL_LINES = 10


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
class StaleReferral:
    """An open referral waiting too long: its age and hotspot, nothing about the person."""

    age: timedelta
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
    stale_referrals: tuple[StaleReferral, ...]
    stale_after: timedelta
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


@dataclass(frozen=True)
class StatsSummary:
    label: str
    starts_at: datetime
    ends_at: datetime
    total: int
    categories: tuple[CategoryCount, ...]
    hotspots: tuple[HotspotCount, ...]
    urgent: AckSummary


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


def hourly_chart(
    counts: Sequence[HourCount],
    categories: dict[int, CategoryCount],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    title: str,
) -> ChartData:
    """Incidents per local hour of [start, end), stacked by category."""
    hours = hour_starts(start, end, tz)
    index = {hour: i for i, hour in enumerate(hours)}
    per_category: dict[int, list[int]] = {}
    for row in counts:
        slot = index.get(row.hour)
        if slot is None:
            continue
        per_category.setdefault(row.category_id, [0] * len(hours))[slot] += row.count
    labels = tuple(texts.chart_hour_label(hour, tz) for hour in hours)
    series, keys = _series(per_category, categories)
    return ChartData(
        title=title,
        labels=labels,
        x_label=texts.CHART_HOUR_AXIS,
        series=series,
        colour_keys=keys,
    )


def daily_chart(
    counts: Sequence[HourCount],
    categories: dict[int, CategoryCount],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    title: str,
) -> ChartData:
    """Incidents per local day of [start, end), stacked by category (hour rows summed)."""
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    index = {day: i for i, day in enumerate(days)}
    per_category: dict[int, list[int]] = {}
    for row in counts:
        slot = index.get(row.hour.astimezone(tz).date())
        if slot is None:
            continue
        per_category.setdefault(row.category_id, [0] * len(days))[slot] += row.count
    series, keys = _series(per_category, categories)
    return ChartData(
        title=title,
        labels=tuple(texts.chart_day_label(day, many=len(days) > 10) for day in days),
        x_label=texts.CHART_DAY_AXIS,
        series=series,
        colour_keys=keys,
    )


def weeks_chart(weeks: Sequence[tuple[date, Sequence[CategoryCount]]], *, title: str) -> ChartData:
    """One bar per week (its Monday), stacked by category: the week against the ones before."""
    categories: dict[int, CategoryCount] = {}
    per_category: dict[int, list[int]] = {}
    for slot, (_, counts) in enumerate(weeks):
        for row in counts:
            categories.setdefault(row.category_id, row)
            per_category.setdefault(row.category_id, [0] * len(weeks))[slot] += row.count
    series, keys = _series(per_category, categories)
    return ChartData(
        title=title,
        labels=tuple(texts.chart_week_label(monday) for monday, _ in weeks),
        x_label=texts.CHART_WEEK_AXIS,
        series=series,
        colour_keys=keys,
    )


def _series(
    per_category: dict[int, list[int]], categories: dict[int, CategoryCount]
) -> tuple[tuple[tuple[str, tuple[int, ...]], ...], tuple[int, ...]]:
    """Series in the categories' own order, and their category ids (for their colours)."""

    def order(category_id: int) -> tuple[int, int]:
        known = categories.get(category_id)
        return (known.sort_order if known else 1_000_000, category_id)

    ids = tuple(sorted(per_category, key=order))
    series = tuple(
        (
            categories[cid].name if cid in categories else texts.UNKNOWN_CATEGORY,
            tuple(per_category[cid]),
        )
        for cid in ids
    )
    return series, ids


# ---- rendering ------------------------------------------------------------------------------
def render_briefing(briefing: Briefing, tz: ZoneInfo) -> str:
    b = briefing
    lines = [texts.briefing_heading(b.shift, _span(b.starts_at, b.ends_at, tz), late=b.late)]
    lines.append(texts.since_line(texts.local_datetime(b.since, tz), b.total))
    lines += _category_lines(b.categories)
    lines += _hotspot_lines(b.hotspots)
    lines += _urgent_section(b.urgent, tz, heading=texts.URGENT_SINCE_HEADING)
    if b.still_open:
        lines.append(texts.still_open_heading(len(b.still_open)))
        lines += _capped(
            [_urgent_line(i, tz, with_date=True) for i in b.still_open], MAX_STILL_OPEN_LINES
        )
    lines.append("")
    lines.append(texts.open_referrals_line(b.open_referrals))
    if b.stale_referrals:
        lines.append(texts.stale_referrals_heading(len(b.stale_referrals), b.stale_after))
        lines += _capped(
            [
                texts.stale_referral_line(texts.duration(r.age), r.hotspot)
                for r in b.stale_referrals
            ],
            MAX_STALE_REFERRAL_LINES,
        )
    lines.append("")
    if b.notes:
        lines.append(texts.NOTES_HEADING)
        lines += [
            texts.note_line(n.note_id, n.text, n.author, texts.local_datetime(n.created_at, tz))
            for n in b.notes
        ]
    else:
        lines.append(texts.NO_NOTES)
    lines.append("")
    if b.on_duty:
        lines.append(texts.on_duty_heading(len(b.on_duty)))
        lines += [
            texts.on_duty_line(d.name, d.role.label, texts.local_time(d.since, tz))
            for d in b.on_duty
        ]
    else:
        lines.append(texts.NOBODY_ON_DUTY)
    return "\n".join(lines).strip()


def render_digest(digest: Digest, tz: ZoneInfo) -> str:
    d = digest
    lines = [texts.digest_heading(d.shift, _span(d.starts_at, d.ends_at, tz), late=d.late)]
    lines.append(texts.total_line(d.total, d.previous_total, texts.LAST_WEEK))
    lines += _comparison_lines(d.categories, texts.LAST_WEEK)
    lines += _hotspot_lines(d.hotspots)
    lines += _urgent_section(d.urgent, tz, heading=texts.URGENT_HEADING)
    if d.urgent:
        lines.append(_ack_summary_line(d.acknowledgements))
    lines += _outreach_lines(d.outreach)
    lines += _staff_lines(d.staff)
    return "\n".join(lines).strip()


def render_weekly(weekly: Weekly, tz: ZoneInfo) -> str:
    w = weekly
    previous = w.previous_totals
    average = sum(previous) / len(previous) if previous else None
    lines = [texts.weekly_heading(_span(w.starts_at, w.ends_at, tz, dates_only=True), late=w.late)]
    lines.append(texts.weekly_total_line(w.total, average, previous))
    lines += _comparison_lines(w.categories, texts.FOUR_WEEK_AVERAGE)
    lines += _hotspot_lines(w.hotspots)
    lines.append("")
    lines.append(texts.URGENT_HEADING)
    lines.append(_ack_summary_line(w.urgent))
    lines += _outreach_lines(w.outreach)
    lines += _staff_lines(w.staff)
    return "\n".join(lines).strip()


def render_stats(summary: StatsSummary, tz: ZoneInfo) -> str:
    s = summary
    lines = [
        texts.stats_heading(s.label, _span(s.starts_at, s.ends_at, tz, dates_only=True)),
        texts.total_line(s.total, None, ""),
    ]
    lines += _category_lines(s.categories)
    lines += _hotspot_lines(s.hotspots, limit=10)
    lines.append("")
    lines.append(texts.URGENT_HEADING)
    lines.append(_ack_summary_line(s.urgent))
    return "\n".join(lines).strip()


def _span(
    start: datetime | None, end: datetime | None, tz: ZoneInfo, *, dates_only: bool = False
) -> str | None:
    if start is None or end is None:
        return None
    if dates_only:
        # The window is half-open: a week "Mon 00:00 → next Mon 00:00" is Mon to Sun.
        last = (end - timedelta(microseconds=1)).astimezone(tz)
        first = start.astimezone(tz)
        return texts.date_span(first.strftime(texts.DAY_FORMAT), last.strftime(texts.DAY_FORMAT))
    return texts.time_span(texts.local_datetime(start, tz), _end_label(start, end, tz))


def _end_label(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    same_day = start.astimezone(tz).date() == end.astimezone(tz).date()
    return texts.local_time(end, tz) if same_day else texts.local_datetime(end, tz)


def _capped(lines: list[str], limit: int) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], texts.and_more(len(lines) - limit)]


def _category_lines(categories: Sequence[CategoryCount]) -> list[str]:
    if not categories:
        return []
    ordered = sorted(categories, key=lambda c: (-c.count, c.sort_order, c.name))
    return ["", texts.BY_CATEGORY_HEADING] + [texts.count_line(c.name, c.count) for c in ordered]


def _comparison_lines(rows: Sequence[CategoryComparison], against: str) -> list[str]:
    if not rows:
        return []
    return ["", texts.BY_CATEGORY_HEADING] + [
        texts.comparison_line(r.name, r.count, r.previous, against) for r in rows
    ]


def _hotspot_lines(hotspots: Sequence[HotspotCount], *, limit: int = TOP_HOTSPOTS) -> list[str]:
    named = [h for h in hotspots if h.name is not None]
    elsewhere = sum(h.count for h in hotspots if h.name is None)
    if not named and not elsewhere:
        return []
    lines = ["", texts.TOP_HOTSPOTS_HEADING]
    lines += [texts.count_line(h.name or "", h.count) for h in named[:limit]]
    if elsewhere:
        lines.append(texts.count_line(texts.NOT_AT_A_HOTSPOT, elsewhere, italic=True))
    return lines


def _urgent_section(
    incidents: Sequence[UrgentIncident], tz: ZoneInfo, *, heading: str
) -> list[str]:
    lines = ["", heading]
    if not incidents:
        return [*lines, texts.NO_URGENT]
    return lines + _capped([_urgent_line(i, tz) for i in incidents], MAX_URGENT_LINES)


def _urgent_line(incident: UrgentIncident, tz: ZoneInfo, *, with_date: bool = False) -> str:
    i = incident
    when = (
        texts.local_datetime(i.created_at, tz) if with_date else texts.local_time(i.created_at, tz)
    )
    wait = i.time_to_acknowledge
    return texts.urgent_line(
        reference=i.reference,
        at=when,
        category=i.category,
        hotspot=i.hotspot,
        acknowledged_by=i.acknowledged_by,
        acknowledged_after=texts.duration(wait) if wait is not None else None,
        attending=i.attending,
        escalated=i.escalated,
        closed=i.is_closed,
    )


def _ack_summary_line(summary: AckSummary) -> str:
    return texts.ack_summary(
        summary.urgent,
        summary.acknowledged,
        texts.duration(summary.median) if summary.median is not None else None,
        texts.duration(summary.longest) if summary.longest is not None else None,
    )


def _outreach_lines(o: OutreachFigures) -> list[str]:
    return [
        "",
        texts.OUTREACH_HEADING,
        texts.outreach_figures(
            contacts=o.contacts,
            anonymous=o.anonymous_contacts,
            new_people=o.new_people,
            returners=o.returners,
            referrals_made=o.referrals_made,
            referrals_closed=o.referrals_closed,
            open_referrals=o.open_referrals,
        ),
    ]


def _staff_lines(s: StaffHours) -> list[str]:
    lines = ["", texts.STAFF_HEADING, texts.staff_hours_line(s.hours, s.members)]
    if s.auto_closed:
        lines.append(texts.auto_closed_line(s.auto_closed))
    if s.still_on:
        lines.append(texts.still_on_duty_line(s.still_on))
    return lines
