"""`tcag run`: prepare the database, then long-poll until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.clock import SystemClock
from bot.config import Settings
from storage.store import Store

log = logging.getLogger(__name__)


class StartupError(Exception):
    """A reason not to start, said in one line; `code` is the process exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _unreachable(settings: Settings, error: Exception) -> StartupError:
    # The URL may carry a password: never print it.
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    return StartupError(f"Database unreachable ({where}): {reason}", 3)


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
    if settings.is_sqlite:
        await store.upgrade()
        return
    if not await store.schema_is_current():
        raise StartupError(
            "The PostgreSQL schema is out of date. Run `tcag db upgrade` first, then start again.",
            4,
        )


async def run_polling(settings: Settings) -> None:
    store = open_store(settings)
    try:
        await prepare_database(settings, store)
        application = build_application(settings, store=store, clock=SystemClock())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await application.initialize()
        except InvalidToken:
            raise StartupError(
                "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather.", 5
            ) from None
        except NetworkError as error:
            raise StartupError(
                f"Cannot reach the Bot API at {settings.base_url}: {error}", 6
            ) from None
        try:
            if application.post_init:
                await application.post_init(application)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("running as @%s (long polling); stop with Ctrl-C", application.bot.username)
            await stop.wait()
            log.info("stopping")
            await application.updater.stop()
            await application.stop()
        finally:
            await application.shutdown()
    finally:
        await store.close()
