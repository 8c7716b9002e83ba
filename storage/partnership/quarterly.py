"""Outreach outcomes for the quarterly partnership report, over a window [start, end).

Report counts, hotspots, urgent incidents and staff hours come from storage.partnership.stats (the
figures digests use); this adds what only the quarterly report shows: how referrals ended
and what outreach contacts led to. Contacts are read through ix_outreach_contacts_at, so
the cost follows the window's rows; referral outcomes read referrals.closed_at, which has
no index (referrals are few: one per rough sleeper seen). Counts only: never who.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import col, func, select

from bot.domain.outreach import Action, ReferralOutcome, split_slugs
from storage.db import SessionFactory
from storage.models import OutreachContact, Referral


class QuarterlyStats:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def referral_outcomes(self, start: datetime, end: datetime) -> dict[ReferralOutcome, int]:
        """Referrals closed in the window, by outcome."""
        query = (
            select(Referral.outcome, func.count())
            .where(col(Referral.closed_at) >= start)
            .where(col(Referral.closed_at) < end)
            .group_by(col(Referral.outcome))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return {ReferralOutcome(outcome): int(n) for outcome, n in rows if outcome is not None}

    async def contact_actions(self, start: datetime, end: datetime) -> dict[Action, int]:
        """What outreach contacts in the window led to (referrals to services), by action."""
        query = (
            select(OutreachContact.actions)
            .where(col(OutreachContact.at) >= start)
            .where(col(OutreachContact.at) < end)
            .where(col(OutreachContact.actions) != "")
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        counted: Counter[Action] = Counter()
        for actions in rows:
            counted.update(split_slugs(actions, Action))
        return {action: counted[action] for action in Action if counted[action]}
