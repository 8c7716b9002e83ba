"""The one send budget at work: every request to a chat waits here for its turn.

`SendBudget` lets requests through as bot.domain.alerts.send_budget decides (Telegram's limits,
one budget for the whole bot, by priority). The application's Bot uses it through
`BudgetRateLimiter` (PTB's rate-limiter hook, replacing AIORateLimiter) and the outbox
sender calls `SendBudget.acquire` itself, so replies and the outbox share one budget.

A 429 ("retry after") pauses only the chat it was about: PTB's AIORateLimiter pauses every
request of the bot on any 429, which would hold up urgent alerts to every other chat.
Requests that are not about a chat (getUpdates, answerCallbackQuery, getMe, ...) are not
messages and pass straight through.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import warnings
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.domain.alerts.send_budget import BudgetState, Level, Request, SendRates

log = logging.getLogger(__name__)

JSONValue = bool | dict[str, Any] | list[dict[str, Any]]

# The level of what the application sends while handling one update: REPLY, unless the
# update processor (bot.jobs.update_order) is handling an urgent one (a report's Confirm, an
# alert's button): its answers then go with the alerts, not behind everyone's chatter.
handling_level: ContextVar[Level] = ContextVar("handling_level", default=Level.REPLY)

# Methods that carry a chat_id but put nothing in the chat.
_UNCOUNTED = frozenset({"getChat", "getChatMember", "getChatAdministrators", "sendChatAction"})


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns about the int form; both are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def chat_of(data: dict[str, Any]) -> int | None:
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return None  # "@channel" usernames: not a chat this bot talks to


class SendBudget:
    """Requests wait in one queue; the budget's rules pick who goes next."""

    def __init__(self, rates: SendRates | None = None) -> None:
        self.rates = rates or SendRates()
        self._state = BudgetState(self.rates)
        self._waiting: dict[Request, asyncio.Future[float]] = {}
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self.granted = 0  # sends let through, for tests and benchmarks

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    async def acquire(self, chat_id: int, level: Level) -> None:
        """Wait until one message to `chat_id` fits the budget; it counts from now."""
        if not self.rates.paced:  # nothing real on the other end: nothing to protect
            self.granted += 1
            return
        request = Request(chat_id, level, next(self._seq))
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[request] = future
        self._dispatch()
        try:
            granted_at = await future
        except asyncio.CancelledError:
            # Cancelled while waiting; if it was granted meanwhile, the slot stays spent
            # (it errs on the side of sending less).
            self._waiting.pop(request, None)
            self._dispatch()
            raise
        # Woken late (a busy event loop): the send counts from when it really goes.
        self._state.started(request, granted_at, self._now())

    def pause_chat(self, chat_id: int, seconds: float) -> float:
        """Telegram's flood control for one chat; returns the pause's end (loop time)."""
        until = self._now() + max(seconds, 0.0)
        if self.rates.paced:  # unpaced (the local Bot API): the outbox's retry time is enough
            self._state.pause(chat_id, until)
        return until

    def ready_in(self, chat_id: int, level: Level) -> float:
        """Seconds until this chat's own limit (or Telegram's pause) lets one more through;
        the overall budget and others waiting may add to it."""
        if not self.rates.paced:
            return 0.0
        now = self._now()
        return max(0.0, self._state.chat_ready_at(Request(chat_id, level, -1), now) - now)

    def paused_for(self, chat_id: int) -> float:
        """Seconds this chat is still paused for (0 when it is not)."""
        now = self._now()
        until = self._state.paused_until(chat_id, now)
        return 0.0 if until is None else until - now

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _dispatch(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = self._now()
        while self._waiting:
            chosen = self._state.choose(self._waiting, now)
            if chosen is None:
                break
            self._state.grant(chosen, now)
            self.granted += 1
            future = self._waiting.pop(chosen)
            if not future.done():
                future.set_result(now)  # granted at: the send counts from when it goes
        if not self._waiting:
            return
        at = self._state.next_change(self._waiting, now)
        if at is not None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_at(max(at, now + 0.001), self._dispatch)


class BudgetRateLimiter(BaseRateLimiter[Level]):
    """PTB's rate-limiter hook on the one budget: the application's requests take their turn.

    `rate_limit_args` is the request's Level; when not given, the level of the update being
    handled (`handling_level`: REPLY, or URGENT for an urgent update). A 429 pauses that
    chat only, then the request is retried, at most `max_retries` times.
    """

    def __init__(self, budget: SendBudget, *, max_retries: int = 2) -> None:
        self.budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONValue]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Level | None,
    ) -> JSONValue:
        chat_id = chat_of(data)
        if chat_id is None or endpoint in _UNCOUNTED:
            return await callback(*args, **kwargs)
        level = rate_limit_args if isinstance(rate_limit_args, Level) else handling_level.get()
        for attempt in itertools.count():
            await self.budget.acquire(chat_id, level)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_seconds(error)
                self.budget.pause_chat(chat_id, seconds + 0.1)
                if attempt >= self._max_retries:
                    raise
                log.info("flood control for one chat: retrying in %.1f s", seconds)
        raise AssertionError("unreachable")  # pragma: no cover


def sending_bot(application_bot: Bot, *, base_url: str, base_file_url: str) -> ExtBot[None]:
    """The application's bot again, minus its rate limiter.

    It shares the application's HTTP transport, whose lifecycle the application owns: this
    bot is never initialised or shut down on its own.
    """
    request = application_bot.request
    return ExtBot(
        token=application_bot.token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=request,
        get_updates_request=request,
        defaults=application_bot.defaults if isinstance(application_bot, ExtBot) else None,
    )
