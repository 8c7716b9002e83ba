"""The CCTV control room: asking for a review of a report's footage, and the operators'
answers.

Asking (`/cctv R-12`, or "Request CCTV review" under /show and on coordinators' alert
copies): the report's reporter or a coordinator (an admin too) sees the window around the
report's time (TCAG_CCTV_WINDOW_MINUTES either side) and its place, moves either end by
taps or picks a hotspot (the draft travels in the buttons), and sends it: every CCTV
operator gets a copy with Found and saved / Nothing found / No coverage. The first answer
wins and every copy shows it; the requester is told; "Found and saved" then asks the
operator for the footage reference, one line. `/cctv` alone lists requests: waiting ones
for operators, the latest for coordinators (each look audited).
"""

from __future__ import annotations

from enum import IntEnum

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission, Role, permissions_for
from bot.domain.alerts.cctv import (
    CctvAnswer,
    ReviewWindow,
    may_request_review,
    read_footage_ref,
)
from bot.domain.callbacks.cctv import (
    CCTV_ANSWER_BUTTONS,
    CCTV_REQUEST_BUTTONS,
    CctvAnswerAction,
    CctvCancel,
    CctvDraft,
    CctvRequestAction,
    CctvStart,
)
from bot.domain.reports.incidents import reference
from bot.jobs.cctv import answered_text, copy_renderer, window_words
from bot.keyboards import cctv as cctv_keyboards
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.conversation import END, State, conversation, typed
from handlers.drafts import DraftSlot
from handlers.incidents.reading import arguments, parse_report_id
from handlers.registry import Handler, button, command
from storage.alerts.alert_copies import Pressed
from storage.alerts.cctv import Answered, CctvRequestView, Made
from storage.models import Member
from storage.reports import ReportView

# The request whose footage reference the operator owes (its id).
FOOTAGE_FOR = DraftSlot.of_type("cctv.footage_for", int)


class Step(IntEnum):
    FOOTAGE_REF = 1


def _may_request(member: Member, view: ReportView) -> bool:
    return may_request_review(
        member.role, is_admin=member.is_admin, is_reporter=view.report.reporter_id == member.id
    )


def _refusal(member: Member) -> str:
    return cctv_texts.OPERATORS_DO_NOT_REQUEST if member.role is Role.CCTV else cctv_texts.NOT_YOURS


# ---- asking --------------------------------------------------------------------------------
async def _draft_screen(update: Update, context: BotContext, draft: CctvDraft) -> None:
    """The request as tapped so far: window, place, and the buttons to change or send it."""
    view = await context.store.reports.view(draft.report_id)
    member = context.member
    if view is None or not _may_request(member, view):
        await _refuse(update, _refusal(member))
        return
    place = view.place
    if draft.hotspot is not None:
        hotspot = await context.store.hotspots.get(draft.hotspot)
        place = hotspot.name if hotspot is not None else place
    if update.callback_query is not None:
        await update.callback_query.answer()
    tz = context.settings.tz
    start, end = draft.window.bounds(view.report.created_at)
    text = cctv_texts.request_draft(
        reference(view.report.id or 0),
        view.category.name,
        place,
        common_texts.local_time(start, tz),
        common_texts.local_time(end, tz),
        start.astimezone(tz).strftime("%a %d %b"),
    )
    await edit_or_reply(update, text, cctv_keyboards.draft_keyboard(draft, place))


async def _refuse(update: Update, text: str) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    else:
        await reply(update, text)


def _default_draft(report_id: int, context: BotContext) -> CctvDraft:
    window = ReviewWindow.around(context.settings.cctv_window_minutes)
    return CctvDraft(CctvRequestAction.WINDOW, report_id, window.start, window.end, 0)


async def cctv_command(update: Update, context: BotContext) -> None:
    """/cctv R-12: ask for a review; /cctv alone: the requests (operators, coordinators)."""
    token, _ = arguments(message_of(update))
    member = context.member
    if not token:
        await _list(update, context)
        return
    report_id = parse_report_id(token)
    if report_id is None:
        await reply(update, cctv_texts.REQUEST_USAGE)
        return
    view = await context.store.reports.view(report_id)
    if view is None or not _may_request(member, view):
        # The same answer whether or not it exists: references are not to be probed.
        await reply(update, _refusal(member))
        return
    await _draft_screen(update, context, _default_draft(report_id, context))


