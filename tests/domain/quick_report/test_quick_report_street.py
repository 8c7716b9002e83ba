"""Quick reports on a real night: what officers say is kept, and no message is swallowed.

Through the real Application and the recording Bot API: urgent words and their reasons,
places that are not hotspots, the member's own location (from /on, or live while on duty),
Welfare's "call 999" first, the one-tap urgent switch, text typed while a draft waits,
/drafts, and the guided picker's six most used.
"""

from __future__ import annotations

import pytest

from bot.domain.access.roles import Role
from bot.texts import common as common_texts
from bot.texts import reports as report_texts
from storage.models import Report
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness
from tests.support.reporting import (
    ELMER,
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
)

KNIFE = "lad with a knife outside wetherspoons, urgent"


async def reports(bot: BotHarness) -> list[Report]:
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.id is not None
    return [view.report for view in await bot.store.reports.by_reporter(member.id)]


async def member_id(bot: BotHarness) -> int:
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.id is not None
    return member.id


# ---- reading a quick report ------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_knife_outside_wetherspoons_is_urgent_and_stored_with_its_place_in_two_steps(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.member(WARDEN, Role.WARDEN)
    await on_duty(bot, WARDEN)
    before = len(bot.api.calls)

    await bot.tg.send(OFFICER, KNIFE)  # 1
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Weapon seen outside wetherspoons?")
    assert "⚠️ Urgent, because you wrote “knife”, “urgent”" in proposal.plain
    assert "⚠️ Urgent: on" in labels(bot, OFFICER)
    await bot.tg.press(OFFICER, proposal, "Confirm")  # 2

    assert "Alert sent to colleagues on duty" in bot.last(OFFICER).plain
    [report] = await reports(bot)
    assert report.place_text == "outside wetherspoons" and report.hotspot_id is None
    assert report.urgent and report.category_id == (await category(bot.store, "weapon")).id
    rows = await bot.store.outbox.for_report(report.id or 0)
    assert {COORDINATORS_CHAT, WARDEN.telegram_id} <= {r.chat_id for r in rows}
    sent = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]
    assert [c.params["chat_id"] for c in sent] == [OFFICER.telegram_id] * 2  # nothing else


async def test_the_urgent_switch_is_one_tap_either_way(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "lads with cans by the fountain again")
    proposal = bot.last(OFFICER)
    assert "Not urgent" in proposal.plain and "Urgent: off" in labels(bot, OFFICER)

    await bot.tg.press(OFFICER, proposal, "Urgent: off")
    assert last_answer(bot) == report_texts.urgent_now(True)
    assert bot.last(OFFICER) is proposal  # changed in place
    assert "⚠️ Urgent, as you chose" in proposal.plain
    assert "⚠️ Urgent: on" in labels(bot, OFFICER)
    await bot.tg.press(OFFICER, proposal, "⚠️ Urgent: on")
    assert "Not urgent" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Urgent: off")
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.urgent and report.place_text is None


async def test_not_urgent_is_explained_and_kept(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "fight earlier by the fountain, all calm now")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Violence or assault at Elmer Square?")
    assert "Not urgent: you wrote “earlier”, “all calm”" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert not report.urgent


async def test_welfare_begins_with_call_999_and_is_urgent(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.send(OFFICER, "man collapsed outside boots not breathing")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🚑 If life is at risk call 999 now.")
    assert "🔎 Welfare / medical outside boots?" in proposal.plain
    assert "“not breathing”" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    assert bot.last(OFFICER).plain.startswith("🚑 If life is at risk call 999 now.")
    [report] = await reports(bot)
    assert report.urgent and report.category_id == (await category(bot.store, "welfare")).id


async def test_a_hotspot_named_is_still_matched_first(bot: BotHarness) -> None:
    elmer = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "shoplifter legged it from greggs towards the fountian")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith("🔎 Theft / shoplifting at Elmer Square?")
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id == elmer.id and report.place_text is None


# ---- the member's own location -----------------------------------------------------------------
async def test_the_location_given_with_on_stands_for_a_place_not_named(bot: BotHarness) -> None:
    elmer = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/on")
    duty = await bot.store.duty.current(await member_id(bot))
    assert duty is not None
    await bot.store.duty.set_location(duty.id or 0, await member_id(bot), *NEAR_ELMER)
    bot.clock.advance(minutes=3)

    await bot.tg.send(OFFICER, "lads drinking cans")
    proposal = bot.last(OFFICER)
    assert proposal.plain.startswith(
        "🔎 Street drinking near Elmer Square (your location 3 min ago)?"
    )
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id == elmer.id and (report.lat, report.lon) == NEAR_ELMER

    bot.clock.advance(minutes=13)  # 16 minutes old: no longer where they are
    await bot.tg.send(OFFICER, "more lads drinking cans")
    assert "I didn't recognise a place" in bot.last(OFFICER).plain


