"""The quarterly partnership report: figures gathered through the store, drawn as a PDF.

`gather(store, quarter, ...)` (bot.summaries.quarterly.content) asks the repository API for
a quarter's counts (reports by month and category, hotspots, time to acknowledge urgent
alerts, outreach numbers); `render_pdf(figures)` lays them out with reportlab, with the
matplotlib charts of bot.summaries.quarterly.charts as images, in the wording of
bot.texts.partnership.quarterly. Rendering is pure and CPU-bound: the bot runs it in a
worker thread.
The bulk of reportlab (like matplotlib) is imported when the first report is drawn, not
when the bot starts: tens of megabytes the bot needs once a quarter. Nothing personal is
in the report: counts, categories, places.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4  # numbers only: these two load nothing heavy
from reportlab.lib.units import mm

from bot.domain.access.audit import AuditAction
from bot.domain.outreach import ACTION_LABELS, Action
from bot.domain.periods import Quarter
from bot.summaries.quarterly.charts import (
    chart_acknowledgements,
    chart_hotspots,
    chart_month_totals,
    chart_outreach,
    chart_reports_by_month,
)
from bot.summaries.quarterly.content import TOP_HOTSPOTS, QuarterFigures, gather
from bot.summaries.quarterly.layout import chart, heading, look, para, table
from bot.summaries.quarterly.outreach import rough_sleeping_section
from bot.summaries.quarterly.sections import (
    actions_section,
    cctv_section,
    definitions_section,
    map_section,
    night_section,
    outcomes_section,
    summary_section,
)
from bot.summaries.quarterly.survey import survey_section
from bot.texts.partnership.quarterly import (
    PDF_ACK_HEADING,
    PDF_ACKNOWLEDGED,
    PDF_ACTION_COLUMNS,
    PDF_ALL_CATEGORIES,
    PDF_AUTHOR,
    PDF_CATEGORIES_HEADING,
    PDF_CATEGORY,
    PDF_HEADINGS,
    PDF_HEADLINE_COLUMNS,
    PDF_HEADLINE_HEADING,
    PDF_HOTSPOT_COLUMNS,
    PDF_HOTSPOTS_HEADING,
    PDF_MEDIAN_TIME,
    PDF_MONTH_COLUMNS,
    PDF_MONTHS_HEADING,
    PDF_NEVER_ACKNOWLEDGED,
    PDF_NINETY_PERCENT_WITHIN,
    PDF_NO_HOTSPOT,
    PDF_NO_REPORTS,
    PDF_NOT_OVER,
    PDF_OUTCOME_COLUMNS,
    PDF_OUTREACH_HEADING,
    PDF_OUTREACH_MEASURES,
    PDF_OUTREACH_NOTE,
    PDF_QUARTER,
    PDF_REFERRAL_OUTCOMES,
    PDF_STILL_OPEN,
    PDF_UNNAMED,
    PDF_URGENT,
    PDF_URGENT_ALERTS,
    pdf_generated,
    pdf_headline_rows,
    pdf_minutes,
    pdf_page,
    pdf_percent,
    pdf_period,
    pdf_subject,
    pdf_title,
    pdf_within,
)

if TYPE_CHECKING:
    from storage.models import Member
    from storage.store import Store

HEADINGS = PDF_HEADINGS


# ---- wording ----------------------------------------------------------------------------
def headline_rows(figures: QuarterFigures) -> list[tuple[str, str]]:
    ack, outreach = figures.ack, figures.outreach
    return pdf_headline_rows(
        reports=figures.reports,
        previous_reports=figures.previous_reports,
        urgent=figures.urgent,
        urgent_alerts=ack.urgent,
        acknowledged=ack.acknowledged,
        median_minutes=ack.median_minutes,
        target_minutes=ack.target_minutes,
        within_target=ack.within_target,
        contacts=outreach.contacts,
        anonymous_contacts=outreach.anonymous_contacts,
        people_seen=outreach.people_seen,
        new_people=outreach.new_people,
        returners=outreach.returners,
        rough_sleepers=outreach.rough_sleepers,
        living_on_streets=outreach.living_on_streets,
        referrals_made=outreach.referrals_made,
        referrals_closed=outreach.referrals_closed,
        open_referrals=outreach.open_referrals,
        duty_hours=figures.duty_hours,
        to_date=figures.pack is not None and figures.pack.to_date,
    )


def _title_block(figures: QuarterFigures) -> list[Any]:
    tz = ZoneInfo(figures.timezone)
    first, last = figures.quarter.first_day, figures.quarter.next.first_day - timedelta(days=1)
    styles = look()
    lines = [
        para(pdf_title(figures.quarter.title), styles.title),
        para(pdf_period(first, last, figures.timezone), styles.body),
        para(pdf_generated(figures.generated_at.astimezone(tz)), styles.small),
    ]
    if not figures.complete:
        lines.append(para(PDF_NOT_OVER, styles.small))
    return lines


def _story(figures: QuarterFigures) -> list[Any]:
    from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

    months = figures.months
    story: list[Any] = _title_block(figures)

    pack = figures.pack
    if pack is not None:
        story += summary_section(pack)
    story += [heading(PDF_HEADLINE_HEADING)]
    story.append(table([PDF_HEADLINE_COLUMNS, *headline_rows(figures)], [55 * mm, None]))
    story += [PageBreak(), *definitions_section(), PageBreak()]

    story += [heading(PDF_MONTHS_HEADING)]
    month_rows: list[list[object]] = [list(PDF_MONTH_COLUMNS)]
    for month in months:
        month_rows.append(
            [month.label, month.reports, month.urgent, pdf_minutes(month.ack.median_minutes)]
        )
    month_rows.append(
        [PDF_QUARTER, figures.reports, figures.urgent, pdf_minutes(figures.ack.median_minutes)]
    )
    story.append(table(month_rows, [45 * mm, 25 * mm, 25 * mm, 45 * mm]))
    story += [Spacer(0, 4 * mm), chart(chart_month_totals(figures), 55)]
    story.append(PageBreak())

    story += [heading(PDF_CATEGORIES_HEADING)]
    category_rows: list[list[object]] = [
        [PDF_CATEGORY, *(m.short_label for m in months), PDF_QUARTER, PDF_URGENT]
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
        category_rows.append([PDF_NO_REPORTS, *([""] * (len(months) + 2))])
    else:
        category_rows.append(
            [PDF_ALL_CATEGORIES, *(m.reports for m in months), figures.reports, figures.urgent]
        )
    story.append(table(category_rows, [60 * mm] + [20 * mm] * (len(months) + 2)))
    story += [Spacer(0, 4 * mm), chart(chart_reports_by_month(figures), 70)]
    story.append(PageBreak())

    top = [h for h in figures.hotspots if h.hotspot_id is not None][:TOP_HOTSPOTS]
    elsewhere = sum(h.total for h in figures.hotspots if h.hotspot_id is None)
    hotspot_rows: list[list[object]] = [list(PDF_HOTSPOT_COLUMNS)]
    for hotspot in top:
        hotspot_rows.append(
            [
                hotspot.name or PDF_UNNAMED,
                hotspot.total,
                hotspot.urgent,
                pdf_percent(hotspot.total, figures.reports),
            ]
        )
    if elsewhere:
        hotspot_rows.append(
            [PDF_NO_HOTSPOT, elsewhere, "", pdf_percent(elsewhere, figures.reports)]
        )
    if len(hotspot_rows) == 1:
        hotspot_rows.append([PDF_NO_REPORTS, "", "", ""])
    story.append(
        KeepTogether(
            [
                heading(PDF_HOTSPOTS_HEADING),
                table(hotspot_rows, [70 * mm, 25 * mm, 25 * mm, 25 * mm]),
                Spacer(0, 3 * mm),
                chart(chart_hotspots(figures), 62),
            ]
        )
    )

    if pack is not None:
        story += [PageBreak(), *map_section(pack), PageBreak(), *night_section(pack)]
    ack = figures.ack
    ack_rows: list[list[object]] = [
        ["", *(m.short_label for m in months), PDF_QUARTER],
        [PDF_URGENT_ALERTS, *(m.ack.urgent for m in months), ack.urgent],
        [PDF_ACKNOWLEDGED, *(m.ack.acknowledged for m in months), ack.acknowledged],
        [
            pdf_within(ack.target_minutes),
            *(m.ack.within_target for m in months),
            ack.within_target,
        ],
        [
            PDF_MEDIAN_TIME,
            *(pdf_minutes(m.ack.median_minutes) for m in months),
            pdf_minutes(ack.median_minutes),
        ],
        [
            PDF_NINETY_PERCENT_WITHIN,
            *(pdf_minutes(m.ack.p90_minutes) for m in months),
            pdf_minutes(ack.p90_minutes),
        ],
        [PDF_NEVER_ACKNOWLEDGED, *(m.ack.not_acknowledged for m in months), ack.not_acknowledged],
    ]
    story.append(
        KeepTogether(
            [
                heading(PDF_ACK_HEADING),
                table(ack_rows, [45 * mm] + [25 * mm] * (len(months) + 1)),
                Spacer(0, 3 * mm),
                chart(chart_acknowledgements(figures), 50),
            ]
        )
    )
    story.append(PageBreak())
    if pack is not None:
        story += [*outcomes_section(pack), Spacer(0, 4 * mm), *actions_section(pack)]
        story.append(PageBreak())

    outreach = figures.outreach
    story += [heading(PDF_OUTREACH_HEADING)]
    story.append(para(PDF_OUTREACH_NOTE, look().small))
    outreach_rows: list[list[object]] = [["", *(m.short_label for m in months), PDF_QUARTER]]
    # Every measure, in the wording's order; its key names the field of the counts.
    for field, name in PDF_OUTREACH_MEASURES.items():
        by_month = [getattr(m.outreach, field) for m in months]
        outreach_rows.append([name, *by_month, getattr(outreach, field)])
    story.append(table(outreach_rows, [55 * mm] + [25 * mm] * (len(months) + 1)))

    outcome_rows: list[list[object]] = [list(PDF_OUTCOME_COLUMNS)]
    for outcome, label in PDF_REFERRAL_OUTCOMES.items():
        outcome_rows.append([label, figures.referral_outcomes.get(outcome, 0)])
    outcome_rows.append([PDF_STILL_OPEN, outreach.open_referrals])
    action_rows: list[list[object]] = [list(PDF_ACTION_COLUMNS)]
    for action in Action:
        action_rows.append([ACTION_LABELS[action], figures.actions.get(action, 0)])
    story += [
        Spacer(0, 4 * mm),
        Table(
            [[table(outcome_rows, [55 * mm, 22 * mm]), table(action_rows, [60 * mm, 22 * mm])]],
            hAlign="LEFT",
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
        Spacer(0, 4 * mm),
        chart(chart_outreach(figures), 60),
    ]
    rough_sleeping = rough_sleeping_section(figures)
    if rough_sleeping:
        story += [PageBreak(), *rough_sleeping]
    if pack is not None:
        story += [PageBreak(), *cctv_section(pack)]
    story += survey_section(figures)
    return story


def pdf_date(at: datetime) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSS+00'00') for an aware instant, in UTC."""
    return at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def render_pdf(figures: QuarterFigures) -> bytes:
    """The report as PDF bytes. Deterministic for the same figures (reportlab invariant mode)."""
    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    footer = pdf_title(figures.quarter.title)

    made = pdf_date(figures.generated_at)

    def on_page(canvas: Any, document: Any) -> None:
        # Invariant mode keeps the bytes reproducible but dates the file 2000-01-01: the
        # creation date is the injected clock's, the time the figures were gathered.
        canvas.setDateFormatter(lambda *_: made)
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, pdf_page(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=pdf_title(figures.quarter.title),
        author=PDF_AUTHOR,
        subject=pdf_subject(figures.quarter.title, figures.complete),
        creator=PDF_AUTHOR,
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
