"""Erasing a person: their records go, their contacts stay as anonymous counts.

What goes with the record (and every record merged into it): their flags; the free text
of their contacts (notes, places, where their local connection is), of the referrals
those contacts answered and of the rough sleeping reports behind those (description,
outcome, typed place and point, every update), the reports' photos and voice notes
(Telegram file ids), the text of every outbox message about those reports and referrals
(alerts, the close notice, the referral's outcome), and every half-written draft that
names the person (bot_state). What stays: rows without text (times, categories,
hotspots, needs, actions, bedded down or not, moves into accommodation), so counts do
not change.

Retention's purge shares `anonymise_contacts` with erasure on request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.alerts.outbox_types import (
    ALERT_EDIT,
    ALERT_PURPOSES,
    OutboxStatus,
    closed_notice_key,
    referral_notice_key,
)
from bot.domain.clock import Clock
from bot.domain.erasure import Named, scrub_drafts
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import (
    BotState,
    Member,
    OutboxMessage,
    OutreachContact,
    PersonRecord,
    Referral,
    Report,
    ReportAttachment,
    ReportNote,
)
from storage.outreach.flags import delete_flags
from storage.outreach.moves import detach_outcomes
from storage.outreach.records import person_subject
from storage.safeguarding.models import Concern

USER_DATA = "user_data"  # storage.state.persistence's kind of bot_state row holding drafts


@dataclass(frozen=True)
class Erased:
    person_id: int
    records: int  # the person's record and records merged into it
    contacts_anonymised: int
    reports_cleared: int = 0  # rough sleeping reports behind the referrals they answered
    photos_dropped: int = 0  # file ids dropped; copies delivered to chats stay there
    drafts_cleared: int = 0  # members' drafts that named them
    # Who they were, for clearing the drafts a running bot holds in memory (the stored
    # copies are cleared here): handlers apply bot.domain.erasure.scrub_drafts with it.
    named: Named = field(default_factory=lambda: Named(frozenset(), frozenset()))


@dataclass(frozen=True)
class _Cleared:
    reports: int = 0
    photos: int = 0


async def anonymise_contacts(
    session: AsyncSession, contact_ids: Sequence[int], *, detach: bool
) -> _Cleared:
    """Clear the free text about a person: these contacts' notes and places, the referrals
    they answered (description, place) and the rough sleeping reports behind those (text,
    outcome, place, updates, photos), and the outbox messages about them.

    `detach` also unlinks the contacts from their person (erasure deletes the record);
    retention keeps the link to the anonymised record, so counts of people stay right.
    """
    if not contact_ids:
        return _Cleared()
    referral_query = select(Referral.id, Referral.source_report_id).where(
        col(Referral.contact_id).in_(contact_ids)
        | col(Referral.id).in_(
            select(OutreachContact.referral_id).where(col(OutreachContact.id).in_(contact_ids))
        )
    )
    referrals = (await session.exec(referral_query)).all()
    referral_ids = [r for r, _ in referrals if r is not None]
    report_ids = sorted({s for _, s in referrals if s is not None})
    if referral_ids:
        await session.exec(
            update(Referral)
            .where(col(Referral.id).in_(referral_ids))
            .values(appearance=None, place_text=None, lat=None, lon=None, where_looked=None)
        )
    cleared = await _clear_reports(session, report_ids)
    await _clear_outbox(session, report_ids, referral_ids)
    # A safeguarding concern raised from these contacts keeps its kind and the lead's
    # action, not the place it copied from them.
    await session.exec(
        update(Concern)
        .where(col(Concern.contact_id).in_(contact_ids))
        .values(place_text=None, lat=None, lon=None, details=None)
    )
    values: dict[str, object] = {
        "notes": None,
        "place_text": None,
        "lat": None,
        "lon": None,
        "connection_place": None,
    }
    if detach:
        values["person_id"] = None
    await session.exec(
        update(OutreachContact).where(col(OutreachContact.id).in_(contact_ids)).values(**values)
    )
    return cleared


async def _clear_reports(session: AsyncSession, report_ids: Sequence[int]) -> _Cleared:
    """A report's every text: description, outcome, place, updates; its photos' file ids."""
    if not report_ids:
        return _Cleared()
    await session.exec(
        update(Report)
        .where(col(Report.id).in_(report_ids))
        .values(description=None, outcome=None, place_text=None, lat=None, lon=None)
    )
    await session.exec(
        update(ReportNote).where(col(ReportNote.report_id).in_(report_ids)).values(text=None)
    )
    photos = await session.exec(
        update(ReportAttachment)
        .where(col(ReportAttachment.report_id).in_(report_ids))
        .where(col(ReportAttachment.file_id).is_not(None))
        .values(file_id=None)
    )
    return _Cleared(reports=len(report_ids), photos=int(photos.rowcount or 0))


async def _clear_outbox(
    session: AsyncSession, report_ids: Sequence[int], referral_ids: Sequence[int]
) -> None:
    """Messages about these reports and referrals keep no text. Alerts are rendered from the
    (now cleared) report when sent; a notice still waiting is not sent at all."""
    keys = [closed_notice_key(r) for r in report_ids]
    keys += [referral_notice_key(r) for r in referral_ids]
    if not keys:
        return
    about = col(OutboxMessage.dedupe_key).in_(keys)
    if referral_ids:  # a reopened referral's later notices, and its copies
        about = about | col(OutboxMessage.referral_id).in_(referral_ids)
    if report_ids:
        about = about | col(OutboxMessage.report_id).in_(report_ids)
    await session.exec(
        delete(OutboxMessage)
        .where(about)
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING.value)
        .where(col(OutboxMessage.purpose).not_in([*ALERT_PURPOSES, ALERT_EDIT]))
    )
    await session.exec(
        update(OutboxMessage).where(about).values(text=None, attachment_ref=None, reply_markup=None)
    )


async def _clear_drafts(session: AsyncSession, named: Named) -> int:
    """Remove the drafts that name the person from every member's stored user data."""
    rows = (await session.exec(select(BotState).where(BotState.kind == USER_DATA))).all()
    cleared = 0
    for row in rows:
        try:
            data = json.loads(row.data)
        except ValueError:
            continue
        if not isinstance(data, dict) or not scrub_drafts(data, named):
            continue
        cleared += 1
        if data:
            row.data = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            session.add(row)
        else:
            await session.delete(row)
    return cleared


