"""build_application: the one composition root for `tcag run`, the console, demo and tests."""

from __future__ import annotations

from datetime import timedelta

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotContext, OpsApplication, Services
from bot.domain.clock import Clock
from bot.domain.flood import FloodGate
from bot.jobs.outbox_sender import OutboxSender, SendRates, sending_bot
from bot.jobs.registry import schedule_jobs
from bot.jobs.scheduler import start_jobs as start_schedule_jobs
from handlers import all_handlers
from handlers.errors import ErrorReporter
from storage.persistence import DatabasePersistence
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
        .concurrent_updates(False)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    # Conversation states and drafts survive restarts (table bot_state); the persistent
    # report conversation needs it, so it is always on.
    builder = builder.persistence(DatabasePersistence(store.bot_state))
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    application = builder.build()
    assert isinstance(application, OpsApplication)
    for group, handler in all_handlers():
        application.add_handler(handler, group=group)
    application.add_error_handler(ErrorReporter())
    schedule_jobs(application)
    # Its own Bot, without the application's rate limiter: replies never wait behind a
    # fan-out. Unpaced when nothing real is on the other end (tests, console).
    rates = (
        SendRates(overall_per_second=settings.outbox_rate_per_second)
        if rate_limit
        else SendRates.unpaced()
    )
    application.outbox_sender = OutboxSender(
        sending_bot(
            application.bot, base_url=settings.base_url, base_file_url=settings.base_file_url
        ),
        services,
        rates=rates,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )
    return application


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    # What a stranger's command menu shows: only the way in.
    await application.bot.set_my_commands([BotCommand("start", "Ask for access or open the menu")])
    # Briefings, digests and the weekly summary: jobs rebuilt from the shift patterns stored,
    # and a catch-up run for anything missed while the bot was down.
    await start_schedule_jobs(application)