async def request_press(update: Update, context: BotContext) -> None:
    """cr:…: start, move the window, pick a place, send, or cancel."""
    query = query_of(update)
    press = CCTV_REQUEST_BUTTONS.unpack(query.data)
    if press is None:
        await query.answer(common_texts.STALE_BUTTON)
        return
    if isinstance(press, CctvCancel):
        await query.answer()
        await edit_or_reply(update, cctv_texts.REQUEST_CANCELLED)
        return
    if isinstance(press, CctvStart):
        await _draft_screen(update, context, _default_draft(press.report_id, context))
        return
    if press.action is CctvRequestAction.PLACES:
        await _places(update, context, press)
        return
    if press.action is CctvRequestAction.SEND:
        await _send(update, context, press)
        return
    await _draft_screen(update, context, press)


async def _places(update: Update, context: BotContext, draft: CctvDraft) -> None:
    query = query_of(update)
    view = await context.store.reports.view(draft.report_id)
    if view is None or not _may_request(context.member, view):
        await query.answer(_refusal(context.member), show_alert=True)
        return
    await query.answer()
    hotspots = [(h.id or 0, h.name) for h in await context.store.hotspots.active()]
    await edit_or_reply(
        update, cctv_texts.PICK_PLACE, cctv_keyboards.places_keyboard(draft, hotspots)
    )


async def _send(update: Update, context: BotContext, draft: CctvDraft) -> None:
    query = query_of(update)
    member, store, settings = context.member, context.store, context.settings
    view = await store.reports.view(draft.report_id)
    if view is None or not _may_request(member, view):
        await query.answer(_refusal(member), show_alert=True)
        return
    made = await store.cctv.create(
        draft.report_id,
        requester=member,
        window=draft.window,
        hotspot_id=draft.hotspot,
        render=copy_renderer(settings.tz, settings.cctv_answer_minutes),
    )
    await query.answer()
    if made.outcome is Made.NO_OPERATORS:
        await edit_or_reply(update, cctv_texts.NO_OPERATORS)
        return
    if made.outcome is Made.ALREADY_OPEN and made.view is not None:
        waiting = made.view
        at = common_texts.local_time(waiting.request.created_at, settings.tz)
        await edit_or_reply(update, cctv_texts.already_waiting(waiting.ref, waiting.report_ref, at))
        return
    if made.outcome is not Made.CREATED or made.view is None:
        await edit_or_reply(update, cctv_texts.NOT_YOURS)
        return
    context.services.outbox_wakeup.set()
    operators = len(await store.members.active_by_role(Role.CCTV))
    await edit_or_reply(
        update, cctv_texts.request_sent(made.view.ref, made.view.report_ref, operators)
    )


# ---- /cctv: the requests -------------------------------------------------------------------
async def _list(update: Update, context: BotContext) -> None:
    member = context.member
    granted = permissions_for(member.role, is_admin=member.is_admin, status=member.status)
    operator = Permission.CCTV in granted
    if not operator and not ({Permission.COORDINATE, Permission.ADMIN} & granted):
        await reply(update, cctv_texts.REQUEST_USAGE)
        return
    views = await context.store.cctv.listed(viewer=member, open_only=operator)
    if not views:
        await reply(update, cctv_texts.NONE_WAITING if operator else cctv_texts.NONE_MADE)
        return
    tz = context.settings.tz
    lines = [cctv_texts.list_heading(len(views), open_only=operator)]
    for view in views:
        start, end, day = window_words(view, tz)
        request = view.request
        lines.append(
            cctv_texts.list_line(
                view.ref,
                view.report_ref,
                view.place,
                f"{day} {start}–{end}",
                request.answer,
                view.answered_by.name if view.answered_by else None,
                request.footage_ref,
            )
        )
    await reply(update, "\n".join(lines))


