"""Telegram misbehaving while `tcag run` fans out an urgent alert and answers members.

The Bot API served on 127.0.0.1 answers with flood control (429 with retry_after), server
errors (500, 502), timeouts (a connection dropped unanswered, and one held past the
client's read timeout) and 403 for members who blocked the bot, on sends, on edits and on
getUpdates itself. Nothing may be lost and nothing may crash: the process stays up with no
traceback on stderr, polling carries on, the outbox drains to nothing pending, every
reachable member gets the alert exactly once (with its acknowledgement edited in), and each
admin is told, by name, who could not be reached.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.alerts.outbox_types import OutboxStatus
from bot.offline.bot_api import Fault, LocalBotAPI
from bot.offline.chat import Person
from bot.offline.http_server import LocalServer, start_local_server
from tests.support.e2e import (
    REPORTER,
    URGENT_TEXT,
    Chat,
    Database,
    alerts,
    bot_env,
    eventually,
    is_alert,
    no_traceback,
    seed,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot

pytestmark = pytest.mark.e2e

HELD_TIMEOUT = 6.0  # longer than PTB's 5 s read timeout: a genuine TimedOut on the client
SECOND_ADMIN = Person(1002, "Ada", "Admin")
MEMBERS = team(30, first_id=40_000)
BLOCKED = (MEMBERS[3], MEMBERS[11], MEMBERS[19])


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN, hold_timeouts=HELD_TIMEOUT)
    yield local
    await local.stop()


def fan_out_faults() -> list[Fault]:
    """What Telegram throws at the alert's fan-out and its edits, chat by chat."""
    send = "sendMessage"
    return [
        Fault(429, method=send, chat_id=COORDINATORS_CHAT, retry_after=2),  # pauses the sender
        Fault(429, method=send, chat_id=MEMBERS[5].telegram_id, retry_after=1),
        Fault(500, method=send, chat_id=MEMBERS[6].telegram_id, times=2),  # backoff 2 s, 4 s
        Fault(502, method=send, chat_id=MEMBERS[7].telegram_id),
        Fault(0, method=send, chat_id=MEMBERS[8].telegram_id),  # held: a genuine TimedOut
        Fault(500, method=send, chat_id=SECOND_ADMIN.telegram_id),
        Fault(500, method="editMessageText", chat_id=MEMBERS[10].telegram_id),
        Fault(502, method="editMessageText", chat_id=MEMBERS[12].telegram_id),
        # A member's own reply under flood control: PTB's rate limiter waits and retries.
        Fault(429, method=send, chat_id=REPORTER.telegram_id, retry_after=1),
    ]


def polling_faults() -> list[Fault]:
    return [
        Fault(500, method="getUpdates", times=2),
        Fault(0, method="getUpdates"),  # held, then dropped: NetworkError
        Fault(429, method="getUpdates", retry_after=1),
    ]


