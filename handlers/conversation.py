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
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from enum import IntEnum
from typing import TypeVar

from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from handlers.drafts import DraftSlot
from handlers.registry import Callback, Handler, command

END = ConversationHandler.END
TYPED_TEXT = filters.TEXT & ~filters.COMMAND

State = int | None  # a step, END, or None (stay where the conversation is)
D = TypeVar("D")
S = TypeVar("S", bound=IntEnum)
DraftStep = Callable[[Update, BotContext, D], Awaitable[State]]


def typed(callback: Callback) -> Handler:
    """A typed answer (text that is not a command)."""
    return MessageHandler(TYPED_TEXT, callback)


def on(message_filter: filters.BaseFilter, callback: Callback) -> Handler:
    """Any other kind of answer: a location, a photo, a voice note."""
    return MessageHandler(message_filter, callback)


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


def conversation(
    name: str,
    *,
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
    """The flow's ConversationHandler.

    Each step answers, in order: `every_step` (buttons any step may get), its own answers
    from the table, then `otherwise` (a reminder) for any message that is not a command.
    Fallbacks: /cancel, the flow's own `fallbacks`, then any other command to `interrupted`
    (when None, other commands pass on to the handlers after this one, the draft kept).
    """
    reminder: list[Handler] = []
    if otherwise is not None:
        reminder.append(MessageHandler(~filters.COMMAND, otherwise))
    states: dict[object, list[Handler]] = {
        step: [*every_step, *answers, *reminder] for step, answers in steps.items()
    }
    last_resort: list[Handler] = []
    if interrupted is not None:
        last_resort.append(MessageHandler(filters.COMMAND, interrupted))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler[BotContext](
            entry_points=list(entry_points),
            states=states,
            fallbacks=[command("cancel", cancel), *fallbacks, *last_resort],
            allow_reentry=allow_reentry,
            name=name,
            persistent=persistent,
        )
