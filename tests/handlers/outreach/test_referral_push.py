"""Referrals reach outreach at once, through the real bot: pushed to outreach on duty (or at
their /on), taken once, not found with where they looked, reopened by a second report,
overdue in the briefing, and the in-danger question of /roughsleeper."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain import callbacks
from bot.domain.access.roles import Role
from bot.domain.outreach import ReferralOutcome, ReferralStatus
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from bot.texts import referrals as referrals_texts
from storage.catalog import HotspotIn
from storage.models import Category, OutboxMessage, Referral, Report
from tests.support.harness import COORDINATORS_CHAT, BotHarness

OTTO = Person(3001, "Otto", "Outreach")
OONA = Person(3002, "Oona", "Outreach")
OSSIE = Person(3003, "Ossie", "Outreach")  # never on duty here
OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
COORDINATOR = Person(2004, "Cora", "Coordinator")

BRIDGE_ST = (52.63000, -1.13000)
NEAR_BRIDGE_ST = (52.63060, -1.13050)  # about 80 m away
FAR_AWAY = (52.64000, -1.13000)  # about 1.1 km away


async def rows(bot: BotHarness, model: type) -> list:
    async with bot.store.engine.connect() as connection:
        return list((await connection.execute(select(model))).all())


async def outreach_team(bot: BotHarness, *on_duty: Person) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(WARDEN, Role.WARDEN)
    for person in (OTTO, OONA, OSSIE):
        await bot.member(person, Role.OUTREACH)
    for person in on_duty:
        await bot.tg.send(person, "/on")


async def seen(
    bot: BotHarness,
    who: Person,
    *,
    place: str | tuple[float, float] = "Doorway of Boots",
    looks: str | None = "Man in a green sleeping bag",
    danger: str = "No",
) -> SentMessage:
    """ "Rough sleeper seen" from Telegram; the bot's last reply."""
    await bot.tg.send(who, "/roughsleeper")
    await bot.tg.press(who, bot.last(who), "No")  # not under 18
    await bot.tg.press(who, bot.last(who), danger)
    if isinstance(place, str):
        await bot.tg.send(who, place)
    else:
        await bot.tg.share_location(who, *place)
    await bot.tg.press(who, bot.last(who), "Just now")
    if looks:
        await bot.tg.send(who, looks)
    else:
        await bot.tg.press(who, bot.last(who), "Skip")
    await bot.tg.press(who, bot.last(who), "Send to outreach")
    return bot.last(who)


def copies_to(bot: BotHarness, person: Person) -> list[SentMessage]:
    return [
        m
        for m in bot.api.sent_to(person.telegram_id)
        if "New rough-sleeper referral" in m.plain or "Referral reopened" in m.plain
    ]


def labels(message: SentMessage) -> list[str]:
    return [b["text"] for b in message.inline_buttons]


