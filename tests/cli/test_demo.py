"""`tcag demo`: the whole evening plays offline through the real bot and writes its files."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from bot.cli.main import NO_TOKEN_HELP
from bot.cli.main import main as tcag
from bot.offline.demo_transcript import condensed

DEMO_SECONDS_AT_MOST = 60


def test_demo_plays_the_evening_and_writes_the_digest_chart_and_quarterly_report(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A real setup beside it: a token, a database and a malformed .env, none of them used.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TCAG_TIMEZONE=Nowhere/Else\nTCAG_OUTBOX_RATE_PER_SECOND=x\n")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:not-a-real-token-so-never-used-here")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/real")
    out = tmp_path / "demo"
    out.mkdir()
    (out / "demo.db").write_bytes(b"the previous demo's database, to be replaced")

    assert tcag(["demo", "--out", str(out)]) == 0

    printed = capsys.readouterr().out
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    assert printed.startswith(transcript)  # the file is what was printed, then the summary
    lines = transcript.splitlines()

    def said(pattern: str) -> list[str]:
        return [line for line in lines if re.search(pattern, line)]

    # Members join by invite; the briefing fires 15 minutes before the shift, in the group,
    # and each member gets it on going on duty.
    assert said(r"^19:3\d  Olly Officer → bot: /start \S+")
    assert said(r"^19:3\d  bot → Alex Admin: ✅ Omar Outreach joined as Outreach worker")
    assert said(r"^19:45  bot → Coordinators' group: 📋 Briefing: Friday late$")
    for name in ("Olly Officer", "Wendy Warden", "Omar Outreach"):
        assert said(rf"^20:0\d  bot → {name}: 📋 Briefing: Friday late$"), name
    assert "Christmas lights switch-on in Market Street" in transcript  # the /brief note

    # A quick report, and a guided urgent one with a location and a photo: the alert reaches
    # the group and those on duty (not the reporter), and the acknowledgement edits them all.
    assert said(r"bot → Olly Officer: 🔎 Street drinking at Elmer Square\?")
    assert said(r"Wendy Warden → bot: \[shares a location") and said(r"\[sends a photo\]")
    alerted = {
        m.group(1) for line in lines if (m := re.search(r"bot → ([^()]+?): 🚨 Urgent", line))
    }
    assert alerted == {"Coordinators' group", "Olly Officer", "Omar Outreach"}
    assert said(r"Olly Officer → bot: \[presses 🚶 Attending\]")
    assert said(r"^21:10  bot → Wendy Warden: 🚶 Olly Officer is attending your report R-\d+")
    assert said(r"bot → .+: \[map pin: Market Street, Urgent incident R-\d+\]")
    assert said(r"Alex Admin \(Coordinators' group\) → bot: \[presses ✅ Acknowledge\]")
    acknowledged = said(r"^21:13  bot → (.+) \(edited\): ✅ Acknowledged by Alex Admin at 21:13")
    assert len(acknowledged) == 3

    # Rough sleeping becomes a referral; outreach logs the contact, which closes it.
    assert said(r"bot → Olly Officer: 🔎 Rough sleeping at Kings Arms\?")
    assert "Referral #2 is closed and the reporter has been told." in transcript
    assert said(r"bot → Omar Outreach \(edited\): ✅ Contact \(anonymous\) saved")
    assert said(r"bot → Alex Admin: R-\d+ closed: Two arrested")

    # The digest at the shift's end: its text, then its chart.
    [digest_at] = [i for i, line in enumerate(lines) if "📊 Shift digest: Friday late" in line]
    assert lines[digest_at].startswith("03:00  bot → Coordinators' group: ")
    assert "[photo" in "\n".join(lines[digest_at:]) and "Incidents per hour" in transcript

    digest = (out / "digest.txt").read_text(encoding="utf-8")
    assert digest.startswith("📊 Shift digest: Friday late\nFri 27 Nov 20:00–Sat 28 Nov 03:00")
    assert "Reports: 4 (last week " in digest and "acknowledged: Alex Admin after 3 min" in digest
    assert "Contacts: 2 (1 anonymous)" in digest
    assert not re.search(r"</?[a-z]+>|&(amp|lt|gt);", digest)  # plain text, not HTML

    assert (out / "digest-chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    pdf = PdfReader(io.BytesIO((out / "partnership-report-2026Q4.pdf").read_bytes()))
    assert len(pdf.pages) >= 2
    assert "Q4 2026" in (pdf.pages[0].extract_text() or "")

    elapsed = re.search(r"Done in ([\d.]+) s", printed)
    assert elapsed is not None and float(elapsed.group(1)) < DEMO_SECONDS_AT_MOST
    assert "partnership-report-2026Q4.pdf" in printed.split("Done in")[1]
    assert not (tmp_path / "data").exists()  # DATABASE_URL's default folder: untouched


def test_no_token_help_offers_the_demo_first() -> None:
    assert "`tcag demo`" in NO_TOKEN_HELP
    assert NO_TOKEN_HELP.index("tcag demo") < NO_TOKEN_HELP.index("console")


def test_a_message_much_like_an_earlier_one_shows_what_differs() -> None:
    briefing = ["📋 Briefing", "a", "b", "c", "d", "👮 Nobody is on duty yet."]
    again = ["📋 Briefing", "a", "b", "c", "d", "👮 On duty (1)", "• Olly Officer"]
    assert condensed(again, [briefing]) == [
        "📋 Briefing",
        "⋯ 4 lines as above",
        "👮 On duty (1)",
        "• Olly Officer",
    ]
    edited = ["✅ Acknowledged", "a", "b", "c", "d", "e"]
    assert condensed(edited, [["🚨 Urgent", "a", "b", "c", "d", "e"]]) == [
        "✅ Acknowledged",
        "⋯ 5 lines as above",
    ]
    assert condensed(edited, [edited]) == ["✅ Acknowledged", "⋯ 5 lines as above"]
    assert condensed(edited, [["x", "y", "z", "w", "v", "u"]]) == edited  # nothing in common
    assert condensed(["short", "one"], [["short", "one"]]) == ["short", "one"]  # too short
