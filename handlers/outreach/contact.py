"""/contact: log a contact with a person (search by alias, new, or anonymous) → where →
sleeping site → needs → actions and referrals → consent → notes → save.

Also started by a timeline's "Log contact" and by a referral's "Log contact" (the contact
then closes the referral). Each button carries the draft's short id, so a button of an
older contact is recognised and changes nothing.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from bot.context import BotContext
from bot.domain.callbacks.street_outreach import (
    CONTACT_BUTTONS,
    REFERRAL_BUTTONS,
    ContactAction,
    ContactAge,
    ContactConsent,
    ContactExploitation,
    ContactFor,
    ContactHotspot,
    ContactKnownPlace,
    ContactLocal,
    ContactNew,
    ContactPerson,
    ContactPress,
    ContactSite,
    ContactStep,
    ContactStepPresses,
    ContactTick,
    ReferralAction,
    ReferralPress,
)
from bot.domain.outreach import (
    MAX_APPEARANCE,
    MAX_NOTES,
    MAX_PLACE_TEXT,
    Action,
    ContactDraft,
    clean_alias,
    split_slugs,
    toggle,
)
from bot.keyboards import outreach as outreach_keyboards
from bot.texts import outreach as outreach_texts
from bot.texts import referrals as referrals_texts
from bot.texts import reports as reports_texts
from handlers.common import edit_or_reply, query_of, reply, shared_point
from handlers.conversation import END, Callback, DraftStep, Handler, State, on, typed, with_draft
from handlers.outreach import contact_marks
from handlers.outreach.contact_draft import go, new_draft, save, search
from handlers.outreach.shared import (
    CONTACT_DRAFT,
    Step,
    alias_problem,
    forget,
    found,
    lost,
    typed_text,
)
from handlers.registry import command
from storage.outreach import facts

# Buttons each step answers (Cancel works at every step).
STEP_ACTIONS: dict[Step, frozenset[ContactAction]] = {
    Step.CHOOSE: frozenset({ContactAction.PICK, ContactAction.NEW_PERSON, ContactAction.ANONYMOUS}),
    Step.NEW_ALIAS: frozenset(),
    Step.SAME: frozenset({ContactAction.SAME, ContactAction.NOT_SAME}),
    Step.AGE: frozenset({ContactAction.AGE}),
    Step.LOOKS: frozenset({ContactAction.SKIP}),
    Step.PLACE: frozenset({ContactAction.HOTSPOT, ContactAction.REFERRAL_PLACE}),
    Step.SITE: frozenset({ContactAction.SITE}),
    Step.LOCAL: frozenset({ContactAction.LOCAL, ContactAction.LOCAL_AGAIN}),
    Step.LOCAL_WHERE: frozenset({ContactAction.KNOWN_PLACE, ContactAction.SKIP}),
    Step.NEEDS: frozenset({ContactAction.NEED, ContactAction.NEEDS_DONE}),
    Step.LEFT: frozenset({ContactAction.LEFT, ContactAction.LEFT_DONE}),
    Step.ACTIONS: frozenset({ContactAction.ACTION, ContactAction.ACTIONS_DONE}),
    Step.CONSENT: frozenset({ContactAction.CONSENT}),
    Step.NOTES: frozenset({ContactAction.SKIP}),
    Step.CONFIRM: frozenset({ContactAction.SAVE, ContactAction.EXPLOITATION}),
}


# ---- ways in ---------------------------------------------------------------------------------
async def contact_command(update: Update, context: BotContext) -> int:
    """/contact [alias]: start logging a contact (a search right away when an alias is given)."""
    draft = new_draft()
    forget(context)
    query = " ".join(context.args or []).strip()
    if query:
        return await search(update, context, draft, query)
    return await go(update, context, draft, Step.CHOOSE)


async def contact_button(update: Update, context: BotContext) -> int:
    """out:new (menu), out:for:<person> (a timeline's "Log contact")."""
    query = query_of(update)
    pressed = CONTACT_BUTTONS.unpack(query.data)
    draft = new_draft()
    forget(context)
    match pressed:
        case ContactFor(person_id=person_id):
            person = await found(update, context, person_id)
            if person is None:
                return END
            await query.answer()
            draft.person_id, draft.who = person.id, person.alias
            return await go(update, context, draft, Step.PLACE, new_message=True)
        case ContactNew():
            await query.answer()
            return await go(update, context, draft, Step.CHOOSE, new_message=True)
    await query.answer(outreach_texts.OUT_OLD_BUTTON)
    return END


async def contact_for_referral(update: Update, context: BotContext) -> int:
    """ref:log:<referral>: take the referral (if still open) and log the contact that closes it."""
    query = query_of(update)
    pressed = ReferralPress.unpack(query.data)
    referral_id = pressed.referral_id if pressed is not None else None
    view = await context.store.outreach.referral(referral_id) if referral_id else None
    if view is None or referral_id is None:
        await query.answer(referrals_texts.REFERRAL_GONE, show_alert=True)
        return END
    if not view.is_open:
        await query.answer(referrals_texts.REFERRAL_ALREADY_CLOSED, show_alert=True)
        return END
    await context.store.outreach.take(referral_id, by=context.member)
    await query.answer()
    forget(context)
    return await go(update, context, new_draft(referral_id), Step.CHOOSE, new_message=True)


# ---- buttons ---------------------------------------------------------------------------------
async def step_button(update: Update, context: BotContext) -> State:
    """Every out:<action>:<draft>[:<arg>] button while a contact is being logged."""
    query = query_of(update)
    draft = CONTACT_DRAFT.get(context)
    if draft is None:
        forget(context)
        await query.answer(outreach_texts.OUT_FLOW_FINISHED)
        return END
    pressed = CONTACT_BUTTONS.unpack(query.data)
    if not isinstance(pressed, ContactStep) or pressed.draft_id != draft.draft_id:
        await query.answer(outreach_texts.OUT_OLD_BUTTON)
        return None  # stay where we are
    step = Step(draft.step)
    if pressed.action is ContactAction.CANCEL:
        await query.answer()
        forget(context)
        await edit_or_reply(update, outreach_texts.OUT_CANCELLED)
        return END
    if pressed.action not in STEP_ACTIONS.get(step, frozenset()):
        await query.answer(outreach_texts.OUT_OLD_BUTTON)
        return None
    return await _answer(update, context, draft, step, pressed)


async def _answer(
    update: Update, context: BotContext, draft: ContactDraft, step: Step, pressed: ContactStep
) -> State:
    """One button of the draft's current step."""
    query = query_of(update)
    match pressed:
        case ContactPerson(person_id=person_id):  # picked, or "the same person"
            person = await found(update, context, person_id)
            if person is None:
                return None
            await query.answer()
            draft.person_id, draft.who, draft.new_alias = person.id, person.alias, None
            draft.anonymous = False
            return await go(update, context, draft, Step.PLACE)
        case ContactAge(band=band):
            await query.answer()
            draft.age_band = band.value
            return await go(update, context, draft, Step.LOOKS)
        case ContactHotspot(hotspot_id=hotspot_id):
            hotspot = await context.store.hotspots.get(hotspot_id)
            if hotspot is None or hotspot.retired_at is not None:
                await query.answer(reports_texts.REPORT_HOTSPOT_GONE, show_alert=True)
                return None
            draft.at_hotspot(hotspot.id, hotspot.name)
            await query.answer()
            return await go(update, context, draft, Step.SITE)
        case ContactSite() | ContactLocal() | ContactKnownPlace():
            return await _marked(update, context, draft, step, pressed)
        case ContactTick(action=ContactAction.NEED | ContactAction.LEFT):
            return await _marked(update, context, draft, step, pressed)
        case ContactPress(action=ContactAction.LOCAL_AGAIN):
            return await _marked(update, context, draft, step, pressed)
        case ContactTick():
            await query.answer()
            _tick(draft, pressed)
            return await go(update, context, draft, step)
        case ContactConsent(answer=answer):
            await query.answer()
            draft.consent = answer.consent
            return await go(update, context, draft, Step.NOTES)
        case ContactExploitation(kind=kind):  # tapped again: off
            await query.answer()
            draft.exploitation = None if draft.exploitation == kind.value else kind.value
            return await go(update, context, draft, Step.CONFIRM)
        case ContactPress(action=ContactAction.REFERRAL_PLACE):
            return await _referral_place(update, context, draft)
        case ContactPress(action=ContactAction.SAVE):
            return await save(update, context, draft)
        case ContactPress(action=action):
            await query.answer()
            return await go(update, context, *_simple_step(draft, step, action))
    await query.answer(outreach_texts.OUT_OLD_BUTTON)
    return None


async def _marked(
    update: Update,
    context: BotContext,
    draft: ContactDraft,
    step: Step,
    pressed: ContactStepPresses,
) -> State:
    """What a rough sleeping report counts (handlers.outreach.contact_marks)."""
    nxt = await contact_marks.answer(update, context, draft, step, pressed)
    return None if nxt is None else await go(update, context, draft, nxt)


def _tick(draft: ContactDraft, pressed: ContactTick) -> None:
    """Tick or untick one action taken."""
    actions = toggle(split_slugs("|".join(draft.actions), Action), Action(pressed.slug))
    draft.actions = [action.value for action in actions]


def _simple_step(
    draft: ContactDraft, step: Step, action: ContactAction
) -> tuple[ContactDraft, Step]:
    """Buttons that only move on: new person, anonymous, not the same, skip, done."""
    if action is ContactAction.ANONYMOUS:
        draft.anonymous, draft.person_id, draft.who = True, None, None
        return draft, Step.PLACE
    next_step = {
        ContactAction.NEW_PERSON: Step.NEW_ALIAS,
        ContactAction.NOT_SAME: Step.AGE,
        ContactAction.NEEDS_DONE: Step.LEFT,
        ContactAction.LEFT_DONE: Step.ACTIONS,
        ContactAction.ACTIONS_DONE: Step.NOTES if draft.anonymous else Step.CONSENT,
        ContactAction.SKIP: {Step.LOOKS: Step.PLACE, Step.LOCAL_WHERE: Step.NEEDS}.get(
            step, Step.CONFIRM
        ),
    }
    return draft, next_step[action]


async def _referral_place(update: Update, context: BotContext, draft: ContactDraft) -> State:
    """ "Where the referral was": the referral's place, as the patrol gave it."""
    query = query_of(update)
    view = await context.store.outreach.referral(draft.referral_id) if draft.referral_id else None
    if view is None:
        await query.answer(referrals_texts.REFERRAL_GONE, show_alert=True)
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
    return await go(update, context, draft, Step.SITE)


async def stale_flow_button(update: Update, context: BotContext) -> None:
    """out: buttons when no contact is being logged (finished, cancelled or restarted)."""
    await query_of(update).answer(outreach_texts.OUT_FLOW_FINISHED)


# ---- typed answers and locations -------------------------------------------------------------
async def typed_search(update: Update, context: BotContext, draft: ContactDraft) -> int:
    return await search(update, context, draft, typed_text(update))


async def typed_new_alias(update: Update, context: BotContext, draft: ContactDraft) -> int:
    text = typed_text(update)
    problem = alias_problem(text)
    if problem:
        await reply(update, problem, outreach_keyboards.contact_cancel(draft.draft_id))
        return Step.NEW_ALIAS
    alias = clean_alias(text)
    draft.new_alias, draft.who, draft.person_id, draft.anonymous = alias, alias, None, False
    similar = await context.store.outreach.similar(alias, viewer=context.member)
    if similar:
        people = [facts(p) for p in similar]
        draft.step = int(Step.SAME)
        CONTACT_DRAFT.put(context, draft)
        await reply(
            update,
            outreach_texts.contact_same_person(alias, people, context.settings.tz),
            outreach_keyboards.contact_same_person(draft.draft_id, people),
        )
        return Step.SAME
    return await go(update, context, draft, Step.AGE, new_message=True)


async def typed_appearance(update: Update, context: BotContext, draft: ContactDraft) -> int:
    text = typed_text(update)
    if len(text) > MAX_APPEARANCE:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_APPEARANCE))
        return Step.LOOKS
    draft.appearance = text or None
    return await go(update, context, draft, Step.PLACE, new_message=True)


