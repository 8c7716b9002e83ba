"""Benchmark: an urgent alert fanned out to 200 members on duty while others keep reporting.

The real Application runs as `tcag run` runs it: started, with its JobQueue, persistence and
the outbox sender in one event loop, at Telegram's real limits (one send budget for replies
and the outbox together: 30 in any second, evenly spaced, replies keeping a third of it while
alerts go out; about 1/s per private chat, 20/min per group), against the in-process fake
Bot API with a small delay per call.

200 active officers are on duty. An urgent report is filed through `store.reports.file`
(then the sender is woken, as the report handler does); its alerts go to the 200 and the
coordinators' group. Meanwhile 10 outreach members, not on duty, send 5 messages a second
between them (quick reports, and a press of Cancel on the proposal, in turn), processed one
at a time through `application.process_update` as PTB's update fetcher does. This is done
for a few reports in turn (--rounds), to time more of the members' messages.

Printed, per round: the alert reached every chat exactly once; the fan-out time against the
floor the limit sets for everything the bot sent meanwhile, n / 30 s for n messages (the
alert's copies and the replies to the members typing: they share one budget; target: within
10%). For the members' messages that arrived during a fan-out: reply latency, from arrival
to the bot's last reply, p50/p99 (target: p99 < 250 ms).

    python -m bench.fanout [--members 200] [--senders 10] [--rate 5] [--rounds 3]
                           [--latency 0.01] [--database URL]
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
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
    percentile,
    print_table,
    seed_hotspots,
    seed_members,
    seed_on_duty,
    shown_url,
)
from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import SystemClock
from bot.domain.reports.incidents import reference
from bot.offline.bot_api import ApiCall, LocalBotAPI, SentMessage
from bot.offline.chat import Person
from storage.models import Member, ReportIn
from storage.store import Store

FLOOR_TOLERANCE = 0.10  # a fan-out may take up to 10% longer than the limit's floor
P99_TARGET_MS = 250.0
OVERALL_PER_SECOND = 30.0  # the one send budget: 30 in any second, replies and outbox alike
# What counts against Telegram's limits: every message put in a chat, edits included.
MESSAGE_METHODS = frozenset({
    "sendMessage", "sendVenue", "sendPhoto", "sendDocument", "sendVoice", "sendLocation",
    "editMessageText", "editMessageReplyMarkup", "editMessageCaption",
})  # fmt: skip
PAUSE_BETWEEN_ROUNDS = 2.0  # seconds: lets every chat's 1/s limit refill
MESSAGES = (
    "3 lads drinking by the fountain in Elmer Square",
    "man begging for money outside the bus station",
    "group of youths shouting and swearing on Market Street",
    "someone sleeping in a doorway near Castle Gardens",
    "fresh graffiti all along Riverside Walk",
)
ALERT_MARK = "Reported by"  # in every alert copy
_REFERENCE = re.compile(r"\bR-\d{4,}\b")

Build = Callable[[], dict[str, Any]]


@dataclass
class Deliveries:
    """Alert copies the fake Bot API received, by report reference and chat."""

    recipients: frozenset[int]
    first_at: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    all_in: dict[str, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))
    sent_at: list[float] = field(default_factory=list)  # every message the bot sent

    def listen(self, call: ApiCall, message: SentMessage | None) -> None:
        if call.method in MESSAGE_METHODS:
            self.sent_at.append(time.perf_counter())
        if call.method != "sendMessage" or message is None or ALERT_MARK not in message.plain:
            return
        found = _REFERENCE.search(message.plain)
        ref = found.group(0) if found else "?"
        self.counts[ref, message.chat_id] += 1
        seen = self.first_at[ref]
        seen.setdefault(message.chat_id, time.perf_counter())
        if self.recipients <= seen.keys():
            self.all_in[ref].set()

    def copies(self, ref: str, chat_id: int) -> int:
        return self.counts[ref, chat_id]

    def strays(self, ref: str) -> int:
        """Copies to chats that should not have had one."""
        return sum(
            n for (r, chat), n in self.counts.items() if r == ref and chat not in self.recipients
        )


@dataclass
class Stream:
    """Members' messages: arrivals at a steady rate, handled one at a time, timed."""

    harness: OpsHarness
    senders: list[Person]
    rate: float
    timed: list[float] = field(default_factory=list)  # seconds from arrival to the last reply
    kinds: Counter[str] = field(default_factory=Counter)
    timing: bool = False
    _queue: asyncio.Queue[tuple[float, bool, Build]] = field(default_factory=asyncio.Queue)
    _turns: itertools.cycle[Person] = field(init=False)
    _pressing: set[int] = field(default_factory=set)  # who has a proposal to cancel

    def __post_init__(self) -> None:
        self._turns = itertools.cycle(self.senders)

    def text(self, person: Person) -> Build:
        message = MESSAGES[self.kinds["text"] % len(MESSAGES)]
        self.kinds["text"] += 1
        return lambda: self.harness.updates.text_payload(person, message)

    def cancel(self, person: Person) -> Build:
        """Built when handled: it presses Cancel on the proposal the member has by then."""
        self.kinds["cancel"] += 1

        def build() -> dict[str, Any]:
            proposal = self.harness.api.last_to(person.telegram_id)
            return self.harness.updates.press_payload(person, proposal, "Cancel")

        return build

    def next_message(self) -> Build:
        """The senders in turn; each sends a quick report, then cancels its proposal."""
        person = next(self._turns)
        if person.telegram_id in self._pressing:
            self._pressing.discard(person.telegram_id)
            return self.cancel(person)
        self._pressing.add(person.telegram_id)
        return self.text(person)

    def enqueue(self, build: Build) -> None:
        self._queue.put_nowait((time.perf_counter(), self.timing, build))

    async def arrive(self, stop: asyncio.Event) -> None:
        """One message every 1/rate s until `stop`."""
        start, n = time.perf_counter(), 0
        while not stop.is_set():
            self.enqueue(self.next_message())
            n += 1
            delay = start + n / self.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    async def handle(self) -> None:
        """Like PTB's update fetcher with concurrent_updates off: in order, one at a time."""
        application = self.harness.app
        while True:
            arrived, timed, build = await self._queue.get()
            try:
                update = Update.de_json(build(), application.bot)
                await application.process_update(update)
                if timed:
                    self.timed.append(time.perf_counter() - arrived)
            finally:
                self._queue.task_done()

    async def drained(self) -> None:
        await self._queue.join()


