"""Outreach contacts: a worker's meeting with a person (known, new or anonymous)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.clock import Clock
from bot.domain.outreach import Action, Need, ReferralOutcome, join_slugs
from bot.domain.rough_sleeping import Institution, LocalConnection
from bot.domain.safeguarding import ConcernSource
from storage.db import SessionFactory
from storage.models import Member, OutreachContact, PersonRecord
from storage.outreach.flags import set_flags
from storage.outreach.inputs import ContactIn, PersonField
from storage.outreach.people import Lookup, apply_change, find_person
from storage.outreach.referrals import close_referral
from storage.safeguarding.concerns import raise_concern


@dataclass(frozen=True)
class ContactSaved:
    contact: OutreachContact
    person: PersonRecord | None
    referral_closed: bool  # this contact closed its referral (False: closed already, or none)
    concern_id: int | None = None  # the safeguarding concern it raised (exploitation flagged)


class Contacts:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def log_contact(
        self, draft: ContactIn, *, worker: Member, reporter_notice: str | None = None
    ) -> ContactSaved | Lookup:
        """Store a confirmed contact (and a new person with it); closes its referral.

        A contact with a person merged meanwhile goes to the kept record; with a person
        erased meanwhile nothing is stored and the Lookup says why.
        """
        draft = ContactIn.model_validate(draft.model_dump())
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            person: PersonRecord | None = None
            if draft.person_id is not None:
                found = await find_person(session, draft.person_id)
                person = found.person or found.merged_into
                if person is None:
                    return found
            elif draft.new_person is not None:
                new = draft.new_person
                person = PersonRecord(
                    alias=new.alias,
                    appearance=new.appearance,
                    age_band=new.age_band,
                    gender=new.gender,
                    usual_sites=new.usual_sites,
                    first_seen=now,
                    last_seen=now,
                    created_by_id=worker.id,
                    created_at=now,
                    updated_at=now,
                )
                session.add(person)
                await session.flush()
                if new.flags:
                    await set_flags(session, person, new.flags, by_id=worker.id, now=now)
            if person is not None:
                person.last_seen = max(person.last_seen, now)
                person.first_seen = min(person.first_seen, now)
                if draft.consent is not None and draft.consent != person.consent_share:
                    apply_change(person, PersonField.CONSENT, draft.consent, now=now)
                person.updated_at = now
                session.add(person)
            contact = OutreachContact(
                person_id=person.id if person else None,
                worker_id=worker.id,
                at=now,
                hotspot_id=draft.hotspot_id,
                place_text=draft.place_text,
                lat=draft.lat,
                lon=draft.lon,
                sleeping_site=draft.sleeping_site,
                needs=(
                    draft.needs_answer.value
                    if draft.needs_answer is not None
                    else join_slugs(draft.needs, Need)
                ),
                actions=join_slugs(draft.actions, Action),
                notes=draft.notes,
                referral_id=draft.referral_id,
                bedded_down=draft.bedded_down,
                local_connection=draft.local_connection,
                connection_place=draft.connection_place,
                left_institution=join_slugs(draft.left_institution, Institution),
            )
            session.add(contact)
            await session.flush()
            closed = False
            if draft.referral_id is not None:
                closed = await close_referral(
                    session,
                    draft.referral_id,
                    by=worker,
                    outcome=ReferralOutcome.CONTACTED,
                    contact_id=contact.id,
                    notice=reporter_notice,
                    now=now,
                )
            concern = None
            if draft.exploitation is not None:  # to every safeguarding lead, privately
                concern = await raise_concern(
                    session,
                    now=now,
                    source=ConcernSource.CONTACT,
                    kind=draft.exploitation,
                    raised_by_id=worker.id,
                    contact=contact,
                )
            return ContactSaved(contact, person, closed, concern.id if concern else None)

    async def contact_count(self, person_id: int) -> int:
        async with self._sessions() as session:
            query = select(func.count()).where(OutreachContact.person_id == person_id)
            return int((await session.exec(query)).one())

    async def last_connection(self, person_id: int) -> tuple[LocalConnection, str | None] | None:
        """The local connection recorded at a person's latest contact that asked (the
        contact flow offers it as "as before")."""
        async with self._sessions() as session:
            query = (
                select(OutreachContact.local_connection, OutreachContact.connection_place)
                .where(OutreachContact.person_id == person_id)
                .where(col(OutreachContact.local_connection).is_not(None))
                .order_by(col(OutreachContact.at).desc(), col(OutreachContact.id).desc())
                .limit(1)
            )
            row = (await session.exec(query)).first()
        if row is None or row[0] is None:
            return None
        return LocalConnection(row[0]), row[1]
