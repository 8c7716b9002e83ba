"""The `tcag` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.cli.audit import add_parser as audit_parser
from bot.cli.catalog import add_parsers as catalog_parsers
from bot.cli.database import add_parsers as database_parsers
from bot.cli.logs import configure_logging
from bot.cli.purge import add_parser as purge_parser
from bot.cli.report import add_parsers as report_parsers
from bot.cli.shifts import add_parsers as shifts_parsers
from bot.cli.survey import add_parsers as survey_parsers
from bot.cli.usage import with_examples
from bot.config import Settings, SettingsError, load_settings
from bot.domain.access.roles import Role

NO_TOKEN_HELP = """\
No TELEGRAM_BOT_TOKEN is set, so the bot cannot go live on Telegram.
To get one: open Telegram, talk to @BotFather, send /newbot, and put the token it gives
you in a file named .env beside README.md:  TELEGRAM_BOT_TOKEN=123456:ABC...
Meanwhile, the first thing to try is `tcag demo`: a whole Friday evening of patrols and
outreach played offline through the real bot in seconds (transcript, digest, chart and
quarterly PDF in data/demo/). Or chat with the bot yourself, right here in the console.
"""
NO_TOKEN_LINE = (
    "tcag: TELEGRAM_BOT_TOKEN is not set, so the bot cannot go live: put the token @BotFather "
    "gave you in .env (README: Going live), or try the bot offline with `tcag console` or "
    "`tcag demo`."
)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print(f"tcag: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    from bot.cli.runner import StartupError, run_bot

    settings = _settings()
    if settings.token is None:
        if args.no_console or not sys.stdin.isatty():
            print(NO_TOKEN_LINE, file=sys.stderr)
            return 2
        print(NO_TOKEN_HELP)
        # Exactly as `tcag console`: its logging (warnings only), not the bot's INFO lines.
        return cmd_console(argparse.Namespace(database=None))
    configure_logging(settings.log_level, settings.log_format, sql=settings.log_sql)
    try:
        asyncio.run(run_bot(settings))
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.offline.console import run_console

    settings = _settings()
    configure_logging("WARNING")
    try:
        return asyncio.run(run_console(settings, database_url=args.database))
    except KeyboardInterrupt:
        print()
        return 0


def cmd_demo(args: argparse.Namespace) -> int:
    # No settings are read: the demo has its own database and never uses the token.
    from bot.offline.demo import main as run_demo

    configure_logging("WARNING")
    return run_demo(args.out)


def cmd_check(args: argparse.Namespace) -> int:
    from bot.cli.health import run_check

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"✗ settings: {error}")
        return 2
    configure_logging("WARNING")
    return asyncio.run(run_check(settings, print))


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.cli.database import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_admin_add(args: argparse.Namespace) -> int:
    from bot.cli.runner import StartupError, open_store, prepare_database

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


def cmd_person_erase(args: argparse.Namespace) -> int:
    """Erase one person on request: the record and their contacts' free text; counts stay."""
    from bot.cli.runner import StartupError, open_store, prepare_database

    settings = _settings()
    person_id: int = args.person_id

    async def find() -> str | None:
        store = open_store(settings)
        try:
            await prepare_database(settings, store)
            found = await store.people.lookup(person_id)
            if found.person is None:
                return None
            contacts = await store.contacts.contact_count(person_id)
            return f"Person {person_id}: {found.person.alias}, {contacts} contacts."
        finally:
            await store.close()

    async def erase() -> str | None:
        store = open_store(settings)
        try:
            erased = await store.erasure.erase(person_id, by=None, via="cli")
        finally:
            await store.close()
        if erased is None:
            return None
        said = [
            f"Erased person {person_id}: {erased.contacts_anonymised} contacts kept as counts, "
            f"{erased.reports_cleared} reports and {erased.drafts_cleared} stored drafts cleared."
        ]
        if erased.photos_dropped:
            said.append(
                f"{erased.photos_dropped} photo ids dropped; copies already delivered to chats "
                "cannot be recalled."
            )
        said.append(
            "A running bot may still hold a draft naming them in memory (it can no longer be "
            "saved); /erase in the bot clears those too."
        )
        return "\n".join(said)

    try:
        described = asyncio.run(find())
        if described is None:
            print(f"tcag: no person {person_id} (erased, merged or never was).", file=sys.stderr)
            return 1
        print(described)
        if not args.yes:
            if not sys.stdin.isatty():
                print("tcag: add --yes to erase without asking.", file=sys.stderr)
                return 2
            if input("Erase for good? Type yes: ").strip().casefold() != "yes":
                print("Nothing was erased.")
                return 1
        done = asyncio.run(erase())
    except StartupError as error:
        print(f"tcag: {error}", file=sys.stderr)
        return error.code
    if done is None:
        print(f"tcag: person {person_id} is already gone.", file=sys.stderr)
        return 1
    print(done)
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from bot.cli.catalog import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_audit(args: argparse.Namespace) -> int:
    from bot.cli.audit import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_report(args: argparse.Namespace) -> int:
    from bot.cli.report import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.cli.purge import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_shifts(args: argparse.Namespace) -> int:
    from bot.cli.shifts import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def cmd_survey(args: argparse.Namespace) -> int:
    from bot.cli.survey import run

    settings = _settings()
    configure_logging("WARNING")
    return run(settings, args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tcag",
        description="Operations bot for a town centre action group.",
        **with_examples("tcag demo", "tcag console", "tcag check", "tcag run"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the bot (long polling, or webhook when set); console when no token",
        description="Run the bot until Ctrl-C or SIGTERM. Without TELEGRAM_BOT_TOKEN it opens "
        "the console when this is a terminal, and otherwise exits with code 2.",
        **with_examples(
            "tcag run", "tcag run --no-console    # under systemd, where there is no terminal"
        ),
    )
    run.add_argument(
        "--no-console",
        action="store_true",
        help="exit instead of opening the console without a token",
    )
    run.set_defaults(func=cmd_run)

    console = commands.add_parser(
        "console",
        help="chat with the bot in this terminal, offline",
        **with_examples("tcag console", "tcag console --database sqlite:///data/trial.db"),
    )
    console.add_argument(
        "--database", help="database URL for the console (default: data/console.db)"
    )
    console.set_defaults(func=cmd_console)

    demo = commands.add_parser(
        "demo",
        help="start here: an evening of patrols simulated offline through the bot",
        **with_examples("tcag demo", "tcag demo --out /tmp/tcag-demo"),
    )
    demo.add_argument(
        "--out",
        default="data/demo",
        help="folder for its database, transcript, digest, chart and PDF (default: data/demo)",
    )
    demo.set_defaults(func=cmd_demo)

    check = commands.add_parser(
        "check",
        help="check settings, database, schema, token, Bot API and outbox; creates nothing",
        description="Run every check and print each one with ✓ (passed), ✗ (failed) or – (not "
        "checked). Exit code: 0, or that of the first failure: 2 settings, 3 database, "
        "4 schema, 5 token, 6 Bot API unreachable, 7 outbox stuck.",
        **with_examples("tcag check", "tcag check || echo the bot needs attention"),
    )
    check.set_defaults(func=cmd_check)

    database_parsers(commands, cmd_db_upgrade)  # db upgrade

    admin = commands.add_parser(
        "admin", help="admins", **with_examples("tcag admin add 123456789 --name 'Alex Admin'")
    )
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    add = admin_commands.add_parser(
        "add",
        help="make a Telegram user an active admin",
        **with_examples(
            "tcag admin add 123456789",
            "tcag admin add 123456789 --name 'Alex Admin' --role coordinator",
        ),
    )
    add.add_argument("telegram_id", type=int, help="their numeric Telegram user id")
    add.add_argument("--name", help="display name until they first message the bot")
    add.add_argument("--role", default="coordinator", help="their role (default coordinator)")
    add.set_defaults(func=cmd_admin_add)

    person = commands.add_parser(
        "person", help="outreach person records", **with_examples("tcag person erase 42")
    )
    person_commands = person.add_subparsers(dest="person_command", required=True, metavar="ACTION")
    erase = person_commands.add_parser(
        "erase",
        help="erase a person and their contacts' free text (counts stay)",
        **with_examples("tcag person erase 42", "tcag person erase 42 --yes"),
    )
    erase.add_argument("person_id", type=int, help="the person's record number")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm")
    erase.set_defaults(func=cmd_person_erase)

    catalog_parsers(commands, cmd_catalog)  # hotspots import|export, categories list
    shifts_parsers(commands, cmd_shifts)  # shifts add|list|remove
    audit_parser(commands, cmd_audit)  # tcag audit --since …
    report_parsers(commands, cmd_report)  # tcag report --quarter 2026Q3 --out report.pdf
    purge_parser(commands, cmd_purge)  # tcag purge [--dry-run]
    survey_parsers(commands, cmd_survey)  # tcag survey poster
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
