"""The meeting pack's rough sleeping page: the figures England's data framework and CHAIN
report (people seen sleeping rough: new, living on the streets, intermittent; recently
left an institution; support needs; local connection; moves into accommodation; referrals
and days to first contact), by month and for the quarter, with the definitions beside
them. Counts only (bot.domain.rough_sleeping works them out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from bot.domain.outreach import NEED_LABELS
from bot.domain.rough_sleeping import OutreachFigures
from bot.summaries.quarterly.layout import heading, look, para, table
from bot.texts.outreach_records import (
    CONNECTION_LABELS,
    INSTITUTION_LABELS,
    MOVE_LABELS,
    NEEDS_ANSWER_LABELS,
    REFERRAL_OUTCOME_WORDS,
    STATUS_LABELS,
    median_days,
)
from bot.texts.partnership.quarterly import (
    PDF_QUARTER,
    PDF_ROUGH_SLEEPING_COLUMNS_NOTE,
    PDF_ROUGH_SLEEPING_DEFINITIONS,
    PDF_ROUGH_SLEEPING_HEADING,
    PDF_ROUGH_SLEEPING_NEEDS_HEADING,
    PDF_ROUGH_SLEEPING_ROWS,
)

if TYPE_CHECKING:
    from bot.summaries.quarterly.content import QuarterFigures

Measure = Callable[[OutreachFigures], object]


def _measures() -> list[tuple[str, Measure]]:
    """Every row of the by-month table: its name and how it reads one period's figures."""
    rows: list[tuple[str, Measure]] = [
        (PDF_ROUGH_SLEEPING_ROWS["rough_sleepers"], lambda f: f.rough_sleepers),
    ]
    rows += [
        (f"  {label}", lambda f, s=status: f.statuses.get(s, 0))
        for status, label in STATUS_LABELS.items()
    ]
    rows.append((PDF_ROUGH_SLEEPING_ROWS["at_risk_only"], lambda f: f.at_risk_only))
    rows += [
        (
            f"{PDF_ROUGH_SLEEPING_ROWS['left']} {label.lower()}",
            lambda f, i=inst: f.left_institution.get(i, 0),
        )
        for inst, label in INSTITUTION_LABELS.items()
    ]
    rows.append((PDF_ROUGH_SLEEPING_ROWS["moves"], lambda f: sum(f.moves.values())))
    rows.append((PDF_ROUGH_SLEEPING_ROWS["referrals"], lambda f: f.referrals_made))
    rows += [
        (f"  {word}", lambda f, o=outcome: f.referral_outcomes.get(o, 0))
        for outcome, word in REFERRAL_OUTCOME_WORDS.items()
    ]
    rows.append(
        (PDF_ROUGH_SLEEPING_ROWS["median"], lambda f: median_days(f.median_days_to_contact))
    )
    return rows


def rough_sleeping_section(figures: QuarterFigures) -> list[Any]:
    from reportlab.platypus import Table, TableStyle

    quarter = figures.rough_sleeping
    months = [(m.short_label, m.rough_sleeping) for m in figures.months]
    if quarter is None or any(f is None for _, f in months):
        return []
    periods: Sequence[OutreachFigures] = [f for _, f in months if f is not None] + [quarter]
    rows: list[list[object]] = [["", *(label for label, _ in months), PDF_QUARTER]]
    rows += [[name, *(read(f) for f in periods)] for name, read in _measures()]
    needs: list[list[object]] = [[PDF_ROUGH_SLEEPING_ROWS["needs"], PDF_QUARTER]]
    needs += [[label, quarter.needs.get(need, 0)] for need, label in NEED_LABELS.items()]
    needs += [[label, quarter.needs_answers.get(a, 0)] for a, label in NEEDS_ANSWER_LABELS.items()]
    moves: list[list[object]] = [[PDF_ROUGH_SLEEPING_ROWS["moves"], PDF_QUARTER]]
    moves += [[label, quarter.moves.get(m, 0)] for m, label in MOVE_LABELS.items()]
    moves.append([PDF_ROUGH_SLEEPING_ROWS["connection"], ""])
    moves += [[label, quarter.local_connection.get(c, 0)] for c, label in CONNECTION_LABELS.items()]
    small = look().small
    return [
        heading(PDF_ROUGH_SLEEPING_HEADING),
        para(PDF_ROUGH_SLEEPING_COLUMNS_NOTE, small),
        table(rows, [62 * mm] + [22 * mm] * (len(months) + 1)),
        *(para(f"{term}: {meaning}", small) for term, meaning in PDF_ROUGH_SLEEPING_DEFINITIONS),
        heading(PDF_ROUGH_SLEEPING_NEEDS_HEADING),
        Table(
            [[table(needs, [55 * mm, 20 * mm]), table(moves, [55 * mm, 20 * mm])]],
            hAlign="LEFT",
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
    ]
