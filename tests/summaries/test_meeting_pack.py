"""The meeting pack (issue 15): the quarterly PDF built from seeded data, every figure
checked against that data, its pages rendered to images (so a broken chart fails); the
coded outcomes of /close, partnership actions (/action) and /stats filters from Telegram."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.partnership.comparisons import Direction, change, like_for_like
from bot.domain.partnership.partnership_actions import (
    ActionInputError,
    ActionProblem,
    ActionStatus,
    NewAction,
    parse_new_action,
)
from bot.domain.partnership.stats_scope import Candidate, ScopeKind, match_scope, split_period
from bot.domain.periods import Quarter
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.offline.chat import Person
from bot.summaries.quarterly.content import QuarterFigures, gather
from bot.summaries.quarterly.document import render_pdf
from bot.summaries.quarterly.pack import night_profile
from storage.models import Member, Report, ReportIn
from storage.store import Store
from tests.support.coordinator_data import seed_quarter
from tests.support.harness import BotHarness

LONDON = ZoneInfo("Europe/London")
Q3 = Quarter(2026, 3)
AFTER_Q3 = datetime(2026, 10, 5, 12, tzinfo=UTC)
MID_AUGUST = datetime(2026, 8, 20, 12, tzinfo=UTC)
OCT_31 = date(2026, 10, 31)
COORDINATOR = Person(3001, "Cara", "Coord")
OFFICER = Person(2002, "Olly", "Officer")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def squashed(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split()), reader


async def _file(
    store: Store, clock: ManualClock, by: Member, slug: str, at: datetime, **fields: object
) -> Report:
    clock.set(at)
    category = await store.categories.by_slug(slug)
    assert category is not None
    draft = ReportIn(category_id=category.id or 0, **fields)  # type: ignore[arg-type]
    return await store.reports.file(draft, reporter=by, group_chat_id=None)


async def seed_pack(store: Store, clock: ManualClock) -> list[Report]:
    """seed_quarter, then: a report at its own point (September); Q3 2025: 3 antisocial
    behaviour, 1 street drinking; closures in Q3 (weapon: arrest; August ASB: moved on;
    violence: words only, no code); two actions (one done in August, one left overdue) and
    one recorded after the quarter."""
    was = clock.now()
    seeded = await seed_quarter(store, clock)
    reporter, reports = seeded.reporter, seeded.reports
    own_point = await _file(
        store, clock, reporter, "asb", utc(2026, 9, 25, 20), lat=51.5075, lon=-0.1270
    )
    for day in (1, 2, 3):
        await _file(store, clock, reporter, "asb", utc(2025, 8, day, 21))
    await _file(store, clock, reporter, "street_drinking", utc(2025, 8, 4, 21))
    weapon, august_asb, violence = reports[4], reports[5], reports[6]
    clock.set(utc(2026, 7, 12, 1))
    await store.reports.close(
        weapon.id or 0, by=reporter, outcome="Arrested", outcome_code=CloseOutcome.ARREST
    )
    clock.set(utc(2026, 8, 14, 22))
    await store.reports.close(
        august_asb.id or 0, by=reporter, outcome="Moved on", outcome_code=CloseOutcome.MOVED_ON
    )
    clock.set(utc(2026, 8, 16, 1))
    await store.reports.close(violence.id or 0, by=reporter, outcome="Dealt with")
    clock.set(utc(2026, 7, 20, 10))
    lights = await store.actions.add(
        NewAction("Council", date(2026, 8, 31), "Fix the lights"), by=reporter
    )
    await store.actions.add(NewAction("Police", date(2026, 9, 15), "Extra patrols"), by=reporter)
    clock.set(utc(2026, 8, 20, 10))
    await store.actions.done(lights.id or 0, by=reporter)
    clock.set(utc(2026, 10, 2, 10))
    await store.actions.add(NewAction("BID", date(2026, 12, 1), "Later plan"), by=reporter)
    clock.set(was)
    return [*reports, own_point]


async def pack_of(store: Store, now: datetime) -> QuarterFigures:
    return await gather(store, Q3, tz=LONDON, now=now, ack_target_minutes=5)


# ---- the pack from seeded data ----------------------------------------------------------------
async def test_every_figure_of_the_pack_matches_the_data(store: Store, clock: ManualClock) -> None:
    reports = await seed_pack(store, clock)
    figures = await pack_of(store, AFTER_Q3)
    pack = figures.pack
    assert pack is not None and not pack.to_date
    in_q3 = [r for r in reports if utc(2026, 6, 30, 23) <= r.created_at < utc(2026, 9, 30, 23)]
    assert figures.reports == len(in_q3) == 8

    # The night-time profile counts each report once, at its local weekday and hour.
    assert sum(map(sum, pack.night)) == len(in_q3)
    for report in in_q3:
        local = report.created_at.astimezone(LONDON)
        assert pack.night[local.weekday()][local.hour] >= 1
    assert pack.night[6][0] == 1  # the weapon: Saturday 23:00 UTC is Sunday 00:00 in London
    # The map: one report at its own point, five drawn at their hotspot, two with no place.
    assert sum(not p.at_hotspot for p in pack.points) == 1
    assert sum(p.at_hotspot for p in pack.points) == 5
    assert pack.unplaced == 2
    assert {(p.name, p.reports) for p in pack.places} == {("Elmer Square", 3), ("Market Street", 2)}
    assert pack.outcomes == {CloseOutcome.ARREST: 1, CloseOutcome.MOVED_ON: 1, None: 1}
    assert [(a.text, a.status) for a in pack.actions] == [
        ("Fix the lights", ActionStatus.DONE),
        ("Extra patrols", ActionStatus.OVERDUE),
    ]

    pdf = render_pdf(figures)
    text, reader = squashed(pdf)
    # Summary: against Q2 2026 (2 reports, both antisocial behaviour) and Q3 2025 (3 + 1).
    assert "Reports filed 8 up 300% (from 2) up 100% (from 4)" in text
    assert "Urgent reports 3 new: none before (now 3) new: none before (now 3)" in text
    assert "Antisocial behaviour 2 the same (2) down 33% (from 3)" in text
    assert "Street drinking 2 new: none before (now 2) up 100% (from 1)" in text
    assert "Outreach contacts 2 new: none before (now 2)" in text
    assert "figures to date" not in text.split("What the terms mean")[0]  # a finished quarter
    # Definitions of the terms used.
    for term in (
        "Urgent",
        "Acknowledged",
        "Time to acknowledge",
        "Hotspot",
        "Intermittent / returner",
    ):
        assert f" {term} " in text, term
    # Coded outcomes of the three incidents closed in the quarter.
    assert "Arrest 1 33%" in text
    assert "Moved on 1 33%" in text
    assert "Words of advice 0" in text
    assert "Closed before outcome codes (no code) 1 33%" in text
    assert "All closed in the quarter 3" in text
    # Actions: recorded by the end of the quarter, with their status at its end.
    assert "Fix the lights Council 31 Aug 2026 Done" in text
    assert "Extra patrols Police 15 Sep 2026 Overdue" in text
    assert "Later plan" not in text
    assert "2 reports in the quarter had no location to draw." in text
    assert "CCTV figures Not collected yet. Public perception survey" in text
    assert "No survey round up to this quarter." in text
    # The metadata: title, author, subject, and the creation date of the injected clock.
    info = reader.metadata
    assert info is not None
    assert info.title == "Quarterly partnership report: Q3 2026 (July–September)"
    assert info.author == "Town centre action group"
    assert info.subject is not None and "Meeting pack" in info.subject
    assert info["/CreationDate"] == "D:20261005120000+00'00'"
    assert info.creation_date == AFTER_Q3


async def test_a_quarter_not_over_is_compared_with_the_same_days(
    store: Store, clock: ManualClock
) -> None:
    await seed_pack(store, clock)
    figures = await pack_of(store, MID_AUGUST)
    pack = figures.pack
    assert pack is not None and pack.to_date
    # 1 July to 20 August 13:00 (50 days and 13 hours): 5 reports; the same stretch from
    # 1 April (to 21 May 13:00) had none: June's two are not compared. The same stretch of
    # 2025 had all four of last year's.
    assert pack.previous.earlier.end == utc(2026, 5, 21, 12)
    assert pack.year_before.earlier.end == utc(2025, 8, 20, 12)
    text, _ = squashed(render_pdf(figures))
    to_date = "(quarter not over: figures to date)"
    assert (
        f"Reports filed 5 {to_date} new: none before (now 5) {to_date} up 25% (from 4) {to_date}"
    ) in text
    summary = text.split("Headline figures")[0].split("Year on year")[1]
    lines = summary.count(to_date)
    assert lines == 3 * len(pack.comparisons)  # every figure and comparison says so
    # The headline line says so too (its count is the quarter's table, seeded ahead here).
    assert f": no reports the quarter before {to_date}" in text


@pytest.fixture(scope="module")
def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def _rasterise(pdftoppm: str, pdf: bytes, folder: Path) -> list[Path]:
    """Every page as a PNG, as a reader's viewer would draw it."""
    (folder / "pack.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "40", "-png", str(folder / "pack.pdf"), str(folder / "page")],
        check=True,
        timeout=120,
    )
    return sorted(folder.glob("page-*.png"))


