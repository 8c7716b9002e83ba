"""Briefings, digests, weekly summaries and /stats: figures gathered from the store, rendered.

Each function takes the services and a window, reads the figures (storage.partnership.stats, the
outreach counts, notes and duty), hands them to bot.digest_content to render, and draws the
chart. The result is a `Composed`: what the scheduler writes to the outbox and what the
coordinators' commands send. Nothing here sends anything.

Windows are half-open [start, end) of aware instants. What goes in is counts, categories,
hotspots, references, times and member names: never a report's text or a person's details.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.outreach import referral_age
from bot.domain.partnership.figures import (
    AckSummary,
    Briefing,
    CategoryCount,
    ChartData,
    Digest,
    OnDuty,
    OutreachFigures,
    OverdueReferral,
    StatsSummary,
    Weekly,
    compare_categories,
)
from bot.domain.partnership.stats_scope import StatsScope
from bot.domain.shifts.shift_windows import ShiftOccurrence, to_utc
from bot.summaries import charts
from bot.summaries.content import (
    TOP_HOTSPOTS,
    daily_chart,
    hourly_chart,
    render_briefing,
    render_digest,
    render_stats,
    render_weekly,
    weeks_chart,
)
from bot.texts.partnership import summaries as summaries_texts
from bot.texts.partnership.summaries import stats_scoped_label

if TYPE_CHECKING:
    from bot.context import Services
    from storage.outreach.counts import OutreachCounts

WEEKS_COMPARED = 4  # the weekly summary sets the week against the four before


@dataclass(frozen=True)
class Composed:
    """HTML text (any length: senders split it), an optional PNG chart and its caption."""

    text: str
    chart_png: bytes | None = None
    caption: str | None = None


async def briefing(
    services: Services,
    *,
    occurrence: ShiftOccurrence | None,
    since: datetime,
    now: datetime,
    late: bool = False,
) -> Composed:
    """Before a shift (or on demand): what happened since the last one, notes, who is on."""
    store, settings = services.store, services.settings
    overdue_after = timedelta(hours=settings.referral_overdue_hours)
    _, open_referrals = await store.referrals.open_referrals(limit=0)
    overdue = await store.referrals.overdue_referrals(older_than=overdue_after)
    content = Briefing(
        shift=occurrence.pattern_name if occurrence else None,
        starts_at=occurrence.starts_at if occurrence else None,
        ends_at=occurrence.ends_at if occurrence else None,
        since=since,
        now=now,
        total=await store.stats.total(since, now),
        categories=tuple(await store.stats.by_category(since, now)),
        hotspots=tuple(await store.stats.by_hotspot(since, now, limit=TOP_HOTSPOTS)),
        urgent=tuple(await store.stats.urgent(since, now)),
        still_open=tuple(await store.stats.open_urgent_before(since)),
        open_referrals=open_referrals,
        # How long and the hotspot only: a typed place and a description describe a person.
        overdue_referrals=tuple(
            OverdueReferral(
                untouched=referral_age(view.referral.touched_at or view.referral.created_at, now),
                hotspot=view.hotspot.name if view.hotspot else None,
            )
            for view in overdue
        ),
        overdue_after=overdue_after,
        notes=tuple(await store.notes.active()),
        on_duty=tuple(
            OnDuty(d.member.name, d.member.role, d.session.started_at)
            for d in await store.duty.on_duty_now()
        ),
        late=late,
    )
    return Composed(render_briefing(content, settings.tz))


async def digest(
    services: Services,
    *,
    occurrence: ShiftOccurrence,
    start: datetime,
    end: datetime,
    late: bool = False,
) -> Composed:
    """After a shift: its figures against the same shift last week, and a chart by hour."""
    store, tz = services.store, services.settings.tz
    current = await store.stats.by_category(start, end)
    last_start, last_end = same_time_last_week(start, end, tz)
    previous = await store.stats.by_category(last_start, last_end)
    content = Digest(
        shift=occurrence.pattern_name,
        starts_at=start,
        ends_at=end,
        total=sum(c.count for c in current),
        previous_total=sum(c.count for c in previous),
        categories=compare_categories(current, previous),
        hotspots=tuple(await store.stats.by_hotspot(start, end, limit=TOP_HOTSPOTS)),
        urgent=tuple(await store.stats.urgent(start, end)),
        outreach=_outreach(await store.outreach_stats.counts(start, end, tz=tz)),
        safeguarding=await store.concerns.counts(start, end),
        staff=await store.stats.staff_hours(start, end),
        late=late,
        cctv=await store.cctv.counts(start, end),
        safety=await store.safety.counts(start, end),
    )
    title = summaries_texts.hourly_chart_title(
        occurrence.pattern_name, start.astimezone(tz).strftime(summaries_texts.DAY_FORMAT)
    )
    chart = hourly_chart(
        await store.stats.by_hour(start, end, tz),
        {c.category_id: c for c in current},
        start=start,
        end=end,
        tz=tz,
        title=title,
    )
    return await _with_chart(render_digest(content, tz), chart)


async def weekly(services: Services, *, week_start: datetime, late: bool = False) -> Composed:
    """Monday 00:00 local to the next Monday, against the four weeks before."""
    store, tz = services.store, services.settings.tz
    monday = week_start.astimezone(tz).date()
    monday -= timedelta(days=monday.weekday())

    def midnight(weeks_before: int) -> datetime:
        day = monday - timedelta(weeks=weeks_before)
        return to_utc(datetime.combine(day, datetime.min.time()), tz)

    start, end = midnight(0), midnight(-1)
    weeks: list[tuple[datetime, list[CategoryCount]]] = []
    for back in range(WEEKS_COMPARED, -1, -1):  # oldest first, this week last
        weeks.append(
            (midnight(back), await store.stats.by_category(midnight(back), midnight(back - 1)))
        )
    current = weeks[-1][1]
    before = [count for _, counts in weeks[:-1] for count in counts]
    content = Weekly(
        starts_at=start,
        ends_at=end,
        total=sum(c.count for c in current),
        previous_totals=tuple(sum(c.count for c in counts) for _, counts in weeks[:-1]),
        categories=compare_categories(current, _summed(before), periods=WEEKS_COMPARED),
        hotspots=tuple(await store.stats.by_hotspot(start, end, limit=TOP_HOTSPOTS)),
        urgent=AckSummary.of(await store.stats.urgent(start, end)),
        outreach=_outreach(await store.outreach_stats.counts(start, end, tz=tz)),
        safeguarding=await store.concerns.counts(start, end),
        staff=await store.stats.staff_hours(start, end),
        late=late,
    )
    chart = weeks_chart(
        [(at.astimezone(tz).date(), counts) for at, counts in weeks],
        title=summaries_texts.WEEKLY_CHART_TITLE,
    )
    return await _with_chart(render_weekly(content, tz), chart)


async def stats(
    services: Services,
    *,
    start: datetime,
    end: datetime,
    label: str,
    scope: StatsScope | None = None,
) -> Composed:
    """On demand (/stats 7d|30d|quarter [hotspot or category]): counts by category and
    hotspot, a chart by day; narrowed to one hotspot or category when `scope` names one."""
    store, tz = services.store, services.settings.tz
    if scope is not None:
        label = stats_scoped_label(label, scope.name)
    categories = await store.stats.by_category(start, end, scope=scope)
    content = StatsSummary(
        label=label,
        starts_at=start,
        ends_at=end,
        total=sum(c.count for c in categories),
        categories=tuple(categories),
        hotspots=tuple(await store.stats.by_hotspot(start, end, limit=10, scope=scope)),
        urgent=AckSummary.of(await store.stats.urgent(start, end, scope=scope)),
        cctv=await store.cctv.counts(start, end) if scope is None else None,
    )
    chart = daily_chart(
        await store.stats.by_hour(start, end, tz, scope=scope),
        {c.category_id: c for c in categories},
        start=start,
        end=end,
        tz=tz,
        title=summaries_texts.daily_chart_title(label),
    )
    return await _with_chart(render_stats(content, tz), chart)


# ---- helpers -----------------------------------------------------------------------------
def same_time_last_week(start: datetime, end: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The same local wall-clock window seven days earlier.

    By local time, not 7×24 h: across a DST change last week's shift started at a
    different UTC time, and "20:00–03:00 last Friday" is what people compare against.
    """

    def back(at: datetime) -> datetime:
        local = at.astimezone(tz).replace(tzinfo=None) - timedelta(days=7)
        return to_utc(local, tz)

    return back(start), back(end)


async def _with_chart(text: str, chart: ChartData) -> Composed:
    png = await asyncio.to_thread(charts.stacked_bars, chart)
    return Composed(text, png, summaries_texts.chart_caption(chart.title))


def _outreach(counts: OutreachCounts) -> OutreachFigures:
    return OutreachFigures(
        contacts=counts.contacts,
        anonymous_contacts=counts.anonymous_contacts,
        new_people=counts.new_people,
        returners=counts.returners,
        referrals_made=counts.referrals_made,
        referrals_closed=counts.referrals_closed,
        open_referrals=counts.open_referrals,
    )


def _summed(counts: list[CategoryCount]) -> list[CategoryCount]:
    """Several periods' counts added up per category."""
    totals: dict[int, CategoryCount] = {}
    for c in counts:
        known = totals.get(c.category_id)
        totals[c.category_id] = (
            CategoryCount(c.category_id, c.name, c.count + known.count, c.sort_order)
            if known
            else c
        )
    return list(totals.values())
