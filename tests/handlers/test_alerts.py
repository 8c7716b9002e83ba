"""Urgent alerts that bring help: several attend, coordinators acknowledge, every copy shows
it, the reporter hears of each, map pins and "nearest" marks; presses only from real copies."""

from __future__ import annotations

import pytest

from bot.domain.reports.incidents import AckKind
from bot.jobs.escalation import escalate_overdue
from bot.offline.chat import Person
from bot.texts import alerts as alert_texts
from bot.texts import incidents as incidents_texts
from storage.models import ReportIn
from tests.support.alerting import (
    ALERTED,
    COORDINATOR,
    ELMER,
    OFFICER,
    OUTREACH,
    REPORTER,
    WARDEN,
    alert_copy,
    button_labels,
    delivered,
    drain,
    elmer_square,
    file_urgent,
    pins,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

ACK, ATTEND, NOT_ATTENDING = "✅ Acknowledge", "🚶 Attending", "↩️ Not attending any more"
CCTV = "📹 Request CCTV review"  # on coordinators' and admins' own copies


def last_answer(bot: BotHarness) -> str:
    return str(bot.api.callback_answers()[-1].get("text"))


def notices_to_reporter(bot: BotHarness) -> list[str]:
    """What the reporter was told about their report (their welcome left out)."""
    return [m.plain for m in bot.api.sent_to(REPORTER.telegram_id) if "R-0001" in m.plain]


@pytest.mark.pg_smoke
async def test_coordinator_acknowledges_and_every_copy_shows_it(bot: BotHarness) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)
    wakeup = bot.app.services.outbox_wakeup
    wakeup.clear()

    await bot.tg.press(COORDINATOR, alert_copy(bot, COORDINATOR.telegram_id), "Acknowledge")

    assert last_answer(bot) == "Thanks — you acknowledged R-0001: it's yours. Escalation stops."
    pressed = alert_copy(bot, COORDINATOR.telegram_id)
    assert "✅ Acknowledged by Cora Coordinator at 21:00" in pressed.plain
    assert "Weapon seen · R-0001" in pressed.plain  # the facts stay
    assert button_labels(pressed) == [ATTEND, CCTV] and pressed.edits == 1
    assert wakeup.is_set()
    others = [chat for chat in ALERTED if chat != COORDINATOR.telegram_id]
    assert all(alert_copy(bot, chat).edits == 0 for chat in others)  # not yet

    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id)
        assert "Acknowledged by Cora Coordinator at 21:00" in copy.plain, chat_id
        assert ACK not in button_labels(copy) and copy.edits == 1
    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.acknowledged_by_id == members.coordinator.id
    assert stored.ack_kind is AckKind.ACKNOWLEDGED
    assert notices_to_reporter(bot) == [
        "✅ Cora Coordinator acknowledged your report R-0001 at 21:00 and is coordinating "
        "the response."
    ]


async def test_several_attend_each_on_every_copy_and_the_reporter_hears_of_each(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)

    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    assert last_answer(bot) == "Thanks — you're attending R-0001. Everyone alerted can see it."
    bot.clock.advance(minutes=1)
    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Attending")
    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id)
        assert "🚶 Attending: Wendy Warden, Olly Officer" in copy.plain, chat_id
        assert "Urgent incident" in copy.plain  # attending is not acknowledging
    for person in (WARDEN, OFFICER):
        assert button_labels(alert_copy(bot, person.telegram_id)) == [NOT_ATTENDING]
    assert button_labels(alert_copy(bot, COORDINATOR.telegram_id)) == [ACK, ATTEND, CCTV]
    assert button_labels(alert_copy(bot, COORDINATORS_CHAT)) == [ACK, ATTEND, NOT_ATTENDING]
    assert notices_to_reporter(bot) == [
        "🚶 Wendy Warden is attending your report R-0001.",
        "🚶 Olly Officer is attending your report R-0001.",
    ]
    attending = await bot.store.alerts.attending(1)
    assert [m.name for m in attending] == ["Wendy Warden", "Olly Officer"]
    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_at is None  # escalation goes on

    # Pressing again changes nothing and edits nothing.
    edits = len(bot.api.calls_of("editMessageText"))
    await bot.tg.press_data(WARDEN, alert_copy(bot, WARDEN.telegram_id), "inc:att:1")
    assert last_answer(bot) == alert_texts.ALREADY_ATTENDING
    await drain(bot)
    assert len(bot.api.calls_of("editMessageText")) == edits


