"""Crash and restart: `tcag run` killed with SIGKILL mid-work, started again, and nothing lost.

Each test runs the real process against the Bot API served on 127.0.0.1, kills it at a
chosen moment (from the server's side, so the moment is exact: an alert just delivered, a
digest's photo on its way, a report half answered), starts it again on the same database and
checks what people received.

What a SIGKILL can cost, by design:
- a message delivered but not yet marked sent in the outbox goes out a second time after a
  restart (at least once, never lost); everything else goes out exactly once. The killed
  process's claimed rows wait TCAG_OUTBOX_LEASE_SECONDS (5 s here) before they are sent;
- report drafts are flushed to the database every DEFAULT_UPDATE_INTERVAL (2 s): answers
  given in the last couple of seconds before the kill are lost and asked for again. The
  report test waits until the draft is stored before killing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import SystemClock
from bot.domain.reports.report_draft import DRAFT_KEY, Step
from bot.domain.reports.report_draft import REPORT_CONVERSATION as CONVERSATION_NAME
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.offline.bot_api import ApiCall, LocalBotAPI, SentMessage
from bot.offline.chat import Person
from bot.offline.http_server import LocalServer, start_local_server
from storage.state.persistence import CONVERSATION, DEFAULT_UPDATE_INTERVAL, USER_DATA
from storage.store import Store
from tests.support.databases import TestDatabases
from tests.support.e2e import (
    REPORTER,
    URGENT_TEXT,
    Chat,
    Database,
    alerts,
    bot_env,
    eventually,
    killed,
    no_traceback,
    seed,
    sigkill,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT
from tests.support.process import TOKEN, RunningBot

pytestmark = pytest.mark.e2e

LEASE_SECONDS = 5
LONDON = ZoneInfo("Europe/London")


class HoldingAPI(LocalBotAPI):
    """Holds one chosen call open without answering it: a send caught in mid-flight.

    `hold(method, chat_id)` arms it; `holding` is set when the call arrives. The held call
    is abandoned when the client's connection closes (the server cancels it), so the
    message is never stored.
    """

    def __init__(self) -> None:
        super().__init__()
        self._hold: tuple[str, int] | None = None
        self.holding = asyncio.Event()

    def hold(self, method: str, chat_id: int) -> None:
        self._hold = (method, chat_id)

    async def call(
        self, method: str, params: dict[str, object], files: dict[str, bytes] | None = None
    ) -> object:
        if self._hold is not None and self._hold == (method, _chat_id(params)):
            self._hold = None
            self.holding.set()
            await asyncio.sleep(60)  # cancelled as soon as the killed client's socket closes
        return await super().call(method, params, files)


def _chat_id(params: dict[str, object]) -> int | None:
    value = params.get("chat_id")
    return int(value) if isinstance(value, int | str) and str(value).lstrip("-").isdigit() else None


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(HoldingAPI(), token=TOKEN)
    yield local
    await local.stop()


@pytest.fixture
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, databases: TestDatabases
) -> AsyncIterator[str]:
    """An SQLite file, or (parametrized "postgresql") a new PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/crash.db"
        return
    async with databases.empty_postgres() as url:
        yield url


