"""The guided /report flow: category → location → what happened → people → urgent → summary
(Confirm / Edit / Cancel), and every report or quick-report button.

Every button carries its draft's id: a button of an older draft changes nothing, and a
button of the current draft counts only at the step it belongs to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.reports import (
    QuickCancel,
    QuickChange,
    QuickConfirm,
    QuickToggleUrgent,
    QuickUnder18,
    ReportBackToSummary,
    ReportCancel,
    ReportCategory,
    ReportConfirm,
    ReportContinue,
    ReportEdit,
    ReportEditField,
    ReportHotspot,
    ReportMoreCategories,
    ReportPeople,
    ReportUnder18,
    ReportUrgent,
    draft_press,
)
from bot.domain.callbacks.wire import Button
from bot.domain.quick_report import LIFE_AT_RISK_SLUGS
from bot.domain.reports.report_draft import (
    ReportDraft,
    Step,
    description_too_long,
    people_band,
    place_too_long,
)
from bot.keyboards import reports as reports_keyboards
from bot.texts import common as common_texts
from bot.texts import reports as reports_texts
from handlers.common import message_of, query_of
from handlers.conversation import END, State
from handlers.reports import quick
from handlers.reports.draft import (
    REPORT_DRAFT,
    answer,
    apply_location,
    cancel,
    category_picker,
    file,
    is_point,
    location_done,
    replace,
    send,
    settle,
    show,
    vocabulary,
)


async def start_report(update: Update, context: BotContext) -> int:
    """/report or the menu's Report button (also mid-report: starts again)."""
    if update.callback_query is not None:
        await update.callback_query.answer()  # the menu stays as it is, for later use
    draft = ReportDraft.guided(context.clock.now())
    draft.begin()
    return await show(update, context, draft, reports_texts.REPORT_START)


# ---- buttons -----------------------------------------------------------------------------
async def on_press(update: Update, context: BotContext) -> State:
    """Every rep:/qr: button: checks the draft, then the step it belongs to."""
    query = query_of(update)
    pressed = draft_press(query.data)
    draft = REPORT_DRAFT.get(context)
    if draft is None:
        await query.answer(reports_texts.DRAFT_EXPIRED, show_alert=True)
        await settle(update)
        return END
    if pressed is None or pressed.draft_id != draft.id:
        await query.answer(reports_texts.DRAFT_EXPIRED, show_alert=True)
        return None  # an older draft's button: the current draft carries on untouched
    press = _PRESSES.get(type(pressed))
    if press is None or (press.steps and draft.step not in press.steps):
        await query.answer(reports_texts.REPORT_OLD_BUTTON)
        return draft.step
    return await press.handle(update, context, draft, pressed)


async def press_typed(
    update: Update, context: BotContext, draft: ReportDraft, pressed: Button
) -> State:
    """A typed message that named one of the buttons shown: as if it had been pressed."""
    press = _PRESSES.get(type(pressed))
    if press is None or (press.steps and draft.step not in press.steps):
        await send(update, context, reports_texts.REPORT_OLD_BUTTON)
        return draft.step
    return await press.handle(update, context, draft, pressed)


async def _pick_category(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportCategory
) -> State:
    category_id = pressed.category_id
    category = await context.store.categories.get(category_id) if category_id > 0 else None
    if category is None or category.id is None or category.retired_at is not None:
        await answer(update, context, reports_texts.REPORT_CATEGORY_GONE)
        return draft.step
    await answer(update, context)
    draft.set_category(
        category.id,
        category.name,
        urgent_default=category.urgent,
        life_at_risk=category.slug in LIFE_AT_RISK_SLUGS,
    )
    draft.complete()
    await settle(update, reports_texts.category_chosen(category.name))
    return await show(update, context, draft)