# ---- answering -----------------------------------------------------------------------------
async def answer_press(update: Update, context: BotContext) -> State:
    """cv:f|n|c:<request>: the operator's answer; cv:ref:<request>: the footage reference."""
    query = query_of(update)
    press = CCTV_ANSWER_BUTTONS.unpack(query.data)
    message = query.message
    if press is None or message is None:
        await query.answer(cctv_texts.ANSWER_UNKNOWN)
        return END
    member, store, tz = context.member, context.store, context.settings.tz
    pressed = Pressed(message.chat.id, message.message_id)
    if press.action is CctvAnswerAction.FOOTAGE_REF:
        view = await store.cctv.view(press.request_id)
        if (
            view is None
            or not await store.cctv.received(press.request_id, pressed)
            or view.request.answered_by_id != member.id
            or view.request.answer is not CctvAnswer.FOUND
        ):
            await query.answer(cctv_texts.FOOTAGE_REF_NOT_YOURS, show_alert=True)
            return END
        await query.answer()
        FOOTAGE_FOR.put(context, press.request_id)
        await reply(update, cctv_texts.ASK_FOOTAGE_REF)
        return Step.FOOTAGE_REF
    answer = press.answer
    assert answer is not None
    result = await store.cctv.answer(
        press.request_id,
        answer,
        member=member,
        pressed=pressed,
        edited=lambda view: answered_text(view, tz),
        notice=lambda view: cctv_texts.requester_told(
            view.ref, view.report_ref, answer, member.name
        ),
    )
    if result.outcome is Answered.NOT_RECEIVED:
        await query.answer(cctv_texts.ANSWER_NOT_RECEIVED)
        return END
    if result.outcome is Answered.NOT_ALLOWED:
        await query.answer(cctv_texts.CAMERA_NOT_ALLOWED, show_alert=True)
        return END
    if result.outcome is Answered.ALREADY and result.view is not None:
        view = result.view
        by = view.answered_by.name if view.answered_by else None
        await query.answer(cctv_texts.already_answered(by, view.request.answer))
        await _show_answered(update, view, context, mine=view.request.answered_by_id == member.id)
        return END
    if result.outcome is not Answered.DONE or result.view is None:
        await query.answer(cctv_texts.ANSWER_UNKNOWN)
        return END
    context.services.outbox_wakeup.set()  # the other copies' edits, the requester's notice
    await query.answer(cctv_texts.you_answered(result.view.ref, answer))
    await _show_answered(update, result.view, context, mine=True)
    if answer is not CctvAnswer.FOUND:
        return END
    FOOTAGE_FOR.put(context, press.request_id)
    await reply(update, cctv_texts.ASK_FOOTAGE_REF)
    return Step.FOOTAGE_REF


async def _show_answered(
    update: Update, view: CctvRequestView, context: BotContext, *, mine: bool
) -> None:
    """The pressed copy shows the answer at once (the outbox edits the others)."""
    request = view.request
    wants_ref = mine and request.answer is CctvAnswer.FOUND and request.footage_ref is None
    markup = cctv_keyboards.footage_ref_keyboard(request.id or 0) if wants_ref else None
    await edit_or_reply(update, answered_text(view, context.settings.tz), markup)


async def footage_ref_typed(update: Update, context: BotContext) -> State:
    request_id = FOOTAGE_FOR.get(context)
    if request_id is None:
        return END
    footage_ref = read_footage_ref(message_of(update).text or "")
    if footage_ref is None:
        await reply(update, cctv_texts.FOOTAGE_REF_BAD)
        return None  # stay: nothing stored
    member = context.member
    view = await context.store.cctv.record_footage_ref(
        request_id,
        footage_ref,
        member=member,
        notice=lambda v: cctv_texts.requester_told_ref(
            v.ref, v.report_ref, footage_ref, member.name
        ),
    )
    FOOTAGE_FOR.forget(context)
    if view is None:
        await reply(update, cctv_texts.FOOTAGE_REF_NOT_YOURS)
        return END
    context.services.outbox_wakeup.set()
    await reply(update, cctv_texts.footage_ref_saved(view.ref, view.report_ref))
    return END


async def footage_ref_cancelled(update: Update, context: BotContext) -> State:
    FOOTAGE_FOR.forget(context)
    await reply(update, cctv_texts.FOOTAGE_REF_CANCELLED)
    return END


async def footage_ref_interrupted(update: Update, context: BotContext) -> State:
    FOOTAGE_FOR.forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, common_texts.edit_interrupted(word))
    return END


async def please_type(update: Update, context: BotContext) -> None:
    await reply(update, cctv_texts.FOOTAGE_REF_BAD)


def handlers() -> list[Handler]:
    answers = CallbackQueryHandler(answer_press, pattern=callbacks.pattern(callbacks.CCTV_ANSWER))
    return [
        conversation(
            "cctv_footage",
            permission=Permission.CCTV,
            entry_points=[answers],
            steps={Step.FOOTAGE_REF: [typed(footage_ref_typed)]},
            cancel=footage_ref_cancelled,
            otherwise=please_type,
            interrupted=footage_ref_interrupted,
            fallbacks=[answers],
            persistent=True,  # a footage reference owed survives a restart
        ),
        command("cctv", cctv_command),
        button(callbacks.CCTV_REQUEST, request_press),
    ]
