"""Erasing a person: their records go, their contacts stay as anonymous counts.

Retention's purge shares `anonymise_contacts` with erasure on request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.audit import AuditAction
from bot.domain.clock import Clock
from storage.audit import add_audit
from storage.db import SessionFactory
from storage.models import Member, OutreachContact, PersonRecord, Referral, Report
from storage.outreach.records import person_subject


@dataclass(frozen=True)
class Erased:
    person_id: int
    records: int  # the person's record and records merged into it
    contacts_anonymised: int


async def anonymise_contacts(
    session: AsyncSession, contact_ids: Sequence[int], *, detach: bool
) -> None:
    """Clear the free text about a person: these contacts' notes and places, the referrals
    they answered (description, place) and the rough sleeping reports behind those.

    `detach` also unlinks the contacts from their person (erasure deletes the record);
    retention keeps the link to the anonymised record, so counts of people stay right.
    """
    if not contact_ids:
        return
    referral_query = select(Referral.id, Referral.source_report_id).where(
        col(Referral.contact_id).in_(contact_ids)
        | col(Referral.id).in_(
            select(OutreachContact.referral_id).where(col(OutreachContact.id).in_(contact_ids))
        )
    )
    referrals = (await session.exec(referral_query)).all()
    referral_ids = [r for r, _ in referrals if r is not None]
    report_ids = [s for _, s in referrals if s is not None]
    if referral_ids:
        await session.exec(
            update(Referral)
            .where(col(Referral.id).in_(referral_ids))
            .values(appearance=None, place_text=None, lat=None, lon=None)
        )
    if report_ids:
        await session.exec(
            update(Report).where(col(Report.id).in_(report_ids)).values(description=None)
        )
    cleared: dict[str, object] = {"notes": None, "place_text": None, "lat": None, "lon": None}
    if detach:
        cleared["person_id"] = None
    await session.exec(
        update(OutreachContact).where(col(OutreachContact.id).in_(contact_ids)).values(**cleared)
    )


class Erasure:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def erase(self, person_id: int, *, by: Member | None, via: str) -> Erased | None:
        """Delete a person (and records merged into them) and the free text of their contacts.

        Contacts stay, anonymous, with their needs and actions, so counts stay right. The
        referrals those contacts answered lose their description, and so do the rough
        sleeping reports behind them. None when there is no such record (or it was merged:
        erase the record it was merged into).
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            person = await session.get(PersonRecord, person_id)
            if person is None or person.merged_into_id is not None:
                return None
            merged = (
                await session.exec(
                    select(PersonRecord.id).where(PersonRecord.merged_into_id == person_id)
                )
            ).all()
            ids = [person_id, *(i for i in merged if i is not None)]
            contact_ids = [
                i
                for i in (
                    await session.exec(
                        select(OutreachContact.id).where(col(OutreachContact.person_id).in_(ids))
                    )
                ).all()
                if i is not None
            ]
            if contact_ids:
                await anonymise_contacts(session, contact_ids, detach=True)
            await session.exec(
                delete(PersonRecord).where(col(PersonRecord.merged_into_id) == person_id)
            )
            await session.exec(delete(PersonRecord).where(col(PersonRecord.id) == person_id))
            add_audit(
                session,
                at=now,
                action=AuditAction.PERSON_ERASED,
                actor_id=by.id if by else None,
                subject=person_subject(person_id),
                detail=f"via {via}; {len(ids)} records, {len(contact_ids)} contacts anonymised",
            )
            return Erased(person_id, len(ids), len(contact_ids))
