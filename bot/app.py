"""build_application: the one composition root for `tcag run`, the console, demo and tests."""

from __future__ import annotations

from datetime import timedelta

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotContext, OpsApplication, Services
from bot.domain.access.flood import FloodGate
from bot.domain.alerts.send_budget import SendRates
from bot.domain.clock import Clock
from bot.jobs.outbox_sender import OutboxSender
from bot.jobs.registry import schedule_jobs
from bot.jobs.scheduler import start_jobs as start_schedule_jobs
from bot.jobs.send_budget import BudgetRateLimiter, SendBudget, sending_bot
from bot.jobs.update_order import ChatOrderedProcessor
from handlers import all_handlers
from handlers.errors import ErrorReporter
from storage.state.persistence import DatabasePersistence
from storage.store import Store

# A token of the right shape for runs that never reach Telegram (console, demo, tests).
OFFLINE_TOKEN = "7000000001:offline-token-for-the-local-bot-api"


def build_application(
    settings: Settings,
    *,
    store: Store,
    clock: Clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> OpsApplication:
    """Everything wired once. `request` replaces the HTTP transport (the local Bot API)."""
    services = Services(
        settings=settings,
        store=store,
        clock=clock,
        flood_gate=FloodGate(settings.member_updates_per_minute),
    )
    # One send budget for everything the bot sends: the application's replies (through
    # PTB's rate-limiter hook) and the outbox sender alike. Unpaced when nothing real is on
    # the other end (tests, console, demo).
    budget = SendBudget(send_rates(settings) if rate_limit else SendRates.unpaced())
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        ApplicationBuilder()
        .application_class(OpsApplication, kwargs={"services": services})
        .token(settings.token_value or OFFLINE_TOKEN)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        # Concurrent across chats, in order within each, urgent updates first.
        .concurrent_updates(ChatOrderedProcessor(settings.update_concurrency))
    )
    if rate_limit:
        builder = builder.rate_limiter(BudgetRateLimiter(budget, max_retries=2))
    # Conversation states and drafts survive restarts (table bot_state); the persistent
    # report conversation needs it, so it is always on.
    builder = builder.persistence(DatabasePersistence(store.bot_state))
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        # At a stop PTB makes one more getUpdates call (to confirm what was fetched) while
        # the cancelled long poll may still hold PTB's one polling connection: a second
        # connection keeps that call from timing out on the pool (and logging a traceback).
        builder = builder.get_updates_connection_pool_size(2).get_updates_pool_timeout(5)
    application = builder.build()
    assert isinstance(application, OpsApplication)
    for group, handler in all_handlers():
        application.add_handler(handler, group=group)
    application.add_error_handler(ErrorReporter())
    schedule_jobs(application)
    # Its own Bot, asking the same budget itself: a flood-controlled chat's rows go back to
    # the queue rather than wait inside a rate limiter.
    application.send_budget = budget
    application.outbox_sender = OutboxSender(
        sending_bot(
            application.bot, base_url=settings.base_url, base_file_url=settings.base_file_url
        ),
        services,
        budget=budget,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )
    return application


def send_rates(settings: Settings) -> SendRates:
    """Telegram's limits, shared as the settings say."""
    return SendRates(
        overall_per_second=settings.send_rate_per_second,
        group_bulk_per_minute=settings.group_bulk_per_minute,
        reply_share=settings.send_reply_share_percent / 100,
    )


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    # What a stranger's command menu shows: only the way in.
    await application.bot.set_my_commands([BotCommand("start", "Ask for access or open the menu")])
    # Briefings, digests and the weekly summary: jobs rebuilt from the shift patterns stored,
    # and a catch-up run for anything missed while the bot was down.
    await start_schedule_jobs(application)
