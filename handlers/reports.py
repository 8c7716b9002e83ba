"""Incident reports: the guided /report flow and quick reports, as one persistent conversation.

Ways in (the conversation's entry points):
- /report and the main menu's Report button: category → location → what happened →
  people → urgent → summary (Confirm / Edit / Cancel);
- a plain text in the private chat (a quick report): read for a category and a hotspot,
  proposed with Confirm / Change category / Change place / Cancel; nothing recognised
  offers the category buttons;
- a location alone (a report at that place), a photo (with a caption: a quick report with
  the photo; without: a guided report with the photo), a voice note (like a bare photo).

These handlers come after every other feature's, just before the fallbacks, so a member
who is answering another feature's conversation never has their message read as a
report. The draft (bot.report_draft) lives in the persisted user data and every button
carries its id: a button of an older draft changes nothing. An unanswered draft expires
after TCAG_DRAFT_TTL_MINUTES (job `expire-report-drafts`).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks import DraftButton
from bot.domain.geo import Place, validate_point
from bot.domain.incidents import PEOPLE_COUNTS, reference
from bot.domain.quick_report import CategoryRule, Matcher
from bot.domain.report_draft import (
    DRAFT_KEY,
    REPORT_CONVERSATION,
    DraftField,
    ReportDraft,
    Step,
    description_too_long,
    people_band,
    place_too_long,
)
from handlers.common import Markup, message_of, query_of, sender
from handlers.registry import button, command
from storage.models import ReportIn

log = logging.getLogger(__name__)

END = ConversationHandler.END
HOTSPOT_BUTTONS = 8

TYPED = filters.TEXT & ~filters.COMMAND
PRIVATE = filters.ChatType.PRIVATE

State = int | None  # a Step, END, or None (stay where the conversation is)


# ---- the quick-report matcher, cached per application ------------------------------------
# Changes to categories and hotspots made by another process (`tcag hotspots import`, a
# second instance during a deploy) are read within this long; this process's count at once.
VOCABULARY_REREAD = timedelta(seconds=30)


@dataclass(frozen=True)
class _Vocabulary:
    rules: tuple[CategoryRule, ...]
    places: tuple[Place, ...]
    matcher: Matcher
    changes: tuple[int, int]  # the catalog's write counts when the lists were read
    read_at: datetime

    def rule(self, category_id: int) -> CategoryRule | None:
        return next((r for r in self.rules if r.id == category_id), None)


_vocabularies: WeakKeyDictionary[Application, _Vocabulary] = WeakKeyDictionary()  # type: ignore[type-arg]


async def _vocabulary(context: BotContext) -> _Vocabulary:
    """The matcher for the current categories and hotspots.

    Reading both lists takes two queries, more than half of what answering a quick report
    costs (bench/quick_report.py). So they are read again only after a write to either
    through this process's store (`changes`: an admin's change counts at once) or once
    VOCABULARY_REREAD has passed (another process's change); the Matcher (about a
    millisecond to build) is rebuilt only when what was read differs.
    """
    store, now = context.store, context.clock.now()
    # Counted before reading: a write committed meanwhile makes the next message read again.
    changes = (store.categories.changes, store.hotspots.changes)
    cached = _vocabularies.get(context.application)
    if (
        cached is not None
        and cached.changes == changes
        and timedelta(0) <= now - cached.read_at < VOCABULARY_REREAD
    ):
        return cached
    rules = tuple(await store.categories.rules())
    places = tuple(await store.hotspots.places())
    if cached is None or cached.rules != rules or cached.places != places:
        matcher = Matcher(rules, places)
    else:
        matcher = cached.matcher
    cached = _Vocabulary(rules, places, matcher, changes, now)
    _vocabularies[context.application] = cached
    return cached


# ---- the draft in user data --------------------------------------------------------------
def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise RuntimeError("report update without a user")
    return data


def _ttl(context: BotContext) -> timedelta:
    return timedelta(minutes=context.settings.draft_ttl_minutes)


def _draft(context: BotContext) -> ReportDraft | None:
    """The member's live draft; an expired or unreadable one is dropped."""
    data = _user_data(context)
    draft = ReportDraft.from_json(data.get(DRAFT_KEY))
    if draft is not None and draft.is_expired(context.clock.now(), _ttl(context)):
        draft = None
    if draft is None:
        data.pop(DRAFT_KEY, None)
    return draft


