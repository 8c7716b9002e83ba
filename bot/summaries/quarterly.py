"""The quarterly partnership report: figures gathered through the store, drawn as a PDF.

`gather(store, quarter, ...)` asks the repository API for a quarter's counts (reports by
month and category, hotspots, time to acknowledge urgent alerts, outreach numbers);
`render_pdf(figures)` lays them out with reportlab, with matplotlib charts as images.
Rendering is pure and CPU-bound: the bot runs it in a worker thread. matplotlib and the
bulk of reportlab are imported when the first report is drawn, not when the bot starts
(they are tens of megabytes the bot needs once a quarter). Matplotlib is used
through its object API (Figure + the Agg canvas), never pyplot, so no GUI backend and no
global state are involved. Nothing personal is in the report: counts, categories, places.
"""

from __future__ import annotations

import asyncio
import functools
import io
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4  # numbers only: these two load nothing heavy
from reportlab.lib.units import mm

from bot.domain.audit import AuditAction
from bot.domain.outreach import ACTION_LABELS, Action, ReferralOutcome
from bot.domain.periods import Quarter

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, Paragraph, Table, TableStyle

    from bot.summaries.content import UrgentIncident
    from storage.models import Member
    from storage.outreach import OutreachCounts
    from storage.store import Store

TITLE = "Quarterly partnership report"
TOP_HOTSPOTS = 10
CHART_CATEGORIES = 6  # the rest are drawn together as "Other"
NO_HOTSPOT = "No hotspot named"
HEADINGS = (
    "Headline figures",
    "Trends by month",
    "Reports by category",
    "Top hotspots",
    "Time to acknowledge urgent alerts",
    "Outreach",
)
# Minutes from an urgent report to its first acknowledgement, for the distribution.
ACK_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 2 min", 2),
    ("2–5 min", 5),
    ("5–10 min", 10),
    ("10–30 min", 30),
    ("over 30 min", math.inf),
)
NOT_ACKNOWLEDGED = "not acknowledged"
REFERRAL_OUTCOME_LABELS = {
    ReferralOutcome.CONTACTED: "Contacted by outreach",
    ReferralOutcome.NOT_FOUND: "Not found",
}


# ---- figures -----------------------------------------------------------------------------
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

    @property
    def label(self) -> str:
        return self.first_day.strftime("%B %Y")

    @property
    def short_label(self) -> str:
        return self.first_day.strftime("%b")


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
    duty_hours: float | None = None

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
                outreach=await store.outreach.counts(month_start, month_end),
            )
        )
    urgent_by_category = Counter(i.category for i in urgent)
    urgent_by_hotspot = Counter(i.hotspot for i in urgent)
    previous_start, previous_end = quarter.previous.bounds(tz)
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
        outreach=await store.outreach.counts(start, end),
        referral_outcomes=await store.quarterly.referral_outcomes(start, end),
        actions=await store.quarterly.contact_actions(start, end),
        duty_hours=(await stats.staff_hours(start, min(end, now))).hours,
    )


# ---- wording -----------------------------------------------------------------------------
def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} min" if value >= 10 else f"{value:.1f} min"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _change(now: int, before: int) -> str:
    if before == 0:
        return "no reports the quarter before" if now else "none either quarter"
    change = 100 * (now - before) / before
    if abs(change) < 0.5:
        return f"the same as the quarter before ({before})"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):.0f}% on the quarter before ({before})"


def headline_rows(figures: QuarterFigures) -> list[tuple[str, str]]:
    ack, outreach = figures.ack, figures.outreach
    rows = [
        (
            "Reports filed",
            f"{figures.reports}: {_change(figures.reports, figures.previous_reports)}",
        ),
        (
            "Urgent reports",
            f"{figures.urgent} ({_percent(figures.urgent, figures.reports)} of all)",
        ),
        (
            "Urgent alerts acknowledged",
            f"{ack.acknowledged} of {ack.urgent}; median {_minutes(ack.median_minutes)}; "
            f"within {ack.target_minutes} min: {ack.within_target} "
            f"({_percent(ack.within_target, ack.urgent)})",
        ),
        ("Outreach contacts", f"{outreach.contacts} ({outreach.anonymous_contacts} anonymous)"),
        (
            "People seen by outreach",
            f"{outreach.people_seen}: {outreach.new_people} new, {outreach.returners} returners",
        ),
        (
            "Rough sleeper referrals",
            f"{outreach.referrals_made} made, {outreach.referrals_closed} closed, "
            f"{outreach.open_referrals} open at the end",
        ),
    ]
    if figures.duty_hours is not None:
        rows.append(("Staff hours on duty", f"{figures.duty_hours:.0f}"))
    return rows


