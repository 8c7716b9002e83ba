"""Outreach: people, contacts, referrals, the coordinators' counts, merges and erasure.

Person details are sensitive: every read of a record or a list of people writes an audit
row in the same transaction, and erasure leaves only anonymous counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import ColumnElement, delete, func, update
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.geo import point_label
from bot.domain.outbox_types import NOTICE, Priority
from bot.domain.outreach import (
    MAX_APPEARANCE,
    MAX_GENDER,
    MAX_LEGAL_NAME,
    MAX_NOTES,
    MAX_PLACE_TEXT,
    MAX_USUAL_SITES,
    OPEN_REFERRAL_STATUSES,
    Action,
    AgeBand,
    AliasError,
    ContactEntry,
    Flag,
    MergeEntry,
    Need,
    PersonFacts,
    PersonField,
    ReferralOutcome,
    ReferralStatus,
    SleepingSite,
    Timeline,
    build_timeline,
    clean_alias,
    is_returner,
    join_slugs,
    match_aliases,
    referral_age,
    similar_aliases,
    split_slugs,
)
from bot.domain.retention import ANONYMISED_ALIAS_PREFIX
from bot.domain.roles import Status
from storage.audit import add_audit
from storage.db import SessionFactory
from storage.models import Hotspot, Member, OutreachContact, PersonRecord, Referral, Report
from storage.outbox import enqueue


def person_subject(person_id: int) -> str:
    """How the audit log names a person: the id only, never the alias."""
    return f"person:{person_id}"


def place_label(
    hotspot: Hotspot | None, place_text: str | None, lat: float | None, lon: float | None
) -> str:
    if hotspot is not None:
        return hotspot.name
    if place_text:
        return place_text
    if lat is not None and lon is not None:
        return point_label(lat, lon)
    return "place not given"


def facts(person: PersonRecord) -> PersonFacts:
    """A person record in domain terms, for texts and keyboards."""
    return PersonFacts(
        id=person.id or 0,
        alias=person.alias,
        age_band=person.age_band,
        appearance=person.appearance,
        gender=person.gender,
        usual_sites=person.usual_sites,
        flags=tuple(split_slugs(person.flags, Flag)),
        consent=person.consent_share,
        consent_at=person.consent_at,
        legal_name=person.legal_name if person.consent_share else None,
        first_seen=person.first_seen,
        last_seen=person.last_seen,
    )


# ---- input models -------------------------------------------------------------------------
def _strip(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


class PersonIn(SQLModel):
    """A new person as the worker described them."""

    alias: str
    appearance: str | None = Field(default=None, max_length=MAX_APPEARANCE)
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: str | None = Field(default=None, max_length=MAX_GENDER)
    usual_sites: str | None = Field(default=None, max_length=MAX_USUAL_SITES)
    flags: list[Flag] = Field(default_factory=list)

    @field_validator("alias")
    @classmethod
    def _alias(cls, value: str) -> str:
        return clean_alias(value)

    @field_validator("appearance", "gender", "usual_sites")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _strip(value)


class ContactIn(SQLModel):
    """A contact as the worker confirmed it: with a known person, a new one, or anonymous."""

    person_id: int | None = None
    new_person: PersonIn | None = None
    hotspot_id: int | None = None
    place_text: str | None = Field(default=None, max_length=MAX_PLACE_TEXT)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    sleeping_site: SleepingSite | None = None
    needs: list[Need] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    notes: str | None = Field(default=None, max_length=MAX_NOTES)
    consent: bool | None = None  # recorded on the person when given (None: not asked)
    referral_id: int | None = None

    @field_validator("place_text", "notes")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _strip(value)

    @model_validator(mode="after")
    def _one_person(self) -> ContactIn:
        if self.person_id is not None and self.new_person is not None:
            raise ValueError("a contact is with a known person or a new one, not both")
        return self


class SightingIn(SQLModel):
    """ "Rough sleeper seen": where, when and what they looked like."""

    hotspot_id: int | None = None
    place_text: str | None = Field(default=None, max_length=MAX_PLACE_TEXT)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    seen_at: datetime
    appearance: str | None = Field(default=None, max_length=300)

    @field_validator("place_text", "appearance")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _strip(value)


TEXT_LIMITS: dict[PersonField, int] = {
    PersonField.APPEARANCE: MAX_APPEARANCE,
    PersonField.GENDER: MAX_GENDER,
    PersonField.USUAL_SITES: MAX_USUAL_SITES,
    PersonField.LEGAL_NAME: MAX_LEGAL_NAME,
}


class LegalNameWithoutConsent(ValueError):
    """A legal name may be kept only while consent to share is recorded."""


# ---- results ------------------------------------------------------------------------------
class Gone(StrEnum):
    ERASED = "erased"  # no such record (erased, or never was)
    MERGED = "merged"  # merged into another record


@dataclass(frozen=True)
class Lookup:
    """A person id from a button or a draft, resolved: the record, or why it is gone."""

    person: PersonRecord | None
    gone: Gone | None = None
    merged_into: PersonRecord | None = None


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    hotspot: Hotspot | None
    reporter: Member | None
    taken_by: Member | None
    report_description: str | None  # the source report's text, for referrals from reports
    closed_by: Member | None = None

    @property
    def place(self) -> str:
        r = self.referral
        return place_label(self.hotspot, r.place_text, r.lat, r.lon)

    @property
    def description(self) -> str | None:
        return self.referral.appearance or self.report_description

    @property
    def is_open(self) -> bool:
        return self.referral.status in OPEN_REFERRAL_STATUSES


@dataclass(frozen=True)
class PersonTimeline:
    person: PersonRecord
    timeline: Timeline
    referrals: list[ReferralView]
    created_by: Member | None


@dataclass(frozen=True)
class ContactSaved:
    contact: OutreachContact
    person: PersonRecord | None
    referral_closed: bool  # this contact closed its referral (False: closed already, or none)


@dataclass(frozen=True)
class TakeOutcome:
    view: ReferralView
    won: bool  # False: it was taken by someone else or closed already


@dataclass(frozen=True)
class MergeOutcome:
    kept: PersonRecord
    moved_contacts: int


@dataclass(frozen=True)
class Erased:
    person_id: int
    records: int  # the person's record and records merged into it
    contacts_anonymised: int


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


# ---- referrals from reports (called inside Reports.file's transaction) -------------------
ROUGH_SLEEPING_SLUG = "rough_sleeping"


def add_referral_for_report(session: AsyncSession, report: Report, *, now: datetime) -> Referral:
    """Queue a referral for a rough sleeping report, in the report's own transaction.

    The report's text is not copied: the queue shows it from the report, so it exists once.
    """
    referral = Referral(
        created_at=now,
        seen_at=report.created_at,
        source_report_id=report.id,
        reporter_id=report.reporter_id,
        hotspot_id=report.hotspot_id,
        place_text=report.place_text,
        lat=report.lat,
        lon=report.lon,
        status=ReferralStatus.OPEN,
    )
    session.add(referral)
    return referral


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


def _enqueue_notice(
    session: AsyncSession, *, now: datetime, reporter: Member | None, text: str | None, key: str
) -> bool:
    if reporter is None or text is None or reporter.status is not Status.ACTIVE:
        return False
    enqueue(
        session,
        now=now,
        chat_id=reporter.telegram_id,
        purpose=NOTICE,
        priority=Priority.NORMAL,
        text=text,
        dedupe_key=key,
    )
    return True


class Outreach:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- finding people --------------------------------------------------------------
    async def _candidates(self, session: AsyncSession) -> list[tuple[int, str]]:
        query = select(PersonRecord.id, PersonRecord.alias).where(
            col(PersonRecord.merged_into_id).is_(None), _not_anonymised()
        )
        return [(i, a) for i, a in (await session.exec(query)).all() if i is not None]

    async def _people(self, session: AsyncSession, ids: Sequence[int]) -> list[PersonRecord]:
        if not ids:
            return []
        rows = await session.exec(select(PersonRecord).where(col(PersonRecord.id).in_(ids)))
        by_id = {p.id: p for p in rows.all()}
        return [by_id[i] for i in ids if i in by_id]

    async def search(
        self, query: str, *, viewer: Member | None, limit: int = 8, exclude: int | None = None
    ) -> list[PersonRecord]:
        """People whose alias fits `query`, best first (spelling-tolerant). Audited."""
        async with self._sessions() as session, session.begin():
            hits = match_aliases(query, await self._candidates(session), limit=limit + 1)
            ids = [h.person_id for h in hits if h.person_id != exclude][:limit]
            people = await self._people(session, ids)
            self._audit_list(session, viewer, people, "search")
            return people

    async def similar(self, alias: str, *, viewer: Member | None) -> list[PersonRecord]:
        """Existing people a new alias probably means ("Is this the same person?")."""
        async with self._sessions() as session, session.begin():
            hits = similar_aliases(alias, await self._candidates(session))
            people = await self._people(session, [h.person_id for h in hits])
            self._audit_list(session, viewer, people, "same person check")
            return people

    async def recent(self, *, viewer: Member | None, limit: int = 15) -> list[PersonRecord]:
        """Recently seen people, the latest first. Audited."""
        async with self._sessions() as session, session.begin():
            query = (
                select(PersonRecord)
                .where(col(PersonRecord.merged_into_id).is_(None), _not_anonymised())
                .order_by(col(PersonRecord.last_seen).desc(), col(PersonRecord.id).desc())
                .limit(limit)
            )
            people = list((await session.exec(query)).all())
            self._audit_list(session, viewer, people, "recently seen")
            return people

    def _audit_list(
        self, session: AsyncSession, viewer: Member | None, people: list[PersonRecord], what: str
    ) -> None:
        if not people:
            return
        ids = ",".join(str(p.id) for p in people)
        add_audit(
            session,
            at=self._clock.now(),
            action=AuditAction.PEOPLE_LISTED,
            actor_id=viewer.id if viewer else None,
            subject=f"people:{len(people)}",
            detail=f"{what}: {ids}",
        )

    async def lookup(self, person_id: int) -> Lookup:
        """Resolve an id from an old button or draft (no details are shown, so not audited)."""
        async with self._sessions() as session:
            return await self._lookup(session, person_id)

    async def _lookup(self, session: AsyncSession, person_id: int) -> Lookup:
        person = await session.get(PersonRecord, person_id)
        if person is None:
            return Lookup(None, Gone.ERASED)
        if person.merged_into_id is not None:
            kept = await session.get(PersonRecord, person.merged_into_id)
            return Lookup(None, Gone.MERGED, kept)
        return Lookup(person)

    async def contact_count(self, person_id: int) -> int:
        async with self._sessions() as session:
            query = select(func.count()).where(OutreachContact.person_id == person_id)
            return int((await session.exec(query)).one())

    # ---- a person's record -----------------------------------------------------------
    async def timeline(self, person_id: int, *, viewer: Member | None) -> PersonTimeline | None:
        """The whole record, newest first; writes the audit row for this view."""
        async with self._sessions() as session, session.begin():
            person = await session.get(PersonRecord, person_id)
            if person is None or person.merged_into_id is not None:
                return None
            query = (
                select(OutreachContact)
                .where(OutreachContact.person_id == person_id)
                .order_by(col(OutreachContact.at).desc(), col(OutreachContact.id).desc())
            )
            contacts = list((await session.exec(query)).all())
            workers = await _members(session, [c.worker_id for c in contacts])
            hotspots = await _hotspots(session, [c.hotspot_id for c in contacts])
            entries = [
                ContactEntry(
                    contact_id=c.id or 0,
                    at=c.at,
                    worker=workers[c.worker_id].name if c.worker_id in workers else None,
                    place=place_label(hotspots.get(c.hotspot_id), c.place_text, c.lat, c.lon),
                    site=c.sleeping_site,
                    needs=tuple(split_slugs(c.needs, Need)),
                    actions=tuple(split_slugs(c.actions, Action)),
                    notes=c.notes,
                    referral_id=c.referral_id,
                )
                for c in contacts
            ]
            merged_query = (
                select(PersonRecord)
                .where(PersonRecord.merged_into_id == person_id)
                .order_by(col(PersonRecord.merged_at).desc())
            )
            merges = [
                MergeEntry(m.merged_at or m.updated_at, m.id or 0, m.alias)
                for m in (await session.exec(merged_query)).all()
            ]
            referral_ids = sorted({c.referral_id for c in contacts if c.referral_id is not None})
            referrals = await self._referral_views(session, referral_ids)
            created_by = (
                await session.get(Member, person.created_by_id) if person.created_by_id else None
            )
            add_audit(
                session,
                at=self._clock.now(),
                action=AuditAction.PERSON_VIEWED,
                actor_id=viewer.id if viewer else None,
                subject=person_subject(person_id),
            )
            return PersonTimeline(person, build_timeline(entries, merges), referrals, created_by)

    async def edit(
        self, person_id: int, field: PersonField, value: object, *, by: Member
    ) -> Lookup:
        """Change one detail. Raises AliasError / ValueError / LegalNameWithoutConsent."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            found = await self._lookup(session, person_id)
            person = found.person
            if person is None:
                return found
            _apply(person, field, value, now=now)
            person.updated_at = now
            session.add(person)
            add_audit(
                session,
                at=now,
                action=AuditAction.PERSON_EDITED,
                actor_id=by.id,
                subject=person_subject(person_id),
                detail=field.value,
            )
            return Lookup(person)

    # ---- contacts --------------------------------------------------------------------
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
                found = await self._lookup(session, draft.person_id)
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
                    flags=join_slugs(new.flags, Flag),
                    first_seen=now,
                    last_seen=now,
                    created_by_id=worker.id,
                    created_at=now,
                    updated_at=now,
                )
                session.add(person)
                await session.flush()
            if person is not None:
                person.last_seen = max(person.last_seen, now)
                person.first_seen = min(person.first_seen, now)
                if draft.consent is not None and draft.consent != person.consent_share:
                    _apply(person, PersonField.CONSENT, draft.consent, now=now)
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
                needs=join_slugs(draft.needs, Need),
                actions=join_slugs(draft.actions, Action),
                notes=draft.notes,
                referral_id=draft.referral_id,
            )
            session.add(contact)
            await session.flush()
            closed = False
            if draft.referral_id is not None:
                closed = await self._close_referral(
                    session,
                    draft.referral_id,
                    by=worker,
                    outcome=ReferralOutcome.CONTACTED,
                    contact_id=contact.id,
                    notice=reporter_notice,
                    now=now,
                )
            return ContactSaved(contact, person, closed)

    # ---- merging and erasing ---------------------------------------------------------
    async def merge(self, keep_id: int, other_id: int, *, by: Member) -> MergeOutcome | Lookup:
        """Fold `other` into `keep`: contacts move, empty details fill in, both audited.

        Returns the Lookup of whichever record is gone (merged or erased meanwhile).
        """
        if keep_id == other_id:
            raise ValueError("a record cannot be merged into itself")
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            keep_found = await self._lookup(session, keep_id)
            other_found = await self._lookup(session, other_id)
            keep, other = keep_found.person, other_found.person
            if keep is None:
                return keep_found
            if other is None:
                return other_found
            moved = await session.exec(
                update(OutreachContact)
                .where(col(OutreachContact.person_id) == other_id)
                .values(person_id=keep_id)
            )
            await session.exec(
                update(PersonRecord)
                .where(col(PersonRecord.merged_into_id) == other_id)
                .values(merged_into_id=keep_id)
            )
            keep.appearance = keep.appearance or other.appearance
            keep.gender = keep.gender or other.gender
            keep.usual_sites = keep.usual_sites or other.usual_sites
            if keep.age_band is AgeBand.UNKNOWN:
                keep.age_band = other.age_band
            keep.flags = join_slugs(
                [*split_slugs(keep.flags, Flag), *split_slugs(other.flags, Flag)], Flag
            )
            if keep.consent_share is None and other.consent_share is not None:
                keep.consent_share, keep.consent_at = other.consent_share, other.consent_at
                keep.legal_name = other.legal_name if other.consent_share else None
            keep.first_seen = min(keep.first_seen, other.first_seen)
            keep.last_seen = max(keep.last_seen, other.last_seen)
            keep.updated_at = now
            # The merged record stays as a pointer (old buttons, the timeline's merge entry)
            # holding its alias only: everything else now lives on the kept record.
            other.merged_into_id, other.merged_at, other.updated_at = keep_id, now, now
            other.appearance = other.gender = other.usual_sites = other.legal_name = None
            other.flags, other.consent_share, other.consent_at = "", None, None
            session.add(keep)
            session.add(other)
            add_audit(
                session,
                at=now,
                action=AuditAction.PERSON_MERGED,
                actor_id=by.id,
                subject=person_subject(keep_id),
                detail=f"{person_subject(other_id)} merged in; {moved.rowcount} contacts moved",
            )
            return MergeOutcome(keep, int(moved.rowcount or 0))

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

    # ---- referrals -------------------------------------------------------------------
    async def add_sighting(self, sighting: SightingIn, *, reporter: Member) -> Referral:
        """ "Rough sleeper seen" from any member: queue a referral for outreach."""
        sighting = SightingIn.model_validate(sighting.model_dump())
        referral = Referral(
            created_at=self._clock.now(),
            seen_at=sighting.seen_at,
            reporter_id=reporter.id,
            hotspot_id=sighting.hotspot_id,
            place_text=sighting.place_text,
            lat=sighting.lat,
            lon=sighting.lon,
            appearance=sighting.appearance,
            status=ReferralStatus.OPEN,
        )
        async with self._sessions() as session, session.begin():
            session.add(referral)
        return referral

    async def referral(self, referral_id: int) -> ReferralView | None:
        async with self._sessions() as session:
            views = await self._referral_views(session, [referral_id])
            return views[0] if views else None

    async def open_referrals(self, *, limit: int = 10) -> tuple[list[ReferralView], int]:
        """The oldest open referrals first, and how many are open in all."""
        async with self._sessions() as session:
            open_ = col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES])
            total = int((await session.exec(select(func.count()).where(open_))).one())
            query = (
                select(Referral.id)
                .where(open_)
                .order_by(col(Referral.created_at), col(Referral.id))
                .limit(limit)
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            return await self._referral_views(session, ids), total

    async def stale_referrals(self, *, older_than: timedelta) -> list[ReferralView]:
        """Referrals open longer than `older_than` (TCAG_REFERRAL_STALE_HOURS), oldest first.

        For the briefing: it should show counts, ages and places only, never descriptions.
        """
        cutoff = self._clock.now() - older_than
        async with self._sessions() as session:
            query = (
                select(Referral.id)
                .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
                .where(col(Referral.created_at) <= cutoff)
                .order_by(col(Referral.created_at), col(Referral.id))
            )
            ids = [i for i in (await session.exec(query)).all() if i is not None]
            return await self._referral_views(session, ids)

    async def take(self, referral_id: int, *, by: Member) -> TakeOutcome | None:
        """Open → taken by this worker. None: no such referral."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Referral)
                .where(col(Referral.id) == referral_id)
                .where(col(Referral.status) == ReferralStatus.OPEN.value)
                .values(status=ReferralStatus.TAKEN, taken_by_id=by.id, taken_at=now)
            )
            won = result.rowcount == 1
        view = await self.referral(referral_id)
        return TakeOutcome(view, won) if view is not None else None

    async def not_found(self, referral_id: int, *, by: Member, reporter_notice: str | None) -> bool:
        """Close as "not found" and tell the reporter; False when it was closed already."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            return await self._close_referral(
                session,
                referral_id,
                by=by,
                outcome=ReferralOutcome.NOT_FOUND,
                contact_id=None,
                notice=reporter_notice,
                now=now,
            )

    async def _close_referral(
        self,
        session: AsyncSession,
        referral_id: int,
        *,
        by: Member,
        outcome: ReferralOutcome,
        contact_id: int | None,
        notice: str | None,
        now: datetime,
    ) -> bool:
        result = await session.exec(
            update(Referral)
            .where(col(Referral.id) == referral_id)
            .where(col(Referral.status).in_([s.value for s in OPEN_REFERRAL_STATUSES]))
            .values(
                status=ReferralStatus.CLOSED,
                closed_at=now,
                closed_by_id=by.id,
                outcome=outcome,
                contact_id=contact_id,
            )
        )
        if result.rowcount != 1:
            return False
        referral = await session.get(Referral, referral_id)
        reporter = (
            await session.get(Member, referral.reporter_id)
            if referral is not None and referral.reporter_id
            else None
        )
        _enqueue_notice(
            session, now=now, reporter=reporter, text=notice, key=f"referral:{referral_id}"
        )
        return True

    async def _referral_views(
        self, session: AsyncSession, ids: Sequence[int]
    ) -> list[ReferralView]:
        if not ids:
            return []
        rows = (await session.exec(select(Referral).where(col(Referral.id).in_(ids)))).all()
        by_id = {r.id: r for r in rows}
        referrals = [by_id[i] for i in ids if i in by_id]
        members = await _members(
            session,
            [m for r in referrals for m in (r.reporter_id, r.taken_by_id, r.closed_by_id)],
        )
        hotspots = await _hotspots(session, [r.hotspot_id for r in referrals])
        report_ids = [r.source_report_id for r in referrals if r.source_report_id is not None]
        descriptions: dict[int, str | None] = {}
        if report_ids:
            query = select(Report.id, Report.description).where(col(Report.id).in_(report_ids))
            descriptions = {i: d for i, d in (await session.exec(query)).all() if i is not None}
        return [
            ReferralView(
                r,
                hotspots.get(r.hotspot_id),
                members.get(r.reporter_id),
                members.get(r.taken_by_id),
                descriptions.get(r.source_report_id) if r.source_report_id else None,
                members.get(r.closed_by_id),
            )
            for r in referrals
        ]

    # ---- counts for coordinators -----------------------------------------------------
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