# ---- (a) killed in the middle of an urgent alert's fan-out ------------------------------
MEMBERS = team(60)
BLOCKED = MEMBERS[45]  # blocked the bot: their alert is undeliverable, the admin is told
KILL_AT = 20  # the process dies the instant the 20th alert copy has been delivered


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_sigkill_during_an_alert_fan_out_then_restart_delivers_every_alert(
    server: LocalServer, database_url: str, tmp_path: Path
) -> None:
    api = server.api
    api.latency = 0.02
    api.blocked_chats.add(BLOCKED.telegram_id)
    await seed(database_url, members=[*MEMBERS, REPORTER], on_duty=[ADMIN, *MEMBERS], hotspot=True)
    recipients = {COORDINATORS_CHAT, ADMIN.telegram_id} | {m.telegram_id for m in MEMBERS}
    env = bot_env(
        server,
        database_url,
        # 10 a second: the fan-out of 62 takes about six seconds, time to be killed in.
        TCAG_OUTBOX_RATE_PER_SECOND="10",
        TCAG_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
    )
    chat = Chat(api)
    database = Database(database_url)
    first = await RunningBot.start(tmp_path, env)
    second: RunningBot | None = None
    try:
        chat.say(REPORTER, URGENT_TEXT)  # a quick report: proposed as "Weapon seen", urgent
        [proposal] = await first.wait_for(
            lambda: chat.with_buttons(REPORTER, "Confirm"), "before proposing the report"
        )
        assert "Weapon seen" in proposal.plain and "Elmer Square" in proposal.plain

        def kill_mid_fan_out(call: ApiCall, message: SentMessage | None) -> None:
            # Runs in the server the moment a message is stored, before the answer leaves:
            # this copy is delivered and will never be marked sent by this process.
            if message is not None and sum(alerts(api).values()) == KILL_AT:
                first.process.kill()

        api.listeners.append(kill_mid_fan_out)
        chat.press(REPORTER, proposal, "Confirm")
        await killed(first, server)
        api.listeners.remove(kill_mid_fan_out)

        delivered = alerts(api)
        rows = [r for r in await database.outbox() if r.purpose == "alert"]
        marked = {r.chat_id for r in rows if r.status is OutboxStatus.SENT}
        in_between = {chat_id for chat_id in delivered if chat_id not in marked}
        # (A send already past the server's latency when the kill came may land as well.)
        assert sum(delivered.values()) >= KILL_AT and len(rows) == len(recipients)
        assert in_between, "the kill came between a delivery and its mark"
        assert len(marked) < len(recipients) - 1, "the fan-out was cut short"

        restarted = time.monotonic()
        second = await RunningBot.start(tmp_path, env)
        rows = await eventually(second, database.drained, "before the backlog drained")
        print(
            f"\nkilled with {len(marked)} of {len(recipients)} alerts marked sent, "
            f"{len(in_between)} delivered unmarked; restart→drained "
            f"{time.monotonic() - restarted:.1f} s"
        )
        await second.wait_for(
            lambda: chat.saying(ADMIN.telegram_id, "cannot be reached"), "before telling the admin"
        )

        received = alerts(api)
        for chat_id in recipients - {BLOCKED.telegram_id}:
            expected = 2 if chat_id in in_between else 1  # once more only if killed unmarked
            assert received[chat_id] == expected, (chat_id, received[chat_id])
        assert received[BLOCKED.telegram_id] == 0 and received[REPORTER.telegram_id] == 0
        alert_rows = {r.chat_id: r for r in rows if r.purpose == "alert"}
        assert set(alert_rows) == recipients
        assert alert_rows[BLOCKED.telegram_id].status is OutboxStatus.UNDELIVERABLE
        assert all(
            row.status is OutboxStatus.SENT
            for chat_id, row in alert_rows.items()
            if chat_id != BLOCKED.telegram_id
        )
        [notice] = chat.saying(ADMIN.telegram_id, "cannot be reached")
        assert BLOCKED.name in notice.plain and "R-0001" in notice.plain
        assert len(await database.reports()) == 1  # one report, however often it was alerted

        assert await second.terminate(within=15) == 0, second.output()
        no_traceback(first, second)
    finally:
        await database.close()
        await first.close()
        if second is not None:
            await second.close()


# ---- (b) killed while a digest is being sent --------------------------------------------
def shift_ending_now() -> tuple[ShiftPattern, str]:
    """An hour-long shift, every day, that ended at the start of this minute (local time);
    with its digest's ledger key."""
    end = datetime.now(LONDON).replace(second=0, microsecond=0)
    start = end - timedelta(hours=1)
    pattern = ShiftPattern.from_text("Evening", "daily", f"{start:%H:%M}", f"{end:%H:%M}")
    return pattern, f"Evening@{start:%Y-%m-%dT%H:%M}"


async def test_sigkill_while_a_digest_is_sent_then_restart_sends_it_once(
    server: LocalServer, database_url: str, tmp_path: Path
) -> None:
    api = server.api
    assert isinstance(api, HoldingAPI)
    await seed(database_url)
    pattern, key = shift_ending_now()
    store = Store.from_url(database_url, SystemClock())
    try:
        assert await store.shifts.add(pattern) is not None
    finally:
        await store.close()
    env = bot_env(
        server,
        database_url,
        # The digest fell due a moment ago: the start-up catch-up sends it. Its briefing
        # (75 minutes ago) is outside the 30-minute grace period and is not looked for.
        TCAG_SCHEDULE_GRACE_MINUTES="30",
        TCAG_WEEKLY_SUMMARY_AT="off",
        TCAG_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
    )
    # The digest is its text, then its chart: the process dies with the chart in flight.
    api.hold("sendPhoto", COORDINATORS_CHAT)
    database = Database(database_url)
    first = await RunningBot.start(tmp_path, env)
    second: RunningBot | None = None
    try:
        await first.wait_for(api.holding.is_set, "before sending the digest's chart")
        await sigkill(first, server)
        [text] = api.sent_to(COORDINATORS_CHAT)
        assert text.plain.startswith("📊 Shift digest: Evening"), text.plain

        second = await RunningBot.start(tmp_path, env)
        rows = await eventually(second, database.drained, "before the chart was sent")

        group = api.sent_to(COORDINATORS_CHAT)
        assert [m.kind for m in group] == ["text", "photo"]  # the digest once, and its chart
        assert group[0] is text and group[1].file_bytes
        [run] = await database.store.ledger.runs()
        assert (run.kind, run.key, run.status) == ("digest", key, "sent")
        sent = await database.store.ledger.messages_of(run.id or 0)
        assert [r.id for r in sent] == [r.id for r in rows]
        assert [(r.status, r.attempts) for r in rows] == [
            (OutboxStatus.SENT, 1),  # sent and marked before the kill
            (OutboxStatus.SENT, 2),  # caught mid-send, sent again after the restart
        ]
        assert await second.terminate(within=15) == 0, second.output()
        no_traceback(first, second)
    finally:
        await database.close()
        await first.close()
        if second is not None:
            await second.close()


