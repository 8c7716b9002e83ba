"""Registering commands through bot.commands, so none exists without a permission rule."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.commands import spec_for

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]
Handler = BaseHandler[Update, BotContext, Any]


def command(name: str, callback: Callback, **kwargs: Any) -> CommandHandler[BotContext, Any]:
    spec_for(name)  # raises at start-up for a command missing from the table
    return CommandHandler(name, callback, **kwargs)


def button(prefix: str, callback: Callback) -> CallbackQueryHandler[BotContext, Any]:
    """Every button of one family (callbacks.pattern refuses a prefix with no permission)."""
    return CallbackQueryHandler(callback, pattern=callbacks.pattern(prefix))