def _not_anonymised() -> ColumnElement[bool]:
    """Records anonymised by retention ("erased #12") stay for counts, out of searches."""
    return ~col(PersonRecord.alias).startswith(ANONYMISED_ALIAS_PREFIX)


def _aware(value: datetime) -> datetime:
    """Aggregates bypass the column type, so SQLite's naive UTC comes back bare."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _apply(person: PersonRecord, field: PersonField, value: object, *, now: datetime) -> None:
    """One validated change to a person; the storage layer is where the consent rule lives."""
    if field is PersonField.ALIAS:
        person.alias = clean_alias(str(value))
    elif field is PersonField.AGE_BAND:
        person.age_band = AgeBand(str(value))
    elif field is PersonField.FLAGS:
        flags = value if isinstance(value, list | tuple) else []
        person.flags = join_slugs((Flag(f) for f in flags), Flag)
    elif field is PersonField.CONSENT:
        if not isinstance(value, bool):
            raise ValueError("consent is yes or no")
        person.consent_share, person.consent_at = value, now
        if not value:
            person.legal_name = None  # consent withdrawn: the legal name goes with it
    elif field is PersonField.LEGAL_NAME:
        name = _strip(str(value)) if value is not None else None
        if name is not None and person.consent_share is not True:
            raise LegalNameWithoutConsent("record consent to share before a legal name")
        if name is not None and len(name) > MAX_LEGAL_NAME:
            raise ValueError("too long")
        person.legal_name = name
    else:
        text = _strip(str(value)) if value is not None else None
        if text is not None and len(text) > TEXT_LIMITS[field]:
            raise ValueError("too long")
        setattr(person, field.value, text)


async def _members(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Member]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(Member).where(col(Member.id).in_(wanted)))
    return {m.id: m for m in rows.all() if m.id is not None}


async def _hotspots(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Hotspot]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(Hotspot).where(col(Hotspot.id).in_(wanted)))
    return {h.id: h for h in rows.all() if h.id is not None}


__all__ = [
    "ROUGH_SLEEPING_SLUG",
    "AliasError",
    "ContactIn",
    "ContactSaved",
    "Erased",
    "Gone",
    "LegalNameWithoutConsent",
    "Lookup",
    "MergeOutcome",
    "Outreach",
    "OutreachCounts",
    "PersonField",
    "PersonIn",
    "PersonTimeline",
    "ReferralView",
    "SightingIn",
    "TakeOutcome",
    "add_referral_for_report",
    "anonymise_contacts",
    "facts",
]
