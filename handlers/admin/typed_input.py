"""Admin edits that need a typed answer (a name, keywords, a radius): one small conversation
per feature (categories, hotspots, shifts), built here so they all behave the same way.

While an admin owes an answer, only that admin's messages go to the flow (the state is
keyed by chat and user). `/cancel` stops it; any other command stops it too and asks for
the command again, so a forgotten prompt never swallows a later message; the feature's own
buttons stop it and then act as usual; anything but text is answered with a reminder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.context import BotContext
from bot.domain.access.roles import Permission
from bot.domain.callbacks.wire import Button, Family
from bot.texts import common as common_texts
from handlers.access import command_name
from handlers.common import reply
from handlers.conversation import END, Callback, Handler, S, conversation
from handlers.drafts import DraftSlot, forget_all


def answer_button(
    family: Family[Button], actions: Sequence[StrEnum], callback: Callback
) -> CallbackQueryHandler[BotContext, Any]:
    """A button of the family with one of `actions` that starts (or restarts) a typed input."""
    return CallbackQueryHandler(callback, pattern=family.pattern(*actions))


async def please_type(update: Update, context: BotContext) -> None:
    """A photo, sticker or location where a typed answer is expected: stay and remind."""
    await reply(update, common_texts.TYPE_THE_ANSWER)


def input_conversation(
    *,
    name: str,
    entry_points: Sequence[Handler],
    steps: Mapping[S, Sequence[Handler]],
    family: Family[Button],
    on_button: Callback,
    drafts: Sequence[DraftSlot[Any]],
    permission: Permission = Permission.ADMIN,
) -> ConversationHandler[BotContext]:
    """The feature's typed-input conversation; `drafts` are dropped whenever it stops."""

    async def cancel(update: Update, context: BotContext) -> int:
        forget_all(context, *drafts)
        await reply(update, common_texts.EDIT_CANCELLED)
        return END

    async def interrupted(update: Update, context: BotContext) -> int:
        forget_all(context, *drafts)
        word = command_name(update, context.bot.username) or "help"
        await reply(update, common_texts.edit_interrupted(word))
        return END

    async def own_button(update: Update, context: BotContext) -> int:
        forget_all(context, *drafts)
        await on_button(update, context)
        return END

    return conversation(
        name,
        # An admin's, but for a safeguarding lead's note on what was done.
        permission=permission,
        entry_points=entry_points,
        steps=steps,
        otherwise=please_type,
        cancel=cancel,
        interrupted=interrupted,
        fallbacks=[CallbackQueryHandler(own_button, pattern=family.pattern())],
    )
