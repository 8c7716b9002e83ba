"""The meeting pack's pictures of when and where: the night-time profile (reports by hour
and weekday, a heat map) and the hotspot map (report points and hotspot circles).

The map needs no tiles: points are laid on a local equal-distance grid (metres east and
north of the centre, the longitude scaled by the cosine of the latitude), drawn with equal
axes so a hotspot's radius is a true circle. Both print in black and white: the heat map
writes each count in its cell, the map tells reports apart by marker shape.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bot.summaries.quarterly.charts import _figure, _no_data, _png
from bot.summaries.quarterly.pack import HOURS, PackFigures
from bot.texts.partnership.quarterly import (
    PDF_CHART_NO_REPORTS,
    PDF_HEAT_HOUR,
    PDF_HEAT_NOTE,
    PDF_HEAT_WEEKDAYS,
    PDF_MAP_AT_HOTSPOT,
    PDF_MAP_HEADING,
    PDF_MAP_METRES,
    PDF_MAP_METRES_NORTH,
    PDF_MAP_NO_PLACES,
    PDF_MAP_REPORT,
    PDF_MAP_URGENT,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_000.0


def project(
    points: Sequence[tuple[float, float]], centre: tuple[float, float]
) -> list[tuple[float, float]]:
    """(lat, lon) → (metres east, metres north) of `centre`: equal distances near it."""
    lat0, lon0 = centre
    scale = math.cos(math.radians(lat0))
    return [
        (
            math.radians(lon - lon0) * EARTH_RADIUS_M * scale,
            math.radians(lat - lat0) * EARTH_RADIUS_M,
        )
        for lat, lon in points
    ]


def chart_night_profile(pack: PackFigures) -> bytes:
    """Reports by weekday (rows) and local hour (columns), the count written in each cell."""
    figure, axes = _figure(width=7.2, height=3.0)
    grid = [list(row) for row in pack.night]
    if not any(any(row) for row in grid):
        _no_data(axes, PDF_CHART_NO_REPORTS)
        axes.set_title(PDF_HEAT_NOTE, fontsize=10)
        return _png(figure)
    highest = max(max(row) for row in grid)
    axes.imshow(grid, cmap="Greys", vmin=0, vmax=highest * 1.25, aspect="auto")
    for day, row in enumerate(grid):
        for hour, count in enumerate(row):
            if count:
                dark = count > highest * 0.6
                axes.text(
                    hour, day, str(count), ha="center", va="center", fontsize=6.5,
                    color="white" if dark else "black",
                )  # fmt: skip
    axes.set_yticks(range(len(PDF_HEAT_WEEKDAYS)), PDF_HEAT_WEEKDAYS, fontsize=7)
    axes.set_xticks(range(0, HOURS, 2), [f"{h:02d}" for h in range(0, HOURS, 2)], fontsize=7)
    axes.set_xlabel(PDF_HEAT_HOUR, fontsize=8)
    axes.spines[["left", "bottom"]].set_visible(False)
    axes.set_title(PDF_HEAT_NOTE, fontsize=10)
    return _png(figure)


def chart_hotspot_map(pack: PackFigures) -> bytes:
    """Hotspot circles (true radius, labelled) and report points, on a metre grid."""
    from matplotlib.patches import Circle

    figure, axes = _figure(width=6.4, height=5.2)
    places = [p for p in pack.places]
    coordinates = [(p.lat, p.lon) for p in places] + [(p.lat, p.lon) for p in pack.points]
    if not coordinates:
        _no_data(axes, PDF_MAP_NO_PLACES)
        axes.set_title(PDF_MAP_HEADING, fontsize=10)
        return _png(figure)
    centre = (
        sum(lat for lat, _ in coordinates) / len(coordinates),
        sum(lon for _, lon in coordinates) / len(coordinates),
    )
    extent = 50.0
    for place, (x, y) in zip(
        places, project([(p.lat, p.lon) for p in places], centre), strict=True
    ):
        axes.add_patch(
            Circle((x, y), place.radius_m, fill=False, linestyle="--", linewidth=0.9, color="black")
        )
        axes.annotate(
            f"{place.name} ({place.reports})", (x, y + place.radius_m), ha="center", va="bottom",
            fontsize=7, xytext=(0, 2), textcoords="offset points",
        )  # fmt: skip
        extent = max(extent, abs(x) + place.radius_m, abs(y) + place.radius_m)
    kinds = (
        (PDF_MAP_REPORT, lambda p: not p.at_hotspot and not p.urgent, "o", "white"),
        (PDF_MAP_AT_HOTSPOT, lambda p: p.at_hotspot and not p.urgent, "s", "0.55"),
        (PDF_MAP_URGENT, lambda p: p.urgent, "^", "black"),
    )
    for label, chosen, marker, fill in kinds:
        shown = [p for p in pack.points if chosen(p)]
        if not shown:
            continue
        xy = project([(p.lat, p.lon) for p in shown], centre)
        axes.scatter(
            [x for x, _ in xy], [y for _, y in xy], marker=marker, s=22, facecolors=fill,
            edgecolors="black", linewidths=0.7, label=label, zorder=3,
        )  # fmt: skip
        extent = max(extent, *(max(abs(x), abs(y)) for x, y in xy))
    extent *= 1.15
    axes.set_xlim(-extent, extent)
    axes.set_ylim(-extent, extent)
    axes.set_aspect("equal")
    axes.set_xlabel(PDF_MAP_METRES, fontsize=7)
    axes.set_ylabel(PDF_MAP_METRES_NORTH, fontsize=7)
    axes.tick_params(labelsize=7)
    if pack.points:
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.set_title(PDF_MAP_HEADING, fontsize=10)
    return _png(figure)
