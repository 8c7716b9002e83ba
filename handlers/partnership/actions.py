"""Partnership actions: coordinators record what the partnership agreed to do.

`/action add <owner> <due date> <text>`, `/action done <n>`, `/action` lists the open
ones. The quarterly pack shows them with their status.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.partnership.partnership_actions import ActionInputError, parse_new_action, status_on
from bot.texts.partnership import actions as action_texts
from bot.texts.split import split_message
from handlers.common import message_of, reply
from handlers.registry import Handler, command


def _arguments(text: str) -> tuple[str, str]:
    """'/action add Council 2026-10-31 Fix it' → ('add', 'Council 2026-10-31 Fix it')."""
    parts = text.split(maxsplit=2)
    first = parts[1].casefold() if len(parts) > 1 else ""
    rest = parts[2].strip() if len(parts) > 2 else ""
    return first, rest


async def action(update: Update, context: BotContext) -> None:
    verb, rest = _arguments(message_of(update).text or "")
    if verb == "add":
        await _add(update, context, rest)
    elif verb == "done":
        await _done(update, context, rest)
    elif verb:
        await reply(update, action_texts.ACTION_USAGE)
    else:
        await _list_open(update, context)


async def _add(update: Update, context: BotContext, rest: str) -> None:
    try:
        new = parse_new_action(rest)
    except ActionInputError as error:
        await reply(update, action_texts.action_refused(error.problem, error.given))
        return
    row = await context.store.actions.add(new, by=context.member)
    await reply(update, action_texts.action_added(row.id or 0, row.owner, row.due))


async def _done(update: Update, context: BotContext, rest: str) -> None:
    token = rest.strip().removeprefix("#")
    if not (token.isascii() and token.isdigit() and 0 < len(token) <= 9) or int(token) == 0:
        await reply(update, action_texts.ACTION_DONE_USAGE)
        return
    number = int(token)
    if await context.store.actions.done(number, by=context.member) is None:
        await reply(update, action_texts.action_not_open(number))
        return
    await reply(update, action_texts.action_done(number))


async def _list_open(update: Update, context: BotContext) -> None:
    rows = await context.store.actions.open()
    if not rows:
        await reply(update, action_texts.ACTIONS_NONE_OPEN)
        return
    today = context.clock.now().astimezone(context.settings.tz).date()
    lines = [action_texts.actions_header(len(rows))]
    for row in rows:
        status = status_on(False, row.due, today)
        lines.append(action_texts.action_line(row.id or 0, row.owner, row.due, row.text, status))
    for chunk in split_message("\n".join(lines)):
        await reply(update, chunk)


def handlers() -> list[Handler]:
    return [command("action", action)]
