"""Benchmark: a surge of chatter while an officer confirms an urgent report.

The real Application runs as `tcag run` runs it: started, updates arriving through its
update queue (so the chat-ordered update processor handles them, concurrently across chats,
urgent ones first), the one send budget at Telegram's real limits, the outbox sender, the
JobQueue; against the in-process fake Bot API with a small delay per call.

60 officers on duty send 56 messages a second between them (quick reports, more than
Telegram lets a bot answer: 30 a second in all) for --seconds. A few seconds in, another
officer, whose urgent quick report ("Man waving a knife at Elmer Square") is waiting on its
proposal, presses Confirm: the alert goes to the coordinators' group and everyone on duty,
each copy with its map pin.

Printed: the time from the Confirm arriving to the group's alert reaching the Bot API
(target ≤ 2 s; before the update processor and the send budget it was 5 s, each update
waiting for the one before and its rate-limited reply); the most messages the bot sent in
any one second, replies, alerts and pins together (target ≤ 30); replies lost: officers'
messages never answered once the surge has drained (target 0); the time to answer them all.

    python -m bench.surge [--officers 60] [--rate 56] [--seconds 10] [--confirm-at 3]
                          [--latency 0.01] [--database URL]
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bench.common import (
    COORDINATORS_CHAT,
    OpsHarness,
    make_settings,
    open_store,
    parser,
    people,
    print_table,
    seed_hotspots,
    seed_members,
    seed_on_duty,
    shown_url,
)
from bot.domain.access.roles import Role
from bot.domain.clock import SystemClock
from bot.offline.bot_api import ApiCall, LocalBotAPI, SentMessage
from bot.offline.chat import Person

CONFIRM_TARGET_S = 2.0
PEAK_TARGET = 30
URGENT_TEXT = "Man waving a knife at Elmer Square"
CHATTER = (
    "3 lads drinking by the fountain in Elmer Square",
    "man begging for money outside the bus station",
    "group of youths shouting on Market Street",
    "fresh graffiti all along Riverside Walk",
)
# What counts against Telegram's limits: every message put in a chat, edits included.
MESSAGE_METHODS = frozenset({
    "sendMessage", "sendVenue", "sendPhoto", "sendDocument", "sendVoice", "sendLocation",
    "editMessageText", "editMessageReplyMarkup", "editMessageCaption",
})  # fmt: skip


@dataclass
class Watch:
    """What the fake Bot API received: message times, replies per officer, the group alert."""

    officers: frozenset[int]
    times: list[float] = field(default_factory=list)
    replies: Counter[int] = field(default_factory=Counter)
    group_alert_at: float | None = None
    group_alert: asyncio.Event = field(default_factory=asyncio.Event)

    def listen(self, call: ApiCall, message: SentMessage | None) -> None:
        if call.method not in MESSAGE_METHODS or message is None:
            return
        if message.chat_id == COORDINATORS_CHAT and "Urgent incident" in message.plain:
            if self.group_alert_at is None:
                self.group_alert_at = time.perf_counter()
                self.group_alert.set()
            return
        is_alert = "Reported by" in message.plain or message.kind == "venue"
        if message.chat_id in self.officers and not is_alert and call.method == "sendMessage":
            self.replies[message.chat_id] += 1


class TimedAPI(LocalBotAPI):
    """Notes when each message reaches the Bot API, before its simulated delay: what the
    bot sends, not how a busy event loop happens to wake the fake server afterwards."""

    def __init__(self, watch: Watch, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.watch = watch

    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> Any:
        if method in MESSAGE_METHODS:
            self.watch.times.append(time.perf_counter())
        return await super().call(method, params, files)


def peak_per_second(times: list[float]) -> int:
    ordered = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(ordered):
        while ordered[start] <= at - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass(frozen=True)
class SurgeResult:
    officers: int
    rate: float
    sent: int  # officers' messages
    confirm_to_alert_s: float
    peak_per_second: int
    replies_lost: int
    drained_s: float  # from the surge's start until every message was answered
    messages: int  # everything the bot sent meanwhile

    @property
    def fast(self) -> bool:
        return self.confirm_to_alert_s <= CONFIRM_TARGET_S

    @property
    def within(self) -> bool:
        return self.peak_per_second <= PEAK_TARGET

    @property
    def lossless(self) -> bool:
        return self.replies_lost == 0

    @property
    def met(self) -> bool:
        return self.fast and self.within and self.lossless


async def surge(
    harness: OpsHarness,
    officers: list[Person],
    reporter: Person,
    watch: Watch,
    *,
    rate: float,
    seconds: float,
    confirm_at: float,
) -> tuple[Counter[int], float, float]:
    """Officers chatter at `rate` for `seconds`; the reporter confirms at `confirm_at`.
    (messages per officer, when the Confirm arrived, when the surge started)."""
    app, updates = harness.app, harness.updates
    queue = app.update_queue
    sent: Counter[int] = Counter()
    confirmed_at = 0.0
    started = time.perf_counter()
    n = 0
    proposal = harness.api.last_to(reporter.telegram_id)
    while (elapsed := time.perf_counter() - started) < seconds:
        if not confirmed_at and elapsed >= confirm_at:
            press = updates.press_payload(reporter, proposal, "Confirm")
            confirmed_at = time.perf_counter()
            await queue.put(Update.de_json(press, app.bot))
        person = officers[n % len(officers)]
        text = CHATTER[(n // len(officers)) % len(CHATTER)]
        await queue.put(Update.de_json(updates.text_payload(person, text), app.bot))
        sent[person.telegram_id] += 1
        n += 1
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
    return sent, confirmed_at, started


async def main(
    url: str | None,
    *,
    officers: int = 60,
    rate: float = 56.0,
    seconds: float = 10.0,
    confirm_at: float = 3.0,
    latency: float = 0.01,
) -> SurgeResult:
    clock = SystemClock()
    print(
        f"Surge benchmark: {officers} officers on duty send {rate:g} messages/s for "
        f"{seconds:g} s; an urgent report is confirmed {confirm_at:g} s in"
    )
    print(f"Database: {shown_url(url)}; fake Bot API delay {latency * 1e3:.0f} ms per call")
    async with open_store(url, clock) as store:
        crew = people(10_000, officers, "Officer")
        await seed_on_duty(store, await seed_members(store, crew, Role.OFFICER))
        [reporter] = people(30_000, 1, "Reporter")
        await seed_members(store, [reporter], Role.OFFICER)
        await seed_hotspots(store)

        watch = Watch(frozenset(p.telegram_id for p in crew))
        api = TimedAPI(watch, latency=latency)
        harness = OpsHarness(store, clock, make_settings(), api=api, rate_limit=True)
        await harness.start()
        await harness.app.start()  # update fetcher, processor, sender, JobQueue from here on
        try:
            queue = harness.app.update_queue
            urgent = harness.updates.text_payload(reporter, URGENT_TEXT)
            await queue.put(Update.de_json(urgent, harness.app.bot))
            for _ in range(100):  # the proposal, before the surge starts
                await asyncio.sleep(0.05)
                if api.sent_to(reporter.telegram_id):
                    break
            api.listeners.append(watch.listen)
            sent, confirmed_at, started = await surge(
                harness, crew, reporter, watch, rate=rate, seconds=seconds, confirm_at=confirm_at
            )
            await asyncio.wait_for(watch.group_alert.wait(), timeout=60)
            deadline = time.perf_counter() + 120
            while time.perf_counter() < deadline:
                if all(watch.replies[c] >= k for c, k in sent.items()):
                    break
                await asyncio.sleep(0.1)
            drained = time.perf_counter() - started
            await asyncio.sleep(1.0)  # anything sent late still counts in the peak
        finally:
            await harness.app.stop()
            await harness.stop()

    assert watch.group_alert_at is not None
    result = SurgeResult(
        officers=officers,
        rate=rate,
        sent=sum(sent.values()),
        confirm_to_alert_s=watch.group_alert_at - confirmed_at,
        peak_per_second=peak_per_second(watch.times),
        replies_lost=sum(max(0, k - watch.replies[c]) for c, k in sent.items()),
        drained_s=drained,
        messages=len(watch.times),
    )
    report(result)
    return result


def report(r: SurgeResult) -> None:
    print()
    print_table(
        ("surge", "messages in", "bot sent", "Confirm→alert s", "peak/s", "lost", "drained s"),
        [
            (
                f"{r.officers} officers, {r.rate:g}/s",
                r.sent,
                r.messages,
                f"{r.confirm_to_alert_s:.2f}",
                r.peak_per_second,
                r.replies_lost,
                f"{r.drained_s:.1f}",
            )
        ],
    )
    print()
    print(
        f"Target: Confirm → group's alert ≤ {CONFIRM_TARGET_S:.0f} s: "
        f"{r.confirm_to_alert_s:.2f} s — {'met' if r.fast else 'NOT met'}"
    )
    print(
        f"Target: peak sends in any second ≤ {PEAK_TARGET}: {r.peak_per_second} — "
        f"{'met' if r.within else 'NOT met'}"
    )
    print(f"Target: replies lost 0: {r.replies_lost} — {'met' if r.lossless else 'NOT met'}")


def run() -> None:
    options = parser(__doc__.splitlines()[0] if __doc__ else "")
    options.add_argument("--officers", type=int, default=60, help="officers on duty (60)")
    options.add_argument("--rate", type=float, default=56.0, help="their messages/s (56)")
    options.add_argument("--seconds", type=float, default=10.0, help="how long they send (10)")
    options.add_argument("--confirm-at", type=float, default=3.0, help="Confirm after, s (3)")
    options.add_argument("--latency", type=float, default=0.01, help="fake API delay, s (0.01)")
    args = options.parse_args()
    result = asyncio.run(
        main(
            args.database,
            officers=args.officers,
            rate=args.rate,
            seconds=args.seconds,
            confirm_at=args.confirm_at,
            latency=args.latency,
        )
    )
    raise SystemExit(0 if result.met else 1)


if __name__ == "__main__":
    run()