def _save(context: BotContext, draft: ReportDraft) -> None:
    draft.touch(context.clock.now())
    _user_data(context)[DRAFT_KEY] = draft.to_json()


def _forget(context: BotContext) -> None:
    _user_data(context).pop(DRAFT_KEY, None)


# ---- sending -----------------------------------------------------------------------------
async def _send(
    update: Update, context: BotContext, text: str, markup: Markup | None = None
) -> Message:
    _, chat = sender(update)
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def _settle(update: Update, text: str | None = None) -> None:
    """Take the buttons off the pressed message (showing the answer), so they are spent.

    A message Telegram no longer lets us edit (too old, deleted) is left as it is: the
    draft id in its buttons still stops them from changing anything.
    """
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        if text is None:
            await query.edit_message_reply_markup(None)
        else:
            await query.edit_message_text(text)
    except BadRequest as error:
        log.debug("could not settle a pressed report message: %s", error)


async def _replace(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup
) -> None:
    """Show text and buttons in place of the pressed message, or anew if it can't be edited."""
    query = query_of(update)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest:
        await _send(update, context, text, markup)


async def _show(
    update: Update, context: BotContext, draft: ReportDraft, lead: str | None = None
) -> int:
    """Save the draft and ask for its current step; returns the conversation's new state."""
    _save(context, draft)
    step = draft.step
    if step is Step.CATEGORY:
        categories = await context.store.categories.active()
        if not categories:
            _forget(context)
            await _send(update, context, texts.REPORT_NO_CATEGORIES, ReplyKeyboardRemove())
            return END
        markup = keyboards.report_categories(draft.id, categories)
        await _send(update, context, lead or texts.REPORT_CHOOSE_CATEGORY, markup)
    elif step is Step.LOCATION:
        await _send(update, context, texts.REPORT_WHERE, keyboards.report_location())
        hotspots = await context.store.hotspots.most_used(HOTSPOT_BUTTONS)
        if hotspots:
            markup = keyboards.report_hotspots(draft.id, hotspots)
            await _send(update, context, texts.REPORT_PICK_HOTSPOT, markup)
    elif step is Step.WHAT:
        text = texts.report_what(has_attachments=bool(draft.attachments), editing=draft.editing)
        can_go_on = bool(draft.attachments or draft.description)
        await _send(
            update, context, text, keyboards.report_continue(draft.id) if can_go_on else None
        )
    elif step is Step.PEOPLE:
        await _send(
            update, context, texts.REPORT_PEOPLE, keyboards.report_people(draft.id, PEOPLE_COUNTS)
        )
    elif step is Step.URGENT:
        text = texts.report_urgent(draft.category_name, draft.urgent)
        await _send(update, context, text, keyboards.report_urgent(draft.id, preset=draft.urgent))
    elif step is Step.SUMMARY:
        await _send(
            update, context, texts.report_summary(draft), keyboards.report_summary(draft.id)
        )
    else:  # Step.PROPOSAL
        await _send(
            update, context, texts.quick_proposal(draft), keyboards.quick_proposal(draft.id)
        )
    return step


async def _file(update: Update, context: BotContext, draft: ReportDraft) -> int:
    if draft.category_id is None:  # cannot happen through the buttons; ask rather than fail
        draft.change(DraftField.CATEGORY)
        return await _show(update, context, draft)
    member = context.member
    report = await context.store.reports.file(
        ReportIn(**draft.report_fields()),
        reporter=member,
        group_chat_id=context.settings.coordinators_chat_id,
    )
    _forget(context)
    context.services.outbox_wakeup.set()  # an urgent report's alerts go out now
    log.info(
        "report %s filed by member %s (source %s, urgent %s)",
        report.id, member.id, report.source.value, report.urgent,
    )  # fmt: skip
    at = texts.local_time(report.created_at, context.settings.tz)
    stored = texts.report_stored(reference(report.id or 0), at, urgent=report.urgent)
    await _send(update, context, stored, ReplyKeyboardRemove())
    return END


