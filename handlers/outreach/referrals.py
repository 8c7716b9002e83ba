"""The referral queue (outreach) and "Rough sleeper seen" (every member).

A referral comes from a rough sleeping report (storage.reports files it) or from the
"Rough sleeper seen" flow here. Outreach workers take it, log the contact that closes it
(handlers.outreach.contact) or close it as not found; the reporter is told the outcome through
the outbox, never anything about the person.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from enum import IntEnum

from pydantic import ValidationError
from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from bot.domain.callbacks.street_outreach import (
    REFERRAL_BUTTONS,
    SIGHTING_BUTTONS,
    ReferralAction,
    ReferralList,
    ReferralPress,
    SightingAction,
    SightingAge,
    SightingHotspot,
    SightingPress,
    SightingStep,
    SightingWhen,
)
from bot.domain.outreach import MAX_PLACE_TEXT, SightingDraft, draft_expired, referral_age
from bot.keyboards import referrals as referrals_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import referrals as referrals_texts
from bot.texts import reports as reports_texts
from bot.texts import safeguarding as safeguarding_texts
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, query_of, reply, shared_point
from handlers.conversation import (
    END,
    Callback,
    DraftStep,
    Handler,
    State,
    conversation,
    on,
    typed,
    with_draft,
)
from handlers.drafts import DraftSlot
from handlers.registry import button, command
from handlers.safeguarding import send_sighting_to_lead
from storage.outreach import ReferralView, SightingIn

log = logging.getLogger(__name__)

MAX_LOOKS = 300
SHOWN = 10  # referrals listed at once, oldest first


class Seen(IntEnum):
    PLACE = 1
    WHEN = 2
    LOOKS = 3
    CONFIRM = 4
    AGE = 5  # asked first: "Do they seem under 18?"


SEEN_ACTIONS: dict[Seen, frozenset[SightingAction]] = {
    Seen.AGE: frozenset({SightingAction.AGE}),
    Seen.PLACE: frozenset({SightingAction.HOTSPOT}),
    Seen.WHEN: frozenset({SightingAction.WHEN}),
    Seen.LOOKS: frozenset({SightingAction.SKIP}),
    Seen.CONFIRM: frozenset({SightingAction.SEND}),
}


# ---- the queue ---------------------------------------------------------------------------
def _card(view: ReferralView, context: BotContext) -> str:
    tz, r = context.settings.tz, view.referral
    closed = None
    if not view.is_open and r.closed_at is not None:
        by = view.closed_by.name if view.closed_by else None
        closed = referrals_texts.referral_closed_line(
            r.outcome.value if r.outcome else "", by, common_texts.local_time(r.closed_at, tz)
        )
    return referrals_texts.referral_card(
        referral_id=r.id or 0,
        seen_at=common_texts.local_datetime(r.seen_at, tz),
        waiting=referrals_texts.out_ago(referral_age(r.created_at, context.clock.now())),
        place=view.place,
        description=view.description,
        reporter=view.reporter.name if view.reporter else None,
        taken_by=view.taken_by.name if view.taken_by else None,
        taken_at=common_texts.local_time(r.taken_at, tz) if r.taken_at else None,
        closed=closed,
    )


async def referrals_command(update: Update, context: BotContext) -> None:
    views, total = await context.store.outreach.open_referrals(limit=SHOWN)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not views:
        await reply(update, referrals_texts.REFERRALS_NONE)
        return
    await reply(update, referrals_texts.referrals_header(len(views), total))
    for view in views:
        await reply(
            update,
            _card(view, context),
            referrals_keyboards.referral_buttons(
                view.referral.id or 0, taken=view.taken_by is not None
            ),
        )


async def referral_button(update: Update, context: BotContext) -> None:
    """ref:list / take / nf (ref:log starts a contact: handlers.outreach.contact)."""
    query = query_of(update)
    match REFERRAL_BUTTONS.unpack(query.data):
        case ReferralList():
            await referrals_command(update, context)
        case ReferralPress(action=action, referral_id=referral_id):
            await _referral_action(update, context, action, referral_id)
        case None:
            await query.answer(common_texts.STALE_BUTTON)


async def _referral_action(
    update: Update, context: BotContext, action: ReferralAction, referral_id: int
) -> None:
    query = query_of(update)
    view = await context.store.outreach.referral(referral_id) if referral_id else None
    if view is None:
        await query.answer(referrals_texts.REFERRAL_GONE, show_alert=True)
        return
    if not view.is_open:
        await query.answer(referrals_texts.REFERRAL_ALREADY_CLOSED, show_alert=True)
        await edit_or_reply(update, _card(view, context))
        return
    if action is ReferralAction.TAKE:
        taken = await context.store.outreach.take(referral_id, by=context.member)
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
            else referrals_texts.referral_already_taken(name)
        )
        await edit_or_reply(
            update,
            _card(taken.view, context),
            referrals_keyboards.referral_buttons(referral_id, taken=True),
        )
        return
    if action is ReferralAction.NOT_FOUND:
        tz = context.settings.tz
        notice = referrals_texts.referral_notice(
            "not_found", referral_id, common_texts.local_datetime(view.referral.seen_at, tz)
        )
        closed = await context.store.outreach.not_found(
            referral_id, by=context.member, reporter_notice=notice
        )
        await query.answer(None if closed else referrals_texts.REFERRAL_ALREADY_CLOSED)
        if closed:
            context.services.outbox_wakeup.set()
            log.info("referral %s closed as not found by member %s", referral_id, context.member.id)
        after = await context.store.outreach.referral(referral_id)
        await edit_or_reply(update, _card(after or view, context))
        return
    await query.answer(common_texts.STALE_BUTTON)


# ---- "Rough sleeper seen" (any member) ------------------------------------------------------
def _touch(draft: SightingDraft, now: datetime) -> None:
    draft.touched = now.isoformat()


# The sighting being filled in; left an hour, it is dropped.
SIGHTING_DRAFT = DraftSlot.of_dataclass(
    "referrals.sighting",
    SightingDraft,
    expired=lambda draft, context: draft_expired(draft.touched, context.clock.now()),
    touch=_touch,
)


async def _go(
    update: Update, context: BotContext, draft: SightingDraft, step: Seen, *, new: bool = False
) -> int:
    draft.step = int(step)
    SIGHTING_DRAFT.put(context, draft)
    d = draft.draft_id
    if step is Seen.AGE:
        text, markup = referrals_texts.RS_UNDER_18, referrals_keyboards.rs_under_18(d)
    elif step is Seen.PLACE:
        text, markup = (
            referrals_texts.RS_WHERE,
            referrals_keyboards.rs_places(d, await context.store.hotspots.most_used()),
        )
    elif step is Seen.WHEN:
        text, markup = referrals_texts.RS_WHEN, referrals_keyboards.rs_when(d)
    elif step is Seen.LOOKS:
        text, markup = referrals_texts.RS_LOOKS, referrals_keyboards.rs_skip(d)
    else:
        seen_at = context.clock.now() - timedelta(minutes=draft.minutes_ago)
        text = referrals_texts.rs_summary(
            draft.place or "",
            common_texts.local_datetime(seen_at, context.settings.tz),
            draft.appearance,
            under_18=draft.under_18,
        )
        markup = referrals_keyboards.rs_confirm(d, under_18=draft.under_18)
    if new:
        await reply(update, text, markup)
    else:
        await edit_or_reply(update, text, markup)
    return step


async def seen_start(update: Update, context: BotContext) -> int:
    """/roughsleeper or the menu's "Rough sleeper seen"."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    SIGHTING_DRAFT.forget(context)
    draft = SightingDraft(draft_id=secrets.token_hex(3))
    return await _go(update, context, draft, Seen.AGE, new=True)


