"""The quarterly partnership report: figures from seeded data, the PDF, `tcag report`."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from bot.cli.main import main
from bot.cli.report import run as report_run
from bot.domain.access.audit import AuditAction
from bot.domain.clock import ManualClock
from bot.domain.outreach import Action, ReferralOutcome
from bot.domain.periods import Quarter
from bot.summaries.quarterly.content import NOT_ACKNOWLEDGED, gather
from bot.summaries.quarterly.document import HEADINGS, build_report, render_pdf
from storage.store import Store
from tests.support.coordinator_data import DESCRIPTION, seed_quarter
from tests.support.harness import make_settings

LONDON = ZoneInfo("Europe/London")
Q3 = Quarter(2026, 3)
AFTER_Q3 = datetime(2026, 10, 5, 12, tzinfo=UTC)
PACK_PAGES = 11  # summary, definitions, months, categories, hotspots, map, night, outcomes...


def pdf_text(pdf: bytes) -> tuple[int, str, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    return len(reader.pages), "\n".join(pages), pages


def squashed(text: str) -> str:
    return " ".join(text.split())


async def test_figures_are_gathered_from_the_quarter_figure_by_figure(
    store: Store, clock: ManualClock
) -> None:
    await seed_quarter(store, clock)
    figures = await gather(store, Q3, tz=LONDON, now=AFTER_Q3, ack_target_minutes=5)

    assert figures.complete
    assert (figures.reports, figures.urgent, figures.previous_reports) == (7, 3, 2)
    assert [(m.label, m.reports, m.urgent) for m in figures.months] == [
        ("July 2026", 3, 1),
        ("August 2026", 2, 1),
        ("September 2026", 2, 1),
    ]
    assert figures.months[0].by_category == {"Street drinking": 2, "Weapon seen": 1}
    assert {(c.name, c.total, c.urgent) for c in figures.categories} == {
        ("Street drinking", 2, 0),
        ("Weapon seen", 1, 1),
        ("Antisocial behaviour", 1, 0),
        ("Violence or assault", 1, 1),
        ("Suspected drug dealing", 1, 0),
        ("Safeguarding concern", 1, 1),
    }
    assert figures.categories[0].name == "Street drinking"
    assert [(h.name, h.total, h.urgent) for h in figures.hotspots] == [
        ("Elmer Square", 3, 1),
        ("Market Street", 2, 1),
        (None, 2, 1),
    ]
    ack = figures.ack
    assert (ack.urgent, ack.acknowledged, ack.within_target) == (3, 2, 1)
    assert (ack.median_minutes, ack.p90_minutes) == (7.5, 12.0)
    assert dict(ack.buckets) == {
        "under 2 min": 0,
        "2–5 min": 1,
        "5–10 min": 0,
        "10–30 min": 1,
        "over 30 min": 0,
        NOT_ACKNOWLEDGED: 1,
    }
    assert [m.ack.median_minutes for m in figures.months] == [3.0, 12.0, None]
    outreach = figures.outreach
    assert (outreach.contacts, outreach.anonymous_contacts, outreach.people_seen) == (2, 1, 1)
    assert (outreach.new_people, outreach.returners) == (1, 0)
    assert (outreach.referrals_made, outreach.referrals_closed, outreach.open_referrals) == (
        1,
        1,
        0,
    )
    assert [m.outreach.contacts for m in figures.months] == [0, 2, 0]
    assert figures.referral_outcomes == {ReferralOutcome.NOT_FOUND: 1}
    assert figures.actions == {Action.STREETLINK: 1, Action.HOSTEL: 1, Action.DECLINED: 1}
    assert figures.duty_hours == 0


async def test_the_pdf_parses_with_its_headings_figures_and_charts(
    store: Store, clock: ManualClock
) -> None:
    await seed_quarter(store, clock)
    figures = await gather(store, Q3, tz=LONDON, now=AFTER_Q3, ack_target_minutes=5)
    pdf = render_pdf(figures)

    assert pdf.startswith(b"%PDF-")
    pages, text, by_page = pdf_text(pdf)
    assert pages == PACK_PAGES
    flat = squashed(text)
    assert "Quarterly partnership report: Q3 2026 (July–September)" in flat
    assert "01 July 2026 to 30 September 2026 (Europe/London)" in flat
    for heading in HEADINGS:
        assert heading in flat, heading
    assert "Reports filed 7: up 250% on the quarter before (2)" in flat
    assert "Urgent reports 3 (43% of all)" in flat
    assert "2 of 3; median 7.5 min; within 5 min: 1 (33%)" in flat
    assert "July 2026 3 1 3.0 min" in flat
    assert "Street drinking 2 0 0 2 0" in flat
    assert "Elmer Square 3 1 43%" in flat
    assert "Market Street 2 1 29%" in flat
    assert "No hotspot named 2" in flat
    assert "Never acknowledged 0 0 1 1" in flat
    assert "New people 0 1 0 1" in flat
    # The rough sleeping page: Big Johnny, new and bedded down in August; the referral.
    assert "Seen sleeping rough 0 1 0 1 New 0 1 0 1 Living on the streets 0 0 0 0" in flat
    assert "Referrals made 1 0 0 1 contacted 0 0 0 0 not found 1 0 0 1" in flat
    assert "Not found 1" in flat
    assert "StreetLink 1" in flat
    assert "Hostel or night shelter 1" in flat
    assert "Page 4" in by_page[3]
    # Nothing personal: no outreach client, no notes, no report text.
    for private in ("Big Johnny", "private notes", "green sleeping bag", DESCRIPTION[:20]):
        assert private not in text
    reader = PdfReader(io.BytesIO(pdf))
    # Charts: months, categories, hotspots, the map, the night profile with acknowledgements,
    # outreach; the summary, definitions, outcomes and CCTV/survey pages have none.
    assert [len(page.images) for page in reader.pages] == [0, 0, 1, 1, 1, 1, 2, 0, 1, 0, 0]
    assert reader.metadata is not None and "Q3 2026" in str(reader.metadata.title)


async def test_a_quarter_without_data_still_makes_a_report(store: Store) -> None:
    figures = await gather(store, Quarter(2026, 1), tz=LONDON, now=AFTER_Q3, ack_target_minutes=5)
    pages, text, _ = pdf_text(render_pdf(figures))
    flat = squashed(text)
    assert pages == PACK_PAGES
    assert "Reports filed 0: none either quarter" in flat
    assert "No reports in this quarter" in flat


async def test_the_current_quarter_is_reported_so_far(store: Store, clock: ManualClock) -> None:
    await seed_quarter(store, clock)
    mid_august = datetime(2026, 8, 20, 12, tzinfo=UTC)
    figures = await gather(store, Q3, tz=LONDON, now=mid_august, ack_target_minutes=5)
    assert not figures.complete
    _, text, _ = pdf_text(render_pdf(figures))
    assert "This quarter is not over yet" in squashed(text)


async def test_building_a_report_is_audited(store: Store, clock: ManualClock) -> None:
    seeded = await seed_quarter(store, clock)
    _, pdf = await build_report(
        store, Q3, tz=LONDON, now=AFTER_Q3, ack_target_minutes=5, by=seeded.reporter, via="bot"
    )
    assert pdf.startswith(b"%PDF-")
    (entry,) = await store.audit.recent(action_prefix="report.")
    assert entry.action == AuditAction.REPORT_GENERATED.value
    assert entry.actor_id == seeded.reporter.id
    assert entry.subject == "quarter 2026Q3"
    assert entry.detail == "via bot; 7 reports"


# ---- tcag report ---------------------------------------------------------------------------
async def test_tcag_report_writes_the_pdf(tmp_path: Path, clock: ManualClock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/report.db"
    store = Store.from_url(url, clock)
    await store.upgrade()
    await seed_quarter(store, clock)
    await store.close()
    out = tmp_path / "out" / "report.pdf"
    settings = make_settings(DATABASE_URL=url)
    args = SimpleNamespace(quarter="2026-Q3", out=str(out))

    # run() opens its own event loop, as the command line does.
    code = await asyncio.to_thread(report_run, settings, args, clock=ManualClock(AFTER_Q3))

    assert code == 0
    pages, text, _ = pdf_text(out.read_bytes())
    assert pages == PACK_PAGES
    assert "Reports filed 7" in squashed(text)


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2026Q5", "“2026Q5”: quarters are Q1 to Q4, like 2026Q3."),
        ("summer", "“summer” is not a quarter I understand. Write it like 2026Q3 (or 2026-Q3)."),
        ("2099Q1", "2099Q1 hasn't started yet: there is nothing to report."),
    ],
)
def test_tcag_report_refuses_a_bad_quarter_in_plain_words(
    quarter: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/unused.db")
    assert main(["report", "--quarter", quarter, "--out", "r.pdf"]) == 2
    assert capsys.readouterr().err.strip() == f"tcag: {message}"
    assert not (tmp_path / "r.pdf").exists()


def test_tcag_report_of_a_past_quarter_names_the_file_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    assert main(["report", "--quarter", "2020Q2"]) == 0
    written = tmp_path / "partnership-report-2020Q2.pdf"
    assert "Wrote partnership-report-2020Q2.pdf" in capsys.readouterr().out
    assert pdf_text(written.read_bytes())[0] == PACK_PAGES
