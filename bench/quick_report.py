"""Benchmark: a quick-report message answered with its proposal, against two PTB baselines.

Each update is the JSON Telegram would send, turned into an Update as bot/local_chat.py
does and handed to `application.process_update`, one at a time, all three applications
talking to the same in-process fake Bot API (bot.local_api):

  (a) echo          plain ApplicationBuilder, one MessageHandler replying with the text;
  (b) echo + row    the same, inserting one row with SQLModel (async session, its own
                    database) before replying;
  (c) quick report  our Application from build_application: the access gate (member
                    lookup), the report conversation, the matcher over the categories and
                    hotspots, the draft, and the proposal with its four buttons.

CPU time is time.process_time (every thread of the process, so SQLite's work in aiosqlite's
thread counts; a PostgreSQL server's does not). The target: (c) costs at most 1.5 times the
one-row baseline (b) in CPU per update. The exit status is 1 when it is missed.

Untimed between two updates of (c): the member's proposal is dropped (conversation ended,
draft removed, as /cancel would), so each message is a new quick report; 20 members take
turns. The application is initialised, not started (as in the tests): PTB's persistence
writes drafts in the background every 2 s in production, one upsert per busy member.

    python -m bench.quick_report [--updates 2000] [--warmup 200] [--database URL] [--profile]
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bench.common import (
    Figures,
    OpsHarness,
    Updates,
    fresh_database,
    make_settings,
    open_store,
    parser,
    people,
    print_table,
    seed_hotspots,
    seed_members,
    shown_url,
)
from bot.app import OFFLINE_TOKEN
from bot.domain.access.roles import Role
from bot.domain.clock import SystemClock
from bot.domain.reports.report_draft import DRAFT_KEY, REPORT_CONVERSATION
from bot.offline.bot_api import LocalBotAPI, LocalRequest
from storage.db import session_factory

TARGET_RATIO = 1.5
MEMBERS = 20  # the senders of (c), taking turns
MESSAGES = (
    "3 lads drinking by the fountain in Elmer Square",
    "man begging for money outside the bus station",
    "group of youths shouting and swearing on Market Street",
    "fight outside the kebab shop on High Street",
    "someone sleeping in a doorway near Castle Gardens",
    "fresh graffiti all along Riverside Walk",
)
PROPOSAL_BUTTONS = 5  # Confirm, Change category, Change place, Urgent on/off, Cancel


# ---- the one-row table of baseline (b), kept out of the bot's own metadata ---------------
class _EchoBase(SQLModel, registry=registry()):
    pass


class EchoRow(_EchoBase, table=True):
    __tablename__ = "bench_echo"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    text: str
    received_at: datetime


# ---- driving one application -------------------------------------------------------------
async def drive(
    name: str,
    application: Application,  # type: ignore[type-arg]
    payloads: Sequence[dict[str, Any]],
    *,
    warmup: int,
    after: Callable[[dict[str, Any]], None],
) -> Figures:
    """Process the updates one by one; `after` checks the answer (outside the timing)."""
    cpu: list[float] = []
    wall: list[float] = []
    bot = application.bot
    gc.collect()
    for index, payload in enumerate(payloads):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        await application.process_update(Update.de_json(payload, bot))
        wall_end, cpu_end = time.perf_counter(), time.process_time()
        after(payload)
        if index >= warmup:
            cpu.append(cpu_end - cpu_start)
            wall.append(wall_end - wall_start)
    return Figures(name, cpu, wall)


def expect_replies(
    api: LocalBotAPI, check: Callable[[dict[str, Any]], None]
) -> Callable[..., None]:
    """After each update: exactly one sendMessage, to the sender, passing `check`."""
    seen = len(api.calls)

    def after(payload: dict[str, Any]) -> None:
        nonlocal seen
        calls = api.calls[seen:]
        seen = len(api.calls)
        chat_id = payload["message"]["chat"]["id"]
        if len(calls) != 1 or calls[0].method != "sendMessage":
            raise AssertionError(f"expected one sendMessage, got {[c.method for c in calls]}")
        if int(calls[0].params["chat_id"]) != chat_id:
            raise AssertionError("reply sent to the wrong chat")
        check(calls[0].params)

    return after


# ---- (a) and (b): plain PTB --------------------------------------------------------------
def echo_application(
    api: LocalBotAPI,
    insert: Callable[[int, str], Awaitable[None]] | None = None,
) -> Application:  # type: ignore[type-arg]
    request = LocalRequest(api)
    application = (
        ApplicationBuilder().token(OFFLINE_TOKEN).request(request).get_updates_request(request)
    ).build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None and message.text is not None
        if insert is not None:
            await insert(message.chat_id, message.text)
        await message.reply_text(message.text)

    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def row_inserter(engine: AsyncEngine) -> Callable[[int, str], Awaitable[None]]:
    sessions = session_factory(engine)

    async def insert(chat_id: int, text: str) -> None:
        async with sessions() as session:
            session.add(EchoRow(chat_id=chat_id, text=text, received_at=datetime.now(UTC)))
            await session.commit()

    return insert


def echo_payloads(api: LocalBotAPI, count: int) -> list[dict[str, Any]]:
    senders = people(3000, MEMBERS, "Echo")
    updates = Updates(None, api)
    return [
        updates.text_payload(senders[i % MEMBERS], MESSAGES[i % len(MESSAGES)])
        for i in range(count)
    ]


async def bench_echo(
    name: str, count: int, warmup: int, engine: AsyncEngine | None = None
) -> Figures:
    api = LocalBotAPI()
    insert = row_inserter(engine) if engine is not None else None
    application = echo_application(api, insert)
    await application.initialize()
    try:

        def same_text(params: dict[str, Any]) -> None:
            if params["text"] not in MESSAGES:
                raise AssertionError("the echo is not the text")

        return await drive(
            name,
            application,
            echo_payloads(api, count),
            warmup=warmup,
            after=expect_replies(api, same_text),
        )
    finally:
        await application.shutdown()


async def create_echo_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_EchoBase.metadata.create_all)


# ---- (c): our application ----------------------------------------------------------------
def _conversation(harness: OpsHarness) -> ConversationHandler[Any]:
    for group in harness.app.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.name == REPORT_CONVERSATION:
                return handler
    raise LookupError("no report conversation")


def proposal_check(params: dict[str, Any]) -> None:
    markup = params.get("reply_markup")
    rows = (markup or {}).get("inline_keyboard") if isinstance(markup, dict) else None
    buttons = [b for row in rows or [] for b in row]
    if "🔎" not in params["text"] or len(buttons) != PROPOSAL_BUTTONS:
        raise AssertionError(f"not a proposal with its buttons: {params['text'][:40]!r}")


async def bench_ops(
    url: str | None, count: int, warmup: int, *, profile: bool
) -> tuple[Figures, str | None]:
    clock = SystemClock()
    async with open_store(url, clock) as store:
        members = people(2000, MEMBERS, "Officer")
        await seed_members(store, members, Role.OFFICER)
        await seed_hotspots(store)
        harness = OpsHarness(store, clock, make_settings())
        await harness.start()
        try:
            conversation = _conversation(harness)
            user_data = harness.app.user_data
            replies = expect_replies(harness.api, proposal_check)

            def after(payload: dict[str, Any]) -> None:
                replies(payload)
                # Back to no conversation, so the member's next message is a quick report
                # again (not an answer to the proposal): what /cancel would do, untimed.
                user_id = payload["message"]["from"]["id"]
                # (_update_state: what PTB's own timeout and bot.jobs.draft_expiry use.)
                conversation._update_state(ConversationHandler.END, (user_id, user_id))
                user_data[user_id].pop(DRAFT_KEY, None)

            payloads = [
                harness.updates.text_payload(members[i % MEMBERS], MESSAGES[i % len(MESSAGES)])
                for i in range(count)
            ]
            figures = await drive(
                "(c) quick report", harness.app, payloads, warmup=warmup, after=after
            )
            report = None
            if profile:
                profiler = cProfile.Profile()
                more = [
                    harness.updates.text_payload(members[i % MEMBERS], MESSAGES[i % len(MESSAGES)])
                    for i in range(count)
                ]
                profiler.enable()
                await drive("profiled", harness.app, more, warmup=0, after=after)
                profiler.disable()
                report = _profile_report(profiler)
            return figures, report
        finally:
            await harness.stop()


def _profile_report(profiler: cProfile.Profile) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    return out.getvalue()


# ---- the run -----------------------------------------------------------------------------
@dataclass(frozen=True)
class QuickReportResult:
    """The three applications' figures; `met`: (c) within TARGET_RATIO of (b) in CPU."""

    bare: Figures  # (a) PTB echo
    one_row: Figures  # (b) PTB echo + 1 row
    ops: Figures  # (c) quick report

    @property
    def ratio(self) -> float:
        return self.ops.cpu_us / self.one_row.cpu_us

    @property
    def met(self) -> bool:
        return self.ratio <= TARGET_RATIO


