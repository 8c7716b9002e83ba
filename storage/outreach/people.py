"""Outreach person records: finding people, reading a record, edits and merges.

Person details are sensitive: every read of a record or a list of people writes an audit
row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.outreach import (
    MAX_LEGAL_NAME,
    Action,
    AgeBand,
    ContactEntry,
    Flag,
    MergeEntry,
    Need,
    Timeline,
    build_timeline,
    clean_alias,
    join_slugs,
    match_aliases,
    similar_aliases,
    split_slugs,
)
from bot.domain.rough_sleeping import (
    NEEDS_ANSWER_SLUGS,
    Seen,
    StreetStatus,
    still_recent,
    street_status,
)
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Member, OutreachContact, PersonRecord
from storage.outreach.flags import FlagSet, flags_set, move_flags, set_flags
from storage.outreach.inputs import TEXT_LIMITS, LegalNameWithoutConsent, PersonField, strip_text
from storage.outreach.moves import OutcomeEntry, latest_moves, move_outcomes, outcomes_of
from storage.outreach.records import hotspots_by_id, members_by_id, person_subject, place_label
from storage.outreach.referrals import ReferralView, referral_views

_UTC = ZoneInfo("UTC")


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
class PersonTimeline:
    person: PersonRecord
    timeline: Timeline
    referrals: list[ReferralView]
    created_by: Member | None
    flags: list[FlagSet] = field(default_factory=list)  # still set: safeguarding, risk first
    outcomes: list[OutcomeEntry] = field(default_factory=list)  # the latest move first

    def status(self, start: datetime, end: datetime, tz: ZoneInfo) -> StreetStatus | None:
        """Their rough sleeping status for [start, end) (bot.domain.rough_sleeping)."""
        seen = (Seen(c.at, c.bedded_down) for c in self.timeline.contacts)
        return street_status(seen, start, end, tz)


@dataclass(frozen=True)
class MergeOutcome:
    kept: PersonRecord
    moved_contacts: int


async def find_person(session: AsyncSession, person_id: int) -> Lookup:
    """Resolve a person id inside a caller's transaction."""
    person = await session.get(PersonRecord, person_id)
    if person is None:
        return Lookup(None, Gone.ERASED)
    if person.merged_into_id is not None:
        kept = await session.get(PersonRecord, person.merged_into_id)
        return Lookup(None, Gone.MERGED, kept)
    return Lookup(person)


def not_anonymised() -> ColumnElement[bool]:
    """Records anonymised by retention stay for counts, out of searches (the column, not
    the alias they show: any alias a worker types is a real person's)."""
    return col(PersonRecord.anonymised).is_(False)


def apply_change(person: PersonRecord, field: PersonField, value: object, *, now: datetime) -> None:
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
        name = strip_text(str(value)) if value is not None else None
        if name is not None and person.consent_share is not True:
            raise LegalNameWithoutConsent("record consent to share before a legal name")
        if name is not None and len(name) > MAX_LEGAL_NAME:
            raise ValueError("too long")
        person.legal_name = name
    else:
        text = strip_text(str(value)) if value is not None else None
        if text is not None and len(text) > TEXT_LIMITS[field]:
            raise ValueError("too long")
        setattr(person, field.value, text)


class People:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- finding people --------------------------------------------------------------
    async def _candidates(self, session: AsyncSession) -> list[tuple[int, str]]:
        query = select(PersonRecord.id, PersonRecord.alias).where(
            col(PersonRecord.merged_into_id).is_(None), not_anonymised()
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

    async def recent(
        self, *, viewer: Member | None, tz: ZoneInfo = _UTC, limit: int = 15
    ) -> list[PersonRecord]:
        """Recently seen people, the latest first; someone who moved into accommodation
        is left out unless seen again on a later day. Audited."""
        async with self._sessions() as session, session.begin():
            people: list[PersonRecord] = []
            offset, page = 0, limit * 4
            while len(people) < limit:
                query = (
                    select(PersonRecord)
                    .where(col(PersonRecord.merged_into_id).is_(None), not_anonymised())
                    .order_by(col(PersonRecord.last_seen).desc(), col(PersonRecord.id).desc())
                    .offset(offset)
                    .limit(page)
                )
                batch = list((await session.exec(query)).all())
                moved = await latest_moves(session, [p.id for p in batch if p.id is not None])
                people += [p for p in batch if still_recent(p.last_seen, moved.get(p.id or 0), tz)]
                if len(batch) < page:
                    break
                offset += page
            people = people[:limit]
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
            return await find_person(session, person_id)

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
            workers = await members_by_id(session, [c.worker_id for c in contacts])
            hotspots = await hotspots_by_id(session, [c.hotspot_id for c in contacts])
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
                    bedded_down=c.bedded_down,
                    local_connection=c.local_connection.value if c.local_connection else None,
                    connection_place=c.connection_place,
                    left_institution=tuple(s for s in c.left_institution.split("|") if s),
                    needs_answer=c.needs if c.needs in NEEDS_ANSWER_SLUGS else None,
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
            referrals = await referral_views(session, referral_ids)
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
            return PersonTimeline(
                person,
                build_timeline(entries, merges),
                referrals,
                created_by,
                flags=await flags_set(session, person_id),
                outcomes=await outcomes_of(session, person_id),
            )

    async def flags(self, person_id: int, *, viewer: Member | None) -> list[FlagSet]:
        """The flags still set on a person, safeguarding and risk to workers first: shown
        when a contact with them starts. Audited when there are any."""
        async with self._sessions() as session, session.begin():
            found = await flags_set(session, person_id)
            if found:
                add_audit(
                    session,
                    at=self._clock.now(),
                    action=AuditAction.PERSON_VIEWED,
                    actor_id=viewer.id if viewer else None,
                    subject=person_subject(person_id),
                    detail="flags, at the start of a contact",
                )
            return found

    async def edit(
        self, person_id: int, field: PersonField, value: object, *, by: Member
    ) -> Lookup:
        """Change one detail. Raises AliasError / ValueError / LegalNameWithoutConsent."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            found = await find_person(session, person_id)
            person = found.person
            if person is None:
                return found
            if field is PersonField.FLAGS:  # each flag keeps who set it and when
                flags = value if isinstance(value, list | tuple) else []
                await set_flags(session, person, [Flag(f) for f in flags], by_id=by.id, now=now)
            else:
                apply_change(person, field, value, now=now)
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

    # ---- merging -----------------------------------------------------------------------
    async def merge(self, keep_id: int, other_id: int, *, by: Member) -> MergeOutcome | Lookup:
        """Fold `other` into `keep`: contacts move, empty details fill in, both audited.

        Returns the Lookup of whichever record is gone (merged or erased meanwhile).
        """
        if keep_id == other_id:
            raise ValueError("a record cannot be merged into itself")
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            keep_found = await find_person(session, keep_id)
            other_found = await find_person(session, other_id)
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
            await move_flags(session, keep, other_id, now=now)
            await move_outcomes(session, keep_id, [other_id])
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
