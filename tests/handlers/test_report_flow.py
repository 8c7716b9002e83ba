"""The guided /report flow through the real Application: every step, bad input, restarts."""

from __future__ import annotations

import pytest

from bot.domain.access.roles import Role
from bot.domain.quick_report import DEFAULT_CATEGORIES
from bot.domain.reports.incidents import ReportSource
from bot.jobs.draft_expiry import expire_drafts
from bot.offline.chat import Person, group_chat
from bot.texts import common as common_texts
from bot.texts import reports as reports_texts
from storage.models import Report
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness
from tests.support.reporting import (
    FAR_AWAY,
    NEAR_ELMER,
    OFFICER,
    OUTREACH,
    WARDEN,
    category,
    labels,
    last_answer,
    officer,
    on_duty,
    press_category,
    seed_elmer,
    send_photo,
    send_voice,
)

SECOND_WARDEN = Person(2010, "Will", "Warden")


async def reports(bot: BotHarness) -> list[Report]:
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.id is not None
    return [view.report for view in await bot.store.reports.by_reporter(member.id)]


async def to_location_step(bot: BotHarness, category_label: str = "Street drinking") -> None:
    await bot.tg.send(OFFICER, "/report")
    await press_category(bot, OFFICER, bot.last(OFFICER), category_label)


async def to_what_step(bot: BotHarness, category_label: str = "Street drinking") -> None:
    await to_location_step(bot, category_label)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")


async def to_summary(bot: BotHarness, category_label: str = "Street drinking") -> None:
    await to_what_step(bot, category_label)
    await bot.tg.send(OFFICER, "Three lads with cans by the fountain")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "2-3")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")


@pytest.mark.pg_smoke
async def test_guided_report_goes_through_every_step_and_is_stored(bot: BotHarness) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)

    await bot.tg.send(OFFICER, "/report")
    prompt = bot.last(OFFICER)
    assert "New report" in prompt.plain and "What is it about?" in prompt.plain
    rows = prompt.reply_markup["inline_keyboard"]  # type: ignore[index]
    assert all(len(row) <= 2 for row in rows)
    # At most six categories (no reports yet: the admins' order), "More…" for the rest.
    assert labels(bot, OFFICER) == [
        *[entry.name for entry in DEFAULT_CATEGORIES[:6]],
        "More…",
        "✖️ Cancel",
    ]
    await bot.tg.press(OFFICER, prompt, "More…")
    assert bot.last(OFFICER) is prompt  # every category, in place of the few
    assert labels(bot, OFFICER) == [*[entry.name for entry in DEFAULT_CATEGORIES], "✖️ Cancel"]

    await bot.tg.press(OFFICER, prompt, "Street drinking")
    assert prompt.plain == "📂 Category: Street drinking" and prompt.inline_buttons == []
    where, hotspots = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert "Where is it?" in where.plain
    assert where.keyboard_buttons == [
        {"text": "📍 Share location", "request_location": True},
        {"text": "⌨️ Type a place"},
    ]
    assert [b["text"] for b in hotspots.inline_buttons] == ["📍 Elmer Square", "✖️ Cancel"]

    await bot.tg.press(OFFICER, hotspots, "Elmer Square")
    placed, what = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert placed.plain == "📍 Place: Elmer Square"
    assert placed.reply_markup == {"remove_keyboard": True}
    assert "What happened?" in what.plain

    await bot.tg.send(OFFICER, "Three lads with cans by the fountain")
    assert "How many people" in bot.last(OFFICER).plain
    assert labels(bot, OFFICER) == ["1", "2-3", "4-9", "10+", "Skip", "✖️ Cancel"]

    await bot.tg.press(OFFICER, bot.last(OFFICER), "2-3")
    assert "Is it urgent?" in bot.last(OFFICER).plain
    assert labels(bot, OFFICER) == ["Urgent ⚠️", "✓ Not urgent", "✖️ Cancel"]

    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    summary = bot.last(OFFICER)
    for line in (
        "Category: Street drinking",
        "Place: Elmer Square",
        "What happened: Three lads with cans by the fountain",
        "People involved: 2-3",
        "Not urgent",
    ):
        assert line in summary.plain
    assert labels(bot, OFFICER) == ["✅ Confirm", "✏️ Edit", "👶 Under 18 involved? no", "✖️ Cancel"]

    await bot.tg.press(OFFICER, summary, "Confirm")
    assert bot.last(OFFICER).plain == (
        "✅ Report R-0001 stored at 21:00.\n📹 Camera footage? /cctv R-0001 asks the control room."
    )
    assert summary.inline_buttons == []
    [report] = await reports(bot)
    drinking = await category(bot.store, "street_drinking")
    assert report.category_id == drinking.id and report.hotspot_id == hotspot.id
    assert report.description == "Three lads with cans by the fountain"
    assert report.people_count == "2-3" and report.urgent is False
    assert report.source is ReportSource.GUIDED and report.outside_area is False
    assert await bot.store.outbox.for_report(report.id or 0) == []
    presses = len([c for c in bot.api.calls if c.method == "answerCallbackQuery"])
    assert presses == 6  # every press (More… too) was answered