async def _pick_hotspot(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportHotspot
) -> State:
    hotspot_id = pressed.hotspot_id
    hotspot = await context.store.hotspots.get(hotspot_id) if hotspot_id > 0 else None
    if hotspot is None or hotspot.id is None or hotspot.retired_at is not None:
        await answer(update, context, reports_texts.REPORT_HOTSPOT_GONE)
        return draft.step
    await answer(update, context)
    draft.set_hotspot(hotspot.id, hotspot.name)
    await settle(update)
    return await location_done(update, context, draft)


async def _continue(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportContinue
) -> State:
    if not (draft.description or draft.attachments):
        await answer(update, context, reports_texts.REPORT_NOTHING_TO_CONTINUE)
        return draft.step
    await answer(update, context)
    await settle(update)
    draft.complete()
    return await show(update, context, draft)


async def _pick_people(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportPeople
) -> State:
    await answer(update, context)
    draft.set_people(pressed.count)
    draft.complete()
    await settle(update, reports_texts.people_chosen(pressed.count))
    return await show(update, context, draft)


async def _pick_urgent(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportUrgent
) -> State:
    await answer(update, context)
    draft.set_urgent(pressed.urgent)
    draft.complete()
    await settle(update, reports_texts.urgent_chosen(draft.urgent))
    return await show(update, context, draft)


async def _confirm(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportConfirm | QuickConfirm
) -> State:
    await answer(update, context)
    await settle(update)
    return await file(update, context, draft)


async def _edit_menu(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportEdit
) -> State:
    await answer(update, context)
    REPORT_DRAFT.put(context, draft)
    await replace(
        update,
        context,
        reports_texts.REPORT_EDIT_WHICH,
        reports_keyboards.report_edit_fields(draft.id),
    )
    return draft.step


async def _edit_field(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportEditField
) -> State:
    await answer(update, context)
    await settle(update)
    draft.change(pressed.field)
    return await show(update, context, draft)


async def _back_to_summary(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportBackToSummary
) -> State:
    await answer(update, context)
    REPORT_DRAFT.put(context, draft)
    await replace(
        update,
        context,
        reports_texts.report_summary(draft),
        reports_keyboards.report_summary(draft.id, under_18=draft.under_18),
    )
    return draft.step


async def _toggle_under_18(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportUnder18
) -> State:
    """The summary's "Under 18 involved?": yes raises a safeguarding concern on Confirm."""
    draft.toggle_under_18()
    await answer(update, context, reports_texts.under_18_now(draft.under_18))
    REPORT_DRAFT.put(context, draft)
    await replace(
        update,
        context,
        reports_texts.report_summary(draft, context.clock.now()),
        reports_keyboards.report_summary(draft.id, under_18=draft.under_18),
    )
    return draft.step


async def _more_categories(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportMoreCategories
) -> State:
    """The picker's "More…": every category, in place of the few shown."""
    await answer(update, context)
    markup = await category_picker(context, draft, every_one=True)
    if markup is None:
        return draft.step
    REPORT_DRAFT.put(context, draft)
    await replace(update, context, reports_texts.REPORT_CHOOSE_CATEGORY, markup)
    return draft.step


async def _cancel_button(
    update: Update, context: BotContext, draft: ReportDraft, pressed: ReportCancel | QuickCancel
) -> State:
    await answer(update, context)
    await settle(update)
    return await cancel(update, context)


PressHandler = Callable[[Update, BotContext, ReportDraft, Any], Awaitable[State]]


@dataclass(frozen=True)
class _Press:
    handle: PressHandler  # takes the button type it is listed with
    steps: frozenset[Step]  # where the button belongs; empty: any step


def _press(handle: PressHandler, *steps: Step) -> _Press:
    return _Press(handle, frozenset(steps))


