"""`tcag survey poster`: an A4 PDF whose QR code is the survey's deep link."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.cli.main import main
from bot.summaries.survey_poster import qr_widget, render_poster, survey_link

LINK = "https://t.me/TownCentreBot?start=survey"


def _decoded(png: Path) -> str | None:
    """The QR code's text when a decoder is installed (pyzbar or OpenCV), else None."""
    try:
        from PIL import Image
        from pyzbar.pyzbar import decode  # type: ignore[import-not-found]
    except ImportError:
        try:
            import cv2  # type: ignore[import-not-found]
        except ImportError:
            return None
        text, *_ = cv2.QRCodeDetector().detectAndDecode(cv2.imread(str(png)))
        return text or None
    found = decode(Image.open(png))
    return found[0].data.decode() if found else None


def test_the_link_and_the_widget_value() -> None:
    assert survey_link("@TownCentreBot") == LINK
    assert qr_widget(LINK).value == LINK


def test_the_command_writes_an_a4_poster_that_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("TCAG_BOT_USERNAME", "TownCentreBot")
    assert main(["survey", "poster", "--out", "posters/survey.pdf"]) == 0
    assert LINK in capsys.readouterr().out
    pdf = tmp_path / "posters" / "survey.pdf"
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    [page] = reader.pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert LINK in text and "How safe do you feel" in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed: the page is not rendered")
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "page")], check=True)
    [png] = sorted(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    middle = image.crop((width // 4, height // 3, 3 * width // 4, 2 * height // 3))
    dark = sum(middle.histogram()[:128]) / (middle.width * middle.height)
    assert 0.2 < dark < 0.8  # the QR code is there: about half its modules are dark
    decoded = _decoded(png)
    assert decoded in (None, LINK)


def test_no_username_no_token_no_poster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TCAG_BOT_USERNAME", raising=False)
    assert main(["survey", "poster"]) == 2
    assert "--username" in capsys.readouterr().err
    assert not (tmp_path / "survey-poster.pdf").exists()


def test_render_is_reproducible() -> None:
    assert render_poster(LINK) == render_poster(LINK)
