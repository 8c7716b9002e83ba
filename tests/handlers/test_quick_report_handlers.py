"""Quick reports: a plain message, a location or a photo in the private chat."""

from __future__ import annotations

import pytest

from bot.domain.access.roles import Role
from bot.domain.reports.incidents import ReportSource
from bot.texts import common as common_texts
from bot.texts import reports as reports_texts
from storage.catalog import HotspotIn
from storage.models import Report
from tests.support.harness import ADMIN, COORDINATORS_CHAT, STRANGER, BotHarness
from tests.support.reporting import (
    NEAR_ELMER,
    OFFICER,
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

MESSAGE = "3 lads drinking by the fountain in Elmer Square"


async def reports(bot: BotHarness) -> list[Report]:
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.id is not None
    return [view.report for view in await bot.store.reports.by_reporter(member.id)]


@pytest.mark.pg_smoke
async def test_message_is_proposed_with_category_and_place_and_confirm_stores_it(
    bot: BotHarness,
) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, MESSAGE)
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Street drinking at Elmer Square?")
    assert labels(bot, OFFICER) == [
        "✅ Confirm",
        "📂 Change category",
        "📍 Change place",
        "Urgent: off",
        "👶 Under 18 involved? no",
        "✖️ Cancel",
    ]
    await bot.tg.press(OFFICER, proposal, "Confirm")
    assert bot.last(OFFICER).plain == (
        "✅ Report R-0001 stored at 21:00.\n📹 Camera footage? /cctv R-0001 asks the control room."
    )
    assert proposal.inline_buttons == []
    [report] = await reports(bot)
    drinking = await category(bot.store, "street_drinking")
    assert report.source is ReportSource.QUICK
    assert report.category_id == drinking.id and report.hotspot_id == hotspot.id
    assert report.description == MESSAGE and report.urgent is False
    assert report.people_count is None


async def test_urgent_category_proposal_warns_and_alerts_on_confirm(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.member(WARDEN, Role.WARDEN)
    await on_duty(bot, ADMIN, WARDEN)  # urgent alerts go to members on duty
    await bot.tg.send(OFFICER, "man waving a knife at Elmer Square")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Weapon seen at Elmer Square?")
    assert "⚠️ Urgent, because you wrote “knife”: colleagues on duty" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    assert "Alert sent to colleagues on duty and the coordinators." in bot.last(OFFICER).plain
    [report] = await reports(bot)
    assert report.urgent is True
    rows = await bot.store.outbox.for_report(report.id or 0)
    # Each alert copy, and (at a hotspot) its map pin; nothing else.
    assert {r.purpose for r in rows} == {"alert", "alert_pin"}
    for purpose in ("alert", "alert_pin"):
        assert sorted(r.chat_id for r in rows if r.purpose == purpose) == sorted(
            [COORDINATORS_CHAT, ADMIN.telegram_id, WARDEN.telegram_id]
        )


async def test_change_place_goes_to_the_location_step_then_the_summary(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, MESSAGE)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Change place")
    where = bot.api.sent_to(OFFICER.telegram_id)[-2]
    assert "Where is it?" in where.plain and where.keyboard_buttons
    await bot.tg.send(OFFICER, "Market Street")
    summary = bot.last(OFFICER)
    assert "Check your report" in summary.plain
    assert "Place: Market Street" in summary.plain
    assert "Category: Street drinking" in summary.plain
    await bot.tg.press(OFFICER, summary, "Confirm")
    [report] = await reports(bot)
    assert report.place_text == "Market Street" and report.hotspot_id is None
    assert report.source is ReportSource.QUICK and report.description == MESSAGE


async def test_change_category_goes_to_the_category_step_then_the_summary(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, MESSAGE)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Change category")
    assert bot.last(OFFICER).plain == "📂 Choose the category:"
    await press_category(bot, OFFICER, bot.last(OFFICER), "Drunk and disorderly")
    summary = bot.last(OFFICER)
    assert "Category: Drunk and disorderly" in summary.plain
    assert "Place: Elmer Square" in summary.plain
    await bot.tg.press(OFFICER, summary, "Confirm")
    [report] = await reports(bot)
    assert report.category_id == (await category(bot.store, "drunk_disorderly")).id


async def test_changing_to_an_urgent_category_takes_its_default(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, MESSAGE)
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Change category")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Violence or assault")
    assert "Urgent: the alert goes out when you confirm" in bot.last(OFFICER).plain


async def test_nothing_recognised_offers_the_categories_then_asks_the_place(
    bot: BotHarness,
) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "something odd going on")
    offer = bot.last(OFFICER)
    assert offer.plain == reports_texts.QUICK_NOTHING_MATCHED
    assert "More…" in labels(bot, OFFICER)  # "Other" is among every category
    await press_category(bot, OFFICER, offer, "Other")
    assert "Where is it?" in bot.api.sent_to(OFFICER.telegram_id)[-2].plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")
    summary = bot.last(OFFICER)
    assert "Check your report" in summary.plain and "Category: Other" in summary.plain
    await bot.tg.press(OFFICER, summary, "Confirm")
    [report] = await reports(bot)
    assert report.source is ReportSource.QUICK and report.hotspot_id == hotspot.id
    assert report.description == "something odd going on"


