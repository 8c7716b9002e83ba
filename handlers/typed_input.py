"""Admin edits that need a typed answer (a name, keywords, a radius): one small
ConversationHandler per feature, built here so they all behave the same way.

While an admin owes an answer, only that admin's messages go to the flow (the state is
keyed by chat and user). `/cancel` stops it; any other command stops it too and asks for
the command again, so a forgotten prompt never swallows a later message; the feature's own
buttons stop it and then act as usual; anything but text is answered with a reminder.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import BotContext
from bot.domain import callbacks
from handlers.access import command_name
from handlers.common import reply
from handlers.registry import Callback, command

END = ConversationHandler.END

TYPED_TEXT = filters.TEXT & ~filters.COMMAND


def answer_button(
    prefix: str, actions: Sequence[str], callback: Callback
) -> CallbackQueryHandler[BotContext, Any]:
    """A button of `prefix` with one of `actions` that starts (or restarts) a typed input."""
    if prefix not in callbacks.PREFIX_PERMISSIONS:
        raise KeyError(f"callback prefix {prefix!r} has no entry in bot.callbacks")
    return CallbackQueryHandler(callback, pattern=f"^{prefix}:({'|'.join(actions)})(:|$)")


def typed(callback: Callback) -> MessageHandler[BotContext, Any]:
    return MessageHandler(TYPED_TEXT, callback)


async def please_type(update: Update, context: BotContext) -> None:
    """A photo, sticker or location where a typed answer is expected: stay and remind."""
    await reply(update, texts.TYPE_THE_ANSWER)


def input_conversation(
    *,
    name: str,
    entry_points: list[BaseHandler],  # type: ignore[type-arg]
    states: dict[int, list[BaseHandler]],  # type: ignore[type-arg]
    prefix: str,
    on_button: Callback,
    draft_keys: tuple[str, ...],
) -> ConversationHandler[BotContext]:
    """States get a reminder for non-text messages; fallbacks as the module docstring says."""

    def forget(context: BotContext) -> None:
        for key in draft_keys:
            context.user_data.pop(key, None)  # type: ignore[union-attr]

    async def cancel(update: Update, context: BotContext) -> int:
        forget(context)
        await reply(update, texts.EDIT_CANCELLED)
        return END

    async def interrupted(update: Update, context: BotContext) -> int:
        forget(context)
        word = command_name(update, context.bot.username) or "help"
        await reply(update, texts.edit_interrupted(word))
        return END

    async def own_button(update: Update, context: BotContext) -> int:
        forget(context)
        await on_button(update, context)
        return END

    with warnings.catch_warnings():
        # Buttons are tracked per chat and user, not per message: on purpose, as the
        # typed answer that follows a button is not tied to the button's message.
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=entry_points,
            states={
                state: [*handlers, MessageHandler(~filters.COMMAND, please_type)]
                for state, handlers in states.items()
            },
            fallbacks=[
                command("cancel", cancel),
                CallbackQueryHandler(own_button, pattern=callbacks.pattern(prefix)),
                MessageHandler(filters.COMMAND, interrupted),
            ],
            allow_reentry=True,
            name=name,
        )
