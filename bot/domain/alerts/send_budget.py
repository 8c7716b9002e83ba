"""One send budget for the whole bot: who may send to which chat next, within Telegram's limits.

Telegram allows a bot about 30 messages a second in all, about one a second in a private
chat and 20 a minute in a group. Everything the bot sends (replies to members, the outbox's
alerts, escalations, briefings and digests) draws on one budget, so the bot as a whole never
sends more than that. Pure rules, stdlib only: the asyncio waiting lives in
bot.jobs.send_budget, which asks `BudgetState.choose` whom to let through next.

Overall, sends are spaced evenly, one every 1.06 s / 30 (35 ms), and never more than 30 in
any 1.06 s: no burst, so jitter on the way to Telegram (a busy event loop, the network) has
slack before a second could hold 31. A send granted late (the event loop was busy) lets the
next one follow sooner, so the pace is kept without bunching. A token bucket
that starts full lets through its burst and its refill in the same second, nearly twice the
limit; a sliding window alone allows a burst of 30 at once, which arrives bunched with the
next second's. Per chat, the limits are sliding windows (at most N in any window of the
period); a reply to a member's own action is counted in its chat's window but not held by
it (the member's own pace paces it, as Telegram allows short bursts in a private chat).

Priorities, highest first: staff-safety alarms, urgent alerts and escalations, replies to a
member's own action, bulk (briefings, digests, exports). Replies keep a reserved share of
the overall budget (a third by default, as a small bucket refilled at that pace): while a
reply waits and the share has room, the next send is a reply, so a surge of alerts never
starves a person typing. Bulk may use at most 15 of a group's 20 a minute, leaving room for
an alert. A 429 ("retry after") pauses only the chat it was about.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """What a send is for; lower goes first."""

    STAFF_SAFETY = 0  # staff-safety alarms ("Need help", missed check-ins): ahead of everything
    URGENT = 1  # urgent alerts, escalations, their pins and edits
    REPLY = 2  # replies to a member's own action, notices to one member
    BULK = 3  # briefings, digests, summaries, exports


@dataclass(frozen=True)
class SendRates:
    """Telegram's limits and how the budget shares them."""

    overall_per_second: float = 30.0
    # A private chat: this many in any window of as many seconds (one a second on average,
    # with a short burst, e.g. an alert and its map pin).
    private_burst: int = 3
    group_per_minute: int = 20
    group_bulk_per_minute: int = 15
    reply_share: float = 1 / 3
    # Sends are spaced overall_window_s / overall_per_second apart: a little more than a
    # second per 30, so requests granted evenly still fit when they arrive unevenly.
    overall_window_s: float = 1.06

    @classmethod
    def unpaced(cls) -> SendRates:
        """For the local Bot API (tests, console): nothing to protect, nothing to wait for."""
        return cls(
            overall_per_second=1e9,
            private_burst=10**9,
            group_per_minute=10**9,
            group_bulk_per_minute=10**9,
        )

    @property
    def paced(self) -> bool:
        return self.overall_per_second < 1e8

    @property
    def overall_limit(self) -> int:
        return max(1, int(self.overall_per_second))

    @property
    def spacing(self) -> float:
        """Seconds between two sends, at the least (0 when unpaced)."""
        return self.overall_window_s / self.overall_per_second if self.paced else 0.0

    @property
    def reply_reserve(self) -> int:
        """Replies in the last window below which a waiting reply goes before an alert."""
        return max(1, math.ceil(self.overall_limit * self.reply_share))


@dataclass(eq=False)
class Request:
    """One send waiting for its turn."""

    chat_id: int
    level: Level
    seq: int  # arrival order, among equals


@dataclass
class _Window:
    """Times of the sends in the last `period` seconds."""

    period: float
    times: deque[float] = field(default_factory=deque)

    def trim(self, now: float) -> None:
        while self.times and self.times[0] <= now - self.period:
            self.times.popleft()

    def count(self, now: float) -> int:
        self.trim(now)
        return len(self.times)

    def move(self, old: float, new: float) -> None:
        """A send counted at `old` really went at `new` (later): count it there instead."""
        try:
            self.times.remove(old)
        except ValueError:
            return  # already out of the window
        bisect.insort(self.times, new)

    def room_at(self, now: float, limit: int) -> float:
        """When the window next has room for one more under `limit` (now if it has)."""
        self.trim(now)
        if len(self.times) < limit:
            return now
        return self.times[len(self.times) - limit] + self.period


def is_group(chat_id: int) -> bool:
    return chat_id < 0


