"""Logs: text or JSON lines, and never a report's text or a contact's notes at INFO and above."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pythonjsonlogger.json import JsonFormatter

from bot.cli.logs import make_formatter
from bot.config import load_settings
from bot.domain.access.roles import Role
from bot.offline.bot_api import Fault
from bot.offline.chat import Person
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness
from tests.support.reporting import OFFICER, officer, seed_elmer

REPORT_MARKER = "MARKER-REPORT-TEXT-123"
NOTE_MARKER = "MARKER-CONTACT-NOTE-456"
PLACE_MARKER = "MARKERPLACE"
OUTREACH = Person(3001, "Otto", "Outreach")


@dataclass
class Captured:
    text: io.StringIO
    json: io.StringIO
    records: list[logging.LogRecord]

    def everything(self) -> str:
        messages = "\n".join(r.getMessage() for r in self.records)
        return "\n".join((self.text.getvalue(), self.json.getvalue(), messages))


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[Captured]:
    """Every record at INFO and above, through both of our formatters."""
    caplog.set_level(logging.INFO)
    root = logging.getLogger()
    streams = {"text": io.StringIO(), "json": io.StringIO()}
    handlers = []
    for fmt, stream in streams.items():
        handler = logging.StreamHandler(stream)
        handler.setLevel(logging.INFO)
        handler.setFormatter(make_formatter(fmt))
        root.addHandler(handler)
        handlers.append(handler)
    records: list[logging.LogRecord] = []
    collector = logging.Handler(logging.INFO)
    collector.emit = records.append  # type: ignore[method-assign]
    root.addHandler(collector)
    handlers.append(collector)
    try:
        yield Captured(streams["text"], streams["json"], records)
    finally:
        for handler in handlers:
            root.removeHandler(handler)


def test_json_lines_have_time_level_logger_message_and_exception() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(make_formatter("json"))
    log = logging.getLogger("tcag.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("chat %s cannot be reached", 42)
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("error handling message %s", 7)
    finally:
        log.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "tcag.test.json"
    assert first["message"] == "chat 42 cannot be reached"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and second["message"] == "error handling message 7"
    assert "ValueError: boom" in second["exception"]


def test_text_is_the_default_format_and_json_the_other() -> None:
    assert load_settings(_env_file=None).log_format == "text"
    assert load_settings(_env_file=None, TCAG_LOG_FORMAT="JSON").log_format == "json"
    assert isinstance(make_formatter("json"), JsonFormatter)
    assert not isinstance(make_formatter("text"), JsonFormatter)


async def test_no_report_text_or_contact_notes_in_the_logs(
    bot: BotHarness, captured: Captured
) -> None:
    await seed_elmer(bot.store)
    await officer(bot)
    await bot.member(OUTREACH, Role.OUTREACH)

    # An urgent quick report: stored, alerted through the outbox (one chat has blocked us).
    bot.api.blocked_chats.add(COORDINATORS_CHAT)
    await bot.tg.send(OFFICER, f"man waving a knife at Elmer Square {REPORT_MARKER}")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Confirm")
    assert "stored" in bot.last(OFFICER).plain
    assert bot.app.outbox_sender is not None
    await bot.app.outbox_sender.drain()
    await bot.tg.send(OFFICER, f"/update R-1 still there {REPORT_MARKER}")

    # A reply that fails: the error handler logs the error's type and its stack frames.
    bot.api.faults.append(
        Fault(status=400, method="sendMessage", chat_id=OFFICER.telegram_id, times=1)
    )
    await bot.tg.send(OFFICER, f"lads drinking by the fountain {REPORT_MARKER}")

    # An outreach contact with notes typed in, at a typed place.
    await bot.tg.send(OUTREACH, "/contact")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Anonymous")
    await bot.tg.send(OUTREACH, f"Bus station {PLACE_MARKER}")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Doorway")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Unknown")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Food")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Done")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Done")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Done")
    await bot.tg.send(OUTREACH, f"Wants a hostel bed {NOTE_MARKER}")
    await bot.tg.press(OUTREACH, bot.last(OUTREACH), "Save")
    assert "saved" in bot.last(OUTREACH).plain

    logged = captured.everything()
    # The run did log (the failed reply, the blocked chat), so the check below means something.
    levels = {r.levelname for r in captured.records}
    assert {"ERROR", "WARNING"} <= levels, levels
    json_lines = [json.loads(line) for line in captured.json.getvalue().splitlines()]
    assert any(
        line.get("levelname", line.get("level")) == "ERROR"
        and "BadRequest" in line["message"]
        and "File " in line["message"]
        for line in json_lines
    ), json_lines
    for marker in (REPORT_MARKER, NOTE_MARKER, PLACE_MARKER, "knife", "hostel"):
        assert marker not in logged, marker
    for name in (OFFICER.first_name, OUTREACH.first_name, "Officer"):
        assert name not in logged, name


async def test_error_messages_quoting_user_input_stay_out_of_error_logs(
    bot, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler failing with an exception whose message quotes input: ERROR logs omit it."""
    import logging

    from telegram.ext import MessageHandler, filters

    async def failing(update, context) -> None:  # type: ignore[no-untyped-def]
        raise ValueError(f"bad input {update.effective_message.text!r}")

    bot.app.add_handler(MessageHandler(filters.Regex("^BOOM"), failing), group=-2)
    with caplog.at_level(logging.INFO):
        await bot.tg.send(ADMIN, "BOOM MARKER-SECRET-42")
    errors = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert any("ValueError" in r.getMessage() for r in errors)
    assert not any("MARKER-SECRET-42" in r.getMessage() for r in errors)
    assert not any(r.exc_text and "MARKER-SECRET-42" in r.exc_text for r in errors)


_SQL_PROBE = """
import asyncio, sys
from bot.cli.logs import configure_logging
from bot.domain.clock import SystemClock
from storage.store import Store

configure_logging("DEBUG", sql=sys.argv[2] == "sql")
logging = __import__("logging")
logging.getLogger("bot.probe").debug("our own DEBUG line")

async def main() -> None:
    store = Store.from_url(sys.argv[1], SystemClock())
    await store.upgrade()
    member, _ = await store.members.request_access(5, "MARKER-SQL-PARAM", None)
    await store.close()

asyncio.run(main())
"""


@pytest.mark.parametrize("sql", [False, True])
def test_debug_logs_no_sql_unless_sql_logging_is_turned_on(tmp_path, sql: bool) -> None:  # type: ignore[no-untyped-def]
    """TCAG_LOG_LEVEL=DEBUG is our loggers' level only: the database driver and SQLAlchemy
    stay at WARNING (their DEBUG lines carry every parameter); TCAG_LOG_SQL turns SQL on."""
    import subprocess
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path}/probe.db"
    done = subprocess.run(
        [sys.executable, "-c", _SQL_PROBE, url, "sql" if sql else "quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "our own DEBUG line" in done.stderr
    assert ("MARKER-SQL-PARAM" in done.stderr) is sql, done.stderr[-2000:]
    assert ("INSERT INTO members" in done.stderr) is sql
