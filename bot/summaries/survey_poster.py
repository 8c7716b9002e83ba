"""The survey poster: an A4 PDF with a QR code for the survey's deep link.

reportlab's own QR widget draws the code (no other dependency); reportlab is imported when
a poster is drawn, not when this module is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.texts.partnership import survey as wording

if TYPE_CHECKING:
    from reportlab.graphics.barcode.qr import QrCodeWidget

QR_SIZE_MM = 120


def survey_link(bot_username: str) -> str:
    return f"https://t.me/{bot_username.removeprefix('@')}?start=survey"


def qr_widget(link: str) -> QrCodeWidget:
    from reportlab.graphics.barcode.qr import QrCodeWidget

    return QrCodeWidget(link, barLevel="M")


def render_poster(link: str) -> bytes:
    """One A4 page: the question, three lines of why and how, the QR code, the link."""
    from io import BytesIO

    from reportlab.graphics import renderPDF
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    width, height = A4
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(wording.POSTER_TITLE)
    canvas.setAuthor("Town centre partnership")
    canvas.setSubject(link)

    canvas.setFont("Helvetica-Bold", 26)
    canvas.drawCentredString(width / 2, height - 40 * mm, wording.POSTER_TITLE)
    canvas.setFont("Helvetica", 15)
    for i, line in enumerate(wording.POSTER_LINES):
        canvas.drawCentredString(width / 2, height - (58 + 9 * i) * mm, line)

    widget = qr_widget(link)
    x0, y0, x1, y1 = widget.getBounds()
    size = QR_SIZE_MM * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, (width - size) / 2, height / 2 - size / 2 - 25 * mm)

    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawCentredString(width / 2, 45 * mm, link)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
