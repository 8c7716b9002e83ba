"""/person <alias>: one person's timeline; a person's buttons: edit details, flags, consent.

Person details never leave the private chat of an outreach worker (the commands are
private-only and need Permission.OUTREACH); every look at a record is audited by the store.
A typed detail (alias, appearance, ...) is a small step of the outreach conversation.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.street_outreach import (
    PERSON_BUTTONS,
    PersonAction,
    PersonAge,
    PersonConsent,
    PersonDetail,
    PersonFlag,
    PersonMerge,
    PersonOutcomeDay,
    PersonOutcomeKind,
    PersonPress,
    PersonPresses,
)
from bot.domain.outreach import (
    MAX_ALIAS,
    AliasError,
    Flag,
    PersonField,
    alias_key,
    split_slugs,
    toggle,
)
from bot.keyboards.admin import people as people_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts.admin import people as people_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.conversation import END, Handler, on, typed
from handlers.outreach import outcomes, people
from handlers.outreach.shared import (
    FLAGS,
    PERSON_EDIT,
    DetailEdit,
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
from storage.models import PersonRecord
from storage.outreach import LegalNameWithoutConsent, facts

# Details typed as text (a small flow); the others are chosen with buttons.
TEXT_FIELDS = (
    PersonField.ALIAS,
    PersonField.APPEARANCE,
    PersonField.GENDER,
    PersonField.USUAL_SITES,
    PersonField.LEGAL_NAME,
)


# ---- /person -------------------------------------------------------------------------------
async def person_command(update: Update, context: BotContext) -> None:
    query = " ".join(context.args or []).strip()
    if not query:
        await reply(update, people_texts.PERSON_USAGE)
        return
    if len(query) > MAX_ALIAS:
        await reply(update, outreach_texts.out_alias_too_long(len(query)))
        return
    hits = await context.store.outreach.search(query, viewer=context.member)
    if not hits:
        await reply(update, people_texts.person_no_hits(query))
        return
    exact = [p for p in hits if alias_key(p.alias) == alias_key(query)]
    if len(exact) == 1:  # the alias as typed: straight to the record
        await show_timeline(update, context, exact[0].id or 0)
        return
    people_found = [facts(p) for p in hits]
    await reply(
        update,
        people_texts.person_choose(query, people_found, context.settings.tz),
        people_keyboards.person_hits(people_found),
    )


# ---- a person's buttons ----------------------------------------------------------------------
async def person_button(update: Update, context: BotContext) -> None:
    """per:show / edit / f / age / flag / flags / cons / mrg / mok."""
    query = query_of(update)
    pressed = PERSON_BUTTONS.unpack(query.data)
    match pressed:
        case None:
            await query.answer(common_texts.STALE_BUTTON)
        case PersonPress(action=PersonAction.SHOW, person_id=person_id):
            await show_timeline(update, context, person_id)
        case PersonMerge():
            await people.merge_button(update, context, pressed)
        case PersonPress(action=PersonAction.OUTCOME) | PersonOutcomeKind() | PersonOutcomeDay():
            person = await found(update, context, pressed.person_id)
            if person is not None:
                await outcomes.outcome_button(update, context, pressed, person)
        case _:
            person = await found(update, context, pressed.person_id)
            if person is not None:
                await _edit_button(update, context, pressed, person)


async def _edit_button(
    update: Update, context: BotContext, pressed: PersonPresses, person: PersonRecord
) -> None:
    query = query_of(update)
    person_id, tz = person.id or 0, context.settings.tz
    match pressed:
        case PersonPress(action=PersonAction.EDIT):
            await query.answer()
            await _edit_menu(update, person)
        case PersonDetail(field=PersonField.AGE_BAND):
            await query.answer()
            await edit_or_reply(
                update,
                outreach_texts.contact_ask_age(person.alias),
                people_keyboards.person_age(person_id),
            )
        case PersonDetail(field=PersonField.FLAGS):
            await query.answer()
            current = split_slugs(person.flags, Flag)
            _tick_flags(context, person_id, current)
            await edit_or_reply(
                update,
                people_texts.person_ask_flags(person.alias),
                people_keyboards.person_flags(person_id, current),
            )
        case PersonDetail(field=PersonField.CONSENT):
            await query.answer()
            await edit_or_reply(
                update,
                people_texts.person_ask_consent(
                    person.alias, person.consent_share, person.consent_at, tz
                ),
                people_keyboards.person_consent(person_id),
            )
        case PersonFlag(flag=flag):
            chosen = toggle(_ticked_flags(context, person), flag)
            _tick_flags(context, person_id, chosen)
            await query.answer()
            await edit_or_reply(
                update,
                people_texts.person_ask_flags(person.alias),
                people_keyboards.person_flags(person_id, chosen),
            )
        case PersonPress(action=PersonAction.FLAGS_DONE):
            chosen = _ticked_flags(context, person)
            _untick_flags(context, person_id)
            await _save_field(update, context, person_id, PersonField.FLAGS, chosen)
        case PersonAge(band=band):
            await _save_field(update, context, person_id, PersonField.AGE_BAND, band.value)
        case PersonConsent(answer=answer):
            await _save_field(update, context, person_id, PersonField.CONSENT, answer.consent)
        case _:
            await query.answer(common_texts.STALE_BUTTON)


# ---- flags being ticked, kept until Done -----------------------------------------------------
def _flags_ticking(context: BotContext) -> dict[str, list[str]]:
    return FLAGS.get(context) or {}


def _ticked_flags(context: BotContext, person: PersonRecord) -> list[Flag]:
    """The flags ticked so far, or the record's own before the first tick."""
    ticking, key = _flags_ticking(context), str(person.id or 0)
    return split_slugs("|".join(ticking[key]) if key in ticking else person.flags, Flag)