@dataclass(frozen=True)
class Round:
    ref: str
    seconds: float
    once_each: int  # recipients that got exactly one copy
    copies: int
    strays: int
    rows_sent: int
    rows: int
    messages: int  # everything the bot sent during the fan-out: copies and replies

    @property
    def floor_s(self) -> float:
        """n messages at the limit: n / 30 s."""
        return self.messages / OVERALL_PER_SECOND


async def fan_out(
    store: Store,
    harness: OpsHarness,
    deliveries: Deliveries,
    stream: Stream,
    reporter: Member,
    category_id: int,
) -> Round:
    """File one urgent report with the members' stream running; wait for every alert."""
    stop = asyncio.Event()
    stream.timing = True
    arrivals = asyncio.create_task(stream.arrive(stop))
    started = time.perf_counter()
    report = await store.reports.file(
        ReportIn(
            category_id=category_id,
            place_text="Elmer Square, by the fountain",
            description="Man showing a knife, shouting at passers-by",
            people_count="1",
            urgent=True,
        ),
        reporter=reporter,
        group_chat_id=COORDINATORS_CHAT,
    )
    harness.app.services.outbox_wakeup.set()  # as the report handler does
    ref = reference(report.id or 0)
    try:
        await asyncio.wait_for(deliveries.all_in[ref].wait(), timeout=120)
    finally:
        stop.set()
        await arrivals
        stream.timing = False
    finished = max(deliveries.first_at[ref].values())
    await stream.drained()
    await asyncio.sleep(PAUSE_BETWEEN_ROUNDS)  # a duplicate would show up here
    rows = await store.outbox.for_report(report.id or 0)
    return Round(
        ref=ref,
        seconds=finished - started,
        once_each=sum(1 for c in deliveries.recipients if deliveries.copies(ref, c) == 1),
        copies=sum(deliveries.copies(ref, c) for c in deliveries.recipients),
        strays=deliveries.strays(ref),
        rows_sent=sum(1 for r in rows if r.status is OutboxStatus.SENT),
        rows=len(rows),
        messages=sum(1 for at in deliveries.sent_at if started <= at <= finished),
    )


@dataclass(frozen=True)
class FanoutResult:
    """The figures `report` prints; `met`: all three targets."""

    chats: int  # recipients of each alert (members on duty + the coordinators' group)
    rounds: tuple[Round, ...]
    floor_s: float  # n / 30 for the round furthest from its floor
    slowest_s: float
    replies: int  # members' messages timed during fan-outs
    p50_ms: float
    p99_ms: float
    max_ms: float
    delivered: bool  # every alert reached every chat exactly once, nowhere else

    @property
    def within(self) -> bool:
        return self.slowest_s <= self.floor_s * (1 + FLOOR_TOLERANCE)

    @property
    def fast(self) -> bool:
        return self.p99_ms < P99_TARGET_MS

    @property
    def met(self) -> bool:
        return self.delivered and self.within and self.fast


