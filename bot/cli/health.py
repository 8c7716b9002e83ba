"""Health: `tcag check`, the webhook server's GET /healthz and the polling health log line.

One `Health` snapshot serves all three: database reachable, schema current, the outbox
backlog (pending rows and the age of the oldest), undeliverable rows, and the last run of
the schedule ledger. The outbox is "stuck" when its oldest pending row is older than
OUTBOX_STUCK_AFTER: the sender sends within seconds while the bot runs, so ten minutes
means no instance is sending (or Telegram has refused it that long).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.jobs.scheduler import last_scheduled_run
from storage.db import head_revisions
from storage.store import Store

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.context import BotContext

log = logging.getLogger(__name__)

EXIT_DATABASE = 3
EXIT_SCHEMA = 4
EXIT_TOKEN = 5
EXIT_BOT_API = 6
EXIT_OUTBOX_STUCK = 7
OUTBOX_STUCK_AFTER = timedelta(minutes=10)  # a constant, not a setting: see the docstring
HEALTH_LOG_EVERY = timedelta(minutes=5)
HEALTH_LOG_JOB = "health-log"


def _version() -> str:
    try:
        return version("tcag")
    except PackageNotFoundError:  # run from a source tree without installing
        return "unknown"


VERSION = _version()


@dataclass(frozen=True)
class LastRun:
    """The newest row of the schedule ledger: a briefing, digest or summary claimed."""

    kind: str
    key: str
    at: datetime


@dataclass(frozen=True)
class Health:
    checked_at: datetime
    database: bool
    schema_current: bool = False
    pending: int | None = None
    oldest_pending_age_s: int | None = None
    undeliverable: int | None = None
    last_run: LastRun | None = None
    # Active safeguarding leads: with none, concerns go to the admins (`tcag check` warns).
    # Never in /healthz: who leads is not for anyone who can reach the port.
    safeguarding_leads: int | None = None

    @property
    def outbox_stuck(self) -> bool:
        age = self.oldest_pending_age_s
        return age is not None and age > OUTBOX_STUCK_AFTER.total_seconds()

    @property
    def healthy(self) -> bool:
        return self.database and self.schema_current and not self.outbox_stuck

    def as_dict(self) -> dict[str, Any]:
        """The /healthz body: status, version and counts only. Anyone who can reach the
        port reads it, so no shift names or times (when patrols are out is not public);
        `tcag check` and the health log line say more to the operator."""
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "version": VERSION,
            "database": self.database,
            "schema_current": self.schema_current,
            "outbox": {
                "pending": self.pending,
                "undeliverable": self.undeliverable,
                "stuck": self.outbox_stuck,
            },
        }

    def line(self) -> str:
        """One log line, the same in every mode."""
        if not self.database:
            return "health: UNHEALTHY; database unreachable"
        state = "ok" if self.healthy else "UNHEALTHY"
        schema = "schema current" if self.schema_current else "schema OUT OF DATE"
        age = self.oldest_pending_age_s
        oldest = f", oldest {age} s" if age is not None else ""
        stuck = " (STUCK)" if self.outbox_stuck else ""
        run = self.last_run
        last = f"{run.kind} {run.key!r} at {run.at.isoformat()}" if run else "none yet"
        return (
            f"health: {state}; database reachable, {schema}; outbox {self.pending} pending"
            f"{oldest}{stuck}, {self.undeliverable} undeliverable; last scheduled run {last}"
        )


async def _last_run(store: Store) -> LastRun | None:
    run = await last_scheduled_run(store)
    return LastRun(run.kind, run.key, run.claimed_at) if run is not None else None


async def gather_health(store: Store, clock: Clock) -> Health:
    """Never raises: a database that fails is reported as unreachable."""
    now = clock.now()
    try:
        current = await store.schema_is_current()
    except Exception as error:  # any driver error means the same here
        log.warning("health: database unreachable (%s)", type(error).__name__)
        return Health(checked_at=now, database=False)
    if not current:
        return Health(checked_at=now, database=True, schema_current=False)
    try:
        backlog = await store.outbox.backlog()
        last_run = await _last_run(store)
        leads = len(await store.concerns.leads())
    except Exception as error:
        log.warning("health: database query failed (%s)", type(error).__name__)
        return Health(checked_at=now, database=False, schema_current=True)
    age = (
        max(0, int((now - backlog.oldest_pending_at).total_seconds()))
        if backlog.oldest_pending_at is not None
        else None
    )
    return Health(
        checked_at=now,
        database=True,
        schema_current=True,
        pending=backlog.pending,
        oldest_pending_age_s=age,
        undeliverable=backlog.undeliverable,
        last_run=last_run,
        safeguarding_leads=leads,
    )


async def log_health(store: Store, clock: Clock) -> Health:
    """The polling mode's periodic health line (webhook mode has GET /healthz as well)."""
    health = await gather_health(store, clock)
    if health.healthy:
        log.info("%s", health.line())
    else:
        log.warning("%s", health.line())
    return health


async def _health_log_job(context: BotContext) -> None:
    await log_health(context.store, context.clock)


