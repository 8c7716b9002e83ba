"""The quarterly partnership report: figures gathered through the store, drawn as a PDF.

`gather(store, quarter, ...)` (bot.summaries.quarterly_content) asks the repository API for
a quarter's counts (reports by month and category, hotspots, time to acknowledge urgent
alerts, outreach numbers); `render_pdf(figures)` lays them out with reportlab, with the
matplotlib charts of bot.summaries.quarterly_charts as images. Rendering is pure and
CPU-bound: the bot runs it in a worker thread. Nothing personal is in the report: counts,
categories, places.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bot.domain.audit import AuditAction
from bot.domain.outreach import ACTION_LABELS, Action, ReferralOutcome
from bot.domain.periods import Quarter
from bot.summaries.quarterly_charts import (
    chart_acknowledgements,
    chart_hotspots,
    chart_month_totals,
    chart_outreach,
    chart_reports_by_month,
)
from bot.summaries.quarterly_content import TOP_HOTSPOTS, QuarterFigures, gather

if TYPE_CHECKING:
    from storage.models import Member
    from storage.store import Store

TITLE = "Quarterly partnership report"
NO_HOTSPOT = "No hotspot named"
HEADINGS = (
    "Headline figures",
    "Trends by month",
    "Reports by category",
    "Top hotspots",
    "Time to acknowledge urgent alerts",
    "Outreach",
)
REFERRAL_OUTCOME_LABELS = {
    ReferralOutcome.CONTACTED: "Contacted by outreach",
    ReferralOutcome.NOT_FOUND: "Not found",
}


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


# ---- the document ------------------------------------------------------------------------
_STYLES = getSampleStyleSheet()
_BODY = _STYLES["BodyText"]
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8, leading=10, textColor="#555555")
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=10.5)
_TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]
)
_CONTENT_WIDTH = A4[0] - 36 * mm


def _p(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    cells = [
        [value if isinstance(value, Paragraph) else _p(str(value)) for value in row] for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_TABLE_STYLE)
    return table


def _chart(png: bytes, height_mm: float) -> Image:
    image = Image(io.BytesIO(png))
    scale = (height_mm * mm) / image.imageHeight
    width = min(_CONTENT_WIDTH, image.imageWidth * scale)
    image.drawWidth, image.drawHeight = width, image.imageHeight * (width / image.imageWidth)
    return image


def _heading(text: str) -> Paragraph:
    return Paragraph(escape(text), _STYLES["Heading2"])


def _title_block(figures: QuarterFigures) -> list[Any]:
    tz = ZoneInfo(figures.timezone)
    first, last = figures.quarter.first_day, figures.quarter.next.first_day - timedelta(days=1)
    period = f"{first:%d %B %Y} to {last:%d %B %Y} ({figures.timezone})"
    generated = figures.generated_at.astimezone(tz).strftime("%d %B %Y %H:%M")
    lines = [
        Paragraph(escape(f"{TITLE}: {figures.quarter.title}"), _STYLES["Title"]),
        _p(f"Town centre action group. Period: {period}.", _BODY),
        _p(f"Generated {generated}.", _SMALL),
    ]
    if not figures.complete:
        lines.append(
            _p("This quarter is not over yet: figures run to the time shown above.", _SMALL)
        )
    return lines


def _story(figures: QuarterFigures) -> list[Any]:
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
            _SMALL,
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
