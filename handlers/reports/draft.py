"""What the guided and quick report flows share: the draft's slot and the drafts kept aside,
the vocabulary cache, asking for the draft's current step, and filing it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.domain.alerts.cctv import may_request_review
from bot.domain.geo import Place, validate_point
from bot.domain.quick_report import CategoryRule, Matcher
from bot.domain.reports.incidents import PEOPLE_COUNTS, reference
from bot.domain.reports.report_draft import (
    DRAFT_KEY,
    KEPT_DRAFTS_KEY,
    DraftField,
    ReportDraft,
    Step,
    kept_drafts,
    kept_to_json,
    picker_categories,
)
from bot.domain.safeguarding import concern_reference
from bot.keyboards import reports as reports_keyboards
from bot.texts import common as common_texts
from bot.texts import reports as report_texts
from bot.texts import reports as reports_texts
from bot.texts import safeguarding as safeguarding_texts
from handlers.common import Markup, sender
from handlers.conversation import END, Callback, State, with_draft
from handlers.drafts import DraftSlot
from storage.models import ReportIn

log = logging.getLogger(__name__)

HOTSPOT_BUTTONS = 8
# The guided picker puts the categories a member used most in this long first.
CATEGORY_USES_SINCE = timedelta(days=90)


def _ttl(context: BotContext) -> timedelta:
    return timedelta(minutes=context.settings.draft_ttl_minutes)


# The member's report being written: expires after TCAG_DRAFT_TTL_MINUTES without an answer
# (also dropped by the job `expire-report-drafts`, which tells the member).
REPORT_DRAFT = DraftSlot[ReportDraft](
    DRAFT_KEY,
    load=ReportDraft.from_json,
    dump=ReportDraft.to_json,
    expired=lambda draft, context: draft.is_expired(context.clock.now(), _ttl(context)),
    touch=ReportDraft.touch,
)
# Drafts kept aside when a new report interrupted them (/drafts): at most MAX_KEPT, newest
# first, each expiring TCAG_DRAFT_TTL_MINUTES after it was kept.
KEPT_DRAFTS = DraftSlot.of_type(KEPT_DRAFTS_KEY, list)


def kept(context: BotContext) -> list[ReportDraft]:
    return kept_drafts(KEPT_DRAFTS.get(context), context.clock.now(), _ttl(context))


def put_kept(context: BotContext, drafts: list[ReportDraft]) -> None:
    if drafts:
        KEPT_DRAFTS.put(context, kept_to_json(drafts))
    else:
        KEPT_DRAFTS.forget(context)


# ---- the quick-report matcher, cached per application ------------------------------------
# Changes to categories and hotspots made by another process (`tcag hotspots import`, a
# second instance during a deploy) are read within this long; this process's count at once.
VOCABULARY_REREAD = timedelta(seconds=30)


@dataclass(frozen=True)
class Vocabulary:
    rules: tuple[CategoryRule, ...]
    places: tuple[Place, ...]
    matcher: Matcher
    changes: tuple[int, int]  # the catalog's write counts when the lists were read
    read_at: datetime

    def rule(self, category_id: int) -> CategoryRule | None:
        return next((r for r in self.rules if r.id == category_id), None)


_vocabularies: WeakKeyDictionary[object, Vocabulary] = WeakKeyDictionary()  # by application


async def vocabulary(context: BotContext) -> Vocabulary:
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
    cached = Vocabulary(rules, places, matcher, changes, now)
    _vocabularies[context.application] = cached
    return cached


# ---- sending -----------------------------------------------------------------------------
async def send(
    update: Update, context: BotContext, text: str, markup: Markup | None = None
) -> Message:
    _, chat = sender(update)
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def settle(update: Update, text: str | None = None) -> None:
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


async def answer(
    update: Update, context: BotContext, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer a press. A typed message that named a button has no query: it is told in
    the chat instead (when there is anything to tell)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)
    elif text:
        await send(update, context, text)


async def replace(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup
) -> None:
    """Show text and buttons in place of the pressed message, or anew if it can't be edited
    (or was a typed answer)."""
    query = update.callback_query
    if query is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest:
            pass
    await send(update, context, text, markup)


async def category_picker(
    context: BotContext, draft: ReportDraft, *, every_one: bool = False
) -> InlineKeyboardMarkup | None:
    """At most PICKER_SIZE categories, the member's most used first, and "More…"; every
    category once "More…" is pressed. None when there are none at all."""
    categories = await context.store.categories.active()
    if not categories:
        return None
    if every_one:
        return reports_keyboards.report_categories(draft.id, categories)
    since = context.clock.now() - CATEGORY_USES_SINCE
    uses = await context.store.categories.uses_by(context.member.id or 0, since=since)
    shown, more = picker_categories(categories, uses, lambda c: c.id or 0)
    return reports_keyboards.report_categories(draft.id, shown, more=more)


async def show(
    update: Update, context: BotContext, draft: ReportDraft, lead: str | None = None
) -> int:
    """Save the draft and ask for its current step; returns the conversation's new state."""
    REPORT_DRAFT.put(context, draft)
    step = draft.step
    now = context.clock.now()
    if step is Step.CATEGORY:
        markup = await category_picker(context, draft)
        if markup is None:
            REPORT_DRAFT.forget(context)
            await send(update, context, reports_texts.REPORT_NO_CATEGORIES, ReplyKeyboardRemove())
            return END
        await send(update, context, lead or reports_texts.REPORT_CHOOSE_CATEGORY, markup)
    elif step is Step.LOCATION:
        await send(update, context, reports_texts.REPORT_WHERE, reports_keyboards.report_location())
        hotspots = await context.store.hotspots.most_used(HOTSPOT_BUTTONS)
        if hotspots:
            markup = reports_keyboards.report_hotspots(draft.id, hotspots)
            await send(update, context, reports_texts.REPORT_PICK_HOTSPOT, markup)
    elif step is Step.WHAT:
        text = reports_texts.report_what(
            has_attachments=bool(draft.attachments), editing=draft.editing
        )
        can_go_on = bool(draft.attachments or draft.description)
        await send(
            update,
            context,
            text,
            reports_keyboards.report_continue(draft.id) if can_go_on else None,
        )
    elif step is Step.PEOPLE:
        await send(
            update,
            context,
            reports_texts.REPORT_PEOPLE,
            reports_keyboards.report_people(draft.id, PEOPLE_COUNTS),
        )
    elif step is Step.URGENT:
        text = reports_texts.report_urgent(draft.category_name, draft.urgent)
        await send(
            update, context, text, reports_keyboards.report_urgent(draft.id, preset=draft.urgent)
        )
    elif step is Step.SUMMARY:
        summary = report_texts.report_summary(draft, now)
        await send(
            update,
            context,
            summary,
            reports_keyboards.report_summary(draft.id, under_18=draft.under_18),
        )
    else:  # Step.PROPOSAL
        proposal = report_texts.quick_proposal(draft, now)
        await send(
            update,
            context,
            proposal,
            reports_keyboards.quick_proposal(
                draft.id, urgent=draft.urgent, under_18=draft.under_18
            ),
        )
    return step


