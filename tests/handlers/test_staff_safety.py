"""Staff safety from Telegram: a lone warden's check-ins, a missed one climbing the ladder
with a map pin until a coordinator is contacting them and the warden answers; "Need help"
reaching everyone first, even with a digest and a fan-out queued or in flight."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.domain.access.roles import Role
from bot.jobs.staff_safety import check_on_lone_workers
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from tests.support.alerting import (
    COORDINATOR,
    ELMER,
    OFFICER,
    OUTREACH,
    WARDEN,
    button_labels,
    drain,
    file_urgent,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

CONTACTING = "📞 I'm contacting them"
REPORTER = Person(2006, "Rita", "Reporter")


async def join(bot: BotHarness) -> None:
    """The warden works tonight; the officer, the coordinator and the admin are on duty
    (the outreach worker is not)."""
    for person, role in (
        (WARDEN, Role.WARDEN),
        (OFFICER, Role.OFFICER),
        (COORDINATOR, Role.COORDINATOR),
        (OUTREACH, Role.OUTREACH),
    ):
        await bot.member(person, role)
    for person in (OFFICER, COORDINATOR, ADMIN):
        member = await bot.store.members.by_telegram_id(person.telegram_id)
        assert member is not None
        await bot.store.duty.start(member.id or 0)


async def alone_with_location(bot: BotHarness) -> None:
    """/on, "Alone", then the location added to the duty."""
    await bot.tg.send(WARDEN, "/on")
    on_reply = next(m for m in bot.api.sent_to(WARDEN.telegram_id) if "on duty since" in m.plain)
    assert "Working alone or paired?" in on_reply.plain
    assert button_labels(on_reply) == ["📍 Add my location", "🧍 Alone: check on me", "👥 Paired"]
    await bot.tg.press(WARDEN, on_reply, "Alone")
    assert bot.last(WARDEN).plain.startswith("🧍 Check-ins every 30 minutes (next at 21:30)")
    on_reply = bot.api.messages[(on_reply.chat_id, on_reply.message_id)]
    assert button_labels(on_reply) == ["📍 Add my location"]  # answered: the question goes
    await bot.tg.press(WARDEN, on_reply, "Add my location")
    await bot.tg.share_location(WARDEN, *ELMER)


async def tick(bot: BotHarness, minutes: int) -> None:
    bot.clock.advance(minutes=minutes)
    await check_on_lone_workers(bot.app.services, instance="test")
    await drain(bot)


def safety_copies(bot: BotHarness, chat_id: int, marker: str = "Missed check-in") -> list[Any]:
    return [m for m in bot.api.sent_to(chat_id) if marker in m.plain]


def location_pins(bot: BotHarness, chat_id: int) -> list[SentMessage]:
    return [m for m in bot.api.sent_to(chat_id) if m.kind == "location"]


async def test_a_missed_check_in_climbs_the_ladder_with_a_pin_until_contacted_and_answered(
    bot: BotHarness,
) -> None:
    await join(bot)
    await alone_with_location(bot)

    await tick(bot, 30)  # 21:30: the check-in
    checkin = bot.last(WARDEN)
    assert checkin.plain.startswith("⏰ Check-in: all OK?")
    assert button_labels(checkin) == ["✅ All OK", "🆘 Need help"]
    await tick(bot, 5)  # 21:35: unanswered, a reminder; nobody else hears of it yet
    assert bot.last(WARDEN).plain.startswith("⏰ Reminder: please answer your check-in")
    assert safety_copies(bot, COORDINATORS_CHAT) == []

    await tick(bot, 5)  # 21:40: the coordinators (privately) and the group, with a pin
    for chat_id in (COORDINATORS_CHAT, COORDINATOR.telegram_id, ADMIN.telegram_id):
        [copy] = safety_copies(bot, chat_id)
        assert copy.plain.startswith("⚠️ Missed check-in: Wendy Warden (Street warden)")
        assert "Last sign of life: 21:00 (40 min ago)" in copy.plain
        assert "Last known location: 21:00 (map pin below)" in copy.plain
        assert "call 999" in copy.plain
        assert button_labels(copy) == [CONTACTING]
        [pin] = location_pins(bot, chat_id)
        assert pin.venue == {"latitude": ELMER[0], "longitude": ELMER[1]}
    for chat_id in (OFFICER.telegram_id, WARDEN.telegram_id, OUTREACH.telegram_id):
        assert safety_copies(bot, chat_id) == [], chat_id

    await tick(bot, 5)  # 21:45: step 2, admins and everyone on duty (never the warden)
    assert [c.plain.splitlines()[0] for c in safety_copies(bot, OFFICER.telegram_id)] == [
        "⚠️ Missed check-in · escalation 2: Wendy Warden (Street warden)"
    ]
    assert button_labels(safety_copies(bot, OFFICER.telegram_id)[0]) == []  # not theirs to take
    assert button_labels(safety_copies(bot, ADMIN.telegram_id)[1]) == [CONTACTING]
    assert safety_copies(bot, WARDEN.telegram_id) == []
    await tick(bot, 10)  # 21:55: step 3 repeats to all of them
    assert len(safety_copies(bot, COORDINATORS_CHAT)) == 2
    assert len(safety_copies(bot, OFFICER.telegram_id)) == 2
    assert len(location_pins(bot, COORDINATORS_CHAT)) == 1  # one pin per chat

    # The coordinator takes it on: the ladder stops, every copy says who, the warden hears.
    first = safety_copies(bot, COORDINATOR.telegram_id)[0]
    await bot.tg.press(COORDINATOR, first, "contacting")
    assert bot.api.callback_answers()[-1]["text"].startswith("Thanks: you're contacting them")
    await drain(bot)
    for chat_id in (COORDINATORS_CHAT, COORDINATOR.telegram_id, ADMIN.telegram_id):
        for copy in safety_copies(bot, chat_id):
            assert "📞 Cora Coordinator is contacting them (21:55)" in copy.plain, chat_id
            assert button_labels(copy) == []
    assert bot.last(WARDEN).plain == "📞 Cora Coordinator is contacting you now (21:55)."
    sent = len(bot.api.calls)
    await tick(bot, 30)
    assert [c.method for c in bot.api.calls[sent:]] == []  # nothing more climbs
    [audited] = await bot.store.audit.since(bot.clock.now().replace(hour=0), action="safety.")
    assert audited.action == "safety.acknowledged"

    # The warden answers their check-in: every copy says so, and check-ins go on.
    await bot.tg.press(WARDEN, checkin, "All OK")
    assert bot.last(WARDEN).plain == "✅ Thanks: the coordinators have been told you're OK."
    await drain(bot)
    for copy in safety_copies(bot, COORDINATORS_CHAT):
        assert "✅ Wendy Warden answered at 22:25: all OK" in copy.plain
    await tick(bot, 30)
    assert bot.last(WARDEN).plain.startswith("⏰ Check-in: all OK? (last sign of life 22:25")


async def test_any_message_is_a_check_in_and_answers_a_missed_one(bot: BotHarness) -> None:
    await join(bot)
    await alone_with_location(bot)
    await tick(bot, 25)
    await bot.tg.send(WARDEN, "/duty")  # 21:25: a sign of life; the check-in moves on
    await tick(bot, 10)
    assert not bot.last(WARDEN).plain.startswith("⏰")
    await tick(bot, 20)  # 21:55: due now
    assert bot.last(WARDEN).plain.startswith("⏰ Check-in: all OK? (last sign of life 21:25")
    await tick(bot, 10)  # 22:05: missed
    assert len(safety_copies(bot, COORDINATORS_CHAT)) == 1

    await bot.tg.send(WARDEN, "/duty")  # before any coordinator takes it on
    assert bot.api.sent_to(WARDEN.telegram_id)[-1].plain == (
        "✅ Thanks: the coordinators have been told you're OK."
    )
    await drain(bot)
    [copy] = safety_copies(bot, COORDINATORS_CHAT)
    assert "✅ Wendy Warden answered at 22:05: all OK" in copy.plain
    assert button_labels(copy) == []
    await tick(bot, 10)
    assert len(safety_copies(bot, COORDINATORS_CHAT)) == 1  # answered: the ladder stops


async def test_off_and_a_coordinator_end_check_ins_and_paired_has_none(bot: BotHarness) -> None:
    await join(bot)
    await alone_with_location(bot)
    await bot.tg.send(COORDINATOR, "/checkins")
    listing = bot.last(COORDINATOR)
    assert "• Wendy Warden (Street warden): every 30 min, last sign of life 21:00" in listing.plain
    await bot.tg.press(COORDINATOR, listing, "End: Wendy Warden")
    await drain(bot)
    assert bot.last(WARDEN).plain.startswith("⏹ Your check-ins were ended by Cora Coordinator")
    [audited] = await bot.store.audit.since(bot.clock.now().replace(hour=0), action="safety.")
    assert audited.action == "safety.checkins_ended"
    await tick(bot, 60)
    assert not any(m.plain.startswith("⏰") for m in bot.api.sent_to(WARDEN.telegram_id))
    await bot.tg.press(COORDINATOR, listing, "End: Wendy Warden")  # again: nothing to end
    assert bot.api.callback_answers()[-1]["text"] == "Those check-ins had already ended."

    # /off ends them too; paired the next night, there are none.
    await bot.tg.send(WARDEN, "/off")
    bot.clock.advance(hours=20)
    await bot.tg.send(WARDEN, "/on")
    on_reply = [m for m in bot.api.sent_to(WARDEN.telegram_id) if "on duty since" in m.plain][-1]
    await bot.tg.press(WARDEN, on_reply, "Paired")
    assert bot.last(WARDEN).plain.startswith("👥 Paired: no check-ins.")
    await tick(bot, 120)
    assert not any(m.plain.startswith("⏰") for m in bot.api.sent_to(WARDEN.telegram_id))


async def test_a_role_working_alone_by_default_starts_check_ins_at_on(bot: BotHarness) -> None:
    await join(bot)
    await bot.tg.send(ADMIN, "/checkinrole warden alone 20")
    assert (
        bot.last(ADMIN).plain
        == "✅ Street wardens now work alone by default; check-ins every 20 minutes."
    )
    for wrong in ("/checkinrole warden alone 2", "/checkinrole pilot alone", "/checkinrole warden"):
        await bot.tg.send(ADMIN, wrong)
        assert bot.last(ADMIN).plain.startswith("Usage: /checkinrole warden alone 30"), wrong
    await bot.tg.send(WARDEN, "/on")
    on_reply = [m for m in bot.api.sent_to(WARDEN.telegram_id) if "on duty since" in m.plain][-1]
    assert "Your role works alone by default: I'll check on you every 20 minutes" in on_reply.plain
    assert button_labels(on_reply) == ["📍 Add my location", "👥 I'm paired"]
    await tick(bot, 20)
    assert bot.last(WARDEN).plain.startswith("⏰ Check-in: all OK?")
    await bot.tg.send(WARDEN, "/checkinrole warden paired")  # not theirs to change
    assert "not available for your role" in bot.last(WARDEN).plain


# ---- "Need help" --------------------------------------------------------------------------
HELP_RECIPIENTS = (COORDINATORS_CHAT, COORDINATOR.telegram_id, ADMIN.telegram_id,
                   OFFICER.telegram_id)  # fmt: skip


def is_help(call: Any) -> bool:
    text = str(call.params.get("text") or "")
    return call.method == "sendMessage" and "NEED HELP" in text


async def queue_a_digest_and_a_fan_out(bot: BotHarness) -> None:
    """A shift digest for the group and an urgent alert to everyone on duty, both queued."""
    await bot.member(REPORTER, Role.OFFICER)
    await bot.store.outbox.add(chat_id=COORDINATORS_CHAT, purpose="digest", text="📊 Digest")
    reporter = await bot.store.members.by_telegram_id(REPORTER.telegram_id)
    assert reporter is not None
    await file_urgent(bot, reporter, point=ELMER)


@pytest.mark.pg_smoke
async def test_need_help_goes_to_everyone_before_a_queued_digest_and_fan_out(
    bot: BotHarness,
) -> None:
    await join(bot)
    await alone_with_location(bot)
    await drain(bot)
    await queue_a_digest_and_a_fan_out(bot)
    await bot.tg.send(WARDEN, "/start")
    menu = bot.last(WARDEN)
    before = len(bot.api.calls)

    await bot.tg.press(WARDEN, menu, "Need help")

    told = bot.last(WARDEN).plain
    assert told.startswith("🆘 Help is on its way") and "Call 999 as soon as you can" in told
    await drain(bot)
    calls = bot.api.calls[before:]
    helps = [i for i, c in enumerate(calls) if is_help(c)]
    pins = [i for i, c in enumerate(calls) if c.method == "sendLocation"]
    others = [
        i
        for i, c in enumerate(calls)
        if (c.method in ("sendMessage", "sendVenue") and "R-0001" in str(c.params))
        or ("Digest" in str(c.params.get("text")))
    ]
    assert {int(calls[i].params["chat_id"]) for i in helps} == set(HELP_RECIPIENTS)
    assert {int(calls[i].params["chat_id"]) for i in pins} == set(HELP_RECIPIENTS)
    assert others and max(helps + pins) < min(others)  # every copy and pin first
    copy = bot.api.last_to(COORDINATORS_CHAT)
    assert "Digest" in copy.plain  # the digest went, after
    [group_copy] = [m for m in bot.api.sent_to(COORDINATORS_CHAT) if "NEED HELP" in m.plain]
    assert group_copy.plain.startswith(
        "🆘 NEED HELP: Wendy Warden (Street warden) is asking for help"
    )
    assert button_labels(group_copy) == [CONTACTING]

    # Pressed again: no second fan-out.
    await bot.tg.send(WARDEN, "/sos")
    assert bot.last(WARDEN).plain.startswith("🆘 Your call for help at 21:00 is still out")
    await drain(bot)
    assert len([m for m in bot.api.sent_to(COORDINATORS_CHAT) if "NEED HELP" in m.plain]) == 1


async def test_need_help_overtakes_a_batch_already_being_sent(
    bot: BotHarness, monkeypatch: Any
) -> None:
    """The digest and the fan-out are mid-send (the group's copy held on its way): "Need
    help" raised then goes out before the rest of that batch."""
    await join(bot)
    await alone_with_location(bot)
    await drain(bot)
    await queue_a_digest_and_a_fan_out(bot)
    await bot.tg.send(WARDEN, "/start")
    menu = bot.last(WARDEN)
    holding, release = asyncio.Event(), asyncio.Event()
    call = bot.api.call

    async def held(method: str, params: dict[str, Any], files: Any = None) -> Any:
        if (
            method == "sendMessage"
            and params.get("chat_id") == COORDINATORS_CHAT
            and ("R-0001" in str(params.get("text")))
        ):
            holding.set()
            await release.wait()
        return await call(method, params, files)

    monkeypatch.setattr(bot.api, "call", held)
    before = len(bot.api.calls)
    sending = asyncio.create_task(drain(bot))
    await holding.wait()
    await bot.tg.press(WARDEN, menu, "Need help")  # while the group's alert is on its way
    release.set()
    await sending

    calls = bot.api.calls[before:]
    group = [c for c in calls if str(c.params.get("chat_id")) == str(COORDINATORS_CHAT)]
    kinds = [
        "help" if is_help(c) else "pin" if c.method == "sendLocation" else
        "digest" if "Digest" in str(c.params.get("text")) else
        "venue" if c.method == "sendVenue" else "alert" if "R-0001" in str(c.params) else "?"
        for c in group
    ]  # fmt: skip
    # The held alert copy goes first (it was on its way), then the alarm, then the rest.
    assert kinds == ["alert", "help", "pin", "venue", "digest"], kinds
    last_help = max(i for i, c in enumerate(calls) if is_help(c) or c.method == "sendLocation")
    assert {int(c.params["chat_id"]) for c in calls if is_help(c)} == set(HELP_RECIPIENTS)
    digest_at = next(i for i, c in enumerate(calls) if "Digest" in str(c.params.get("text")))
    assert last_help < digest_at


async def test_a_blocked_recipient_of_need_help_is_named_to_the_admins(bot: BotHarness) -> None:
    await join(bot)
    await alone_with_location(bot)
    bot.api.blocked_chats.add(OFFICER.telegram_id)
    await bot.tg.send(WARDEN, "/sos")
    await drain(bot)
    assert [
        m.plain for m in bot.api.sent_to(ADMIN.telegram_id) if "cannot be reached" in m.plain
    ] == [
        "⚠️ Olly Officer (Police officer) cannot be reached by the bot (blocked or never "
        "started it); alert for staff safety was not delivered to them."
    ]