@pytest.mark.pg_smoke
async def test_a_referral_is_pushed_to_outreach_on_duty_and_taken_once(bot: BotHarness) -> None:
    await outreach_team(bot, OTTO, OONA)
    await seen(bot, OFFICER)
    await bot.app.outbox_sender.drain()

    [otto_copy] = copies_to(bot, OTTO)
    [oona_copy] = copies_to(bot, OONA)
    assert copies_to(bot, OSSIE) == []  # off duty: it waits for his /on
    for copy in (otto_copy, oona_copy):
        assert "New rough-sleeper referral" in copy.plain and "Doorway of Boots" in copy.plain
        assert "Man in a green sleeping bag" in copy.plain
        assert labels(copy) == ["🙋 Take", "🤝 Log contact", "🔎 Not found"]
    assert all("green sleeping bag" not in m.plain for m in bot.api.sent_to(COORDINATORS_CHAT))

    await bot.tg.press(OTTO, otto_copy, "Take")
    assert bot.api.callback_answers()[-1]["text"] == "Referral #1 is yours."
    assert "Taken by Otto Outreach" in otto_copy.plain
    assert labels(otto_copy) == ["🤝 Log contact", "🔎 Not found"]
    # Oona's copy still shows Take until its edit goes: her press is refused, and says who.
    await bot.tg.press(OONA, oona_copy, "Take")
    assert bot.api.callback_answers()[-1]["text"] == "Already taken by Otto Outreach."
    assert "Taken by Otto Outreach" in oona_copy.plain and oona_copy.inline_buttons == []
    await bot.app.outbox_sender.drain()
    assert "no need to go" in oona_copy.plain and oona_copy.inline_buttons == []
    assert "Taken by Otto Outreach" in otto_copy.plain  # his own copy keeps his buttons
    assert labels(otto_copy) == ["🤝 Log contact", "🔎 Not found"]
    [referral] = await rows(bot, Referral)
    assert referral.status == ReferralStatus.TAKEN
    officer = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert officer is not None and referral.taken_by_id == officer.id
    # The old button, pressed again after the edit, is refused the same way.
    await bot.tg.press_data(OONA, oona_copy, callbacks.referral("take", 1))
    assert bot.api.callback_answers()[-1]["text"] == "Already taken by Otto Outreach."

    # "Log contact" on his copy starts the contact flow for that referral.
    await bot.tg.press(OTTO, otto_copy, "Log contact")
    assert "Who did you meet?" in bot.last(OTTO).plain


async def test_the_copy_a_second_worker_never_saw_is_not_sent(bot: BotHarness) -> None:
    await outreach_team(bot, OTTO, OONA)
    await seen(bot, OFFICER)
    await bot.tg.send(OTTO, "/referrals")
    await bot.tg.press(OTTO, bot.last(OTTO), "Take")  # from the queue, before any copy went
    await bot.app.outbox_sender.drain()
    # Taken before they went: withdrawn (marked sent, nothing sent), to him and to her.
    assert copies_to(bot, OONA) == [] and copies_to(bot, OTTO) == []
    pushed = [r for r in await rows(bot, OutboxMessage) if r.purpose == "referral"]
    assert sorted((r.chat_id, r.status, r.message_id) for r in pushed) == [
        (OTTO.telegram_id, "sent", None),
        (OONA.telegram_id, "sent", None),
    ]


async def test_with_no_one_on_duty_it_waits_for_the_next_on(bot: BotHarness) -> None:
    await outreach_team(bot)
    await seen(bot, WARDEN, looks=None)
    await bot.app.outbox_sender.drain()
    assert copies_to(bot, OTTO) == [] and copies_to(bot, OONA) == []

    bot.clock.advance(hours=2)
    await bot.tg.send(OTTO, "/on")
    assert any(
        "1 rough-sleeper referral</b> is waiting" in m.body
        for m in bot.api.sent_to(OTTO.telegram_id)
    )
    await bot.app.outbox_sender.drain()
    [copy] = copies_to(bot, OTTO)
    assert "Referral #1 · waiting 2 h" in copy.plain and labels(copy)[0] == "🙋 Take"

    # Once only: off and on again brings no second copy; taken, Oona's /on brings none.
    await bot.tg.send(OTTO, "/off")
    await bot.tg.send(OTTO, "/on")
    await bot.tg.press(OTTO, copy, "Take")
    await bot.tg.send(OONA, "/on")
    await bot.app.outbox_sender.drain()
    assert len(copies_to(bot, OTTO)) == 1 and copies_to(bot, OONA) == []
    assert not any("is waiting" in m.plain for m in bot.api.sent_to(OONA.telegram_id))


