"""The quarterly partnership report's charts, as PNG bytes for the PDF.

matplotlib (with numpy and Pillow, tens of megabytes the bot needs once a quarter) is
imported when the first chart is drawn, not when the bot starts. It is used through its
object API (Figure + the Agg canvas), never pyplot, so no GUI backend and no global state
are involved. The wording comes from bot.texts.partnership.quarterly.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from bot.summaries.quarterly.content import TOP_HOTSPOTS, QuarterFigures
from bot.texts.partnership.quarterly import (
    PDF_CHART_ACKNOWLEDGEMENTS,
    PDF_CHART_ALL,
    PDF_CHART_ALL_REPORTS,
    PDF_CHART_BY_CATEGORY,
    PDF_CHART_MONTH_TOTALS,
    PDF_CHART_NO_HOTSPOT_REPORTS,
    PDF_CHART_NO_OUTREACH,
    PDF_CHART_NO_REPORTS,
    PDF_CHART_NO_URGENT,
    PDF_CHART_OTHER,
    PDF_CHART_OUTREACH,
    PDF_CHART_REPORTS,
    PDF_HOTSPOTS_HEADING,
    PDF_OUTREACH_MEASURES,
    PDF_UNNAMED,
    PDF_URGENT,
    PDF_URGENT_ALERTS,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_CATEGORIES = 6  # the rest are drawn together (PDF_CHART_OTHER)
_PALETTE = ("#1b6ca8", "#e07b39", "#3c9d5d", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4ac0d")
# Printed in black and white the colours are greys alike: each series has a pattern too.
HATCHES = ("", "////", "....", "xxxx", "\\\\", "++", "oo", "--")


def _legend_as_stacked(axes: Any) -> None:
    """The legend in the order of the stack as it is seen: top series first."""
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(
        handles[::-1],
        labels[::-1],
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )


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


def _no_data(axes: Any, text: str = PDF_CHART_NO_REPORTS) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color="#555")
    axes.set_xticks([])
    axes.set_yticks([])


def chart_month_totals(figures: QuarterFigures) -> bytes:
    """Reports per month, with the urgent ones beside them."""
    figure, axes = _figure(height=2.6)
    labels = [m.short_label for m in figures.months]
    xs = range(len(labels))
    axes.bar(
        [x - 0.2 for x in xs], [m.reports for m in figures.months], 0.4, label=PDF_CHART_ALL_REPORTS
    )
    axes.bar(
        [x + 0.2 for x in xs],
        [m.urgent for m in figures.months],
        0.4,
        label=PDF_URGENT,
        color=_PALETTE[3],
        hatch=HATCHES[1],
        edgecolor="black",
        linewidth=0.4,
    )
    axes.set_xticks(list(xs), labels)
    if not figures.reports:
        _no_data(axes)
    else:
        axes.set_ylabel(PDF_CHART_REPORTS)
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title(PDF_CHART_MONTH_TOTALS, fontsize=10)
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
        series.append((PDF_CHART_OTHER, other))
    for index, (name, values) in enumerate(series):
        axes.bar(
            labels,
            values,
            bottom=bottoms,
            label=name,
            color=_PALETTE[index % len(_PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="black",
            linewidth=0.4,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    if not figures.reports:
        _no_data(axes)
    else:
        axes.set_ylabel(PDF_CHART_REPORTS)
        _legend_as_stacked(axes)
    axes.set_title(PDF_CHART_BY_CATEGORY, fontsize=10)
    return _png(figure)


def chart_hotspots(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=3.2, counts_on="x")
    top = [h for h in figures.hotspots if h.hotspot_id is not None][:TOP_HOTSPOTS]
    if not top:
        _no_data(axes, PDF_CHART_NO_HOTSPOT_REPORTS)
    else:
        names = [h.name or PDF_UNNAMED for h in reversed(top)]
        axes.barh(names, [h.total for h in reversed(top)], color=_PALETTE[0], label=PDF_CHART_ALL)
        axes.barh(
            names,
            [h.urgent for h in reversed(top)],
            color=_PALETTE[3],
            label=PDF_URGENT,
            hatch=HATCHES[1],
            edgecolor="black",
            linewidth=0.4,
        )
        axes.set_xlabel(PDF_CHART_REPORTS)
        axes.legend(fontsize=7, frameon=False)
        axes.tick_params(axis="y", labelsize=7)
    axes.set_title(PDF_HOTSPOTS_HEADING, fontsize=10)
    return _png(figure)


def chart_acknowledgements(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=2.6)
    labels = [label for label, _ in figures.ack.buckets]
    values = [n for _, n in figures.ack.buckets]
    if not figures.ack.urgent:
        _no_data(axes, PDF_CHART_NO_URGENT)
    else:
        bar_colors = [_PALETTE[2]] * (len(labels) - 1) + [_PALETTE[3]]
        bars = axes.bar(labels, values, color=bar_colors, edgecolor="black", linewidth=0.4)
        bars[-1].set_hatch(HATCHES[3])  # never acknowledged: marked apart from the bands
        axes.bar_label(bars, fontsize=7)
        axes.set_ylabel(PDF_URGENT_ALERTS)
        axes.tick_params(axis="x", labelsize=7)
    axes.set_title(PDF_CHART_ACKNOWLEDGEMENTS, fontsize=10)
    return _png(figure)


def chart_outreach(figures: QuarterFigures) -> bytes:
    figure, axes = _figure(height=2.8)
    measures = (
        (PDF_OUTREACH_MEASURES["contacts"], lambda o: o.contacts),
        (PDF_OUTREACH_MEASURES["new_people"], lambda o: o.new_people),
        (PDF_OUTREACH_MEASURES["returners"], lambda o: o.returners),
        (PDF_OUTREACH_MEASURES["referrals_made"], lambda o: o.referrals_made),
    )
    if not figures.outreach.contacts and not figures.outreach.referrals_made:
        _no_data(axes, PDF_CHART_NO_OUTREACH)
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
                hatch=HATCHES[index],
                edgecolor="black",
                linewidth=0.4,
            )
        axes.set_xticks(range(len(figures.months)), [m.short_label for m in figures.months])
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title(PDF_CHART_OUTREACH, fontsize=10)
    return _png(figure)