async def test_main_menu_report_button_starts_a_report(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "/start")
    menu = bot.last(OFFICER)
    assert labels(bot, OFFICER)[0] == "📝 Report"
    await bot.tg.press(OFFICER, menu, "Report")
    assert "New report" in bot.last(OFFICER).plain
    await press_category(bot, OFFICER, bot.last(OFFICER), "Begging")
    assert "Where is it?" in bot.api.sent_to(OFFICER.telegram_id)[-1].plain


async def test_help_from_the_menu_still_works(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "/start")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Help")
    assert "What you can use" in bot.last(OFFICER).plain


async def test_typed_place_matching_an_alias_uses_the_hotspot(bot: BotHarness) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.send(OFFICER, "⌨️ Type a place")
    assert bot.last(OFFICER).plain == reports_texts.REPORT_TYPE_PLACE
    await bot.tg.send(OFFICER, "by the fountian")  # a typo, still the alias
    assert bot.api.sent_to(OFFICER.telegram_id)[-2].plain == "📍 Place: Elmer Square"
    await bot.tg.send(OFFICER, "Cans everywhere")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Skip")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    assert "People involved: not given" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id == hotspot.id and report.place_text is None
    assert report.people_count is None


async def test_typed_place_is_kept_as_text_and_an_overlong_one_is_refused(
    bot: BotHarness,
) -> None:
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.send(OFFICER, "x" * 201)
    assert bot.last(OFFICER).plain == "That's 201 characters: please keep the place to 200."
    await bot.tg.send(OFFICER, "Back of the <Co-op> & car park")
    assert bot.api.sent_to(OFFICER.telegram_id)[-2].plain == (
        "📍 Place: Back of the <Co-op> & car park"
    )
    await bot.tg.send(OFFICER, "Cans")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.place_text == "Back of the <Co-op> & car park" and report.hotspot_id is None


async def test_shared_location_inside_a_hotspot_uses_it(bot: BotHarness) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.share_location(OFFICER, *NEAR_ELMER)
    assert bot.api.sent_to(OFFICER.telegram_id)[-2].plain == "📍 Place: Elmer Square"
    await bot.tg.send(OFFICER, "Cans")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id == hotspot.id
    assert (report.lat, report.lon) == NEAR_ELMER and report.outside_area is False


