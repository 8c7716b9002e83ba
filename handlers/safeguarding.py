"""Safeguarding concerns, for safeguarding leads and admins: /concerns lists the open ones;
a concern's buttons acknowledge it (its ladder stops) and record what was done, from a
fixed list with a one-line note typed next. Every look and every answer is audited
(storage.concerns). Concerns reach the leads through the outbox (bot.jobs.concern_messages).
"""

from __future__ import annotations

import logging
from enum import IntEnum

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from bot.domain.callbacks.safeguarding import (
    CONCERN_BUTTONS,
    ConcernAction,
    ConcernDone,
    ConcernList,
    ConcernPress,
)
from bot.domain.safeguarding import (
    LeadAction,
    concern_reference,
    note_problem,
)
from bot.jobs.concern_messages import concern_ladder, concern_message
from bot.keyboards import safeguarding as concern_keyboards
from bot.texts import common as common_texts
from bot.texts import safeguarding as concern_texts
from handlers.admin.typed_input import answer_button, input_conversation
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.conversation import END, typed
from handlers.drafts import DraftSlot
from handlers.registry import Handler, button, command
from storage.outreach import SightingIn
from storage.safeguarding.concerns import ConcernOutcome, ConcernView

log = logging.getLogger(__name__)

SHOWN = 10  # open concerns listed at once
# The concern and the action chosen, while the lead types the note.
RECORDING = DraftSlot.of_type("safeguarding.recording", list)


class NoteInput(IntEnum):
    NOTE = 1


def _render(view: ConcernView, context: BotContext) -> tuple[str, InlineKeyboardMarkup | None]:
    settings = context.settings
    return concern_message(view, tz=settings.tz, ladder=concern_ladder(settings))


