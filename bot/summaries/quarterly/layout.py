"""The quarterly pack's look: paragraph and table styles, and the small builders every
section uses (a paragraph, a table, a chart image, a heading). reportlab's bulk is imported
when the first report is drawn.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4  # numbers only: these two load nothing heavy
from reportlab.lib.units import mm

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, Paragraph, Table, TableStyle


# ---- styles and builders ----------------------------------------------------------------
@dataclass(frozen=True)
class Look:
    """The report's paragraph and table styles, made when the first report is drawn."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    table: TableStyle


@functools.cache
def look() -> Look:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    return Look(
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


CONTENT_WIDTH = A4[0] - 36 * mm


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style or look().cell)


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    from reportlab.platypus import Paragraph, Table

    cells = [
        [value if isinstance(value, Paragraph) else para(str(value)) for value in row]
        for row in rows
    ]
    made = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    made.setStyle(look().table)
    return made


def chart(png: bytes, height_mm: float) -> Image:
    from reportlab.platypus import Image

    image = Image(io.BytesIO(png))
    scale = (height_mm * mm) / image.imageHeight
    width = min(CONTENT_WIDTH, image.imageWidth * scale)
    image.drawWidth, image.drawHeight = width, image.imageHeight * (width / image.imageWidth)
    return image


def heading(text: str) -> Paragraph:
    return para(text, look().heading)