def _ink(image: Image.Image) -> float:
    """The share of pixels that are not (near) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[240:]) / (grey.width * grey.height)


async def test_the_pages_render_and_no_chart_is_blank(
    store: Store, clock: ManualClock, tmp_path: Path, pdftoppm: str | None
) -> None:
    await seed_pack(store, clock)
    pdf = render_pdf(await pack_of(store, AFTER_Q3))
    reader = PdfReader(io.BytesIO(pdf))
    charts = [image for page in reader.pages for image in page.images]
    assert len(charts) == 7
    for chart in charts:
        picture = Image.open(io.BytesIO(chart.data))
        assert picture.width > 300 and picture.height > 200
        assert _ink(picture) > 0.01, chart.name  # drawn on, not an empty frame
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: charts were checked alone")
    pages = await asyncio.to_thread(_rasterise, pdftoppm, pdf, tmp_path)
    assert len(pages) == len(reader.pages)
    for path, page in zip(pages, reader.pages, strict=True):
        ink = _ink(Image.open(path))
        # A page with a chart carries far more ink than a page of text alone.
        assert ink > (0.015 if page.images else 0.005), path.name


# ---- domain rules -----------------------------------------------------------------------------
def test_changes_read_as_up_down_same_or_new() -> None:
    assert change(6, 4).direction is Direction.UP and change(6, 4).percent == 50
    assert change(3, 4).direction is Direction.DOWN
    assert change(4, 4).direction is Direction.SAME
    assert change(2, 0).direction is Direction.NEW and change(2, 0).percent is None
    assert change(0, 0).direction is Direction.NONE


def test_like_for_like_keeps_local_time_across_the_clock_change() -> None:
    # The same days and local time: 50 days 13 hours into Q3 (20 August 13:00 BST) is
    # 21 May 13:00 BST in Q2; 49 days 13 hours into Q2 is 19 February 13:00 GMT in Q1.
    assert like_for_like(Q3, Q3.previous, LONDON, MID_AUGUST).earlier.end == utc(2026, 5, 21, 12)
    q2_now = utc(2026, 5, 20, 12)
    earlier = like_for_like(Quarter(2026, 2), Quarter(2026, 1), LONDON, q2_now).earlier
    assert earlier.end == utc(2026, 2, 19, 13)


def test_night_profile_is_in_local_time() -> None:
    grid = night_profile([utc(2026, 7, 11, 23), utc(2026, 1, 10, 23)], LONDON)
    assert grid[6][0] == 1  # Sunday 00:00 BST
    assert grid[5][23] == 1  # Saturday 23:00 GMT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Council 2026-10-31 Fix it", NewAction("Council", date(2026, 10, 31), "Fix it")),
        ('"Town council" 2026-10-31 Lights', NewAction("Town council", OCT_31, "Lights")),
        ("Town_BID 2026-1-5 Bins", NewAction("Town BID", date(2026, 1, 5), "Bins")),
    ],
)  # fmt: skip
def test_new_actions_are_read(text: str, expected: NewAction) -> None:
    assert parse_new_action(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", ActionProblem.MISSING), ("Council 2026-10-31", ActionProblem.MISSING),
     ("Council tomorrow Fix", ActionProblem.BAD_DATE),
     ("Council 2026-02-30 Fix", ActionProblem.BAD_DATE)],
)  # fmt: skip
def test_bad_actions_are_refused(text: str, problem: ActionProblem) -> None:
    with pytest.raises(ActionInputError) as refused:
        parse_new_action(text)
    assert refused.value.problem is problem


CANDIDATES = [
    Candidate(ScopeKind.HOTSPOT, 1, "Elmer Square", ("the square",)),
    Candidate(ScopeKind.HOTSPOT, 2, "Market Street"),
    Candidate(ScopeKind.CATEGORY, 3, "Street drinking", ("street_drinking",)),
]


@pytest.mark.parametrize(
    ("wanted", "found"),
    [("Elmer Square", 1), ("elmer sqaure", 1), ("elmer", 1), ("the square", 1),
     ("market st", 2), ("street drinking", 3), ("Street-Drinkin", 3), ("street_drinking", 3)],
)  # fmt: skip
def test_stats_filters_match_spelling_tolerantly(wanted: str, found: int) -> None:
    scope = match_scope(wanted, CANDIDATES)
    assert scope is not None and scope.id == found


def test_stats_filters_that_match_nothing() -> None:
    assert match_scope("bus station", CANDIDATES) is None
    assert match_scope("", CANDIDATES) is None
    assert split_period("30d Elmer Square") == ("30d", "Elmer Square")
    assert split_period("this quarter street drinking") == ("this quarter", "street drinking")


# ---- from Telegram ----------------------------------------------------------------------------
async def _open_report(bot: BotHarness, slug: str = "asb") -> Report:
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None
    category = await bot.store.categories.by_slug(slug)
    assert category is not None
    draft = ReportIn(category_id=category.id or 0, place_text="Library steps")
    return await bot.store.reports.file(draft, reporter=member, group_chat_id=None)


async def test_close_offers_outcome_codes_and_stores_the_chosen_one(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await _open_report(bot)
    ref = f"R-{report.id:04d}"

    await bot.tg.send(COORDINATOR, f"/close {ref}")
    offered = bot.last(COORDINATOR)
    assert [b["text"] for b in offered.inline_buttons] == [
        "Words of advice", "Moved on", "Arrest", "Referred to another agency",
        "No further action", "Unfounded", "Other",
    ]  # fmt: skip
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.closed_at is None  # nothing closed yet

    await bot.tg.press(COORDINATOR, offered, "Moved on")
    assert bot.last(COORDINATOR).plain == f"{ref} closed (Moved on)"
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.outcome_code is CloseOutcome.MOVED_ON
    assert stored.outcome == "Moved on" and stored.closed_at is not None


async def test_close_with_words_then_asks_for_the_code(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await _open_report(bot)
    ref = f"R-{report.id:04d}"

    await bot.tg.send(COORDINATOR, f"/close {ref} Two lads given advice and left")
    asked = bot.last(COORDINATOR)
    assert asked.plain.startswith(f"{ref} closed: Two lads given advice and left")
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.closed_at is not None and stored.outcome_code is None

    await bot.tg.press(COORDINATOR, asked, "Words of advice")
    assert bot.last(COORDINATOR).plain == f"{ref}: outcome recorded as Words of advice."
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.outcome_code is CloseOutcome.ADVICE
    assert stored.outcome == "Two lads given advice and left"


async def test_a_forged_close_button_changes_nothing(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await _open_report(bot)
    await bot.tg.send(COORDINATOR, f"/close R-{report.id}")
    await bot.tg.press_data(COORDINATOR, bot.last(COORDINATOR), f"cls:o:{report.id}:shot")
    assert bot.api.callback_answers()[-1]["text"].startswith("That button no longer works")
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.closed_at is None
    # An officer may not press them at all.
    await bot.tg.press(OFFICER, bot.last(COORDINATOR), "Arrest")
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.closed_at is None


async def test_actions_are_added_listed_and_done_from_telegram(bot: BotHarness) -> None:
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await bot.tg.send(COORDINATOR, "/action")
    assert bot.last(COORDINATOR).plain.startswith("No open partnership actions.")
    await bot.tg.send(COORDINATOR, "/action add Council 2026-12-31 Fix the lights <now>")
    assert bot.last(COORDINATOR).plain == "Action #1 recorded: Council, due 31 Dec 2026."
    await bot.tg.send(COORDINATOR, '/action add "Town centre BID" 2026-11-01 Bins emptied')
    assert bot.last(COORDINATOR).plain == "Action #2 recorded: Town centre BID, due 01 Nov 2026."
    await bot.tg.send(COORDINATOR, "/action add Police soon Patrols")
    assert bot.last(COORDINATOR).plain.startswith("The due date should look like 2026-10-31")

    await bot.tg.send(COORDINATOR, "/action")
    # The test clock stands at 27 November 2026: the BID's action is overdue.
    assert bot.last(COORDINATOR).plain.split("\n") == [
        "Open partnership actions (2)",
        "#2 Bins emptied: Town centre BID, due 01 Nov 2026 ⚠️ overdue",
        "#1 Fix the lights <now>: Council, due 31 Dec 2026",
    ]
    await bot.tg.send(COORDINATOR, "/action done 2")
    assert bot.last(COORDINATOR).plain == "Action #2 marked done."
    await bot.tg.send(COORDINATOR, "/action done 2")
    assert bot.last(COORDINATOR).plain == "There is no open action #2: /action lists them."
    (left,) = await bot.store.actions.open()
    assert left.text == "Fix the lights <now>"


async def test_actions_are_for_coordinators(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/action add Council 2026-12-31 Fix the lights")
    assert "not available for your role" in bot.last(OFFICER).plain
    assert await bot.store.actions.open() == []


async def test_stats_narrowed_to_a_hotspot_or_a_category(bot: BotHarness) -> None:
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await seed_quarter(bot.store, bot.clock)
    calls = await bot.tg.send(COORDINATOR, "/stats 2026Q3 elmer sqare")
    (text,) = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
    assert "Statistics: Q3 2026, Elmer Square only" in text
    assert "Street drinking: 2" in text and "Weapon seen: 1" in text
    assert "Antisocial behaviour" not in text  # at Market Street
    assert [c for c in calls if c.method == "sendPhoto"]

    calls = await bot.tg.send(COORDINATOR, "/stats 2026Q3 street drinking")
    (text,) = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
    assert "Statistics: Q3 2026, Street drinking only" in text
    assert "Elmer Square: 2" in text and "Market Street" not in text

    calls = await bot.tg.send(COORDINATOR, "/stats 30d bus station")
    assert not [c for c in calls if c.method == "sendPhoto"]
    reply = bot.last(COORDINATOR).plain
    assert reply.startswith("“bus station” is not a hotspot or a category I know")
    assert "Hotspots: Elmer Square, Market Street." in reply