async def test_not_found_asks_where_then_a_second_report_reopens_it(bot: BotHarness) -> None:
    await outreach_team(bot, OTTO)
    await seen(bot, WARDEN, place=BRIDGE_ST, looks="Man in a green sleeping bag")
    await bot.app.outbox_sender.drain()
    [copy] = copies_to(bot, OTTO)

    await bot.tg.press(OTTO, copy, "Not found")
    assert "Where did you look?" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "line one\nline two")
    assert bot.last(OTTO).plain == referrals_texts.NOT_FOUND_ONE_LINE
    await bot.tg.send(OTTO, "x" * 201)
    assert "the limit is 200" in bot.last(OTTO).plain
    assert (await rows(bot, Referral))[0].status == ReferralStatus.OPEN  # nothing changed yet
    await bot.tg.send(OTTO, "Doorways on Bridge St and the car park stairs")
    assert "Referral #1 closed as not found" in bot.last(OTTO).plain
    await bot.app.outbox_sender.drain()
    assert "couldn't find anyone" in bot.last(WARDEN).plain  # the reporter is told
    assert "Closed: not found by Otto Outreach" in copy.plain and copy.inline_buttons == []
    assert "Looked Doorways on Bridge St" in copy.plain

    bot.clock.advance(hours=3)
    sent = await seen(bot, OFFICER, place=NEAR_BRIDGE_ST, looks="Red tent by the bins")
    assert "referral #1 at that place was closed as not found earlier" in sent.plain
    await bot.app.outbox_sender.drain()
    reopened = copies_to(bot, OTTO)[-1]
    assert reopened is not copy and "Referral reopened" in reopened.plain
    for both in ("Man in a green sleeping bag", "Red tent by the bins", "Reported by Wendy"):
        assert both in reopened.plain
    assert "Reported again by Olly Officer" in reopened.plain
    assert "Not found by Otto Outreach" in reopened.plain
    assert "looked Doorways on Bridge St and the car park stairs" in reopened.plain
    assert labels(reopened) == ["🙋 Take", "🤝 Log contact", "🔎 Not found"]
    await bot.tg.send(OTTO, "/referrals")
    assert "Open referrals: 1" in bot.api.sent_to(OTTO.telegram_id)[-2].plain
    assert "Red tent by the bins" in bot.last(OTTO).plain

    first, second = sorted(await rows(bot, Referral), key=lambda r: r.id)
    assert first.status == ReferralStatus.OPEN and first.reopened_at is not None
    assert second.status == ReferralStatus.ATTACHED and second.attached_to_id == first.id

    # Found this time: the contact closes both, and both reporters hear it.
    await bot.tg.press(OTTO, reopened, "Not found")
    await bot.tg.send(OTTO, "Everywhere on Bridge St")
    await bot.app.outbox_sender.drain()
    first, second = sorted(await rows(bot, Referral), key=lambda r: r.id)
    assert first.status == second.status == ReferralStatus.CLOSED
    assert second.outcome == ReferralOutcome.NOT_FOUND
    assert "couldn't find anyone" in bot.last(OFFICER).plain


async def test_not_reopened_after_24_hours_or_far_away(bot: BotHarness) -> None:
    await outreach_team(bot, OTTO)
    await seen(bot, WARDEN, place=BRIDGE_ST)
    await bot.tg.send(OTTO, "/referrals")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not found")
    await bot.tg.send(OTTO, "Bridge St")

    bot.clock.advance(hours=2)
    far = await seen(bot, OFFICER, place=FAR_AWAY)
    assert "Sent to outreach as referral #2" in far.plain
    bot.clock.advance(hours=23)  # 25 h after it was not found
    late = await seen(bot, OFFICER, place=BRIDGE_ST)
    assert "Sent to outreach as referral #3" in late.plain
    statuses = {r.id: (r.status, r.attached_to_id) for r in await rows(bot, Referral)}
    assert statuses == {
        1: (ReferralStatus.CLOSED, None),
        2: (ReferralStatus.OPEN, None),
        3: (ReferralStatus.OPEN, None),
    }


