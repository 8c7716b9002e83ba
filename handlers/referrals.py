"""The referral queue (outreach) and "Rough sleeper seen" (every member).

A referral comes from a rough sleeping report (storage.reports files it) or from the
"Rough sleeper seen" flow here. Outreach workers take it, log the contact that closes it
(handlers.outreach) or close it as not found; the reporter is told the outcome through
the outbox, never anything about the person.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from dataclasses import asdict
from datetime import timedelta
from enum import IntEnum
from typing import Any

from pydantic import ValidationError
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.outreach import MAX_PLACE_TEXT, SightingDraft, draft_expired, referral_age
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, query_of, reply, shared_point
from handlers.registry import button, command
from storage.outreach import ReferralView, SightingIn

log = logging.getLogger(__name__)

END = ConversationHandler.END
DRAFT = "referrals.sighting"  # user_data: the "Rough sleeper seen" being filled in
MAX_LOOKS = 300
SHOWN = 10  # referrals listed at once, oldest first


class Seen(IntEnum):
    PLACE = 1
    WHEN = 2
    LOOKS = 3
    CONFIRM = 4


SEEN_ACTIONS: dict[Seen, frozenset[str]] = {
    Seen.PLACE: frozenset({"hot"}),
    Seen.WHEN: frozenset({"when"}),
    Seen.LOOKS: frozenset({"skip"}),
    Seen.CONFIRM: frozenset({"ok"}),
}


# ---- the queue ---------------------------------------------------------------------------
def _card(view: ReferralView, context: BotContext) -> str:
    tz, r = context.settings.tz, view.referral
    closed = None
    if not view.is_open and r.closed_at is not None:
        by = view.closed_by.name if view.closed_by else None
        closed = texts.referral_closed_line(
            r.outcome.value if r.outcome else "", by, texts.local_time(r.closed_at, tz)
        )
    return texts.referral_card(
        referral_id=r.id or 0,
        seen_at=texts.local_datetime(r.seen_at, tz),
        waiting=texts.out_ago(referral_age(r.created_at, context.clock.now())),
        place=view.place,
        description=view.description,
        reporter=view.reporter.name if view.reporter else None,
        taken_by=view.taken_by.name if view.taken_by else None,
        taken_at=texts.local_time(r.taken_at, tz) if r.taken_at else None,
        closed=closed,
    )


async def referrals_command(update: Update, context: BotContext) -> None:
    views, total = await context.store.outreach.open_referrals(limit=SHOWN)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not views:
        await reply(update, texts.REFERRALS_NONE)
        return
    await reply(update, texts.referrals_header(len(views), total))
    for view in views:
        await reply(
            update,
            _card(view, context),
            keyboards.referral_buttons(view.referral.id or 0, taken=view.taken_by is not None),
        )


async def referral_button(update: Update, context: BotContext) -> None:
    """ref:list / take / nf (ref:log starts a contact: handlers.outreach)."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    if parsed is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if parsed.action == "list":
        await referrals_command(update, context)
        return
    referral_id = parsed.int_arg(0)
    view = await context.store.outreach.referral(referral_id) if referral_id else None
    if view is None or referral_id is None:
        await query.answer(texts.REFERRAL_GONE, show_alert=True)
        return
    if not view.is_open:
        await query.answer(texts.REFERRAL_ALREADY_CLOSED, show_alert=True)
        await edit_or_reply(update, _card(view, context))
        return
    if parsed.action == "take":
        taken = await context.store.outreach.take(referral_id, by=context.member)
        if taken is None:
            await query.answer(texts.REFERRAL_GONE, show_alert=True)
            return
        mine = taken.won or (
            taken.view.taken_by is not None and taken.view.taken_by.id == context.member.id
        )
        name = taken.view.taken_by.name if taken.view.taken_by else None
        await query.answer(
            texts.referral_taken_by_you(referral_id) if mine else texts.referral_already_taken(name)
        )
        await edit_or_reply(
            update, _card(taken.view, context), keyboards.referral_buttons(referral_id, taken=True)
        )
        return
    if parsed.action == "nf":
        tz = context.settings.tz
        notice = texts.referral_notice(
            "not_found", referral_id, texts.local_datetime(view.referral.seen_at, tz)
        )
        closed = await context.store.outreach.not_found(
            referral_id, by=context.member, reporter_notice=notice
        )
        await query.answer(None if closed else texts.REFERRAL_ALREADY_CLOSED)
        if closed:
            context.services.outbox_wakeup.set()
            log.info("referral %s closed as not found by member %s", referral_id, context.member.id)
        after = await context.store.outreach.referral(referral_id)
        await edit_or_reply(update, _card(after or view, context))
        return
    await query.answer(texts.STALE_BUTTON)


