"""Logging set-up: our lines at the chosen level, and no library line that carries the token.

`TCAG_LOG_FORMAT=json` writes one JSON object per line (time, level, logger, message and,
for errors, the exception text) for a log collector; `text` (the default) is for people.
Whatever the format and level, no line carries message text or personal details: the code
logs ids only (tests/test_logging.py holds it to that at INFO and above).
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


def configure_logging(level: str = "INFO", log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(make_formatter(log_format))
    logging.basicConfig(level=level, handlers=[handler])
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # tornado's access log prints request paths; ours are quiet unless something fails.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
