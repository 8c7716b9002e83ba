"""Shared by the crash, restart and Telegram-fault tests of `tcag run` as a separate process.

The process polls the local Bot API served on 127.0.0.1 (bot.local_server); these helpers
seed its database beforehand through the Store API, push what people send as updates,
read what it stored, and wait for conditions with bounded polling (never a fixed sleep).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlmodel import col, select

from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI, SentMessage
from bot.offline.chat import LocalTelegram, Person
from bot.offline.http_server import LocalServer
from storage.catalog import HotspotIn
from storage.db import session_factory
from storage.models import OutboxMessage, Report
from storage.store import Store
from tests.support.harness import ADMIN, COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot, tcag_env

T = TypeVar("T")

ELMER = (51.50720, -0.12760)
REPORTER = Person(2006, "Rita", "Reporter")
URGENT_TEXT = "Man waving a knife at Elmer Square"
ALERT_HEADING = "Urgent incident"
ACKNOWLEDGED = "Acknowledged by"


def team(count: int, first_id: int = 30_000) -> list[Person]:
    """`count` members, "Member 00" upwards, with ids no fixture uses."""
    return [Person(first_id + n, "Member", f"{n:02d}") for n in range(count)]


def bot_env(server: LocalServer, database_url: str, **settings: str) -> dict[str, str]:
    """What `tcag run` needs to talk to the local server: token, URL, database, the group."""
    return tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=database_url,
        TCAG_COORDINATORS_CHAT_ID=str(COORDINATORS_CHAT),
        **settings,
    )


async def seed(
    database_url: str,
    *,
    members: Iterable[Person] = (),
    on_duty: Iterable[Person] = (),
    admins: Iterable[Person] = (ADMIN,),
    hotspot: bool = True,
) -> None:
    """A migrated database with admins, members who joined by invite, some on duty."""
    store = Store.from_url(database_url, SystemClock())
    try:
        await store.upgrade()
        inviter = None
        for person in admins:
            admin = await store.members.ensure_admin(
                person.telegram_id, person.name, person.username
            )
            inviter = inviter or admin
        assert inviter is not None
        for person in members:
            code, _ = await store.invites.create(Role.OFFICER, by=inviter, ttl=timedelta(hours=1))
            await store.invites.redeem(
                code, telegram_id=person.telegram_id, name=person.name, username=person.username
            )
        for person in on_duty:
            member = await store.members.by_telegram_id(person.telegram_id)
            assert member is not None, person
            await store.duty.start(member.id or 0)
        if hotspot:
            await store.hotspots.upsert(
                HotspotIn(name="Elmer Square", lat=ELMER[0], lon=ELMER[1], radius_m=150)
            )
    finally:
        await store.close()


class Chat:
    """People writing to the bot: updates queued for the process's getUpdates."""

    def __init__(self, api: LocalBotAPI) -> None:
        self.api = api
        self._build = LocalTelegram(None, api)  # type: ignore[arg-type]  # builds, never runs

    def say(self, person: Person, text: str) -> None:
        self.api.push_update(self._build.text_update(person, text))

    def press(self, person: Person, sent: SentMessage, label: str) -> None:
        data = sent.button(label)["callback_data"]
        self.api.push_update(self._build.callback_update(person, sent, data))

    def with_buttons(self, person: Person, label: str) -> list[SentMessage]:
        """Messages to `person` (newest last) that have a button labelled `label`."""
        found = []
        for message in self.api.sent_to(person.telegram_id):
            try:
                message.button(label)
            except LookupError:
                continue
            found.append(message)
        return found

    def saying(self, chat_id: int, text: str) -> list[SentMessage]:
        return [m for m in self.api.sent_to(chat_id) if text in m.plain]


def is_alert(message: SentMessage) -> bool:
    """An urgent alert's copy, as sent or since edited to show who acknowledged it."""
    heading = message.plain.split("\n", 1)[0]
    return message.kind == "text" and (ALERT_HEADING in heading or ACKNOWLEDGED in heading)


def alerts(api: LocalBotAPI) -> Counter[int]:
    """How many urgent alert messages each chat received."""
    return Counter(m.chat_id for m in api.messages.values() if is_alert(m))


async def eventually(
    bot: RunningBot, check: Callable[[], Awaitable[T]], what: str, within: float = 30
) -> T:
    """Poll an async condition every 0.1 s until it is truthy; fail naming `what`."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if bot.process.returncode is not None:
            pytest.fail(f"tcag run exited {bot.process.returncode} {what}\n{bot.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {within:.0f} s {what}\n{bot.output()}")
        await asyncio.sleep(0.1)


async def sigkill(bot: RunningBot, server: LocalServer) -> None:
    """Kill the process with no chance to clean up, and let the server see it gone."""
    if bot.process.returncode is None:
        bot.process.kill()
    await killed(bot, server, within=10)


async def killed(bot: RunningBot, server: LocalServer, within: float = 30) -> None:
    """Wait for the process to die of the SIGKILL someone sent (a server listener, say)."""
    try:
        code = await asyncio.wait_for(bot.process.wait(), within)
    except TimeoutError:
        pytest.fail(f"tcag run was not killed within {within:.0f} s\n{bot.output()}")
    assert code == -9, f"exit {code} instead of SIGKILL\n{bot.output()}"
    await settle(server)


async def settle(server: LocalServer, within: float = 5) -> None:
    """Until no request of the dead process is still being answered by the server."""
    for _ in range(int(within / 0.05)):
        if not server.in_flight:
            return
        await asyncio.sleep(0.05)
    pytest.fail("the server still answers a dead process")


class Database:
    """The process's database, read from the test while the process runs or lies dead."""

    def __init__(self, url: str) -> None:
        self.store = Store.from_url(url, SystemClock())
        self._sessions = session_factory(self.store.engine)

    async def close(self) -> None:
        await self.store.close()

    async def outbox(self) -> list[OutboxMessage]:
        async with self._sessions() as session:
            query = select(OutboxMessage).order_by(col(OutboxMessage.id))
            return list((await session.exec(query)).all())

    async def reports(self) -> list[Report]:
        async with self._sessions() as session:
            return list((await session.exec(select(Report).order_by(col(Report.id)))).all())

    async def drained(self) -> list[OutboxMessage] | None:
        """Every outbox row, once none is pending any more (else None)."""
        rows = await self.outbox()
        if rows and all(r.status is not OutboxStatus.PENDING for r in rows):
            return rows
        return None


def no_traceback(*bots: RunningBot) -> None:
    for bot in bots:
        assert "Traceback" not in "".join(bot.stderr), bot.output()
