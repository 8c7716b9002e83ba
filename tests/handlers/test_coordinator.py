"""Coordinators' outputs through the real bot: /brief, /digest, /stats, /export, /quarter."""

from __future__ import annotations

import csv
import io
from datetime import time

import pytest
from pypdf import PdfReader

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Role
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.offline.bot_api import ApiCall
from bot.offline.chat import Person, group_chat
from storage.partnership.notes import MAX_NOTE_LENGTH
from tests.support.coordinator_data import DESCRIPTION, FORMULA_PLACE, seed_quarter
from tests.support.harness import COORDINATORS_CHAT, BotHarness

COORDINATOR = Person(3001, "Cara", "Coord")
OFFICER = Person(2002, "Olly", "Officer")
GROUP = group_chat(COORDINATORS_CHAT)
# The clock of the tests starts on Friday 27 November 2026, 21:00 UTC (and GMT).


async def coordinator(bot: BotHarness) -> Person:
    return await bot.member(COORDINATOR, Role.COORDINATOR)


def sent(calls: list[ApiCall], method: str) -> list[ApiCall]:
    return [call for call in calls if call.method == method]


def texts_of(calls: list[ApiCall]) -> list[str]:
    return [str(call.params.get("text")) for call in sent(calls, "sendMessage")]


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def audit_actions(bot: BotHarness) -> list[str]:
    """The exports and reports audited (joining members is audited too: left out here)."""
    ours = (AuditAction.EXPORTED.value, AuditAction.REPORT_GENERATED.value)
    return [e.action for e in await bot.store.audit.recent(limit=50) if e.action in ours]


