"""`tcag survey poster`: the printable poster with the survey's QR code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.usage import with_examples
from bot.config import Settings
from bot.texts.partnership import survey as wording

DEFAULT_POSTER = "survey-poster.pdf"


def add_parsers(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    survey = commands.add_parser(
        "survey", help="the public perception survey", **with_examples("tcag survey poster")
    )
    actions = survey.add_subparsers(dest="survey_command", required=True, metavar="ACTION")
    poster = actions.add_parser(
        "poster",
        help="an A4 PDF poster with a QR code for https://t.me/<bot>?start=survey",
        **with_examples(
            "tcag survey poster",
            "tcag survey poster --username TownCentreBot --out posters/survey.pdf",
        ),
    )
    poster.add_argument(
        "--username",
        help="the bot's username (default: TCAG_BOT_USERNAME, else asked of Telegram)",
    )
    poster.add_argument("--out", help=f"where to write the PDF (default: {DEFAULT_POSTER})")
    poster.set_defaults(func=func)


def bot_username(settings: Settings, given: str | None) -> str | None:
    """--username, else the setting, else getMe with the token; None when none of them."""
    if given:
        return given.strip().removeprefix("@") or None
    if settings.bot_username:
        return settings.bot_username
    token = settings.token_value
    if token is None:
        return None

    async def ask() -> str | None:
        from telegram import Bot

        async with Bot(token, base_url=settings.base_url) as bot:
            return (await bot.get_me()).username

    try:
        return asyncio.run(ask())
    except Exception as error:  # any failure (network, token refused): say so and stop
        reason = str(error).replace(token, "<token>")
        print(f"tcag: could not ask Telegram for the bot's username ({reason})", file=sys.stderr)
        return None


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.summaries.survey_poster import render_poster, survey_link

    username = bot_username(settings, args.username)
    if username is None:
        print(f"tcag: {wording.POSTER_NO_USERNAME}", file=sys.stderr)
        return 2
    link = survey_link(username)
    out = Path(args.out or DEFAULT_POSTER)
    if out.is_dir():
        out = out / DEFAULT_POSTER
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(render_poster(link))
    except OSError as error:
        print(f"tcag: cannot write {out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Wrote {out}: the survey poster (A4) with a QR code for {link}")
    return 0
