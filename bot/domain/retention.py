"""Retention: how long each kind of personal data is kept, and what a purge counted. Pure.

One setting per kind of data (`TCAG_RETAIN_*_DAYS`; 0 keeps it for ever). Past its period
a row's free text, photos and precise places are cleared (person records are anonymised
in place) or, for sent outbox rows, audit rows and abandoned drafts, the row is deleted.
Rows that digests, stats and quarterly reports count are never deleted, so an old
period's figures stay the same after a purge.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

MAX_RETENTION_DAYS = 36_500  # a hundred years: "for ever" is 0 (bot.config checks it too)
ANONYMISED_ALIAS_PREFIX = "erased #"  # what an anonymised record shows as its alias: "erased #12"


class DataKind(StrEnum):
    """What one purge counts, in the order a purge goes through them."""

    REPORTS = "reports"  # a report's description, outcome, typed place and shared point
    REPORT_NOTES = "report_notes"  # updates added to a report (/update R-42 …)
    ATTACHMENTS = "attachments"  # Telegram file ids of a report's photos and voice notes
    CONTACTS = "contacts"  # an outreach contact's notes, typed place and point
    REFERRALS = "referrals"  # a referral's description of the person, typed place and point
    CONCERNS = "concerns"  # a safeguarding concern's description, typed place, point, note
    PEOPLE = "people"  # person records not seen for the period: anonymised in place
    BRIEFING_NOTES = "briefing_notes"  # coordinators' notes (/brief add …)
    DUTY_LOCATIONS = "duty_locations"  # the point a member shared when going on duty
    SAFETY_LOCATIONS = "safety_locations"  # a staff-safety alert's copy of that point
    DRAFTS = "drafts"  # half-written flows kept for restarts (bot_state rows): deleted
    OUTBOX = "outbox"  # sent (or undeliverable) outbox rows, which hold rendered text: deleted
    AUDIT = "audit"  # audit log rows: deleted


KIND_LABELS: Mapping[DataKind, str] = {
    DataKind.REPORTS: "report texts and places",
    DataKind.REPORT_NOTES: "report updates",
    DataKind.ATTACHMENTS: "report photos and voice notes",
    DataKind.CONTACTS: "outreach contact notes and places",
    DataKind.REFERRALS: "referral descriptions and places",
    DataKind.CONCERNS: "safeguarding concern texts and places",
    DataKind.PEOPLE: "person records (anonymised)",
    DataKind.BRIEFING_NOTES: "briefing notes",
    DataKind.DUTY_LOCATIONS: "duty locations",
    DataKind.SAFETY_LOCATIONS: "staff-safety alert locations",
    DataKind.DRAFTS: "abandoned drafts (deleted)",
    DataKind.OUTBOX: "sent outbox messages (deleted)",
    DataKind.AUDIT: "audit log entries (deleted)",
}


class RetentionSettings(Protocol):
    """The settings a policy is read from (bot.config.Settings has them)."""

    @property
    def retain_report_text_days(self) -> int: ...
    @property
    def retain_contact_notes_days(self) -> int: ...
    @property
    def retain_person_days(self) -> int: ...
    @property
    def retain_briefing_notes_days(self) -> int: ...
    @property
    def retain_duty_locations_days(self) -> int: ...
    @property
    def retain_drafts_days(self) -> int: ...
    @property
    def retain_outbox_days(self) -> int: ...
    @property
    def retain_audit_days(self) -> int: ...


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each kind is kept (0: for ever). The defaults are .env.example's, with reasons."""

    report_text_days: int = 365
    contact_notes_days: int = 365
    person_days: int = 730
    briefing_notes_days: int = 90
    duty_locations_days: int = 31
    drafts_days: int = 7
    outbox_days: int = 30
    audit_days: int = 2190

    def __post_init__(self) -> None:
        for name, days in self.__dict__.items():
            if not 0 <= days <= MAX_RETENTION_DAYS:
                raise ValueError(f"{name} must be 0 (for ever) to {MAX_RETENTION_DAYS}")

    @classmethod
    def from_settings(cls, settings: RetentionSettings) -> RetentionPolicy:
        return cls(
            report_text_days=settings.retain_report_text_days,
            contact_notes_days=settings.retain_contact_notes_days,
            person_days=settings.retain_person_days,
            briefing_notes_days=settings.retain_briefing_notes_days,
            duty_locations_days=settings.retain_duty_locations_days,
            drafts_days=settings.retain_drafts_days,
            outbox_days=settings.retain_outbox_days,
            audit_days=settings.retain_audit_days,
        )

    def days(self, kind: DataKind) -> int:
        """The period that applies to one kind (several kinds share one setting)."""
        match kind:
            case (
                DataKind.REPORTS | DataKind.REPORT_NOTES | DataKind.ATTACHMENTS | DataKind.CONCERNS
            ):
                return self.report_text_days
            case DataKind.CONTACTS | DataKind.REFERRALS:
                return self.contact_notes_days
            case DataKind.PEOPLE:
                return self.person_days
            case DataKind.BRIEFING_NOTES:
                return self.briefing_notes_days
            case DataKind.DUTY_LOCATIONS | DataKind.SAFETY_LOCATIONS:
                return self.duty_locations_days
            case DataKind.DRAFTS:
                return self.drafts_days
            case DataKind.OUTBOX:
                return self.outbox_days
            case DataKind.AUDIT:
                return self.audit_days

    def cutoff(self, kind: DataKind, now: datetime) -> datetime | None:
        """Rows of this kind from before this instant are past their period; None: kept."""
        if now.tzinfo is None:
            raise ValueError("naive datetime")
        days = self.days(kind)
        return now - timedelta(days=days) if days else None


@dataclass(frozen=True)
class PurgeCounts:
    """How many rows of each kind a purge changed (or, planned, would change)."""

    counts: Mapping[DataKind, int] = field(default_factory=dict)
    # Telegram user ids whose stored drafts were deleted: the running bot forgets its
    # in-memory copy too, so a later write cannot bring them back. Not a count.
    draft_user_ids: tuple[int, ...] = field(default=(), compare=False)

    def __getitem__(self, kind: DataKind) -> int:
        return self.counts.get(kind, 0)

    def __iter__(self) -> Iterator[tuple[DataKind, int]]:
        """Every kind, in purge order, with its count (zeros included)."""
        return ((kind, self[kind]) for kind in DataKind)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PurgeCounts):
            return NotImplemented
        return list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        """ "reports 3, people 1" (non-zero kinds only; "nothing" when all are zero): ids and
        counts only, for the log and the audit row."""
        parts = [f"{kind.value} {count}" for kind, count in self if count]
        return ", ".join(parts) if parts else "nothing"


def purge_table(counts: PurgeCounts, policy: RetentionPolicy, *, dry_run: bool) -> str:
    """The `tcag purge` table: each kind, its period and its count."""
    heading = "would go" if dry_run else "purged"
    width = max(len(label) for label in KIND_LABELS.values())
    lines = [f"{'kind':<{width}}  {'kept for':>9}  {heading:>8}"]
    for kind, count in counts:
        days = policy.days(kind)
        period = f"{days} d" if days else "ever"
        lines.append(f"{KIND_LABELS[kind]:<{width}}  {period:>9}  {count:>8}")
    lines.append(f"{'total':<{width}}  {'':>9}  {counts.total:>8}")
    return "\n".join(lines) + "\n"


__all__ = [
    "ANONYMISED_ALIAS_PREFIX",
    "KIND_LABELS",
    "DataKind",
    "PurgeCounts",
    "RetentionPolicy",
    "RetentionSettings",
    "purge_table",
]
