""" "Rough sleeper seen" (/roughsleeper, every role but CCTV): StreetLink's scope questions first,
then where, when and what they look like; it files a referral that reaches outreach at once.

The scope questions are asked by tap, "Do they seem under 18?" first. Yes → the question
becomes what happens now (the safeguarding lead, children's services, 999 if they are in
immediate danger); the danger question is not asked, and sending raises a safeguarding
concern for the lead (handlers.safeguarding), never an adult referral. No → "Do they seem
unwell or in danger?" Yes → the next message opens with "call 999 if life is at risk", and
sending files an urgent welfare report (the alert path: everyone on duty, the coordinators'
group without the description, the escalation ladder) together with the referral, in one
transaction (storage.reports). No or not sure → the referral alone. The referral is pushed
to outreach workers on duty (or waits for the next one's /on); reported at a place where a
referral was closed "not found" within 24 hours, it reopens that one instead
(storage.outreach.referrals).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from enum import IntEnum

from pydantic import ValidationError
from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from bot.domain.callbacks.street_outreach import (
    SIGHTING_BUTTONS,
    SightingAction,
    SightingAge,
    SightingDanger,
    SightingHotspot,
    SightingPress,
    SightingStep,
    SightingWhen,
)
from bot.domain.outreach import MAX_PLACE_TEXT, SightingDraft, draft_expired
from bot.domain.referrals import DangerAnswer
from bot.domain.reports.incidents import reference
from bot.keyboards import referrals as referrals_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import referrals as referrals_texts
from bot.texts import reports as reports_texts
from bot.texts import safeguarding as safeguarding_texts
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, query_of, reply, shared_point
from handlers.conversation import (
    END,
    Callback,
    DraftStep,
    Handler,
    State,
    conversation,
    on,
    typed,
    with_draft,
)
from handlers.drafts import DraftSlot
from handlers.registry import button, command
from handlers.safeguarding import send_sighting_to_lead
from storage.models import ReportIn
from storage.outreach import SeenWith, SightingIn

log = logging.getLogger(__name__)

MAX_LOOKS = 300
WELFARE_SLUG = "welfare"


class Seen(IntEnum):
    """The flow's states (stored: values never change; the order is SEEN_ORDER's)."""

    PLACE = 1
    WHEN = 2
    LOOKS = 3
    CONFIRM = 4
    DANGER = 5  # "Do they seem unwell or in danger?"
    AGE = 6  # "Do they seem under 18?"


# The order the questions come in. StreetLink's scope questions come first: under 18
# (a safeguarding concern, not an adult referral), then unwell or in danger.
SEEN_ORDER: tuple[Seen, ...] = (
    Seen.AGE,
    Seen.DANGER,
    Seen.PLACE,
    Seen.WHEN,
    Seen.LOOKS,
    Seen.CONFIRM,
)
# Not asked about a young person: they go to the safeguarding lead, 999 first if in danger.
NOT_ASKED_UNDER_18 = frozenset({Seen.DANGER})

SEEN_ACTIONS: dict[Seen, frozenset[SightingAction]] = {
    Seen.AGE: frozenset({SightingAction.AGE}),
    Seen.DANGER: frozenset({SightingAction.DANGER}),
    Seen.PLACE: frozenset({SightingAction.HOTSPOT}),
    Seen.WHEN: frozenset({SightingAction.WHEN}),
    Seen.LOOKS: frozenset({SightingAction.SKIP}),
    Seen.CONFIRM: frozenset({SightingAction.SEND}),
}


def after(step: Seen, draft: SightingDraft) -> Seen:
    following = SEEN_ORDER[SEEN_ORDER.index(step) + 1]
    if draft.under_18 and following in NOT_ASKED_UNDER_18:
        return after(following, draft)
    return following


def _in_danger(draft: SightingDraft) -> bool:
    return draft.danger == DangerAnswer.YES.value


def _touch(draft: SightingDraft, now: datetime) -> None:
    draft.touched = now.isoformat()


# The sighting being filled in; left an hour, it is dropped.
SIGHTING_DRAFT = DraftSlot.of_dataclass(
    "referrals.sighting",
    SightingDraft,
    expired=lambda draft, context: draft_expired(draft.touched, context.clock.now()),
    touch=_touch,
)


async def _go(
    update: Update, context: BotContext, draft: SightingDraft, step: Seen, *, new: bool = False
) -> int:
    draft.step = int(step)
    SIGHTING_DRAFT.put(context, draft)
    d = draft.draft_id
    if step is Seen.AGE:
        text, markup = referrals_texts.RS_UNDER_18, referrals_keyboards.rs_under_18(d)
    elif step is Seen.DANGER:
        text, markup = referrals_texts.RS_DANGER, referrals_keyboards.rs_danger(d)
    elif step is Seen.PLACE:
        text, markup = (
            referrals_texts.RS_WHERE_IN_DANGER if _in_danger(draft) else referrals_texts.RS_WHERE,
            referrals_keyboards.rs_places(d, await context.store.hotspots.most_used()),
        )
    elif step is Seen.WHEN:
        text, markup = referrals_texts.RS_WHEN, referrals_keyboards.rs_when(d)
    elif step is Seen.LOOKS:
        text, markup = referrals_texts.RS_LOOKS, referrals_keyboards.rs_skip(d)
    else:
        seen_at = context.clock.now() - timedelta(minutes=draft.minutes_ago)
        text = referrals_texts.rs_summary(
            draft.place or "",
            common_texts.local_datetime(seen_at, context.settings.tz),
            draft.appearance,
            in_danger=_in_danger(draft),
            under_18=draft.under_18,
        )
        markup = referrals_keyboards.rs_confirm(d, under_18=draft.under_18)
    if new:
        await reply(update, text, markup)
    else:
        await edit_or_reply(update, text, markup)
    return step


async def seen_start(update: Update, context: BotContext) -> int:
    """/roughsleeper or the menu's "Rough sleeper seen"."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    SIGHTING_DRAFT.forget(context)
    draft = SightingDraft(draft_id=secrets.token_hex(3))
    return await _go(update, context, draft, SEEN_ORDER[0], new=True)