# ---- ways in -----------------------------------------------------------------------------
async def start_report(update: Update, context: BotContext) -> int:
    """/report or the menu's Report button (also mid-report: starts again)."""
    if update.callback_query is not None:
        await update.callback_query.answer()  # the menu stays as it is, for later use
    draft = ReportDraft.guided(context.clock.now())
    draft.begin()
    return await _show(update, context, draft, texts.REPORT_START)


async def quick_text(update: Update, context: BotContext) -> int:
    text = message_of(update).text or ""
    if text == keyboards.TYPE_A_PLACE:  # the place keyboard of a draft that has gone
        await _send(update, context, texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
        return END
    if description_too_long(text):
        await _send(update, context, texts.quick_too_long(len(text)))
        return END
    return await _quick(update, context, text, [])


async def _quick(
    update: Update, context: BotContext, text: str, attachments: list[tuple[str, str]]
) -> int:
    vocabulary = await _vocabulary(context)
    proposal = vocabulary.matcher.propose(text)
    draft = ReportDraft.quick(context.clock.now(), text)
    for kind, file_id in attachments:
        draft.attach(kind, file_id)
    if proposal.place is not None:
        draft.set_hotspot(proposal.place.place.id, proposal.place.place.name)
        draft.done.add(Step.LOCATION)
    rule = vocabulary.rule(proposal.category.category_id) if proposal.category else None
    if rule is not None:
        draft.set_category(rule.id, rule.name, urgent_default=rule.urgent)
        draft.done.add(Step.CATEGORY)
    draft.begin()
    return await _show(update, context, draft, None if rule else texts.QUICK_NOTHING_MATCHED)


async def quick_location(update: Update, context: BotContext) -> int:
    location = message_of(update).location
    if location is None:
        return END
    if not _is_point(location.latitude, location.longitude):
        await _send(update, context, texts.LOCATION_NOT_A_POINT)
        return END
    draft = ReportDraft.at_location(context.clock.now())
    await _apply_location(context, draft, location.latitude, location.longitude)
    draft.begin()
    return await _show(update, context, draft, texts.report_at_place(draft))


async def quick_photo(update: Update, context: BotContext) -> int:
    message = message_of(update)
    file_id = message.photo[-1].file_id  # the largest size
    if message.caption and message.caption.strip():
        return await _quick(update, context, message.caption, [("photo", file_id)])
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("photo", file_id)
    draft.begin()
    return await _show(update, context, draft, texts.REPORT_PHOTO_START)


async def quick_voice(update: Update, context: BotContext) -> int:
    voice = message_of(update).voice
    if voice is None:
        return END
    draft = ReportDraft.guided(context.clock.now())
    draft.attach("voice", voice.file_id)
    draft.begin()
    return await _show(update, context, draft, texts.REPORT_VOICE_START)


async def cancel(update: Update, context: BotContext) -> int:
    _forget(context)
    await _send(update, context, texts.REPORT_CANCELLED, ReplyKeyboardRemove())
    return END


# ---- buttons -----------------------------------------------------------------------------
PressHandler = Callable[[Update, BotContext, ReportDraft, DraftButton], Awaitable[State]]


async def on_press(update: Update, context: BotContext) -> State:
    """Every rep:/qr: button: checks the draft, then the step it belongs to."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    pressed = callbacks.draft_button(parsed) if parsed is not None else None
    draft = _draft(context)
    if draft is None:
        await query.answer(texts.DRAFT_EXPIRED, show_alert=True)
        await _settle(update)
        return END
    if pressed is None or pressed.draft_id != draft.id:
        await query.answer(texts.DRAFT_EXPIRED, show_alert=True)
        return None  # an older draft's button: the current draft carries on untouched
    action = _PRESSES.get((pressed.prefix, pressed.action))
    if action is None or (action.steps and draft.step not in action.steps):
        await query.answer(texts.REPORT_OLD_BUTTON)
        return draft.step
    return await action.handle(update, context, draft, pressed)


async def _pick_category(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    category_id = _int(pressed.arg)
    category = await context.store.categories.get(category_id) if category_id else None
    if category is None or category.id is None or category.retired_at is not None:
        await query.answer(texts.REPORT_CATEGORY_GONE)
        return draft.step
    await query.answer()
    draft.set_category(category.id, category.name, urgent_default=category.urgent)
    draft.complete()
    await _settle(update, texts.category_chosen(category.name))
    return await _show(update, context, draft)


async def _pick_hotspot(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    hotspot_id = _int(pressed.arg)
    hotspot = await context.store.hotspots.get(hotspot_id) if hotspot_id else None
    if hotspot is None or hotspot.id is None or hotspot.retired_at is not None:
        await query.answer(texts.REPORT_HOTSPOT_GONE)
        return draft.step
    await query.answer()
    draft.set_hotspot(hotspot.id, hotspot.name)
    await _settle(update)
    return await _location_done(update, context, draft)


async def _continue(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    if not (draft.description or draft.attachments):
        await query.answer(texts.REPORT_NOTHING_TO_CONTINUE)
        return draft.step
    await query.answer()
    await _settle(update)
    draft.complete()
    return await _show(update, context, draft)


async def _pick_people(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    if pressed.arg != keyboards.PEOPLE_SKIP and pressed.arg not in PEOPLE_COUNTS:
        await query.answer(texts.REPORT_OLD_BUTTON)
        return draft.step
    await query.answer()
    band = None if pressed.arg == keyboards.PEOPLE_SKIP else pressed.arg
    draft.set_people(band)
    draft.complete()
    await _settle(update, texts.people_chosen(band))
    return await _show(update, context, draft)


async def _pick_urgent(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    if pressed.arg not in ("0", "1"):
        await query.answer(texts.REPORT_OLD_BUTTON)
        return draft.step
    await query.answer()
    draft.set_urgent(pressed.arg == "1")
    draft.complete()
    await _settle(update, texts.urgent_chosen(draft.urgent))
    return await _show(update, context, draft)


async def _confirm(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    await query_of(update).answer()
    await _settle(update)
    return await _file(update, context, draft)


async def _edit_menu(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    await query_of(update).answer()
    _save(context, draft)
    await _replace(update, context, texts.REPORT_EDIT_WHICH, keyboards.report_edit_fields(draft.id))
    return draft.step


async def _edit_field(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    query = query_of(update)
    try:
        field = DraftField(pressed.arg or "")
    except ValueError:
        await query.answer(texts.REPORT_OLD_BUTTON)
        return draft.step
    await query.answer()
    await _settle(update)
    draft.change(field)
    return await _show(update, context, draft)


async def _back_to_summary(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    await query_of(update).answer()
    _save(context, draft)
    await _replace(update, context, texts.report_summary(draft), keyboards.report_summary(draft.id))
    return draft.step


async def _cancel_button(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    await query_of(update).answer()
    await _settle(update)
    return await cancel(update, context)


async def _quick_change(
    update: Update, context: BotContext, draft: ReportDraft, pressed: DraftButton
) -> State:
    await query_of(update).answer()
    await _settle(update)
    draft.change(DraftField.CATEGORY if pressed.action == "cat" else DraftField.PLACE)
    return await _show(update, context, draft)


@dataclass(frozen=True)
class _Press:
    handle: PressHandler
    steps: frozenset[Step]  # where the button belongs; empty: any step


def _press(handle: PressHandler, *steps: Step) -> _Press:
    return _Press(handle, frozenset(steps))


_PRESSES: dict[tuple[str, str], _Press] = {
    (callbacks.REPORT, "cat"): _press(_pick_category, Step.CATEGORY),
    (callbacks.REPORT, "hot"): _press(_pick_hotspot, Step.LOCATION),
    (callbacks.REPORT, "go"): _press(_continue, Step.WHAT),
    (callbacks.REPORT, "ppl"): _press(_pick_people, Step.PEOPLE),
    (callbacks.REPORT, "urg"): _press(_pick_urgent, Step.URGENT),
    (callbacks.REPORT, "ok"): _press(_confirm, Step.SUMMARY),
    (callbacks.REPORT, "edit"): _press(_edit_menu, Step.SUMMARY),
    (callbacks.REPORT, "ed"): _press(_edit_field, Step.SUMMARY),
    (callbacks.REPORT, "sum"): _press(_back_to_summary, Step.SUMMARY),
    (callbacks.REPORT, "x"): _press(_cancel_button),
    (callbacks.QUICK, "ok"): _press(_confirm, Step.PROPOSAL),
    (callbacks.QUICK, "cat"): _press(_quick_change, Step.PROPOSAL),
    (callbacks.QUICK, "place"): _press(_quick_change, Step.PROPOSAL),
    (callbacks.QUICK, "x"): _press(_cancel_button, Step.PROPOSAL),
}


def _int(value: str | None) -> int | None:
    return callbacks.small_int(value) if value is not None and value.isdigit() else None


# ---- typed answers, locations, photos ----------------------------------------------------
MessageStep = Callable[[Update, BotContext, ReportDraft], Awaitable[State]]


def _in_step(step: Step, handle: MessageStep) -> Callable[[Update, BotContext], Awaitable[State]]:
    """A message answering `step`: only with a live draft that is at that step."""

    async def answer(update: Update, context: BotContext) -> State:
        draft = _draft(context)
        if draft is None:
            await _send(update, context, texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
            return END
        if draft.step is not step:
            await _send(update, context, texts.REPORT_USE_BUTTONS)
            return draft.step
        return await handle(update, context, draft)

    answer.__name__ = handle.__name__
    return answer


async def _location_done(update: Update, context: BotContext, draft: ReportDraft) -> int:
    draft.complete(Step.LOCATION)
    await _send(update, context, texts.place_chosen(draft), ReplyKeyboardRemove())
    return await _show(update, context, draft)


def _is_point(lat: float, lon: float) -> bool:
    """False for coordinates off the map (a forged or broken client's location)."""
    try:
        validate_point(lat, lon)
    except ValueError:
        return False
    return True


async def _apply_location(context: BotContext, draft: ReportDraft, lat: float, lon: float) -> None:
    places = (await _vocabulary(context)).places
    draft.locate(places, lat, lon, area_radius_m=context.settings.area_radius_m)


async def _place_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    text = message_of(update).text or ""
    if text == keyboards.TYPE_A_PLACE or not text.strip():
        _save(context, draft)
        await _send(update, context, texts.REPORT_TYPE_PLACE)
        return draft.step
    if place_too_long(text):
        await _send(update, context, texts.place_too_long(len(text.strip())))
        return draft.step
    match = (await _vocabulary(context)).matcher.match_place(text)
    if match is not None:
        draft.set_hotspot(match.place.id, match.place.name)
    else:
        draft.set_place_text(text)
    return await _location_done(update, context, draft)


async def _location_shared(update: Update, context: BotContext, draft: ReportDraft) -> State:
    location = message_of(update).location
    if location is None:
        return draft.step
    if not _is_point(location.latitude, location.longitude):
        await _send(update, context, texts.LOCATION_NOT_A_POINT)
        return draft.step
    await _apply_location(context, draft, location.latitude, location.longitude)
    return await _location_done(update, context, draft)


async def _what_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    text = message_of(update).text or ""
    if description_too_long(text):
        await _send(update, context, texts.description_too_long(len(text)))
        return draft.step
    draft.set_description(text)
    draft.complete()
    return await _show(update, context, draft)


async def _attachment(
    update: Update, context: BotContext, draft: ReportDraft, kind: str, file_id: str
) -> State:
    if not draft.attach(kind, file_id):
        await _send(update, context, texts.REPORT_TOO_MANY_ATTACHMENTS)
        return draft.step
    caption = message_of(update).caption
    if caption and caption.strip():  # a caption says what happened
        draft.set_description(caption)
        draft.complete()
        return await _show(update, context, draft)
    _save(context, draft)
    text = texts.attached(kind, len(draft.attachments))
    await _send(update, context, text, keyboards.report_continue(draft.id))
    return draft.step


async def _photo_sent(update: Update, context: BotContext, draft: ReportDraft) -> State:
    photo = message_of(update).photo
    return await _attachment(update, context, draft, "photo", photo[-1].file_id)


async def _voice_sent(update: Update, context: BotContext, draft: ReportDraft) -> State:
    voice = message_of(update).voice
    if voice is None:
        return draft.step
    return await _attachment(update, context, draft, "voice", voice.file_id)


async def _people_typed(update: Update, context: BotContext, draft: ReportDraft) -> State:
    band = people_band(message_of(update).text or "")
    if band is None:
        await _send(update, context, texts.PEOPLE_NOT_A_NUMBER)
        return draft.step
    draft.set_people(band)
    draft.complete()
    return await _show(update, context, draft)


async def remind(update: Update, context: BotContext) -> State:
    """Anything else while a step waits: say how to answer, change nothing."""
    draft = _draft(context)
    if draft is None:
        await _send(update, context, texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
        return END
    typed = draft.step in (Step.LOCATION, Step.WHAT, Step.PEOPLE)
    await _send(update, context, texts.REPORT_TYPE_ANSWER if typed else texts.REPORT_USE_BUTTONS)
    return draft.step


# ---- registration ------------------------------------------------------------------------
def _report_menu_button() -> CallbackQueryHandler[BotContext, Any]:
    data = callbacks.menu("report")
    return CallbackQueryHandler(start_report, pattern=f"^{re.escape(data)}$")


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    presses = [button(callbacks.REPORT, on_press), button(callbacks.QUICK, on_press)]

    def state(*answers: BaseHandler) -> list[BaseHandler]:  # type: ignore[type-arg]
        return [*presses, *answers, MessageHandler(~filters.COMMAND, remind)]

    with warnings.catch_warnings():
        # Buttons are tracked per chat and user, not per message, on purpose: the draft id
        # in each button tells the current draft's buttons from older ones.
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        conversation = ConversationHandler[BotContext](
            entry_points=[
                command("report", start_report),
                _report_menu_button(),
                *presses,  # a draft's button after a restart, or an expired one
                MessageHandler(PRIVATE & TYPED, quick_text),
                MessageHandler(PRIVATE & filters.LOCATION, quick_location),
                MessageHandler(PRIVATE & filters.PHOTO, quick_photo),
                MessageHandler(PRIVATE & filters.VOICE, quick_voice),
            ],
            states={
                Step.CATEGORY: state(),
                Step.LOCATION: state(
                    MessageHandler(filters.LOCATION, _in_step(Step.LOCATION, _location_shared)),
                    MessageHandler(TYPED, _in_step(Step.LOCATION, _place_typed)),
                ),
                Step.WHAT: state(
                    MessageHandler(TYPED, _in_step(Step.WHAT, _what_typed)),
                    MessageHandler(filters.PHOTO, _in_step(Step.WHAT, _photo_sent)),
                    MessageHandler(filters.VOICE, _in_step(Step.WHAT, _voice_sent)),
                ),
                Step.PEOPLE: state(MessageHandler(TYPED, _in_step(Step.PEOPLE, _people_typed))),
                Step.URGENT: state(),
                Step.SUMMARY: state(),
                Step.PROPOSAL: state(),
            },
            fallbacks=[
                command("cancel", cancel),
                command("report", start_report),
                _report_menu_button(),
            ],
            name=REPORT_CONVERSATION,
            persistent=True,
        )
    return [conversation]
