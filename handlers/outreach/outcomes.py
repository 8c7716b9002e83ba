"""A person's outcome, from /person: "🏠 Outcome: moved" → where (hostel, supported housing,
private rented, reconnected, hospital, custody) → which day (a button for each of the last
two weeks, or typed: a small step of the outreach conversation). Saved and audited by the
store; someone with an outcome leaves /people unless seen again after that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import (
    PERSON_BUTTONS,
    PersonAction,
    PersonOutcomeDay,
    PersonOutcomeKind,
    PersonPresses,
)
from bot.domain.rough_sleeping import MoveOutcome, parse_move_date
from bot.keyboards import outreach_records as records_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach_records as records_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.conversation import END, Handler, on, typed
from handlers.outreach.shared import (
    MOVE_DUE,
    MoveDue,
    Step,
    forget,
    found,
    lost,
    please_type,
    show_timeline,
    tell_gone,
    typed_text,
)
from storage.models import PersonRecord


def _today(context: BotContext) -> date:
    return context.clock.now().astimezone(context.settings.tz).date()


async def outcome_button(
    update: Update, context: BotContext, pressed: PersonPresses, person: PersonRecord
) -> None:
    """per:outc (which move?), per:okind (which day?), per:oday (saved)."""
    query = query_of(update)
    person_id = person.id or 0
    match pressed:
        case PersonOutcomeKind(action=PersonAction.OUTCOME_KIND, outcome=outcome):
            await query.answer()
            await edit_or_reply(
                update,
                records_texts.outcome_ask_date(person.alias, outcome),
                records_keyboards.outcome_days(person_id, outcome, _today(context)),
            )
        case PersonOutcomeDay(outcome=outcome, days_ago=days_ago):
            await _save(update, context, person_id, outcome, _today(context) - timedelta(days_ago))
        case _:
            await query.answer()
            await edit_or_reply(
                update,
                records_texts.outcome_ask_kind(person.alias),
                records_keyboards.outcome_kinds(person_id),
            )


async def _save(
    update: Update, context: BotContext, person_id: int, outcome: MoveOutcome, on: date
) -> bool:
    done = await context.store.outcomes.record(person_id, outcome, on, by=context.member)
    if done.person is None:
        await tell_gone(update, done)
        return False
    await show_timeline(update, context, person_id, records_texts.outcome_saved(outcome, on))
    return True


# ---- another date, typed (a small flow in the outreach conversation) -------------------------
async def ask_date(update: Update, context: BotContext) -> int:
    """per:odate:<person>:<outcome>."""
    query = query_of(update)
    pressed = PERSON_BUTTONS.unpack(query.data)
    if not isinstance(pressed, PersonOutcomeKind):
        await query.answer(common_texts.STALE_BUTTON)
        return END
    person = await found(update, context, pressed.person_id)
    if person is None:
        return END
    await query.answer()
    forget(context)
    MOVE_DUE.put(context, MoveDue(pressed.person_id, pressed.outcome.value))
    await reply(update, records_texts.outcome_type_date(person.alias, pressed.outcome))
    return Step.OUTCOME_DATE


async def typed_date(update: Update, context: BotContext) -> int:
    due = MOVE_DUE.get(context)
    if due is None:
        return await lost(update, context)
    on = parse_move_date(typed_text(update), _today(context))
    if on is None:
        await reply(update, records_texts.OUTCOME_BAD_DATE)
        return Step.OUTCOME_DATE
    MOVE_DUE.forget(context)
    await _save(update, context, due.person, MoveOutcome(due.outcome), on)
    return END


def entry_points() -> list[Handler]:
    return [
        CallbackQueryHandler(ask_date, pattern=PERSON_BUTTONS.pattern(PersonAction.OUTCOME_TYPED))
    ]


def steps(while_typing: list[Handler]) -> dict[Step, list[Handler]]:
    return {
        Step.OUTCOME_DATE: [
            *while_typing,
            typed(typed_date),
            on(~filters.COMMAND, please_type),
        ]
    }
