"""Retention: clear or delete what is past its period (bot.retention), keeping the counts.

Free text, photos' file ids and precise points are set to NULL and person records are
anonymised in place (marked `anonymised`, shown as "erased #12", details NULL), so every
row a digest, the stats or a quarterly report counts stays with the columns it is counted
by (times, categories, hotspots, needs, actions, the link from a contact to its person).
Rows that nothing counts are deleted: sent outbox rows, audit rows and abandoned drafts.

Work goes in batches of `batch_size` rows, each batch its own short transaction, so a first
purge of years of data never holds long locks against the running bot; a purge cut short
is simply finished by the next one (every step is idempotent). This is the only code that
deletes audit rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    String,
    cast,
    delete,
    func,
    literal,
    or_,
    tuple_,
    update,
)
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.retention import ANONYMISED_ALIAS_PREFIX, DataKind, PurgeCounts, RetentionPolicy
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import (
    AuditEntry,
    BotState,
    BriefingNote,
    DutySession,
    OutboxMessage,
    OutreachContact,
    PersonRecord,
    Referral,
    Report,
    ReportAttachment,
    ReportNote,
)
from storage.outreach.erasure import anonymise_contacts
from storage.outreach.flags import delete_flags
from storage.safeguarding.models import Concern
from storage.safety.models import SafetyAlert

BATCH_SIZE = 1000
USER_DATA = "user_data"  # storage.state.persistence's kind of bot_state row holding drafts


def _any_set(*columns: object) -> ColumnElement[bool]:
    return or_(*(col(c).is_not(None) for c in columns))  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Clearing:
    """A kind purged by setting columns to NULL (or deleting rows) where `due(cutoff)`."""

    model: type[SQLModel]
    due: Callable[[datetime], ColumnElement[bool]]
    cleared: dict[str, object] | None = None  # these columns are set (to NULL), or
    remove: Delete | None = None  # the rows are deleted

    @property
    def id_column(self) -> ColumnElement[int]:
        return col(self.model.id)  # type: ignore[attr-defined]


_NULL_PLACE = {"place_text": None, "lat": None, "lon": None}
_CLEARINGS: dict[DataKind, _Clearing] = {
    DataKind.REPORTS: _Clearing(
        Report,
        lambda cutoff: (
            (col(Report.created_at) < cutoff)
            & _any_set(
                Report.description, Report.outcome, Report.place_text, Report.lat, Report.lon
            )
        ),
        {"description": None, "outcome": None, **_NULL_PLACE},
    ),
    DataKind.REPORT_NOTES: _Clearing(
        ReportNote,
        lambda cutoff: (col(ReportNote.created_at) < cutoff) & _any_set(ReportNote.text),
        {"text": None},
    ),
    DataKind.ATTACHMENTS: _Clearing(
        ReportAttachment,
        lambda cutoff: (
            (col(ReportAttachment.added_at) < cutoff) & _any_set(ReportAttachment.file_id)
        ),
        {"file_id": None},
    ),
    DataKind.CONTACTS: _Clearing(
        OutreachContact,
        lambda cutoff: (
            (col(OutreachContact.at) < cutoff)
            & _any_set(
                OutreachContact.notes,
                OutreachContact.place_text,
                OutreachContact.lat,
                OutreachContact.lon,
                OutreachContact.connection_place,
            )
        ),
        {"notes": None, "connection_place": None, **_NULL_PLACE},
    ),
    DataKind.REFERRALS: _Clearing(
        Referral,
        lambda cutoff: (
            (col(Referral.created_at) < cutoff)
            & _any_set(
                Referral.appearance,
                Referral.place_text,
                Referral.lat,
                Referral.lon,
                Referral.where_looked,
            )
        ),
        {"appearance": None, "where_looked": None, **_NULL_PLACE},
    ),
    DataKind.CONCERNS: _Clearing(
        Concern,
        lambda cutoff: (
            (col(Concern.raised_at) < cutoff)
            & _any_set(
                Concern.details, Concern.action_note, Concern.place_text, Concern.lat, Concern.lon
            )
        ),
        {"details": None, "action_note": None, **_NULL_PLACE},
    ),
    DataKind.BRIEFING_NOTES: _Clearing(
        BriefingNote,
        lambda cutoff: (col(BriefingNote.created_at) < cutoff) & _any_set(BriefingNote.text),
        {"text": None},
    ),
    DataKind.DUTY_LOCATIONS: _Clearing(
        DutySession,
        # A duty still open keeps its point until it ends, however long ago it started.
        lambda cutoff: (
            (col(DutySession.started_at) < cutoff)
            & col(DutySession.ended_at).is_not(None)
            & _any_set(DutySession.lat, DutySession.lon)
        ),
        {"lat": None, "lon": None},
    ),
    DataKind.SAFETY_LOCATIONS: _Clearing(
        SafetyAlert,
        lambda cutoff: (
            (col(SafetyAlert.raised_at) < cutoff) & _any_set(SafetyAlert.lat, SafetyAlert.lon)
        ),
        {"lat": None, "lon": None, "located_at": None},
    ),
    DataKind.OUTBOX: _Clearing(
        OutboxMessage,
        # Finished rows only: a pending message is never purged, however old.
        lambda cutoff: (
            (col(OutboxMessage.created_at) < cutoff)
            & col(OutboxMessage.status).in_(
                [OutboxStatus.SENT.value, OutboxStatus.UNDELIVERABLE.value]
            )
        ),
        remove=delete(OutboxMessage),
    ),
    # The one place audit rows are deleted (tests/handlers/admin/test_audit_view.py checks it
    # stays so).
    DataKind.AUDIT: _Clearing(
        AuditEntry, lambda cutoff: col(AuditEntry.at) < cutoff, remove=delete(AuditEntry)
    ),
}


def _person_due(cutoff: datetime) -> ColumnElement[bool]:
    """Records (not merged away) last seen before the cutoff and not anonymised yet.

    A record merged into another goes with the one it was merged into: that is when the
    person was last seen.
    """
    return (
        col(PersonRecord.merged_into_id).is_(None)
        & (col(PersonRecord.last_seen) < cutoff)
        & col(PersonRecord.anonymised).is_(False)
    )


def _draft_due(cutoff: datetime) -> ColumnElement[bool]:
    return col(BotState.updated_at) < cutoff


class Retention:
    def __init__(self, sessions: SessionFactory, *, batch_size: int = BATCH_SIZE) -> None:
        self._sessions = sessions
        self.batch_size = batch_size

    async def plan(self, now: datetime, policy: RetentionPolicy) -> PurgeCounts:
        """What `purge(now, policy)` would change, per kind; changes nothing (`--dry-run`)."""
        counts: dict[DataKind, int] = {}
        async with self._sessions() as session:
            for kind in DataKind:
                cutoff = policy.cutoff(kind, now)
                if cutoff is None:
                    continue
                if kind is DataKind.PEOPLE:
                    query = (
                        select(func.count()).select_from(PersonRecord).where(_person_due(cutoff))
                    )
                elif kind is DataKind.DRAFTS:
                    query = select(func.count()).select_from(BotState).where(_draft_due(cutoff))
                else:
                    clearing = _CLEARINGS[kind]
                    query = (
                        select(func.count()).select_from(clearing.model).where(clearing.due(cutoff))
                    )
                counts[kind] = int((await session.exec(query)).one())
        return PurgeCounts(counts)

    async def purge(
        self, now: datetime, policy: RetentionPolicy, *, via: str = "daily job"
    ) -> PurgeCounts:
        """Clear or delete everything past its period, kind by kind; audited when any went."""
        counts: dict[DataKind, int] = {}
        draft_users: list[int] = []
        for kind in DataKind:
            cutoff = policy.cutoff(kind, now)
            if cutoff is None:
                continue
            if kind is DataKind.PEOPLE:
                counts[kind] = await self._batches(self._people_batch, cutoff, now)
            elif kind is DataKind.DRAFTS:
                counts[kind] = await self._batches(self._drafts_batch, cutoff, draft_users)
            else:
                counts[kind] = await self._batches(self._batch, _CLEARINGS[kind], cutoff)
        result = PurgeCounts(counts, draft_user_ids=tuple(sorted(set(draft_users))))
        if result.total:
            async with self._sessions() as session, session.begin():
                add_audit(
                    session,
                    at=now,
                    action=AuditAction.RETENTION_PURGED,
                    actor_id=None,
                    detail=f"via {via}; {result.summary()}",
                )
        return result

    async def _batches(self, step: Callable[..., Awaitable[tuple[int, int]]], *args: Any) -> int:
        """Run `step(*args)` (one batch, one transaction: rows found, rows changed) until a
        batch finds less than a full one; the rows changed, added up."""
        total = 0
        while True:
            found, changed = await step(*args)
            total += changed
            if found < self.batch_size:
                return total

    async def _batch(self, clearing: _Clearing, cutoff: datetime) -> tuple[int, int]:
        # Oldest ids first: for tables without an index on the age column this stops early.
        due = clearing.due(cutoff)
        async with self._sessions() as session, session.begin():
            ids = await self._ids(session, clearing.id_column, due)
            if not ids:
                return 0, 0
            which = clearing.id_column.in_(ids) & due  # due again: a row changed meanwhile
            if clearing.remove is not None:
                statement = clearing.remove.where(which)
            else:
                statement = update(clearing.model).where(which).values(**clearing.cleared or {})
            result = await session.exec(statement)  # type: ignore[call-overload]
            return len(ids), int(result.rowcount or 0)

    async def _ids(
        self, session: AsyncSession, id_column: ColumnElement[int], due: ColumnElement[bool]
    ) -> list[int]:
        query = select(id_column).where(due).order_by(id_column).limit(self.batch_size)
        return [i for i in (await session.exec(query)).all() if i is not None]

    async def _people_batch(self, cutoff: datetime, now: datetime) -> tuple[int, int]:
        """Anonymise a batch of people: their details, and the free text about them.

        The record stays (first and last seen, age band, its contacts) so counts of new
        people, people seen and returners do not change. Records merged into it lose their
        alias too; their contacts' notes, the referrals those answered and the rough
        sleeping reports behind them are cleared as an erasure would (Outreach.erase).
        """
        due = _person_due(cutoff)
        async with self._sessions() as session, session.begin():
            ids = await self._ids(session, col(PersonRecord.id), due)
            if not ids:
                return 0, 0
            merged = (
                await session.exec(
                    select(PersonRecord.id).where(col(PersonRecord.merged_into_id).in_(ids))
                )
            ).all()
            records = [*ids, *(i for i in merged if i is not None)]
            contact_ids = [
                i
                for i in (
                    await session.exec(
                        select(OutreachContact.id).where(
                            col(OutreachContact.person_id).in_(records)
                        )
                    )
                ).all()
                if i is not None
            ]
            for chunk in _chunks(contact_ids, self.batch_size):
                await anonymise_contacts(session, chunk, detach=False)
            await delete_flags(session, records)  # who set which flag goes with the details
            anonymised = {
                "anonymised": True,
                "alias": literal(ANONYMISED_ALIAS_PREFIX, String)
                + cast(col(PersonRecord.id), String),
                "appearance": None,
                "gender": None,
                "usual_sites": None,
                "flags": "",
                "consent_share": None,
                "consent_at": None,
                "legal_name": None,
                "updated_at": now,
            }
            result = await session.exec(
                update(PersonRecord)  # type: ignore[call-overload]
                .where(col(PersonRecord.id).in_(ids) & due)
                .values(**anonymised)
            )
            if len(records) > len(ids):
                await session.exec(
                    update(PersonRecord)  # type: ignore[call-overload]
                    .where(col(PersonRecord.id).in_(records[len(ids) :]))
                    .values(**anonymised)
                )
            return len(ids), int(result.rowcount or 0)

    async def _drafts_batch(self, cutoff: datetime, draft_users: list[int]) -> tuple[int, int]:
        due = _draft_due(cutoff)
        async with self._sessions() as session, session.begin():
            query = (
                select(BotState.kind, BotState.key)
                .where(due)
                .order_by(col(BotState.kind), col(BotState.key))
                .limit(self.batch_size)
            )
            keys = [(kind, key) for kind, key in (await session.exec(query)).all()]
            if not keys:
                return 0, 0
            result = await session.exec(
                delete(BotState).where(  # type: ignore[call-overload]
                    tuple_(col(BotState.kind), col(BotState.key)).in_(keys) & due
                )
            )
        draft_users.extend(int(key) for kind, key in keys if kind == USER_DATA and key.isdigit())
        return len(keys), int(result.rowcount or 0)


def _chunks(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


__all__ = ["BATCH_SIZE", "Retention"]
