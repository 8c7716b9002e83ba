"""A referral as outreach reads it now: the queue's card, and the copies pushed to workers.

The outbox sender renders every pushed copy and every copy's edit here at send time, and
the referral handlers render the queue and the pressed copy here, so every copy reads the
same: where and when they were seen, what they look like, who reported it, the reports
attached since it was not found (and where the worker looked), who took it. What differs is
the buttons: an open referral has Take / Log contact / Not found; once taken, its taker
keeps Log contact / Not found while the other workers' copies say who took it and lose
their buttons (in the queue, anyone may still log the contact or close it); a closed one
has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.context import Services
from bot.domain.alerts.outbox_types import REFERRAL_COPY
from bot.domain.outreach import ReferralOutcome, ReferralStatus, referral_age
from bot.keyboards import referrals as referrals_keyboards
from bot.texts import common as common_texts
from bot.texts import referrals as referrals_texts
from storage.models import Member, OutboxMessage
from storage.outreach import ReferralState, ReferralView


@dataclass(frozen=True)
class ReferralMessage:
    text: str
    markup: InlineKeyboardMarkup | None  # None: no buttons


def referral_card(view: ReferralView, *, tz: ZoneInfo, now: datetime) -> str:
    r = view.referral
    closed = None
    if not view.is_open and r.closed_at is not None:
        by = view.closed_by.name if view.closed_by else None
        closed = referrals_texts.referral_closed_line(
            r.outcome.value if r.outcome else "", by, common_texts.local_time(r.closed_at, tz)
        )
    not_found = None
    if r.not_found_at is not None:
        if view.is_open or r.outcome is not ReferralOutcome.NOT_FOUND:  # an earlier closing
            not_found = referrals_texts.not_found_line(
                view.not_found_by.name if view.not_found_by else None,
                common_texts.local_datetime(r.not_found_at, tz),
                r.where_looked,
            )
        elif r.where_looked:  # the closing line says who and when
            not_found = referrals_texts.looked_line(r.where_looked)
    again = [
        referrals_texts.ReportedAgain(
            seen_at=common_texts.local_datetime(a.referral.seen_at, tz),
            place=a.place,
            description=a.description,
            reporter=a.reporter.name if a.reporter else None,
        )
        for a in view.again
    ]
    waiting_since = r.reopened_at or r.created_at
    return referrals_texts.referral_card(
        referral_id=r.id or 0,
        seen_at=common_texts.local_datetime(r.seen_at, tz),
        waiting=referrals_texts.out_ago(referral_age(waiting_since, now)),
        place=view.place,
        description=view.description,
        reporter=view.reporter.name if view.reporter else None,
        taken_by=view.taken_by.name if view.taken_by else None,
        taken_at=common_texts.local_time(r.taken_at, tz) if r.taken_at else None,
        closed=closed,
        reopened=view.is_open and r.reopened_at is not None,
        not_found=not_found,
        again=again,
    )


def queue_message(view: ReferralView, *, tz: ZoneInfo, now: datetime) -> ReferralMessage:
    """A referral in /referrals: anyone in outreach may take it, log the contact or close it."""
    card = referral_card(view, tz=tz, now=now)
    if not view.is_open:
        return ReferralMessage(card, None)
    markup = referrals_keyboards.referral_buttons(
        view.referral.id or 0, taken=view.taken_by is not None
    )
    return ReferralMessage(card, markup)


def copy_message(
    view: ReferralView, *, tz: ZoneInfo, now: datetime, viewer: Member | None
) -> ReferralMessage:
    """A referral's copy pushed to one outreach worker, as it stands now."""
    r = view.referral
    card = referrals_texts.pushed(
        referral_card(view, tz=tz, now=now), reopened=r.reopened_at is not None
    )
    buttons = referrals_keyboards.referral_buttons
    if r.status is ReferralStatus.OPEN:
        return ReferralMessage(card, buttons(r.id or 0, taken=False))
    if r.status is ReferralStatus.TAKEN:
        if viewer is not None and viewer.id is not None and viewer.id == r.taken_by_id:
            return ReferralMessage(card, buttons(r.id or 0, taken=True))
        name = view.taken_by.name if view.taken_by else None
        return ReferralMessage(referrals_texts.taken_copy(card, name), None)
    return ReferralMessage(card, None)


async def referral_copy(
    services: Services, row: OutboxMessage
) -> tuple[ReferralMessage, ReferralState | None] | None:
    """The outbox row's copy (or edit) as its recipient sees it now, and the state a new copy
    shows (None for an edit). None: a copy no longer worth sending (someone took the
    referral, or it closed, before it went). LookupError: the referral is gone."""
    store = services.store
    view = await store.referrals.referral(row.referral_id) if row.referral_id else None
    if view is None:
        raise LookupError(row.referral_id)
    new_copy = row.purpose == REFERRAL_COPY
    if new_copy and view.referral.status is not ReferralStatus.OPEN:
        return None
    viewer = await store.members.by_telegram_id(row.chat_id)
    message = copy_message(view, tz=services.settings.tz, now=services.clock.now(), viewer=viewer)
    return message, view.state if new_copy else None
