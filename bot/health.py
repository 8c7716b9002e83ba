"""`tcag check`: settings, database, schema and token, each with its own exit code."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.clock import SystemClock
from bot.config import Settings
from storage.store import Store

EXIT_DATABASE = 3
EXIT_SCHEMA = 4
EXIT_TOKEN = 5


async def run_check(settings: Settings, say: Callable[[str], None]) -> int:
    where = settings.database_url.split("@")[-1]  # never the user or password
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
    finally:
        await store.close()
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
