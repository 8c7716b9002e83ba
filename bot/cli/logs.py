"""Logging set-up: our lines at the chosen level, and no library line that carries the token.

`TCAG_LOG_FORMAT=json` writes one JSON object per line (time, level, logger, message and,
for errors, the exception text) for a log collector; `text` (the default) is for people.
Whatever the format and level, no line carries message text or personal details: the code
logs ids only (tests/cli/test_logging.py holds it to that at INFO and above). TCAG_LOG_LEVEL is
the level of our own loggers; every other library (python-telegram-bot, httpx, the
database drivers, SQLAlchemy) logs at WARNING whatever it says, because at DEBUG a driver
logs each SQL statement with its parameters, report text and person details included.
Only TCAG_LOG_SQL turns SQL logging on (SQLAlchemy's statements and parameters, at INFO).
"""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        timestamp="time",  # ISO 8601, UTC
        rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
        json_ensure_ascii=False,
    )


def make_formatter(log_format: str = "text") -> logging.Formatter:
    return json_formatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


# The packages whose log lines are ours (ids and counts only): these follow TCAG_LOG_LEVEL.
OUR_LOGGERS = ("bot", "handlers", "storage", "bench")
THIRD_PARTY_LEVEL = logging.WARNING
SQL_LOGGER = "sqlalchemy.engine"


def configure_logging(level: str = "INFO", log_format: str = "text", *, sql: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(make_formatter(log_format))
    # The root (every library) at WARNING at most; our own loggers at the chosen level.
    root_level = max(logging.getLevelName(level), THIRD_PARTY_LEVEL)
    logging.basicConfig(level=root_level, handlers=[handler])
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(level)
    logging.getLogger(SQL_LOGGER).setLevel(logging.INFO if sql else THIRD_PARTY_LEVEL)
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # tornado's access log prints request paths; ours are quiet unless something fails.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
