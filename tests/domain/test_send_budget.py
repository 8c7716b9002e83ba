"""One send budget for the whole bot, and updates handled concurrently across chats, in order
within each, urgent ones first."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from telegram import Update
from telegram.error import RetryAfter

from bot.domain.alerts.outbox_types import SAFETY, SAFETY_PIN, Priority, send_level
from bot.domain.alerts.send_budget import BudgetState, Level, Request, SendRates
from bot.domain.alerts.update_priority import UpdatePriority, button_priority, text_priority
from bot.jobs.send_budget import BudgetRateLimiter, SendBudget, handling_level
from bot.jobs.update_order import ChatOrderedProcessor, queue_keys, update_priority

GROUP = -100_200_300


def peak(times: list[float], window: float = 1.0) -> int:
    """The most grants in any window of `window` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - window + 1e-9:  # (at - window, at], float-safe
            start += 1
        best = max(best, end - start + 1)
    return best


def simulate(
    state: BudgetState, waiting: list[Request], until: float, step: float = 0.001
) -> list[tuple[float, Request]]:
    """Grant whatever the budget lets through, millisecond by millisecond."""
    granted: list[tuple[float, Request]] = []
    now = 0.0
    while now < until and waiting:
        while (chosen := state.choose(waiting, now)) is not None:
            state.grant(chosen, now)
            waiting.remove(chosen)
            granted.append((now, chosen))
        now = round(now + step, 6)
    return granted


# ---- the rules --------------------------------------------------------------------------
def test_never_more_than_the_limit_in_any_second_and_never_a_burst() -> None:
    state = BudgetState(SendRates())
    waiting = [Request(1000 + n, Level.URGENT, n) for n in range(200)]
    granted = simulate(state, waiting, until=10)
    assert len(granted) == 200
    times = [at for at, _ in granted]
    assert peak(times) <= 30  # a token bucket would let ~60 through, a window 30 at once
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.03  # evenly spaced: 1.06 s / 30, never a burst
    assert times[-1] == pytest.approx(199 * 1.06 / 30, abs=0.2)


def test_a_private_chat_gets_three_in_three_seconds_and_the_group_twenty_a_minute() -> None:
    state = BudgetState(SendRates())
    private = [Request(2002, Level.URGENT, n) for n in range(9)]
    group = [Request(GROUP, Level.URGENT, 100 + n) for n in range(25)]
    granted = simulate(state, private + group, until=70)
    to_private = [at for at, r in granted if r.chat_id == 2002]
    to_group = [at for at, r in granted if r.chat_id == GROUP]
    assert len(to_private) == 9 and peak(to_private, window=3.0) == 3
    assert to_private[3] >= 3.0 and to_private[6] >= 6.0
    assert len(to_group) == 25 and peak(to_group, window=60.0) == 20
    assert to_group[20] >= 60.0


def test_bulk_uses_at_most_15_of_the_groups_20_a_minute() -> None:
    state = BudgetState(SendRates())
    digests = [Request(GROUP, Level.BULK, n) for n in range(20)]
    granted = simulate(state, digests, until=2)
    assert len(granted) == 15
    alert = Request(GROUP, Level.URGENT, 99)
    assert state.choose([alert, *digests[15:]], 2.0) is alert  # room kept for an alert


def test_priorities_staff_safety_then_urgent_then_replies_then_bulk() -> None:
    state = BudgetState(SendRates(overall_per_second=1))
    bulk = Request(1, Level.BULK, 0)
    reply = Request(2, Level.REPLY, 1)
    urgent = Request(3, Level.URGENT, 2)
    safety = Request(4, Level.STAFF_SAFETY, 3)
    order = [r for _, r in simulate(state, [bulk, reply, urgent, safety], until=10)]
    # Replies keep their reserved share: with none sent yet, the reply goes before the alert.
    assert order == [safety, reply, urgent, bulk]


def test_replies_keep_a_third_of_the_budget_during_a_fan_out() -> None:
    state = BudgetState(SendRates())
    alerts = [Request(10_000 + n, Level.URGENT, n) for n in range(300)]
    replies = [Request(20_000 + n, Level.REPLY, 1000 + n) for n in range(60)]
    granted = simulate(state, alerts + replies, until=3)
    first_window = [r for at, r in granted if at < 1.06]
    assert len(first_window) == 30
    assert sum(r.level is Level.REPLY for r in first_window) >= 10  # the reserved share
    assert peak([at for at, _ in granted]) <= 30