async def test_overdue_referrals_are_in_the_briefing_as_counts_and_places(
    bot: BotHarness,
) -> None:
    await outreach_team(bot)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await bot.store.hotspots.upsert(HotspotIn("Elmer Square", 52.6, -1.1))
    await bot.tg.send(WARDEN, "/roughsleeper")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "No")  # not under 18
    await bot.tg.press(WARDEN, bot.last(WARDEN), "No")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Elmer Square")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Just now")
    await bot.tg.send(WARDEN, "Woman with a grey dog")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Send to outreach")
    await seen(bot, OFFICER, place="Behind 12 Acacia Avenue", looks="Old man, limping")

    bot.clock.advance(hours=23)
    await bot.tg.send(COORDINATOR, "/brief")
    assert "Overdue" not in bot.last(COORDINATOR).plain
    bot.clock.advance(hours=2)
    await bot.tg.send(COORDINATOR, "/brief")
    briefing = bot.last(COORDINATOR).plain
    assert "Overdue (untouched 24 h or more): 2" in briefing
    assert "untouched 1 d 1 h · Elmer Square" in briefing
    for personal in ("grey dog", "limping", "Acacia"):
        assert personal not in briefing


async def test_in_danger_says_999_first_and_raises_an_urgent_welfare_alert(
    bot: BotHarness,
) -> None:
    await outreach_team(bot, OTTO)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await bot.tg.send(COORDINATOR, "/on")
    await bot.tg.send(OFFICER, "/roughsleeper")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not under 18
    question = bot.last(OFFICER)
    await bot.tg.press(OFFICER, question, "Yes")
    assert question.plain.endswith("➜ Yes, unwell or in danger") and not question.inline_buttons
    assert bot.last(OFFICER).plain.startswith("🚨 If life is at risk, call 999 now.")
    await bot.tg.send(OFFICER, "Car park stairwell, level 2")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Just now")
    await bot.tg.send(OFFICER, "Not responding, lips blue")
    assert "Unwell or in danger: yes" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Send to outreach")
    done = bot.last(OFFICER).plain
    assert done.startswith("🚨 If life is at risk, call 999 now")
    assert "Urgent welfare alert R-0001" in done and "referral #1" in done

    [report] = await rows(bot, Report)
    [welfare] = [c for c in await rows(bot, Category) if c.id == report.category_id]
    assert welfare.slug == "welfare" and report.urgent
    assert "lips blue" in report.description
    [referral] = await rows(bot, Referral)
    assert referral.source_report_id == report.id and referral.appearance == (
        "Not responding, lips blue"
    )
    await bot.app.outbox_sender.drain()
    group = bot.api.sent_to(COORDINATORS_CHAT)
    assert any("R-0001" in m.plain for m in group)
    assert all("lips blue" not in m.plain for m in group)  # sensitive: no description
    assert any("R-0001" in m.plain for m in bot.api.sent_to(COORDINATOR.telegram_id))
    [copy] = copies_to(bot, OTTO)  # and outreach on duty gets the referral
    assert "Car park stairwell" in copy.plain


async def test_not_sure_is_a_referral_as_usual(bot: BotHarness) -> None:
    await outreach_team(bot)
    sent = await seen(bot, OFFICER, danger="Not sure")
    assert "Sent to outreach as referral #1" in sent.plain and "999" in sent.plain
    assert await rows(bot, Report) == []


async def test_not_found_can_be_stopped_and_the_referral_stays_open(bot: BotHarness) -> None:
    await outreach_team(bot)
    await seen(bot, OFFICER)
    await bot.tg.send(OTTO, "/referrals")
    card = bot.last(OTTO)
    await bot.tg.press(OTTO, card, "Not found")
    ask = bot.last(OTTO)
    await bot.tg.press(OTTO, ask, "Cancel")
    assert ask.plain == referrals_texts.NOT_FOUND_CANCELLED
    await bot.tg.send(OTTO, "the car park")  # no longer an answer: nothing closes
    [referral] = await rows(bot, Referral)
    assert referral.status == ReferralStatus.OPEN and referral.where_looked is None
    await bot.tg.press(OTTO, card, "Not found")
    await bot.tg.send(OTTO, "/cancel")
    await bot.tg.press_data(OTTO, ask, callbacks.referral("nfx"))  # an old button
    assert bot.api.callback_answers()[-1]["text"] == referrals_texts.NOT_FOUND_NOTHING_TO_STOP
    assert (await rows(bot, Referral))[0].status == ReferralStatus.OPEN