def schedule_health_log(application: Application) -> None:  # type: ignore[type-arg]
    """Every HEALTH_LOG_EVERY, starting one interval after start-up."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _health_log_job,  # type: ignore[arg-type]
        interval=HEALTH_LOG_EVERY,
        first=HEALTH_LOG_EVERY,
        name=HEALTH_LOG_JOB,
    )


# ---- tcag check ---------------------------------------------------------------------------
class CheckReport:
    """`tcag check`'s lines: ✓ passed, ✗ failed, – not checked (it needs one that failed),
    ! a warning (it works, but someone should look).

    The exit code is that of the first failure, in the order the checks run.
    """

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.codes: list[int] = []

    def passed(self, line: str) -> None:
        self.say(f"✓ {line}")

    def failed(self, code: int, line: str) -> None:
        self.codes.append(code)
        self.say(f"✗ {line}")

    def skipped(self, line: str) -> None:
        self.say(f"– {line}")

    def warned(self, line: str) -> None:
        """Works, but someone should look: the exit code stays 0."""
        self.say(f"! {line}")

    @property
    def exit_code(self) -> int:
        return self.codes[0] if self.codes else 0


def _age(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def missing_sqlite_file(database_url: str) -> Path | None:
    """The SQLite file DATABASE_URL names when it does not exist; None for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


async def run_check(settings: Settings, say: Callable[[str], None]) -> int:
    """Every check, in order: settings, database, schema, token, Bot API, outbox, schedule.

    Nothing is created: a SQLite file that does not exist is reported, not made.
    """
    report = CheckReport(say)
    where = settings.database_url_shown  # never the password
    report.passed(f"settings: database {where}, time zone {settings.timezone}")
    health = await _check_database(settings, report)
    await _check_telegram(settings, report)
    if health is None:
        report.skipped("outbox: not checked without the database and its schema")
        report.skipped("schedule: not checked without the database and its schema")
        return report.exit_code
    _say_outbox(health, report)
    _say_safeguarding(health, report)
    run = health.last_run
    if run is None:
        report.passed("schedule: no briefing or digest has run yet")
    else:
        at = run.at.astimezone(settings.tz).strftime("%a %d %b %Y %H:%M")
        report.passed(f"schedule: last run {run.kind} {run.key!r} at {at}")
    return report.exit_code


async def _check_database(settings: Settings, report: CheckReport) -> Health | None:
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None:
        report.failed(
            EXIT_DATABASE,
            f"database: {missing} does not exist yet (run `tcag db upgrade` or `tcag run`; "
            "or set DATABASE_URL)",
        )
        report.skipped("schema: not checked without a database")
        return None
    store = Store.from_url(settings.database_url, SystemClock())
    try:
        try:
            current = await store.schema_is_current()
        except Exception as error:  # any driver error means the same to an operator
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            report.failed(
                EXIT_DATABASE,
                f"database: cannot connect ({type(error).__name__}: {reason}); check DATABASE_URL",
            )
            report.skipped("schema: not checked without a database")
            return None
        report.passed(f"database: reachable ({store.dialect})")
        if not current:
            report.failed(EXIT_SCHEMA, "schema: out of date; run `tcag db upgrade`")
            return None
        report.passed(f"schema: up to date ({', '.join(sorted(head_revisions()))})")
        return await gather_health(store, SystemClock())
    finally:
        await store.close()


def _say_safeguarding(health: Health, report: CheckReport) -> None:
    leads = health.safeguarding_leads
    if leads is None:
        return
    if leads == 0:
        report.warned(
            "safeguarding: no safeguarding lead is set, so concerns go to the admins; an admin "
            "sets one on a coordinator or outreach worker with /members"
        )
        return
    report.passed(f"safeguarding: {leads} safeguarding lead{'s' if leads != 1 else ''}")


def _say_outbox(health: Health, report: CheckReport) -> None:
    counts = f"{health.pending} pending"
    if health.oldest_pending_age_s is not None:
        counts += f", the oldest for {_age(health.oldest_pending_age_s)}"
    counts += f"; {health.undeliverable} undeliverable"
    if health.outbox_stuck:
        limit = int(OUTBOX_STUCK_AFTER.total_seconds() // 60)
        report.failed(
            EXIT_OUTBOX_STUCK, f"outbox: {counts} (over {limit} min: is `tcag run` running?)"
        )
        return
    report.passed(f"outbox: {counts}")


async def _check_telegram(settings: Settings, report: CheckReport) -> None:
    """The token (getMe), then whether the Bot API answers at all: two different fixes."""
    where = settings.base_url
    token = settings.token_value
    if token is None:
        report.failed(EXIT_TOKEN, "token: TELEGRAM_BOT_TOKEN is not set (README: Going live)")
        if await _bot_api_answers(where):
            report.passed(f"Bot API: reachable at {where}")
        else:
            report.failed(
                EXIT_BOT_API, f"Bot API: unreachable at {where}{_base_url_hint(settings)}"
            )
        return
    bot = Bot(token, base_url=where, base_file_url=settings.base_file_url)
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        report.failed(
            EXIT_TOKEN, "token: Telegram refused TELEGRAM_BOT_TOKEN; check it with @BotFather"
        )
        report.passed(f"Bot API: reachable at {where}")
        return
    except NetworkError as error:  # timeouts too: nothing answered
        reason = str(error).replace(token, "<token>")
        report.skipped("token: not checked: the Bot API did not answer")
        report.failed(
            EXIT_BOT_API, f"Bot API: unreachable at {where} ({reason}){_base_url_hint(settings)}"
        )
        return
    except TelegramError as error:
        reason = str(error).replace(token, "<token>")
        report.skipped("token: not checked: the Bot API refused getMe")
        report.failed(EXIT_BOT_API, f"Bot API: answered getMe with an error ({reason})")
        return
    report.passed(f"token: accepted, the bot is @{me.username}")
    report.passed(f"Bot API: reachable at {where}")


def _base_url_hint(settings: Settings) -> str:
    return "; check TELEGRAM_API_BASE_URL" if settings.api_base_url else "; is this machine online?"


async def _bot_api_answers(base_url: str) -> bool:
    """Any HTTP answer at all (Telegram says 404 to a bare /bot) means it is reachable."""
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            await client.get(base_url)
    except httpx.HTTPError:
        return False
    return True
