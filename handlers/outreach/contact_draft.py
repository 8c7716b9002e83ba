"""The contact being logged: asking each step of /contact, and saving it.

Every question goes with its step's buttons; the draft (its step included) is kept in the
persisted user data before the question is asked, so a restart resumes where it was.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from pydantic import ValidationError
from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import ContactAction
from bot.domain.outreach import (
    ACTION_LABELS,
    SLEEPING_SITE_LABELS,
    Action,
    AgeBand,
    ContactDraft,
    Need,
    SleepingSite,
    split_slugs,
)
from bot.domain.rough_sleeping import Institution, LocalConnection, needs_answer
from bot.domain.safeguarding import ConcernKind, concern_reference
from bot.keyboards import outreach as outreach_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import outreach_records as records_texts
from bot.texts import referrals as referrals_texts
from bot.texts import safeguarding as safeguarding_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.conversation import END, State
from handlers.outreach import contact_marks
from handlers.outreach.shared import CONTACT_DRAFT, Step, alias_problem, forget, tell_gone
from storage.outreach import ContactIn, ContactSaved, PersonIn, facts

log = logging.getLogger(__name__)


# The steps handlers.outreach.contact_marks asks.
MARK_STEPS = frozenset({Step.SITE, Step.LOCAL, Step.LOCAL_WHERE, Step.NEEDS, Step.LEFT})


def new_draft(referral_id: int | None = None) -> ContactDraft:
    return ContactDraft(draft_id=secrets.token_hex(3), referral_id=referral_id)


# ---- asking each step ------------------------------------------------------------------------
async def go(
    update: Update,
    context: BotContext,
    draft: ContactDraft,
    step: Step,
    *,
    new_message: bool = False,
) -> int:
    """Move the draft to `step` and show its question (editing the pressed message)."""
    draft.step = int(step)
    CONTACT_DRAFT.put(context, draft)
    text, markup = await prompt(context, draft, step)
    if new_message:
        await reply(update, text, markup)
    else:
        await edit_or_reply(update, text, markup)
    return step


async def prompt(context: BotContext, draft: ContactDraft, step: Step) -> tuple[str, Any]:
    d, tz, outreach = draft.draft_id, context.settings.tz, context.store.outreach
    if step is Step.CHOOSE:
        return outreach_texts.CONTACT_START, outreach_keyboards.contact_choose(d)
    if step is Step.NEW_ALIAS:
        return outreach_texts.CONTACT_ASK_ALIAS, outreach_keyboards.contact_cancel(d)
    if step is Step.AGE:
        return outreach_texts.contact_ask_age(draft.who or ""), outreach_keyboards.contact_age(d)
    if step is Step.LOOKS:
        return outreach_texts.CONTACT_ASK_APPEARANCE, outreach_keyboards.contact_skip(d)
    if step is Step.PLACE:
        referral = await outreach.referral(draft.referral_id) if draft.referral_id else None
        hotspots = await context.store.hotspots.most_used()
        text = outreach_texts.contact_where(referral.place if referral else None)
        if draft.person_id is not None:  # a known person's flags come first
            flags = await context.store.people.flags(draft.person_id, viewer=context.member)
            if flags:
                banner = [(f.flag, f.set_by, f.set_at) for f in flags]
                text = records_texts.flags_banner(banner, tz) + "\n\n" + text
        return (
            text,
            outreach_keyboards.contact_places(d, hotspots, referral_place=referral is not None),
        )
    if step in MARK_STEPS:
        return await contact_marks.prompt(context, draft, step)
    if step is Step.ACTIONS:
        picked = split_slugs("|".join(draft.actions), Action)
        markup = outreach_keyboards.contact_multi(
            d, ACTION_LABELS, picked, toggle=ContactAction.ACTION, done=ContactAction.ACTIONS_DONE
        )
        return outreach_texts.CONTACT_ACTIONS, markup
    if step is Step.CONSENT:
        known = await outreach.lookup(draft.person_id) if draft.person_id else None
        person = known.person if known else None
        consent = person.consent_share if person else None
        at = person.consent_at if person else None
        return outreach_texts.contact_consent(
            draft.who or "", consent, at, tz
        ), outreach_keyboards.contact_consent(d)
    if step is Step.NOTES:
        return outreach_texts.CONTACT_NOTES, outreach_keyboards.contact_skip(d)
    site = SleepingSite(draft.site) if draft.site else None
    answer = needs_answer("|".join(draft.needs))
    summary = outreach_texts.contact_summary(
        who=None if draft.anonymous else draft.who,
        new_person=draft.new_alias is not None,
        place=draft.place or "",
        site=site,
        needs=split_slugs("|".join(draft.needs), Need),
        actions=split_slugs("|".join(draft.actions), Action),
        consent=draft.consent,
        notes=draft.notes,
        referral_id=draft.referral_id,
        needs_answer=records_texts.NEEDS_ANSWER_LABELS[answer] if answer else None,
        marks=records_texts.summary_lines(
            bedded_down=draft.bedded_down,
            site_label=SLEEPING_SITE_LABELS[site] if site else None,
            local=LocalConnection(draft.local) if draft.local else None,
            connection_place=draft.connection_place,
            left=split_slugs("|".join(draft.left), Institution),
        ),
    )
    if draft.exploitation:  # told on Save, to the safeguarding lead
        summary += "\n" + safeguarding_texts.exploitation_line(ConcernKind(draft.exploitation))
    return summary, outreach_keyboards.contact_confirm(d, exploitation=draft.exploitation)


async def search(update: Update, context: BotContext, draft: ContactDraft, query: str) -> int:
    draft.step = int(Step.CHOOSE)
    CONTACT_DRAFT.put(context, draft)
    problem = alias_problem(query)
    if problem:
        await reply(update, problem, outreach_keyboards.contact_choose(draft.draft_id))
        return Step.CHOOSE
    hits = await context.store.outreach.search(query, viewer=context.member)
    people = [facts(p) for p in hits]
    text = (
        outreach_texts.contact_hits(query, people, context.settings.tz)
        if people
        else outreach_texts.contact_no_hits(query)
    )
    await reply(update, text, outreach_keyboards.contact_choose(draft.draft_id, people))
    return Step.CHOOSE


# ---- saving ----------------------------------------------------------------------------------
def contact_in(draft: ContactDraft) -> ContactIn:
    """The contact to store (ValidationError for a draft no button could have made)."""
    new_person = None
    if draft.new_alias is not None and draft.person_id is None:
        new_person = PersonIn(
            alias=draft.new_alias,
            appearance=draft.appearance,
            age_band=AgeBand(draft.age_band or AgeBand.UNKNOWN.value),
        )
    return ContactIn(
        person_id=draft.person_id,
        new_person=new_person,
        hotspot_id=draft.hotspot_id,
        place_text=draft.place_text,
        lat=draft.lat,
        lon=draft.lon,
        sleeping_site=SleepingSite(draft.site) if draft.site else None,
        needs=split_slugs("|".join(draft.needs), Need),
        actions=split_slugs("|".join(draft.actions), Action),
        notes=draft.notes,
        consent=None if draft.anonymous else draft.consent,
        referral_id=draft.referral_id,
        bedded_down=draft.bedded_down,
        needs_answer=needs_answer("|".join(draft.needs)),
        local_connection=LocalConnection(draft.local) if draft.local else None,
        connection_place=draft.connection_place if draft.local else None,
        left_institution=split_slugs("|".join(draft.left), Institution),
        exploitation=ConcernKind(draft.exploitation) if draft.exploitation else None,
    )


async def save(update: Update, context: BotContext, draft: ContactDraft) -> State:
    query = query_of(update)
    store, tz = context.store, context.settings.tz
    notice = None
    if draft.referral_id is not None:
        view = await store.outreach.referral(draft.referral_id)
        if view is not None:
            seen = common_texts.local_datetime(view.referral.seen_at, tz)
            notice = referrals_texts.referral_notice("contacted", draft.referral_id, seen)
    try:
        contact = contact_in(draft)
    except ValidationError:
        await query.answer(outreach_texts.OUT_OLD_BUTTON, show_alert=True)
        return None
    saved = await store.outreach.log_contact(contact, worker=context.member, reporter_notice=notice)
    await query.answer()
    forget(context)
    if not isinstance(saved, ContactSaved):
        await edit_or_reply(update, outreach_texts.OUT_CANCELLED)
        await tell_gone(update, saved)
        return END
    if saved.referral_closed:
        context.services.outbox_wakeup.set()
    log.info(
        "contact %s saved by member %s (person %s, referral %s)",
        saved.contact.id,
        context.member.id,
        saved.person.id if saved.person else None,
        draft.referral_id,
    )
    who = saved.person.alias if saved.person else None
    text = outreach_texts.contact_saved(
        who, common_texts.local_time(saved.contact.at, tz), draft.referral_id, saved.referral_closed
    )
    if saved.concern_id is not None:  # flagged for exploitation: the lead is told
        context.services.outbox_wakeup.set()
        has_lead = await store.concerns.has_lead()
        told = safeguarding_texts.told_the_lead(
            concern_reference(saved.concern_id), has_lead=has_lead
        )
        text = f"{text}\n\n{told}"
    await edit_or_reply(update, text)
    return END
