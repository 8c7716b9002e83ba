"""The `tcag` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging
from bot.roles import Role

NO_TOKEN_HELP = """\
No TELEGRAM_BOT_TOKEN is set, so the bot cannot go live on Telegram.
To get one: open Telegram, talk to @BotFather, send /newbot, and put the token it gives
you in a file named .env beside README.md:  TELEGRAM_BOT_TOKEN=123456:ABC...
Meanwhile you can try the bot offline, right here in the console.
"""


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print(f"tcag: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, run_polling

    settings = _settings()
    configure_logging(settings.log_level)
    if settings.token is None:
        print(NO_TOKEN_HELP)
        if not sys.stdin.isatty() or args.no_console:
            print("tcag: TELEGRAM_BOT_TOKEN is not set.", file=sys.stderr)
            return 2
        return cmd_console(argparse.Namespace(database=None))
    try:
        asyncio.run(run_polling(settings))
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console import run_console

    settings = _settings()
    configure_logging("WARNING")
    try:
        return asyncio.run(run_console(settings, database_url=args.database))
    except KeyboardInterrupt:
        print()
        return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.health import run_check

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"✗ settings: {error}")
        return 2
    configure_logging("WARNING")
    return asyncio.run(run_check(settings, print))


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, check_connection, open_store

    settings = _settings()

    async def upgrade() -> None:
        store = open_store(settings)
        try:
            await check_connection(settings, store)
            await store.upgrade()
        finally:
            await store.close()

    try:
        asyncio.run(upgrade())
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    print("Database schema is up to date.")
    return 0


def cmd_admin_add(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, open_store, prepare_database

    settings = _settings()
    role = Role.parse(args.role)
    if role is None:
        print(f"tcag: unknown role {args.role!r}; use one of {', '.join(Role)}", file=sys.stderr)
        return 2

    async def add() -> str:
        store = open_store(settings)
        try:
            await prepare_database(settings, store)
            existing = await store.members.by_telegram_id(args.telegram_id)
            name = args.name or (existing.name if existing else f"Admin {args.telegram_id}")
            member = await store.members.ensure_admin(args.telegram_id, name, role=role)
            return (
                f"{member.name} (Telegram id {member.telegram_id}) is an active admin, "
                f"role {member.role.value}."
            )
        finally:
            await store.close()

    try:
        print(asyncio.run(add()))
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tcag", description="Operations bot for a town centre action group."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot (long polling); console when no token")
    run.add_argument(
        "--no-console",
        action="store_true",
        help="exit instead of opening the console without a token",
    )
    run.set_defaults(func=cmd_run)

    console = commands.add_parser("console", help="chat with the bot in this terminal, offline")
    console.add_argument(
        "--database", help="database URL for the console (default: data/console.db)"
    )
    console.set_defaults(func=cmd_console)

    check = commands.add_parser("check", help="check settings, database, schema and token")
    check.set_defaults(func=cmd_check)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations to DATABASE_URL")
    upgrade.set_defaults(func=cmd_db_upgrade)

    admin = commands.add_parser("admin", help="admins")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    add = admin_commands.add_parser("add", help="make a Telegram user an active admin")
    add.add_argument("telegram_id", type=int, help="their numeric Telegram user id")
    add.add_argument("--name", help="display name until they first message the bot")
    add.add_argument("--role", default="coordinator", help="their role (default coordinator)")
    add.set_defaults(func=cmd_admin_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