def test_a_send_that_goes_late_counts_from_when_it_goes() -> None:
    """A task woken late (a busy event loop) sends later than it was let through: counted
    at its grant, it could bunch with the next second's sends on the way to Telegram."""
    rates = SendRates(overall_per_second=3, overall_window_s=1.0)
    state = BudgetState(rates)
    first, second, third, fourth = (Request(1000 + n, Level.URGENT, n) for n in range(4))
    for request, at in ((first, 0.0), (second, 0.34), (third, 0.67)):
        assert state.choose([request], at) is request
        state.grant(request, at)
    state.started(first, 0.0, 0.6)  # it really went at 0.6
    assert state.choose([fourth], 1.05) is None  # 0.6, 0.34→…: three in the last second
    assert state.next_change([fourth], 1.05) == pytest.approx(1.34)
    assert state.choose([fourth], 1.34) is fourth


def test_a_paused_chat_waits_and_the_others_do_not() -> None:
    state = BudgetState(SendRates())
    state.pause(GROUP, until=5.0)
    to_group = Request(GROUP, Level.URGENT, 0)
    to_officer = Request(2002, Level.URGENT, 1)
    assert state.choose([to_group, to_officer], 0.0) is to_officer
    assert state.next_change([to_group], 0.0) == 5.0
    assert state.choose([to_group], 5.0) is to_group


# ---- the budget at work -------------------------------------------------------------------
async def test_acquire_waits_for_room_and_one_chat_s_pause_holds_no_one_else() -> None:
    budget = SendBudget(SendRates(overall_per_second=10, overall_window_s=0.2))
    started = time.monotonic()
    await asyncio.gather(*(budget.acquire(1000 + n, Level.URGENT) for n in range(25)))
    assert time.monotonic() - started == pytest.approx(0.48, abs=0.1)  # 20 ms apart

    budget.pause_chat(GROUP, 0.5)
    started = time.monotonic()
    held = asyncio.create_task(budget.acquire(GROUP, Level.URGENT))
    await budget.acquire(2002, Level.URGENT)
    assert time.monotonic() - started < 0.15 and not held.done()
    await held
    assert time.monotonic() - started >= 0.45


async def test_unpaced_budget_never_waits() -> None:
    budget = SendBudget(SendRates.unpaced())
    for _ in range(1000):
        await budget.acquire(GROUP, Level.BULK)
    assert budget.granted == 1000 and budget.ready_in(GROUP, Level.BULK) == 0


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own
async def test_the_applications_limiter_retries_after_a_429_for_that_chat_only() -> None:
    budget = SendBudget(SendRates())
    limiter = BudgetRateLimiter(budget, max_retries=2)
    calls: list[tuple[int, float]] = []
    refused: list[int] = []

    async def send(chat_id: int) -> dict[str, Any]:
        calls.append((chat_id, time.monotonic()))
        if chat_id == GROUP and not refused:
            refused.append(chat_id)
            raise RetryAfter(1)
        return {"ok": True}

    async def request(chat_id: int) -> Any:
        return await limiter.process_request(
            send, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, None
        )

    started = time.monotonic()
    group = asyncio.create_task(request(GROUP))
    await asyncio.sleep(0.05)
    assert await request(2002) == {"ok": True}  # not held by the group's flood control
    assert time.monotonic() - started < 0.5
    assert await group == {"ok": True}
    assert time.monotonic() - started >= 1.0
    # A request about no chat is not a message: it never waits.
    assert await limiter.process_request(send, (7,), {}, "getMe", {}, None) == {"ok": True}


# ---- which updates go first -----------------------------------------------------------------
def _message(chat_id: int, user_id: int, text: str, update_id: int = 1) -> Update:
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": chat,
                "from": {"id": user_id, "is_bot": False, "first_name": "M"},
                "text": text,
            },
        },
        None,
    )


def test_urgent_updates_are_recognised() -> None:
    assert button_priority("inc:att:12") is UpdatePriority.URGENT
    assert button_priority("qr:ok:ab12") is UpdatePriority.URGENT
    assert button_priority("rep:ok:ab12") is UpdatePriority.URGENT
    assert button_priority("rep:cat:ab12:3") is UpdatePriority.ORDINARY
    assert button_priority("garbage") is UpdatePriority.ORDINARY
    assert text_priority("man collapsed, not breathing") is UpdatePriority.URGENT
    assert text_priority("lad with a knife outside wetherspoons") is UpdatePriority.URGENT
    assert text_priority("need backup at the bus station") is UpdatePriority.URGENT
    assert text_priority("3 lads drinking by the fountain") is UpdatePriority.ORDINARY
    urgent = _message(2002, 2002, "stabbed outside greggs")
    assert update_priority(urgent) is UpdatePriority.URGENT
    assert queue_keys(_message(GROUP, 2002, "x")) == (f"chat:{GROUP}", "user:2002")