async def main(url: str | None, count: int, warmup: int, *, profile: bool) -> QuickReportResult:
    total = count + warmup
    print(f"Quick report benchmark: {count:,} updates after {warmup:,} warm-up, one at a time")
    print(f"Database: {shown_url(url)}")
    print()
    bare = await bench_echo("(a) PTB echo", total, warmup)
    async with fresh_database(url, "echo") as engine:
        await create_echo_table(engine)
        one_row = await bench_echo("(b) PTB echo + 1 row", total, warmup, engine)
    ops, report = await bench_ops(url, total, warmup, profile=profile)

    rows = [(f.name, f.cpu_us, f.p50_ms, f.p99_ms) for f in (bare, one_row, ops)]
    print_table(("", "CPU µs/update", "p50 ms", "p99 ms"), rows)
    print()
    ratio_rows = [
        ("(c) / (a)", ops.cpu_us / bare.cpu_us, ops.p50_ms / bare.p50_ms, ops.p99_ms / bare.p99_ms),
        (
            "(c) / (b)",
            ops.cpu_us / one_row.cpu_us,
            ops.p50_ms / one_row.p50_ms,
            ops.p99_ms / one_row.p99_ms,
        ),
    ]
    print_table(("ratio", "CPU", "p50", "p99"), ratio_rows)
    result = QuickReportResult(bare, one_row, ops)
    ratio, met = result.ratio, result.met
    print()
    print(
        f"Target: (c) ≤ {TARGET_RATIO}× the one-row baseline (b) in CPU per update: "
        f"{ratio:.2f}× — {'met' if met else 'NOT met'}"
    )
    if report is not None:
        print()
        print(report)
    return result


def run() -> None:
    options = parser(__doc__.splitlines()[0] if __doc__ else "")
    options.add_argument("--updates", type=int, default=2000, help="measured updates (2000)")
    options.add_argument("--warmup", type=int, default=200, help="untimed first updates (200)")
    options.add_argument(
        "--profile", action="store_true", help="profile (c) with cProfile and print where time goes"
    )
    args = options.parse_args()
    result = asyncio.run(main(args.database, args.updates, args.warmup, profile=args.profile))
    raise SystemExit(0 if result.met else 1)


if __name__ == "__main__":
    run()
