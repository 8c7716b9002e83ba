"""Duty: the closing rule, the repository (both databases), /on /off /duty, the location,
closing duty left open, and urgent alerts reaching exactly the members on duty."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.domain.access.roles import Role
from bot.domain.shifts.duty import MAX_DUTY, duty_closes, duty_shift, shifts_now
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.jobs.duty_close import CLOSE_STALE_JOB, CLOSE_STALE_SECONDS, close_stale_duty
from bot.offline.chat import Person, group_chat
from bot.summaries.compose import Composed
from bot.texts import common as common_texts
from bot.texts import duty as duty_texts
from handlers import duty as duty_handlers
from storage.models import DutySession, Member, OutboxMessage
from storage.shifts import DUTY_NOTICE, ENDED_AUTO, ENDED_OFF, DutyHours
from storage.store import Store
from tests.support.alerting import drain, file_urgent
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

LONDON = ZoneInfo("Europe/London")
FRI, SAT = 4, 5
FRIDAY_LATE = ShiftPattern("Friday late", frozenset({FRI, SAT}), time(20, 0), time(3, 0))
EARLY = ShiftPattern("Early", frozenset(range(7)), time(6, 0), time(14, 0))

OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
OUTREACH = Person(2005, "Owen", "Outreach")
REPORTER = Person(2006, "Rita", "Reporter")


def london(*args: int) -> datetime:
    """A wall-clock time in London as an aware UTC instant."""
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)  # type: ignore[misc]


# ---- the closing rule (domain) -------------------------------------------------------------
def test_duty_in_a_shift_closes_2_hours_after_it_ends() -> None:
    started = london(2026, 11, 27, 20, 5)  # Friday
    closes = duty_closes([FRIDAY_LATE, EARLY], LONDON, started)
    assert closes.shift is not None and closes.shift.pattern_name == "Friday late"
    assert closes.at == london(2026, 11, 28, 5, 0)


def test_duty_before_a_shift_belongs_to_one_starting_within_2_hours() -> None:
    assert duty_closes([FRIDAY_LATE], LONDON, london(2026, 11, 27, 18, 0)).at == london(
        2026, 11, 28, 5, 0
    )
    too_early = london(2026, 11, 27, 17, 59)
    assert duty_shift([FRIDAY_LATE], LONDON, too_early) is None
    assert duty_closes([FRIDAY_LATE], LONDON, too_early).at == too_early + timedelta(hours=12)


def test_duty_without_any_shift_closes_after_12_hours() -> None:
    started = london(2026, 11, 25, 10, 0)
    closes = duty_closes([], LONDON, started)
    assert closes == type(closes)(started + timedelta(hours=12), None)
    assert closes.at - started <= MAX_DUTY


def test_overlapping_shifts_take_the_one_ending_last() -> None:
    long_late = ShiftPattern("Long late", frozenset({FRI}), time(19, 0), time(5, 0))
    closes = duty_closes([FRIDAY_LATE, long_late], LONDON, london(2026, 11, 27, 21, 0))
    assert closes.shift is not None and closes.shift.pattern_name == "Long late"
    assert closes.at == london(2026, 11, 28, 7, 0)
    running = shifts_now([FRIDAY_LATE, long_late], LONDON, london(2026, 11, 27, 21, 0))
    assert [o.pattern_name for o in running] == ["Long late", "Friday late"]


def test_on_the_night_the_clocks_go_back_duty_closes_at_5_gmt() -> None:
    saturday = ShiftPattern("Saturday late", frozenset({SAT}), time(20, 0), time(3, 0))
    closes = duty_closes([saturday], LONDON, london(2026, 10, 24, 20, 5))  # 19:05 UTC
    assert closes.shift is not None and closes.shift.duration == timedelta(hours=8)
    assert closes.at == datetime(2026, 10, 25, 5, 0, tzinfo=UTC)  # 05:00 GMT


# ---- the repository ------------------------------------------------------------------------
async def member(store: Store, telegram_id: int, name: str, role: Role = Role.OFFICER) -> Member:
    joined = await store.members.ensure_admin(telegram_id, name, role=role)
    return joined


async def sessions(store: Store) -> list[DutySession]:
    async with store.duty._sessions() as session:
        query = select(DutySession).order_by(DutySession.id)  # type: ignore[arg-type]
        return list((await session.exec(query)).all())


async def test_on_and_off(store: Store) -> None:
    olly = await member(store, 2002, "Olly")
    started = store.clock.now()

    duty, new = await store.duty.start(olly.id or 0, lat=52.6, lon=-1.1)
    again, second = await store.duty.start(olly.id or 0)
    assert new and not second and again.id == duty.id
    assert (await store.duty.current(olly.id or 0)) == duty
    assert [m.id for m in await store.duty.on_duty()] == [olly.id]

    assert (duty.lat, duty.lon) == (52.6, -1.1)
    store.clock.advance(hours=2)  # type: ignore[attr-defined]
    ended = await store.duty.end(olly.id or 0)
    assert ended is not None and ended.end_reason == ENDED_OFF
    assert (ended.started_at, ended.ended_at) == (started, started + timedelta(hours=2))
    assert await store.duty.end(olly.id or 0) is None
    assert await store.duty.current(olly.id or 0) is None
    assert await store.duty.on_duty() == []
    [stored] = await sessions(store)
    # Where a member was is theirs only: /off forgets it.
    assert (stored.lat, stored.lon, stored.ended_at) == (None, None, ended.ended_at)


async def test_on_duty_lists_active_members_longest_on_first(store: Store) -> None:
    olly = await member(store, 2002, "Olly")
    wendy = await member(store, 2003, "Wendy", Role.WARDEN)
    suspended = await member(store, 2004, "Sid")
    await store.duty.start(wendy.id or 0)
    store.clock.advance(minutes=5)  # type: ignore[attr-defined]
    await store.duty.start(olly.id or 0)
    await store.duty.start(suspended.id or 0)
    await store.members.suspend(suspended.id or 0, by=olly)

    assert [m.name for m in await store.duty.on_duty()] == ["Wendy", "Olly"]
    assert [d.member.name for d in await store.duty.open_sessions()] == ["Wendy", "Olly", "Sid"]


async def test_closing_automatically_once_with_the_notice(store: Store) -> None:
    olly = await member(store, 2002, "Olly")
    duty, _ = await store.duty.start(olly.id or 0)
    closes_at = store.clock.now() + timedelta(hours=9)
    store.clock.advance(hours=10)  # type: ignore[attr-defined]

    assert await store.duty.close_automatically(
        duty.id or 0, at=closes_at, chat_id=2002, notice="closed"
    )
    assert not await store.duty.close_automatically(
        duty.id or 0, at=closes_at, chat_id=2002, notice="closed"
    )
    [stored] = await sessions(store)
    assert (stored.ended_at, stored.end_reason) == (closes_at, ENDED_AUTO)
    async with store.duty._sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert [(r.chat_id, r.purpose, r.text) for r in rows] == [(2002, DUTY_NOTICE, "closed")]
    assert await store.duty.end(olly.id or 0) is None


async def test_hours_count_only_the_overlap_with_the_window(store: Store) -> None:
    olly = await member(store, 2002, "Olly")
    wendy = await member(store, 2003, "Wendy", Role.WARDEN)
    owen = await member(store, 2005, "Owen", Role.OUTREACH)
    start = store.clock.now()  # the window: 21:00 to 03:00
    end = start + timedelta(hours=6)

    store.clock.set(start - timedelta(hours=1))  # type: ignore[attr-defined]
    await store.duty.start(olly.id or 0)  # 20:00–23:00: 2 h inside
    store.clock.set(start - timedelta(hours=10))  # type: ignore[attr-defined]
    before, _ = await store.duty.start(owen.id or 0)  # over before the window: 0 h
    store.clock.set(start - timedelta(hours=9))  # type: ignore[attr-defined]
    await store.duty.end(owen.id or 0)
    store.clock.set(start + timedelta(hours=2))  # type: ignore[attr-defined]
    left_open, _ = await store.duty.start(wendy.id or 0)  # 23:00 to 05:00, closed auto
    store.clock.set(start + timedelta(hours=2))  # type: ignore[attr-defined]
    await store.duty.end(olly.id or 0)

    store.clock.set(start + timedelta(hours=5))  # type: ignore[attr-defined]
    so_far = await store.duty.hours_between(start, end)  # Wendy still on: 3 h so far
    assert so_far == DutyHours(total_hours=5.0, members=2, auto_closed=0)

    store.clock.set(start + timedelta(hours=8))  # type: ignore[attr-defined]
    await store.duty.close_automatically(
        left_open.id or 0, at=start + timedelta(hours=8), chat_id=None, notice=None
    )
    assert await store.duty.hours_between(start, end) == DutyHours(6.0, 2, 1)
    listed = await store.duty.sessions_between(start, end)
    assert [s.member_id for s in listed] == [olly.id, wendy.id]
    assert before.id not in [s.id for s in listed]
    assert (
        await store.duty.sessions_between(end + timedelta(hours=3), end + timedelta(hours=4)) == []
    )
    assert await store.duty.hours_between(end, start) == DutyHours(0.0, 0, 0)


async def test_a_duty_left_open_for_days_is_still_found(store: Store) -> None:
    olly = await member(store, 2002, "Olly")
    duty, _ = await store.duty.start(olly.id or 0)
    later = store.clock.now() + timedelta(days=5)
    store.clock.set(later)  # type: ignore[attr-defined]
    found = await store.duty.sessions_between(later - timedelta(hours=1), later)
    assert [s.id for s in found] == [duty.id]


# ---- /on, /off, /duty ----------------------------------------------------------------------
async def team(bot: BotHarness) -> None:
    for person, role in ((OFFICER, Role.OFFICER), (WARDEN, Role.WARDEN)):
        await bot.member(person, role)


def on_duty_reply(bot: BotHarness, person: Person) -> str:
    replies = [m.plain for m in bot.api.sent_to(person.telegram_id) if "on duty since" in m.plain]
    assert replies, [m.plain for m in bot.api.sent_to(person.telegram_id)]
    return replies[-1]


@pytest.mark.pg_smoke
async def test_on_starts_duty_and_sends_the_briefing(bot: BotHarness) -> None:
    await team(bot)
    await bot.store.shifts.add(FRIDAY_LATE)
    bot.clock.set(london(2026, 11, 27, 20, 5))

    await bot.tg.send(OFFICER, "/on")

    reply, briefing = bot.api.sent_to(OFFICER.telegram_id)[-2:]
    assert reply.plain.startswith("✅ You're on duty since 20:05 (Friday late, until 03:00).")
    assert "I'll close it 2 hours after the shift ends" in reply.plain
    assert [b["text"] for b in reply.inline_buttons] == [
        "📍 Add my location",
        "🧍 Alone: check on me",
        "👥 Paired",
    ]
    assert briefing.plain.startswith("📋 Briefing: Friday late")
    assert "Olly Officer" in briefing.plain  # who is on duty
    officer = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert officer is not None
    current = await bot.store.duty.current(officer.id or 0)
    assert current is not None and current.started_at == bot.clock.now()


async def test_on_without_a_shift_says_when_it_closes(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 25, 10, 0))
    await bot.tg.send(OFFICER, "/on")
    assert on_duty_reply(bot, OFFICER).startswith("✅ You're on duty since 10:00.\n")
    assert "I'll close it after 12 hours" in on_duty_reply(bot, OFFICER)


async def test_on_twice_keeps_the_first_time(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 27, 20, 5))
    await bot.tg.send(OFFICER, "/on")
    bot.clock.advance(minutes=30)
    sent_before = len(bot.api.sent_to(OFFICER.telegram_id))

    await bot.tg.send(OFFICER, "/on")

    assert bot.last(OFFICER).plain == (
        "You're already on duty since 20:05. Send /off when you finish."
    )
    assert len(bot.api.sent_to(OFFICER.telegram_id)) == sent_before + 1  # no second briefing
    assert len(await sessions(bot.store)) == 1


async def test_off_ends_duty_with_its_length(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 27, 20, 5))
    await bot.tg.send(OFFICER, "/on")
    bot.clock.set(london(2026, 11, 27, 23, 40))

    await bot.tg.send(OFFICER, "/off")

    assert bot.last(OFFICER).plain == (
        "✅ You're off duty. On duty 20:05–23:40 (3 h 35 min). Thanks!"
    )
    [duty] = await sessions(bot.store)
    assert (duty.ended_at, duty.end_reason) == (bot.clock.now(), "off")
    await bot.tg.send(OFFICER, "/off")
    assert bot.last(OFFICER).plain == duty_texts.NOT_ON_DUTY


async def test_a_briefing_that_fails_does_not_stop_duty(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(services: Any, now: datetime) -> Composed:
        raise RuntimeError("stats down")

    monkeypatch.setattr(duty_handlers, "briefing_now", broken)
    await team(bot)
    await bot.tg.send(OFFICER, "/on")
    assert "on duty since 21:00" in bot.last(OFFICER).plain
    assert len(await sessions(bot.store)) == 1


async def test_a_long_briefing_is_split_and_its_chart_sent(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[datetime] = []

    async def composed(services: Any, now: datetime) -> Composed:
        seen.append(now)
        return Composed("line\n" * 1500, chart_png=b"\x89PNG fake", caption="Chart")

    monkeypatch.setattr(duty_handlers, "briefing_now", composed)
    await team(bot)
    await bot.tg.send(OFFICER, "/on")

    sent = bot.api.sent_to(OFFICER.telegram_id)
    photo = sent[-1]
    assert photo.kind == "photo" and photo.caption == "Chart"
    parts = [m for m in sent if m.kind == "text" and m.plain.startswith("line")]
    assert len(parts) == 2 and sum(m.plain.count("line") for m in parts) == 1500
    assert seen == [bot.clock.now()]


async def test_duty_shows_who_is_on_with_roles_and_since_times(bot: BotHarness) -> None:
    await team(bot)
    await bot.member(OUTREACH, Role.OUTREACH)
    await bot.store.shifts.add(FRIDAY_LATE)
    await bot.tg.send(OFFICER, "/duty")
    assert bot.last(OFFICER).plain == "🕗 Shift now: Friday late until 03:00\n" + (
        "Nobody is on duty right now."
    )

    bot.clock.set(london(2026, 11, 27, 20, 5))
    await bot.tg.send(WARDEN, "/on")
    await bot.tg.press(WARDEN, bot.api.sent_to(WARDEN.telegram_id)[-2], "Add my location")
    await bot.tg.share_location(WARDEN, 52.6012, -1.1034)
    bot.clock.set(london(2026, 11, 27, 21, 30))
    await bot.tg.send(OFFICER, "/on")

    await bot.tg.send(OUTREACH, "/duty")
    assert bot.last(OUTREACH).plain == (
        "🕗 Shift now: Friday late until 03:00\n"
        "👮 On duty now (2)\n"
        "• Wendy Warden, Street warden, since 20:05\n"
        "• Olly Officer, Police officer, since 21:30"
    )
    # The coordinators' group may ask too: names and roles, never where anyone is.
    await bot.tg.send(ADMIN, "/duty", chat=group_chat(COORDINATORS_CHAT))
    in_group = bot.api.last_to(COORDINATORS_CHAT)
    assert "Wendy Warden, Street warden, since 20:05" in in_group.plain
    assert "52.6" not in in_group.plain


async def test_duty_since_an_earlier_day_shows_the_day(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 26, 23, 0))
    await bot.tg.send(WARDEN, "/on")
    bot.clock.set(london(2026, 11, 27, 1, 0))
    await bot.tg.send(OFFICER, "/duty")
    assert "Wendy Warden, Street warden, since Thu 26 Nov 23:00" in bot.last(OFFICER).plain


# ---- a location with /on -------------------------------------------------------------------
async def test_location_added_to_duty_when_asked(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(OFFICER, "/on")
    on_reply = bot.api.sent_to(OFFICER.telegram_id)[-2]

    await bot.tg.press(OFFICER, on_reply, "Add my location")
    ask = bot.last(OFFICER)
    assert ask.keyboard_buttons == [
        {"text": "📍 Send my location", "request_location": True},
        {"text": "No thanks"},
    ]
    await bot.tg.send(OFFICER, "somewhere")
    assert bot.last(OFFICER).plain == "Please tap 📍 Send my location, or No thanks."
    await bot.tg.share_location(OFFICER, 52.6012, -1.1034)

    assert bot.last(OFFICER).plain == "📍 Thanks: your location is noted with your duty."
    assert bot.last(OFFICER).reply_markup == {"remove_keyboard": True}
    [duty] = await sessions(bot.store)
    assert (duty.lat, duty.lon) == (52.6012, -1.1034)


async def test_no_thanks_or_cancel_leave_no_location(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(OFFICER, "/on")
    on_reply = bot.api.sent_to(OFFICER.telegram_id)[-2]
    await bot.tg.press(OFFICER, on_reply, "Add my location")
    await bot.tg.send(OFFICER, "No thanks")
    assert bot.last(OFFICER).plain == "OK, no location."
    await bot.tg.press(OFFICER, on_reply, "Add my location")
    await bot.tg.send(OFFICER, "/cancel")
    assert bot.last(OFFICER).plain == "OK, no location."
    await bot.tg.press(OFFICER, on_reply, "Add my location")
    await bot.tg.send(OFFICER, "/duty")  # another command: stop, and say so
    assert "Please send /duty again" in bot.last(OFFICER).plain

    # A location shared now starts a quick report, as always; duty keeps no location.
    await bot.tg.share_location(OFFICER, 52.6012, -1.1034)
    assert bot.last(OFFICER).plain.startswith("📍 Report at shared location")
    [duty] = await sessions(bot.store)
    assert (duty.lat, duty.lon) == (None, None)


async def test_location_button_of_an_ended_duty(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(OFFICER, "/on")
    on_reply = bot.api.sent_to(OFFICER.telegram_id)[-2]
    await bot.tg.send(OFFICER, "/off")
    await bot.tg.press(OFFICER, on_reply, "Add my location")
    assert bot.api.callback_answers()[-1]["text"] == duty_texts.DUTY_NOT_OPEN
    await bot.tg.press_data(OFFICER, on_reply, "dut:zzz")
    assert bot.api.callback_answers()[-1]["text"] == common_texts.STALE_BUTTON


async def test_on_and_off_only_in_private(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/on", chat=group_chat(COORDINATORS_CHAT))
    assert bot.api.last_to(COORDINATORS_CHAT).plain == common_texts.PRIVATE_ONLY.format(
        command="on"
    )
    assert await sessions(bot.store) == []


# ---- closing duty left open ----------------------------------------------------------------
async def test_duty_left_open_is_closed_2_hours_after_the_shift(bot: BotHarness) -> None:
    await team(bot)
    await bot.store.shifts.add(FRIDAY_LATE)
    bot.clock.set(london(2026, 11, 27, 20, 5))
    await bot.tg.send(OFFICER, "/on")
    services = bot.app.services

    bot.clock.set(london(2026, 11, 28, 4, 59))
    assert await close_stale_duty(services) == 0
    services.outbox_wakeup.clear()
    bot.clock.set(london(2026, 11, 28, 5, 3))  # the job runs every 5 minutes
    assert await close_stale_duty(services) == 1
    assert services.outbox_wakeup.is_set()
    assert await close_stale_duty(services) == 0

    [duty] = await sessions(bot.store)
    assert (duty.ended_at, duty.end_reason) == (london(2026, 11, 28, 5, 0), "auto")
    await drain(bot)
    assert bot.last(OFFICER).plain == (
        "Your duty was closed automatically at 05:00 (2 hours after the shift ended). "
        "If you're still working, send /on."
    )
    assert await bot.store.duty.on_duty() == []


async def test_duty_without_a_shift_closes_after_12_hours(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 25, 10, 0))
    await bot.tg.send(WARDEN, "/on")
    bot.clock.set(london(2026, 11, 25, 22, 4))
    assert await close_stale_duty(bot.app.services) == 1
    await drain(bot)
    assert bot.last(WARDEN).plain.startswith(
        "Your duty was closed automatically at 22:00 (12 hours after you went on duty)."
    )


async def test_after_downtime_duty_closes_at_its_time_and_the_day_is_named(
    bot: BotHarness,
) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 25, 10, 0))
    await bot.tg.send(WARDEN, "/on")
    bot.clock.set(london(2026, 11, 27, 9, 0))  # the bot was down for two days
    await bot.tg.send(WARDEN, "/off")  # closes the stale duty first: not on duty now
    assert bot.last(WARDEN).plain == duty_texts.NOT_ON_DUTY
    [duty] = await sessions(bot.store)
    assert (duty.ended_at, duty.end_reason) == (london(2026, 11, 25, 22, 0), "auto")
    await drain(bot)
    assert "closed automatically at Wed 25 Nov 22:00" in bot.last(WARDEN).plain


async def test_on_after_a_stale_duty_starts_a_new_one(bot: BotHarness) -> None:
    await team(bot)
    bot.clock.set(london(2026, 11, 25, 10, 0))
    await bot.tg.send(WARDEN, "/on")
    bot.clock.set(london(2026, 11, 26, 9, 0))
    await bot.tg.send(WARDEN, "/on")
    assert on_duty_reply(bot, WARDEN).startswith("✅ You're on duty since 09:00.")
    first, second = await sessions(bot.store)
    assert (first.end_reason, second.ended_at) == ("auto", None)


async def test_a_suspended_member_is_closed_without_a_message(bot: BotHarness) -> None:
    await team(bot)
    await bot.tg.send(WARDEN, "/on")
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    warden = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    assert admin is not None and warden is not None
    await bot.store.members.suspend(warden.id or 0, by=admin)
    bot.clock.advance(hours=13)
    assert await close_stale_duty(bot.app.services) == 1
    async with bot.store.duty._sessions() as session:
        notices = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_NOTICE))
        ).all()
    assert notices == []


async def test_the_job_is_scheduled_every_5_minutes(bot: BotHarness) -> None:
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(CLOSE_STALE_JOB)
    assert CLOSE_STALE_SECONDS == 300
    assert job.name == "close-stale-duty"


# ---- urgent alerts go to the members on duty -----------------------------------------------
@pytest.mark.pg_smoke
async def test_urgent_alerts_reach_exactly_the_members_on_duty(bot: BotHarness) -> None:
    await team(bot)
    await bot.member(OUTREACH, Role.OUTREACH)
    await bot.member(REPORTER, Role.OFFICER)
    for person in (WARDEN, OUTREACH, REPORTER):
        await bot.tg.send(person, "/on")
    reporter = await bot.store.members.by_telegram_id(REPORTER.telegram_id)
    assert reporter is not None

    first = await file_urgent(bot, reporter)
    rows = await bot.store.outbox.for_report(first.id or 0)
    assert sorted(r.chat_id for r in rows) == sorted(
        [COORDINATORS_CHAT, WARDEN.telegram_id, OUTREACH.telegram_id]
    )

    await bot.tg.send(WARDEN, "/off")
    await bot.tg.send(OFFICER, "/on")
    second = await file_urgent(bot, reporter)
    rows = await bot.store.outbox.for_report(second.id or 0)
    assert sorted(r.chat_id for r in rows) == sorted(
        [COORDINATORS_CHAT, OUTREACH.telegram_id, OFFICER.telegram_id]
    )


async def test_with_nobody_on_duty_only_the_group_is_alerted(bot: BotHarness) -> None:
    await team(bot)
    reporter = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert reporter is not None
    report = await file_urgent(bot, reporter)
    rows = await bot.store.outbox.for_report(report.id or 0)
    assert [r.chat_id for r in rows] == [COORDINATORS_CHAT]