async def test_a_place_in_the_words_wins_over_the_members_location(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.store.duty.start(await member_id(bot), lat=ELMER[0], lon=ELMER[1])
    await bot.tg.send(OFFICER, "drinkers behind the library")
    assert bot.last(OFFICER).plain.startswith("🔎 Street drinking behind the library?")


@pytest.mark.pg_smoke
async def test_live_location_while_on_duty_is_used_and_its_ticks_start_nothing(
    bot: BotHarness,
) -> None:
    elmer = await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/on")
    message_id, _ = await bot.tg.share_live_location(OFFICER, 51.6, -0.2)
    assert bot.last(OFFICER).plain == report_texts.LIVE_LOCATION_ON
    sent = len(bot.api.sent_to(OFFICER.telegram_id))

    bot.clock.advance(minutes=10)
    calls = await bot.tg.move_live_location(OFFICER, message_id, *NEAR_ELMER)
    assert calls == []  # a tick is never answered, and starts no report
    assert len(bot.api.sent_to(OFFICER.telegram_id)) == sent
    location = await bot.store.duty.own_location(await member_id(bot))
    assert location is not None and (location.lat, location.lon) == NEAR_ELMER

    bot.clock.advance(minutes=2)
    await bot.tg.send(OFFICER, "2 lads dealing")
    proposal = bot.last(OFFICER)
    assert "near Elmer Square (your location 2 min ago)" in proposal.plain
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.hotspot_id == elmer.id

    await bot.tg.send(OFFICER, "/off")
    assert await bot.store.duty.own_location(await member_id(bot)) is None  # forgotten
    await bot.tg.move_live_location(OFFICER, message_id, *ELMER)  # off duty: ignored
    assert await bot.store.duty.own_location(await member_id(bot)) is None
    await bot.tg.send(OFFICER, "more lads dealing")
    assert "I didn't recognise a place" in bot.last(OFFICER).plain


async def test_a_live_location_off_duty_is_not_stored(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.share_live_location(OFFICER, *ELMER)
    assert bot.last(OFFICER).plain == report_texts.LIVE_LOCATION_OFF_DUTY
    assert await reports(bot) == []


async def test_a_live_tick_never_reaches_a_flow_waiting_for_a_location(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/on")
    message_id, _ = await bot.tg.share_live_location(OFFICER, *ELMER)
    await bot.tg.send(OFFICER, "/report")
    await press_category(bot, OFFICER, bot.last(OFFICER), "Antisocial behaviour")
    where = bot.api.sent_to(OFFICER.telegram_id)[-2]
    assert "Where is it?" in where.plain
    calls = await bot.tg.move_live_location(OFFICER, message_id, *NEAR_ELMER)
    assert calls == []  # the location step is still waiting
    await bot.tg.send(OFFICER, "by the war memorial")
    assert "Place: by the war memorial" in bot.api.sent_to(OFFICER.telegram_id)[-2].plain


async def test_other_edits_are_still_not_read(bot: BotHarness) -> None:
    await officer(bot)
    await bot.tg.edit(OFFICER, "fight at the fountain")
    assert bot.last(OFFICER).plain == common_texts.EDITS_NOT_READ


# ---- a message is never swallowed ----------------------------------------------------------
async def test_urgent_words_while_a_draft_waits_start_a_new_report_at_once(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "lads drinking by the fountain")
    old = bot.last(OFFICER)

    await bot.tg.send(OFFICER, "man collapsed, not breathing")
    proposal, kept = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert proposal.plain.startswith("🚑 If life is at risk call 999 now.")
    assert "Welfare / medical" in proposal.plain
    assert kept.plain == report_texts.DRAFT_KEPT
    await bot.tg.press(OFFICER, old, "Confirm")  # the kept draft's buttons wait for /drafts
    assert await reports(bot) == []
    await bot.tg.press(OFFICER, proposal, "Confirm")
    [report] = await reports(bot)
    assert report.urgent and report.description == "man collapsed, not breathing"


async def test_text_naming_a_button_answers_it(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "lads drinking by the fountain")
    await bot.tg.send(OFFICER, "Confirm")
    [report] = await reports(bot)
    assert report.description == "lads drinking by the fountain"

    await bot.tg.send(OFFICER, "/report")
    await bot.tg.send(OFFICER, "begging")  # a category's name, though not among the six
    assert "Where is it?" in bot.api.sent_to(OFFICER.telegram_id)[-2].plain
    await bot.tg.send(OFFICER, "Elmer Square")
    await bot.tg.send(OFFICER, "woman with a cup")
    await bot.tg.send(OFFICER, "1")
    await bot.tg.send(OFFICER, "not urgent")
    assert "Check your report" in bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "confirm")
    assert len(await reports(bot)) == 2


@pytest.mark.pg_smoke
async def test_a_new_report_typed_at_a_button_step_keeps_the_draft_for_drafts(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/report")
    await press_category(bot, OFFICER, bot.last(OFFICER), "Begging")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Elmer Square")
    await bot.tg.send(OFFICER, "woman with a cup")  # now at "how many people"
    await bot.tg.send(OFFICER, "graffiti on the shutters behind the library")
    proposal, kept = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert proposal.plain.startswith("🔎 Criminal damage on the shutters behind the library?")
    assert kept.plain == "📝 Kept your earlier draft: /drafts"
    await bot.tg.press(OFFICER, proposal, "Confirm")

    await bot.tg.send(OFFICER, "/drafts")
    listing = bot.last(OFFICER)
    assert "1. Begging: woman with a cup (0 min ago)" in listing.plain
    assert labels(bot, OFFICER) == ["▶️ Resume 1", "🗑 Drop 1"]
    await bot.tg.press(OFFICER, listing, "▶️ Resume 1")
    assert "How many people" in bot.last(OFFICER).plain  # where it was left
    await bot.tg.press(OFFICER, bot.last(OFFICER), "1")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Not urgent")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    stored = await reports(bot)
    assert [r.category_id for r in stored] == [
        (await category(bot.store, "begging")).id,
        (await category(bot.store, "criminal_damage")).id,
    ]  # newest first
    await bot.tg.send(OFFICER, "/drafts")
    assert bot.last(OFFICER).plain == report_texts.NO_KEPT_DRAFTS


async def test_drafts_keeps_three_newest_first_and_drop_forgets_one(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    for minute, text in enumerate(
        ("lads drinking by the fountain", "beggar by the fountain", "tent by the fountain",
         "graffiti by the fountain", "bike stolen by the fountain")
    ):  # fmt: skip
        bot.clock.advance(minutes=minute and 1)
        await bot.tg.send(OFFICER, text)
    await bot.tg.send(OFFICER, "/drafts")
    listing = bot.last(OFFICER)
    lines = listing.plain.splitlines()
    assert lines[0] == "Drafts kept aside (3), newest first:"
    assert [line.split(":")[0] for line in lines[1:4]] == [
        "1. Criminal damage", "2. Rough sleeping", "3. Begging",
    ]  # fmt: skip
    resume_dropped = listing.button("▶️ Resume 2")["callback_data"]
    await bot.tg.press(OFFICER, listing, "🗑 Drop 2")
    assert bot.last(OFFICER).plain == report_texts.KEPT_DRAFT_DROPPED
    assert listing.inline_buttons == []  # the listing is spent
    await bot.tg.press_data(OFFICER, listing, resume_dropped)
    assert last_answer(bot) == report_texts.KEPT_DRAFT_GONE
    await bot.tg.send(OFFICER, "/drafts")
    assert "(2)" in bot.last(OFFICER).plain and "Rough sleeping" not in bot.last(OFFICER).plain

    bot.clock.advance(minutes=31)  # kept drafts expire as drafts do
    await bot.tg.send(OFFICER, "/drafts")
    assert bot.last(OFFICER).plain == report_texts.NO_KEPT_DRAFTS


async def test_resuming_keeps_the_draft_in_hand_aside(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "lads drinking by the fountain")
    await bot.tg.send(OFFICER, "graffiti by the fountain")
    await bot.tg.send(OFFICER, "/drafts")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "▶️ Resume 1")
    kept, resumed = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert kept.plain == report_texts.DRAFT_KEPT
    assert resumed.plain.startswith("🔎 Street drinking at Elmer Square?")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    await bot.tg.send(OFFICER, "/drafts")
    assert "Criminal damage" in bot.last(OFFICER).plain


async def test_a_word_that_reads_as_nothing_only_reminds(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "lads drinking by the fountain")
    await bot.tg.send(OFFICER, "hmm")
    assert bot.last(OFFICER).plain == report_texts.REPORT_USE_BUTTONS
    await bot.tg.send(OFFICER, "/drafts")
    assert bot.last(OFFICER).plain == report_texts.NO_KEPT_DRAFTS


async def test_urgent_words_at_the_place_step_are_a_new_report_not_a_place(
    bot: BotHarness,
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.tg.send(OFFICER, "/report")
    await press_category(bot, OFFICER, bot.last(OFFICER), "Begging")
    await bot.tg.send(OFFICER, "lad been stabbed by the fountain")
    proposal, kept = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert proposal.plain.startswith("🔎 Violence or assault at Elmer Square?")
    assert kept.plain == report_texts.DRAFT_KEPT


# ---- the guided picker -------------------------------------------------------------------------
async def test_the_picker_shows_the_members_most_used_first(bot: BotHarness) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    for text in ("beggar by the fountain", "begging by the fountain", "tent by the fountain"):
        await bot.tg.send(OFFICER, text)
        await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    await bot.tg.send(OFFICER, "/report")
    shown = labels(bot, OFFICER)
    assert shown[:3] == ["Begging", "Rough sleeping", "Suspicious activity / sighting"]
    assert len(shown) == 6 + 2 and shown[-2:] == ["More…", "✖️ Cancel"]
    other = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert other is not None  # another member's picker is their own
    await bot.tg.send(ADMIN, "/report")
    assert bot.last(ADMIN).inline_buttons[0]["text"] == "Suspicious activity / sighting"