async def test_faults_while_fanning_out_lose_nothing_and_crash_nothing(
    server: LocalServer, tmp_path: Path
) -> None:
    api = server.api
    database_url = f"sqlite+aiosqlite:///{tmp_path}/faults.db"
    admins = (ADMIN, SECOND_ADMIN)
    await seed(
        database_url, members=[*MEMBERS, REPORTER], on_duty=[*admins, *MEMBERS], admins=admins
    )
    api.blocked_chats.update(m.telegram_id for m in BLOCKED)
    recipients = {COORDINATORS_CHAT} | {p.telegram_id for p in (*admins, *MEMBERS)}
    reachable = recipients - {m.telegram_id for m in BLOCKED}
    chat = Chat(api)
    database = Database(database_url)
    started = time.monotonic()
    bot = await RunningBot.start(tmp_path, bot_env(server, database_url))
    try:
        chat.say(ADMIN, "/start")
        await bot.wait_for(lambda: api.sent_to(ADMIN.telegram_id), "before the admin's menu")

        # From here on getUpdates fails too; everything below arrives through the retries.
        faults = [*polling_faults(), *fan_out_faults()]
        api.faults.extend(faults)
        chat.say(REPORTER, URGENT_TEXT)
        [proposal] = await bot.wait_for(
            lambda: chat.with_buttons(REPORTER, "Confirm"), "before proposing the report"
        )
        chat.press(REPORTER, proposal, "Confirm")
        [copy] = await bot.wait_for(
            lambda: chat.with_buttons(ADMIN, "Acknowledge"), "before alerting the admin"
        )
        # The edits' faults need copies to edit: a copy sent after the acknowledgement
        # already shows it and is never edited, so acknowledge once those chats hold theirs
        # (on a busy machine the fan-out may not have reached them yet).
        edited = {MEMBERS[10].telegram_id, MEMBERS[12].telegram_id}
        await bot.wait_for(lambda: edited <= set(alerts(api)), "before the copies to edit")
        chat.press(ADMIN, copy, "Acknowledge")  # every copy is edited to say so
        fanned_out = time.monotonic()

        rows = await eventually(bot, database.drained, "before the backlog drained", within=45)
        for admin in admins:  # each admin hears, by name, about each member not reached
            for member in BLOCKED:
                await bot.wait_for(
                    lambda admin=admin, member=member: [
                        m
                        for m in chat.saying(admin.telegram_id, "cannot be reached")
                        if member.name in m.plain
                    ],
                    f"before telling admin {admin.telegram_id} about {member.telegram_id}",
                )
        rows = await database.outbox()
        drained = time.monotonic()

        assert bot.process.returncode is None, bot.output()  # still up
        assert [f for f in faults if f.times > 0] == []  # every fault was met
        assert (await database.store.outbox.backlog()).pending == 0

        received = alerts(api)
        assert {chat_id: received[chat_id] for chat_id in recipients} == {
            chat_id: 1 if chat_id in reachable else 0 for chat_id in recipients
        }
        for message in api.messages.values():
            if is_alert(message):
                assert message.plain.startswith("✅ Acknowledged by Alex Admin"), message.chat_id

        by_purpose: dict[str, list[OutboxStatus]] = {}
        for row in rows:
            by_purpose.setdefault(row.purpose, []).append(row.status)
        assert sorted(by_purpose["alert"]) == sorted(
            [OutboxStatus.SENT] * len(reachable) + [OutboxStatus.UNDELIVERABLE] * len(BLOCKED)
        )
        assert set(by_purpose["alert_edit"]) == {OutboxStatus.SENT}
        notices = [r for r in rows if r.purpose == "notice"]
        to_admins = [r.status for r in notices if r.chat_id != REPORTER.telegram_id]
        assert to_admins == [OutboxStatus.SENT] * len(admins) * len(BLOCKED)
        # The reporter is told of the acknowledgement, once.
        to_reporter = [r.status for r in notices if r.chat_id == REPORTER.telegram_id]
        assert to_reporter == [OutboxStatus.SENT]
        for admin in admins:
            notices = chat.saying(admin.telegram_id, "cannot be reached")
            for member in BLOCKED:  # once each
                assert len([n for n in notices if member.name in n.plain]) == 1, member
            assert len(notices) == len(BLOCKED)
        assert chat.saying(REPORTER.telegram_id, "Report R-0001 stored")

        # Still answering after all that, and a clean stop.
        chat.say(MEMBERS[0], "/start")
        await bot.wait_for(lambda: api.sent_to(MEMBERS[0].telegram_id)[1:], "before answering")
        assert await bot.terminate(within=15) == 0, bot.output()
        no_traceback(bot)
        print(
            f"\nstart→fan-out {fanned_out - started:.1f} s, fan-out→drained "
            f"{drained - fanned_out:.1f} s, {len(rows)} outbox rows"
        )
    finally:
        await database.close()
        await bot.close()