async def file(update: Update, context: BotContext, draft: ReportDraft) -> int:
    if draft.category_id is None:  # cannot happen through the buttons; ask rather than fail
        draft.change(DraftField.CATEGORY)
        return await show(update, context, draft)
    member = context.member
    report = await context.store.reports.file(
        ReportIn(**draft.report_fields()),
        reporter=member,
        group_chat_id=context.settings.coordinators_chat_id,
    )
    REPORT_DRAFT.forget(context)
    context.services.outbox_wakeup.set()  # an urgent report's alerts go out now
    log.info(
        "report %s filed by member %s (source %s, urgent %s)",
        report.id, member.id, report.source.value, report.urgent,
    )  # fmt: skip
    at = common_texts.local_time(report.created_at, context.settings.tz)
    stored = report_texts.report_stored(
        reference(report.id or 0),
        at,
        urgent=report.urgent,
        life_at_risk=draft.life_at_risk,
        cctv_hint=may_request_review(member.role, is_admin=member.is_admin, is_reporter=True),
    )
    concern = await context.store.concerns.for_report(report.id or 0)
    if concern is not None:  # a safeguarding report, or "under 18 involved"
        has_lead = await context.store.concerns.has_lead()
        told = safeguarding_texts.told_the_lead(
            concern_reference(concern.id or 0), has_lead=has_lead
        )
        stored = f"{stored}\n\n{told}"
    await send(update, context, stored, ReplyKeyboardRemove())
    return END


async def cancel(update: Update, context: BotContext) -> int:
    REPORT_DRAFT.forget(context)
    await send(update, context, reports_texts.REPORT_CANCELLED, ReplyKeyboardRemove())
    return END


async def gone(update: Update, context: BotContext) -> int:
    """The flow's timeout: the draft expired (or is unreadable) before this answer."""
    await send(update, context, reports_texts.DRAFT_EXPIRED, ReplyKeyboardRemove())
    return END


# ---- the place, however it was given -----------------------------------------------------
async def location_done(update: Update, context: BotContext, draft: ReportDraft) -> int:
    draft.complete(Step.LOCATION)
    place = report_texts.place_chosen(draft, context.clock.now())
    await send(update, context, place, ReplyKeyboardRemove())
    return await show(update, context, draft)


def is_point(lat: float, lon: float) -> bool:
    """False for coordinates off the map (a forged or broken client's location)."""
    try:
        validate_point(lat, lon)
    except ValueError:
        return False
    return True


async def apply_location(context: BotContext, draft: ReportDraft, lat: float, lon: float) -> None:
    places = (await vocabulary(context)).places
    draft.locate(places, lat, lon, area_radius_m=context.settings.area_radius_m)


# ---- messages while a step waits ---------------------------------------------------------
MessageStep = Callable[[Update, BotContext, ReportDraft], Awaitable[State]]


def in_step(step: Step, handle: MessageStep) -> Callback:
    """A message answering `step`: only with a live draft (see `gone`) at that step."""

    async def at_step(update: Update, context: BotContext, draft: ReportDraft) -> State:
        if draft.step is not step:
            await send(update, context, reports_texts.REPORT_USE_BUTTONS)
            return draft.step
        return await handle(update, context, draft)

    at_step.__name__ = handle.__name__
    return with_draft(REPORT_DRAFT, gone, at_step)


async def remind(update: Update, context: BotContext) -> State:
    """Anything else while a step waits: say how to answer, change nothing."""
    draft = REPORT_DRAFT.get(context)
    if draft is None:
        return await gone(update, context)
    typed = draft.step in (Step.LOCATION, Step.WHAT, Step.PEOPLE)
    await send(
        update,
        context,
        reports_texts.REPORT_TYPE_ANSWER if typed else reports_texts.REPORT_USE_BUTTONS,
    )
    return draft.step
