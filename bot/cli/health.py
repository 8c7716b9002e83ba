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
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.jobs.scheduler import last_scheduled_run
from storage.store import Store

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.context import BotContext

log = logging.getLogger(__name__)

EXIT_DATABASE = 3
EXIT_SCHEMA = 4
EXIT_TOKEN = 5
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
def _age(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


async def run_check(settings: Settings, say: Callable[[str], None]) -> int:
    where = settings.database_url_shown  # never the password
    say(f"✓ settings: database {where}, time zone {settings.timezone}")
    try:
        store = Store.from_url(settings.database_url, SystemClock())
    except OSError as error:  # an SQLite folder that cannot be created
        say(f"✗ database: cannot create it ({error})")
        return EXIT_DATABASE
    try:
        try:
            current = await store.schema_is_current()
        except Exception as error:  # any driver error means the same to an operator
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            say(f"✗ database: cannot connect ({type(error).__name__}: {reason})")
            return EXIT_DATABASE
        say(f"✓ database: reachable ({store.dialect})")
        if not current:
            say("✗ schema: out of date; run `tcag db upgrade`")
            return EXIT_SCHEMA
        say("✓ schema: up to date")
        health = await gather_health(store, SystemClock())
    finally:
        await store.close()
    outbox_code = _say_outbox(health, say)
    run = health.last_run
    if run is None:
        say("✓ schedule: no briefing or digest has run yet")
    else:
        at = run.at.astimezone(settings.tz).strftime("%a %d %b %Y %H:%M")
        say(f"✓ schedule: last run {run.kind} {run.key!r} at {at}")
    token_code = await _check_token(settings, say)
    return token_code or outbox_code


def _say_outbox(health: Health, say: Callable[[str], None]) -> int:
    counts = f"{health.pending} pending"
    if health.oldest_pending_age_s is not None:
        counts += f", the oldest for {_age(health.oldest_pending_age_s)}"
    counts += f"; {health.undeliverable} undeliverable"
    if health.outbox_stuck:
        limit = int(OUTBOX_STUCK_AFTER.total_seconds() // 60)
        say(f"✗ outbox: {counts} (over {limit} min: is `tcag run` running?)")
        return EXIT_OUTBOX_STUCK
    say(f"✓ outbox: {counts}")
    return 0


async def _check_token(settings: Settings, say: Callable[[str], None]) -> int:
    if settings.token_value is None:
        say("✗ token: TELEGRAM_BOT_TOKEN is not set")
        return EXIT_TOKEN
    bot = Bot(
        settings.token_value, base_url=settings.base_url, base_file_url=settings.base_file_url
    )
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        say("✗ token: Telegram refused TELEGRAM_BOT_TOKEN")
        return EXIT_TOKEN
    except TelegramError as error:
        say(f"✗ token: could not reach the Bot API at {settings.base_url} ({error})")
        return EXIT_TOKEN
    say(f"✓ token: accepted, the bot is @{me.username}")
    return 0
