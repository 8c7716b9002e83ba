"""Dropping report drafts left unanswered past their time to live."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import ReplyKeyboardRemove
from telegram.error import TelegramError
from telegram.ext import Application, ConversationHandler

from bot.context import BotContext, OpsApplication
from bot.domain.reports.report_draft import (
    DRAFT_KEY,
    KEPT_DRAFTS_KEY,
    REPORT_CONVERSATION,
    ReportDraft,
    kept_drafts,
    kept_to_json,
)
from bot.jobs.repeating import every
from bot.texts import reports as reports_texts

log = logging.getLogger(__name__)

EXPIRY_JOB = "expire-report-drafts"
EXPIRY_INTERVAL_SECONDS = 60


def _report_conversation(
    application: Application,  # type: ignore[type-arg]
) -> ConversationHandler[BotContext] | None:
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.name == REPORT_CONVERSATION:
                return handler
    return None


async def expire_drafts(application: Application) -> int:  # type: ignore[type-arg]
    """Drop drafts unanswered for longer than the TTL and tell their reporters; drafts
    kept aside past the TTL are dropped without a word.

    Reports are written in private chats, so a member's conversation key is (their id,
    their id). Returns how many drafts expired.
    """
    assert isinstance(application, OpsApplication)
    services = application.services
    minutes = services.settings.draft_ttl_minutes
    now, ttl = services.clock.now(), timedelta(minutes=minutes)
    expired: list[int] = []
    pruned: list[int] = []
    for user_id, data in application.user_data.items():
        if KEPT_DRAFTS_KEY in data:
            # Drafts kept aside (/drafts) expire as quietly as they were kept.
            alive = kept_to_json(kept_drafts(data[KEPT_DRAFTS_KEY], now, ttl))
            if alive != data[KEPT_DRAFTS_KEY]:
                if alive:
                    data[KEPT_DRAFTS_KEY] = alive
                else:
                    del data[KEPT_DRAFTS_KEY]
                pruned.append(user_id)
        if DRAFT_KEY not in data:
            continue
        draft = ReportDraft.from_json(data[DRAFT_KEY])
        if draft is None or draft.is_expired(now, ttl):
            del data[DRAFT_KEY]
            expired.append(user_id)
    if pruned:
        application.mark_data_for_update_persistence(user_ids=pruned)
    if not expired:
        return 0
    application.mark_data_for_update_persistence(user_ids=expired)
    conversation = _report_conversation(application)
    for user_id in expired:
        if conversation is not None:
            # PTB has no public call to end a conversation outside an update;
            # _update_state is what its own timeout uses, tracked for the persistence.
            conversation._update_state(ConversationHandler.END, (user_id, user_id))
        try:
            await application.bot.send_message(
                user_id,
                reports_texts.draft_expired_notice(minutes),
                reply_markup=ReplyKeyboardRemove(),
            )
        except TelegramError as error:
            log.warning(
                "user %s not told of their expired draft: %s", user_id, type(error).__name__
            )
    log.info("%d report drafts expired", len(expired))
    return len(expired)


async def _expire_drafts_job(context: BotContext) -> None:
    await expire_drafts(context.application)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    every(application, _expire_drafts_job, name=EXPIRY_JOB, seconds=EXPIRY_INTERVAL_SECONDS)
