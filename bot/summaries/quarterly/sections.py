"""The meeting pack's added sections, as reportlab flowables: the one-page summary, the
definitions, the night-time profile, the hotspot map, coded outcomes of closed incidents,
partnership actions, and the places for CCTV figures and survey results.

`cctv_section` shows the control room's review requests with their definitions beside them
("not collected yet" only for a pack built without them); PackFigures.cctv
(bot.summaries.quarterly.pack); the survey has its own section (quarterly_survey).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from bot.domain.reports.close_outcomes import CloseOutcome
from bot.summaries.quarterly.layout import chart, heading, look, para, table
from bot.summaries.quarterly.maps import chart_hotspot_map, chart_night_profile
from bot.summaries.quarterly.pack import MeasureComparison, PackFigures
from bot.texts.incidents import CLOSE_OUTCOME_LABELS
from bot.texts.partnership.quarterly import (
    PDF_ACTION_STATUS,
    PDF_ACTION_TABLE_COLUMNS,
    PDF_ACTIONS_HEADING,
    PDF_CCTV_COLUMNS,
    PDF_CCTV_HEADING,
    PDF_CCTV_MEANINGS,
    PDF_CCTV_ROWS,
    PDF_CLOSE_OUTCOME_COLUMNS,
    PDF_CLOSED_TOTAL,
    PDF_DEFINITIONS,
    PDF_DEFINITIONS_HEADING,
    PDF_MAP_HEADING,
    PDF_NIGHT_HEADING,
    PDF_NO_ACTIONS,
    PDF_NO_CODE,
    PDF_NOT_COLLECTED,
    PDF_OUTCOMES_HEADING,
    PDF_SUMMARY_COLUMNS,
    PDF_SUMMARY_HEADING,
    PDF_SUMMARY_MEASURES,
    pdf_compared,
    pdf_map_unplaced,
    pdf_median_answer,
    pdf_percent,
    pdf_to_date,
)

if TYPE_CHECKING:
    from bot.domain.partnership.comparisons import Change


def _compared(change: Change, to_date: bool) -> str:
    text = pdf_compared(change.now, change.before, change.direction.value, change.percent)
    return pdf_to_date(text, to_date)


def _measure(row: MeasureComparison) -> str:
    return row.category if row.category is not None else PDF_SUMMARY_MEASURES[row.measure]


def summary_section(pack: PackFigures) -> list[Any]:
    """What went up or down: each measure against the quarter before and a year before."""
    rows: list[list[object]] = [list(PDF_SUMMARY_COLUMNS)]
    for row in pack.comparisons:
        rows.append(
            [
                _measure(row),
                pdf_to_date(str(row.now), pack.to_date),
                _compared(row.vs_previous, pack.previous.to_date),
                _compared(row.vs_year, pack.year_before.to_date),
            ]
        )
    return [heading(PDF_SUMMARY_HEADING), table(rows, [48 * mm, 30 * mm, 48 * mm, 48 * mm])]


def definitions_section() -> list[Any]:
    rows: list[list[object]] = [[term, meaning] for term, meaning in PDF_DEFINITIONS]
    return [
        heading(PDF_DEFINITIONS_HEADING),
        table([["Term", "Meaning"], *rows], [38 * mm, 136 * mm]),
    ]


def night_section(pack: PackFigures) -> list[Any]:
    return [heading(PDF_NIGHT_HEADING), chart(chart_night_profile(pack), 72)]


def map_section(pack: PackFigures) -> list[Any]:
    parts: list[Any] = [heading(PDF_MAP_HEADING), chart(chart_hotspot_map(pack), 120)]
    if pack.unplaced:
        parts.append(para(pdf_map_unplaced(pack.unplaced), look().small))
    return parts


def outcomes_section(pack: PackFigures) -> list[Any]:
    closed = pack.closed
    rows: list[list[object]] = [list(PDF_CLOSE_OUTCOME_COLUMNS)]
    for code in CloseOutcome:
        count = pack.outcomes.get(code, 0)
        rows.append([CLOSE_OUTCOME_LABELS[code], count, pdf_percent(count, closed)])
    if pack.outcomes.get(None):
        uncoded = pack.outcomes[None]
        rows.append([PDF_NO_CODE, uncoded, pdf_percent(uncoded, closed)])
    rows.append([PDF_CLOSED_TOTAL, closed, ""])
    return [heading(PDF_OUTCOMES_HEADING), table(rows, [80 * mm, 25 * mm, 25 * mm])]


def actions_section(pack: PackFigures) -> list[Any]:
    if not pack.actions:
        return [heading(PDF_ACTIONS_HEADING), para(PDF_NO_ACTIONS, look().body)]
    rows: list[list[object]] = [list(PDF_ACTION_TABLE_COLUMNS)]
    for action in pack.actions:
        rows.append(
            [
                action.number,
                action.text,
                action.owner,
                action.due.strftime("%d %b %Y"),
                PDF_ACTION_STATUS[action.status.value],
            ]
        )
    return [
        heading(PDF_ACTIONS_HEADING),
        table(rows, [12 * mm, 80 * mm, 35 * mm, 25 * mm, 20 * mm]),
    ]


def cctv_section(pack: PackFigures) -> list[Any]:
    """CCTV review requests: how many, how answered, how fast; each term defined below."""
    if pack.cctv is None:
        return [heading(PDF_CCTV_HEADING), para(PDF_NOT_COLLECTED, look().body)]
    cctv = pack.cctv
    values = (
        cctv.requests,
        cctv.found,
        cctv.nothing_found,
        cctv.no_coverage,
        cctv.unanswered,
        pdf_median_answer(cctv.median_minutes_to_answer),
    )
    # Each figure's meaning beside it: a reader should not need another page.
    rows: list[list[object]] = [
        list(PDF_CCTV_COLUMNS),
        *(
            [name, value, meaning]
            for name, value, meaning in zip(PDF_CCTV_ROWS, values, PDF_CCTV_MEANINGS, strict=True)
        ),
    ]
    return [heading(PDF_CCTV_HEADING), table(rows, [42 * mm, 24 * mm, 108 * mm])]