# ---- /concerns ----------------------------------------------------------------------------
async def concerns_command(update: Update, context: BotContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
    views, total = await context.store.concerns.open_list(by=context.member, limit=SHOWN)
    if not views:
        await reply(update, concern_texts.CONCERNS_NONE)
        return
    tz = context.settings.tz
    lines = [concern_texts.concerns_header(len(views), total)]
    lines += [
        concern_texts.concern_line(
            concern_reference(v.id),
            v.concern.kind,
            v.place,
            common_texts.local_datetime(v.concern.raised_at, tz),
            v.concern.status,
        )
        for v in views
    ]
    await reply(update, "\n".join(lines), concern_keyboards.concern_list([v.id for v in views]))


# ---- a concern's buttons --------------------------------------------------------------------
async def concern_button(update: Update, context: BotContext) -> None:
    """sg:list / open / ack / acts (sg:do starts the note: the conversation below)."""
    query = query_of(update)
    match CONCERN_BUTTONS.unpack(query.data):
        case ConcernList():
            await concerns_command(update, context)
        case ConcernPress(action=ConcernAction.OPEN, concern_id=concern_id):
            await _open(update, context, concern_id)
        case ConcernPress(action=ConcernAction.ACKNOWLEDGE, concern_id=concern_id):
            await _acknowledge(update, context, concern_id)
        case ConcernPress(action=ConcernAction.ACTIONS, concern_id=concern_id):
            await _choose_action(update, context, concern_id)
        case _:
            await query.answer(common_texts.STALE_BUTTON)


async def _open(update: Update, context: BotContext, concern_id: int) -> None:
    query = query_of(update)
    view = await context.store.concerns.look(concern_id, by=context.member)
    if view is None:
        await query.answer(concern_texts.CONCERN_GONE, show_alert=True)
        return
    await query.answer()
    text, markup = _render(view, context)
    await reply(update, text, markup)


async def _acknowledge(update: Update, context: BotContext, concern_id: int) -> None:
    query = query_of(update)
    message = query.message
    pressed = (message.chat.id, message.message_id) if message is not None else None
    outcome = await context.store.concerns.acknowledge(
        concern_id, by=context.member, pressed=pressed
    )
    if outcome is ConcernOutcome.UNKNOWN:
        await query.answer(concern_texts.CONCERN_GONE, show_alert=True)
        return
    if outcome is ConcernOutcome.DONE:
        context.services.outbox_wakeup.set()  # the other copies' edits
        log.info("concern %s acknowledged by member %s", concern_id, context.member.id)
    await query.answer(
        concern_texts.ACK_DONE if outcome is ConcernOutcome.DONE else concern_texts.ACK_ALREADY,
        show_alert=outcome is not ConcernOutcome.DONE,
    )
    view = await context.store.concerns.view(concern_id)
    if view is not None:
        text, markup = _render(view, context)
        await edit_or_reply(update, text, markup)


async def _choose_action(update: Update, context: BotContext, concern_id: int) -> None:
    query = query_of(update)
    view = await context.store.concerns.view(concern_id)
    if view is None:
        await query.answer(concern_texts.CONCERN_GONE, show_alert=True)
        return
    if not view.is_open:
        await query.answer(concern_texts.ACTION_ALREADY, show_alert=True)
        return
    if view.concern.acknowledged_at is None:
        await query.answer(concern_texts.ACTION_NOT_YET, show_alert=True)
        return
    await query.answer()
    await reply(
        update,
        f"{concern_reference(concern_id)}: {concern_texts.CHOOSE_ACTION}",
        concern_keyboards.action_choice(concern_id),
    )


# ---- what was done: a fixed choice, then a one-line note ---------------------------------------
async def ask_note(update: Update, context: BotContext) -> int:
    """sg:do:<concern>:<action>: the note is typed next."""
    query = query_of(update)
    pressed = CONCERN_BUTTONS.unpack(query.data)
    if not isinstance(pressed, ConcernDone):
        await query.answer(common_texts.STALE_BUTTON)
        return END
    view = await context.store.concerns.view(pressed.concern_id)
    if view is None:
        await query.answer(concern_texts.CONCERN_GONE, show_alert=True)
        return END
    if not view.is_open:
        await query.answer(concern_texts.ACTION_ALREADY, show_alert=True)
        return END
    if view.concern.acknowledged_at is None:
        await query.answer(concern_texts.ACTION_NOT_YET, show_alert=True)
        return END
    await query.answer()
    RECORDING.put(context, [pressed.concern_id, pressed.done.value])
    label = concern_texts.ACTION_LABELS[pressed.done]
    await edit_or_reply(update, f"{concern_reference(pressed.concern_id)}: {label}.")
    await reply(update, concern_texts.ASK_NOTE)
    return NoteInput.NOTE


async def got_note(update: Update, context: BotContext) -> int | None:
    text = message_of(update).text or ""
    problem = note_problem(text)
    if problem == "empty":
        await reply(update, concern_texts.NOTE_EMPTY)
        return None
    if problem == "lines":
        await reply(update, concern_texts.NOTE_LINES)
        return None
    if problem == "long":
        await reply(update, concern_texts.note_too_long(len(text.strip())))
        return None
    recording = _recording(RECORDING.get(context))
    RECORDING.forget(context)
    if recording is None:
        await reply(update, concern_texts.NOTE_GONE)
        return END
    concern_id, action = recording
    outcome = await context.store.concerns.record_action(
        concern_id, action, text, by=context.member
    )
    if outcome is not ConcernOutcome.DONE:
        await reply(
            update,
            concern_texts.ACTION_ALREADY
            if outcome is ConcernOutcome.ALREADY
            else concern_texts.NOTE_GONE,
        )
        return END
    context.services.outbox_wakeup.set()
    log.info("concern %s: action recorded by member %s", concern_id, context.member.id)
    await reply(update, concern_texts.action_recorded(concern_reference(concern_id), action))
    return END


# ---- raised by "Rough sleeper seen" -----------------------------------------------------
async def send_sighting_to_lead(update: Update, context: BotContext, sighting: SightingIn) -> int:
    """/roughsleeper, "Do they seem under 18?" yes: a concern for the lead, never outreach's
    adult referral queue (StreetLink's scope is 18 and over)."""
    concern = await context.store.concerns.raise_for_sighting(
        raised_by=context.member,
        seen_at=sighting.seen_at,
        hotspot_id=sighting.hotspot_id,
        place_text=sighting.place_text,
        lat=sighting.lat,
        lon=sighting.lon,
        details=sighting.appearance,
    )
    await query_of(update).answer()
    context.services.outbox_wakeup.set()
    log.info("concern %s raised by member %s (under 18 seen)", concern.id, context.member.id)
    await edit_or_reply(
        update, concern_texts.sighting_concern_sent(concern_reference(concern.id or 0))
    )
    return END


def _recording(kept: object) -> tuple[int, LeadAction] | None:
    """The concern and the action kept while the note is typed; None if unreadable."""
    if not isinstance(kept, list) or len(kept) != 2:
        return None
    concern_id, action = kept
    if not isinstance(concern_id, int) or action not in {a.value for a in LeadAction}:
        return None
    return concern_id, LeadAction(action)


def handlers() -> list[Handler]:
    recording = input_conversation(
        name="safeguarding",
        permission=Permission.SAFEGUARD,
        entry_points=[answer_button(CONCERN_BUTTONS, (ConcernAction.DONE,), ask_note)],
        steps={NoteInput.NOTE: [typed(got_note)]},
        family=CONCERN_BUTTONS,
        on_button=concern_button,
        drafts=(RECORDING,),
    )
    return [
        command("concerns", concerns_command),
        recording,
        button(callbacks.SAFEGUARDING, concern_button),
    ]