async def seen_button(update: Update, context: BotContext) -> State:
    """rs:<action>:<draft>[:<arg>] while a sighting is being filled in."""
    query = query_of(update)
    draft = SIGHTING_DRAFT.get(context)
    if draft is None:
        await query.answer(referrals_texts.RS_FINISHED)
        return END
    pressed = SIGHTING_BUTTONS.unpack(query.data)
    if not isinstance(pressed, SightingStep) or pressed.draft_id != draft.draft_id:
        await query.answer(referrals_texts.RS_OLD_BUTTON)
        return None
    if pressed.action is SightingAction.CANCEL:
        await query.answer()
        SIGHTING_DRAFT.forget(context)
        await edit_or_reply(update, referrals_texts.RS_CANCELLED)
        return END
    if pressed.action not in SEEN_ACTIONS.get(Seen(draft.step), frozenset()):
        await query.answer(referrals_texts.RS_OLD_BUTTON)
        return None
    match pressed:
        case SightingAge(under_18=under_18):
            draft.under_18 = under_18
            await query.answer()
            if under_18:  # what happens now, and 999 first if they are in danger
                await edit_or_reply(update, safeguarding_texts.SIGHTING_UNDER_18)
                return await _go(update, context, draft, Seen.PLACE, new=True)
            return await _go(update, context, draft, Seen.PLACE)
        case SightingHotspot(hotspot_id=hotspot_id):
            hotspot = await context.store.hotspots.get(hotspot_id)
            if hotspot is None or hotspot.retired_at is not None:
                await query.answer(reports_texts.REPORT_HOTSPOT_GONE, show_alert=True)
                return None
            draft.at_hotspot(hotspot.id, hotspot.name)
            await query.answer()
            return await _go(update, context, draft, Seen.WHEN)
        case SightingWhen(minutes_ago=minutes_ago):
            if minutes_ago not in {minutes for _, minutes in referrals_keyboards.RS_WHEN_CHOICES}:
                await query.answer(referrals_texts.RS_OLD_BUTTON)
                return None
            draft.minutes_ago = minutes_ago
            await query.answer()
            return await _go(update, context, draft, Seen.LOOKS)
        case SightingPress(action=SightingAction.SKIP):
            await query.answer()
            return await _go(update, context, draft, Seen.CONFIRM)
    return await _send(update, context, draft)


