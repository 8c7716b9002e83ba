"""Quick reports: a plain message read for a category, a place and its urgency, proposed
with Confirm / Change category / Change place / Urgent on-off / Cancel; a location alone, a
photo or a voice note starts a report too.

A place that is not a hotspot is kept as the report's place text; with no place in the
words, the member's own location (shared with /on, or live while on duty) stands for it
when fresh (TCAG_OWN_LOCATION_FRESH_MINUTES). Urgent words make the proposal urgent and it
says which. Nothing recognised offers the category buttons; a photo with a caption is a
quick report with the photo, without one (or a voice note) a guided report with it. The
first message of a live location shares where the member is; it starts no report.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import ReplyKeyboardRemove, Update

from bot.context import BotContext
from bot.domain.callbacks.reports import QuickChange, QuickToggleUrgent, QuickUnder18
from bot.domain.reports.report_draft import ReportDraft, description_too_long
from bot.domain.shifts.duty import fresh_location
from bot.keyboards import reports as reports_keyboards
from bot.texts import common as common_texts
from bot.texts import reports as report_texts
from bot.texts import reports as reports_texts
from handlers.common import message_of
from handlers.conversation import END, State
from handlers.reports.draft import (
    REPORT_DRAFT,
    answer,
    apply_location,
    is_point,
    replace,
    send,
    settle,
    show,
    vocabulary,
)


async def quick_text(update: Update, context: BotContext) -> int:
    text = message_of(update).text or ""
    if text == reports_keyboards.TYPE_A_PLACE:  # the place keyboard of a draft that has gone
        await send(update, context, reports_texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
        return END
    if description_too_long(text):
        await send(update, context, reports_texts.quick_too_long(len(text)))
        return END
    return await _quick(update, context, text, [])


async def _quick(
    update: Update, context: BotContext, text: str, attachments: list[tuple[str, str]]
) -> int:
    known = await vocabulary(context)
    proposal = known.matcher.propose(text)
    rule = known.rule(proposal.category.category_id) if proposal.category else None
    now = context.clock.now()
    draft = ReportDraft.from_proposal(now, text, proposal, rule)
    for kind, file_id in attachments:
        draft.attach(kind, file_id, limit=context.settings.max_photos_per_report)
    if not draft.has_place:
        await _use_own_location(context, draft)
    draft.begin()
    return await show(update, context, draft, None if rule else reports_texts.QUICK_NOTHING_MATCHED)


async def _use_own_location(context: BotContext, draft: ReportDraft) -> None:
    """The member's own location (from /on, or live) when fresh: theirs to see only."""
    own = await context.store.duty.own_location(context.member.id or 0)
    max_age = timedelta(minutes=context.settings.own_location_fresh_minutes)
    fresh = fresh_location(own, context.clock.now(), max_age)
    if fresh is not None:
        places = (await vocabulary(context)).places
        draft.use_own_location(places, fresh, area_radius_m=context.settings.area_radius_m)


async def quick_location(update: Update, context: BotContext) -> int:
    location = message_of(update).location
    if location is None:
        return END
    if not is_point(location.latitude, location.longitude):
        await send(update, context, common_texts.LOCATION_NOT_A_POINT)
        return END
    # A live location's first message: sharing where they are, not reporting a place.
    # (Read through to_dict: the attribute warns of its coming change of type.)
    if location.to_dict().get("live_period"):
        on_duty = await context.store.duty.set_live_location(
            context.member.id or 0, location.latitude, location.longitude
        )
        live = report_texts.LIVE_LOCATION_ON if on_duty else report_texts.LIVE_LOCATION_OFF_DUTY
        await send(update, context, live)
        return END
    draft = ReportDraft.at_location(context.clock.now())
    await apply_location(context, draft, location.latitude, location.longitude)
    draft.begin()
    return await show(update, context, draft, reports_texts.report_at_place(draft))


async def quick_photo(update: Update, context: BotContext) -> int:
    message = message_of(update)
    file_id = message.photo[-1].file_id  # the largest size
    if message.caption and message.caption.strip():
        return await _quick(update, context, message.caption, [("photo", file_id)])
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("photo", file_id)
    draft.begin()
    return await show(update, context, draft, reports_texts.REPORT_PHOTO_START)


async def quick_voice(update: Update, context: BotContext) -> int:
    voice = message_of(update).voice
    if voice is None:
        return END
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("voice", voice.file_id)
    draft.begin()
    return await show(update, context, draft, reports_texts.REPORT_VOICE_START)


async def change(
    update: Update, context: BotContext, draft: ReportDraft, pressed: QuickChange
) -> State:
    """qr:cat / qr:place: change what the message was read as."""
    await answer(update, context)
    await settle(update)
    draft.change(pressed.field)
    return await show(update, context, draft)


async def toggle_urgent(
    update: Update, context: BotContext, draft: ReportDraft, pressed: QuickToggleUrgent
) -> State:
    """qr:urg: urgent on or off with one tap; the proposal changes in place."""
    draft.toggle_urgent()
    await answer(update, context, report_texts.urgent_now(draft.urgent))
    REPORT_DRAFT.put(context, draft)
    proposal = report_texts.quick_proposal(draft, context.clock.now())
    await replace(
        update,
        context,
        proposal,
        reports_keyboards.quick_proposal(draft.id, urgent=draft.urgent, under_18=draft.under_18),
    )
    return draft.step


async def toggle_under_18(
    update: Update, context: BotContext, draft: ReportDraft, pressed: QuickUnder18
) -> State:
    """qr:u18: "Under 18 involved?" on or off with one tap; the proposal changes in place."""
    draft.toggle_under_18()
    await answer(update, context, report_texts.under_18_now(draft.under_18))
    REPORT_DRAFT.put(context, draft)
    proposal = report_texts.quick_proposal(draft, context.clock.now())
    await replace(
        update,
        context,
        proposal,
        reports_keyboards.quick_proposal(draft.id, urgent=draft.urgent, under_18=draft.under_18),
    )
    return draft.step
