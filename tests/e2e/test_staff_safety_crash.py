"""Staff safety survives a crash: `tcag run` killed with SIGKILL between a lone worker's due
check-in and its alert reaching the coordinators' group; started again, the missed
check-in's alert goes out once, each stage claimed once in the schedule ledger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.domain.alerts.outbox_types import SAFETY, OutboxStatus
from bot.domain.alerts.staff_safety import CHECKIN_KIND
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI
from bot.offline.chat import Person
from bot.offline.http_server import LocalServer, start_local_server
from storage.models import ScheduledRun
from storage.safety.models import CheckInSession
from storage.store import Store
from tests.support.databases import TestDatabases
from tests.support.e2e import (
    ELMER,
    Chat,
    Database,
    bot_env,
    eventually,
    no_traceback,
    seed,
    sigkill,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot

pytestmark = pytest.mark.e2e

LEASE_SECONDS = 5
WARDEN = Person(2003, "Wendy", "Warden")
MISSED = "Missed check-in"


class HoldingAPI(LocalBotAPI):
    """Holds the first message to one chat open, unanswered: a send caught in mid-flight
    (abandoned, never stored, when the killed client's connection closes)."""

    def __init__(self, chat_id: int) -> None:
        super().__init__()
        self._hold: int | None = chat_id
        self.holding = asyncio.Event()

    async def call(
        self, method: str, params: dict[str, object], files: dict[str, bytes] | None = None
    ) -> object:
        held = self._hold is not None and str(params.get("chat_id")) == str(self._hold)
        if method == "sendMessage" and held:
            self._hold = None
            self.holding.set()
            await asyncio.sleep(60)  # cancelled when the killed client's socket closes
        return await super().call(method, params, files)


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(HoldingAPI(COORDINATORS_CHAT), token=TOKEN)
    yield local
    await local.stop()


@pytest.fixture
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, databases: TestDatabases
) -> AsyncIterator[str]:
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/safety.db"
        return
    async with databases.empty_postgres() as url:
        yield url


async def a_check_in_just_missed(database_url: str) -> None:
    """The warden works alone; their check-in was asked 11 minutes ago and never answered:
    the reminder is overdue and the first alert fell due a minute ago."""
    await seed(database_url, members=[WARDEN], on_duty=[ADMIN, WARDEN])
    store = Store.from_url(database_url, SystemClock())
    try:
        warden = await store.members.by_telegram_id(WARDEN.telegram_id)
        assert warden is not None
        duty = await store.duty.current(warden.id or 0)
        assert duty is not None
        await store.duty.set_location(duty.id or 0, warden.id or 0, *ELMER)
        session = await store.checkins.start(warden.id or 0, duty.id or 0, 30)
        now = SystemClock().now().replace(microsecond=0)
        async with store.engine.begin() as connection:
            await connection.execute(
                update(CheckInSession)
                .where(CheckInSession.id == session.id)  # type: ignore[arg-type]
                .values(
                    last_seen_at=now - timedelta(minutes=41),
                    asked_at=now - timedelta(minutes=11),
                )
            )
    finally:
        await store.close()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_sigkill_between_a_due_check_in_and_its_alert_sends_it_once(
    server: LocalServer, database_url: str, tmp_path: Path
) -> None:
    api = server.api
    assert isinstance(api, HoldingAPI)
    await a_check_in_just_missed(database_url)
    env = bot_env(server, database_url, TCAG_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS))
    chat = Chat(api)
    database = Database(database_url)
    first = await RunningBot.start(tmp_path, env)
    second: RunningBot | None = None
    try:
        # At start the job claims the alert (the ledger row and its outbox rows, together);
        # the group's copy is caught on its way and the process dies.
        await first.wait_for(api.holding.is_set, "before sending the missed check-in's alert")
        await sigkill(first, server)
        assert chat.saying(COORDINATORS_CHAT, MISSED) == []
        # The admin's copy may have gone already: once more only if it went unmarked (the
        # one case a SIGKILL can cost, by design: at least once, never lost).
        admin_before = len(chat.saying(ADMIN.telegram_id, MISSED))
        marked = {
            r.chat_id
            for r in await database.outbox()
            if r.purpose == SAFETY and r.status is OutboxStatus.SENT
        }
        admin_expected = admin_before + (0 if ADMIN.telegram_id in marked else 1)

        second = await RunningBot.start(tmp_path, env)
        rows = await eventually(second, database.drained, "before the alert went out")

        [group_copy] = chat.saying(COORDINATORS_CHAT, MISSED)
        assert group_copy.plain.startswith("⚠️ Missed check-in: Wendy Warden")
        assert "Last sign of life" in group_copy.plain
        assert [m.kind for m in api.sent_to(COORDINATORS_CHAT)] == ["text", "location"]
        assert len(chat.saying(ADMIN.telegram_id, MISSED)) == admin_expected  # a coordinator
        assert chat.saying(WARDEN.telegram_id, MISSED) == []
        copies = [r for r in rows if r.purpose == SAFETY]
        assert sorted(r.chat_id for r in copies) == sorted([COORDINATORS_CHAT, ADMIN.telegram_id])
        assert all(r.status is OutboxStatus.SENT for r in copies)
        async with database.store.engine.connect() as connection:
            claims = (
                await connection.execute(
                    select(ScheduledRun.key, ScheduledRun.status).where(
                        ScheduledRun.kind == CHECKIN_KIND  # type: ignore[arg-type]
                    )
                )
            ).all()
        # s:<session>:<round>:<stage>: the overdue reminder skipped, the alert claimed once.
        stages = sorted((key.split(":", 3)[3], status) for key, status in claims)
        assert stages == [("remind", "skipped:missed"), ("step:1", "sent")], claims
        assert await second.terminate(within=15) == 0, second.output()
        no_traceback(first, second)
    finally:
        await database.close()
        await first.close()
        if second is not None:
            await second.close()
