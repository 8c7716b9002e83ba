"""Handling updates: concurrent across chats, strictly in order within one, urgent first.

PTB's own processor either handles one update at a time (each waits for the one before
it, and for that one's rate-limited replies: under a surge an urgent Confirm waits behind
dozens of chatty messages) or bounds how many run at once, in no order at all (a
ConversationHandler needs one update at a time per conversation, and a member's messages
must be read in the order they were sent).

`ChatOrderedProcessor` gives each update a place in the queue of its chat and of its
sender: it runs once it heads both (updates arrive in one total order, so the oldest
waiting update always heads its queues: no deadlock), and at most `concurrency` run at
once. When more are ready than may run, urgent ones (bot.domain.alerts.update_priority: alert
presses, report confirmations, messages about someone in danger) go first and may go a
few past the cap; an update ahead of an urgent one in its own chat takes its urgency, so
the urgent one is not stuck behind it. What an urgent update's handler sends (its reply,
the edit of the pressed message) takes the urgent level of the one send budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.domain.alerts.send_budget import Level
from bot.domain.alerts.update_priority import UpdatePriority, button_priority, text_priority
from bot.jobs.send_budget import handling_level

_LEVELS = {
    UpdatePriority.STAFF_SAFETY: Level.STAFF_SAFETY,
    UpdatePriority.URGENT: Level.URGENT,
    UpdatePriority.ORDINARY: Level.REPLY,
}
# How many urgent updates may run beyond the cap when every slot is taken.
URGENT_EXTRA = 16
# PTB's own semaphore around ours: only a hard bound on updates waiting in memory.
MAX_WAITING = 100_000


def update_priority(update: object) -> UpdatePriority:
    if not isinstance(update, Update):
        return UpdatePriority.ORDINARY
    if update.callback_query is not None:
        return button_priority(update.callback_query.data)
    message = update.message
    if message is not None:
        return text_priority(message.text or message.caption)
    return UpdatePriority.ORDINARY


def queue_keys(update: object) -> tuple[str, ...]:
    """The queues an update takes its place in: its chat's and its sender's."""
    if not isinstance(update, Update):
        return ("other",)
    keys = []
    if update.effective_chat is not None:
        keys.append(f"chat:{update.effective_chat.id}")
    if update.effective_user is not None:
        keys.append(f"user:{update.effective_user.id}")
    return tuple(keys) or ("other",)


def _future() -> asyncio.Future[None]:
    return asyncio.get_running_loop().create_future()


@dataclass(eq=False)
class _Ticket:
    seq: int
    priority: UpdatePriority
    keys: tuple[str, ...]
    ready: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        concurrency: int = 32,
        *,
        priority_of: Callable[[object], UpdatePriority] = update_priority,
    ) -> None:
        super().__init__(max_concurrent_updates=MAX_WAITING)
        self.concurrency = max(1, concurrency)
        self._priority_of = priority_of
        self._queues: dict[str, deque[_Ticket]] = {}
        self._waiting: list[_Ticket] = []
        self._running = 0
        self._seq = itertools.count()
        self.peak_running = 0  # for tests and benchmarks

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def running(self) -> int:
        return self._running

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        ticket = _Ticket(next(self._seq), self._priority_of(update), queue_keys(update))
        for key in ticket.keys:
            self._queues.setdefault(key, deque()).append(ticket)
        self._waiting.append(ticket)
        self._dispatch()
        try:
            await ticket.ready
        except asyncio.CancelledError:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            self._leave(ticket, ran=ticket.ready.done() and not ticket.ready.cancelled())
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            raise
        # What an urgent update's handler sends goes with the alerts in the send budget.
        level = _LEVELS[ticket.priority]
        token = handling_level.set(level)
        try:
            await coroutine
        finally:
            handling_level.reset(token)
            self._leave(ticket, ran=True)

    def _leave(self, ticket: _Ticket, *, ran: bool) -> None:
        for key in ticket.keys:
            queue = self._queues.get(key)
            if queue is not None:
                with contextlib.suppress(ValueError):
                    queue.remove(ticket)
                if not queue:
                    del self._queues[key]
        if ran:
            self._running -= 1
        self._dispatch()

    def _heads(self, ticket: _Ticket) -> bool:
        return all(self._queues[key][0] is ticket for key in ticket.keys)

    def _effective(self, ticket: _Ticket) -> UpdatePriority:
        """Its own priority, or that of an urgent update queued behind it in its chat."""
        return min(
            (t.priority for key in ticket.keys for t in self._queues[key]),
            default=ticket.priority,
        )

    def _dispatch(self) -> None:
        while self._waiting:
            ready = [t for t in self._waiting if self._heads(t)]
            if not ready:
                return
            chosen = min(ready, key=lambda t: (self._effective(t), t.seq))
            urgent = self._effective(chosen) <= UpdatePriority.URGENT
            cap = self.concurrency + (URGENT_EXTRA if urgent else 0)
            if self._running >= cap:
                return
            self._waiting.remove(chosen)
            self._running += 1
            self.peak_running = max(self.peak_running, self._running)
            if not chosen.ready.done():
                chosen.ready.set_result(None)
