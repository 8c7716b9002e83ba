"""The command line tells the truth: `tcag check` creates nothing and reports every check,
`tcag db upgrade` says what it applied, every command has an example, `tcag run` without a
token says what to do, and the heavy libraries wait until they are needed."""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli.database import run as db_upgrade
from bot.cli.health import EXIT_BOT_API, EXIT_DATABASE, EXIT_TOKEN, run_check
from bot.cli.main import build_parser
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI
from bot.offline.http_server import LocalServer, start_local_server
from storage import db
from storage.store import Store
from tests.support.harness import make_settings

TOKEN = "123456:" + "abcdefghijklmnopqrstuvwxyzABCD"
_OWN_SETTINGS = ("TELEGRAM_", "TCAG_", "DATABASE_URL")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(settings)
    return env


def tcag(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


def closed_port_url() -> str:
    with socket.socket() as probe:  # nobody listens there once it is closed
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/bot"


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    local = await start_local_server(LocalBotAPI(), token=TOKEN)
    yield local
    await local.stop()


async def migrated(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/tcag.db"
    store = Store.from_url(url, SystemClock())
    await store.upgrade()
    await store.close()
    return url


# ---- tcag check ------------------------------------------------------------------------------
def test_check_in_a_fresh_folder_creates_nothing_and_reports_every_check(tmp_path: Path) -> None:
    done = tcag("check", cwd=tmp_path, env=clean_env(TELEGRAM_API_BASE_URL=closed_port_url()))

    assert done.returncode == EXIT_DATABASE, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []  # no data/, no tcag.db
    lines = done.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "✓ settings",
        "✗ database",
        "– schema",
        "✗ token",
        "✗ Bot API",
        "– outbox",
        "– schedule",
    ], done.stdout
    assert "does not exist yet (run `tcag db upgrade` or `tcag run`" in lines[1]
    assert "TELEGRAM_BOT_TOKEN is not set" in lines[3]
    assert "TELEGRAM_API_BASE_URL" in lines[4]


async def test_check_says_the_bot_api_is_unreachable_with_its_own_code(tmp_path: Path) -> None:
    url = await migrated(tmp_path)
    said: list[str] = []
    settings = make_settings(
        DATABASE_URL=url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=closed_port_url()
    )

    code = await run_check(settings, said.append)

    assert code == EXIT_BOT_API and EXIT_BOT_API != EXIT_TOKEN
    assert said[3] == "– token: not checked: the Bot API did not answer"
    assert said[4].startswith("✗ Bot API: unreachable at http://127.0.0.1:")
    assert said[4].endswith("check TELEGRAM_API_BASE_URL")
    assert TOKEN not in "\n".join(said)
    # Outbox, safeguarding leads (none yet: a warning) and schedule still checked.
    assert [line[0] for line in said[5:]] == ["✓", "!", "✓"]


async def test_check_tells_a_refused_token_from_an_unreachable_api(
    tmp_path: Path, server: LocalServer
) -> None:
    url = await migrated(tmp_path)
    said: list[str] = []
    refused = make_settings(
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN="999999:" + "z" * 30,
        TELEGRAM_API_BASE_URL=server.base_url,
    )
    no_token = make_settings(DATABASE_URL=url, TELEGRAM_API_BASE_URL=server.base_url)

    assert await run_check(refused, said.append) == EXIT_TOKEN
    assert said[3].startswith("✗ token: Telegram refused TELEGRAM_BOT_TOKEN")
    assert said[4] == f"✓ Bot API: reachable at {server.base_url}"
    said.clear()
    assert await run_check(no_token, said.append) == EXIT_TOKEN
    assert said[3].startswith("✗ token: TELEGRAM_BOT_TOKEN is not set")
    assert said[4] == f"✓ Bot API: reachable at {server.base_url}"


# ---- tcag db upgrade -------------------------------------------------------------------------
def test_db_upgrade_says_which_migrations_it_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/new.db")
    (head,) = db.head_revisions()
    first = min(p.name[:4] for p in (db.MIGRATIONS_DIR / "versions").glob("*.py"))

    assert db_upgrade(settings, argparse.Namespace()) == 0
    assert capsys.readouterr().out == f"Applied {first}–{head}; schema is now {head}.\n"
    assert db_upgrade(settings, argparse.Namespace()) == 0
    assert capsys.readouterr().out == f"No migrations needed: the schema is already at {head}.\n"


async def test_the_schema_head_is_read_from_the_files_as_alembic_reads_it(store: Store) -> None:
    from alembic.script import ScriptDirectory

    alembic_heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert db.head_revisions() == frozenset(alembic_heads)
    assert await db.current_revisions(store.engine) == set(alembic_heads)
    assert await store.schema_is_current()


# ---- help and errors --------------------------------------------------------------------------
def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((" ".join([*path, name]), sub))
                found += _commands(sub, (*path, name))
    return found


@pytest.mark.parametrize(("command", "parser"), _commands(build_parser()))
def test_every_command_has_an_example_in_its_help(
    command: str, parser: argparse.ArgumentParser
) -> None:
    shown = parser.format_help()
    assert "Examples:\n" in shown, shown
    examples = shown.split("Examples:\n", 1)[1].splitlines()
    assert any(f"tcag {command}" in line for line in examples), shown


def test_run_without_a_token_and_no_terminal_says_what_to_do_and_exits_2(tmp_path: Path) -> None:
    done = tcag("run", cwd=tmp_path, env=clean_env())

    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "TELEGRAM_BOT_TOKEN is not set" in line and "`tcag console`" in line
    assert list(tmp_path.iterdir()) == []


def test_run_without_a_token_on_a_terminal_opens_the_console_without_log_lines(
    tmp_path: Path,
) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: `tcag run` on a terminal, nothing else
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "run"], clean_env(TERM="dumb"))
    shown = b""

    def read_until(wanted: bytes, within: float) -> None:
        nonlocal shown
        deadline = time.monotonic() + within
        while wanted not in ANSI.sub("", shown.decode(errors="replace")).encode():
            assert time.monotonic() < deadline, shown.decode(errors="replace")
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    shown += os.read(fd, 65536)
                except OSError:
                    break

    try:
        read_until(b"] > ", within=60)
        os.write(fd, b":quit\r")
        read_until(b"Bye.", within=30)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = ANSI.sub("", shown.decode(errors="replace"))
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "No TELEGRAM_BOT_TOKEN is set" in text and "tcag console: the real bot" in text
    assert " INFO " not in text, text


# ---- a small server -----------------------------------------------------------------------------
HEAVY = ("matplotlib", "numpy", "PIL", "reportlab.platypus", "reportlab.lib.styles", "alembic")


def test_starting_the_bot_loads_no_chart_pdf_or_migration_library(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/tcag.db"
    code = (
        "import asyncio, sys\n"
        "from bot.cli.runner import open_store, prepare_database\n"
        "from bot.app import build_application\n"
        "from bot.config import Settings\n"
        "from bot.domain.clock import SystemClock\n"
        f"settings = Settings(_env_file=None, DATABASE_URL={url!r})\n"
        "async def main():\n"
        "    store = open_store(settings)\n"
        "    await prepare_database(settings, store)\n"
        "    build_application(settings, store=store, clock=SystemClock())\n"
        "    await store.close()\n"
        "asyncio.run(main())\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    first = subprocess.run(  # a new database: migrating loads alembic, nothing else heavy
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    again = subprocess.run(  # the usual start, on a current schema
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )

    assert first.stdout.strip() == "['alembic']", first.stderr
    assert again.stdout.strip() == "[]", again.stderr