def _tick_flags(context: BotContext, person_id: int, flags: list[Flag]) -> None:
    ticking = _flags_ticking(context)
    ticking[str(person_id)] = [f.value for f in flags]  # JSON keys (persistence) are strings
    FLAGS.put(context, ticking)


def _untick_flags(context: BotContext, person_id: int) -> None:
    ticking = _flags_ticking(context)
    ticking.pop(str(person_id), None)
    FLAGS.put(context, ticking)


# ---- saving one detail -----------------------------------------------------------------------
async def _edit_menu(update: Update, person: PersonRecord, notice: str | None = None) -> None:
    text = people_texts.person_edit_menu(person.alias)
    if notice:
        text = common_texts.notice_and(notice, text)
    await edit_or_reply(update, text, people_keyboards.person_edit_menu(facts(person)))


async def _save_field(
    update: Update, context: BotContext, person_id: int, field: PersonField, value: object
) -> bool:
    """One change through the store; tells the worker the outcome. True when saved."""
    try:
        done = await context.store.outreach.edit(person_id, field, value, by=context.member)
    except LegalNameWithoutConsent:
        await _say(update, people_texts.PERSON_LEGAL_NAME_NEEDS_CONSENT)
        return False
    except (AliasError, ValueError):
        limit = people_texts.PERSON_FIELD_LIMITS.get(field.value, MAX_ALIAS)
        await _say(update, outreach_texts.out_text_too_long(len(str(value)), limit))
        return False
    if done.person is None:
        await tell_gone(update, done)
        return False
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _edit_menu(update, done.person, people_texts.person_edited(field.value))
    return True


async def _say(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


# ---- a typed detail (a small flow in the outreach conversation) ------------------------------
async def ask_text_field(update: Update, context: BotContext) -> int:
    """per:f:<person>:<alias|appearance|gender|usual_sites|legal_name>."""
    query = query_of(update)
    pressed = PersonDetail.unpack(query.data)
    if pressed is None or pressed.field not in TEXT_FIELDS:
        await query.answer(common_texts.STALE_BUTTON)
        return END
    person = await found(update, context, pressed.person_id)
    if person is None:
        return END
    if pressed.field is PersonField.LEGAL_NAME and person.consent_share is not True:
        await query.answer(people_texts.PERSON_LEGAL_NAME_NEEDS_CONSENT, show_alert=True)
        return END
    await query.answer()
    forget(context)
    PERSON_EDIT.put(context, DetailEdit(pressed.person_id, pressed.field.value))
    current = getattr(person, pressed.field.value)
    await reply(update, people_texts.person_ask_text(pressed.field.value, person.alias, current))
    return Step.EDIT_TEXT


async def typed_field(update: Update, context: BotContext) -> int:
    editing = PERSON_EDIT.get(context)
    if editing is None or editing.field not in TEXT_FIELDS:
        return await lost(update, context)
    field = PersonField(editing.field)
    text = typed_text(update)
    value: str | None = None if text == "-" and field is not PersonField.ALIAS else text
    if field is PersonField.ALIAS:
        problem = alias_problem(text)
        if problem:
            await reply(update, problem)
            return Step.EDIT_TEXT
    if await _save_field(update, context, editing.person, field, value):
        forget(context)
        return END
    return Step.EDIT_TEXT


async def own_person_button(update: Update, context: BotContext) -> int:
    """A person's button while a typed detail is due: stop waiting, then act on it."""
    forget(context)
    await person_button(update, context)
    return END


# ---- the step table --------------------------------------------------------------------------
def entry_points() -> list[Handler]:
    """A typed detail's button starts (or restarts) the small flow that waits for it."""
    details = "|".join(f.value for f in TEXT_FIELDS)
    pattern = rf"^{callbacks.PERSON}:{PersonAction.DETAIL.value}:\d+:({details})$"
    return [CallbackQueryHandler(ask_text_field, pattern=pattern)]


def while_typing() -> list[Handler]:
    """Put before a typed answer of this flow: a person's buttons stop the wait and act;
    after it: anything but text gets a reminder to type."""
    return [CallbackQueryHandler(own_person_button, pattern=PERSON_BUTTONS.pattern())]


def steps() -> dict[Step, list[Handler]]:
    return {
        Step.EDIT_TEXT: [
            *while_typing(),
            typed(typed_field),
            on(~filters.COMMAND, please_type),
        ]
    }