async def seen_typed_place(update: Update, context: BotContext, draft: SightingDraft) -> int:
    text = (message_of(update).text or "").strip()
    if not text or len(text) > MAX_PLACE_TEXT:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_PLACE_TEXT))
        return Seen.PLACE
    draft.at_text(text)
    return await _go(update, context, draft, Seen.WHEN, new=True)


async def seen_location(update: Update, context: BotContext, draft: SightingDraft) -> int:
    point = shared_point(update)
    if point is None:
        await reply(update, outreach_texts.OUT_LOCATION_BAD)
        return Seen.PLACE
    draft.at_point(await context.store.hotspots.places(), *point)
    return await _go(update, context, draft, Seen.WHEN, new=True)


async def seen_typed_looks(update: Update, context: BotContext, draft: SightingDraft) -> int:
    text = (message_of(update).text or "").strip()
    if len(text) > MAX_LOOKS:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_LOOKS))
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
        await query.answer(referrals_texts.RS_OLD_BUTTON, show_alert=True)
        return END
    if draft.under_18:
        SIGHTING_DRAFT.forget(context)
        return await send_sighting_to_lead(update, context, sighting)
    referral = await context.store.outreach.add_sighting(sighting, reporter=context.member)
    SIGHTING_DRAFT.forget(context)
    await query.answer()
    log.info("referral %s created by member %s", referral.id, context.member.id)
    await edit_or_reply(update, referrals_texts.rs_sent(referral.id or 0))
    return END


async def seen_use_buttons(update: Update, context: BotContext) -> None:
    await reply(update, outreach_texts.OUT_USE_BUTTONS)


async def _lost(update: Update, context: BotContext) -> int:
    """The timeout: the sighting was left too long (or is unreadable)."""
    SIGHTING_DRAFT.forget(context)
    await reply(update, outreach_texts.OUT_EXPIRED)
    return END


async def seen_cancel(update: Update, context: BotContext) -> int:
    SIGHTING_DRAFT.forget(context)
    await reply(update, referrals_texts.RS_CANCELLED)
    return END


async def seen_interrupted(update: Update, context: BotContext) -> int:
    SIGHTING_DRAFT.forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, outreach_texts.out_interrupted(word))
    return END


async def stale_seen_button(update: Update, context: BotContext) -> None:
    await query_of(update).answer(referrals_texts.RS_FINISHED)


def sighting_conversation() -> ConversationHandler[BotContext]:
    step_button = CallbackQueryHandler(seen_button, pattern=SIGHTING_BUTTONS.pattern())

    def answer(handle: DraftStep[SightingDraft]) -> Callback:
        return with_draft(SIGHTING_DRAFT, _lost, handle)

    return conversation(
        "rough_sleeper",
        permission=Permission.MEMBER,
        entry_points=[
            command("roughsleeper", seen_start),
            CallbackQueryHandler(seen_start, pattern=SIGHTING_BUTTONS.pattern(SightingAction.NEW)),
        ],
        every_step=[step_button],
        steps={
            Seen.PLACE: [
                typed(answer(seen_typed_place)),
                on(filters.LOCATION, answer(seen_location)),
            ],
            Seen.WHEN: [],
            Seen.LOOKS: [typed(answer(seen_typed_looks))],
            Seen.CONFIRM: [],
            Seen.AGE: [],
        },
        otherwise=seen_use_buttons,
        cancel=seen_cancel,
        interrupted=seen_interrupted,
        persistent=True,
    )


def handlers() -> list[Handler]:
    return [
        sighting_conversation(),
        command("referrals", referrals_command),
        button(callbacks.REFERRAL, referral_button),
        button(callbacks.ROUGH_SLEEPER, stale_seen_button),
    ]
