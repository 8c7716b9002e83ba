"""/people: the people seen lately; merging two records of one person (a record's "Merge
another record into this": the other one's alias, then a confirmation).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import (
    PERSON_BUTTONS,
    PersonAction,
    PersonMerge,
)
from bot.keyboards.admin import people as people_keyboards
from bot.texts.admin import people as people_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.conversation import END, Handler, on, typed
from handlers.outreach.shared import (
    MERGE_KEEP,
    Step,
    alias_problem,
    forget,
    found,
    lost,
    please_type,
    show_timeline,
    tell_gone,
    typed_text,
)
from storage.outreach import MergeOutcome, facts


async def people_command(update: Update, context: BotContext) -> None:
    recent = await context.store.outreach.recent(viewer=context.member, tz=context.settings.tz)
    if not recent:
        await reply(update, people_texts.PEOPLE_NONE)
        return
    people = [facts(p) for p in recent]
    await reply(
        update,
        people_texts.people_recent(people, context.settings.tz),
        people_keyboards.person_hits(people),
    )


# ---- merging two records of one person -------------------------------------------------------
async def ask_merge(update: Update, context: BotContext) -> int:
    """per:merge:<person to keep>: ask for the other record's alias."""
    query = query_of(update)
    pressed = PERSON_BUTTONS.unpack(query.data)
    person = await found(update, context, pressed.person_id if pressed is not None else None)
    if person is None or person.id is None:
        return END
    await query.answer()
    forget(context)
    MERGE_KEEP.put(context, person.id)
    await reply(update, people_texts.merge_ask(person.alias))
    return Step.MERGE_SEARCH


async def typed_merge_search(update: Update, context: BotContext) -> int:
    keep_id = MERGE_KEEP.get(context)
    if keep_id is None:
        return await lost(update, context)
    text = typed_text(update)
    problem = alias_problem(text)
    if problem:
        await reply(update, problem)
        return Step.MERGE_SEARCH
    hits = await context.store.outreach.search(text, viewer=context.member, exclude=keep_id)
    if not hits:
        await reply(update, people_texts.merge_no_hits(text))
        return Step.MERGE_SEARCH
    keep = await found(update, context, keep_id)
    if keep is None:
        forget(context)
        return END
    people = [facts(p) for p in hits]
    await reply(
        update,
        people_texts.merge_choose(keep.alias, people, context.settings.tz),
        people_keyboards.merge_hits(keep_id, people),
    )
    forget(context)
    return END


async def merge_button(update: Update, context: BotContext, pressed: PersonMerge) -> None:
    """per:mrg:<keep>:<other> asks to confirm; per:mok:<keep>:<other> merges."""
    query = query_of(update)
    keep_id, other_id = pressed.person_id, pressed.other_id
    if other_id == keep_id:
        await query.answer(people_texts.MERGE_SELF, show_alert=True)
        return
    store = context.store
    if pressed.action is PersonAction.MERGE_PICK:
        keep = await found(update, context, keep_id)
        other = await found(update, context, other_id) if keep is not None else None
        if keep is None or other is None:
            return
        await query.answer()
        moved = await store.outreach.contact_count(other_id)
        await edit_or_reply(
            update,
            people_texts.merge_confirm(facts(keep), facts(other), moved, context.settings.tz),
            people_keyboards.merge_confirm(keep_id, other_id),
        )
        return
    other_before = await store.outreach.lookup(other_id)
    outcome = await store.outreach.merge(keep_id, other_id, by=context.member)
    if not isinstance(outcome, MergeOutcome):
        await tell_gone(update, outcome)
        return
    alias = other_before.person.alias if other_before.person else ""
    await show_timeline(
        update, context, keep_id, people_texts.merged_notice(alias, outcome.moved_contacts)
    )


# ---- the step table --------------------------------------------------------------------------
def entry_points() -> list[Handler]:
    return [CallbackQueryHandler(ask_merge, pattern=PERSON_BUTTONS.pattern(PersonAction.MERGE))]


def steps(while_typing: list[Handler]) -> dict[Step, list[Handler]]:
    return {
        Step.MERGE_SEARCH: [
            *while_typing,
            typed(typed_merge_search),
            on(~filters.COMMAND, please_type),
        ]
    }