# ---- /brief ---------------------------------------------------------------------------------
async def test_brief_add_stores_a_note_that_the_briefing_then_shows(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/brief add CCTV at Elmer Square is down <tonight> & tomorrow")
    reply = bot.last(COORDINATOR).plain
    assert reply.startswith("📝 Note #1 added: it goes into every briefing until someone clears")
    (note,) = await bot.store.notes.active()
    assert note.text == "CCTV at Elmer Square is down <tonight> & tomorrow"
    assert note.author == "Cara Coord"

    calls = await bot.tg.send(COORDINATOR, "/brief")
    (briefing,) = texts_of(calls)
    assert "Briefing" in briefing
    assert "#1 CCTV at Elmer Square is down &lt;tonight&gt; &amp; tomorrow" in briefing
    assert not sent(calls, "sendPhoto")


async def test_brief_keeps_line_breaks_and_refuses_empty_or_long_notes(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/brief add")
    assert bot.last(COORDINATOR).plain.startswith("Please write the note after /brief add")
    await bot.tg.send(COORDINATOR, "/brief add " + "x" * (MAX_NOTE_LENGTH + 1))
    assert bot.last(COORDINATOR).plain == (
        f"That note is {MAX_NOTE_LENGTH + 1} characters long; please keep it to {MAX_NOTE_LENGTH}."
    )
    assert await bot.store.notes.active() == []
    await bot.tg.send(COORDINATOR, "/brief add Two lines:\nsecond line")
    (note,) = await bot.store.notes.active()
    assert note.text == "Two lines:\nsecond line"


async def test_brief_clear_takes_a_note_out(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/brief add First")
    await bot.tg.send(COORDINATOR, "/brief add Second")
    await bot.tg.send(COORDINATOR, "/brief clear #1")
    assert bot.last(COORDINATOR).plain == "Note #1 cleared: it is no longer in the briefings."
    assert [n.text for n in await bot.store.notes.active()] == ["Second"]
    await bot.tg.send(COORDINATOR, "/brief clear 1")
    assert bot.last(COORDINATOR).plain.startswith("There is no note #1 in the briefings")
    for bad in ("/brief clear", "/brief clear two", "/brief clear 0", "/brief clear -2"):
        await bot.tg.send(COORDINATOR, bad)
        assert bot.last(COORDINATOR).plain.startswith("Please give the note's number"), bad
    await bot.tg.send(COORDINATOR, "/brief show me")
    assert bot.last(COORDINATOR).plain.startswith("/brief shows the notes and the briefing now.")
    assert [n.text for n in await bot.store.notes.active()] == ["Second"]


async def test_brief_in_the_group_answers_the_group(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/brief add Radio channel 3 tonight", chat=GROUP)
    assert bot.api.last_to(COORDINATORS_CHAT).plain.startswith("📝 Note #1 added")
    await bot.tg.send(COORDINATOR, "/brief", chat=GROUP)
    assert "Radio channel 3 tonight" in bot.api.last_to(COORDINATORS_CHAT).plain


async def test_brief_for_the_next_shift_names_it(bot: BotHarness) -> None:
    await coordinator(bot)
    # Friday 21:00 GMT: the Saturday day shift is next.
    await bot.store.shifts.add(ShiftPattern("Saturday day", frozenset({5}), time(9), time(17)))
    calls = await bot.tg.send(COORDINATOR, "/brief")
    assert "Briefing: Saturday day" in texts_of(calls)[0]


# ---- /digest --------------------------------------------------------------------------------
async def test_digest_without_shift_patterns_says_so(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/digest")
    assert bot.last(COORDINATOR).plain.startswith(
        "There are no shift patterns yet, so there is no shift to digest."
    )


@pytest.mark.pg_smoke
async def test_digest_of_the_shift_in_progress_comes_with_its_chart(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.store.shifts.add(ShiftPattern("Friday late", frozenset({4}), time(20), time(3)))
    calls = await bot.tg.send(COORDINATOR, "/digest", chat=GROUP)
    (text,) = texts_of(calls)
    assert "Shift digest: Friday late" in text
    (photo,) = sent(calls, "sendPhoto")
    assert int(photo.params["chat_id"]) == COORDINATORS_CHAT
    assert next(iter(photo.files.values())).startswith(b"\x89PNG")
    shown = bot.api.last_to(COORDINATORS_CHAT)
    assert shown.kind == "photo" and shown.file_bytes is not None
    assert shown.caption is not None and "Friday late" in shown.caption


async def test_digest_after_the_shift_is_of_the_last_one(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.store.shifts.add(ShiftPattern("Thursday late", frozenset({3}), time(20), time(3)))
    calls = await bot.tg.send(COORDINATOR, "/digest")
    (text,) = texts_of(calls)
    assert "Shift digest: Thursday late" in text
    assert "Thu 26 Nov" in text


# ---- /stats ---------------------------------------------------------------------------------
async def test_stats_without_a_period_offers_buttons(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/stats")
    shown = bot.last(COORDINATOR)
    assert shown.plain.startswith("Which period? /stats 7d, /stats 30d, /stats quarter")
    assert [b["text"] for b in shown.inline_buttons] == [
        "Last 7 days",
        "Last 30 days",
        "This quarter",
    ]
    calls = await bot.tg.press(COORDINATOR, shown, "Last 7 days")
    assert bot.api.callback_answers()[-1].get("text") is None
    (text,) = texts_of(calls)
    assert "Statistics: the last 7 days" in text
    (photo,) = sent(calls, "sendPhoto")
    assert next(iter(photo.files.values())).startswith(b"\x89PNG")


@pytest.mark.pg_smoke
async def test_stats_counts_the_quarters_reports(bot: BotHarness) -> None:
    await coordinator(bot)
    await seed_quarter(bot.store, bot.clock)
    calls = await bot.tg.send(COORDINATOR, "/stats 2026Q3", chat=GROUP)
    (text,) = texts_of(calls)
    assert "Statistics: Q3 2026" in text
    assert "Street drinking: 2" in text
    assert "Elmer Square: 3" in text
    assert DESCRIPTION[:10] not in text
    assert sent(calls, "sendPhoto")


@pytest.mark.parametrize("period", ["fortnight", "0d", "2027Q1", "2026Q9"])
async def test_stats_with_a_bad_period_explains_and_offers_buttons(
    bot: BotHarness, period: str
) -> None:
    await coordinator(bot)
    calls = await bot.tg.send(COORDINATOR, f"/stats {period}")
    assert not sent(calls, "sendPhoto")
    shown = bot.last(COORDINATOR)
    assert f"“{period}” is not a period I know." in shown.plain
    assert "Which period?" in shown.plain
    assert len(shown.inline_buttons) == 3


async def test_a_forged_stats_button_changes_nothing(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/stats")
    calls = await bot.tg.press_data(COORDINATOR, bot.last(COORDINATOR), "sta:p:forever")
    assert not sent(calls, "sendPhoto")
    assert "“forever” is not a period I know." in bot.last(COORDINATOR).plain
    calls = await bot.tg.press_data(COORDINATOR, bot.last(COORDINATOR), "sta:zz")
    assert bot.api.callback_answers()[-1]["text"].startswith("That button no longer works")


# ---- /export --------------------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_export_sends_both_csv_files_and_is_audited(bot: BotHarness) -> None:
    await coordinator(bot)
    await seed_quarter(bot.store, bot.clock)
    calls = await bot.tg.send(COORDINATOR, "/export 2026-07-01 2026-09-30")

    reports_doc, outreach_doc = sent(calls, "sendDocument")
    assert reports_doc.params["_file_name"] == "reports_2026-07-01_2026-09-30.csv"
    assert reports_doc.params["caption"] == "Reports, 2026-07-01 to 2026-09-30: 7 reports."
    rows = rows_of(reports_doc.files["document"])
    header, lines = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[:3] == ["reference", "filed (local time)", "category"]
    assert [line["category"] for line in lines] == [
        "Street drinking",
        "Street drinking",
        "Weapon seen",
        "Antisocial behaviour",
        "Violence or assault",
        "Suspected drug dealing",
        "Safeguarding concern",
    ]
    weapon = lines[2]
    assert weapon["filed (local time)"] == "2026-07-12 00:00"  # 23:00 UTC is midnight BST
    assert weapon["minutes to acknowledge"] == "3"
    assert weapon["description"] == "'" + DESCRIPTION  # starts with "+": neutralised
    assert weapon["reporter role"] == "officer"
    assert "Rita" not in reports_doc.files["document"].decode("utf-8-sig")
    assert lines[5]["place"] == "'" + FORMULA_PLACE

    assert outreach_doc.params["_file_name"] == "outreach_counts_2026-07-01_2026-09-30.csv"
    days = rows_of(outreach_doc.files["document"])
    assert len(days) == 1 + 92
    by_day = {row[0]: row for row in days[1:]}
    assert by_day["2026-08-16"][1:6] == ["1", "0", "1", "1", "0"]  # contacts .. returners
    assert by_day["2026-08-17"][1:3] == ["1", "1"]  # one anonymous contact
    assert by_day["2026-07-12"][6] == "1"  # the referral made
    assert "Big Johnny" not in outreach_doc.files["document"].decode("utf-8-sig")

    shown = bot.api.sent_to(COORDINATOR.telegram_id)
    assert [m.kind for m in shown[-3:]] == ["document", "document", "text"]
    assert shown[-3].file_bytes == reports_doc.files["document"]
    assert shown[-1].plain.startswith(
        "📤 Exported 2026-07-01 to 2026-09-30: 7 reports and 92 days of outreach counts."
    )
    (entry,) = await bot.store.audit.recent(action_prefix="data.")
    coordinator_row = await bot.store.members.by_telegram_id(COORDINATOR.telegram_id)
    assert entry.action == AuditAction.EXPORTED.value
    assert coordinator_row is not None and entry.actor_id == coordinator_row.id
    assert entry.subject == "2026-07-01..2026-09-30"
    assert entry.detail == "csv: 7 reports, 92 days of outreach counts"


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/export", "Please give the first and the last day, like /export 2026-07-01"),
        ("/export 2026-07-01", "Please give the first and the last day"),
        ("/export 2026-07-01 to 2026-07-31", "Please give the first and the last day"),
        ("/export 1/7/2026 2026-07-31", "“1/7/2026” is not a date I understand."),
        ("/export 2026-02-30 2026-03-31", "“2026-02-30” is not a date I understand."),
        ("/export 2026-09-30 2026-07-01", "The first day comes after the last one"),
        ("/export 2025-01-01 2026-06-30", "That is more than a year"),
    ],
)
async def test_export_with_bad_dates_explains_and_exports_nothing(
    bot: BotHarness, command: str, answer: str
) -> None:
    await coordinator(bot)
    calls = await bot.tg.send(COORDINATOR, command)
    assert not sent(calls, "sendDocument")
    assert bot.last(COORDINATOR).plain.startswith(answer)
    assert AuditAction.EXPORTED.value not in await audit_actions(bot)


async def test_export_and_quarter_stay_out_of_the_group(bot: BotHarness) -> None:
    await coordinator(bot)
    for command in ("export 2026-07-01 2026-07-31", "quarter 2026Q3"):
        calls = await bot.tg.send(COORDINATOR, "/" + command, chat=GROUP)
        assert not sent(calls, "sendDocument")
        name = command.split()[0]
        assert bot.api.last_to(COORDINATORS_CHAT).plain == (
            f"Please use /{name} in a private chat with me."
        )
    assert await audit_actions(bot) == []


# ---- /quarter -------------------------------------------------------------------------------
async def test_quarter_sends_the_pdf_and_is_audited(bot: BotHarness) -> None:
    await coordinator(bot)
    await seed_quarter(bot.store, bot.clock)
    calls = await bot.tg.send(COORDINATOR, "/quarter 2026-Q3")
    (document,) = sent(calls, "sendDocument")
    assert document.params["_file_name"] == "partnership-report-2026Q3.pdf"
    assert document.params["caption"] == (
        "📑 Quarterly partnership report: Q3 2026 (July–September)."
    )
    reader = PdfReader(io.BytesIO(document.files["document"]))
    assert len(reader.pages) == 11  # the meeting pack (tests/summaries/test_meeting_pack.py)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Top hotspots" in text and "Elmer Square 3 1 43%" in text
    shown = bot.last(COORDINATOR)
    assert shown.kind == "document" and shown.file_bytes == document.files["document"]
    (entry,) = await bot.store.audit.recent(action_prefix="report.")
    assert (entry.subject, entry.detail) == ("quarter 2026Q3", "via bot; 7 reports")


async def test_quarter_in_progress_says_so_far(bot: BotHarness) -> None:
    await coordinator(bot)
    calls = await bot.tg.send(COORDINATOR, "/quarter 2026Q4")
    (document,) = sent(calls, "sendDocument")
    assert "(so far: the quarter is not over)" in document.params["caption"]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/quarter", "Please give a quarter, like /quarter 2026Q3."),
        ("/quarter 2026Q5", "“2026Q5”: quarters are Q1 to Q4, like 2026Q3."),
        ("/quarter last", "“last” is not a quarter I understand."),
        ("/quarter 2027Q1", "2027Q1 hasn't started yet: there is nothing to report."),
    ],
)
async def test_quarter_with_a_bad_quarter_explains(
    bot: BotHarness, command: str, answer: str
) -> None:
    await coordinator(bot)
    calls = await bot.tg.send(COORDINATOR, command)
    assert not sent(calls, "sendDocument")
    assert bot.last(COORDINATOR).plain.startswith(answer)
    assert await audit_actions(bot) == []


# ---- who may ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        "/brief",
        "/brief add x",
        "/digest",
        "/stats 7d",
        "/export 2026-07-01 2026-07-31",
        "/quarter 2026Q3",
    ],
)
async def test_officers_are_refused(bot: BotHarness, command: str) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    calls = await bot.tg.send(OFFICER, command)
    name = command.split()[0][1:]
    assert bot.last(OFFICER).plain == (
        f"/{name} is not available for your role. /help lists what you can use."
    )
    assert not sent(calls, "sendDocument") and not sent(calls, "sendPhoto")
    assert await bot.store.notes.active() == []
    assert await audit_actions(bot) == []


async def test_an_officer_pressing_a_stats_button_is_refused(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(COORDINATOR, "/stats")
    calls = await bot.tg.press(OFFICER, bot.last(COORDINATOR), "Last 7 days")
    assert not sent(calls, "sendPhoto")
    assert bot.api.callback_answers()[-1]["text"] == "That button is not available for your role."


async def test_coordinators_see_the_new_commands_in_help(bot: BotHarness) -> None:
    await coordinator(bot)
    await bot.tg.send(COORDINATOR, "/help")
    help_text = bot.last(COORDINATOR).plain
    for name in ("/brief", "/digest", "/stats", "/export", "/quarter"):
        assert name in help_text
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/help")
    assert "/export" not in bot.last(OFFICER).plain
