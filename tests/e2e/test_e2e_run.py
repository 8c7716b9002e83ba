"""End to end: `tcag` as a separate process, against the Bot API served on 127.0.0.1.

Every process runs in a temporary directory (settings read `.env` from the working
directory, so a developer's own `.env` never leaks in) with an environment stripped of
TELEGRAM_*, TCAG_* and DATABASE_URL and given only what the test means.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.domain.access.roles import Role, Status
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from storage.store import Store
from tests.support.databases import TEST_DATABASE_URL, TestDatabases
from tests.support.harness import ADMIN, STRANGER
from tests.support.process import TOKEN, RunningBot, run_tcag, start_update, tcag_env

pytestmark = pytest.mark.e2e


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/e2e.db"


@pytest.fixture
async def empty_postgres_url(databases: TestDatabases) -> AsyncIterator[str]:
    """A brand-new PostgreSQL database with no schema at all, dropped afterwards."""
    async with databases.empty_postgres() as url:
        yield url


# ---- tcag run: a stranger asks for access, then a clean stop ---------------------------


async def test_run_answers_a_stranger_and_stops_cleanly_on_sigterm(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    api = server.api
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=sqlite_url,
        TCAG_ADMIN_IDS=str(ADMIN.telegram_id),
    )
    started = time.monotonic()
    bot = await RunningBot.start(tmp_path, env)
    try:
        # The admin named in settings becomes a member by messaging the bot first.
        api.push_update(start_update(api, ADMIN))
        await bot.wait_for(lambda: api.sent_to(ADMIN.telegram_id), "before the admin's menu")
        ready = time.monotonic()

        api.push_update(start_update(api, STRANGER))
        reply = await bot.wait_for(
            lambda: api.sent_to(STRANGER.telegram_id), "before answering the stranger"
        )
        request = await bot.wait_for(
            lambda: [m for m in api.sent_to(ADMIN.telegram_id) if "Sam Stranger" in m.plain],
            "before telling the admin",
        )
        answered = time.monotonic()
        assert "gone to the admins" in reply[0].plain, bot.output()
        assert "@sam_s" in request[0].plain
        assert any("Approve" in b["text"] for b in request[0].inline_buttons)

        code = await bot.terminate(within=15)
        stopped = time.monotonic()
        assert code == 0, f"exit {code} after SIGTERM\n{bot.output()}"
        assert "Traceback" not in "".join(bot.stderr), bot.output()
        print(
            f"\nstart→admin menu {ready - started:.2f} s, stranger answered "
            f"{answered - ready:.2f} s, SIGTERM→exit {stopped - answered:.2f} s"
        )
    finally:
        await bot.close()

    store = Store.from_url(sqlite_url, SystemClock())
    try:
        stranger = await store.members.by_telegram_id(STRANGER.telegram_id)
        assert stranger is not None and stranger.status is Status.PENDING
    finally:
        await store.close()


# ---- settings that stop the process before it starts ------------------------------------


async def test_run_without_token_exits_2_naming_the_setting(tmp_path: Path) -> None:
    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=tcag_env())

    assert done.code == 2, done.explain()
    assert "TELEGRAM_BOT_TOKEN" in done.stderr, done.explain()


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL", "mysql://x"), ("TCAG_TIMEZONE", "Mars/Olympus_Mons")],
)
async def test_malformed_setting_exits_2_with_one_line(
    tmp_path: Path, sqlite_url: str, name: str, value: str
) -> None:
    env = tcag_env(**{"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": sqlite_url, name: value})

    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=env)

    assert done.code == 2, done.explain()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], done.explain()


async def test_settings_are_read_from_dotenv_in_the_working_directory(tmp_path: Path) -> None:
    # Why every process here runs in a fresh tmp_path: the working directory's .env counts.
    (tmp_path / ".env").write_text("TCAG_TIMEZONE=Not/A_Zone\n")

    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=tcag_env())

    assert done.code == 2 and "TCAG_TIMEZONE" in done.stderr, done.explain()


# ---- reasons not to start, each with its own exit code and one line --------------------


@pytest.mark.parametrize("command", [("run", "--no-console"), ("db", "upgrade")])
async def test_missing_database_is_one_line_exit_3_without_the_password(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = f"tcag_e2e_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(TEST_DATABASE_URL).set(password="sekret-pw", database=missing)
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        DATABASE_URL=url.render_as_string(hide_password=False),
    )

    done = await run_tcag(*command, cwd=tmp_path, env=env)

    assert done.code == 3, done.explain()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Database unreachable" in lines[0], done.explain()
    assert "sekret-pw" not in done.stdout + done.stderr


async def test_run_exits_6_when_the_bot_api_does_not_answer(
    sqlite_url: str, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        DATABASE_URL=sqlite_url,
    )

    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=env)

    assert done.code == 6, done.explain()
    assert "Cannot reach the Bot API" in done.stderr, done.explain()


async def test_run_exits_5_when_the_token_is_refused(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    refused = "999999:" + "z" * 30
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=refused, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=sqlite_url
    )

    done = await run_tcag("run", "--no-console", cwd=tmp_path, env=env)

    assert done.code == 5, done.explain()
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and refused not in done.stderr, done.explain()


# ---- tcag check, schema and db upgrade --------------------------------------------------


async def test_check_passes_on_a_migrated_sqlite_database(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=sqlite_url
    )
    upgraded = await run_tcag("db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.code == 0, upgraded.explain()

    done = await run_tcag("check", cwd=tmp_path, env=env)

    assert done.code == 0, done.explain()
    lines = done.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "✓ settings",
        "✓ database",
        "✓ schema",
        "✓ token",
        "✓ Bot API",
        "✓ outbox",
        "! safeguarding",  # a warning, not a failure: no lead is set in a new database
        "✓ schedule",
    ], done.explain()
    assert "@tcag_local_bot" in lines[3]


async def test_check_refuses_a_token_the_server_rejects(
    server: LocalServer, sqlite_url: str, tmp_path: Path
) -> None:
    env = tcag_env(
        TELEGRAM_BOT_TOKEN="999999:" + "z" * 30,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=sqlite_url,
    )
    assert (await run_tcag("db", "upgrade", cwd=tmp_path, env=env)).code == 0

    done = await run_tcag("check", cwd=tmp_path, env=env)

    assert done.code == 5, done.explain()
    assert "✗ token" in done.stdout and "z" * 30 not in done.stdout + done.stderr


async def test_check_on_an_unmigrated_postgresql_database_exits_4(
    server: LocalServer, empty_postgres_url: str, tmp_path: Path
) -> None:
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=empty_postgres_url,
    )

    done = await run_tcag("check", cwd=tmp_path, env=env)

    assert done.code == 4, done.explain()
    assert "✓ database" in done.stdout and "✗ schema" in done.stdout, done.explain()


async def test_run_refuses_an_old_postgresql_schema_until_db_upgrade(
    server: LocalServer, empty_postgres_url: str, tmp_path: Path
) -> None:
    env = tcag_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=empty_postgres_url,
    )

    refused = await run_tcag("run", "--no-console", cwd=tmp_path, env=env)
    assert refused.code == 4, refused.explain()
    assert "tcag db upgrade" in refused.stderr, refused.explain()
    assert "Traceback" not in refused.stderr, refused.explain()
    assert server.api.calls == []  # it never went online

    upgraded = await run_tcag("db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.code == 0, upgraded.explain()

    checked = await run_tcag("check", cwd=tmp_path, env=env)
    assert checked.code == 0, checked.explain()


# ---- tcag admin add ---------------------------------------------------------------------


async def test_admin_add_creates_an_admin_once(sqlite_url: str, tmp_path: Path) -> None:
    env = tcag_env(DATABASE_URL=sqlite_url)

    first = await run_tcag("admin", "add", "4242", "--name", "Bo Boss", cwd=tmp_path, env=env)
    again = await run_tcag("admin", "add", "4242", "--name", "Bo Boss", cwd=tmp_path, env=env)

    assert first.code == 0, first.explain()
    assert again.code == 0, again.explain()
    assert "Bo Boss (Telegram id 4242) is an active admin" in again.stdout
    store = Store.from_url(sqlite_url, SystemClock())
    try:
        members = await store.members.all()
        assert [(m.telegram_id, m.name) for m in members] == [(4242, "Bo Boss")]
        member = members[0]
        assert member.is_admin and member.status is Status.ACTIVE
        assert member.role is Role.COORDINATOR
        grants = await store.audit.recent(action_prefix="member.admin_granted")
        assert len(grants) == 1  # the second run changed nothing
    finally:
        await store.close()
