"""The coordinators' outreach counts: never who, only how many."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.outreach import ReferralStatus, referral_age
from bot.domain.rough_sleeping import StreetStatus, statuses_of
from storage.db import SessionFactory
from storage.models import OutreachContact, Referral
from storage.outreach.figures import contacts_for


@dataclass(frozen=True)
class OutreachCounts:
    """Counts for coordinators' digests and reports: never who, only how many."""

    start: datetime
    end: datetime
    contacts: int
    anonymous_contacts: int
    people_seen: int
    # Of the people seen bedded down in the period (bot.domain.rough_sleeping), counted once:
    new_people: int  # no bedded-down contact in the 60 months before the period
    returners: int  # intermittent: seen bedded down before too, not living on the streets
    referrals_made: int
    referrals_closed: int
    open_referrals: int  # still open at the end of the period
    open_referral_ages: tuple[timedelta, ...]  # oldest first, measured at the end
    rough_sleepers: int = 0  # people seen bedded down in the period
    living_on_streets: int = 0  # bedded down on 3+ days, first and last 21+ days apart

    @property
    def oldest_open_referral(self) -> timedelta | None:
        return self.open_referral_ages[0] if self.open_referral_ages else None


_UTC = ZoneInfo("UTC")


class OutreachStats:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def counts(
        self, start: datetime, end: datetime, *, tz: ZoneInfo = _UTC
    ) -> OutreachCounts:
        """The one function digests, briefings and reports use: numbers only, [start, end).

        `tz` says where a day ends, for "separate days" of living on the streets.
        """
        in_period = (col(OutreachContact.at) >= start) & (col(OutreachContact.at) < end)
        async with self._sessions() as session:
            total, anonymous, people = (
                await session.exec(
                    select(
                        func.count(),
                        func.count().filter(col(OutreachContact.person_id).is_(None)),
                        func.count(func.distinct(OutreachContact.person_id)),
                    ).where(in_period)
                )
            ).one()
            statuses = Counter(
                statuses_of(await contacts_for(session, start, end, tz), start, end, tz).values()
            )
            made = (
                await session.exec(
                    select(func.count())
                    .select_from(Referral)
                    .where(col(Referral.created_at) >= start)
                    .where(col(Referral.created_at) < end)
                )
            ).one()
            closed = (
                await session.exec(
                    select(func.count())
                    .select_from(Referral)
                    .where(col(Referral.closed_at) >= start)
                    .where(col(Referral.closed_at) < end)
                )
            ).one()
            # Open at `end`: still open now, or closed since. Two index-bounded queries
            # (status + created_at; closed_at) rather than one that reads every referral.
            still_open = (
                await session.exec(
                    select(Referral.created_at)
                    .where(col(Referral.status).in_([ReferralStatus.OPEN, ReferralStatus.TAKEN]))
                    .where(col(Referral.created_at) < end)
                )
            ).all()
            closed_since = (
                await session.exec(
                    select(Referral.created_at)
                    .where(col(Referral.closed_at) >= end)
                    .where(col(Referral.created_at) < end)
                )
            ).all()
        ages = tuple(referral_age(created, end) for created in sorted([*still_open, *closed_since]))
        return OutreachCounts(
            start=start,
            end=end,
            contacts=int(total),
            anonymous_contacts=int(anonymous),
            people_seen=int(people),
            new_people=statuses[StreetStatus.NEW],
            returners=statuses[StreetStatus.INTERMITTENT],
            rough_sleepers=sum(statuses.values()),
            living_on_streets=statuses[StreetStatus.LIVING_ON_STREETS],
            referrals_made=int(made),
            referrals_closed=int(closed),
            open_referrals=len(ages),
            open_referral_ages=ages,
        )
