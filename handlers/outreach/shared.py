"""What the outreach handlers share: the conversation's steps, the drafts they keep, and how
a person record that has gone (erased, merged) or a draft that has expired is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from telegram import Update

from bot.context import BotContext
from bot.domain.outreach import (
    AliasError,
    ContactDraft,
    NotFoundDraft,
    clean_alias,
    draft_expired,
)
from bot.domain.periods import Quarter
from bot.domain.rough_sleeping import Month
from bot.keyboards.admin import people as people_keyboards
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import outreach_records as records_texts
from bot.texts import referrals as referrals_texts
from bot.texts.admin import people as people_texts
from handlers.access import command_name
from handlers.common import edit_or_reply, message_of, reply
from handlers.conversation import END
from handlers.drafts import DraftSlot, forget_all
from storage.models import PersonRecord
from storage.outreach import Gone, Lookup, facts


class Step(IntEnum):
    """The states of the one outreach conversation (stored: values never change)."""

    # /contact (handlers.outreach.contact)
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
    LOCAL = 13  # local connection: yes / no / unknown
    LOCAL_WHERE = 14  # where: typed, or one of TCAG_CONNECTION_PLACES
    LEFT = 15  # recently left prison / hospital / care
    # a typed detail of a person (handlers.outreach.person)
    EDIT_TEXT = 20
    # the other record of a merge, by alias (handlers.outreach.people)
    MERGE_SEARCH = 21
    # the date of a move into accommodation, typed (handlers.outreach.outcomes)
    OUTCOME_DATE = 22
    # where the worker looked for a referral not found (handlers.outreach.referrals)
    WHERE_LOOKED = 23


def _touch(draft: ContactDraft, now: datetime) -> None:
    draft.touched = now.isoformat()


# The contact being logged (a ContactDraft as a dict); left an hour, it is dropped.
CONTACT_DRAFT = DraftSlot.of_dataclass(
    "outreach.contact",
    ContactDraft,
    expired=lambda draft, context: draft_expired(draft.touched, context.clock.now()),
    touch=_touch,
)


@dataclass
class DetailEdit:
    """A typed detail of a person being changed."""

    person: int
    field: str


PERSON_EDIT = DraftSlot.of_dataclass("outreach.editing", DetailEdit)
# The record a merge keeps, while the other one's alias is due.
MERGE_KEEP = DraftSlot.of_type("outreach.merging", int)
# {"<person id>": [flag slugs]} while a person's flags are being ticked (JSON keys are strings).
FLAGS = DraftSlot.of_type("outreach.flags", dict)


@dataclass
class MoveDue:
    """A move into accommodation whose date is being typed."""

    person: int
    outcome: str  # MoveOutcome


MOVE_DUE = DraftSlot.of_dataclass("outreach.move", MoveDue)


def _touch_not_found(draft: NotFoundDraft, now: datetime) -> None:
    draft.touched = now.isoformat()


# The referral "Not found" was pressed on, while where they looked is due; an hour, then gone.
NOT_FOUND = DraftSlot.of_dataclass(
    "outreach.not_found",
    NotFoundDraft,
    expired=lambda draft, context: draft_expired(draft.touched, context.clock.now()),
    touch=_touch_not_found,
)


def forget(context: BotContext) -> None:
    """Drop whatever the conversation was in the middle of."""
    forget_all(context, CONTACT_DRAFT, PERSON_EDIT, MERGE_KEEP, MOVE_DUE, NOT_FOUND)


def typed_text(update: Update) -> str:
    return (message_of(update).text or "").strip()


def alias_problem(text: str) -> str | None:
    try:
        clean_alias(text)
    except AliasError:
        return (
            outreach_texts.OUT_ALIAS_EMPTY
            if not text.strip()
            else outreach_texts.out_alias_too_long(len(text))
        )
    return None


# ---- a record behind a button or a draft ---------------------------------------------------
async def found(update: Update, context: BotContext, person_id: int | None) -> PersonRecord | None:
    """The live record behind a button, or None after telling the worker why it is gone."""
    lookup = (
        await context.store.outreach.lookup(person_id) if person_id else Lookup(None, Gone.ERASED)
    )
    if lookup.person is not None:
        return lookup.person
    await tell_gone(update, lookup)
    return None


async def tell_gone(update: Update, lookup: Lookup) -> None:
    merged_into = lookup.merged_into.alias if lookup.merged_into is not None else None
    text = outreach_texts.person_gone(merged_into if lookup.gone is Gone.MERGED else None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, text)


async def show_timeline(
    update: Update, context: BotContext, person_id: int, notice: str | None = None
) -> None:
    view = await context.store.outreach.timeline(person_id, viewer=context.member)
    if view is None:
        await tell_gone(update, await context.store.outreach.lookup(person_id))
        return
    referrals = [
        (
            r.referral.id or 0,
            r.place,
            referrals_texts.referral_status(
                r.referral.status.value,
                r.referral.outcome.value if r.referral.outcome is not None else None,
            ),
        )
        for r in view.referrals
    ]
    tz, now = context.settings.tz, context.clock.now()
    month, quarter = Month.containing(now, tz), Quarter.containing(now, tz)
    records = [
        records_texts.status_line(
            f"{month.title} so far",
            view.status(*month.bounds(tz), tz),
            f"{quarter.label} so far",
            view.status(*quarter.bounds(tz), tz),
        )
    ]
    if view.outcomes:
        records.append(
            records_texts.outcome_lines(
                [(o.outcome, o.moved_on, o.recorded_by) for o in view.outcomes]
            )
        )
    flags = records_texts.flags_banner([(f.flag, f.set_by, f.set_at) for f in view.flags], tz)
    text = people_texts.person_timeline(
        facts(view.person),
        view.timeline,
        referrals,
        tz,
        notice,
        flags=flags or None,
        records=records,
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
    await edit_or_reply(update, text, people_keyboards.person_actions(person_id))


# ---- the conversation's fallbacks and reminders ---------------------------------------------
async def lost(update: Update, context: BotContext) -> int:
    """The timeout: the draft expired (or is unreadable); the message was not used."""
    forget(context)
    await reply(update, outreach_texts.OUT_EXPIRED)
    return END


async def cancel(update: Update, context: BotContext) -> int:
    forget(context)
    await reply(update, outreach_texts.OUT_CANCELLED)
    return END


async def interrupted(update: Update, context: BotContext) -> int:
    """Another command stops the flow (nothing saved) and asks for the command again."""
    forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, outreach_texts.out_interrupted(word))
    return END


async def use_the_buttons(update: Update, context: BotContext) -> None:
    """Text, photos or stickers where a button answer is due: stay and remind."""
    await reply(update, outreach_texts.OUT_USE_BUTTONS)


async def please_type(update: Update, context: BotContext) -> None:
    await reply(update, common_texts.TYPE_THE_ANSWER)