async def typed_place(update: Update, context: BotContext, draft: ContactDraft) -> int:
    text = typed_text(update)
    if not text or len(text) > MAX_PLACE_TEXT:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_PLACE_TEXT))
        return Step.PLACE
    draft.at_text(text)
    return await go(update, context, draft, Step.SITE, new_message=True)


async def shared_location(update: Update, context: BotContext, draft: ContactDraft) -> int:
    point = shared_point(update)
    if point is None:
        await reply(update, outreach_texts.OUT_LOCATION_BAD)
        return Step.PLACE
    draft.at_point(await context.store.hotspots.places(), *point)
    return await go(update, context, draft, Step.SITE, new_message=True)


async def typed_connection_place(update: Update, context: BotContext, draft: ContactDraft) -> int:
    nxt = await contact_marks.typed_connection_place(update, draft)
    if nxt is Step.LOCAL_WHERE:
        return nxt
    return await go(update, context, draft, nxt, new_message=True)


async def typed_notes(update: Update, context: BotContext, draft: ContactDraft) -> int:
    text = typed_text(update)
    if len(text) > MAX_NOTES:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_NOTES))
        return Step.NOTES
    draft.notes = text or None
    return await go(update, context, draft, Step.CONFIRM, new_message=True)


# ---- the step table --------------------------------------------------------------------------
def entry_points() -> list[Handler]:
    return [
        command("contact", contact_command),
        CallbackQueryHandler(
            contact_button, pattern=CONTACT_BUTTONS.pattern(ContactAction.NEW, ContactAction.FOR)
        ),
        CallbackQueryHandler(
            contact_for_referral, pattern=REFERRAL_BUTTONS.pattern(ReferralAction.LOG)
        ),
    ]


def steps() -> dict[Step, list[Handler]]:
    """What each step of a contact answers: its buttons, and a typed answer where one is due."""
    buttons = CallbackQueryHandler(step_button, pattern=CONTACT_BUTTONS.pattern())

    def answer(handle: DraftStep[ContactDraft]) -> Callback:
        return with_draft(CONTACT_DRAFT, lost, handle)

    typed_answers = {
        Step.CHOOSE: [typed(answer(typed_search))],
        Step.NEW_ALIAS: [typed(answer(typed_new_alias))],
        Step.LOOKS: [typed(answer(typed_appearance))],
        Step.PLACE: [typed(answer(typed_place)), on(filters.LOCATION, answer(shared_location))],
        Step.LOCAL_WHERE: [typed(answer(typed_connection_place))],
        Step.NOTES: [typed(answer(typed_notes))],
    }
    return {step: [buttons, *typed_answers.get(step, [])] for step in STEP_ACTIONS}