async def test_not_attending_any_more_takes_them_off_every_copy(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Attending")
    await drain(bot)

    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Not attending")
    assert last_answer(bot) == "OK — you're no longer attending R-0001."
    await drain(bot)

    for chat_id in ALERTED:
        assert "🚶 Attending: Olly Officer" in alert_copy(bot, chat_id).plain, chat_id
    assert button_labels(alert_copy(bot, WARDEN.telegram_id)) == [ATTEND]
    assert (
        notices_to_reporter(bot)[-1] == "↩️ Wendy Warden is no longer attending your report R-0001."
    )

    # From the group, the last one goes too; the group's undo button goes with them.
    await bot.tg.press(OFFICER, alert_copy(bot, COORDINATORS_CHAT), "Not attending")
    await drain(bot)
    assert "Attending:" not in alert_copy(bot, COORDINATORS_CHAT).plain
    assert button_labels(alert_copy(bot, COORDINATORS_CHAT)) == [ACK, ATTEND]
    await bot.tg.press_data(WARDEN, alert_copy(bot, WARDEN.telegram_id), "inc:no:1")
    assert last_answer(bot) == alert_texts.NOT_ATTENDING_NOW


async def test_only_coordinators_and_admins_acknowledge(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    officer_copy = alert_copy(bot, OFFICER.telegram_id)
    assert ACK not in button_labels(officer_copy)  # never offered to an officer

    # Sent anyway, from the officer's own copy and from the group's: refused.
    await bot.tg.press_data(OFFICER, officer_copy, "inc:ack:1")
    assert last_answer(bot) == alert_texts.ALERT_ACK_NOT_ALLOWED
    await bot.tg.press(WARDEN, alert_copy(bot, COORDINATORS_CHAT), "Acknowledge")
    assert last_answer(bot) == alert_texts.ALERT_ACK_NOT_ALLOWED
    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_at is None
    assert officer_copy.edits == 0 and alert_copy(bot, COORDINATORS_CHAT).edits == 0

    # An admin (whatever their role) may, from the group; a coordinator after them is told.
    await bot.tg.press(ADMIN, alert_copy(bot, COORDINATORS_CHAT), "Acknowledge")
    assert last_answer(bot) == "Thanks — you acknowledged R-0001: it's yours. Escalation stops."
    await bot.tg.press_data(COORDINATOR, alert_copy(bot, COORDINATOR.telegram_id), "inc:ack:1")
    assert last_answer(bot) == "Already acknowledged by Alex Admin at 21:00"
    coordinator_copy = alert_copy(bot, COORDINATOR.telegram_id)
    assert "Acknowledged by Alex Admin" in coordinator_copy.plain  # its stale copy is fixed
    assert ACK not in button_labels(coordinator_copy)
    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_by_id is not None
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None and stored.acknowledged_by_id == admin.id


async def test_the_reporter_cannot_respond_to_their_own_alert(bot: BotHarness) -> None:
    members = await team(bot)
    # Even a coordinator reporting: no acknowledging one's own alert.
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    await bot.store.members.change_role(
        members.reporter.id or 0, members.coordinator.role, by=admin
    )
    await file_urgent(bot, members.reporter)
    await drain(bot)
    group_copy = alert_copy(bot, COORDINATORS_CHAT)

    for data in ("inc:ack:1", "inc:att:1"):
        await bot.tg.press_data(REPORTER, group_copy, data)
        assert last_answer(bot) == alert_texts.ALERT_OWN_REPORT
    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_at is None
    assert await bot.store.alerts.attending(1) == [] and group_copy.edits == 0


async def test_forged_presses_from_other_messages_change_and_show_nothing(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    # A message of the coordinator's own that is not the alert: the bot's menu.
    await bot.tg.send(COORDINATOR, "/help")
    menu = bot.last(COORDINATOR)
    before = menu.plain

    await bot.tg.press_data(COORDINATOR, menu, "inc:ack:1")
    assert last_answer(bot) == alert_texts.ALERT_NOT_RECEIVED
    await bot.tg.press_data(COORDINATOR, menu, "inc:att:1")
    assert last_answer(bot) == alert_texts.ALERT_NOT_RECEIVED
    assert menu.plain == before and menu.edits == 0  # never rewritten into the alert

    # Outreach was not on duty and got no copy: nothing of theirs carries the alert.
    await bot.tg.send(OUTREACH, "/help")
    await bot.tg.press_data(OUTREACH, bot.last(OUTREACH), "inc:att:1")
    assert last_answer(bot) == alert_texts.ALERT_NOT_RECEIVED

    # Another report's copy does not answer this one.
    second = await file_urgent(bot, members.reporter, description="Second incident")
    await drain(bot)
    second_copy = alert_copy(bot, OFFICER.telegram_id, reference="R-0002")
    await bot.tg.press_data(OFFICER, second_copy, "inc:att:1")
    assert last_answer(bot) == alert_texts.ALERT_NOT_RECEIVED
    assert second.id == 2

    stored = await bot.store.reports.get(1)
    assert stored is not None and stored.acknowledged_at is None
    assert await bot.store.alerts.attending(1) == []
    assert notices_to_reporter(bot) == []


async def test_garbled_or_unknown_alert_buttons_change_nothing(bot: BotHarness) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)
    copy = alert_copy(bot, COORDINATOR.telegram_id)

    for data in ("inc:ack:abc", "inc:zzz:1", "inc:ack:999", "inc:ack", "inc:att:-1", "inc:no:x"):
        await bot.tg.press_data(COORDINATOR, copy, data)
        assert last_answer(bot) == alert_texts.ALERT_UNKNOWN, data

    stored = await bot.store.reports.get(report.id or 0)
    assert stored is not None and stored.acknowledged_at is None
    assert copy.edits == 0 and button_labels(copy) == [ACK, ATTEND, CCTV]


async def test_a_report_that_is_not_urgent_has_no_alert_to_acknowledge(bot: BotHarness) -> None:
    members = await team(bot)
    urgent = await file_urgent(bot, members.reporter)
    await drain(bot)
    categories = await bot.store.categories.active()
    calm = await bot.store.reports.file(
        ReportIn(category_id=categories[-1].id or 0, place_text="Market"),
        reporter=members.reporter,
        group_chat_id=COORDINATORS_CHAT,
    )
    assert calm.id == (urgent.id or 0) + 1
    await bot.tg.press_data(
        COORDINATOR, alert_copy(bot, COORDINATOR.telegram_id), f"inc:ack:{calm.id}"
    )
    assert last_answer(bot) == alert_texts.ALERT_UNKNOWN
    stored = await bot.store.reports.get(calm.id or 0)
    assert stored is not None and stored.acknowledged_at is None


async def test_closing_the_report_takes_the_buttons_off_every_copy(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Attending")
    await drain(bot)

    await bot.store.reports.close(1, by=members.coordinator, outcome="Dispersed")
    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id)
        assert copy.inline_buttons == [] and alert_texts.ALERT_CLOSED_LINE in copy.plain, chat_id
    await bot.tg.press_data(WARDEN, alert_copy(bot, WARDEN.telegram_id), "inc:att:1")
    assert last_answer(bot) == alert_texts.ALERT_CLOSED


# ---- map pins and the nearest -------------------------------------------------------------
async def test_an_alert_at_a_hotspot_carries_a_map_pin_next_to_its_text(bot: BotHarness) -> None:
    members = await team(bot)
    hotspot_id = await elmer_square(bot)
    await file_urgent(bot, members.reporter, hotspot_id=hotspot_id)
    await drain(bot)

    for chat_id in ALERTED:
        sent = bot.api.sent_to(chat_id)
        [pin] = pins(bot, chat_id)
        copy = alert_copy(bot, chat_id)
        assert sent.index(copy) < sent.index(pin), chat_id  # the text (and buttons) first
        assert pin.venue == {
            "latitude": ELMER[0],
            "longitude": ELMER[1],
            "title": "Elmer Square",
            "address": "Urgent incident R-0001",
        }
        assert "📍 Elmer Square" in copy.plain  # the place in words, always
    for person in (OUTREACH, REPORTER):
        assert pins(bot, person.telegram_id) == []


async def test_a_shared_location_is_pinned_and_a_place_in_words_alone_is_not(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)  # "Elmer Square, by the fountain": words only
    await file_urgent(bot, members.reporter, point=(51.5080, -0.1260), description="Second")
    await drain(bot)

    [pin] = pins(bot, OFFICER.telegram_id)
    assert pin.venue is not None and pin.venue["address"] == "Urgent incident R-0002"
    assert (pin.venue["latitude"], pin.venue["longitude"]) == (51.5080, -0.1260)


async def test_members_on_duty_near_the_place_are_marked_nearest(bot: BotHarness) -> None:
    members = await team(bot)
    hotspot_id = await elmer_square(bot)
    duty = bot.store.duty
    for person, (lat, lon) in (
        (OFFICER, (51.50740, -0.12760)),  # ~22 m north of the square
        (WARDEN, (51.52500, -0.12760)),  # ~2 km away
    ):
        member = await bot.store.members.by_telegram_id(person.telegram_id)
        assert member is not None
        session = await duty.current(member.id or 0)
        assert session is not None
        await duty.set_location(session.id or 0, member.id or 0, lat, lon)

    await file_urgent(bot, members.reporter, hotspot_id=hotspot_id)
    await drain(bot)

    assert "You are among the nearest on duty (about 20 m)" in (
        alert_copy(bot, OFFICER.telegram_id).plain
    )
    for chat_id in ALERTED:
        if chat_id != OFFICER.telegram_id:
            assert "nearest" not in alert_copy(bot, chat_id).plain, chat_id


async def test_only_a_fresh_location_makes_someone_nearest(bot: BotHarness) -> None:
    """The location shared with /on ages like any other: after the freshness setting, it
    no longer says where they are; a live location keeps it fresh."""
    members = await team(bot)
    hotspot_id = await elmer_square(bot)
    duty = bot.store.duty
    for person in (OFFICER, WARDEN):
        member = await bot.store.members.by_telegram_id(person.telegram_id)
        assert member is not None
        session = await duty.current(member.id or 0)
        assert session is not None
        await duty.set_location(session.id or 0, member.id or 0, 51.50740, -0.12760)
    bot.clock.advance(minutes=bot.settings.own_location_fresh_minutes + 1)
    warden = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    assert warden is not None
    assert await duty.set_live_location(warden.id or 0, 51.50730, -0.12760)  # a live tick

    await file_urgent(bot, members.reporter, hotspot_id=hotspot_id)
    await drain(bot)

    assert "nearest" not in alert_copy(bot, OFFICER.telegram_id).plain  # too old
    assert "You are among the nearest on duty" in alert_copy(bot, WARDEN.telegram_id).plain


# ---- whoever attends can read the report ---------------------------------------------------
async def test_whoever_attends_can_show_the_report(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)

    await bot.tg.send(WARDEN, "/show R-0001")
    assert bot.last(WARDEN).plain == incidents_texts.ONLY_OWN_TO_SEE

    await bot.tg.press(WARDEN, alert_copy(bot, WARDEN.telegram_id), "Attending")
    await bot.tg.send(WARDEN, "/show R-0001")
    shown = bot.last(WARDEN).plain
    assert "R-0001" in shown and "Two men, one showing a knife" in shown
    assert "attending: Wendy Warden" in shown

    await bot.tg.send(OFFICER, "/show R-0001")  # alerted, but not attending
    assert bot.last(OFFICER).plain == incidents_texts.ONLY_OWN_TO_SEE


# ---- what a copy says, and whose name ------------------------------------------------------
# The first step of the ladder: the group and the coordinators (the admin is one too).
ESCALATED_TO = (COORDINATORS_CHAT, ADMIN.telegram_id, COORDINATOR.telegram_id)


async def test_a_sensitive_category_never_puts_its_description_in_an_alert(
    bot: BotHarness,
) -> None:
    """Group copy, on-duty broadcast, escalation and the pressed copy: category, place,
    time and reference, and where to read the rest; /show gives it to those allowed."""
    members = await team(bot)
    safeguarding = await bot.store.categories.by_slug("safeguarding")
    assert safeguarding is not None and safeguarding.sensitive
    secret = "Girl about 13 <Amy> getting into a car with two older men"
    await bot.store.reports.file(
        ReportIn(
            category_id=safeguarding.id or 0,
            place_text="Bus station",
            description=secret,
            urgent=True,
        ),
        reporter=members.reporter,
        group_chat_id=bot.settings.coordinators_chat_id,
    )
    await drain(bot)
    bot.clock.advance(minutes=5)
    assert await escalate_overdue(bot.app.services) == 1
    await drain(bot)
    first_copy = delivered(bot, COORDINATORS_CHAT)[0]
    await bot.tg.press(COORDINATOR, first_copy, "Acknowledge")
    await bot.tg.press(OFFICER, alert_copy(bot, OFFICER.telegram_id), "Attending")
    await drain(bot)

    copies = [m for chat in {*ALERTED, *ESCALATED_TO} for m in delivered(bot, chat)]
    assert len(copies) == len(ALERTED) + len(ESCALATED_TO)
    for copy in copies:
        assert "Safeguarding concern · R-0001" in copy.plain and "Bus station" in copy.plain
        assert "🔒 Details: /show R-0001" in copy.plain
        assert "Amy" not in copy.plain and "older men" not in copy.plain
    # A safeguarding report's details are for the leads and admins (and its reporter): a
    # coordinator who is no lead reads category, place and time only (issue 13).
    await bot.tg.send(COORDINATOR, "/show R-0001")
    assert "Amy" not in bot.last(COORDINATOR).plain
    await bot.tg.send(ADMIN, "/show R-0001")
    assert "Amy" in bot.last(ADMIN).plain


async def test_attending_and_acknowledged_by_are_names_they_joined_with_not_telegram_s(
    bot: BotHarness,
) -> None:
    """A display name anyone can change in Telegram must not let a member pass for another
    on an alert; the name is the one stored when they joined, or as an admin set it."""
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    await drain(bot)
    posing_officer = Person(OFFICER.telegram_id, "Cora", "Coordinator", username="cora_c")
    posing_coordinator = Person(COORDINATOR.telegram_id, "Alex", "Admin")

    await bot.tg.press(posing_officer, alert_copy(bot, OFFICER.telegram_id), "Attending")
    await bot.tg.press(posing_coordinator, alert_copy(bot, COORDINATOR.telegram_id), "Acknowledge")
    await drain(bot)

    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id).plain
        assert "Acknowledged by Cora Coordinator at 21:00" in copy and "by Alex" not in copy
        assert "Attending: Olly Officer" in copy and "Attending: Cora" not in copy
    stored = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert stored is not None and stored.name == "Olly Officer"
    assert stored.username == "cora_c"  # the @username is kept up to date (/audit finds it)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    renamed = await bot.store.members.rename(stored.id or 0, "  PC  Olly   Owens ", by=admin)
    assert renamed is not None and renamed.name == "PC Olly Owens"
    [entry] = await bot.store.audit.recent(action_prefix="member.renamed")
    assert entry.actor_id == admin.id and entry.subject_member_id == stored.id
