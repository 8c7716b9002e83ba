"""Reports after the fact: /mine, /show, /update, photo replies, /close, /open."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from bot.domain.access.roles import Role
from bot.domain.reports.incidents import AckKind, ReportStatus
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from bot.texts.split import MESSAGE_LIMIT
from storage import db
from storage.catalog import HotspotIn
from storage.models import Member, OutboxMessage, Report, ReportIn
from tests.support.harness import ADMIN, BotHarness

OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
COORDINATOR = Person(3001, "Cara", "Coord")


async def file_report(bot: BotHarness, person: Person, slug: str, **fields: Any) -> Report:
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    assert member is not None
    category = next(c for c in await bot.store.categories.active() if c.slug == slug)
    draft = ReportIn(category_id=category.id or 0, **fields)
    return await bot.store.reports.file(draft, reporter=member, group_chat_id=None)


async def member_of(bot: BotHarness, person: Person) -> Member:
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    assert member is not None
    return member


async def notices(bot: BotHarness) -> list[OutboxMessage]:
    async with db.session_factory(bot.store.engine)() as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.purpose == "notice")
            .order_by(col(OutboxMessage.id))
        )
        return list((await session.exec(query)).all())


async def hotspot(bot: BotHarness, name: str = "Elmer Square") -> int:
    row, _ = await bot.store.hotspots.upsert(HotspotIn(name=name, lat=51.5072, lon=-0.1276))
    return row.id or 0


async def confirmation(bot: BotHarness, person: Person, text: str) -> SentMessage:
    """A message of the bot's in the person's chat, as the report flow sends it."""
    await bot.app.bot.send_message(person.telegram_id, text)
    return bot.last(person)


async def send_photo_reply(
    bot: BotHarness, person: Person, to: SentMessage, *, caption: str | None = None
) -> None:
    content: dict[str, Any] = {
        "photo": [
            {"file_id": "small-id", "file_unique_id": "s1", "width": 90, "height": 60},
            {"file_id": "large-id", "file_unique_id": "l1", "width": 1280, "height": 960},
        ],
        "reply_to_message": to.as_message(bot.api.bot_user, 0),
    }
    if caption is not None:
        content["caption"] = caption
    await bot.tg.process({"message": bot.tg.message(person, **content)})


# ---- /mine ---------------------------------------------------------------------------------
async def test_mine_without_reports_says_how_to_file_one(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/mine")
    assert bot.last(OFFICER).plain == (
        "You haven't filed any reports yet. Send /report to file one."
    )


async def test_mine_lists_own_reports_newest_first_one_line_each(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    square = await hotspot(bot)
    first = await file_report(bot, OFFICER, "street_drinking", hotspot_id=square)
    bot.clock.advance(minutes=75)
    second = await file_report(bot, OFFICER, "weapon", place_text="Bus station", urgent=True)
    await file_report(bot, WARDEN, "begging", place_text="Warden's own place")

    await bot.tg.send(OFFICER, "/mine")
    lines = bot.last(OFFICER).plain.split("\n")
    assert lines == [
        "Your last 2 reports, newest first:",
        f"R-{second.id:04d} 🚨 · Fri 27 Nov 22:15 · Weapon seen · Bus station · "
        "open, not acknowledged",
        f"R-{first.id:04d} · Fri 27 Nov 21:00 · Street drinking · Elmer Square · open",
        "/show R-12 for one in full.",
    ]


async def test_mine_shows_who_acknowledged_and_closed_and_only_ten(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    coordinator = await member_of(bot, COORDINATOR)
    reports = []
    for _ in range(12):
        reports.append(await file_report(bot, OFFICER, "other", place_text="Market"))
        bot.clock.advance(minutes=1)
    urgent = await file_report(bot, OFFICER, "violence", place_text="Market", urgent=True)
    bot.clock.advance(minutes=3)
    await bot.store.reports.acknowledge(urgent.id or 0, by=coordinator, kind=AckKind.ACKNOWLEDGED)
    await bot.store.reports.close(reports[-1].id or 0, by=coordinator, outcome="done")

    await bot.tg.send(OFFICER, "/mine")
    lines = bot.last(OFFICER).plain.split("\n")
    assert lines[0] == "Your last 10 reports, newest first:"
    assert len(lines) == 12  # header, ten reports, hint
    assert lines[1].startswith(f"R-{urgent.id:04d} 🚨")
    assert lines[1].endswith("open, acknowledged by Cara Coord at 21:15")
    assert lines[2].startswith(f"R-{reports[-1].id:04d}") and lines[2].endswith("· closed")
    assert f"R-{reports[2].id:04d}" not in bot.last(OFFICER).plain  # the 11th newest


# ---- /show ---------------------------------------------------------------------------------
async def test_reporter_sees_own_report_in_full_with_photos(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    officer = await member_of(bot, OFFICER)
    report = await file_report(
        bot,
        OFFICER,
        "gang",
        hotspot_id=await hotspot(bot),
        people_count="4-9",
        description="Group <shouting> & pushing\nnear the fountain",
        attachments=[("photo", "ph-1"), ("voice", "vo-1"), ("photo", "ph-2")],
    )
    bot.clock.advance(minutes=10)
    await bot.store.reports.add_note(
        report.id or 0, author=officer, text="They moved to <Kings St>"
    )
    ref = f"R-{report.id:04d}"

    calls = await bot.tg.send(OFFICER, f"/show {ref}")
    assert [c.method for c in calls] == ["sendMessage"]  # one message; the rest on its pages
    shown = bot.last(OFFICER)
    text = shown.plain
    assert text.split("\n") == [
        ref,
        "Filed: Fri 27 Nov 21:00 by Olly Officer",
        "Category: Gang or group activity",
        "Place: Elmer Square",
        "People involved: 4-9",
        "What happened: Group <shouting> & pushing",
        "near the fountain",
        "Attachments: 2 photos, 1 voice note",
        "Updates (1):",
        "• Fri 27 Nov 21:10: They moved to <Kings St>",
        "Status: open",
    ]
    await bot.tg.press(OFFICER, shown, "More ▶")
    first_photo = bot.last(OFFICER)
    await bot.tg.press(OFFICER, first_photo, "More ▶")
    photos = [m for m in bot.api.sent_to(OFFICER.telegram_id) if m.kind == "photo"]
    assert [p.file_name for p in photos] == ["ph-1", "ph-2"]
    assert [p.caption for p in photos] == [f"{ref}: photo 1 of 2", f"{ref}: photo 2 of 2"]
    assert photos[-1].inline_buttons == []  # the last page
    assert shown.inline_buttons == []  # a page's button goes once pressed


async def test_show_urgent_report_at_coordinates_outside_the_area(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    coordinator = await member_of(bot, COORDINATOR)
    report = await file_report(
        bot, OFFICER, "weapon", lat=51.6, lon=-0.2, outside_area=True, urgent=True
    )
    bot.clock.advance(minutes=4)
    await bot.store.reports.acknowledge(report.id or 0, by=coordinator, kind=AckKind.ATTENDING)
    bot.clock.advance(minutes=30)
    await bot.store.reports.close(report.id or 0, by=coordinator, outcome="Knife recovered")

    await bot.tg.send(OFFICER, f"/show r{report.id}")
    lines = bot.last(OFFICER).plain.split("\n")
    assert lines[0] == f"R-{report.id:04d} 🚨 urgent"
    assert "Place: 51.60000, -0.20000 (outside the area)" in lines
    assert "People involved: not given" in lines
    assert "What happened: not described" in lines
    assert "Attachments: none" in lines
    assert "Response: attending: Cara Coord (since 21:04)" in lines
    assert lines[-2:] == [
        "Status: closed Fri 27 Nov 21:34 by Cara Coord",
        "Outcome: Knife recovered",
    ]


async def test_show_accepts_the_usual_ways_of_writing_a_reference(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    for written in (f"R-{report.id}", f"r{report.id}", f"R-{report.id:04d}", f"{report.id}"):
        await bot.tg.send(OFFICER, f"/show {written}")
        assert bot.last(OFFICER).plain.startswith(f"R-{report.id:04d}\n"), written


async def test_show_needs_a_reference(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    for text in ("/show", "/show banana", "/show R-", "/show R-0"):
        await bot.tg.send(OFFICER, text)
        assert bot.last(OFFICER).plain == "Please give a reference, like /show R-12.", text


async def test_someone_elses_report_and_a_missing_one_get_the_same_refusal(
    bot: BotHarness,
) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    report = await file_report(bot, WARDEN, "begging", place_text="Cash machine")

    await bot.tg.send(OFFICER, f"/show R-{report.id}")
    assert bot.last(OFFICER).plain == "You can only see your own reports."
    await bot.tg.send(OFFICER, "/show R-0099")
    assert bot.last(OFFICER).plain == "You can only see your own reports."
    assert "Cash machine" not in "".join(m.plain for m in bot.api.sent_to(OFFICER.telegram_id))


async def test_coordinators_and_admins_see_any_report(bot: BotHarness) -> None:
    await bot.member(WARDEN, Role.WARDEN)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    admin_officer = Person(1003, "Ada", "Officer-Admin")
    await bot.member(admin_officer, Role.OFFICER, admin=True)
    report = await file_report(bot, WARDEN, "begging", place_text="Cash machine")

    for person in (COORDINATOR, ADMIN, admin_officer):
        await bot.tg.send(person, f"/show R-{report.id}")
        assert "Place: Cash machine" in bot.last(person).plain
        assert "by Wendy Warden" in bot.last(person).plain
        await bot.tg.send(person, "/show R-0099")
        assert bot.last(person).plain == "I can't find R-0099."


# ---- /update and photos --------------------------------------------------------------------
async def test_reporter_adds_an_update_to_an_open_report(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    bot.clock.advance(minutes=5)

    await bot.tg.send(OFFICER, f"/update R-{report.id} Two more arrived,\nnow <six> & loud")
    assert bot.last(OFFICER).plain == f"Added to R-{report.id:04d}."
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None
    assert [n.text for n in view.notes] == ["Two more arrived,\nnow <six> & loud"]
    assert view.notes[0].author_id == (await member_of(bot, OFFICER)).id


async def test_update_bad_input_changes_nothing(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    ref = f"R-{report.id:04d}"
    usage = "Please give a reference and what's new, like /update R-12 Two more have arrived."
    cases = {
        "/update": usage,
        "/update banana more": usage,
        f"/update {ref}": (
            f"Please add what's new after the reference, like /update {ref} Two more arrived."
        ),
        f"/update {ref}    ": (
            f"Please add what's new after the reference, like /update {ref} Two more arrived."
        ),
        f"/update {ref} " + "x" * 4001: (
            "That's too long: please keep it to 4000 characters (yours has 4001). "
            "Nothing was stored."
        ),
    }
    for text, expected in cases.items():
        await bot.tg.send(OFFICER, text)
        assert bot.last(OFFICER).plain == expected, text[:30]
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None and view.notes == []


async def test_only_the_reporter_may_update_and_only_while_open(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await file_report(bot, WARDEN, "begging", place_text="Cash machine")

    await bot.tg.send(OFFICER, f"/update R-{report.id} not mine")
    assert bot.last(OFFICER).plain == "You can only update your own reports."
    await bot.tg.send(OFFICER, "/update R-0099 does not exist")
    assert bot.last(OFFICER).plain == "You can only update your own reports."
    await bot.tg.send(COORDINATOR, f"/update R-{report.id} coordinator note")
    assert bot.last(COORDINATOR).plain == "You can only update your own reports."
    await bot.tg.send(COORDINATOR, "/update R-0099 nothing")
    assert bot.last(COORDINATOR).plain == "I can't find R-0099."

    coordinator = await member_of(bot, COORDINATOR)
    await bot.store.reports.close(report.id or 0, by=coordinator, outcome="Moved on")
    await bot.tg.send(WARDEN, f"/update R-{report.id} back again")
    assert bot.last(WARDEN).plain == (
        f"R-{report.id:04d} is closed; ask a coordinator if something new happened."
    )
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None and view.notes == []


async def test_photo_replying_to_a_confirmation_is_added_to_that_report(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "criminal_damage", place_text="Bus shelter")
    ref = f"R-{report.id:04d}"
    stored = await confirmation(bot, OFFICER, f"Report {ref} stored at 21:00.")

    await send_photo_reply(bot, OFFICER, stored, caption="The glass they smashed")
    assert bot.last(OFFICER).plain == f"📷 Photo added to {ref}."
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None
    assert [(a.kind, a.file_id) for a in view.attachments] == [("photo", "large-id")]
    assert [n.text for n in view.notes] == ["The glass they smashed"]

    await bot.tg.send(OFFICER, f"/show {ref}")
    assert "Attachments: 1 photo" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "More ▶")
    assert bot.last(OFFICER).kind == "photo" and bot.last(OFFICER).file_name == "large-id"


async def test_photo_reply_is_checked_like_an_update(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    wardens = await file_report(bot, WARDEN, "begging", place_text="Cash machine")
    own = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    coordinator = await member_of(bot, COORDINATOR)
    await bot.store.reports.close(own.id or 0, by=coordinator, outcome="Dispersed")

    someone_elses = await confirmation(bot, OFFICER, f"Report R-{wardens.id:04d} stored at 21:00.")
    await send_photo_reply(bot, OFFICER, someone_elses)
    assert bot.last(OFFICER).plain == "You can only update your own reports."
    closed = await confirmation(bot, OFFICER, f"Report R-{own.id:04d} stored at 21:00.")
    await send_photo_reply(bot, OFFICER, closed)
    assert bot.last(OFFICER).plain == (
        f"R-{own.id:04d} is closed; ask a coordinator if something new happened."
    )
    both = await confirmation(bot, OFFICER, f"R-{own.id:04d} and R-{wardens.id:04d}")
    await send_photo_reply(bot, OFFICER, both)
    assert "mentions more than one report" in bot.last(OFFICER).plain
    unrelated = await confirmation(bot, OFFICER, "Welcome back.")
    await send_photo_reply(bot, OFFICER, unrelated)
    assert "R-" not in bot.last(OFFICER).plain  # not ours: the ordinary fallback answered

    for report in (wardens, own):
        view = await bot.store.reports.view(report.id or 0, with_details=True)
        assert view is not None and view.attachments == []


# ---- /close --------------------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_coordinator_closes_with_outcome_and_the_reporter_is_told(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await file_report(bot, OFFICER, "weapon", place_text="Bus station", urgent=True)
    ref = f"R-{report.id:04d}"
    bot.app.services.outbox_wakeup.clear()
    bot.clock.advance(minutes=20)

    await bot.tg.send(COORDINATOR, f"/close {ref} Police attended, <knife> recovered")
    closed = bot.last(COORDINATOR)
    assert closed.plain.split("\n")[0] == f"{ref} closed: Police attended, <knife> recovered"
    assert "Arrest" in [b["text"] for b in closed.inline_buttons]  # the code is asked next
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.status is ReportStatus.CLOSED
    assert stored.outcome == "Police attended, <knife> recovered"
    assert stored.closed_by_id == (await member_of(bot, COORDINATOR)).id
    rows = await notices(bot)
    assert [(r.chat_id, r.text) for r in rows] == [
        (
            OFFICER.telegram_id,
            f"Your report {ref} was closed by Cara Coord: Police attended, &lt;knife&gt; recovered",
        )
    ]
    assert bot.app.services.outbox_wakeup.is_set()


async def test_closing_ones_own_report_sends_no_notice(bot: BotHarness) -> None:
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await file_report(bot, COORDINATOR, "other", place_text="Town hall")
    await bot.tg.send(COORDINATOR, f"/close {report.id} Nothing further")
    first_line = bot.last(COORDINATOR).plain.split("\n")[0]
    assert first_line == f"R-{report.id:04d} closed: Nothing further"
    assert await notices(bot) == []


async def test_close_bad_input_and_already_closed(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    ref = f"R-{report.id:04d}"
    usage = "Please give a reference and the outcome, like /close R-12 Group moved on."
    choose = (
        f"How did {ref} end? Choose the outcome. (To add your own words too: "
        f"/close {ref} what happened.)"
    )
    cases = {
        "/close": usage,
        "/close banana done": usage,
        f"/close {ref}": choose,  # offers the outcome buttons, closes nothing yet
        f"/close {ref} " + "y" * 4001: (
            "That's too long: please keep it to 4000 characters (yours has 4001). "
            "Nothing was stored."
        ),
        "/close R-0099 done": "I can't find R-0099.",
    }
    for text, expected in cases.items():
        await bot.tg.send(COORDINATOR, text)
        assert bot.last(COORDINATOR).plain == expected, text[:30]
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.status is ReportStatus.OPEN

    bot.clock.advance(minutes=30)
    await bot.tg.send(ADMIN, f"/close {ref} Moved on")  # the admin is a coordinator too
    bot.clock.advance(minutes=5)
    await bot.tg.send(COORDINATOR, f"/close {ref} Something else")
    assert bot.last(COORDINATOR).plain == (
        f"{ref} was already closed at Fri 27 Nov 21:30 by Alex Admin."
    )
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.outcome == "Moved on"
    assert len(await notices(bot)) == 1


async def test_close_is_for_coordinators_only(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    await bot.tg.send(OFFICER, f"/close R-{report.id} my own")
    assert "not available for your role" in bot.last(OFFICER).plain
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.status is ReportStatus.OPEN


# ---- /open ---------------------------------------------------------------------------------
async def test_open_without_urgent_incidents(bot: BotHarness) -> None:
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await bot.member(OFFICER, Role.OFFICER)
    await file_report(bot, OFFICER, "asb", place_text="Library steps")
    await bot.tg.send(COORDINATOR, "/open")
    assert bot.last(COORDINATOR).plain == "No open urgent incidents."
    await bot.tg.send(OFFICER, "/open")
    assert "not available for your role" in bot.last(OFFICER).plain


async def test_open_lists_urgent_incidents_oldest_first_with_age_and_response(
    bot: BotHarness,
) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    coordinator = await member_of(bot, COORDINATOR)
    square = await hotspot(bot)
    oldest = await file_report(bot, OFFICER, "weapon", hotspot_id=square, urgent=True)
    bot.clock.advance(minutes=10)
    await file_report(bot, OFFICER, "asb", place_text="Not urgent")  # not listed
    acked = await file_report(bot, OFFICER, "violence", place_text="Taxi rank", urgent=True)
    bot.clock.advance(minutes=2)
    await bot.store.reports.acknowledge(acked.id or 0, by=coordinator, kind=AckKind.ACKNOWLEDGED)
    bot.clock.advance(minutes=20)
    attended = await file_report(bot, OFFICER, "safeguarding", place_text="Arcade", urgent=True)
    await bot.store.reports.acknowledge(attended.id or 0, by=coordinator, kind=AckKind.ATTENDING)
    closed = await file_report(bot, OFFICER, "weapon", place_text="Closed one", urgent=True)
    await bot.store.reports.close(closed.id or 0, by=coordinator, outcome="done")
    bot.clock.advance(minutes=10)

    await bot.tg.send(COORDINATOR, "/open")
    assert bot.last(COORDINATOR).plain.split("\n") == [
        "🚨 Open urgent incidents (3), oldest first:",
        f"⚠️ 42 min ago · Weapon seen · Elmer Square · R-{oldest.id:04d} · not acknowledged",
        f"✅ 32 min ago · Violence or assault · Taxi rank · R-{acked.id:04d} · "
        "acknowledged by Cara Coord at 21:12",
        f"✅ 10 min ago · Safeguarding concern · Arcade · R-{attended.id:04d} · "
        "attending: Cara Coord",
    ]


async def test_a_long_open_list_is_split_under_telegrams_limit(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    refs = []
    for n in range(40):
        place = f"Place {n} " + "& <long> description of where " * 6
        report = await file_report(bot, OFFICER, "weapon", place_text=place[:200], urgent=True)
        refs.append(f"R-{report.id:04d}")
        bot.clock.advance(minutes=1)

    calls = await bot.tg.send(COORDINATOR, "/open")
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) > 1
    assert all(len(str(c.params["text"])) <= MESSAGE_LIMIT for c in sent)
    messages = bot.api.sent_to(COORDINATOR.telegram_id)[-len(sent) :]
    seen = "\n".join(m.plain for m in messages)
    assert [r for r in refs if r in seen] == refs
    assert seen.index(refs[0]) < seen.index(refs[-1])


# ---- issue 11: nobody can stall /show ---------------------------------------------------------
async def test_updates_and_photos_are_capped_per_report(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    ref = f"R-{report.id:04d}"
    limit = bot.settings.max_notes_per_report
    for number in range(limit):
        await bot.tg.send(OFFICER, f"/update {ref} update {number}")
    assert bot.last(OFFICER).plain == f"Added to {ref}."
    await bot.tg.send(OFFICER, f"/update {ref} one too many")
    assert bot.last(OFFICER).plain == (
        f"{ref} has {limit} updates already, the most one report takes. "
        "Ask a coordinator if something new happened."
    )
    bot.clock.advance(minutes=1)  # (an update a second is not a flood; 30 in no time is)
    stored = await confirmation(bot, OFFICER, f"Report {ref} stored at 21:00.")
    for _ in range(bot.settings.max_photos_per_report):
        await send_photo_reply(bot, OFFICER, stored)
    await send_photo_reply(bot, OFFICER, stored)
    assert bot.last(OFFICER).plain == (
        f"{ref} has {bot.settings.max_photos_per_report} photos already, the most one report takes."
    )
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None and len(view.notes) == limit
    assert len(view.attachments) == bot.settings.max_photos_per_report


async def test_show_of_a_huge_report_is_one_message_a_press(bot: BotHarness) -> None:
    """150 updates of 4,000 characters and 60 photos (filed before the caps): /show sends
    one message; each "More" one more, and only to those who may see the report."""
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    officer = await member_of(bot, OFFICER)
    report = await file_report(bot, OFFICER, "asb", place_text="Library steps")
    for number in range(150):
        await bot.store.reports.add_note(
            report.id or 0, author=officer, text=f"update {number} " + "x" * 3990
        )
    for number in range(60):
        await bot.store.reports.add_attachment(
            report.id or 0, by=officer, kind="photo", file_id=f"ph-{number}"
        )
    ref = f"R-{report.id:04d}"

    calls = await bot.tg.send(OFFICER, f"/show {ref}")
    assert [c.method for c in calls] == ["sendMessage"]
    first = bot.last(OFFICER)
    assert "Updates (150):" in first.plain and "Attachments: 60 photos" in first.plain
    assert len(first.plain) <= 4096
    # Someone else's press of the same button gets nothing.
    refused = await bot.tg.press_data(WARDEN, first, first.button("More ▶")["callback_data"])
    assert [c.method for c in refused] == ["answerCallbackQuery"]
    assert bot.api.callback_answers()[-1]["text"] == "You can only see your own reports."

    pressed = await bot.tg.press(OFFICER, first, "More ▶")
    assert [c.method for c in pressed] == [
        "answerCallbackQuery",
        "editMessageReplyMarkup",
        "sendMessage",
    ]
    second = bot.last(OFFICER)
    assert second.plain.startswith(f"{ref}, continued (2 of ")
    assert "update 0 x" in second.plain and len(second.plain) <= 4096
    assert second.button("More ▶")