class Erasure:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def erase(self, person_id: int, *, by: Member | None, via: str) -> Erased | None:
        """Delete a person (and records merged into them) and every text about them.

        Contacts stay, anonymous, with their needs and actions, so counts stay right (see
        the module's docstring for all that goes). None when there is no such record (or
        it was merged: erase the record it was merged into).
        """
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            person = await session.get(PersonRecord, person_id)
            if person is None or person.merged_into_id is not None:
                return None
            merged = (
                await session.exec(
                    select(PersonRecord).where(PersonRecord.merged_into_id == person_id)
                )
            ).all()
            records = [person, *merged]
            ids = [r.id for r in records if r.id is not None]
            named = Named.of(ids, [n for r in records for n in (r.alias, r.legal_name)])
            contact_ids = [
                i
                for i in (
                    await session.exec(
                        select(OutreachContact.id).where(col(OutreachContact.person_id).in_(ids))
                    )
                ).all()
                if i is not None
            ]
            cleared = await anonymise_contacts(session, contact_ids, detach=True)
            drafts = await _clear_drafts(session, named)
            await delete_flags(session, ids)
            await detach_outcomes(session, ids)  # moves stay as anonymous counts
            await session.exec(
                delete(PersonRecord).where(col(PersonRecord.merged_into_id) == person_id)
            )
            await session.exec(delete(PersonRecord).where(col(PersonRecord.id) == person_id))
            photos = (
                f"; {cleared.photos} photo ids dropped (copies already delivered to chats "
                "cannot be recalled)"
                if cleared.photos
                else ""
            )
            add_audit(
                session,
                at=now,
                action=AuditAction.PERSON_ERASED,
                actor_id=by.id if by else None,
                subject=person_subject(person_id),
                detail=(
                    f"via {via}; {len(ids)} records, {len(contact_ids)} contacts anonymised, "
                    f"{cleared.reports} reports and {drafts} drafts cleared{photos}"
                ),
            )
            return Erased(
                person_id,
                len(ids),
                len(contact_ids),
                reports_cleared=cleared.reports,
                photos_dropped=cleared.photos,
                drafts_cleared=drafts,
                named=named,
            )