async def test_shared_location_far_from_every_hotspot_is_flagged_outside_the_area(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.share_location(OFFICER, *FAR_AWAY)
    assert "(outside the area)" in bot.api.sent_to(OFFICER.telegram_id)[-2].plain
    await bot.tg.send(OFFICER, "Cans")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    assert "Place: shared location 51.60000, -0.12760 (outside the area)" in (
        bot.last(OFFICER).plain
    )
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.outside_area is True and report.hotspot_id is None
    assert (report.lat, report.lon) == FAR_AWAY


async def test_overlong_description_is_refused_and_the_step_waits(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_what_step(bot)
    await bot.tg.send(OFFICER, "a" * 4001)
    assert "That's 4001 characters, and a report can take 4000" in bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "a" * 4000)
    assert "How many people" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    summary = bot.last(OFFICER).plain
    assert len(summary) < 4096 and "…" in summary
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.description == "a" * 4000


async def test_people_typed_number_is_banded_and_words_are_refused(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_what_step(bot)
    await bot.tg.send(OFFICER, "Cans")
    await bot.tg.send(OFFICER, "lots")
    assert bot.last(OFFICER).plain == "Please choose with the buttons or type a number."
    await bot.tg.send(OFFICER, "0")
    assert bot.last(OFFICER).plain == "Please choose with the buttons or type a number."
    await bot.tg.send(OFFICER, "12")
    assert "Is it urgent?" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    assert "People involved: 10+" in bot.last(OFFICER).plain


async def test_photos_and_voice_notes_are_attached_and_stored(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_what_step(bot)
    await send_photo(bot, OFFICER, "photo-big-1")
    assert bot.last(OFFICER).plain == "📷 Photo attached (1). Send more, or type what happened."
    assert "➡️ Continue" in labels(bot, OFFICER)
    await send_voice(bot, OFFICER, "voice-1")
    assert bot.last(OFFICER).plain == "🎙 Voice note attached (2). Send more, or type what happened."
    await bot.tg.send(OFFICER, "Bottle thrown")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "4-9")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    assert "Attached: 1 photo, 1 voice note" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None
    assert [(a.kind, a.file_id) for a in view.attachments] == [
        ("photo", "photo-big-1"),
        ("voice", "voice-1"),
    ]


async def test_photo_only_description_goes_on_with_continue(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    hotspots = bot.last(OFFICER)
    spent = hotspots.button("Elmer")["callback_data"]
    await bot.tg.press(OFFICER, hotspots, "Elmer")
    await bot.tg.press_data(OFFICER, hotspots, spent)  # a second tap on a spent button
    assert last_answer(bot) == reports_texts.REPORT_OLD_BUTTON
    assert hotspots.inline_buttons == []
    await send_photo(bot, OFFICER, "photo-1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Continue")
    assert "How many people" in bot.last(OFFICER).plain


async def test_urgent_report_alerts_everyone_expected_through_the_outbox(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.member(WARDEN, Role.WARDEN)
    await bot.member(OUTREACH, Role.OUTREACH)
    await bot.member(SECOND_WARDEN, Role.WARDEN)  # not on duty: no alert
    # Everyone on duty is alerted, whatever their role; the reporter is not.
    await on_duty(bot, ADMIN, WARDEN, OUTREACH, OFFICER)
    await to_what_step(bot, "Weapon seen")
    await bot.tg.send(OFFICER, "Lad showing a knife to his mates")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "4-9")
    assert "Preset for Weapon seen: urgent" in bot.last(OFFICER).plain
    assert labels(bot, OFFICER)[:2] == ["✓ Urgent ⚠️", "Not urgent"]
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Urgent ⚠️")
    assert "Urgent: the alert goes out when you confirm" in bot.last(OFFICER).plain
    bot.app.services.outbox_wakeup.clear()
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")

    stored = bot.last(OFFICER).plain
    assert stored.startswith("✅ Report R-0001 stored at 21:00.")
    assert "Alert sent to colleagues on duty and the coordinators." in stored
    assert common_texts.IF_LIFE_AT_RISK in stored
    [report] = await reports(bot)
    assert report.urgent is True
    rows = await bot.store.outbox.for_report(report.id or 0)
    alerted = sorted(
        [COORDINATORS_CHAT, ADMIN.telegram_id, WARDEN.telegram_id, OUTREACH.telegram_id]
    )
    assert sorted(r.chat_id for r in rows if r.purpose == "alert") == alerted
    # At a hotspot: each copy has its map pin, queued after every copy's text.
    assert sorted(r.chat_id for r in rows if r.purpose == "alert_pin") == alerted
    assert {r.purpose for r in rows} == {"alert", "alert_pin"}
    assert bot.app.services.outbox_wakeup.is_set()


async def test_category_urgent_default_can_be_turned_down(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_what_step(bot, "Weapon seen")
    await bot.tg.send(OFFICER, "Toy gun, kids playing")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Skip")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    assert "Alert sent" not in bot.last(OFFICER).plain
    [report] = await reports(bot)
    assert report.urgent is False
    assert await bot.store.outbox.for_report(report.id or 0) == []


async def test_edit_changes_one_field_and_returns_to_the_summary(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_summary(bot)
    summary = bot.last(OFFICER)
    await bot.tg.press(OFFICER, summary, "Edit")
    assert summary.plain == reports_texts.REPORT_EDIT_WHICH
    assert [b["text"] for b in summary.inline_buttons] == [
        "📂 Category",
        "📍 Place",
        "📝 What happened",
        "👥 People",
        "⚠️ Urgent?",
        "◀ Back",
    ]
    await bot.tg.press(OFFICER, summary, "Back")
    assert "Check your report" in summary.plain
    await bot.tg.press(OFFICER, summary, "Edit")
    await bot.tg.press(OFFICER, summary, "People")
    assert "How many people" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "10+")
    assert "People involved: 10+" in bot.last(OFFICER).plain

    await bot.tg.press(OFFICER, bot.last(OFFICER), "Edit")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "What happened")
    assert "It replaces what you wrote before" in bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "Now a dozen, getting loud")
    assert "What happened: Now a dozen, getting loud" in bot.last(OFFICER).plain

    await bot.tg.press(OFFICER, bot.last(OFFICER), "Edit")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Category")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Antisocial behaviour")
    assert "Category: Antisocial behaviour" in bot.last(OFFICER).plain

    await bot.tg.press(OFFICER, bot.last(OFFICER), "Edit")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Place")
    await bot.tg.send(OFFICER, "High Street")
    assert "Place: High Street" in bot.last(OFFICER).plain
    assert "Check your report" in bot.last(OFFICER).plain

    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    asb = await category(bot.store, "asb")
    assert report.category_id == asb.id and report.people_count == "10+"
    assert report.place_text == "High Street" and report.hotspot_id is None
    assert report.description == "Now a dozen, getting loud"


async def test_cancel_command_at_any_step_saves_nothing(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.send(OFFICER, "/cancel")
    cancelled = bot.last(OFFICER)
    assert cancelled.plain == "Report cancelled. Nothing was saved."
    assert cancelled.reply_markup == {"remove_keyboard": True}
    await bot.tg.send(OFFICER, "/cancel")
    assert bot.last(OFFICER).plain == common_texts.CANCELLED  # nothing left to cancel

    await to_summary(bot)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Cancel")
    assert bot.last(OFFICER).plain == "Report cancelled. Nothing was saved."
    assert await reports(bot) == []


async def test_a_button_from_an_older_draft_changes_nothing(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/report")
    old = bot.last(OFFICER)
    await bot.tg.send(OFFICER, "/report")
    current = bot.last(OFFICER)
    await bot.tg.press(OFFICER, old, "Antisocial behaviour")
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    assert bot.last(OFFICER) is current  # nothing sent, the new draft still asks
    await press_category(bot, OFFICER, current, "Street drinking")
    assert "Where is it?" in bot.api.sent_to(OFFICER.telegram_id)[-2].plain


async def test_pressing_confirm_twice_stores_one_report(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_summary(bot)
    summary = bot.last(OFFICER)
    confirm = summary.button("Confirm")["callback_data"]
    await bot.tg.press(OFFICER, summary, "Confirm")
    await bot.tg.press_data(OFFICER, summary, confirm)
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    assert len(await reports(bot)) == 1


async def test_garbled_report_button_changes_nothing(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "/report")
    prompt = bot.last(OFFICER)
    await bot.tg.press_data(OFFICER, prompt, "rep:cat")
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    await bot.tg.press_data(OFFICER, prompt, "rep:cat:zzzz:99999")
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    draft_id = prompt.button("Antisocial behaviour")["callback_data"].split(":")[2]
    await bot.tg.press_data(OFFICER, prompt, f"rep:cat:{draft_id}:99999")
    assert last_answer(bot) == reports_texts.REPORT_CATEGORY_GONE
    await bot.tg.press_data(OFFICER, prompt, f"rep:ppl:{draft_id}:2-3")
    assert last_answer(bot) == reports_texts.REPORT_OLD_BUTTON
    await bot.tg.send(OFFICER, "some text")
    assert bot.last(OFFICER).plain == reports_texts.REPORT_USE_BUTTONS


async def test_abandoned_draft_expires_and_the_reporter_is_told(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    hotspots = bot.last(OFFICER)

    bot.clock.advance(minutes=29)
    assert await expire_drafts(bot.app) == 0
    bot.clock.advance(minutes=2)
    assert await expire_drafts(bot.app) == 1
    notice = bot.last(OFFICER)
    assert notice.plain == (
        "Your draft report expired after 30 minutes without an answer, so nothing was "
        "saved. Send /report to start again."
    )
    assert notice.reply_markup == {"remove_keyboard": True}
    assert await expire_drafts(bot.app) == 0

    await bot.tg.press(OFFICER, hotspots, "Elmer Square")
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    # The conversation is over: the next message is a new quick report, not a place.
    await bot.tg.send(OFFICER, "Cans by the fountain")
    assert "Street drinking at Elmer Square?" in bot.last(OFFICER).plain
    assert await reports(bot) == []


async def test_answer_after_the_ttl_before_the_job_ran_gets_the_expired_reply(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_what_step(bot)
    bot.clock.advance(minutes=31)
    await bot.tg.send(OFFICER, "Cans everywhere")
    assert bot.last(OFFICER).plain == reports_texts.DRAFT_EXPIRED
    await bot.tg.send(OFFICER, "Cans everywhere")  # conversation ended: a quick report now
    assert "Street drinking" in bot.last(OFFICER).plain
    assert await reports(bot) == []


async def test_each_answer_keeps_the_draft_alive(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    bot.clock.advance(minutes=20)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")
    bot.clock.advance(minutes=20)
    assert await expire_drafts(bot.app) == 0
    await bot.tg.send(OFFICER, "Still here")
    assert "How many people" in bot.last(OFFICER).plain


@pytest.mark.pg_smoke
async def test_draft_survives_a_restart_of_the_bot(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await to_location_step(bot)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")  # now at "what happened"
    await bot.stop()  # flushes the persistence
    states = await bot.store.bot_state.get_all("conversation")
    assert states == {f"report:[{OFFICER.telegram_id},{OFFICER.telegram_id}]": "3"}

    again = BotHarness(bot.store, bot.clock, bot.settings)
    await again.start()
    try:
        await again.tg.send(OFFICER, "Lads drinking, one asleep on the bench")
        assert "How many people" in again.last(OFFICER).plain
        await again.tg.press(OFFICER, again.last(OFFICER), "2-3")
        await again.tg.press(OFFICER, again.last(OFFICER), "Not urgent")
        assert "Place: Elmer Square" in again.last(OFFICER).plain
        await again.tg.press(OFFICER, again.last(OFFICER), "Confirm")
        assert again.last(OFFICER).plain.startswith("✅ Report R-0001 stored at 21:00.\n📹")
    finally:
        await again.stop()
    [report] = await reports(bot)
    assert report.description == "Lads drinking, one asleep on the bench"
    assert await bot.store.bot_state.get_all("conversation") == {}
    assert await bot.store.bot_state.get_all("user_data") == {}


async def test_a_button_pressed_after_a_restart_continues_the_draft(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/report")
    prompt = bot.last(OFFICER)
    data = prompt.button("Antisocial behaviour")["callback_data"]
    await bot.stop()

    again = BotHarness(bot.store, bot.clock, bot.settings)
    await again.start()
    try:
        # The old message lives in the old Bot API: it cannot be edited, which is fine.
        await again.tg.press_data(OFFICER, prompt, data)
        assert "Where is it?" in again.api.sent_to(OFFICER.telegram_id)[-2].plain
        await again.tg.send(OFFICER, "Market Street")
        await again.tg.send(OFFICER, "Cans")
        await again.tg.press(OFFICER, again.last(OFFICER), "1")
        await again.tg.press(OFFICER, again.last(OFFICER), "Not urgent")
        await again.tg.press(OFFICER, again.last(OFFICER), "Confirm")
        assert "stored at" in again.last(OFFICER).plain
    finally:
        await again.stop()
    [report] = await reports(bot)
    assert report.place_text == "Market Street"


async def test_report_in_the_coordinators_group_is_refused(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/report", chat=group_chat(COORDINATORS_CHAT))
    assert "private chat" in bot.api.last_to(COORDINATORS_CHAT).plain
    await bot.tg.send(ADMIN, "drinking at the fountain", chat=group_chat(COORDINATORS_CHAT))
    assert len(bot.api.sent_to(COORDINATORS_CHAT)) == 1
