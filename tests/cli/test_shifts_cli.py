"""`tcag shifts add|list|remove`, run in-process on an SQLite file."""

from __future__ import annotations

import asyncio
from datetime import time
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.clock import SystemClock
from bot.domain.shifts.shift_windows import ShiftPattern
from storage.store import Store

FRIDAY_LATE = ShiftPattern("Friday late", frozenset({4, 5}), time(20, 0), time(3, 0))
HINT = "A bot already running (tcag run) follows the change once restarted."


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL for a fresh SQLite file; the working folder has no .env to read."""
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def patterns_in(url: str) -> list[ShiftPattern]:
    async def read() -> list[ShiftPattern]:
        store = Store.from_url(url, SystemClock())
        try:
            await store.upgrade()  # a command refused before opening it leaves no tables
            return await store.shifts.patterns()
        finally:
            await store.close()

    return asyncio.run(read())


def add(name: str, days: str, start: str, end: str) -> int:
    return main(["shifts", "add", name, "--days", days, "--start", start, "--end", end])


def test_add_then_list(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert add("Friday late", "fri,sat", "20:00", "03:00") == 0
    assert capsys.readouterr().out == (
        f"Added Friday late: Fri, Sat 20:00–03:00 (Europe/London).\n{HINT}\n"
    )
    assert add("Day patrol", "mon-fri", "9:30", "17.00") == 0
    capsys.readouterr()

    assert main(["shifts", "list"]) == 0

    assert capsys.readouterr().out == (
        "Shift patterns (times in Europe/London):\n"
        "  Day patrol: Mon–Fri 09:30–17:00\n"
        "  Friday late: Fri, Sat 20:00–03:00\n"
    )
    assert patterns_in(database)[1] == FRIDAY_LATE


def test_list_with_none(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shifts", "list"]) == 0
    assert capsys.readouterr().out.startswith("No shift patterns yet. Add one: tcag shifts add")


@pytest.mark.parametrize(
    ("days", "start", "end", "message"),
    [
        ("fri,sta", "20:00", "03:00", 'tcag: "sta" is not a day I know. Use day names like'),
        ("fri", "8pm", "03:00", 'tcag: "8pm" is not a time I understand. Use 24-hour HH:MM'),
        ("fri", "20:00", "20:00", "tcag: A shift can't end at the time it starts."),
    ],
)
def test_bad_days_or_times_are_explained_and_nothing_is_added(
    database: str,
    capsys: pytest.CaptureFixture[str],
    days: str,
    start: str,
    end: str,
    message: str,
) -> None:
    assert add("Friday late", days, start, end) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.out == ""
    assert patterns_in(database) == []


def test_a_bad_or_taken_name_is_refused(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert add("Late | early", "fri", "20:00", "03:00") == 1
    assert capsys.readouterr().err == 'tcag: A shift name can\'t contain "|" or "@".\n'
    assert add("Friday late", "fri,sat", "20:00", "03:00") == 0
    capsys.readouterr()

    assert add("FRIDAY LATE", "sun", "21:00", "02:00") == 1

    assert capsys.readouterr().err == (
        'tcag: a shift named "FRIDAY LATE" exists already; nothing was added.\n'
    )
    assert patterns_in(database) == [FRIDAY_LATE]


def test_remove_by_name(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert add("Friday late", "fri,sat", "20:00", "03:00") == 0
    capsys.readouterr()

    assert main(["shifts", "remove", "friday LATE"]) == 0
    assert capsys.readouterr().out == f"Removed Friday late.\n{HINT}\n"
    assert patterns_in(database) == []

    assert main(["shifts", "remove", "Friday late"]) == 1
    assert capsys.readouterr().err == (
        'tcag: no shift named "Friday late"; `tcag shifts list` shows them.\n'
    )
    assert add("Friday late", "fri,sat", "20:00", "03:00") == 0  # the name is free again
    assert patterns_in(database) == [FRIDAY_LATE]


def test_an_unreachable_database_is_exit_code_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert main(["shifts", "list"]) == 3
    assert capsys.readouterr().err.startswith("tcag: Database unreachable")