# ---- "Rough sleeper seen" (any member) ------------------------------------------------------
def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise RuntimeError("referrals handler ran without a user")
    return data


def _draft(context: BotContext) -> SightingDraft | None:
    raw = _user_data(context).get(DRAFT)
    if not isinstance(raw, dict):
        return None
    try:
        draft = SightingDraft(**raw)
    except TypeError:
        return None
    if draft_expired(draft.touched, context.clock.now()):
        _forget(context)
        return None
    return draft


def _forget(context: BotContext) -> None:
    _user_data(context).pop(DRAFT, None)


async def _go(
    update: Update, context: BotContext, draft: SightingDraft, step: Seen, *, new: bool = False
) -> int:
    draft.step = int(step)
    draft.touched = context.clock.now().isoformat()
    _user_data(context)[DRAFT] = asdict(draft)
    d = draft.draft_id
    if step is Seen.PLACE:
        text, markup = (
            texts.RS_WHERE,
            keyboards.rs_places(d, await context.store.hotspots.most_used()),
        )
    elif step is Seen.WHEN:
        text, markup = texts.RS_WHEN, keyboards.rs_when(d)
    elif step is Seen.LOOKS:
        text, markup = texts.RS_LOOKS, keyboards.rs_skip(d)
    else:
        seen_at = context.clock.now() - timedelta(minutes=draft.minutes_ago)
        text = texts.rs_summary(
            draft.place or "", texts.local_datetime(seen_at, context.settings.tz), draft.appearance
        )
        markup = keyboards.rs_confirm(d)
    if new:
        await reply(update, text, markup)
    else:
        await edit_or_reply(update, text, markup)
    return step


async def seen_start(update: Update, context: BotContext) -> int:
    """/roughsleeper or the menu's "Rough sleeper seen"."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    _forget(context)
    draft = SightingDraft(draft_id=secrets.token_hex(3))
    return await _go(update, context, draft, Seen.PLACE, new=True)


async def seen_button(update: Update, context: BotContext) -> int | None:
    """rs:<action>:<draft>[:<arg>] while a sighting is being filled in."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    draft = _draft(context)
    if draft is None:
        await query.answer(texts.RS_FINISHED)
        return END
    if parsed is None or not parsed.args or parsed.args[0] != draft.draft_id:
        await query.answer(texts.RS_OLD_BUTTON)
        return None
    if parsed.action == "x":
        await query.answer()
        _forget(context)
        await edit_or_reply(update, texts.RS_CANCELLED)
        return END
    step = Seen(draft.step)
    if parsed.action not in SEEN_ACTIONS.get(step, frozenset()):
        await query.answer(texts.RS_OLD_BUTTON)
        return None
    arg = parsed.int_arg(1)
    if parsed.action == "hot":
        hotspot = await context.store.hotspots.get(arg or 0)
        if hotspot is None or hotspot.retired_at is not None:
            await query.answer(texts.REPORT_HOTSPOT_GONE, show_alert=True)
            return None
        draft.at_hotspot(hotspot.id, hotspot.name)
        await query.answer()
        return await _go(update, context, draft, Seen.WHEN)
    if parsed.action == "when":
        allowed = {minutes for _, minutes in keyboards.RS_WHEN_CHOICES}
        if arg not in allowed:
            await query.answer(texts.RS_OLD_BUTTON)
            return None
        draft.minutes_ago = arg or 0
        await query.answer()
        return await _go(update, context, draft, Seen.LOOKS)
    if parsed.action == "skip":
        await query.answer()
        return await _go(update, context, draft, Seen.CONFIRM)
    return await _send(update, context, draft)


