"""A period's outreach figures (monthly command, quarterly pack): counts only, never who.

Reads the contacts of the period (ix_outreach_contacts_at), the earlier contacts of the
people met in it back to 60 months before it (ix_outreach_contacts_person_id_at), the
moves dated in it (ix_person_outcomes_moved_on) and the referrals made in it
(ix_referrals_created_at) with the contacts that answered them; the arithmetic is
bot.domain.rough_sleeping's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.rough_sleeping import (
    NEW_LOOKBACK_MONTHS,
    ContactFacts,
    OutreachFigures,
    ReferralFacts,
    months_before,
    outreach_figures,
)
from storage.db import SessionFactory
from storage.models import OutreachContact, PersonOutcome, Referral

_CONTACT_COLUMNS = (
    OutreachContact.person_id,
    OutreachContact.at,
    OutreachContact.bedded_down,
    OutreachContact.needs,
    OutreachContact.left_institution,
    OutreachContact.local_connection,
)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def contacts_for(
    session: AsyncSession, start: datetime, end: datetime, tz: ZoneInfo
) -> list[ContactFacts]:
    """The contacts of [start, end), and those of the people met in it back to 60 months
    before `start` (what their statuses are worked out from), oldest first."""
    lookback = months_before(start, NEW_LOOKBACK_MONTHS, tz)
    in_period = (col(OutreachContact.at) >= start) & (col(OutreachContact.at) < end)
    met = (
        select(OutreachContact.person_id)
        .where(in_period)
        .where(col(OutreachContact.person_id).is_not(None))
    )
    rows = (
        await session.exec(
            select(*_CONTACT_COLUMNS)
            .where(
                in_period
                | (
                    col(OutreachContact.person_id).in_(met)
                    & (col(OutreachContact.at) >= lookback)
                    & (col(OutreachContact.at) < start)
                )
            )
            .order_by(col(OutreachContact.at), col(OutreachContact.id))
        )
    ).all()
    return [
        ContactFacts(person_id, _aware(at), bedded, needs or "", left or "", connection)
        for person_id, at, bedded, needs, left, connection in rows
    ]


class OutreachFigureQueries:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def figures(self, start: datetime, end: datetime, tz: ZoneInfo) -> OutreachFigures:
        """Every figure of [start, end) the monthly command and the quarterly pack show."""
        async with self._sessions() as session:
            contacts = await contacts_for(session, start, end, tz)
            moves = (
                await session.exec(
                    select(PersonOutcome.kind)
                    .where(col(PersonOutcome.moved_on) >= start.astimezone(tz).date())
                    .where(col(PersonOutcome.moved_on) < end.astimezone(tz).date())
                )
            ).all()
            referrals = (
                await session.exec(
                    select(Referral.created_at, Referral.outcome, OutreachContact.at)
                    .select_from(Referral)
                    .outerjoin(OutreachContact, col(OutreachContact.id) == col(Referral.contact_id))
                    .where(col(Referral.created_at) >= start)
                    .where(col(Referral.created_at) < end)
                )
            ).all()
        return outreach_figures(
            start=start,
            end=end,
            tz=tz,
            contacts=contacts,
            moves=list(moves),
            referrals=[
                ReferralFacts(_aware(created), outcome, _aware(first) if first else None)
                for created, outcome, first in referrals
            ],
        )
