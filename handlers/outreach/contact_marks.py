"""The steps of /contact that record what a rough sleeping report counts: bedded down or at
risk (with the sleeping site, one tap), local connection and where, support needs (with
"none known" and "declined to say"), and prison, hospital or care recently left.

handlers.outreach.contact routes these buttons here and moves the draft to the step they
lead to; contact_draft asks each step with `prompt`.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import (
    ContactAction,
    ContactKnownPlace,
    ContactLocal,
    ContactSite,
    ContactStepPresses,
    ContactTick,
)
from bot.domain.outreach import NEED_LABELS, ContactDraft, Need, split_slugs, toggle
from bot.domain.rough_sleeping import (
    MAX_CONNECTION_PLACE,
    Institution,
    LocalConnection,
    NeedsAnswer,
    tick_need,
)
from bot.keyboards import outreach as outreach_keyboards
from bot.texts import outreach as outreach_texts
from bot.texts import outreach_records as records_texts
from handlers.common import query_of, reply
from handlers.outreach.shared import Step, typed_text

NEEDS_LABELS: dict[Any, str] = {**NEED_LABELS, **records_texts.NEEDS_ANSWER_LABELS}


async def answer(
    update: Update,
    context: BotContext,
    draft: ContactDraft,
    step: Step,
    pressed: ContactStepPresses,
) -> Step | None:
    """One of these steps' buttons (the caller checked it belongs to the draft's step): the
    step it leads to, or None (an old button, answered as such)."""
    query = query_of(update)
    match pressed:
        case ContactSite(site=site, bedded=bedded):
            draft.site, draft.bedded_down = site.value, bedded
            await query.answer()
            return Step.LOCAL
        case ContactLocal(answer=local):
            draft.local, draft.connection_place = local.value, None
            await query.answer()
            nxt = Step.NEEDS if local is LocalConnection.UNKNOWN else Step.LOCAL_WHERE
            return nxt
        case ContactKnownPlace(index=index):
            places = context.settings.connection_places
            if index >= len(places):
                await query.answer(outreach_texts.OUT_OLD_BUTTON)
                return None
            draft.connection_place = places[index]
            await query.answer()
            return Step.NEEDS
        case ContactTick(action=ContactAction.NEED, slug=slug):
            draft.needs = tick_need(draft.needs, slug)
            await query.answer()
            return step
        case ContactTick(action=ContactAction.LEFT, slug=slug):
            left = toggle(split_slugs("|".join(draft.left), Institution), Institution(slug))
            draft.left = [i.value for i in left]
            await query.answer()
            return step
    if pressed.action is ContactAction.LOCAL_AGAIN and draft.person_id is not None:
        before = await context.store.contacts.last_connection(draft.person_id)
        if before is not None:
            draft.local, draft.connection_place = before[0].value, before[1]
        await query.answer()
        return Step.NEEDS
    await query.answer(outreach_texts.OUT_OLD_BUTTON)
    return None


async def typed_connection_place(update: Update, draft: ContactDraft) -> Step:
    """Where the connection is, typed: the next step (NEEDS), or this one again."""
    text = typed_text(update)
    if not text or len(text) > MAX_CONNECTION_PLACE:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_CONNECTION_PLACE))
        return Step.LOCAL_WHERE
    draft.connection_place = text
    return Step.NEEDS


def chosen_needs(draft: ContactDraft) -> list[Any]:
    """The needs ticked so far, or the one exclusive answer, as vocabulary values."""
    answers = {a.value: a for a in NeedsAnswer}
    return [
        answers[s] if s in answers else Need(s) for s in draft.needs if s in NEEDS_LABELS_BY_SLUG
    ]


NEEDS_LABELS_BY_SLUG = frozenset(v.value for v in NEEDS_LABELS)


async def prompt(context: BotContext, draft: ContactDraft, step: Step) -> tuple[str, Any]:
    """The question and buttons of one of these steps."""
    d = draft.draft_id
    if step is Step.SITE:
        return records_texts.CONTACT_SITE, outreach_keyboards.contact_sites(d)
    if step is Step.LOCAL:
        before = (
            await context.store.contacts.last_connection(draft.person_id)
            if draft.person_id
            else None
        )
        words = records_texts.connection_words(*before) if before else None
        return records_texts.contact_local(before), outreach_keyboards.contact_local(d, words)
    if step is Step.LOCAL_WHERE:
        places = context.settings.connection_places
        return (
            records_texts.CONTACT_LOCAL_WHERE,
            outreach_keyboards.contact_connection_places(d, places),
        )
    if step is Step.NEEDS:
        markup = outreach_keyboards.contact_multi(
            d,
            NEEDS_LABELS,
            chosen_needs(draft),
            toggle=ContactAction.NEED,
            done=ContactAction.NEEDS_DONE,
        )
        return records_texts.CONTACT_NEEDS, markup
    left = split_slugs("|".join(draft.left), Institution)
    markup = outreach_keyboards.contact_multi(
        d,
        records_texts.INSTITUTION_LABELS,
        left,
        toggle=ContactAction.LEFT,
        done=ContactAction.LEFT_DONE,
    )
    return records_texts.CONTACT_LEFT, markup
