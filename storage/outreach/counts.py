"""The coordinators' outreach counts: never who, only how many."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.outreach import ReferralStatus, is_returner, referral_age
from storage.db import SessionFactory
from storage.models import OutreachContact, PersonRecord, Referral


@dataclass(frozen=True)
class OutreachCounts:
    """Counts for coordinators' digests and reports: never who, only how many."""

    start: datetime
    end: datetime
    contacts: int
    anonymous_contacts: int
    people_seen: int
    new_people: int  # first seen in the period
    returners: int  # seen before, but not in the 60 days before the period
    referrals_made: int
    referrals_closed: int
    open_referrals: int  # still open at the end of the period
    open_referral_ages: tuple[timedelta, ...]  # oldest first, measured at the end

    @property
    def oldest_open_referral(self) -> timedelta | None:
        return self.open_referral_ages[0] if self.open_referral_ages else None


class OutreachStats:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def counts(self, start: datetime, end: datetime) -> OutreachCounts:
        """The one function digests, briefings and reports use: numbers only, [start, end)."""
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
            seen = select(OutreachContact.person_id).where(in_period).distinct()
            new_people = (
                await session.exec(
                    select(func.count())
                    .select_from(PersonRecord)
                    .where(col(PersonRecord.id).in_(seen))
                    .where(col(PersonRecord.first_seen) >= start)
                    .where(col(PersonRecord.first_seen) < end)
                )
            ).one()
            before = (
                await session.exec(
                    select(OutreachContact.person_id, func.max(OutreachContact.at))
                    .where(col(OutreachContact.person_id).in_(seen))
                    .where(col(OutreachContact.at) < start)
                    .group_by(col(OutreachContact.person_id))
                )
            ).all()
            returners = sum(1 for _, last in before if is_returner(start, _aware(last)))
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
            new_people=int(new_people),
            returners=returners,
            referrals_made=int(made),
            referrals_closed=int(closed),
            open_referrals=len(ages),
            open_referral_ages=ages,
        )


def _aware(value: datetime) -> datetime:
    """Aggregates bypass the column type, so SQLite's naive UTC comes back bare."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
