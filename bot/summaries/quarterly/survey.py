"""The quarterly pack's public survey section: each round's shares, with the trend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from bot.summaries.quarterly.content import QuarterFigures
from bot.summaries.quarterly.layout import heading, look, para, table
from bot.texts.partnership.quarterly import (
    PDF_SURVEY_COLUMNS,
    PDF_SURVEY_HEADING,
    PDF_SURVEY_NONE,
    PDF_SURVEY_NOTE,
    pdf_survey_change,
    pdf_survey_round,
    pdf_survey_share,
)

if TYPE_CHECKING:
    from bot.domain.partnership.survey import RoundResult


def survey_rows(figures: QuarterFigures) -> list[list[str]]:
    """The table's rows (its header first): one per round up to the report's quarter."""
    rows = [list(PDF_SURVEY_COLUMNS)]
    for result, change in figures.survey:
        rows.append(_row(result, change))
    return rows


def _row(result: RoundResult, change: int | None) -> list[str]:
    return [
        pdf_survey_round(result.round_id, result.closed_at is None),
        f"Q{result.quarter.number} {result.quarter.year}",
        str(result.n),
        pdf_survey_share(result.day.percent),
        pdf_survey_share(result.dark.percent),
        pdf_survey_change(change),
    ]


def survey_section(figures: QuarterFigures) -> list[Any]:
    from reportlab.platypus import Spacer

    story: list[Any] = [Spacer(0, 6 * mm), heading(PDF_SURVEY_HEADING)]
    story.append(para(PDF_SURVEY_NOTE, look().small))
    if not figures.survey:
        return [*story, para(PDF_SURVEY_NONE, look().body)]
    widths = [38 * mm, 22 * mm, 18 * mm, 24 * mm, 26 * mm, 28 * mm]
    return [*story, Spacer(0, 2 * mm), table(survey_rows(figures), widths)]
