"""A message typed while a report waits, and the drafts kept aside (/drafts).

Nothing typed is thrown away. While a draft waits at a step, a typed message answers it if
the step takes text (a place, what happened, a number of people) or if it names one of the
buttons shown ("confirm", a category's name); anything else, and any message with urgent
words where a place is asked, is a new quick report: the draft waiting is kept aside
(at most three, newest first, expiring as drafts do) and the member is told, "Kept your
earlier draft: /drafts". Only a word or two that read as nothing ("0", "hmm") get the old
reminder of how to answer. /drafts lists kept drafts to resume or drop; resuming one keeps
aside the draft in hand, if any, in its place.
"""

from __future__ import annotations

from collections.abc import Mapping

from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.reports import (
    KEPT_DRAFT_BUTTONS,
    PEOPLE_SKIP,
    KeptDraftAction,
    QuickAction,
    QuickCancel,
    QuickChange,
    QuickConfirm,
    QuickToggleUrgent,
    ReportCancel,
    ReportCategory,
    ReportConfirm,
    ReportContinue,
    ReportEdit,
    ReportMoreCategories,
    ReportPeople,
    ReportUrgent,
)
from bot.domain.callbacks.wire import Button
from bot.domain.reports.incidents import PEOPLE_COUNTS
from bot.domain.reports.report_draft import ReportDraft, Step, TypedAction, keep_aside, typed_during
from bot.keyboards import reports as report_keys
from bot.texts import reports as report_texts
from bot.texts import reports as reports_texts
from handlers.common import message_of, query_of, reply
from handlers.conversation import END, State
from handlers.reports import guided, quick
from handlers.reports.draft import (
    REPORT_DRAFT,
    kept,
    put_kept,
    remind,
    send,
    settle,
    show,
    vocabulary,
)


async def _buttons(context: BotContext, draft: ReportDraft) -> Mapping[str, Button]:
    """The buttons shown at the draft's step, by their labels and other names for them."""
    d = draft.id
    buttons: dict[str, Button] = {report_keys.CANCEL: ReportCancel(d)}
    if draft.step is Step.CATEGORY:
        for category in await context.store.categories.active():
            buttons[category.name] = ReportCategory(d, category.id or 0)
        buttons[report_keys.MORE_CATEGORIES] = ReportMoreCategories(d)
        buttons["more"] = ReportMoreCategories(d)
    elif draft.step is Step.WHAT:
        buttons[report_keys.CONTINUE] = ReportContinue(d)
    elif draft.step is Step.PEOPLE:
        for band in PEOPLE_COUNTS:
            buttons[band] = ReportPeople(d, band)
        buttons[report_keys.SKIP] = ReportPeople(d, PEOPLE_SKIP)
    elif draft.step is Step.URGENT:
        for name in (report_keys.URGENT, "yes", "urgent"):
            buttons[name] = ReportUrgent(d, True)
        for name in (report_keys.NOT_URGENT, "no"):
            buttons[name] = ReportUrgent(d, False)
    elif draft.step is Step.SUMMARY:
        buttons[report_keys.CONFIRM] = ReportConfirm(d)
        buttons[report_keys.EDIT] = ReportEdit(d)
    elif draft.step is Step.PROPOSAL:
        buttons = {report_keys.CANCEL: QuickCancel(d)}
        for name in (report_keys.CONFIRM, "ok", "yes"):
            buttons[name] = QuickConfirm(d)
        buttons[report_keys.CHANGE_CATEGORY] = QuickChange(d, QuickAction.CHANGE_CATEGORY)
        buttons[report_keys.CHANGE_PLACE] = QuickChange(d, QuickAction.CHANGE_PLACE)
        shown = report_keys.URGENT_ON if draft.urgent else report_keys.URGENT_OFF
        buttons[shown] = QuickToggleUrgent(d)
        buttons["not urgent" if draft.urgent else "urgent"] = QuickToggleUrgent(d)
    return buttons


_ANSWERS = {
    Step.LOCATION: guided.place_typed,
    Step.WHAT: guided.what_typed,
    Step.PEOPLE: guided.people_typed,
}


async def typed_while_waiting(update: Update, context: BotContext, draft: ReportDraft) -> State:
    """Any typed message while a draft waits: an answer, a button, or a new report."""
    text = message_of(update).text or ""
    reads_as_report = not (await vocabulary(context)).matcher.propose(text).is_empty
    buttons = await _buttons(context, draft)
    typed = typed_during(draft.step, text, buttons, reads_as_report=reads_as_report)
    if typed.action is TypedAction.BUTTON and typed.button is not None:
        return await guided.press_typed(update, context, draft, typed.button)
    answer_step = _ANSWERS.get(draft.step)
    if typed.action is TypedAction.ANSWER and answer_step is not None:
        return await answer_step(update, context, draft)
    if typed.action is TypedAction.REMIND:
        if draft.step is Step.PEOPLE:
            await send(update, context, reports_texts.PEOPLE_NOT_A_NUMBER)
            return draft.step
        return await remind(update, context)
    return await _report_anew(update, context, draft, text)


async def _report_anew(update: Update, context: BotContext, draft: ReportDraft, text: str) -> State:
    """Keep the draft waiting aside, and read the message as a new quick report."""
    put_kept(context, keep_aside(kept(context), draft, context.clock.now()))
    REPORT_DRAFT.forget(context)
    state = await quick.quick_text(update, context)
    await send(update, context, report_texts.DRAFT_KEPT)
    return state


# ---- /drafts --------------------------------------------------------------------------------
async def drafts_command(update: Update, context: BotContext) -> None:
    drafts = kept(context)
    put_kept(context, drafts)  # expired ones are gone for good
    if not drafts:
        await reply(update, report_texts.NO_KEPT_DRAFTS)
        return
    await reply(
        update,
        report_texts.kept_drafts(drafts, context.clock.now()),
        report_keys.kept_drafts([d.id for d in drafts]),
    )


async def kept_draft_press(update: Update, context: BotContext) -> State:
    """drf:go / drf:x: resume a kept draft (the one in hand is kept aside), or drop it."""
    query = query_of(update)
    pressed = KEPT_DRAFT_BUTTONS.unpack(query.data)
    drafts = kept(context)
    chosen = next((d for d in drafts if pressed is not None and d.id == pressed.draft_id), None)
    current = REPORT_DRAFT.get(context)
    if chosen is None or pressed is None:
        await query.answer(report_texts.KEPT_DRAFT_GONE, show_alert=True)
        return current.step if current is not None else END
    await query.answer()
    await settle(update)
    rest = [d for d in drafts if d.id != chosen.id]
    if pressed.action is KeptDraftAction.DROP:
        put_kept(context, rest)
        await send(update, context, report_texts.KEPT_DRAFT_DROPPED)
        return current.step if current is not None else END
    now = context.clock.now()
    put_kept(context, keep_aside(rest, current, now) if current is not None else rest)
    if current is not None:
        await send(update, context, report_texts.DRAFT_KEPT)
    chosen.touch(now)
    return await show(update, context, chosen)


__all__ = ["drafts_command", "kept_draft_press", "typed_while_waiting"]
