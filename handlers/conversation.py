"""One way to write a conversation: states as an IntEnum, one step table, one builder.

    class Step(IntEnum):
        PLACE = 1
        NOTES = 2

    conversation(
        "outreach",
        entry_points=[command("contact", start)],
        steps={Step.PLACE: [step_button, typed(place_typed)], Step.NOTES: [typed(notes_typed)]},
        cancel=cancel,            # /cancel, in every step
        otherwise=use_buttons,    # anything else that is not a command, in every step
        interrupted=interrupted,  # any other command: stop, and ask for it again
    )

Every flow gets `/cancel` and, when it keeps a draft, a timeout: a step's answer is read
with its draft through `with_draft`, and a draft left longer than its slot allows (the
injected clock, so tests advance a fake one) is gone, so the flow's `gone` callback says so
and ends it. Conversations are tracked per chat and user, not per message, on purpose: a
typed answer follows a button but is not tied to its message.

Access ends with the role. Each flow names the permission it needs, and every step (not
only the entry points: a typed answer passes the access gate as any message does) asks it
again of the member as stored now; without it, the member's drafts go and the flow ends.
A flow also ends when its mark in the member's user data is gone: `end_flows` (a role
changed, a suspension) drops the whole user data at once, so every flow the member was in
stops at its next step, whatever its state was.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from enum import IntEnum
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.access.roles import Permission, member_permissions
from bot.texts import access as access_texts
from handlers.drafts import DraftSlot, user_data
from handlers.registry import Callback, Handler, command

END = ConversationHandler.END
# New messages only: an edit is never an answer. A live location arrives as a stream of
# edited messages; the access gate lets those through to handlers.duty's live-location
# handler alone, and these filters keep every step from taking one for a location shared.
NEW_MESSAGE = ~filters.UpdateType.EDITED
TYPED_TEXT = filters.TEXT & ~filters.COMMAND & NEW_MESSAGE

State = int | None  # a step, END, or None (stay where the conversation is)
D = TypeVar("D")
S = TypeVar("S", bound=IntEnum)
DraftStep = Callable[[Update, BotContext, D], Awaitable[State]]


def typed(callback: Callback) -> Handler:
    """A typed answer (text that is not a command)."""
    return MessageHandler(TYPED_TEXT, callback)


def on(message_filter: filters.BaseFilter, callback: Callback) -> Handler:
    """Any other kind of answer: a location, a photo, a voice note (new messages only)."""
    return MessageHandler(message_filter & NEW_MESSAGE, callback)


def with_draft(slot: DraftSlot[D], gone: Callback, handle: DraftStep[D]) -> Callback:
    """An answer read with its draft; `gone` (the flow's timeout) when it has expired."""

    async def answer(update: Update, context: BotContext) -> State:
        draft = slot.get(context)
        if draft is None:
            state: State = await gone(update, context)
            return state
        return await handle(update, context, draft)

    answer.__name__ = getattr(handle, "__name__", "answer")
    return answer


# user_data: the names of the flows this member is in (each step checks its own is there).
FLOWS = "flows"


def _in_flow(context: BotContext, name: str) -> bool:
    flows = user_data(context).get(FLOWS)
    return isinstance(flows, list) and name in flows


def _mark(context: BotContext, name: str, state: object) -> None:
    """Keep the flow's mark in step with its state: set while it runs, gone when it ends."""
    if state is None:
        return  # the conversation stays where it is (or did not start)
    data = user_data(context)
    flows = [f for f in data.get(FLOWS) or [] if isinstance(f, str) and f != name]
    if state != END:
        flows.append(name)
    if flows:
        data[FLOWS] = flows
    else:
        data.pop(FLOWS, None)


async def end_flows(context: BotContext, telegram_id: int) -> bool:
    """End every flow of a member at once (their role changed, or they were suspended):
    their user data (drafts and flow marks) goes from memory and from the database, so
    each conversation they were in stops at its next step. True when there was any."""
    application = context.application
    data = application.user_data.get(telegram_id)
    had = bool(data)
    if data:
        data.clear()  # in place: a later update of theirs is stored as usual
    if application.persistence is not None:
        await application.persistence.drop_user_data(telegram_id)
    return had


async def _stopped(update: Update, context: BotContext) -> State:
    """A step the member may no longer take, or of a flow ended meanwhile: drop their
    drafts, say so, end it."""
    user_data(context).clear()
    query = update.callback_query
    if query is not None:
        await query.answer(access_texts.STEP_NO_LONGER_ALLOWED, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(access_texts.STEP_NO_LONGER_ALLOWED)
    return END


def _allowed(context: BotContext, permission: Permission) -> bool:
    member = context.member
    return permission in member_permissions(member)


def _wrapped(handler: Handler, callback: Callback) -> Handler:
    """A copy of `handler` calling `callback` (one handler may sit in several places)."""
    twin = copy.copy(handler)
    twin.callback = callback
    return twin


def _entry(name: str, handler: Handler) -> Handler:
    inner = handler.callback

    async def entry(update: Update, context: BotContext) -> Any:
        state = await inner(update, context)
        _mark(context, name, state)
        return state

    return _wrapped(handler, entry)


def _step(name: str, permission: Permission, handler: Handler) -> Handler:
    inner = handler.callback

    async def step(update: Update, context: BotContext) -> Any:
        if not _allowed(context, permission) or not _in_flow(context, name):
            return await _stopped(update, context)
        state = await inner(update, context)
        _mark(context, name, state)
        return state

    return _wrapped(handler, step)


def conversation(
    name: str,
    *,
    permission: Permission,
    entry_points: Sequence[Handler],
    steps: Mapping[S, Sequence[Handler]],
    cancel: Callback,
    otherwise: Callback | None = None,
    interrupted: Callback | None = None,
    every_step: Sequence[Handler] = (),
    fallbacks: Sequence[Handler] = (),
    persistent: bool = False,
    allow_reentry: bool = True,
) -> ConversationHandler[BotContext]:
    """The flow's ConversationHandler; every step needs `permission` (see the docstring).

    Each step answers, in order: `every_step` (buttons any step may get), its own answers
    from the table, then `otherwise` (a reminder) for any message that is not a command.
    Fallbacks: /cancel, the flow's own `fallbacks`, then any other command to `interrupted`
    (when None, other commands pass on to the handlers after this one, the draft kept).
    """
    reminder: list[Handler] = []
    if otherwise is not None:
        reminder.append(MessageHandler(~filters.COMMAND, otherwise))
    states: dict[object, list[Handler]] = {
        step: [_step(name, permission, h) for h in (*every_step, *answers, *reminder)]
        for step, answers in steps.items()
    }
    last_resort: list[Handler] = []
    if interrupted is not None:
        last_resort.append(MessageHandler(filters.COMMAND, interrupted))
    # /cancel and the other ways out always work (and clear the flow's mark).
    ways_out = [command("cancel", cancel), *fallbacks, *last_resort]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler[BotContext](
            entry_points=[_entry(name, h) for h in entry_points],
            states=states,
            fallbacks=[_entry(name, h) for h in ways_out],
            allow_reentry=allow_reentry,
            name=name,
            persistent=persistent,
        )