async def _run(processor: ChatOrderedProcessor, updates: list[Update], seconds: float) -> list:
    """Each update's handling takes `seconds`; (event, text) in the order they happened."""
    log: list[tuple[str, str]] = []

    async def handle(update: Update) -> None:
        text = update.message.text if update.message else "?"
        log.append(("start", str(text)))
        await asyncio.sleep(seconds)
        log.append(("end", str(text)))

    tasks = []
    for update in updates:
        tasks.append(asyncio.create_task(processor.process_update(update, handle(update))))
        await asyncio.sleep(0)  # arrival order, as PTB's update fetcher creates them
    await asyncio.gather(*tasks)
    return log


async def test_one_chat_in_order_other_chats_at_once() -> None:
    processor = ChatOrderedProcessor(concurrency=8)
    updates = [
        _message(2002, 2002, "a1", 1),
        _message(2002, 2002, "a2", 2),
        _message(3003, 3003, "b1", 3),
    ]
    started = time.monotonic()
    log = await _run(processor, updates, 0.1)
    assert time.monotonic() - started == pytest.approx(0.2, abs=0.08)
    assert log.index(("end", "a1")) < log.index(("start", "a2"))  # strictly in order
    assert log.index(("start", "b1")) < log.index(("end", "a1"))  # not behind another chat
    assert processor.peak_running == 2


async def test_urgent_updates_go_first_and_past_the_cap() -> None:
    processor = ChatOrderedProcessor(concurrency=2)
    chatter = [_message(5000 + n, 5000 + n, f"chat {n}", n) for n in range(6)]
    urgent = _message(9009, 9009, "man collapsed not breathing", 99)
    log = await _run(processor, [*chatter, urgent], 0.1)
    starts = [text for event, text in log if event == "start"]
    assert starts.index("man collapsed not breathing") <= 2  # with the first, not behind all
    assert processor.peak_running == 3  # the cap, plus the urgent one


async def test_an_urgent_update_behind_chatter_in_its_chat_lifts_that_chat() -> None:
    processor = ChatOrderedProcessor(concurrency=1)
    others = [_message(5000 + n, 5000 + n, f"chat {n}", n) for n in range(4)]
    mine = [_message(7007, 7007, "earlier message", 10), _message(7007, 7007, "knife!", 11)]
    log = await _run(processor, [*others[:1], *others[1:], *mine], 0.05)
    starts = [text for event, text in log if event == "start"]
    # Its chat's earlier message keeps its place before it, and both come before the rest.
    assert starts.index("earlier message") < starts.index("knife!") < starts.index("chat 3")


async def test_what_an_urgent_update_s_handler_sends_goes_with_the_alerts() -> None:
    budget = SendBudget(SendRates())
    limiter = BudgetRateLimiter(budget)
    levels: list[Level] = []
    acquire = budget.acquire

    async def noting(chat_id: int, level: Level) -> None:
        levels.append(level)
        await acquire(chat_id, level)

    budget.acquire = noting  # type: ignore[method-assign]

    async def send() -> dict[str, Any]:
        return {"ok": True}

    async def handle(update: Update) -> None:
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 2002}, None)

    processor = ChatOrderedProcessor()
    confirm = _message(2002, 2002, "man collapsed, not breathing", 1)
    chatter = _message(3003, 3003, "3 lads drinking", 2)
    await processor.process_update(confirm, handle(confirm))
    await processor.process_update(chatter, handle(chatter))
    assert levels == [Level.URGENT, Level.REPLY]
    assert handling_level.get() is Level.REPLY  # nothing leaks out of the update


def test_staff_safety_goes_first_among_updates_and_sends() -> None:
    """ "Need help" (its button, /sos) and "I'm contacting them" are handled before any
    other update; a check-in's answer with the urgent ones; safety copies and pins take
    the budget's staff-safety level, ahead of every alert."""
    assert button_priority("saf:help") is UpdatePriority.STAFF_SAFETY
    assert button_priority("saf:ack:3") is UpdatePriority.STAFF_SAFETY
    assert button_priority("saf:ok:3") is UpdatePriority.URGENT
    assert text_priority("/sos") is UpdatePriority.STAFF_SAFETY
    assert text_priority("/sos@tcag_bot") is UpdatePriority.STAFF_SAFETY
    assert text_priority("/sosage") is UpdatePriority.ORDINARY
    assert send_level(SAFETY) is send_level(SAFETY_PIN) is Level.STAFF_SAFETY
    assert Priority.STAFF_SAFETY < Priority.STAFF_SAFETY_PIN < Priority.URGENT
    state = BudgetState(SendRates(overall_per_second=1))
    waiting = [Request(1, Level.REPLY, 0), Request(2, Level.URGENT, 1)]
    waiting.append(Request(3, Level.STAFF_SAFETY, 2))
    chosen = state.choose(waiting, 0.0)
    assert chosen is not None and chosen.level is Level.STAFF_SAFETY