class BudgetState:
    """The windows and pauses; decides, never waits. Times are monotonic seconds."""

    def __init__(self, rates: SendRates) -> None:
        self.rates = rates
        self._overall = _Window(rates.overall_window_s)
        self._replies = _Window(rates.overall_window_s)
        self._chats: dict[int, _Window] = {}
        self._paused: dict[int, float] = {}
        self._next_slot: float | None = None  # the earliest the next send may go
        # Replies' reserved share, as a bucket: refilled at the share's pace, a few deep, so
        # a reply waiting goes before the alerts while its share lasts.
        self._reply_tokens = float(self._reply_depth)
        self._reply_refilled: float | None = None

    @property
    def _reply_depth(self) -> int:
        return max(1, self.rates.reply_reserve // 3)

    def _reply_tokens_at(self, now: float) -> float:
        if self._reply_refilled is not None:
            per_second = self.rates.reply_reserve / self.rates.overall_window_s
            earned = (now - self._reply_refilled) * per_second
            self._reply_tokens = min(float(self._reply_depth), self._reply_tokens + earned)
        self._reply_refilled = now
        return self._reply_tokens

    # ---- what one request may do now ---------------------------------------------------
    def _chat_window(self, chat_id: int) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > 5000:  # forget chats with nothing in their window
                self._chats = {c: w for c, w in self._chats.items() if w.times}
            period = 60.0 if is_group(chat_id) else float(self.rates.private_burst)
            window = self._chats[chat_id] = _Window(period)
        return window

    def _chat_limit(self, request: Request) -> int:
        if not is_group(request.chat_id):
            if request.level is Level.REPLY:
                return 10**9  # counted, not held: see the module's docstring
            return self.rates.private_burst
        if request.level >= Level.BULK:
            return self.rates.group_bulk_per_minute
        return self.rates.group_per_minute

    def chat_ready_at(self, request: Request, now: float) -> float:
        """When this chat's own limit and pause let the request through."""
        at = self._chat_window(request.chat_id).room_at(now, self._chat_limit(request))
        paused = self._paused.get(request.chat_id)
        if paused is not None:
            if paused <= now:
                del self._paused[request.chat_id]
            else:
                at = max(at, paused)
        return at

    # ---- choosing ----------------------------------------------------------------------
    def choose(self, waiting: Iterable[Request], now: float) -> Request | None:
        """The request to let through now, or None (nothing ready, or no room overall)."""
        if now < self._overall_ready_at(now):
            return None
        best: Request | None = None
        best_reply: Request | None = None
        for request in waiting:
            if self.chat_ready_at(request, now) > now:
                continue
            if best is None or (request.level, request.seq) < (best.level, best.seq):
                best = request
            if request.level is Level.REPLY and (
                best_reply is None or request.seq < best_reply.seq
            ):
                best_reply = request
        if (
            best is not None
            and best_reply is not None
            and best.level > Level.STAFF_SAFETY
            and self._reply_tokens_at(now) >= 1
        ):
            return best_reply  # the reserved share: a person is never starved by a fan-out
        return best

    def _overall_ready_at(self, now: float) -> float:
        at = now
        if self._next_slot is not None:
            at = max(at, self._next_slot)
        if self._overall.count(now) >= self.rates.overall_limit:
            at = max(at, self._overall.room_at(now, self.rates.overall_limit))
        return at

    def grant(self, request: Request, now: float) -> None:
        spacing = self.rates.spacing
        # Granted late (by up to a slot): the next may follow sooner, to keep the pace; the
        # window caps it all the same.
        slot = now if self._next_slot is None else max(self._next_slot, now - spacing)
        self._next_slot = slot + spacing
        self._overall.times.append(now)
        self._chat_window(request.chat_id).times.append(now)
        if request.level is Level.REPLY:
            self._replies.times.append(now)
            self._reply_tokens = max(0.0, self._reply_tokens_at(now) - 1)

    def started(self, request: Request, granted_at: float, now: float) -> None:
        """The send granted at `granted_at` goes only now (its task woke late: a busy event
        loop). It counts from now, so the windows hold what really went out, and a send
        granted earlier but going later can never bunch with the next ones."""
        if now <= granted_at:
            return
        self._overall.move(granted_at, now)
        self._chat_window(request.chat_id).move(granted_at, now)
        if request.level is Level.REPLY:
            self._replies.move(granted_at, now)

    def next_change(self, waiting: Iterable[Request], now: float) -> float | None:
        """The earliest time a waiting request may become ready (None: nobody waits)."""
        times = [self.chat_ready_at(r, now) for r in waiting]
        if not times:
            return None
        return max(min(times), self._overall_ready_at(now))

    # ---- flood control -----------------------------------------------------------------
    def pause(self, chat_id: int, until: float) -> None:
        """Telegram said "retry after" for this chat: nothing more goes to it until then."""
        self._paused[chat_id] = max(until, self._paused.get(chat_id, until))

    def paused_until(self, chat_id: int, now: float) -> float | None:
        until = self._paused.get(chat_id)
        return until if until is not None and until > now else None
