"""`tcag run`: prepare the database, then long-poll (or serve the webhook) until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import build_application
from bot.cli.health import EXIT_BOT_API, schedule_health_log
from bot.cli.webhook import WebhookServer
from bot.config import Settings
from bot.context import OpsApplication
from bot.domain.clock import SystemClock
from storage.store import Store

log = logging.getLogger(__name__)

EXIT_LISTEN = 8


class StartupError(Exception):
    """A reason not to start, said in one line; `code` is the process exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _unreachable(settings: Settings, error: Exception) -> StartupError:
    where = settings.database_url_shown  # the URL may carry a password: never print it
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    return StartupError(f"Database unreachable ({where}): {reason}; check DATABASE_URL", 3)


def open_store(settings: Settings) -> Store:
    try:
        return Store.from_url(settings.database_url, SystemClock())
    except OSError as error:  # an SQLite folder that cannot be created
        raise _unreachable(settings, error) from None


async def check_connection(settings: Settings, store: Store) -> None:
    """One connection first, so a wrong host, database, user or password is one line."""
    try:
        async with store.engine.connect():
            pass
    except (OSError, DBAPIError) as error:
        raise _unreachable(settings, error) from None


async def prepare_database(settings: Settings, store: Store) -> None:
    """SQLite upgrades itself; PostgreSQL must be migrated on purpose (`tcag db upgrade`)."""
    await check_connection(settings, store)
    current = await store.schema_is_current()  # without alembic, which only migrating loads
    if settings.is_sqlite:
        if current:
            await store.categories.seed_defaults()  # all that upgrade() would do
        else:
            await store.upgrade()
        return
    if not current:
        raise StartupError(
            "The PostgreSQL schema is out of date. Run `tcag db upgrade` first, then start again.",
            4,
        )


async def run_bot(settings: Settings) -> None:
    """Long polling, or webhook mode when TCAG_WEBHOOK_URL is set; until SIGINT or SIGTERM."""
    store = open_store(settings)
    try:
        await prepare_database(settings, store)
        application = build_application(settings, store=store, clock=SystemClock())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        # Bound before going online, so a busy port is one line and nothing half-started.
        server = _bind_webhook(application, settings) if settings.webhook_url else None
        try:
            await _initialize(application, settings)
            try:
                if application.post_init:
                    await application.post_init(application)
                if server is None:
                    schedule_health_log(application)
                await application.start()
                try:
                    if server is None:
                        await _poll(application, stop)
                    else:
                        await _serve_webhook(application, settings, server, stop)
                finally:
                    await application.stop()
            finally:
                await application.shutdown()
        finally:
            if server is not None:
                await server.stop()
    finally:
        await store.close()


async def _initialize(application: OpsApplication, settings: Settings) -> None:
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(
            "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather.", 5
        ) from None
    except NetworkError as error:
        hint = "check TELEGRAM_API_BASE_URL" if settings.api_base_url else "is this machine online?"
        raise StartupError(
            f"Cannot reach the Bot API at {settings.base_url}: {error}; {hint}", EXIT_BOT_API
        ) from None


def _polling_failed(application: OpsApplication) -> Callable[[TelegramError], None]:
    """What a failed getUpdates does: PTB retries (1 s, 1.5 s, … up to 30 s) either way.

    Without this PTB logs a library traceback at ERROR for every Telegram 5xx or dropped
    connection. A network error is one warning line; anything else (a 409 Conflict when a
    second process polls with the same token) goes to the error handler, which logs it and
    tells the admins (at most once per kind every few minutes).
    """

    def failed(error: TelegramError) -> None:
        if isinstance(error, NetworkError):
            reason = str(error).replace(application.bot.token, "<token>")[:200]
            log.warning("polling: getUpdates failed (%s: %s)", type(error).__name__, reason)
            return
        application.create_task(application.process_error(update=None, error=error))

    return failed


async def _poll(application: OpsApplication, stop: asyncio.Event) -> None:
    assert application.updater is not None
    # Deletes any webhook first, so switching back from webhook mode just works.
    await application.updater.start_polling(
        allowed_updates=Update.ALL_TYPES, error_callback=_polling_failed(application)
    )
    log.info("running as @%s (long polling); stop with Ctrl-C", application.bot.username)
    await stop.wait()
    log.info("stopping")
    await application.updater.stop()


def _bind_webhook(application: OpsApplication, settings: Settings) -> WebhookServer:
    secret = settings.webhook_secret_value
    assert secret is not None  # Settings require it with a webhook URL
    try:
        return WebhookServer(
            application,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            path=settings.webhook_path,
            secret=secret,
        )
    except OSError as error:
        where = f"{settings.webhook_listen}:{settings.webhook_port}"
        raise StartupError(
            f"Cannot listen on {where} for the webhook (TCAG_WEBHOOK_LISTEN, "
            f"TCAG_WEBHOOK_PORT): {error.strerror or error}",
            EXIT_LISTEN,
        ) from None


async def _serve_webhook(
    application: OpsApplication, settings: Settings, server: WebhookServer, stop: asyncio.Event
) -> None:
    server.start()
    try:
        await application.bot.set_webhook(
            url=settings.webhook_url or "",
            secret_token=settings.webhook_secret_value,
            allowed_updates=Update.ALL_TYPES,
        )
    except TelegramError as error:
        raise StartupError(
            f"The Bot API refused the webhook TCAG_WEBHOOK_URL ({error}).", EXIT_BOT_API
        ) from None
    log.info(
        "running as @%s (webhook on %s:%s%s, health at /healthz); stop with Ctrl-C",
        application.bot.username,
        server.host,
        server.port,
        server.path,
    )
    await stop.wait()
    log.info("stopping")
    # Updates Telegram sends meanwhile wait at Telegram (the webhook stays set) until the
    # next start: nothing is lost. Stop taking new ones; the queued ones are still handled.
    await server.stop()