async def main(
    url: str | None, *, members: int, senders: int, rate: float, rounds: int, latency: float
) -> FanoutResult:
    clock = SystemClock()
    print(
        f"Fan-out benchmark: {rounds} urgent alert(s) in turn, each to {members} officers on "
        f"duty + the coordinators' group; {senders} other members sending {rate:g} messages/s"
    )
    print(f"Database: {shown_url(url)}; fake Bot API delay {latency * 1e3:.0f} ms per call")
    async with open_store(url, clock) as store:
        officers = people(10_000, members, "Officer")
        others = people(20_000, senders, "Outreach")
        await seed_on_duty(store, await seed_members(store, officers, Role.OFFICER))
        await seed_members(store, others, Role.OUTREACH)
        [reporter] = await seed_members(store, people(30_000, 1, "Reporter"), Role.OUTREACH)
        await seed_hotspots(store)
        weapon = await store.categories.by_slug("weapon")
        assert weapon is not None and weapon.id is not None

        api = LocalBotAPI(latency=latency)
        harness = OpsHarness(store, clock, make_settings(), api=api, rate_limit=True)
        deliveries = Deliveries(frozenset({COORDINATORS_CHAT, *(p.telegram_id for p in officers)}))
        api.listeners.append(deliveries.listen)
        await harness.start()
        await harness.app.start()  # the sender, JobQueue and persistence run from here on
        stream = Stream(harness, others, rate)
        handler = asyncio.create_task(stream.handle())
        try:
            for _ in range(2 * senders):  # warm-up: a quick report and a Cancel each, untimed
                stream.enqueue(stream.next_message())
            await stream.drained()
            results = [
                await fan_out(store, harness, deliveries, stream, reporter, weapon.id)
                for _ in range(rounds)
            ]
        finally:
            handler.cancel()
            await harness.app.stop()
            await harness.stop()

    return report(results, stream, len(deliveries.recipients))


def report(results: list[Round], stream: Stream, n: int) -> FanoutResult:
    print()
    print_table(
        (
            "round",
            "chats",
            "exactly once",
            "copies",
            "others",
            "rows sent",
            "messages",
            "fan-out s",
            "floor s",
            "vs floor",
        ),
        [
            (
                r.ref,
                n,
                r.once_each,
                r.copies,
                r.strays,
                f"{r.rows_sent}/{r.rows}",
                r.messages,
                f"{r.seconds:.2f}",
                f"{r.floor_s:.2f}",
                f"{(r.seconds / r.floor_s - 1) * 100:+.1f}%",
            )
            for r in results
        ],
    )
    worst = max(results, key=lambda r: r.seconds / r.floor_s)
    floor, limit = worst.floor_s, worst.floor_s * (1 + FLOOR_TOLERANCE)
    print(
        f"floor: every message the bot sent meanwhile (the copies and the replies) at 30 a "
        f"second; within 10% of it: ≤ {limit:.2f} s for {worst.ref}"
    )
    print()
    timed = stream.timed
    p50, p99 = percentile(timed, 50) * 1e3, percentile(timed, 99) * 1e3
    print_table(
        ("member messages during fan-outs", "n", "p50 ms", "p99 ms", "max ms"),
        [("quick report / Cancel, in turn", len(timed), p50, p99, max(timed) * 1e3)],
    )
    delivered = all(
        r.once_each == n and r.copies == n and r.strays == 0 and r.rows_sent == r.rows == n
        for r in results
    )
    slowest = worst.seconds
    within = all(r.seconds <= r.floor_s * (1 + FLOOR_TOLERANCE) for r in results)
    fast = p99 < P99_TARGET_MS
    print()
    print(f"Every alert delivered exactly once to all {n} chats: {'yes' if delivered else 'NO'}")
    print(
        f"Target: fan-out within 10% of the floor ({floor:.2f} s): slowest {slowest:.2f} s — "
        f"{'met' if within else 'NOT met'}"
    )
    print(
        f"Target: member replies p99 < {P99_TARGET_MS:.0f} ms: {p99:.1f} ms — "
        f"{'met' if fast else 'NOT met'}"
    )
    return FanoutResult(
        chats=n,
        rounds=tuple(results),
        floor_s=floor,
        slowest_s=slowest,
        replies=len(timed),
        p50_ms=p50,
        p99_ms=p99,
        max_ms=max(timed) * 1e3,
        delivered=delivered,
    )


def run() -> None:
    options = parser(__doc__.splitlines()[0] if __doc__ else "")
    options.add_argument("--members", type=int, default=200, help="officers on duty (200)")
    options.add_argument("--senders", type=int, default=10, help="members sending messages (10)")
    options.add_argument("--rate", type=float, default=5.0, help="their messages per second (5)")
    options.add_argument("--rounds", type=int, default=3, help="urgent reports, in turn (3)")
    options.add_argument(
        "--latency", type=float, default=0.01, help="fake Bot API delay per call, s (0.01)"
    )
    args = options.parse_args()
    result = asyncio.run(
        main(
            args.database,
            members=args.members,
            senders=args.senders,
            rate=args.rate,
            rounds=args.rounds,
            latency=args.latency,
        )
    )
    raise SystemExit(0 if result.met else 1)


if __name__ == "__main__":
    run()
