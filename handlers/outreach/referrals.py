"""The referral queue (outreach): /referrals, and the buttons of every referral's card.

A referral comes from a rough sleeping report (storage.reports files it) or from "Rough
sleeper seen" (handlers.outreach.sighting), and reaches outreach at once: a copy is pushed
to each outreach worker on duty, or to each at their next /on (storage.outreach
.referral_copies, sent by the outbox). On a card or a copy, a worker can:

- Take it: the others' copies then say who took it and lose their buttons, so two do not
  go; a second Take is told who has it;
- Log contact: the contact flow (handlers.outreach.contact), which takes it and closes it;
- Not found: asks where they looked (one line, a step of the outreach conversation), then
  closes it and tells the reporter. Reported again at that place within 24 hours, it
  reopens with both reports.

The reporter is told the outcome through the outbox, never anything about the person.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.street_outreach import (
    REFERRAL_BUTTONS,
    ReferralAction,
    ReferralList,
    ReferralNotFoundCancel,
    ReferralPress,
)
from bot.domain.outreach import NotFoundDraft
from bot.jobs.referral_messages import copy_message, queue_message
from bot.keyboards import referrals as referrals_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import referrals as referrals_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.conversation import END, Handler, on, typed
from handlers.outreach.shared import NOT_FOUND, Step, forget, lost, typed_text
from handlers.registry import button, command
from storage.outreach import Pressed, ReferralView

log = logging.getLogger(__name__)

SHOWN = 10  # referrals listed at once, oldest first


def _pressed(update: Update) -> Pressed | None:
    message = query_of(update).message
    return Pressed(message.chat.id, message.message_id) if message is not None else None


async def _show(update: Update, context: BotContext, view: ReferralView) -> None:
    """Edit the pressed card or copy to the referral as it is now, for this worker."""
    tz, now, pressed = context.settings.tz, context.clock.now(), _pressed(update)
    referral_id = view.referral.id or 0
    if pressed is not None and await context.store.referrals.is_copy(referral_id, pressed):
        message = copy_message(view, tz=tz, now=now, viewer=context.member)
    else:
        message = queue_message(view, tz=tz, now=now)
    await edit_or_reply(update, message.text, message.markup)


# ---- the queue ---------------------------------------------------------------------------
async def referrals_command(update: Update, context: BotContext) -> None:
    views, total = await context.store.outreach.open_referrals(limit=SHOWN)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not views:
        await reply(update, referrals_texts.REFERRALS_NONE)
        return
    await reply(update, referrals_texts.referrals_header(len(views), total))
    tz, now = context.settings.tz, context.clock.now()
    for view in views:
        message = queue_message(view, tz=tz, now=now)
        await reply(update, message.text, message.markup)


async def referral_button(update: Update, context: BotContext) -> None:
    """ref:list / take (ref:log starts a contact, ref:nf asks where they looked: both are
    entry points of the outreach conversation)."""
    query = query_of(update)
    match REFERRAL_BUTTONS.unpack(query.data):
        case ReferralList():
            await referrals_command(update, context)
        case ReferralPress(action=ReferralAction.TAKE, referral_id=referral_id):
            await _take(update, context, referral_id)
        case ReferralNotFoundCancel():
            await query.answer(referrals_texts.NOT_FOUND_NOTHING_TO_STOP)
        case _:
            await query.answer(common_texts.STALE_BUTTON)


async def _open_view(update: Update, context: BotContext, referral_id: int) -> ReferralView | None:
    """The referral behind a button while it is open; else None, after saying why."""
    query = query_of(update)
    view = await context.store.outreach.referral(referral_id) if referral_id else None
    if view is None:
        await query.answer(referrals_texts.REFERRAL_GONE, show_alert=True)
        return None
    if not view.is_open:
        await query.answer(referrals_texts.REFERRAL_ALREADY_CLOSED, show_alert=True)
        await _show(update, context, view)
        return None
    return view


async def _take(update: Update, context: BotContext, referral_id: int) -> None:
    query = query_of(update)
    if await _open_view(update, context, referral_id) is None:
        return
    taken = await context.store.referrals.take(
        referral_id, by=context.member, pressed=_pressed(update)
    )
    if taken is None:
        await query.answer(referrals_texts.REFERRAL_GONE, show_alert=True)
        return
    mine = taken.won or (
        taken.view.taken_by is not None and taken.view.taken_by.id == context.member.id
    )
    name = taken.view.taken_by.name if taken.view.taken_by else None
    await query.answer(
        referrals_texts.referral_taken_by_you(referral_id)
        if mine
        else referrals_texts.referral_already_taken(name),
        show_alert=not mine,
    )
    if taken.won:
        context.services.outbox_wakeup.set()  # the other workers' copies say who took it
        log.info("referral %s taken by member %s", referral_id, context.member.id)
    await _show(update, context, taken.view)


# ---- "Not found": where they looked, then closed -----------------------------------------
async def ask_where_looked(update: Update, context: BotContext) -> int:
    """ref:nf:<referral>: ask where they looked (one line); nothing closes until then."""
    query = query_of(update)
    pressed = ReferralPress.unpack(query.data)
    view = await _open_view(update, context, pressed.referral_id if pressed else 0)
    if view is None or pressed is None:
        return END
    await query.answer()
    forget(context)
    NOT_FOUND.put(context, NotFoundDraft(pressed.referral_id))
    await reply(
        update,
        referrals_texts.not_found_ask(pressed.referral_id, view.place),
        referrals_keyboards.not_found_cancel(),
    )
    return Step.WHERE_LOOKED


async def where_looked(update: Update, context: BotContext) -> int:
    draft = NOT_FOUND.get(context)
    if draft is None:
        return await lost(update, context)
    text = typed_text(update)
    if "\n" in text:
        await reply(update, referrals_texts.NOT_FOUND_ONE_LINE)
        return Step.WHERE_LOOKED
    if len(text) > referrals_texts.MAX_WHERE_LOOKED:
        limit = referrals_texts.MAX_WHERE_LOOKED
        await reply(update, outreach_texts.out_text_too_long(len(text), limit))
        return Step.WHERE_LOOKED
    if not text:
        await reply(update, referrals_texts.NOT_FOUND_USE_TEXT)
        return Step.WHERE_LOOKED
    forget(context)
    view = await context.store.outreach.referral(draft.referral_id)
    if view is None:
        await reply(update, referrals_texts.REFERRAL_GONE)
        return END
    tz = context.settings.tz
    notice = referrals_texts.referral_notice(
        "not_found", draft.referral_id, common_texts.local_datetime(view.referral.seen_at, tz)
    )
    closed = await context.store.referrals.not_found(
        draft.referral_id, by=context.member, where_looked=text, reporter_notice=notice
    )
    if not closed:
        await reply(update, referrals_texts.REFERRAL_ALREADY_CLOSED)
        return END
    context.services.outbox_wakeup.set()
    log.info("referral %s closed as not found by member %s", draft.referral_id, context.member.id)
    await reply(update, referrals_texts.not_found_done(draft.referral_id, text))
    return END


async def not_found_cancel(update: Update, context: BotContext) -> int:
    await query_of(update).answer()
    forget(context)
    await edit_or_reply(update, referrals_texts.NOT_FOUND_CANCELLED)
    return END


async def please_type_where(update: Update, context: BotContext) -> None:
    await reply(update, referrals_texts.NOT_FOUND_USE_TEXT)


def entry_points() -> list[Handler]:
    return [
        CallbackQueryHandler(
            ask_where_looked, pattern=REFERRAL_BUTTONS.pattern(ReferralAction.NOT_FOUND)
        )
    ]


def steps() -> dict[Step, list[Handler]]:
    return {
        Step.WHERE_LOOKED: [
            CallbackQueryHandler(
                not_found_cancel, pattern=REFERRAL_BUTTONS.pattern(ReferralAction.NOT_FOUND_CANCEL)
            ),
            typed(where_looked),
            on(~filters.COMMAND, please_type_where),
        ]
    }


def handlers() -> list[Handler]:
    return [
        command("referrals", referrals_command),
        button(callbacks.REFERRAL, referral_button),
    ]
