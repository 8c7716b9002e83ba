"""Health: the snapshot behind /healthz, the polling health log and `tcag check`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.health import (
    EXIT_DATABASE,
    EXIT_OUTBOX_STUCK,
    EXIT_TOKEN,
    HEALTH_LOG_JOB,
    VERSION,
    gather_health,
    log_health,
    run_check,
    schedule_health_log,
)
from bot.cli.runner import StartupError, check_connection, open_store
from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.shifts.schedule_plan import RunKind
from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from storage.store import Store
from tests.support.harness import COORDINATORS_CHAT, BotHarness, make_settings

TOKEN = "123456:" + "abcdefghijklmnopqrstuvwxyzABCD"


async def queue_message(store: Store) -> int:
    row = await store.outbox.add(chat_id=COORDINATORS_CHAT, purpose="notice", text="hello")
    return row.id or 0


async def test_a_fresh_database_is_healthy(store: Store, clock: ManualClock) -> None:
    health = await gather_health(store, clock)

    assert health.healthy and health.database and health.schema_current
    assert (health.pending, health.oldest_pending_age_s, health.undeliverable) == (0, None, 0)
    assert health.last_run is None
    assert health.as_dict() == {
        "status": "ok",
        "version": VERSION,
        "database": True,
        "schema_current": True,
        "outbox": {"pending": 0, "undeliverable": 0, "stuck": False},
    }
    assert VERSION == "0.1.0"  # the installed package's


async def test_backlog_age_undeliverable_and_the_last_run(store: Store, clock: ManualClock) -> None:
    await queue_message(store)
    clock.advance(minutes=2)
    await queue_message(store)
    failed = await queue_message(store)
    await store.outbox.give_up(failed, "Forbidden: bot was blocked by the user")
    await store.ledger.claim(
        kind=RunKind.BRIEFING,
        key="Friday late@2026-11-27",
        scheduled_at=clock.now(),
        claimed_by="test",
    )
    clock.advance(minutes=8)

    health = await gather_health(store, clock)

    assert (health.pending, health.oldest_pending_age_s, health.undeliverable) == (2, 600, 1)
    assert health.healthy and not health.outbox_stuck  # exactly 10 minutes: not yet
    body = health.as_dict()
    # /healthz is for anyone who reaches the port: counts, never a shift's name or time.
    assert body["outbox"] == {"pending": 2, "undeliverable": 1, "stuck": False}
    assert "Friday" not in str(body) and "2026" not in str(body) and "21:" not in str(body)
    assert health.last_run is not None and health.last_run.key == "Friday late@2026-11-27"
    assert health.last_run.at.isoformat() == "2026-11-27T21:02:00+00:00"
    assert "outbox 2 pending, oldest 600 s, 1 undeliverable" in health.line()

    clock.advance(seconds=1)
    stuck = await gather_health(store, clock)
    assert stuck.outbox_stuck and not stuck.healthy
    assert stuck.as_dict()["status"] == "unhealthy"
    assert stuck.as_dict()["outbox"]["stuck"] is True


async def test_sent_rows_are_not_backlog(store: Store, clock: ManualClock) -> None:
    row = await queue_message(store)
    await store.outbox.mark_sent(row, 42)
    clock.advance(hours=1)
    health = await gather_health(store, clock)
    assert health.healthy and health.pending == 0
    assert (await store.outbox.get(row)).status is OutboxStatus.SENT  # type: ignore[union-attr]


async def test_an_unreachable_database_is_unhealthy_not_an_error(clock: ManualClock) -> None:
    store = Store.from_url("postgresql+asyncpg://nobody@127.0.0.1:9/none", clock)
    try:
        health = await gather_health(store, clock)
    finally:
        await store.close()
    assert not health.healthy and not health.database
    assert health.as_dict()["status"] == "unhealthy"
    assert health.line() == "health: UNHEALTHY; database unreachable"


async def test_health_log_line_at_info_and_warning_when_stuck(
    store: Store, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.cli.health")
    health = await log_health(store, clock)
    assert health.healthy
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("health: ok; database reachable, schema current")

    caplog.clear()
    await queue_message(store)
    clock.advance(minutes=11)
    assert not (await log_health(store, clock)).healthy
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "oldest 660 s (STUCK)" in record.getMessage()


async def test_polling_mode_schedules_the_health_log_every_five_minutes(bot: BotHarness) -> None:
    schedule_health_log(bot.app)
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(HEALTH_LOG_JOB)
    assert job.job.trigger.interval == timedelta(minutes=5)


# ---- tcag check -----------------------------------------------------------------------------
@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


async def stuck_database(tmp_path: Path) -> str:
    """An SQLite database whose one pending message has waited 15 minutes (real time)."""
    url = f"sqlite+aiosqlite:///{tmp_path}/check.db"
    store = Store.from_url(url, ManualClock(datetime.now(UTC) - timedelta(minutes=15)))
    try:
        await store.upgrade()
        await queue_message(store)
    finally:
        await store.close()
    return url


async def test_check_prints_the_backlog_and_the_schedule(
    server: LocalServer, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/check.db"
    store = Store.from_url(url, ManualClock(datetime.now(UTC)))
    await store.upgrade()
    await store.close()
    said: list[str] = []
    settings = make_settings(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=url
    )

    assert await run_check(settings, said.append) == 0

    assert said[3:] == [
        "✓ token: accepted, the bot is @tcag_local_bot",
        f"✓ Bot API: reachable at {server.base_url}",
        "✓ outbox: 0 pending; 0 undeliverable",
        "! safeguarding: no safeguarding lead is set, so concerns go to the admins; an admin "
        "sets one on a coordinator or outreach worker with /members",
        "✓ schedule: no briefing or digest has run yet",
    ]


async def test_check_counts_the_safeguarding_leads(server: LocalServer, tmp_path: Path) -> None:
    """With a lead the warning goes (and the exit code never depended on it)."""
    url = f"sqlite+aiosqlite:///{tmp_path}/check.db"
    store = Store.from_url(url, ManualClock(datetime.now(UTC)))
    await store.upgrade()
    admin = await store.members.ensure_admin(1, "Alex")
    lead = await store.members.ensure_admin(2, "Lena", role=Role.OUTREACH)
    assert await store.members.set_safeguarding_lead(lead.id or 0, True, by=admin)
    await store.close()
    said: list[str] = []
    settings = make_settings(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=url
    )
    assert await run_check(settings, said.append) == 0
    assert "✓ safeguarding: 1 safeguarding lead" in said
    assert not [line for line in said if line.startswith("!")]


async def test_check_exits_7_when_the_outbox_is_stuck(server: LocalServer, tmp_path: Path) -> None:
    url = await stuck_database(tmp_path)
    said: list[str] = []
    settings = make_settings(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=url
    )

    assert await run_check(settings, said.append) == EXIT_OUTBOX_STUCK

    outbox = next(line for line in said if "outbox" in line)
    assert outbox.startswith("✗ outbox: 1 pending, the oldest for 15 min; 0 undeliverable")
    assert "is `tcag run` running?" in outbox
    assert said[3].startswith("✓ token")  # the other checks still ran
    assert said[-1].startswith("✓ schedule")

    # A bad token is reported with its own code, which comes first.
    no_token = make_settings(DATABASE_URL=url)
    assert await run_check(no_token, said.append) == EXIT_TOKEN


async def test_check_and_run_never_show_a_database_password() -> None:
    """A password in the user part or as a query parameter of DATABASE_URL is masked in
    what `tcag check` prints and in `tcag run`'s one-line refusal."""
    url = "postgresql+asyncpg://tcag:hunter2-user@127.0.0.1:1/tcag?password=hunter2-query"
    settings = make_settings(DATABASE_URL=url)
    said: list[str] = []

    assert await run_check(settings, said.append) == EXIT_DATABASE

    assert said[0].startswith("✓ settings: database postgresql+asyncpg://tcag:***@127.0.0.1:1/")
    assert said[0].startswith(
        "✓ settings: database postgresql+asyncpg://tcag:***@127.0.0.1:1/tcag?password=***"
    )
    store = open_store(settings)
    try:
        with pytest.raises(StartupError) as refused:
            await check_connection(settings, store)
    finally:
        await store.close()
    for text in (*said, str(refused.value)):
        assert "hunter2" not in text, text
    assert "tcag:***@127.0.0.1:1" in str(refused.value)