async def seen_button(update: Update, context: BotContext) -> State:
    """rs:<action>:<draft>[:<arg>] while a sighting is being filled in."""
    query = query_of(update)
    draft = SIGHTING_DRAFT.get(context)
    if draft is None:
        await query.answer(referrals_texts.RS_FINISHED)
        return END
    pressed = SIGHTING_BUTTONS.unpack(query.data)
    if not isinstance(pressed, SightingStep) or pressed.draft_id != draft.draft_id:
        await query.answer(referrals_texts.RS_OLD_BUTTON)
        return None
    if pressed.action is SightingAction.CANCEL:
        await query.answer()
        SIGHTING_DRAFT.forget(context)
        await edit_or_reply(update, referrals_texts.RS_CANCELLED)
        return END
    step = Seen(draft.step)
    if pressed.action not in SEEN_ACTIONS.get(step, frozenset()):
        await query.answer(referrals_texts.RS_OLD_BUTTON)
        return None
    match pressed:
        case SightingAge(under_18=under_18):
            draft.under_18 = under_18
            await query.answer()
            if not under_18:
                return await _go(update, context, draft, after(step, draft))
            # What happens now, and 999 first if they are in danger, under the question.
            await edit_or_reply(update, safeguarding_texts.SIGHTING_UNDER_18)
            return await _go(update, context, draft, after(step, draft), new=True)
        case SightingDanger(answer=answer):
            draft.danger = answer.value
            await query.answer()
            if not _in_danger(draft):
                return await _go(update, context, draft, after(step, draft))
            # "Call 999" comes as a new message, under the question answered.
            await edit_or_reply(update, referrals_texts.rs_danger_answered(answer.value))
            return await _go(update, context, draft, after(step, draft), new=True)
        case SightingHotspot(hotspot_id=hotspot_id):
            hotspot = await context.store.hotspots.get(hotspot_id)
            if hotspot is None or hotspot.retired_at is not None:
                await query.answer(reports_texts.REPORT_HOTSPOT_GONE, show_alert=True)
                return None
            draft.at_hotspot(hotspot.id, hotspot.name)
            await query.answer()
            return await _go(update, context, draft, after(step, draft))
        case SightingWhen(minutes_ago=minutes_ago):
            if minutes_ago not in {minutes for _, minutes in referrals_keyboards.RS_WHEN_CHOICES}:
                await query.answer(referrals_texts.RS_OLD_BUTTON)
                return None
            draft.minutes_ago = minutes_ago
            await query.answer()
            return await _go(update, context, draft, after(step, draft))
        case SightingPress(action=SightingAction.SKIP):
            await query.answer()
            return await _go(update, context, draft, after(step, draft))
    return await _send(update, context, draft)


async def seen_typed_place(update: Update, context: BotContext, draft: SightingDraft) -> int:
    text = (message_of(update).text or "").strip()
    if not text or len(text) > MAX_PLACE_TEXT:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_PLACE_TEXT))
        return Seen.PLACE
    draft.at_text(text)
    return await _go(update, context, draft, after(Seen.PLACE, draft), new=True)


async def seen_location(update: Update, context: BotContext, draft: SightingDraft) -> int:
    point = shared_point(update)
    if point is None:
        await reply(update, outreach_texts.OUT_LOCATION_BAD)
        return Seen.PLACE
    draft.at_point(await context.store.hotspots.places(), *point)
    return await _go(update, context, draft, after(Seen.PLACE, draft), new=True)


async def seen_typed_looks(update: Update, context: BotContext, draft: SightingDraft) -> int:
    text = (message_of(update).text or "").strip()
    if len(text) > MAX_LOOKS:
        await reply(update, outreach_texts.out_text_too_long(len(text), MAX_LOOKS))
        return Seen.LOOKS
    draft.appearance = text or None
    return await _go(update, context, draft, after(Seen.LOOKS, draft), new=True)