async def test_place_only_recognised_offers_the_categories_then_the_summary(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "at the fountain again")
    assert bot.last(OFFICER).plain == reports_texts.QUICK_NOTHING_MATCHED
    await press_category(bot, OFFICER, bot.last(OFFICER), "Begging")
    summary = bot.last(OFFICER)
    assert "Category: Begging" in summary.plain and "Place: Elmer Square" in summary.plain


async def test_category_without_a_place_can_be_confirmed_as_it_is(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "lads drinking cans")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Street drinking?")
    assert "I didn't recognise a place" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id is None and report.place_text is None


async def test_cancel_on_the_proposal_saves_nothing(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, MESSAGE)
    proposal = bot.last(OFFICER)
    confirm = proposal.button("Confirm")["callback_data"]
    await bot.tg.press(OFFICER, proposal, "Cancel")
    assert bot.last(OFFICER).plain == "Report cancelled. Nothing was saved."
    await bot.tg.press_data(OFFICER, proposal, confirm)
    assert last_answer(bot) == reports_texts.DRAFT_EXPIRED
    assert await reports(bot) == []


async def test_location_alone_starts_a_report_at_that_place(bot: BotHarness) -> None:
    hotspot = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.share_location(OFFICER, *NEAR_ELMER)
    prompt = bot.last(OFFICER)
    assert prompt.plain == "📍 Report at Elmer Square.\nWhat is it about?"
    await press_category(bot, OFFICER, prompt, "Begging")
    assert "What happened?" in bot.last(OFFICER).plain  # the place is known already
    await bot.tg.send(OFFICER, "Man asking everyone for change")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.source is ReportSource.LOCATION and report.hotspot_id == hotspot.id
    assert (report.lat, report.lon) == NEAR_ELMER


async def test_photo_with_caption_is_a_quick_report_with_the_photo(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await send_photo(bot, OFFICER, "photo-7", caption=MESSAGE)
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Street drinking at Elmer Square?")
    assert "Attached: 1 photo" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.description == MESSAGE
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None
    assert [(a.kind, a.file_id) for a in view.attachments] == [("photo", "photo-7")]


async def test_photo_without_caption_starts_a_guided_report_with_it(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await send_photo(bot, OFFICER, "photo-8")
    assert bot.last(OFFICER).plain.startswith("📷 Got it")
    await press_category(bot, OFFICER, bot.last(OFFICER), "Criminal damage")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")
    what = bot.last(OFFICER)
    assert "What happened?" in what.plain and "➡️ Continue" in labels(bot, OFFICER)
    await bot.tg.press(OFFICER, what, "Continue")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Skip")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    assert "What happened: —" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    [report] = await reports(bot)
    assert report.description is None and report.source is ReportSource.GUIDED
    view = await bot.store.reports.view(report.id or 0, with_details=True)
    assert view is not None and [a.file_id for a in view.attachments] == ["photo-8"]


async def test_voice_note_alone_starts_a_guided_report_with_it(bot: BotHarness) -> None:
    await officer(bot)
    await send_voice(bot, OFFICER, "voice-3")
    assert bot.last(OFFICER).plain.startswith("🎙 Got it")


async def test_overlong_message_is_refused_and_nothing_is_stored(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "drinking " * 500)
    assert "That message has 4500 characters" in bot.last(OFFICER).plain
    assert "nothing was stored" in bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "/cancel")
    assert bot.last(OFFICER).plain == common_texts.CANCELLED  # no draft was started
    assert await reports(bot) == []


async def test_new_hotspots_are_recognised_at_once(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "drinking at Elmer Square")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Cancel")
    await bot.store.hotspots.upsert(
        HotspotIn(name="Bus Station", lat=51.51, lon=-0.13, aliases=("the buses",))
    )
    await bot.tg.send(OFFICER, "drinking by the buses")
    assert bot.last(OFFICER).plain.startswith("🔎 Street drinking at Bus Station?")


async def test_leftover_type_a_place_button_gets_the_expired_reply(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "⌨️ Type a place")
    assert bot.last(OFFICER).plain == reports_texts.DRAFT_EXPIRED
    assert bot.last(OFFICER).reply_markup == {"remove_keyboard": True}


async def test_other_messages_still_get_the_not_understood_reply(bot: BotHarness) -> None:
    await officer(bot)
    sticker = {"file_id": "s1", "file_unique_id": "us1", "width": 512, "height": 512,
               "is_animated": False, "is_video": False, "type": "regular"}  # fmt: skip
    await bot.tg.process({"message": bot.tg.message(OFFICER, sticker=sticker)})
    assert bot.last(OFFICER).plain == common_texts.NOT_UNDERSTOOD


async def test_strangers_text_is_not_read_as_a_report(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, MESSAGE)
    assert bot.last(STRANGER).plain == common_texts.NOT_A_MEMBER
