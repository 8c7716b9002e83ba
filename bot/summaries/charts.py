"""PNG charts for digests and summaries: stacked bars, drawn with matplotlib off-screen.

matplotlib (with numpy and Pillow, some 50 MiB) is imported when the first chart is drawn,
not when the bot starts: a bot that has drawn nothing stays small. The Agg backend is
chosen before anything else touches matplotlib, and figures are built with the object API
(no pyplot state), so drawing is safe in a worker thread and never opens a window. Output
is deterministic: the same figures give the same bytes (no timestamp or version metadata
in the file).
"""

from __future__ import annotations

import io
import threading

from bot.domain.partnership.figures import (
    ChartData,
)
from bot.texts.partnership import summaries as summaries_texts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100  # 800 × 450 px: readable on a phone, small to send
MAX_LEGEND_ENTRIES = 15
# matplotlib's font and text caches are shared: one drawing at a time across threads.
_DRAWING = threading.Lock()

# A fixed palette in the categories' own order, so a category keeps its colour across charts.
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
)


def _plain(text: str) -> str:
    """Names are admins' free text: a "$" would start matplotlib's maths mode."""
    return text.replace("$", r"\$")


def stacked_bars(chart: ChartData) -> bytes:
    """The chart as PNG bytes: one bar per label, one coloured layer per series.

    CPU-bound (tens of milliseconds): async callers run it with asyncio.to_thread.
    """
    with _DRAWING:
        return _draw(chart)


def use_agg() -> None:
    """Import matplotlib with the off-screen Agg backend (before anything else picks one)."""
    import matplotlib

    matplotlib.use("Agg")


def _draw(chart: ChartData) -> bytes:
    use_agg()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    # A fixed layout, the right quarter for the legend: tight_layout would draw twice.
    figure.subplots_adjust(left=0.08, right=0.76, top=0.9, bottom=0.14)
    axes = figure.add_subplot()
    positions = list(range(len(chart.labels)))
    bottoms = [0] * len(chart.labels)
    legend = 0
    for number, (name, values) in enumerate(chart.series):
        # Only the non-empty segments: a shift's chart is mostly zeros, and each bar costs.
        drawn = [(p, v, bottoms[p]) for p, v in zip(positions, values, strict=True) if v]
        if not drawn:
            continue
        key = chart.colour_keys[number] if number < len(chart.colour_keys) else number
        legend += 1
        axes.bar(
            [p for p, _, _ in drawn],
            [v for _, v, _ in drawn],
            bottom=[b for _, _, b in drawn],
            color=_PALETTE[key % len(_PALETTE)],
            label=_plain(name) if legend <= MAX_LEGEND_ENTRIES else None,
            width=0.8,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_title(_plain(chart.title), fontsize=10, loc="left")
    axes.set_xlabel(_plain(chart.x_label))
    axes.set_ylabel(summaries_texts.CHART_COUNT_AXIS)
    step = -(-len(positions) // 12) if len(positions) > 16 else 1  # about a dozen labels
    axes.set_xticks(positions[::step], [_plain(label) for label in chart.labels[::step]])
    axes.set_xlim(-0.6, max(len(positions), 1) - 0.4)
    axes.tick_params(axis="x", labelsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([*bottoms, 1]) * 1.1)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.total == 0:
        axes.text(
            0.5,
            0.5,
            summaries_texts.CHART_NO_INCIDENTS,
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#666666",
        )
    else:
        # Top of the legend is the top of the stack, as the eye reads the bars.
        handles, labels = axes.get_legend_handles_labels()
        axes.legend(
            handles[::-1],
            labels[::-1],
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
