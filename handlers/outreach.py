"""Outreach workers: /contact (guided), /person, /people, edits and merges; admins: /erase.

Person details never leave the private chat of an outreach worker (the commands are
private-only and need Permission.OUTREACH); every look at a record is audited by the
store. Drafts live in user_data as plain dicts; buttons carry the draft's short id, so a
button of an older contact is recognised and changes nothing.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from dataclasses import asdict
from enum import IntEnum
from typing import Any

from pydantic import ValidationError
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks import Callback
from bot.domain.outreach import (
    ACTION_LABELS,
    MAX_ALIAS,
    MAX_APPEARANCE,
    MAX_NOTES,
    MAX_PLACE_TEXT,
    NEED_LABELS,
    Action,
    AgeBand,
    AliasError,
    ContactDraft,
    Flag,
    Need,
    SleepingSite,
    alias_key,
    clean_alias,
    draft_expired,
    split_slugs,
    toggle,
)
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, query_of, reply, shared_point
from handlers.registry import button, command
from storage.models import PersonRecord
from storage.outreach import (
    ContactIn,
    ContactSaved,
    Gone,
    LegalNameWithoutConsent,
    Lookup,
    MergeOutcome,
    PersonField,
    PersonIn,
    facts,
)

log = logging.getLogger(__name__)

END = ConversationHandler.END
DRAFT = "outreach.contact"  # user_data: the contact being logged (ContactDraft as a dict)
EDITING = "outreach.editing"  # user_data: {"person": id, "field": name} or {"keep": id}
FLAGS = "outreach.flags"  # user_data: {"<person id>": [flag slugs]} while flags are ticked
TEXT_FIELDS = ("alias", "appearance", "gender", "usual_sites", "legal_name")


class Step(IntEnum):
    CHOOSE = 1
    NEW_ALIAS = 2
    SAME = 3
    AGE = 4
    LOOKS = 5
    PLACE = 6
    SITE = 7
    NEEDS = 8
    ACTIONS = 9
    CONSENT = 10
    NOTES = 11
    CONFIRM = 12
    EDIT_TEXT = 20
    MERGE_SEARCH = 21


# Buttons each step answers ("x", cancel, works at every step).
STEP_ACTIONS: dict[Step, frozenset[str]] = {
    Step.CHOOSE: frozenset({"pick", "newp", "anon"}),
    Step.NEW_ALIAS: frozenset(),
    Step.SAME: frozenset({"same", "notsame"}),
    Step.AGE: frozenset({"age"}),
    Step.LOOKS: frozenset({"skip"}),
    Step.PLACE: frozenset({"hot", "refplace"}),
    Step.SITE: frozenset({"site"}),
    Step.NEEDS: frozenset({"need", "needs"}),
    Step.ACTIONS: frozenset({"act", "acts"}),
    Step.CONSENT: frozenset({"cons"}),
    Step.NOTES: frozenset({"skip"}),
    Step.CONFIRM: frozenset({"save"}),
}
CONTACT_STEPS = tuple(STEP_ACTIONS)


# ---- drafts ------------------------------------------------------------------------------
def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise RuntimeError("outreach handler ran without a user")
    return data


def _draft(context: BotContext) -> ContactDraft | None:
    """The contact being logged; None when there is none or it was left too long."""
    raw = _user_data(context).get(DRAFT)
    if not isinstance(raw, dict):
        return None
    try:
        draft = ContactDraft(**raw)
    except TypeError:
        return None  # a draft from an older version: start again
    if draft_expired(draft.touched, context.clock.now()):
        _forget(context)
        return None
    return draft


def _keep(context: BotContext, draft: ContactDraft) -> None:
    draft.touched = context.clock.now().isoformat()
    _user_data(context)[DRAFT] = asdict(draft)


def _forget(context: BotContext) -> None:
    data = _user_data(context)
    for key in (DRAFT, EDITING):
        data.pop(key, None)


def _text(update: Update) -> str:
    return (message_of(update).text or "").strip()


# ---- the contact flow: entry points --------------------------------------------------------
async def contact_command(update: Update, context: BotContext) -> int:
    """/contact [alias]: start logging a contact (a search right away when an alias is given)."""
    draft = ContactDraft(draft_id=secrets.token_hex(3))
    _forget(context)
    query = " ".join(context.args or []).strip()
    if query:
        return await _search(update, context, draft, query)
    return await _go(update, context, draft, Step.CHOOSE)


async def contact_button(update: Update, context: BotContext) -> int:
    """out:new (menu), out:for:<person> (a timeline's "Log contact")."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    draft = ContactDraft(draft_id=secrets.token_hex(3))
    _forget(context)
    if parsed is not None and parsed.action == "for":
        found = await _found(update, context, parsed.int_arg(0))
        if found is None:
            return END
        await query.answer()
        draft.person_id, draft.who = found.id, found.alias
        return await _go(update, context, draft, Step.PLACE, new_message=True)
    await query.answer()
    return await _go(update, context, draft, Step.CHOOSE, new_message=True)


async def contact_for_referral(update: Update, context: BotContext) -> int:
    """ref:log:<referral>: take the referral (if still open) and log the contact that closes it."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    referral_id = parsed.int_arg(0) if parsed else None
    view = await context.store.outreach.referral(referral_id) if referral_id else None
    if view is None or referral_id is None:
        await query.answer(texts.REFERRAL_GONE, show_alert=True)
        return END
    if not view.is_open:
        await query.answer(texts.REFERRAL_ALREADY_CLOSED, show_alert=True)
        return END
    await context.store.outreach.take(referral_id, by=context.member)
    await query.answer()
    _forget(context)
    draft = ContactDraft(draft_id=secrets.token_hex(3), referral_id=referral_id)
    return await _go(update, context, draft, Step.CHOOSE, new_message=True)


# ---- the contact flow: rendering each step ---------------------------------------------------
async def _go(
    update: Update,
    context: BotContext,
    draft: ContactDraft,
    step: Step,
    *,
    new_message: bool = False,
    notice: str | None = None,
) -> int:
    """Move the draft to `step` and show its question (editing the pressed message)."""
    draft.step = int(step)
    _keep(context, draft)
    text, markup = await _prompt(context, draft, step)
    if notice:
        text = texts.notice_and(notice, text)
    if new_message:
        await reply(update, text, markup)
    else:
        await edit_or_reply(update, text, markup)
    return step


async def _prompt(context: BotContext, draft: ContactDraft, step: Step) -> tuple[str, Any]:
    d, tz = draft.draft_id, context.settings.tz
    if step is Step.CHOOSE:
        return texts.CONTACT_START, keyboards.contact_choose(d)
    if step is Step.NEW_ALIAS:
        return texts.CONTACT_ASK_ALIAS, keyboards.contact_cancel(d)
    if step is Step.AGE:
        return texts.contact_ask_age(draft.who or ""), keyboards.contact_age(d)
    if step is Step.LOOKS:
        return texts.CONTACT_ASK_APPEARANCE, keyboards.contact_skip(d)
    if step is Step.PLACE:
        referral = (
            await context.store.outreach.referral(draft.referral_id) if draft.referral_id else None
        )
        hotspots = await context.store.hotspots.most_used()
        return (
            texts.contact_where(referral.place if referral else None),
            keyboards.contact_places(d, hotspots, referral_place=referral is not None),
        )
    if step is Step.SITE:
        return texts.CONTACT_SITE, keyboards.contact_sites(d)
    if step is Step.NEEDS:
        chosen = split_slugs("|".join(draft.needs), Need)
        markup = keyboards.contact_multi(d, NEED_LABELS, chosen, toggle="need", done="needs")
        return texts.CONTACT_NEEDS, markup
    if step is Step.ACTIONS:
        picked = split_slugs("|".join(draft.actions), Action)
        markup = keyboards.contact_multi(d, ACTION_LABELS, picked, toggle="act", done="acts")
        return texts.CONTACT_ACTIONS, markup
    if step is Step.CONSENT:
        known = await context.store.outreach.lookup(draft.person_id) if draft.person_id else None
        person = known.person if known else None
        consent = person.consent_share if person else None
        at = person.consent_at if person else None
        return texts.contact_consent(draft.who or "", consent, at, tz), keyboards.contact_consent(d)
    if step is Step.NOTES:
        return texts.CONTACT_NOTES, keyboards.contact_skip(d)
    return (
        texts.contact_summary(
            who=None if draft.anonymous else draft.who,
            new_person=draft.new_alias is not None,
            place=draft.place or "",
            site=SleepingSite(draft.site) if draft.site else None,
            needs=split_slugs("|".join(draft.needs), Need),
            actions=split_slugs("|".join(draft.actions), Action),
            consent=draft.consent,
            notes=draft.notes,
            referral_id=draft.referral_id,
        ),
        keyboards.contact_confirm(d),
    )


def _after_actions(draft: ContactDraft) -> Step:
    return Step.NOTES if draft.anonymous else Step.CONSENT


# ---- the contact flow: buttons -----------------------------------------------------------
async def contact_step_button(update: Update, context: BotContext) -> int | None:
    """Every out:<action>:<draft>[:<arg>] button while a contact is being logged."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    draft = _draft(context)
    if draft is None:
        await query.answer(texts.OUT_FLOW_FINISHED)
        return END
    if parsed is None or not parsed.args or parsed.args[0] != draft.draft_id:
        await query.answer(texts.OUT_OLD_BUTTON)
        return None  # stay where we are
    step = Step(draft.step)
    if parsed.action == "x":
        await query.answer()
        _forget(context)
        await edit_or_reply(update, texts.OUT_CANCELLED)
        return END
    if parsed.action not in STEP_ACTIONS.get(step, frozenset()):
        await query.answer(texts.OUT_OLD_BUTTON)
        return None
    arg = parsed.args[1] if len(parsed.args) > 1 else None
    return await _step_action(update, context, draft, parsed.action, arg)


async def _step_action(
    update: Update, context: BotContext, draft: ContactDraft, action: str, arg: str | None
) -> int | None:
    query = query_of(update)
    if action in ("pick", "same"):
        found = await _found(update, context, _int(arg))
        if found is None:
            return None
        await query.answer()
        draft.person_id, draft.who, draft.new_alias = found.id, found.alias, None
        draft.anonymous = False
        return await _go(update, context, draft, Step.PLACE)
    if action == "newp":
        await query.answer()
        return await _go(update, context, draft, Step.NEW_ALIAS)
    if action == "anon":
        await query.answer()
        draft.anonymous, draft.person_id, draft.who = True, None, None
        return await _go(update, context, draft, Step.PLACE)
    if action == "notsame":
        await query.answer()
        return await _go(update, context, draft, Step.AGE)
    if action == "age":
        if arg not in {band.value for band in AgeBand}:
            await query.answer(texts.OUT_OLD_BUTTON)
            return None
        await query.answer()
        draft.age_band = arg
        return await _go(update, context, draft, Step.LOOKS)
    if action == "skip":
        await query.answer()
        next_step = Step.PLACE if draft.step == Step.LOOKS else Step.CONFIRM
        return await _go(update, context, draft, next_step)
    if action in ("hot", "refplace"):
        return await _place_button(update, context, draft, action, arg)
    if action == "site":
        if arg not in {site.value for site in SleepingSite}:
            await query.answer(texts.OUT_OLD_BUTTON)
            return None
        await query.answer()
        draft.site = arg
        return await _go(update, context, draft, Step.NEEDS)
    if action in ("need", "act"):
        vocabulary: type[Need] | type[Action] = Need if action == "need" else Action
        chosen_slugs = draft.needs if action == "need" else draft.actions
        if arg not in {v.value for v in vocabulary}:
            await query.answer(texts.OUT_OLD_BUTTON)
            return None
        await query.answer()
        chosen = split_slugs("|".join(chosen_slugs), vocabulary)
        updated = [v.value for v in toggle(chosen, vocabulary(arg))]
        if action == "need":
            draft.needs = updated
        else:
            draft.actions = updated
        return await _go(update, context, draft, Step(draft.step))
    if action == "needs":
        await query.answer()
        return await _go(update, context, draft, Step.ACTIONS)
    if action == "acts":
        await query.answer()
        return await _go(update, context, draft, _after_actions(draft))
    if action == "cons":
        await query.answer()
        draft.consent = {"y": True, "n": False}.get(arg or "")
        return await _go(update, context, draft, Step.NOTES)
    if action == "save":
        return await _save(update, context, draft)
    await query.answer(texts.OUT_OLD_BUTTON)
    return None


async def _place_button(
    update: Update, context: BotContext, draft: ContactDraft, action: str, arg: str | None
) -> int | None:
    query = query_of(update)
    if action == "hot":
        hotspot = await context.store.hotspots.get(_int(arg) or 0)
        if hotspot is None or hotspot.retired_at is not None:
            await query.answer(texts.REPORT_HOTSPOT_GONE, show_alert=True)
            return None
        draft.at_hotspot(hotspot.id, hotspot.name)
    else:
        view = (
            await context.store.outreach.referral(draft.referral_id) if draft.referral_id else None
        )
        if view is None:
            await query.answer(texts.REFERRAL_GONE, show_alert=True)
            return None
        r = view.referral
        draft.hotspot_id, draft.place_text, draft.lat, draft.lon = (
            r.hotspot_id,
            r.place_text,
            r.lat,
            r.lon,
        )
        draft.place = view.place
    await query.answer()
    return await _go(update, context, draft, Step.SITE)


async def _found(update: Update, context: BotContext, person_id: int | None) -> PersonRecord | None:
    """The live record behind a button, or None after telling the worker why it is gone."""
    lookup = (
        await context.store.outreach.lookup(person_id) if person_id else Lookup(None, Gone.ERASED)
    )
    if lookup.person is not None:
        return lookup.person
    await _tell_gone(update, lookup)
    return None


async def _tell_gone(update: Update, lookup: Lookup) -> None:
    merged_into = lookup.merged_into.alias if lookup.merged_into is not None else None
    text = texts.person_gone(merged_into if lookup.gone is Gone.MERGED else None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, text)


def _int(value: str | None) -> int | None:
    return callbacks.small_int(value)


# ---- the contact flow: typed answers and locations ------------------------------------------
async def typed_search(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    return await _search(update, context, draft, _text(update))


async def _search(update: Update, context: BotContext, draft: ContactDraft, query: str) -> int:
    draft.step = int(Step.CHOOSE)
    _keep(context, draft)
    problem = _alias_problem(query)
    if problem:
        await reply(update, problem, keyboards.contact_choose(draft.draft_id))
        return Step.CHOOSE
    hits = await context.store.outreach.search(query, viewer=context.member)
    people = [facts(p) for p in hits]
    text = (
        texts.contact_hits(query, people, context.settings.tz)
        if people
        else texts.contact_no_hits(query)
    )
    await reply(update, text, keyboards.contact_choose(draft.draft_id, people))
    return Step.CHOOSE


def _alias_problem(text: str) -> str | None:
    try:
        clean_alias(text)
    except AliasError:
        return texts.OUT_ALIAS_EMPTY if not text.strip() else texts.out_alias_too_long(len(text))
    return None


async def typed_new_alias(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = _text(update)
    problem = _alias_problem(text)
    if problem:
        await reply(update, problem, keyboards.contact_cancel(draft.draft_id))
        return Step.NEW_ALIAS
    alias = clean_alias(text)
    draft.new_alias, draft.who, draft.person_id, draft.anonymous = alias, alias, None, False
    similar = await context.store.outreach.similar(alias, viewer=context.member)
    if similar:
        people = [facts(p) for p in similar]
        draft.step = int(Step.SAME)
        _keep(context, draft)
        await reply(
            update,
            texts.contact_same_person(alias, people, context.settings.tz),
            keyboards.contact_same_person(draft.draft_id, people),
        )
        return Step.SAME
    return await _go(update, context, draft, Step.AGE, new_message=True)


async def typed_appearance(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = _text(update)
    if len(text) > MAX_APPEARANCE:
        await reply(update, texts.out_text_too_long(len(text), MAX_APPEARANCE))
        return Step.LOOKS
    draft.appearance = text or None
    return await _go(update, context, draft, Step.PLACE, new_message=True)


async def typed_place(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = _text(update)
    if not text or len(text) > MAX_PLACE_TEXT:
        await reply(update, texts.out_text_too_long(len(text), MAX_PLACE_TEXT))
        return Step.PLACE
    draft.at_text(text)
    return await _go(update, context, draft, Step.SITE, new_message=True)


async def shared_location(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    point = shared_point(update)
    if point is None:
        await reply(update, texts.OUT_LOCATION_BAD)
        return Step.PLACE
    draft.at_point(await context.store.hotspots.places(), *point)
    return await _go(update, context, draft, Step.SITE, new_message=True)


async def typed_notes(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context)
    text = _text(update)
    if len(text) > MAX_NOTES:
        await reply(update, texts.out_text_too_long(len(text), MAX_NOTES))
        return Step.NOTES
    draft.notes = text or None
    return await _go(update, context, draft, Step.CONFIRM, new_message=True)


async def use_the_buttons(update: Update, context: BotContext) -> None:
    """Text, photos or stickers where a button answer is due: stay and remind."""
    await reply(update, texts.OUT_USE_BUTTONS)


async def _lost(update: Update, context: BotContext) -> int:
    """The draft expired (or is unreadable): say so and stop; the message was not used."""
    _forget(context)
    await reply(update, texts.OUT_EXPIRED)
    return END


# ---- the contact flow: saving ---------------------------------------------------------------
async def _save(update: Update, context: BotContext, draft: ContactDraft) -> int | None:
    query = query_of(update)
    store, tz = context.store, context.settings.tz
    notice = None
    if draft.referral_id is not None:
        view = await store.outreach.referral(draft.referral_id)
        if view is not None:
            seen = texts.local_datetime(view.referral.seen_at, tz)
            notice = texts.referral_notice("contacted", draft.referral_id, seen)
    try:
        contact = ContactIn(
            person_id=draft.person_id,
            new_person=(
                PersonIn(
                    alias=draft.new_alias,
                    appearance=draft.appearance,
                    age_band=AgeBand(draft.age_band or AgeBand.UNKNOWN.value),
                )
                if draft.new_alias is not None and draft.person_id is None
                else None
            ),
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
        )
    except ValidationError:
        await query.answer(texts.OUT_OLD_BUTTON, show_alert=True)
        return None
    saved = await store.outreach.log_contact(contact, worker=context.member, reporter_notice=notice)
    await query.answer()
    _forget(context)
    if not isinstance(saved, ContactSaved):
        await edit_or_reply(update, texts.OUT_CANCELLED)
        await _tell_gone(update, saved)
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
    await edit_or_reply(
        update,
        texts.contact_saved(
            who, texts.local_time(saved.contact.at, tz), draft.referral_id, saved.referral_closed
        ),
    )
    return END


# ---- /person, /people and a person's buttons -------------------------------------------------
async def person_command(update: Update, context: BotContext) -> None:
    query = " ".join(context.args or []).strip()
    if not query:
        await reply(update, texts.PERSON_USAGE)
        return
    if len(query) > MAX_ALIAS:
        await reply(update, texts.out_alias_too_long(len(query)))
        return
    hits = await context.store.outreach.search(query, viewer=context.member)
    if not hits:
        await reply(update, texts.person_no_hits(query))
        return
    exact = [p for p in hits if alias_key(p.alias) == alias_key(query)]
    if len(exact) == 1:  # the alias as typed: straight to the record
        await show_timeline(update, context, exact[0].id or 0)
        return
    people = [facts(p) for p in hits]
    await reply(
        update,
        texts.person_choose(query, people, context.settings.tz),
        keyboards.person_hits(people),
    )


async def people_command(update: Update, context: BotContext) -> None:
    recent = await context.store.outreach.recent(viewer=context.member)
    if not recent:
        await reply(update, texts.PEOPLE_NONE)
        return
    people = [facts(p) for p in recent]
    await reply(
        update, texts.people_recent(people, context.settings.tz), keyboards.person_hits(people)
    )


async def show_timeline(
    update: Update, context: BotContext, person_id: int, notice: str | None = None
) -> None:
    view = await context.store.outreach.timeline(person_id, viewer=context.member)
    if view is None:
        await _tell_gone(update, await context.store.outreach.lookup(person_id))
        return
    referrals = [
        (
            r.referral.id or 0,
            r.place,
            texts.referral_status(r.referral.status.value, _value(r.referral.outcome)),
        )
        for r in view.referrals
    ]
    text = texts.person_timeline(
        facts(view.person), view.timeline, referrals, context.settings.tz, notice
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
    await edit_or_reply(update, text, keyboards.person_actions(person_id))


def _value(outcome: Any) -> str | None:
    return outcome.value if outcome is not None else None


async def person_button(update: Update, context: BotContext) -> None:
    """per:show / edit / f / age / flag / flags / cons / mrg / mok."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    person_id = parsed.int_arg(0) if parsed else None
    if parsed is None or person_id is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if parsed.action == "show":
        await show_timeline(update, context, person_id)
        return
    if parsed.action in ("mrg", "mok"):
        await _merge_button(update, context, parsed, person_id)
        return
    found = await _found(update, context, person_id)
    if found is None:
        return
    await _edit_button(update, context, parsed, found)


async def _edit_button(
    update: Update, context: BotContext, parsed: Callback, person: PersonRecord
) -> None:
    query = query_of(update)
    person_id, tz = person.id or 0, context.settings.tz
    arg = parsed.args[1] if len(parsed.args) > 1 else None
    action = parsed.action
    if action == "edit":
        await query.answer()
        await _edit_menu(update, person)
        return
    if action == "f" and arg == "age_band":
        await query.answer()
        await edit_or_reply(
            update, texts.contact_ask_age(person.alias), keyboards.person_age(person_id)
        )
        return
    if action == "f" and arg == "flags":
        await query.answer()
        ticking = _user_data(context).setdefault(FLAGS, {})
        ticking[str(person_id)] = [f.value for f in split_slugs(person.flags, Flag)]
        await edit_or_reply(
            update,
            texts.person_ask_flags(person.alias),
            keyboards.person_flags(person_id, split_slugs(person.flags, Flag)),
        )
        return
    if action == "f" and arg == "consent":
        await query.answer()
        await edit_or_reply(
            update,
            texts.person_ask_consent(person.alias, person.consent_share, person.consent_at, tz),
            keyboards.person_consent(person_id),
        )
        return
    if action == "flag" and arg in {f.value for f in Flag}:
        ticking = _user_data(context).setdefault(FLAGS, {})
        key = str(person_id)  # JSON keys (persistence) are strings
        current = split_slugs("|".join(ticking[key]) if key in ticking else person.flags, Flag)
        chosen = toggle(current, Flag(arg))
        ticking[key] = [f.value for f in chosen]
        await query.answer()
        await edit_or_reply(
            update, texts.person_ask_flags(person.alias), keyboards.person_flags(person_id, chosen)
        )
        return
    if action == "flags":
        ticking = _user_data(context).setdefault(FLAGS, {})
        key = str(person_id)
        chosen = split_slugs(
            "|".join(ticking.pop(key, [])) if key in ticking else person.flags, Flag
        )
        await _save_field(update, context, person_id, PersonField.FLAGS, chosen)
        return
    if action == "age" and arg in {b.value for b in AgeBand}:
        await _save_field(update, context, person_id, PersonField.AGE_BAND, arg)
        return
    if action == "cons" and arg in ("y", "n"):
        await _save_field(update, context, person_id, PersonField.CONSENT, arg == "y")
        return
    await query.answer(texts.STALE_BUTTON)


async def _edit_menu(update: Update, person: PersonRecord, notice: str | None = None) -> None:
    text = texts.person_edit_menu(person.alias)
    if notice:
        text = texts.notice_and(notice, text)
    await edit_or_reply(update, text, keyboards.person_edit_menu(facts(person)))


async def _save_field(
    update: Update, context: BotContext, person_id: int, field: PersonField, value: object
) -> bool:
    """One change through the store; tells the worker the outcome. True when saved."""
    try:
        done = await context.store.outreach.edit(person_id, field, value, by=context.member)
    except LegalNameWithoutConsent:
        await _say(update, texts.PERSON_LEGAL_NAME_NEEDS_CONSENT)
        return False
    except (AliasError, ValueError):
        limit = texts.PERSON_FIELD_LIMITS.get(field.value, MAX_ALIAS)
        await _say(update, texts.out_text_too_long(len(str(value)), limit))
        return False
    if done.person is None:
        await _tell_gone(update, done)
        return False
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _edit_menu(update, done.person, texts.person_edited(field.value))
    return True


async def _say(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


# ---- editing a typed detail (a small flow in the same conversation) ---------------------------
async def ask_text_field(update: Update, context: BotContext) -> int:
    """per:f:<person>:<alias|appearance|gender|usual_sites|legal_name>."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    person_id = parsed.int_arg(0) if parsed else None
    field = parsed.args[1] if parsed and len(parsed.args) > 1 else None
    if person_id is None or field not in TEXT_FIELDS:
        await query.answer(texts.STALE_BUTTON)
        return END
    person = await _found(update, context, person_id)
    if person is None:
        return END
    if field == "legal_name" and person.consent_share is not True:
        await query.answer(texts.PERSON_LEGAL_NAME_NEEDS_CONSENT, show_alert=True)
        return END
    await query.answer()
    _forget(context)
    _user_data(context)[EDITING] = {"person": person_id, "field": field}
    current = getattr(person, field)
    await reply(update, texts.person_ask_text(field, person.alias, current))
    return Step.EDIT_TEXT


async def typed_field(update: Update, context: BotContext) -> int:
    editing = _user_data(context).get(EDITING) or {}
    person_id, field = editing.get("person"), editing.get("field")
    if not isinstance(person_id, int) or field not in TEXT_FIELDS:
        return await _lost(update, context)
    text = _text(update)
    value: str | None = None if text == "-" and field != "alias" else text
    if field == "alias":
        problem = _alias_problem(text)
        if problem:
            await reply(update, problem)
            return Step.EDIT_TEXT
    if await _save_field(update, context, person_id, PersonField(field), value):
        _forget(context)
        return END
    return Step.EDIT_TEXT


# ---- merging two records of one person -----------------------------------------------------
async def ask_merge(update: Update, context: BotContext) -> int:
    """per:merge:<person to keep>: ask for the other record's alias."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    person = await _found(update, context, parsed.int_arg(0) if parsed else None)
    if person is None:
        return END
    await query.answer()
    _forget(context)
    _user_data(context)[EDITING] = {"keep": person.id}
    await reply(update, texts.merge_ask(person.alias))
    return Step.MERGE_SEARCH


async def typed_merge_search(update: Update, context: BotContext) -> int:
    keep_id = (_user_data(context).get(EDITING) or {}).get("keep")
    if not isinstance(keep_id, int):
        return await _lost(update, context)
    text = _text(update)
    problem = _alias_problem(text)
    if problem:
        await reply(update, problem)
        return Step.MERGE_SEARCH
    hits = await context.store.outreach.search(text, viewer=context.member, exclude=keep_id)
    if not hits:
        await reply(update, texts.merge_no_hits(text))
        return Step.MERGE_SEARCH
    keep = await _found(update, context, keep_id)
    if keep is None:
        _forget(context)
        return END
    people = [facts(p) for p in hits]
    await reply(
        update,
        texts.merge_choose(keep.alias, people, context.settings.tz),
        keyboards.merge_hits(keep_id, people),
    )
    _forget(context)
    return END


async def _merge_button(
    update: Update, context: BotContext, parsed: Callback, keep_id: int
) -> None:
    """per:mrg:<keep>:<other> asks to confirm; per:mok:<keep>:<other> merges."""
    query = query_of(update)
    other_id = parsed.int_arg(1)
    if other_id is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if other_id == keep_id:
        await query.answer(texts.MERGE_SELF, show_alert=True)
        return
    store = context.store
    if parsed.action == "mrg":
        keep = await _found(update, context, keep_id)
        other = await _found(update, context, other_id) if keep is not None else None
        if keep is None or other is None:
            return
        await query.answer()
        moved = await store.outreach.contact_count(other_id)
        await edit_or_reply(
            update,
            texts.merge_confirm(facts(keep), facts(other), moved, context.settings.tz),
            keyboards.merge_confirm(keep_id, other_id),
        )
        return
    other_before = await store.outreach.lookup(other_id)
    outcome = await store.outreach.merge(keep_id, other_id, by=context.member)
    if not isinstance(outcome, MergeOutcome):
        await _tell_gone(update, outcome)
        return
    alias = other_before.person.alias if other_before.person else ""
    await show_timeline(
        update, context, keep_id, texts.merged_notice(alias, outcome.moved_contacts)
    )


# ---- /erase (admins) -----------------------------------------------------------------------
async def erase_command(update: Update, context: BotContext) -> None:
    query = " ".join(context.args or []).strip()
    if not query:
        await reply(update, texts.ERASE_USAGE)
        return
    if len(query) > MAX_ALIAS:
        await reply(update, texts.out_alias_too_long(len(query)))
        return
    hits = await context.store.outreach.search(query, viewer=context.member)
    if not hits:
        await reply(update, texts.person_no_hits(query))
        return
    people = [facts(p) for p in hits]
    tz = context.settings.tz
    await reply(update, texts.erase_choose(query, people, tz), keyboards.erase_choose(people, tz))


async def erase_button(update: Update, context: BotContext) -> None:
    """era:ok:<person> erases; era:x leaves everything as it was."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.action == "x":
        await query.answer()
        await edit_or_reply(update, texts.ERASE_CANCELLED)
        return
    person_id = parsed.int_arg(0)
    if parsed.action != "ok" or person_id is None:
        await query.answer(texts.STALE_BUTTON)
        return
    erased = await context.store.outreach.erase(person_id, by=context.member, via="admin")
    if erased is None:
        lookup = await context.store.outreach.lookup(person_id)
        await query.answer()
        await edit_or_reply(
            update,
            texts.person_gone(lookup.merged_into.alias if lookup.merged_into is not None else None),
        )
        return
    log.info("person %s erased by member %s", person_id, context.member.id)
    await query.answer()
    await edit_or_reply(update, texts.person_erased(person_id, erased.contacts_anonymised))


async def stale_flow_button(update: Update, context: BotContext) -> None:
    """out: buttons when no contact is being logged (finished, cancelled or restarted)."""
    await query_of(update).answer(texts.OUT_FLOW_FINISHED)


# ---- fallbacks and wiring ---------------------------------------------------------------------
async def cancel(update: Update, context: BotContext) -> int:
    _forget(context)
    await reply(update, texts.OUT_CANCELLED)
    return END


async def interrupted(update: Update, context: BotContext) -> int:
    """Another command stops the flow (nothing saved) and asks for the command again."""
    _forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, texts.out_interrupted(word))
    return END


async def own_person_button(update: Update, context: BotContext) -> int:
    """A person's button while a typed detail is due: stop waiting, then act on it."""
    _forget(context)
    await person_button(update, context)
    return END


def _typed(callback: Any) -> MessageHandler[BotContext, Any]:
    return MessageHandler(filters.TEXT & ~filters.COMMAND, callback)


def conversation() -> ConversationHandler[BotContext]:
    step_button = CallbackQueryHandler(
        contact_step_button, pattern=callbacks.pattern(callbacks.OUTREACH)
    )
    remind = MessageHandler(~filters.COMMAND, use_the_buttons)
    states: dict[object, list[BaseHandler]] = {  # type: ignore[type-arg]
        step: [step_button, remind] for step in CONTACT_STEPS
    }
    states[Step.CHOOSE] = [step_button, _typed(typed_search), remind]
    states[Step.NEW_ALIAS] = [step_button, _typed(typed_new_alias), remind]
    states[Step.LOOKS] = [step_button, _typed(typed_appearance), remind]
    states[Step.PLACE] = [
        step_button,
        _typed(typed_place),
        MessageHandler(filters.LOCATION, shared_location),
        remind,
    ]
    states[Step.NOTES] = [step_button, _typed(typed_notes), remind]
    person_buttons = CallbackQueryHandler(
        own_person_button, pattern=callbacks.pattern(callbacks.PERSON)
    )
    please_type = MessageHandler(~filters.COMMAND, _please_type)
    states[Step.EDIT_TEXT] = [person_buttons, _typed(typed_field), please_type]
    states[Step.MERGE_SEARCH] = [person_buttons, _typed(typed_merge_search), please_type]
    text_fields = "|".join(TEXT_FIELDS)
    with warnings.catch_warnings():
        # Tracked per chat and user, not per message: typed answers follow the buttons.
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[
                command("contact", contact_command),
                CallbackQueryHandler(
                    contact_button,
                    pattern=callbacks.actions_pattern(callbacks.OUTREACH, "new", "for"),
                ),
                CallbackQueryHandler(
                    contact_for_referral,
                    pattern=callbacks.actions_pattern(callbacks.REFERRAL, "log"),
                ),
                CallbackQueryHandler(
                    ask_text_field, pattern=rf"^{callbacks.PERSON}:f:\d+:({text_fields})$"
                ),
                CallbackQueryHandler(
                    ask_merge, pattern=callbacks.actions_pattern(callbacks.PERSON, "merge")
                ),
            ],
            states=states,  # type: ignore[arg-type]
            fallbacks=[
                command("cancel", cancel),
                MessageHandler(filters.COMMAND, interrupted),
            ],
            allow_reentry=True,
            name="outreach",
            persistent=True,
        )


async def _please_type(update: Update, context: BotContext) -> None:
    await reply(update, texts.TYPE_THE_ANSWER)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        conversation(),
        command("person", person_command),
        command("people", people_command),
        command("erase", erase_command),
        button(callbacks.PERSON, person_button),
        button(callbacks.ERASE, erase_button),
        button(callbacks.OUTREACH, stale_flow_button),
    ]