async def _send(update: Update, context: BotContext, draft: SightingDraft) -> int:
    query = query_of(update)
    seen_at = context.clock.now() - timedelta(minutes=draft.minutes_ago)
    try:
        sighting = SightingIn(
            hotspot_id=draft.hotspot_id,
            place_text=draft.place_text,
            lat=draft.lat,
            lon=draft.lon,
            seen_at=seen_at,
            appearance=draft.appearance,
        )
    except ValidationError:
        await query.answer(referrals_texts.RS_OLD_BUTTON, show_alert=True)
        return END
    SIGHTING_DRAFT.forget(context)
    if draft.under_18:  # a safeguarding concern for the lead, never an adult referral
        return await send_sighting_to_lead(update, context, sighting)
    await query.answer()
    if _in_danger(draft):
        text = await _send_in_danger(context, sighting)
    else:
        referral = await context.store.referrals.add_sighting(sighting, reporter=context.member)
        log.info("referral %s created by member %s", referral.id, context.member.id)
        text = referrals_texts.rs_sent(referral.id or 0, reopened_id=referral.attached_to_id)
    context.services.outbox_wakeup.set()
    await edit_or_reply(update, text)
    return END


async def _send_in_danger(context: BotContext, sighting: SightingIn) -> str:
    """An urgent welfare report and the referral, filed together; the reply, 999 first."""
    store = context.store
    welfare = await store.categories.by_slug(WELFARE_SLUG)
    if welfare is None or welfare.id is None or welfare.retired_at is not None:
        referral = await store.referrals.add_sighting(sighting, reporter=context.member)
        log.warning("referral %s in danger: no welfare category to alert with", referral.id)
        return referrals_texts.RS_NO_WELFARE_CATEGORY
    report = await store.reports.file(
        ReportIn(
            category_id=welfare.id,
            hotspot_id=sighting.hotspot_id,
            place_text=sighting.place_text,
            lat=sighting.lat,
            lon=sighting.lon,
            description=referrals_texts.welfare_description(sighting.appearance),
            urgent=True,
        ),
        reporter=context.member,
        group_chat_id=context.settings.coordinators_chat_id,
        referral=SeenWith(sighting.seen_at, sighting.appearance),
    )
    referral = await store.referrals.for_report(report.id or 0)
    referral_id = referral.id or 0 if referral else 0
    log.info(
        "urgent welfare report %s and referral %s (in danger) by member %s",
        report.id,
        referral_id,
        context.member.id,
    )
    return referrals_texts.rs_sent_in_danger(
        reference(report.id or 0),
        referral_id,
        reopened_id=referral.attached_to_id if referral else None,
    )


async def seen_use_buttons(update: Update, context: BotContext) -> None:
    await reply(update, outreach_texts.OUT_USE_BUTTONS)


async def _lost(update: Update, context: BotContext) -> int:
    """The timeout: the sighting was left too long (or is unreadable)."""
    SIGHTING_DRAFT.forget(context)
    await reply(update, outreach_texts.OUT_EXPIRED)
    return END


async def seen_cancel(update: Update, context: BotContext) -> int:
    SIGHTING_DRAFT.forget(context)
    await reply(update, referrals_texts.RS_CANCELLED)
    return END


async def seen_interrupted(update: Update, context: BotContext) -> int:
    SIGHTING_DRAFT.forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, outreach_texts.out_interrupted(word))
    return END


async def stale_seen_button(update: Update, context: BotContext) -> None:
    await query_of(update).answer(referrals_texts.RS_FINISHED)


def sighting_conversation() -> ConversationHandler[BotContext]:
    step_button = CallbackQueryHandler(seen_button, pattern=SIGHTING_BUTTONS.pattern())

    def answer(handle: DraftStep[SightingDraft]) -> Callback:
        return with_draft(SIGHTING_DRAFT, _lost, handle)

    return conversation(
        "rough_sleeper",
        permission=Permission.PATROL,
        entry_points=[
            command("roughsleeper", seen_start),
            CallbackQueryHandler(seen_start, pattern=SIGHTING_BUTTONS.pattern(SightingAction.NEW)),
        ],
        every_step=[step_button],
        steps={
            Seen.AGE: [],
            Seen.DANGER: [],
            Seen.PLACE: [
                typed(answer(seen_typed_place)),
                on(filters.LOCATION, answer(seen_location)),
            ],
            Seen.WHEN: [],
            Seen.LOOKS: [typed(answer(seen_typed_looks))],
            Seen.CONFIRM: [],
        },
        otherwise=seen_use_buttons,
        cancel=seen_cancel,
        interrupted=seen_interrupted,
        persistent=True,
    )


def handlers() -> list[Handler]:
    return [sighting_conversation(), button(callbacks.ROUGH_SLEEPER, stale_seen_button)]
