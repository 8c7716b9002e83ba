"""/erase <alias> (admins): erase one person on request, after choosing which record.

The store erases every text about them, the stored drafts naming them included; the
drafts this running bot holds in memory are cleared here by the same rule
(bot.domain.erasure), so no member's half-written contact still names them.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import ERASE_BUTTONS, EraseCancel, EraseConfirm
from bot.domain.erasure import scrub_drafts
from bot.domain.outreach import MAX_ALIAS
from bot.keyboards.admin import people as people_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts.admin import people as people_texts
from handlers.common import edit_or_reply, query_of, reply
from storage.outreach import facts

log = logging.getLogger(__name__)


async def erase_command(update: Update, context: BotContext) -> None:
    query = " ".join(context.args or []).strip()
    if not query:
        await reply(update, people_texts.ERASE_USAGE)
        return
    if len(query) > MAX_ALIAS:
        await reply(update, outreach_texts.out_alias_too_long(len(query)))
        return
    hits = await context.store.outreach.search(query, viewer=context.member)
    if not hits:
        await reply(update, people_texts.person_no_hits(query))
        return
    people = [facts(p) for p in hits]
    tz = context.settings.tz
    await reply(
        update,
        people_texts.erase_choose(query, people, tz),
        people_keyboards.erase_choose(people, tz),
    )


async def erase_button(update: Update, context: BotContext) -> None:
    """era:ok:<person> erases; era:x leaves everything as it was."""
    query = query_of(update)
    match ERASE_BUTTONS.unpack(query.data):
        case EraseCancel():
            await query.answer()
            await edit_or_reply(update, people_texts.ERASE_CANCELLED)
        case EraseConfirm(person_id=person_id):
            await _erase(update, context, person_id)
        case None:
            await query.answer(common_texts.STALE_BUTTON)


async def _erase(update: Update, context: BotContext, person_id: int) -> None:
    query = query_of(update)
    erased = await context.store.outreach.erase(person_id, by=context.member, via="admin")
    if erased is None:
        lookup = await context.store.outreach.lookup(person_id)
        await query.answer()
        await edit_or_reply(
            update,
            outreach_texts.person_gone(
                lookup.merged_into.alias if lookup.merged_into is not None else None
            ),
        )
        return
    in_memory = 0
    for data in context.application.user_data.values():
        if scrub_drafts(data, erased.named):
            in_memory += 1
    log.info(
        "person %s erased by member %s; %s drafts in memory cleared",
        person_id,
        context.member.id,
        in_memory,
    )
    await query.answer()
    await edit_or_reply(update, people_texts.person_erased(person_id, erased.contacts_anonymised))
