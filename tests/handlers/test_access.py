"""Joining, approval, invites and the access gate, through the real Application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select as select_rows
from sqlmodel import SQLModel, select

from bot.domain.access.roles import Role, Status
from bot.offline.chat import Person, group_chat
from bot.texts import access as access_texts
from bot.texts.alerts import ALERT_UNKNOWN
from bot.texts.common import NOT_A_MEMBER
from storage.models import AuditEntry, Member
from tests.support.harness import ADMIN, COORDINATORS_CHAT, STRANGER, BotHarness, make_settings

OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
PATROL_COMMANDS = [
    "help", "report", "drafts", "mine", "update", "show", "roughsleeper", "cctv", "on", "off",
    "duty", "sos",
]  # fmt: skip


async def audit_actions(bot: BotHarness) -> list[str]:
    return [e.action for e in reversed(await bot.store.audit.recent(limit=100))]


async def test_stranger_start_creates_pending_request_and_tells_admins(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, "/start")

    assert "gone to the admins" in bot.last(STRANGER).plain
    member = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert member is not None and member.status is Status.PENDING
    request = bot.last(ADMIN)
    assert "Sam Stranger" in request.plain and "@sam_s" in request.plain
    labels = [b["text"] for b in request.inline_buttons]
    assert labels == [
        "Approve as officer",
        "Approve as warden",
        "Approve as outreach",
        "Approve as coordinator",
        "Approve as cctv",
        "Reject",
    ]


@pytest.mark.pg_smoke
async def test_admin_approves_request_and_applicant_gets_role_menu(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, "/start")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Approve as warden")

    member = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert member is not None and member.status is Status.ACTIVE and member.role is Role.WARDEN
    assert "approved as Street warden by Alex Admin" in bot.last(ADMIN).plain
    assert bot.last(ADMIN).inline_buttons == []
    assert "You're in as Street warden" in bot.last(STRANGER).plain
    assert bot.api.commands_for_chat(STRANGER.telegram_id) == PATROL_COMMANDS
    assert "member.approved" in await audit_actions(bot)


async def test_second_admin_pressing_a_decided_request_changes_nothing(bot: BotHarness) -> None:
    second = Person(1002, "Bea", "Admin")
    await bot.member(second, Role.COORDINATOR, admin=True)
    await bot.tg.send(STRANGER, "/start")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Reject")
    await bot.tg.press(second, bot.last(second), "Approve as coordinator")

    member = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert member is not None and member.status is Status.REJECTED
    assert "already decided: now rejected" in bot.api.callback_answers()[-1]["text"]
    assert "not approved" in bot.last(STRANGER).plain
    assert (await audit_actions(bot)).count("member.rejected") == 1


async def test_pending_and_rejected_people_get_only_the_fixed_reply(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, "/start")
    await bot.tg.send(STRANGER, "/invite officer")
    assert bot.last(STRANGER).plain == NOT_A_MEMBER
    await bot.tg.send(STRANGER, "/start")
    assert "still with the admins" in bot.last(STRANGER).plain
    await bot.tg.press(ADMIN, bot.api.sent_to(ADMIN.telegram_id)[0], "Reject")
    await bot.tg.send(STRANGER, "hello")
    assert bot.last(STRANGER).plain == NOT_A_MEMBER
    await bot.tg.send(STRANGER, "/start")
    assert "was declined" in bot.last(STRANGER).plain
    # Only one request ever reached the admins.
    requests = [m for m in bot.api.sent_to(ADMIN.telegram_id) if "Access request" in m.plain]
    assert len(requests) == 1


async def test_stranger_button_press_is_refused(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, "/start")
    request = bot.last(ADMIN)
    await bot.tg.press(STRANGER, request, "Approve as coordinator")
    assert bot.api.callback_answers()[-1]["text"] == NOT_A_MEMBER
    member = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert member is not None and member.status is Status.PENDING


@pytest.mark.pg_smoke
async def test_admin_invites_officer_who_joins_and_sees_only_officer_commands(
    bot: BotHarness,
) -> None:
    await bot.tg.send(ADMIN, "/invite officer")
    reply = bot.last(ADMIN).plain
    assert "Invite to join as Police officer" in reply
    link = next(w for w in reply.split() if w.startswith("https://t.me/"))
    assert link.startswith("https://t.me/tcag_local_bot?start=")
    code = link.split("start=")[1]

    await bot.tg.send(OFFICER, f"/start {code}")
    assert "You're in as Police officer" in bot.last(OFFICER).plain
    assert "Olly Officer joined as Police officer" in bot.last(ADMIN).plain
    assert bot.api.commands_for_chat(OFFICER.telegram_id) == PATROL_COMMANDS

    await bot.tg.send(OFFICER, "/help")
    help_text = bot.last(OFFICER).plain
    assert "/help" in help_text and "/invite" not in help_text and "/members" not in help_text
    await bot.tg.send(OFFICER, "/members")
    assert "not available for your role" in bot.last(OFFICER).plain
    assert "invite.used" in await audit_actions(bot)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("used", "already been used"),
        ("expired", "has expired"),
        ("forged", "isn't valid"),
        ("garbage", "isn't valid"),
    ],
)
async def test_bad_invite_codes_activate_nothing(
    bot: BotHarness, setup: str, expected: str
) -> None:
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    code, _ = await bot.store.invites.create(Role.WARDEN, by=admin, ttl=timedelta(hours=48))
    if setup == "used":
        await bot.tg.send(WARDEN, f"/start {code}")
    elif setup == "expired":
        bot.clock.advance(hours=48, seconds=1)
    elif setup == "forged":
        code = code[:-3] + ("aaa" if not code.endswith("aaa") else "bbb")
    else:
        code = "<script>&x"

    await bot.tg.send(STRANGER, f"/start {code}")
    assert expected in bot.last(STRANGER).plain
    assert await bot.store.members.by_telegram_id(STRANGER.telegram_id) is None


async def test_member_using_an_invite_leaves_it_unused(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    code, _ = await bot.store.invites.create(Role.COORDINATOR, by=admin, ttl=timedelta(hours=1))
    await bot.tg.send(OFFICER, f"/start {code}")
    assert "already a member" in bot.last(OFFICER).plain
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.role is Role.OFFICER
    await bot.tg.send(WARDEN, f"/start {code}")
    joined = await bot.store.members.by_telegram_id(WARDEN.telegram_id)
    assert joined is not None and joined.role is Role.COORDINATOR


async def test_coordinator_may_invite_patrol_roles_only(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/invite coordinator")
    assert "can't invite a coordinator" in bot.last(coordinator).plain
    await bot.tg.send(coordinator, "/invite boss")
    assert "don't know the role" in bot.last(coordinator).plain
    await bot.tg.send(coordinator, "/invite")
    labels = [b["text"] for b in bot.last(coordinator).inline_buttons]
    assert labels == ["Police officer", "Street warden"]  # outreach: from admins only
    await bot.tg.press(coordinator, bot.last(coordinator), "Street warden")
    assert "Invite to join as Street warden" in bot.last(coordinator).plain
    assert "https://t.me/" in bot.last(coordinator).plain
    await bot.tg.send(coordinator, "/invite outreach")
    assert "You can't invite a outreach" in bot.last(coordinator).plain


async def test_coordinator_forged_invite_button_for_coordinator_is_refused(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/invite")
    await bot.tg.press_data(coordinator, bot.last(coordinator), "inv:new:coordinator")
    assert "can't invite a coordinator" in bot.last(coordinator).plain


async def test_suspended_member_is_refused_then_reinstated(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(ADMIN, "/members")
    listing = bot.last(ADMIN)
    await bot.tg.press(ADMIN, listing, "Olly Officer")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Suspend")
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.status is Status.SUSPENDED
    assert "suspended by an admin" in bot.last(OFFICER).plain

    await bot.tg.send(OFFICER, "/help")
    assert bot.last(OFFICER).plain == NOT_A_MEMBER
    await bot.tg.send(OFFICER, "/start")
    assert "suspended" in bot.last(OFFICER).plain
    assert bot.api.commands_for_chat(OFFICER.telegram_id) == ["start"]

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Reinstate")
    await bot.tg.send(OFFICER, "/help")
    assert "What you can use" in bot.last(OFFICER).plain
    actions = await audit_actions(bot)
    assert "member.suspended" in actions and "member.reinstated" in actions


async def test_admin_changes_role_and_menu_follows(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(ADMIN, "/members")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Olly Officer")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Change role")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Coordinator")
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.role is Role.COORDINATOR
    assert "Your role is now Coordinator" in bot.last(OFFICER).plain
    assert "invite" in bot.api.commands_for_chat(OFFICER.telegram_id)
    assert "Role: Coordinator" in bot.last(ADMIN).plain


async def test_admin_cannot_suspend_self(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/members")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Alex Admin")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Suspend")
    assert "can't suspend yourself" in bot.api.callback_answers()[-1]["text"]
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None and admin.status is Status.ACTIVE


@pytest.mark.app
async def test_settings_admin_is_made_admin_on_first_message(store, clock) -> None:
    harness = BotHarness(store, clock, make_settings(TCAG_ADMIN_IDS="4242, 4343"))
    await harness.start()
    boss = Person(4242, "Bo", "Boss")
    await harness.tg.send(boss, "/start")
    member = await store.members.by_telegram_id(4242)
    assert member is not None and member.is_admin and member.status is Status.ACTIVE
    assert "Members" in [b["text"].split(" ", 1)[1] for b in harness.last(boss).inline_buttons]
    await harness.stop()


async def test_other_groups_are_ignored_and_coordinators_group_keeps_private_data_out(
    bot: BotHarness,
) -> None:
    before = len(bot.api.calls)
    await bot.tg.send(STRANGER, "/start", chat=group_chat(-999))
    await bot.tg.send(ADMIN, "/members", chat=group_chat(-999))
    assert bot.api.calls[before:] == []

    await bot.tg.send(ADMIN, "/members", chat=group_chat(COORDINATORS_CHAT))
    assert "private chat" in bot.api.last_to(COORDINATORS_CHAT).plain
    # Non-members get nothing in the group, commands included: its 20 messages a minute
    # are for the members (issue 11).
    before = len(bot.api.calls)
    for text in ("/help", "/start", "/members", "/help@tcag_local_bot", "just chatting"):
        await bot.tg.send(STRANGER, text, chat=group_chat(COORDINATORS_CHAT))
    assert bot.api.calls[before:] == []


async def test_forged_and_unknown_callbacks_are_answered_and_change_nothing(
    bot: BotHarness,
) -> None:
    await bot.tg.send(STRANGER, "/start")
    request = bot.last(ADMIN)
    for data in [
        "acc:ok:999999:officer",
        "acc:ok:abc:officer",
        "acc:ok:1:king",
        "zzz:1",
        "x" * 80,
        "",
    ]:
        await bot.tg.press_data(ADMIN, request, data)
    answers = [a.get("text", "") for a in bot.api.callback_answers()]
    assert len(answers) == 6 and all(answers)
    member = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert member is not None and member.status is Status.PENDING


async def test_unknown_command_and_edits_get_clear_replies(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/frobnicate")
    assert "don't know that command" in bot.last(ADMIN).plain
    await bot.tg.edit(ADMIN, "/members")
    assert "edited messages" in bot.last(ADMIN).plain


async def test_audit_rows_name_who_and_whom(bot: BotHarness) -> None:
    await bot.tg.send(STRANGER, "/start")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Approve as officer")
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    sam = await bot.store.members.by_telegram_id(STRANGER.telegram_id)
    assert admin is not None and sam is not None
    rows = await bot.store.audit.recent(action_prefix="member.approved")
    assert [(r.actor_id, r.subject_member_id, r.detail) for r in rows] == [
        (admin.id, sam.id, "officer")
    ]
    assert rows[0].at == bot.clock.now()
    _ = (AuditEntry, Member, select)


async def test_live_location_updates_are_ignored_silently(bot: BotHarness) -> None:
    message = bot.tg.message(ADMIN, location={"latitude": 52.6, "longitude": -1.1})
    message["edit_date"] = message["date"]
    before = len(bot.api.calls)
    await bot.tg.process({"edited_message": message})
    assert bot.api.calls[before:] == []


# ---- issue 11: strangers leave nothing; nobody can stall the bot -----------------------------
async def test_strangers_leave_nothing_in_memory_or_the_database(bot: BotHarness) -> None:
    """Beyond the access request they asked for: no user or chat data, no draft row."""
    app, persistence = bot.app, bot.app.persistence
    assert persistence is not None
    before = await table_rows(bot)
    for text in ("hello", "/help", "/report", "3 lads drinking by the fountain"):
        await bot.tg.send(STRANGER, text)
    await bot.tg.share_location(STRANGER, 51.5, -0.12)
    await bot.tg.send(STRANGER, "/help", chat=group_chat(COORDINATORS_CHAT))
    await bot.tg.press_data(STRANGER, await menu_message(bot, STRANGER), "menu:help")
    await app.update_persistence()

    assert STRANGER.telegram_id not in app.user_data
    assert STRANGER.telegram_id not in app.chat_data
    assert STRANGER.telegram_id not in persistence._stored  # type: ignore[attr-defined]
    assert await table_rows(bot) == before  # nothing written, not even a draft

    await bot.tg.send(STRANGER, "/start")  # asking for access is the one thing kept
    await app.update_persistence()
    after = await table_rows(bot)
    assert len(after["members"]) == len(before["members"]) + 1
    assert after["bot_state"] == before["bot_state"]
    assert STRANGER.telegram_id not in app.user_data


async def test_a_member_over_the_rate_is_told_once_then_ignored_until_the_minute_ends(
    store, clock
) -> None:  # type: ignore[no-untyped-def]
    harness = BotHarness(store, clock, make_settings(TCAG_MEMBER_UPDATES_PER_MINUTE="5"))
    await harness.start()
    try:
        await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
        await harness.member(OFFICER, Role.OFFICER)
        clock.advance(minutes=1)  # joining took some of the minute's updates
        for _ in range(5):
            await harness.tg.send(OFFICER, "/help")
        assert "What you can use" in harness.last(OFFICER).plain
        notice = await harness.tg.send(OFFICER, "/help")
        assert [c.method for c in notice] == ["sendMessage"]
        assert "faster than I can keep up with" in harness.last(OFFICER).plain
        assert "until 21:02" in harness.last(OFFICER).plain  # the minute from the first update
        for text in ("/help", "/mine", "hello"):
            assert await harness.tg.send(OFFICER, text) == []  # silence, nothing handled
        # An alert button is never held back.
        press = await harness.tg.press_data(
            OFFICER, await menu_message(harness, OFFICER), "inc:ack:999"
        )
        assert [c.method for c in press] == ["answerCallbackQuery"]
        assert press[0].params.get("text") == ALERT_UNKNOWN  # the alert handler answered it
        clock.advance(minutes=1)
        await harness.tg.send(OFFICER, "/help")
        assert "What you can use" in harness.last(OFFICER).plain
        # Another member was never held up.
        await harness.tg.send(ADMIN, "/help")
        assert "What you can use" in harness.last(ADMIN).plain
    finally:
        await harness.stop()


async def table_rows(bot: BotHarness) -> dict[str, list[tuple[object, ...]]]:
    snapshot: dict[str, list[tuple[object, ...]]] = {}
    async with bot.store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(select_rows(table))
            snapshot[table.name] = sorted(map(tuple, result.all()), key=repr)
    return snapshot


async def menu_message(bot: BotHarness, person: Person):  # type: ignore[no-untyped-def]
    """A message of the bot's in the person's chat, to press a button on."""
    await bot.app.bot.send_message(person.telegram_id, "Menu")
    return bot.last(person)


async def test_invites_lists_open_ones_and_withdraws_one(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/invites")
    assert "You have no open invites" in bot.last(coordinator).plain
    await bot.tg.send(coordinator, "/invite officer")
    link = bot.last(coordinator).plain.split("start=")[1].split()[0]
    await bot.tg.send(coordinator, "/invite warden")

    await bot.tg.send(coordinator, "/invites")
    listing = bot.last(coordinator)
    assert "1. Street warden" in listing.plain and "2. Police officer" in listing.plain
    assert [b["text"] for b in listing.inline_buttons] == [
        "Withdraw 1: Street warden",
        "Withdraw 2: Police officer",
    ]
    withdraw = listing.button("Withdraw 2: Police officer")["callback_data"]
    await bot.tg.press_data(coordinator, listing, withdraw)
    shown = bot.last(coordinator)
    assert "Withdrawn: the Police officer invite no longer works." in shown.plain
    assert [b["text"] for b in shown.inline_buttons] == ["Withdraw 1: Street warden"]
    await bot.tg.press_data(coordinator, listing, withdraw)  # again: an old button
    assert bot.api.callback_answers()[-1]["text"] == access_texts.INVITE_NOT_OPEN

    await bot.tg.send(OFFICER, f"/start {link}")
    assert bot.last(OFFICER).plain == access_texts.INVITE_REVOKED
    assert await bot.store.members.by_telegram_id(OFFICER.telegram_id) is None
    [entry] = await bot.store.audit.recent(action_prefix="invite.revoked")
    assert entry.subject is not None and entry.subject.startswith("invite:")


async def test_a_link_from_an_inviter_since_suspended_opens_nothing(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/invite warden")
    link = bot.last(coordinator).plain.split("start=")[1].split()[0]
    cat = await bot.store.members.by_telegram_id(coordinator.telegram_id)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert cat is not None and admin is not None
    await bot.store.members.suspend(cat.id or 0, by=admin)

    await bot.tg.send(WARDEN, f"/start {link}")

    assert bot.last(WARDEN).plain == access_texts.INVITE_WITHDRAWN
    assert await bot.store.members.by_telegram_id(WARDEN.telegram_id) is None


async def test_at_most_twenty_open_invites_each(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    for _ in range(20):
        await bot.tg.send(coordinator, "/invite officer")
        assert "Invite to join as Police officer" in bot.last(coordinator).plain
    await bot.tg.send(coordinator, "/invite officer")
    assert bot.last(coordinator).plain == access_texts.too_many_open_invites(20)


async def test_an_admin_renames_a_member_and_a_telegram_name_changes_nothing(
    bot: BotHarness,
) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(Person(OFFICER.telegram_id, "Someone", "Else"), "/help")
    joined = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert joined is not None and joined.name == "Olly Officer"
    await bot.tg.send(ADMIN, "/members")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Olly Officer")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "✏️ Rename")
    assert bot.last(ADMIN).plain == access_texts.MEMBER_ASK_NAME
    await bot.tg.send(ADMIN, "   ")
    assert "Please try again" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "PC  Olly Owens")
    assert (
        "Renamed: colleagues now see PC Olly Owens." in bot.api.sent_to(ADMIN.telegram_id)[-2].plain
    )
    assert bot.last(ADMIN).plain.startswith("PC Olly Owens")  # the card again
    member = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    assert member is not None and member.name == "PC Olly Owens"
    assert "member.renamed" in await audit_actions(bot)
