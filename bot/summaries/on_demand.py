"""What coordinators ask for on demand: the briefing now, a shift's digest, stats, exports.

Composition only, like bot.summaries (which renders the briefing, digest and stats): this
chooses the shift and window a command means, and builds export files. The handlers in
handlers.partnership.coordinator send the results; `tcag report` and /quarter use bot.quarterly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.access.audit import AuditAction
from bot.domain.partnership.csv_export import OutreachDay, file_name, outreach_csv, reports_csv
from bot.domain.partnership.stats_scope import (
    Candidate,
    ScopeKind,
    ScopeNotFound,
    StatsScope,
    match_scope,
    split_period,
)
from bot.domain.periods import (
    DateRange,
    PeriodError,
    briefing_occurrence,
    digest_shift,
    parse_stats_period,
)
from bot.summaries import compose as summaries
from bot.summaries.windows import DEFAULT_BRIEFING_SPAN, briefing_since

if TYPE_CHECKING:
    from bot.context import Services
    from storage.models import Member


async def briefing_now(services: Services, now: datetime) -> summaries.Composed:
    """The briefing for the shift in progress, else the next one, covering the time since
    the last shift (as the scheduled briefing would); with no shifts, the last day."""
    patterns = await services.store.shifts.patterns()
    occurrence = briefing_occurrence(patterns, services.settings.tz, now)
    if occurrence is None:
        since = now - DEFAULT_BRIEFING_SPAN
    else:
        since = await briefing_since(services, occurrence, patterns, now)
    return await summaries.briefing(services, occurrence=occurrence, since=since, now=now)


async def digest_now(services: Services, now: datetime) -> summaries.Composed | None:
    """The digest of the shift in progress (so far), else of the last one; None: no shifts."""
    patterns = await services.store.shifts.patterns()
    shift = digest_shift(patterns, services.settings.tz, now)
    if shift is None:
        return None
    return await summaries.digest(
        services, occurrence=shift.occurrence, start=shift.start, end=shift.end
    )


async def stats_for(services: Services, period: str, now: datetime) -> summaries.Composed:
    """/stats 7d|30d|quarter|2026Q2, then optionally a hotspot or category to narrow it to;
    raises bot.periods.PeriodError for a period it does not know and
    bot.domain.partnership.stats_scope.ScopeNotFound for a filter that names nothing."""
    period_text, wanted = split_period(period)
    try:
        chosen = parse_stats_period(period_text, now=now, tz=services.settings.tz)
    except PeriodError:
        # "this quarter" and friends: the whole text may be the period after all.
        chosen, wanted = parse_stats_period(period, now=now, tz=services.settings.tz), ""
    scope = await _scope(services, wanted) if wanted else None
    return await summaries.stats(
        services, start=chosen.start, end=chosen.end, label=chosen.label, scope=scope
    )


async def _scope(services: Services, wanted: str) -> StatsScope:
    store = services.store
    candidates = [
        Candidate(ScopeKind.HOTSPOT, h.id or 0, h.name, h.alias_list)
        for h in await store.hotspots.active()
    ] + [
        Candidate(ScopeKind.CATEGORY, c.id or 0, c.name, (c.slug,))
        for c in await store.categories.all()
    ]
    scope = match_scope(wanted, candidates)
    if scope is None:
        raise ScopeNotFound(wanted)
    return scope


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    rows: int


@dataclass(frozen=True)
class Export:
    period: DateRange
    reports: ExportFile
    outreach: ExportFile


async def export(services: Services, period: DateRange, *, by: Member) -> Export:
    """Both CSV files for whole local days first..last, audited before anything leaves."""
    store, tz = services.store, services.settings.tz
    lines = await store.exports.report_lines(period.start, period.end)
    days: list[OutreachDay] = []
    for day, start, end in period.each_day(tz):
        counts = await store.outreach_stats.counts(start, end, tz=tz)
        days.append(
            OutreachDay(
                day=day,
                contacts=counts.contacts,
                anonymous_contacts=counts.anonymous_contacts,
                people_seen=counts.people_seen,
                new_people=counts.new_people,
                returners=counts.returners,
                referrals_made=counts.referrals_made,
                referrals_closed=counts.referrals_closed,
                open_referrals=counts.open_referrals,
            )
        )
    await store.exports.record(
        AuditAction.EXPORTED,
        by=by,
        subject=f"{period.first.isoformat()}..{period.last.isoformat()}",
        detail=f"csv: {len(lines)} reports, {len(days)} days of outreach counts",
    )
    return Export(
        period=period,
        reports=ExportFile(
            file_name("reports", period.first, period.last), reports_csv(lines, tz), len(lines)
        ),
        outreach=ExportFile(
            file_name("outreach_counts", period.first, period.last), outreach_csv(days), len(days)
        ),
    )