# ---- charts ------------------------------------------------------------------------------
_PALETTE = ("#1b6ca8", "#e07b39", "#3c9d5d", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4ac0d")


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def _figure(width: float = 7.0, height: float = 3.0, *, counts_on: str = "y") -> tuple[Figure, Any]:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    # Counts are whole numbers: no 0.5 ticks on small quarters.
    getattr(axes, f"{counts_on}axis").set_major_locator(MaxNLocator(integer=True))
    return figure, axes


def _no_data(axes: Any, text: str = "No reports in this period") -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color="#555")
    axes.set_xticks([])
    axes.set_yticks([])


def chart_month_totals(figures: QuarterFigures) -> bytes:
    """Reports per month, with the urgent ones beside them."""
    figure, axes = _figure(height=2.6)
    labels = [m.short_label for m in figures.months]
    xs = range(len(labels))
    axes.bar([x - 0.2 for x in xs], [m.reports for m in figures.months], 0.4, label="All reports")
    axes.bar(
        [x + 0.2 for x in xs],
        [m.urgent for m in figures.months],
        0.4,
        label="Urgent",
        color=_PALETTE[3],
    )
    axes.set_xticks(list(xs), labels)
    if not figures.reports:
        _no_data(axes)
    else:
        axes.set_ylabel("Reports")
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title("Reports per month", fontsize=10)
    return _png(figure)


def chart_reports_by_month(figures: QuarterFigures) -> bytes:
    """Stacked bars: reports per month, by the largest categories."""
    figure, axes = _figure()
    shown = [c.name for c in figures.categories[:CHART_CATEGORIES]]
    labels = [m.short_label for m in figures.months]
    bottoms = [0] * len(figures.months)
    series = [(name, [m.by_category.get(name, 0) for m in figures.months]) for name in shown]
    other = [m.reports - sum(m.by_category.get(n, 0) for n in shown) for m in figures.months]
    if any(other):
        series.append(("Other", other))
    for index, (name, values) in enumerate(series):
        axes.bar(labels, values, bottom=bottoms, label=name, color=_PALETTE[index % len(_PALETTE)])
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    if not figures.reports:
        _no_data(axes)
    else:
        axes.set_ylabel("Reports")
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title("Reports per month by category", fontsize=10)
    return _png(figure)


def chart_hotspots(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=3.2, counts_on="x")
    top = [h for h in figures.hotspots if h.hotspot_id is not None][:TOP_HOTSPOTS]
    if not top:
        _no_data(axes, "No reports at hotspots in this period")
    else:
        names = [h.name or "?" for h in reversed(top)]
        axes.barh(names, [h.total for h in reversed(top)], color=_PALETTE[0], label="All")
        axes.barh(names, [h.urgent for h in reversed(top)], color=_PALETTE[3], label="Urgent")
        axes.set_xlabel("Reports")
        axes.legend(fontsize=7, frameon=False)
        axes.tick_params(axis="y", labelsize=7)
    axes.set_title("Top hotspots", fontsize=10)
    return _png(figure)


def chart_acknowledgements(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=2.6)
    labels = [label for label, _ in figures.ack.buckets]
    values = [n for _, n in figures.ack.buckets]
    if not figures.ack.urgent:
        _no_data(axes, "No urgent reports in this period")
    else:
        bar_colors = [_PALETTE[2]] * (len(labels) - 1) + [_PALETTE[3]]
        axes.bar(labels, values, color=bar_colors)
        axes.set_ylabel("Urgent alerts")
        axes.tick_params(axis="x", labelsize=7)
    axes.set_title("Time to first acknowledgement", fontsize=10)
    return _png(figure)


def chart_outreach(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=2.8)
    measures = (
        ("Contacts", lambda o: o.contacts),
        ("New people", lambda o: o.new_people),
        ("Returners", lambda o: o.returners),
        ("Referrals made", lambda o: o.referrals_made),
    )
    if not figures.outreach.contacts and not figures.outreach.referrals_made:
        _no_data(axes, "No outreach work recorded in this period")
    else:
        width = 0.8 / len(measures)
        for index, (name, value) in enumerate(measures):
            xs = [month + (index - 1.5) * width for month in range(len(figures.months))]
            axes.bar(
                xs,
                [value(m.outreach) for m in figures.months],
                width=width,
                label=name,
                color=_PALETTE[index],
            )
        axes.set_xticks(range(len(figures.months)), [m.short_label for m in figures.months])
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title("Outreach per month", fontsize=10)
    return _png(figure)


