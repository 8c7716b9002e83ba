"""One error handler: the full traceback to the log, a redacted summary to the admins."""

from __future__ import annotations

import contextlib
import logging
import time
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.context import BotContext
from bot.texts import common as common_texts
from handlers.common import is_private, notify

log = logging.getLogger(__name__)

# One summary per kind of error per window: a failing database must not flood the admins.
_REPORT_WINDOW_SECONDS = 300.0


def update_kind(update: object) -> str:
    if not isinstance(update, Update):
        return "background job"
    for kind in ("callback_query", "edited_message", "message", "my_chat_member", "chat_member"):
        if getattr(update, kind, None) is not None:
            return kind.replace("_", " ")
    return "update"


def where(error: BaseException) -> str:
    """The innermost frame of our own code: module and function, nothing from the update."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [
        f
        for f in frames
        if "/handlers/" in f.filename or "/bot/" in f.filename or "/storage/" in f.filename
    ]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "unknown place"
    module = frame.filename.rsplit("/", 2)[-2:]
    return f"{'/'.join(module)}:{frame.name}"


class ErrorReporter:
    def __init__(self) -> None:
        self._last_sent: dict[str, float] = {}

    async def __call__(self, update: object, context: BotContext) -> None:
        error = context.error
        if error is None:
            return
        update_id = update.update_id if isinstance(update, Update) else None
        # At ERROR: ids, the error's type and where it happened. An exception's message can
        # quote user input (pydantic's ValidationError does), so it goes to DEBUG only.
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error(
            "error handling %s %s: %s\n%s",
            update_kind(update), update_id, type(error).__name__, frames,
        )  # fmt: skip
        log.debug("error details", exc_info=(type(error), error, error.__traceback__))
        if isinstance(error, NetworkError):
            return  # transient; PTB retries polling and the outbox retries sends
        if (
            isinstance(update, Update)
            and update.effective_chat
            and is_private(update.effective_chat)
        ):
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(
                    update.effective_chat.id, common_texts.SOMETHING_WENT_WRONG
                )
        await self._tell_admins(update, context, error, update_id)

    async def _tell_admins(
        self, update: object, context: BotContext, error: BaseException, update_id: int | None
    ) -> None:
        place = where(error)
        key = f"{type(error).__name__}@{place}"
        now = time.monotonic()
        if now - self._last_sent.get(key, -_REPORT_WINDOW_SECONDS) < _REPORT_WINDOW_SECONDS:
            return
        self._last_sent[key] = now
        summary = common_texts.error_report(
            type(error).__name__, place, update_kind(update), update_id
        )
        try:
            admins = await context.store.members.active_admins()
            for admin in admins:
                await notify(context.bot, admin.telegram_id, summary)
        except Exception:  # the error handler must never raise: log and carry on
            log.exception("could not tell the admins about an error")