async def seen_typed_place(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = (message_of(update).text or "").strip()
    if not text or len(text) > MAX_PLACE_TEXT:
        await reply(update, texts.out_text_too_long(len(text), MAX_PLACE_TEXT))
        return Seen.PLACE
    draft.at_text(text)
    return await _go(update, context, draft, Seen.WHEN, new=True)


async def seen_location(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    point = shared_point(update)
    if point is None:
        await reply(update, texts.OUT_LOCATION_BAD)
        return Seen.PLACE
    draft.at_point(await context.store.hotspots.places(), *point)
    return await _go(update, context, draft, Seen.WHEN, new=True)


async def seen_typed_looks(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = (message_of(update).text or "").strip()
    if len(text) > MAX_LOOKS:
        await reply(update, texts.out_text_too_long(len(text), MAX_LOOKS))
        return Seen.LOOKS
    draft.appearance = text or None
    return await _go(update, context, draft, Seen.CONFIRM, new=True)


async def _send(update: Update, context: BotContext, draft: SightingDraft) -> int:
    query = query_of(update)
    try:
        sighting = SightingIn(
            hotspot_id=draft.hotspot_id,
            place_text=draft.place_text,
            lat=draft.lat,
            lon=draft.lon,
            seen_at=context.clock.now() - timedelta(minutes=draft.minutes_ago),
            appearance=draft.appearance,
        )
    except ValidationError:
        await query.answer(texts.RS_OLD_BUTTON, show_alert=True)
        return END
    referral = await context.store.outreach.add_sighting(sighting, reporter=context.member)
    _forget(context)
    await query.answer()
    log.info("referral %s created by member %s", referral.id, context.member.id)
    await edit_or_reply(update, texts.rs_sent(referral.id or 0))
    return END


async def seen_use_buttons(update: Update, context: BotContext) -> None:
    await reply(update, texts.OUT_USE_BUTTONS)


async def _lost(update: Update, context: BotContext) -> int:
    _forget(context)
    await reply(update, texts.OUT_EXPIRED)
    return END


async def seen_cancel(update: Update, context: BotContext) -> int:
    _forget(context)
    await reply(update, texts.RS_CANCELLED)
    return END


async def seen_interrupted(update: Update, context: BotContext) -> int:
    _forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, texts.out_interrupted(word))
    return END


async def stale_seen_button(update: Update, context: BotContext) -> None:
    await query_of(update).answer(texts.RS_FINISHED)


def _typed(callback: Any) -> MessageHandler[BotContext, Any]:
    return MessageHandler(filters.TEXT & ~filters.COMMAND, callback)


def conversation() -> ConversationHandler[BotContext]:
    step_button = CallbackQueryHandler(
        seen_button, pattern=callbacks.pattern(callbacks.ROUGH_SLEEPER)
    )
    remind = MessageHandler(~filters.COMMAND, seen_use_buttons)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[
                command("roughsleeper", seen_start),
                CallbackQueryHandler(
                    seen_start, pattern=callbacks.actions_pattern(callbacks.ROUGH_SLEEPER, "new")
                ),
            ],
            states={
                Seen.PLACE: [
                    step_button,
                    _typed(seen_typed_place),
                    MessageHandler(filters.LOCATION, seen_location),
                    remind,
                ],
                Seen.WHEN: [step_button, remind],
                Seen.LOOKS: [step_button, _typed(seen_typed_looks), remind],
                Seen.CONFIRM: [step_button, remind],
            },
            fallbacks=[
                command("cancel", seen_cancel),
                MessageHandler(filters.COMMAND, seen_interrupted),
            ],
            allow_reentry=True,
            name="rough_sleeper",
            persistent=True,
        )


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        conversation(),
        command("referrals", referrals_command),
        button(callbacks.REFERRAL, referral_button),
        button(callbacks.ROUGH_SLEEPER, stale_seen_button),
    ]