# ---- the document ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Look:
    """The report's paragraph and table styles, made when the first report is drawn."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    table: TableStyle


@functools.cache
def _look() -> _Look:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    return _Look(
        title=styles["Title"],
        heading=styles["Heading2"],
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor="#555555"),
        cell=ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        table=TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        ),
    )


_CONTENT_WIDTH = A4[0] - 36 * mm


def _p(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style or _look().cell)


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    from reportlab.platypus import Paragraph, Table

    cells = [
        [value if isinstance(value, Paragraph) else _p(str(value)) for value in row] for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_look().table)
    return table


def _chart(png: bytes, height_mm: float) -> Image:
    from reportlab.platypus import Image

    image = Image(io.BytesIO(png))
    scale = (height_mm * mm) / image.imageHeight
    width = min(_CONTENT_WIDTH, image.imageWidth * scale)
    image.drawWidth, image.drawHeight = width, image.imageHeight * (width / image.imageWidth)
    return image


def _heading(text: str) -> Paragraph:
    return _p(text, _look().heading)


def _title_block(figures: QuarterFigures) -> list[Any]:
    tz = ZoneInfo(figures.timezone)
    first, last = figures.quarter.first_day, figures.quarter.next.first_day - timedelta(days=1)
    period = f"{first:%d %B %Y} to {last:%d %B %Y} ({figures.timezone})"
    generated = figures.generated_at.astimezone(tz).strftime("%d %B %Y %H:%M")
    lines = [
        _p(f"{TITLE}: {figures.quarter.title}", _look().title),
        _p(f"Town centre action group. Period: {period}.", _look().body),
        _p(f"Generated {generated}.", _look().small),
    ]
    if not figures.complete:
        lines.append(
            _p("This quarter is not over yet: figures run to the time shown above.", _look().small)
        )
    return lines


def _story(figures: QuarterFigures) -> list[Any]:
    from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

    months = figures.months
    story: list[Any] = _title_block(figures)

    story += [_heading("Headline figures")]
    story.append(_table([("Measure", "This quarter"), *headline_rows(figures)], [55 * mm, None]))

    story += [_heading("Trends by month")]
    month_rows: list[list[object]] = [["Month", "Reports", "Urgent", "Median to acknowledge"]]
    for month in months:
        month_rows.append(
            [month.label, month.reports, month.urgent, _minutes(month.ack.median_minutes)]
        )
    month_rows.append(
        ["Quarter", figures.reports, figures.urgent, _minutes(figures.ack.median_minutes)]
    )
    story.append(_table(month_rows, [45 * mm, 25 * mm, 25 * mm, 45 * mm]))
    story += [Spacer(0, 4 * mm), _chart(chart_month_totals(figures), 55)]
    story.append(PageBreak())

    story += [_heading("Reports by category")]
    category_rows: list[list[object]] = [
        ["Category", *(m.short_label for m in months), "Quarter", "Urgent"]
    ]
    for category in figures.categories:
        category_rows.append(
            [
                category.name,
                *(m.by_category.get(category.name, 0) for m in months),
                category.total,
                category.urgent,
            ]
        )
    if not figures.categories:
        category_rows.append(["No reports in this quarter", *([""] * (len(months) + 2))])
    else:
        category_rows.append(
            ["All categories", *(m.reports for m in months), figures.reports, figures.urgent]
        )
    story.append(_table(category_rows, [60 * mm] + [20 * mm] * (len(months) + 2)))
    story += [Spacer(0, 4 * mm), _chart(chart_reports_by_month(figures), 70)]
    story.append(PageBreak())

    top = [h for h in figures.hotspots if h.hotspot_id is not None][:TOP_HOTSPOTS]
    elsewhere = sum(h.total for h in figures.hotspots if h.hotspot_id is None)
    hotspot_rows: list[list[object]] = [["Hotspot", "Reports", "Urgent", "Share"]]
    for hotspot in top:
        hotspot_rows.append(
            [
                hotspot.name or "?",
                hotspot.total,
                hotspot.urgent,
                _percent(hotspot.total, figures.reports),
            ]
        )
    if elsewhere:
        hotspot_rows.append([NO_HOTSPOT, elsewhere, "", _percent(elsewhere, figures.reports)])
    if len(hotspot_rows) == 1:
        hotspot_rows.append(["No reports in this quarter", "", "", ""])
    story.append(
        KeepTogether(
            [
                _heading("Top hotspots"),
                _table(hotspot_rows, [70 * mm, 25 * mm, 25 * mm, 25 * mm]),
                Spacer(0, 3 * mm),
                _chart(chart_hotspots(figures), 62),
            ]
        )
    )

    ack = figures.ack
    ack_rows: list[list[object]] = [
        ["", *(m.short_label for m in months), "Quarter"],
        ["Urgent alerts", *(m.ack.urgent for m in months), ack.urgent],
        ["Acknowledged", *(m.ack.acknowledged for m in months), ack.acknowledged],
        [
            f"Within {ack.target_minutes} min",
            *(m.ack.within_target for m in months),
            ack.within_target,
        ],
        [
            "Median time",
            *(_minutes(m.ack.median_minutes) for m in months),
            _minutes(ack.median_minutes),
        ],
        [
            "90% within",
            *(_minutes(m.ack.p90_minutes) for m in months),
            _minutes(ack.p90_minutes),
        ],
        ["Never acknowledged", *(m.ack.not_acknowledged for m in months), ack.not_acknowledged],
    ]
    story.append(
        KeepTogether(
            [
                _heading("Time to acknowledge urgent alerts"),
                _table(ack_rows, [45 * mm] + [25 * mm] * (len(months) + 1)),
                Spacer(0, 3 * mm),
                _chart(chart_acknowledgements(figures), 50),
            ]
        )
    )
    story.append(PageBreak())

    outreach = figures.outreach
    story += [_heading("Outreach")]
    story.append(
        _p(
            "Counts only: outreach records about people stay with the outreach team.",
            _look().small,
        )
    )
    outreach_rows: list[list[object]] = [["", *(m.short_label for m in months), "Quarter"]]
    measures: tuple[tuple[str, Any], ...] = (
        ("Contacts", lambda o: o.contacts),
        ("Anonymous contacts", lambda o: o.anonymous_contacts),
        ("People seen", lambda o: o.people_seen),
        ("New people", lambda o: o.new_people),
        ("Returners", lambda o: o.returners),
        ("Referrals made", lambda o: o.referrals_made),
        ("Referrals closed", lambda o: o.referrals_closed),
        ("Referrals open at the end", lambda o: o.open_referrals),
    )
    for name, value in measures:
        outreach_rows.append([name, *(value(m.outreach) for m in months), value(outreach)])
    story.append(_table(outreach_rows, [55 * mm] + [25 * mm] * (len(months) + 1)))

    outcome_rows: list[list[object]] = [["Referral outcome", "Referrals"]]
    for outcome, label in REFERRAL_OUTCOME_LABELS.items():
        outcome_rows.append([label, figures.referral_outcomes.get(outcome, 0)])
    outcome_rows.append(["Still open at the end of the quarter", outreach.open_referrals])
    action_rows: list[list[object]] = [["Contacts leading to", "Contacts"]]
    for action in Action:
        action_rows.append([ACTION_LABELS[action], figures.actions.get(action, 0)])
    story += [
        Spacer(0, 4 * mm),
        Table(
            [[_table(outcome_rows, [55 * mm, 22 * mm]), _table(action_rows, [60 * mm, 22 * mm])]],
            hAlign="LEFT",
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
        Spacer(0, 4 * mm),
        _chart(chart_outreach(figures), 60),
    ]
    return story


def render_pdf(figures: QuarterFigures) -> bytes:
    """The report as PDF bytes. Deterministic for the same figures (reportlab invariant mode)."""
    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    footer = f"{TITLE}: {figures.quarter.title}"

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{TITLE}: {figures.quarter.title}",
        author="Town centre action group",
        invariant=1,
    )
    document.build(_story(figures), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def file_name(quarter: Quarter) -> str:
    return f"partnership-report-{quarter.label}.pdf"


async def build_report(
    store: Store,
    quarter: Quarter,
    *,
    tz: ZoneInfo,
    now: datetime,
    ack_target_minutes: int,
    by: Member | None,
    via: str,
) -> tuple[QuarterFigures, bytes]:
    """Gather, render (in a worker thread: it is CPU work) and audit one quarterly report."""
    figures = await gather(store, quarter, tz=tz, now=now, ack_target_minutes=ack_target_minutes)
    pdf = await asyncio.to_thread(render_pdf, figures)
    await store.exports.record(
        AuditAction.REPORT_GENERATED,
        by=by,
        subject=f"quarter {quarter.label}",
        detail=f"via {via}; {figures.reports} reports",
    )
    return figures, pdf
