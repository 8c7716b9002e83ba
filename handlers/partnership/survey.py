"""The public perception survey: `/start survey` for anyone, /survey for coordinators.

Anyone may answer, strangers too (the access gate lets exactly these updates through).
Nothing about the person is kept in per-user state: the answers so far travel in the
buttons, tagged with a MAC under the round's key; the one typed answer ("somewhere else")
waits in a row keyed by the person's anonymous key, never their id.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from bot.domain.access.invites import deep_link
from bot.domain.access.roles import Permission, may
from bot.domain.callbacks.survey import SURVEY_BUTTONS, SurveyAction, SurveyPress
from bot.domain.partnership.survey import (
    MAX_PLACES,
    NOT_ANSWERED,
    AgeGroup,
    Feeling,
    Gender,
    Progress,
    button_tag,
    clean_other_place,
    figures,
    tag_matches,
    valid_choice,
)
from bot.keyboards.partnership import survey as survey_keyboards
from bot.texts.partnership import survey as wording
from handlers.common import edit_or_reply, query_of, reply, sender
from handlers.registry import Handler, button, command
from storage.partnership.survey import OpenRound

log = logging.getLogger(__name__)

SURVEY_PAYLOAD = "survey"  # https://t.me/<bot>?start=survey


def _signer(current: OpenRound, person: str):  # type: ignore[no-untyped-def]
    return lambda payload: button_tag(current.key, person, payload)


def _within_limits(context: BotContext, person: str) -> bool:
    settings = context.settings
    return context.services.survey_taps.allow(
        person,
        context.clock.now(),
        per_person=settings.survey_per_person_per_minute,
        overall=settings.survey_per_minute,
    )


# ---- /start survey --------------------------------------------------------------------------
async def start_survey(update: Update, context: BotContext) -> None:
    user, _ = sender(update)
    current = await context.store.survey.current()
    if current is None:
        await reply(update, wording.NO_ROUND)
        return
    person = current.person(user.id)
    if not _within_limits(context, person):
        await reply(update, wording.TOO_FAST)
        return
    if await context.store.survey.has_answered(current.round_id, person):
        await reply(update, wording.ALREADY_ANSWERED)
        return
    markup = survey_keyboards.feelings(
        SurveyAction.DAY, current.round_id, Progress(), _signer(current, person)
    )
    await reply(update, wording.ASK_DAY, markup)


# ---- the buttons ------------------------------------------------------------------------------
async def survey_button(update: Update, context: BotContext) -> None:
    query = query_of(update)
    user, _ = sender(update)
    press = SURVEY_BUTTONS.unpack(query.data)
    current = await context.store.survey.current()
    if press is None:
        await query.answer(wording.BAD_BUTTON, show_alert=True)
        return
    if current is None or current.round_id != press.round_id:
        await query.answer(wording.ROUND_CHANGED, show_alert=True)
        return
    person = current.person(user.id)
    if not _within_limits(context, person):
        await query.answer(wording.TOO_FAST, show_alert=True)
        return
    if not tag_matches(current.key, person, press.payload, press.tag) or not _well_formed(
        press, len(current.places)
    ):
        log.info("survey: a button with a bad tag or values refused")
        await query.answer(wording.BAD_BUTTON, show_alert=True)
        return
    await query.answer()
    await _step(update, context, current, person, press)


def _well_formed(press: SurveyPress, place_count: int) -> bool:
    """The taps so far fit the step pressed (the tag already proves they are ours)."""
    progress, value = press.progress, press.value
    if not progress.is_valid(place_count):
        return False
    match press.action:
        case SurveyAction.DAY:
            return progress == Progress() and value in {int(f) for f in Feeling}
        case SurveyAction.DARK:
            return (
                progress.day != NOT_ANSWERED
                and progress.dark == NOT_ANSWERED
                and (value in {int(f) for f in Feeling})
            )
        case SurveyAction.TOGGLE:
            return progress.has_feelings and 0 <= value < place_count
        case SurveyAction.ELSEWHERE | SurveyAction.PLACES_DONE:
            return progress.has_feelings
        case SurveyAction.AGE:
            return progress == Progress() and valid_choice(AgeGroup, value)
        case SurveyAction.GENDER:
            return progress == Progress() and valid_choice(Gender, value)
    return False


async def _step(
    update: Update, context: BotContext, current: OpenRound, person: str, press: SurveyPress
) -> None:
    surveys, sign, round_id = context.store.survey, _signer(current, person), current.round_id
    progress = press.progress
    if press.action in (SurveyAction.AGE, SurveyAction.GENDER):
        if press.action is SurveyAction.AGE:
            if press.value != NOT_ANSWERED:
                await surveys.set_about(round_id, person, age=press.value)
            await edit_or_reply(
                update, wording.ASK_GENDER, survey_keyboards.genders(round_id, sign)
            )
        else:
            if press.value != NOT_ANSWERED:
                await surveys.set_about(round_id, person, gender=press.value)
            await edit_or_reply(update, wording.THANKS)
        return
    if await surveys.has_answered(round_id, person):
        await edit_or_reply(update, wording.ALREADY_ANSWERED)
        return
    match press.action:
        case SurveyAction.DAY:
            chosen = Progress(day=press.value)
            markup = survey_keyboards.feelings(SurveyAction.DARK, round_id, chosen, sign)
            await edit_or_reply(update, wording.ASK_DARK, markup)
        case SurveyAction.DARK:
            chosen = Progress(progress.day, press.value)
            markup = survey_keyboards.places(round_id, chosen, current.places, sign)
            await edit_or_reply(update, wording.ASK_PLACES, markup)
        case SurveyAction.TOGGLE:
            chosen = progress.toggled(press.value)
            markup = survey_keyboards.places(round_id, chosen, current.places, sign)
            await edit_or_reply(update, wording.ASK_PLACES, markup)
        case SurveyAction.ELSEWHERE:
            await surveys.await_place(round_id, person, progress)
            markup = survey_keyboards.skip_other_place(round_id, progress, sign)
            await edit_or_reply(update, wording.ASK_OTHER_PLACE, markup)
        case SurveyAction.PLACES_DONE:
            await _save(update, context, current, person, progress, None)


async def _save(
    update: Update,
    context: BotContext,
    current: OpenRound,
    person: str,
    progress: Progress,
    other_place: str | None,
) -> None:
    saved = await context.store.survey.save(current.round_id, person, progress, other_place)
    if not saved:
        await edit_or_reply(update, wording.ALREADY_ANSWERED)
        return
    markup = survey_keyboards.ages(current.round_id, _signer(current, person))
    await edit_or_reply(update, wording.ASK_AGE, markup)


# ---- "somewhere else": the one typed answer ------------------------------------------------------
async def typed_place(update: Update, context: BotContext) -> bool:
    """Take a private text as the place awaited from this person; False when none is.

    Called by the access gate (for strangers and members alike) before any feature sees
    the text, so a member's place does not become a quick report.
    """
    message = update.message
    user = update.effective_user
    if message is None or user is None or not message.text or message.text.startswith("/"):
        return False
    awaited = await context.store.survey.awaited_place(user.id)
    if awaited is None:
        return False
    current, person, progress = awaited
    if not _within_limits(context, person):
        await reply(update, wording.TOO_FAST)
        return True
    place = clean_other_place(message.text)
    if place is None:
        await reply(update, wording.PLACE_EMPTY)
        return True
    await _save(update, context, current, person, progress, place)
    return True


# ---- /survey: live counts; admins open and close rounds ------------------------------------------
async def survey_command(update: Update, context: BotContext) -> None:
    word = (context.args[0].casefold() if context.args else "").strip()
    member = context.member
    if word in ("open", "close"):
        if not may(Permission.ADMIN, member.role, is_admin=member.is_admin, status=member.status):
            await reply(update, wording.NOT_ALLOWED_ROUNDS)
            return
        await (_open_round if word == "open" else _close_round)(update, context)
        return
    if word:
        await reply(update, wording.SURVEY_USAGE)
        return
    surveys, tz = context.store.survey, context.settings.tz
    current = await surveys.current()
    if current is None:
        await reply(update, wording.live_counts(None, None, tz, None))
        return
    answers = await surveys.answers(current.round_id)
    text = wording.live_counts(
        current.round_id, current.closes_at, tz, figures(answers, current.places)
    )
    await reply(update, text)


async def _open_round(update: Update, context: BotContext) -> None:
    hotspots = await context.store.hotspots.active()
    places = [h.name for h in hotspots][:MAX_PLACES]
    opened, closed = await context.store.survey.open_round(
        places, context.settings.tz, by=context.member.id
    )
    lines = [wording.round_closed(closed.round_id, closed.answers)] if closed else []
    link = deep_link(context.bot.username, SURVEY_PAYLOAD)
    lines.append(wording.round_opened(opened.round_id, opened.closes_at, context.settings.tz, link))
    await reply(update, "\n\n".join(lines))


async def _close_round(update: Update, context: BotContext) -> None:
    closed = await context.store.survey.close_round(by=context.member.id)
    if closed is None:
        await reply(update, wording.NO_ROUND_TO_CLOSE)
        return
    await reply(update, wording.round_closed(closed.round_id, closed.answers))


def handlers() -> list[Handler]:
    return [
        command("survey", survey_command),
        button(SURVEY_BUTTONS.prefix, survey_button),
    ]