_PRESSES: dict[type[Button], _Press] = {
    ReportCategory: _press(_pick_category, Step.CATEGORY),
    ReportHotspot: _press(_pick_hotspot, Step.LOCATION),
    ReportContinue: _press(_continue, Step.WHAT),
    ReportPeople: _press(_pick_people, Step.PEOPLE),
    ReportUrgent: _press(_pick_urgent, Step.URGENT),
    ReportConfirm: _press(_confirm, Step.SUMMARY),
    ReportEdit: _press(_edit_menu, Step.SUMMARY),
    ReportEditField: _press(_edit_field, Step.SUMMARY),
    ReportBackToSummary: _press(_back_to_summary, Step.SUMMARY),
    ReportMoreCategories: _press(_more_categories, Step.CATEGORY),
    ReportUnder18: _press(_toggle_under_18, Step.SUMMARY),
    ReportCancel: _press(_cancel_button),
    QuickConfirm: _press(_confirm, Step.PROPOSAL),
    QuickChange: _press(quick.change, Step.PROPOSAL),
    QuickToggleUrgent: _press(quick.toggle_urgent, Step.PROPOSAL),
    QuickUnder18: _press(quick.toggle_under_18, Step.PROPOSAL),
    QuickCancel: _press(_cancel_button, Step.PROPOSAL),
}


# ---- typed answers, locations, photos ----------------------------------------------------
async def place_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    text = message_of(update).text or ""
    if text == reports_keyboards.TYPE_A_PLACE or not text.strip():
        REPORT_DRAFT.put(context, draft)
        await send(update, context, reports_texts.REPORT_TYPE_PLACE)
        return draft.step
    if place_too_long(text):
        await send(update, context, reports_texts.place_too_long(len(text.strip())))
        return draft.step
    match = (await vocabulary(context)).matcher.match_place(text)
    if match is not None:
        draft.set_hotspot(match.place.id, match.place.name)
    else:
        draft.set_place_text(text)
    return await location_done(update, context, draft)


async def location_shared(update: Update, context: BotContext, draft: ReportDraft) -> State:
    location = message_of(update).location
    if location is None:
        return draft.step
    if not is_point(location.latitude, location.longitude):
        await send(update, context, common_texts.LOCATION_NOT_A_POINT)
        return draft.step
    await apply_location(context, draft, location.latitude, location.longitude)
    return await location_done(update, context, draft)


async def what_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    text = message_of(update).text or ""
    if description_too_long(text):
        await send(update, context, reports_texts.description_too_long(len(text)))
        return draft.step
    draft.set_description(text)
    draft.note_urgent_words(text)  # "…one of them is bleeding": urgent, unless chosen
    draft.complete()
    return await show(update, context, draft)


async def _attachment(
    update: Update, context: BotContext, draft: ReportDraft, kind: str, file_id: str
) -> State:
    if not draft.attach(kind, file_id, limit=context.settings.max_photos_per_report):
        await send(update, context, reports_texts.REPORT_TOO_MANY_ATTACHMENTS)
        return draft.step
    caption = message_of(update).caption
    if caption and caption.strip():  # a caption says what happened
        draft.set_description(caption)
        draft.note_urgent_words(caption)
        draft.complete()
        return await show(update, context, draft)
    REPORT_DRAFT.put(context, draft)
    text = reports_texts.attached(kind, len(draft.attachments))
    await send(update, context, text, reports_keyboards.report_continue(draft.id))
    return draft.step


async def photo_sent(update: Update, context: BotContext, draft: ReportDraft) -> State:
    photo = message_of(update).photo
    return await _attachment(update, context, draft, "photo", photo[-1].file_id)


async def voice_sent(update: Update, context: BotContext, draft: ReportDraft) -> State:
    voice = message_of(update).voice
    if voice is None:
        return draft.step
    return await _attachment(update, context, draft, "voice", voice.file_id)


async def people_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    band = people_band(message_of(update).text or "")
    if band is None:
        await send(update, context, reports_texts.PEOPLE_NOT_A_NUMBER)
        return draft.step
    draft.set_people(band)
    draft.complete()
    return await show(update, context, draft)