# ---- (c) killed in the middle of a report -----------------------------------------------
async def draft_stored(database: Database, person: Person, step: Step) -> bool:
    """The member's draft and conversation state, as the database holds them, are at `step`."""
    states = database.store.bot_state
    user_data = (await states.get_all(USER_DATA)).get(str(person.telegram_id))
    conversation_key = f"{CONVERSATION_NAME}:[{person.telegram_id},{person.telegram_id}]"
    state = (await states.get_all(CONVERSATION)).get(conversation_key)
    if user_data is None or state is None:
        return False
    draft = json.loads(user_data).get(DRAFT_KEY) or {}
    return draft.get("step") == step and json.loads(state) == step


async def test_sigkill_in_the_middle_of_a_report_then_restart_continues_the_draft(
    server: LocalServer, database_url: str, tmp_path: Path
) -> None:
    api = server.api
    await seed(database_url, members=[REPORTER])
    env = bot_env(server, database_url)
    chat = Chat(api)
    database = Database(database_url)
    first = await RunningBot.start(tmp_path, env)
    second: RunningBot | None = None
    try:
        chat.say(REPORTER, "/report")
        [categories] = await first.wait_for(
            lambda: chat.with_buttons(REPORTER, "Antisocial behaviour"), "before the categories"
        )
        chat.press(REPORTER, categories, "Antisocial behaviour")
        [hotspots] = await first.wait_for(
            lambda: chat.with_buttons(REPORTER, "Elmer Square"), "before the hotspots"
        )
        chat.press(REPORTER, hotspots, "Elmer Square")
        await first.wait_for(lambda: chat.saying(REPORTER.telegram_id, "What happened?"), "…")
        answered = time.monotonic()
        # Drafts reach the database within the persistence interval (2 s): kill only then.
        await eventually(
            first, lambda: draft_stored(database, REPORTER, Step.WHAT), "before storing the draft"
        )
        stored_after = time.monotonic() - answered
        await sigkill(first, server)

        second = await RunningBot.start(tmp_path, env)
        chat.say(REPORTER, "Three lads with cans by the fountain")
        [people] = await second.wait_for(
            lambda: chat.with_buttons(REPORTER, "2-3"), "before asking how many people"
        )
        chat.press(REPORTER, people, "2-3")
        [urgency] = await second.wait_for(
            lambda: chat.with_buttons(REPORTER, "Not urgent"), "before asking if it is urgent"
        )
        chat.press(REPORTER, urgency, "Not urgent")
        [summary] = await second.wait_for(
            lambda: chat.with_buttons(REPORTER, "Confirm"), "before the summary"
        )
        assert "Category: Antisocial behaviour" in summary.plain
        assert "Place: Elmer Square" in summary.plain
        chat.press(REPORTER, summary, "Confirm")
        await second.wait_for(
            lambda: chat.saying(REPORTER.telegram_id, "Report R-0001 stored"), "before storing it"
        )

        [report] = await database.reports()
        assert report.description == "Three lads with cans by the fountain"
        assert report.people_count == "2-3" and report.urgent is False
        assert report.hotspot_id is not None
        assert not chat.saying(REPORTER.telegram_id, "expired")  # the draft was never lost
        print(
            f"\ndraft stored {stored_after:.1f} s after the answer "
            f"(persistence interval {DEFAULT_UPDATE_INTERVAL:.0f} s)"
        )
        assert await second.terminate(within=15) == 0, second.output()
        no_traceback(first, second)
    finally:
        await database.close()
        await first.close()
        if second is not None:
            await second.close()
