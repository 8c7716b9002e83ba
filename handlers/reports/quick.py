"""Quick reports: a plain message read for a category and a place, proposed with Confirm /
Change category / Change place / Cancel; a location alone, a photo or a voice note starts a
report too.

Nothing recognised in the message offers the category buttons; a photo with a caption is a
quick report with the photo, without one (or a voice note) a guided report with it.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain.callbacks.reports import QuickChange
from bot.domain.report_draft import ReportDraft, Step, description_too_long
from handlers.common import message_of, query_of
from handlers.conversation import END, State
from handlers.reports.draft import apply_location, is_point, send, settle, show, vocabulary


async def quick_text(update: Update, context: BotContext) -> int:
    text = message_of(update).text or ""
    if text == keyboards.TYPE_A_PLACE:  # the place keyboard of a draft that has gone
        await send(update, context, texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
        return END
    if description_too_long(text):
        await send(update, context, texts.quick_too_long(len(text)))
        return END
    return await _quick(update, context, text, [])


async def _quick(
    update: Update, context: BotContext, text: str, attachments: list[tuple[str, str]]
) -> int:
    known = await vocabulary(context)
    proposal = known.matcher.propose(text)
    draft = ReportDraft.quick(context.clock.now(), text)
    for kind, file_id in attachments:
        draft.attach(kind, file_id, limit=context.settings.max_photos_per_report)
    if proposal.place is not None:
        draft.set_hotspot(proposal.place.place.id, proposal.place.place.name)
        draft.done.add(Step.LOCATION)
    rule = known.rule(proposal.category.category_id) if proposal.category else None
    if rule is not None:
        draft.set_category(rule.id, rule.name, urgent_default=rule.urgent)
        draft.done.add(Step.CATEGORY)
    draft.begin()
    return await show(update, context, draft, None if rule else texts.QUICK_NOTHING_MATCHED)


async def quick_location(update: Update, context: BotContext) -> int:
    location = message_of(update).location
    if location is None:
        return END
    if not is_point(location.latitude, location.longitude):
        await send(update, context, texts.LOCATION_NOT_A_POINT)
        return END
    draft = ReportDraft.at_location(context.clock.now())
    await apply_location(context, draft, location.latitude, location.longitude)
    draft.begin()
    return await show(update, context, draft, texts.report_at_place(draft))


async def quick_photo(update: Update, context: BotContext) -> int:
    message = message_of(update)
    file_id = message.photo[-1].file_id  # the largest size
    if message.caption and message.caption.strip():
        return await _quick(update, context, message.caption, [("photo", file_id)])
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("photo", file_id)
    draft.begin()
    return await show(update, context, draft, texts.REPORT_PHOTO_START)


async def quick_voice(update: Update, context: BotContext) -> int:
    voice = message_of(update).voice
    if voice is None:
        return END
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("voice", voice.file_id)
    draft.begin()
    return await show(update, context, draft, texts.REPORT_VOICE_START)


async def change(
    update: Update, context: BotContext, draft: ReportDraft, pressed: QuickChange
) -> State:
    """qr:cat / qr:place: change what the message was read as."""
    await query_of(update).answer()
    await settle(update)
    draft.change(pressed.field)
    return await show(update, context, draft)
