"""What briefings, digests and summaries say: plain figures in, HTML text out.

Pure domain (no telegram, no sqlalchemy): bot.summaries gathers the figures from the store
into these dataclasses, and the `render_*` functions assemble the message from the phrases
in bot.texts. Everything here goes to the coordinators' group (and a briefing also to each
member going on duty), so it carries counts, categories, hotspots, references, times and
member names only: never a report's description, a typed place, or anything about an
outreach client.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.alerts.cctv import CctvCounts
from bot.domain.partnership.figures import (
    AckSummary,
    Briefing,
    CategoryComparison,
    CategoryCount,
    ChartData,
    Digest,
    HotspotCount,
    HourCount,
    OutreachFigures,
    StaffHours,
    StatsSummary,
    UrgentIncident,
    Weekly,
    hour_starts,
)
from bot.domain.safeguarding import ConcernCounts
from bot.texts import common as common_texts
from bot.texts import safeguarding as safeguarding_texts
from bot.texts.partnership import summaries as summaries_texts

# Lists are capped so a busy night still reads on a phone; the counts stay complete.
TOP_HOTSPOTS = 5
MAX_URGENT_LINES = 25
MAX_STILL_OPEN_LINES = 10
MAX_OVERDUE_REFERRAL_LINES = 10


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
    labels = tuple(summaries_texts.chart_hour_label(hour, tz) for hour in hours)
    series, keys = _series(per_category, categories)
    return ChartData(
        title=title,
        labels=labels,
        x_label=summaries_texts.CHART_HOUR_AXIS,
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
        labels=tuple(summaries_texts.chart_day_label(day, many=len(days) > 10) for day in days),
        x_label=summaries_texts.CHART_DAY_AXIS,
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
        labels=tuple(summaries_texts.chart_week_label(monday) for monday, _ in weeks),
        x_label=summaries_texts.CHART_WEEK_AXIS,
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
            categories[cid].name if cid in categories else summaries_texts.UNKNOWN_CATEGORY,
            tuple(per_category[cid]),
        )
        for cid in ids
    )
    return series, ids


# ---- rendering ------------------------------------------------------------------------------
def render_briefing(briefing: Briefing, tz: ZoneInfo) -> str:
    b = briefing
    lines = [
        summaries_texts.briefing_heading(b.shift, _span(b.starts_at, b.ends_at, tz), late=b.late)
    ]
    lines.append(summaries_texts.since_line(common_texts.local_datetime(b.since, tz), b.total))
    lines += _category_lines(b.categories)
    lines += _hotspot_lines(b.hotspots)
    lines += _urgent_section(b.urgent, tz, heading=summaries_texts.URGENT_SINCE_HEADING)
    if b.still_open:
        lines.append(summaries_texts.still_open_heading(len(b.still_open)))
        lines += _capped(
            [_urgent_line(i, tz, with_date=True) for i in b.still_open], MAX_STILL_OPEN_LINES
        )
    lines.append("")
    lines.append(summaries_texts.open_referrals_line(b.open_referrals))
    if b.overdue_referrals:
        lines.append(
            summaries_texts.overdue_referrals_heading(len(b.overdue_referrals), b.overdue_after)
        )
        lines += _capped(
            [
                summaries_texts.overdue_referral_line(common_texts.duration(r.untouched), r.hotspot)
                for r in b.overdue_referrals
            ],
            MAX_OVERDUE_REFERRAL_LINES,
        )
    lines.append("")
    if b.notes:
        lines.append(summaries_texts.NOTES_HEADING)
        lines += [
            summaries_texts.note_line(
                n.note_id, n.text, n.author, common_texts.local_datetime(n.created_at, tz)
            )
            for n in b.notes
        ]
    else:
        lines.append(summaries_texts.NO_NOTES)
    lines.append("")
    if b.on_duty:
        lines.append(summaries_texts.on_duty_heading(len(b.on_duty)))
        lines += [
            summaries_texts.on_duty_line(d.name, d.role.label, common_texts.local_time(d.since, tz))
            for d in b.on_duty
        ]
    else:
        lines.append(summaries_texts.NOBODY_ON_DUTY)
    return "\n".join(lines).strip()


def render_digest(digest: Digest, tz: ZoneInfo) -> str:
    d = digest
    lines = [
        summaries_texts.digest_heading(d.shift, _span(d.starts_at, d.ends_at, tz), late=d.late)
    ]
    lines.append(summaries_texts.total_line(d.total, d.previous_total, summaries_texts.LAST_WEEK))
    lines += _comparison_lines(d.categories, summaries_texts.LAST_WEEK)
    lines += _hotspot_lines(d.hotspots)
    lines += _urgent_section(d.urgent, tz, heading=summaries_texts.URGENT_HEADING)
    if d.urgent:
        lines.append(_ack_summary_line(d.acknowledgements))
    lines += _outreach_lines(d.outreach)
    lines += _cctv_lines(d.cctv)
    lines += _safeguarding_lines(d.safeguarding)
    lines += _staff_lines(d.staff)
    if d.safety.any:
        lines.append(
            summaries_texts.safety_line(
                d.safety.checkins_missed, d.safety.help_raised, d.safety.median_ack_minutes
            )
        )
    return "\n".join(lines).strip()


def render_weekly(weekly: Weekly, tz: ZoneInfo) -> str:
    w = weekly
    previous = w.previous_totals
    average = sum(previous) / len(previous) if previous else None
    lines = [
        summaries_texts.weekly_heading(
            _span(w.starts_at, w.ends_at, tz, dates_only=True), late=w.late
        )
    ]
    lines.append(summaries_texts.weekly_total_line(w.total, average, previous))
    lines += _comparison_lines(w.categories, summaries_texts.FOUR_WEEK_AVERAGE)
    lines += _hotspot_lines(w.hotspots)
    lines.append("")
    lines.append(summaries_texts.URGENT_HEADING)
    lines.append(_ack_summary_line(w.urgent))
    lines += _outreach_lines(w.outreach)
    lines += _safeguarding_lines(w.safeguarding)
    lines += _staff_lines(w.staff)
    return "\n".join(lines).strip()


def render_stats(summary: StatsSummary, tz: ZoneInfo) -> str:
    s = summary
    lines = [
        summaries_texts.stats_heading(s.label, _span(s.starts_at, s.ends_at, tz, dates_only=True)),
        summaries_texts.total_line(s.total, None, ""),
    ]
    lines += _category_lines(s.categories)
    lines += _hotspot_lines(s.hotspots, limit=10)
    lines.append("")
    lines.append(summaries_texts.URGENT_HEADING)
    lines.append(_ack_summary_line(s.urgent))
    lines += _cctv_lines(s.cctv)
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
        return summaries_texts.date_span(
            first.strftime(summaries_texts.DAY_FORMAT), last.strftime(summaries_texts.DAY_FORMAT)
        )
    return summaries_texts.time_span(
        common_texts.local_datetime(start, tz), _end_label(start, end, tz)
    )


def _end_label(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    same_day = start.astimezone(tz).date() == end.astimezone(tz).date()
    return common_texts.local_time(end, tz) if same_day else common_texts.local_datetime(end, tz)


def _capped(lines: list[str], limit: int) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], summaries_texts.and_more(len(lines) - limit)]


def _category_lines(categories: Sequence[CategoryCount]) -> list[str]:
    if not categories:
        return []
    ordered = sorted(categories, key=lambda c: (-c.count, c.sort_order, c.name))
    return ["", summaries_texts.BY_CATEGORY_HEADING] + [
        summaries_texts.count_line(c.name, c.count) for c in ordered
    ]


def _comparison_lines(rows: Sequence[CategoryComparison], against: str) -> list[str]:
    if not rows:
        return []
    return ["", summaries_texts.BY_CATEGORY_HEADING] + [
        summaries_texts.comparison_line(r.name, r.count, r.previous, against) for r in rows
    ]


def _hotspot_lines(hotspots: Sequence[HotspotCount], *, limit: int = TOP_HOTSPOTS) -> list[str]:
    named = [h for h in hotspots if h.name is not None]
    elsewhere = sum(h.count for h in hotspots if h.name is None)
    if not named and not elsewhere:
        return []
    lines = ["", summaries_texts.TOP_HOTSPOTS_HEADING]
    lines += [summaries_texts.count_line(h.name or "", h.count) for h in named[:limit]]
    if elsewhere:
        lines.append(
            summaries_texts.count_line(summaries_texts.NOT_AT_A_HOTSPOT, elsewhere, italic=True)
        )
    return lines


def _urgent_section(
    incidents: Sequence[UrgentIncident], tz: ZoneInfo, *, heading: str
) -> list[str]:
    lines = ["", heading]
    if not incidents:
        return [*lines, summaries_texts.NO_URGENT]
    return lines + _capped([_urgent_line(i, tz) for i in incidents], MAX_URGENT_LINES)


def _urgent_line(incident: UrgentIncident, tz: ZoneInfo, *, with_date: bool = False) -> str:
    i = incident
    when = (
        common_texts.local_datetime(i.created_at, tz)
        if with_date
        else common_texts.local_time(i.created_at, tz)
    )
    wait = i.time_to_acknowledge
    return summaries_texts.urgent_line(
        reference=i.reference,
        at=when,
        category=i.category,
        hotspot=i.hotspot,
        acknowledged_by=i.acknowledged_by,
        acknowledged_after=common_texts.duration(wait) if wait is not None else None,
        attending=i.attending,
        escalated=i.escalated,
        closed=i.is_closed,
    )


def _ack_summary_line(summary: AckSummary) -> str:
    return summaries_texts.ack_summary(
        summary.urgent,
        summary.acknowledged,
        common_texts.duration(summary.median) if summary.median is not None else None,
        common_texts.duration(summary.longest) if summary.longest is not None else None,
    )


def _outreach_lines(o: OutreachFigures) -> list[str]:
    return [
        "",
        summaries_texts.OUTREACH_HEADING,
        summaries_texts.outreach_figures(
            contacts=o.contacts,
            anonymous=o.anonymous_contacts,
            new_people=o.new_people,
            returners=o.returners,
            referrals_made=o.referrals_made,
            referrals_closed=o.referrals_closed,
            open_referrals=o.open_referrals,
        ),
    ]


def _cctv_lines(c: CctvCounts | None) -> list[str]:
    """The control room's review requests: only when there were any (counts only)."""
    if c is None or not c.requests:
        return []
    median = c.median_minutes_to_answer
    return [
        "",
        summaries_texts.CCTV_HEADING,
        summaries_texts.cctv_figures(
            requests=c.requests,
            found=c.found,
            nothing_found=c.nothing_found,
            no_coverage=c.no_coverage,
            unanswered=c.unanswered,
            median=common_texts.duration(timedelta(minutes=median)) if median is not None else None,
        ),
    ]


def _safeguarding_lines(counts: ConcernCounts | None) -> list[str]:
    """Counts only (raised, acknowledged, median time to acknowledge), when any was raised."""
    if counts is None or not counts.raised:
        return []
    return [
        "",
        safeguarding_texts.concern_counts_line(
            counts.raised, counts.acknowledged, counts.median_minutes_to_acknowledge
        ),
    ]


def _staff_lines(s: StaffHours) -> list[str]:
    lines = [
        "",
        summaries_texts.STAFF_HEADING,
        summaries_texts.staff_hours_line(s.hours, s.members),
    ]
    if s.auto_closed:
        lines.append(summaries_texts.auto_closed_line(s.auto_closed))
    if s.still_on:
        lines.append(summaries_texts.still_on_duty_line(s.still_on))
    return lines
