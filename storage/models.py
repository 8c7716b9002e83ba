"""Tables. Every datetime is aware UTC (see storage.types.UTCDateTime)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from bot.domain.access.roles import Role, Status
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.outreach import AgeBand, ReferralOutcome, ReferralStatus, SleepingSite
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.domain.reports.incidents import PEOPLE_COUNTS, AckKind, ReportSource, ReportStatus
from bot.domain.rough_sleeping import LocalConnection, MoveOutcome
from storage.types import EnumString, UTCDateTime

# Stable constraint names, so migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def member_fk(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=nullable)


def fk(target: str, *, nullable: bool, ondelete: str = "RESTRICT") -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable)


class Member(SQLModel, table=True):
    __tablename__ = "members"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True)
    name: str = Field(max_length=128)
    username: str | None = Field(default=None, max_length=64)
    role: Role = Field(sa_type=EnumString(Role), nullable=False)
    is_admin: bool = Field(default=False)
    # Gets every safeguarding concern privately (set by an admin: roles.LEAD_ROLES only).
    safeguarding_lead: bool = Field(default=False)
    status: Status = Field(sa_type=EnumString(Status), nullable=False, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE


class Invite(SQLModel, table=True):
    """A one-time joining link. Only a hash of the code is kept: it is a credential."""

    __tablename__ = "invites"
    __table_args__ = (Index("ix_invites_created_by_id_used_at", "created_by_id", "used_at"),)

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    role: Role = Field(sa_type=EnumString(Role), nullable=False)
    created_by_id: int | None = Field(default=None, sa_column=member_fk())
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_id: int | None = Field(default=None, sa_column=member_fk())
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # /invites


class AuditEntry(SQLModel, table=True):
    """Append-only: who did what to whom, and when. Never updated."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_id_at", "actor_id", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    actor_id: int | None = Field(default=None, sa_column=member_fk())
    action: str = Field(max_length=48)
    subject_member_id: int | None = Field(default=None, sa_column=member_fk())
    subject: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, max_length=200)


class Category(SQLModel, table=True):
    """What a report is about. Retired categories stay on old reports."""

    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=60)
    keywords: str = Field(default="", sa_type=Text)  # "|"-separated, for quick reports
    urgent: bool = Field(default=False)  # urgent by default
    # Sensitive: alerts to the group and to members on duty never carry the description,
    # and CSV exports leave it out (bot.domain.reports.incidents.SENSITIVE_BY_DEFAULT).
    sensitive: bool = Field(default=False)
    sort_order: int = Field(default=0)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def keyword_list(self) -> tuple[str, ...]:
        return tuple(k for k in self.keywords.split("|") if k)


class Hotspot(SQLModel, table=True):
    """A named place with aliases, a point and a radius."""

    __tablename__ = "hotspots"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    lat: float
    lon: float
    radius_m: float = Field(default=100.0)
    aliases: str = Field(default="", sa_type=Text)  # "|"-separated
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(a for a in self.aliases.split("|") if a)


class Report(SQLModel, table=True):
    """An incident or sighting. The reference R-0042 is the id."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_created_at", "created_at"),
        Index("ix_reports_reporter_id_created_at", "reporter_id", "created_at"),
        Index("ix_reports_status_urgent_created_at", "status", "urgent", "created_at"),
        Index("ix_reports_hotspot_id_created_at", "hotspot_id", "created_at"),
        Index("ix_reports_category_id_created_at", "category_id", "created_at"),
        Index("ix_reports_closed_at", "closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(sa_column=fk("members.id", nullable=False))
    category_id: int = Field(sa_column=fk("categories.id", nullable=False))
    hotspot_id: int | None = Field(default=None, sa_column=fk("hotspots.id", nullable=True))
    place_text: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    outside_area: bool = Field(default=False)
    description: str | None = Field(default=None, sa_type=Text)
    people_count: str | None = Field(default=None, max_length=8)
    urgent: bool = Field(default=False)
    # A person under 18 involved: a safeguarding concern; alerts never carry the description.
    under_18: bool = Field(default=False)
    source: ReportSource = Field(sa_type=EnumString(ReportSource), nullable=False)
    status: ReportStatus = Field(sa_type=EnumString(ReportStatus), nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_id: int | None = Field(default=None, sa_column=member_fk())
    ack_kind: AckKind | None = Field(default=None, sa_type=EnumString(AckKind))
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, sa_column=member_fk())
    outcome: str | None = Field(default=None, sa_type=Text)
    outcome_code: CloseOutcome | None = Field(default=None, sa_type=EnumString(CloseOutcome))


class ReportAttachment(SQLModel, table=True):
    """A photo or voice note on a report: Telegram's file id, never the file itself."""

    __tablename__ = "report_attachments"
    __table_args__ = (Index("ix_report_attachments_report_id", "report_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=fk("reports.id", nullable=False, ondelete="CASCADE"))
    kind: str = Field(max_length=16)  # photo, voice
    file_id: str | None = Field(default=None, max_length=255)  # None once purged
    added_by_id: int | None = Field(default=None, sa_column=member_fk())
    added_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ReportNote(SQLModel, table=True):
    """An update the reporter added after the fact (/update R-42 …)."""

    __tablename__ = "report_notes"
    __table_args__ = (Index("ix_report_notes_report_id", "report_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=fk("reports.id", nullable=False, ondelete="CASCADE"))
    author_id: int | None = Field(default=None, sa_column=member_fk())
    text: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class OutboxMessage(SQLModel, table=True):
    """Everything the bot sends on its own: written with the event, sent and marked later."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_priority_next_attempt_at", "status", "priority", "next_attempt_at"),
        Index("ix_outbox_report_id", "report_id"),
        Index("ix_outbox_referral_id", "referral_id"),
        Index("ix_outbox_safety_alert_id", "safety_alert_id"),
        Index("ix_outbox_concern_id", "concern_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    chat_id: int = Field(sa_type=BigInteger)
    purpose: str = Field(max_length=24)  # alert, escalation, ack_edit, notice, briefing, ...
    priority: int = Field(default=5)  # 0 is most urgent
    report_id: int | None = Field(
        default=None, sa_column=fk("reports.id", nullable=True, ondelete="SET NULL")
    )
    text: str | None = Field(default=None, sa_type=Text)
    reply_markup: str | None = Field(default=None, sa_type=Text)  # JSON
    attachment_kind: str | None = Field(default=None, max_length=16)  # photo, document
    attachment_ref: str | None = Field(default=None, sa_type=Text)  # file path or file id
    edit_message_id: int | None = Field(default=None, sa_type=BigInteger)  # for edits
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    status: OutboxStatus = Field(sa_type=EnumString(OutboxStatus), nullable=False)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    last_error: str | None = Field(default=None, max_length=200)
    # Alert copies: 0 for the alert, n for escalation step n (its edits carry it too, so an
    # edited escalation keeps its heading).
    alert_step: int | None = Field(default=None)
    # A referral's copy pushed to an outreach worker, and its edits (rendered when sent).
    referral_id: int | None = Field(
        default=None, sa_column=fk("referrals.id", nullable=True, ondelete="SET NULL")
    )
    # A staff-safety alert's copies, pins and edits (storage.safety.models.SafetyAlert).
    safety_alert_id: int | None = Field(default=None)
    # A safeguarding concern's copy (or its edit): rendered at send time from the concern.
    concern_id: int | None = Field(
        default=None, sa_column=fk("concerns.id", nullable=True, ondelete="SET NULL")
    )


class AlertAttendance(SQLModel, table=True):
    """A member going to an urgent incident ("Attending"), until they say they are not."""

    __tablename__ = "alert_attendance"
    __table_args__ = (
        UniqueConstraint("report_id", "member_id", name="uq_alert_attendance_report_id_member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=fk("reports.id", nullable=False, ondelete="CASCADE"))
    member_id: int = Field(sa_column=fk("members.id", nullable=False, ondelete="CASCADE"))
    since: datetime = Field(sa_type=UTCDateTime, nullable=False)
    until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: attending now


class BotState(SQLModel, table=True):
    """PTB persistence (conversations and per-user drafts) kept in the database."""

    __tablename__ = "bot_state"
    __table_args__ = (PrimaryKeyConstraint("kind", "key", name="pk_bot_state"),)

    kind: str = Field(max_length=16)  # conversation, user
    key: str = Field(max_length=200)
    data: str = Field(sa_type=Text)  # JSON
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


# ---- outreach (homelessness): people, contacts, referrals --------------------------------


class PersonRecord(SQLModel, table=True):
    """Someone outreach works with, known by an alias. No legal name without consent."""

    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_merged_into_id_last_seen", "merged_into_id", "last_seen"),
        Index("ix_people_first_seen", "first_seen"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alias: str = Field(max_length=60)
    # Anonymised by retention: every detail gone, the row kept for counts, out of searches.
    # A column, not an alias prefix: no alias a worker types can pass for one.
    anonymised: bool = Field(default=False)
    appearance: str | None = Field(default=None, max_length=200)
    age_band: AgeBand = Field(sa_type=EnumString(AgeBand), nullable=False)
    gender: str | None = Field(default=None, max_length=30)
    usual_sites: str | None = Field(default=None, max_length=200)
    flags: str = Field(default="", max_length=200)  # "|"-joined Flag slugs
    consent_share: bool | None = Field(default=None)  # None: not asked yet
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    legal_name: str | None = Field(default=None, max_length=120)  # only with consent
    first_seen: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_seen: datetime = Field(sa_type=UTCDateTime, nullable=False)
    merged_into_id: int | None = Field(
        default=None, sa_column=fk("people.id", nullable=True, ondelete="SET NULL")
    )
    merged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, sa_column=member_fk())
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Referral(SQLModel, table=True):
    """A rough sleeper seen by a patrol, queued for outreach until a contact closes it."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_status_created_at", "status", "created_at"),
        Index("ix_referrals_created_at", "created_at"),
        Index("ix_referrals_closed_at", "closed_at"),
        Index("ix_referrals_source_report_id", "source_report_id"),
        Index("ix_referrals_contact_id", "contact_id"),
        Index("ix_referrals_status_touched_at", "status", "touched_at"),
        Index("ix_referrals_attached_to_id", "attached_to_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    seen_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    source_report_id: int | None = Field(
        default=None, sa_column=fk("reports.id", nullable=True, ondelete="SET NULL")
    )
    reporter_id: int | None = Field(default=None, sa_column=member_fk())
    hotspot_id: int | None = Field(default=None, sa_column=fk("hotspots.id", nullable=True))
    place_text: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    appearance: str | None = Field(default=None, max_length=300)
    status: ReferralStatus = Field(sa_type=EnumString(ReferralStatus), nullable=False)
    taken_by_id: int | None = Field(default=None, sa_column=member_fk())
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, sa_column=member_fk())
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: ReferralOutcome | None = Field(default=None, sa_type=EnumString(ReferralOutcome))
    contact_id: int | None = None  # the contact that closed it (outreach_contacts.id)
    # Last filed, reopened or taken: untouched for TCAG_REFERRAL_OVERDUE_HOURS, it is overdue.
    touched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "Not found": where the worker looked (one line), who and when; kept when reopened.
    where_looked: str | None = Field(default=None, max_length=200)
    not_found_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    not_found_by_id: int | None = Field(default=None, sa_column=member_fk())
    # Reported again after "not found": this report is attached to the referral it reopened.
    attached_to_id: int | None = Field(
        default=None, sa_column=fk("referrals.id", nullable=True, ondelete="SET NULL")
    )
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutreachContact(SQLModel, table=True):
    """One meeting between an outreach worker and a person (or someone anonymous)."""

    __tablename__ = "outreach_contacts"
    __table_args__ = (
        Index("ix_outreach_contacts_at", "at"),
        Index("ix_outreach_contacts_person_id_at", "person_id", "at"),
        Index("ix_outreach_contacts_worker_id_at", "worker_id", "at"),
        Index("ix_outreach_contacts_hotspot_id_at", "hotspot_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, sa_column=fk("people.id", nullable=True, ondelete="SET NULL")
    )
    worker_id: int | None = Field(default=None, sa_column=member_fk())
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    hotspot_id: int | None = Field(default=None, sa_column=fk("hotspots.id", nullable=True))
    place_text: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    sleeping_site: SleepingSite | None = Field(default=None, sa_type=EnumString(SleepingSite))
    needs: str = Field(default="", max_length=200)  # "|"-joined Need slugs
    actions: str = Field(default="", max_length=200)  # "|"-joined Action slugs
    notes: str | None = Field(default=None, sa_type=Text)
    referral_id: int | None = Field(
        default=None, sa_column=fk("referrals.id", nullable=True, ondelete="SET NULL")
    )
    # What a rough sleeping report counts (bot.domain.rough_sleeping): seen bedded down or
    # only at risk (None: logged before the question was asked), the local connection and
    # where (free text: cleared with the notes), "|"-joined Institution slugs left lately.
    bedded_down: bool | None = Field(default=None)
    local_connection: LocalConnection | None = Field(
        default=None, sa_type=EnumString(LocalConnection)
    )
    connection_place: str | None = Field(default=None, max_length=60)
    left_institution: str = Field(default="", max_length=60)


class PersonFlagRow(SQLModel, table=True):
    """A flag on a person (safeguarding, risk to workers, ...): who set it and when, who
    cleared it and when. The record's `flags` column mirrors the kinds still set."""

    __tablename__ = "person_flags"
    __table_args__ = (Index("ix_person_flags_person_id_cleared_at", "person_id", "cleared_at"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(sa_column=fk("people.id", nullable=False, ondelete="CASCADE"))
    kind: str = Field(max_length=24)  # a Flag slug
    set_by_id: int | None = Field(default=None, sa_column=member_fk())
    set_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    cleared_by_id: int | None = Field(default=None, sa_column=member_fk())
    cleared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PersonOutcome(SQLModel, table=True):
    """A person's move into accommodation (or hospital, custody, reconnection), with its
    date. No text: on erasure the row stays, unlinked, as a count."""

    __tablename__ = "person_outcomes"
    __table_args__ = (
        Index("ix_person_outcomes_person_id_moved_on", "person_id", "moved_on"),
        Index("ix_person_outcomes_moved_on", "moved_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, sa_column=fk("people.id", nullable=True, ondelete="SET NULL")
    )
    kind: MoveOutcome = Field(sa_type=EnumString(MoveOutcome), nullable=False)
    moved_on: date = Field(sa_type=Date, nullable=False)
    recorded_by_id: int | None = Field(default=None, sa_column=member_fk())
    recorded_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


# ---- shifts, duty and the schedule ledger --------------------------------------------------


class ShiftPatternRow(SQLModel, table=True):
    """A recurring shift: weekdays and local start/end times (end <= start crosses midnight)."""

    __tablename__ = "shift_patterns"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)
    weekdays: str = Field(max_length=20)  # "4,5": Monday is 0
    start_time: str = Field(max_length=5)  # "20:00", local time
    end_time: str = Field(max_length=5)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DutySession(SQLModel, table=True):
    """A member on duty from /on to /off (or closed automatically after the shift)."""

    __tablename__ = "duty_sessions"
    __table_args__ = (
        Index("ix_duty_sessions_member_id_ended_at", "member_id", "ended_at"),
        Index("ix_duty_sessions_started_at", "started_at"),
        Index("ix_duty_sessions_ended_at", "ended_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=fk("members.id", nullable=False))
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: str | None = Field(default=None, max_length=16)  # off, auto
    # Where the member is: shared with /on, or their live location while on duty. Used only
    # on their own reports and alerts, and cleared when the duty ends.
    lat: float | None = None
    lon: float | None = None
    located_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScheduledRun(SQLModel, table=True):
    """The ledger of briefings, digests and summaries: claimed once, before sending.

    The unique (kind, key) means two instances on one database send each run once.
    """

    __tablename__ = "schedule_ledger"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_schedule_ledger_kind_key"),
        Index("ix_schedule_ledger_kind_scheduled_at", "kind", "scheduled_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # briefing, digest, weekly, quarterly
    key: str = Field(max_length=120)  # e.g. "Friday late@2026-10-24"
    scheduled_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    claimed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    claimed_by: str = Field(max_length=64)  # the instance that sent it
    status: str = Field(max_length=16)  # sent, skipped
    late: bool = Field(default=False)
    window_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    window_end: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BriefingNote(SQLModel, table=True):
    """A coordinator's note for the next briefings (/brief add …)."""

    __tablename__ = "briefing_notes"
    __table_args__ = (Index("ix_briefing_notes_created_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, sa_column=member_fk())
    text: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    cleared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PartnershipAction(SQLModel, table=True):
    """Something the partnership agreed to do: owner, due date, done or not (/action)."""

    __tablename__ = "partnership_actions"
    __table_args__ = (Index("ix_partnership_actions_done_at", "done_at"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=80)
    due: date = Field(sa_type=Date, nullable=False)
    text: str = Field(sa_type=Text)
    created_by_id: int | None = Field(default=None, sa_column=member_fk())
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    done_by_id: int | None = Field(default=None, sa_column=member_fk())
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# ---- input models: validated before a table row is built --------------------------------


class ReportIn(SQLModel):
    """A report as the reporter confirmed it; validation happens here, not in handlers."""

    category_id: int
    hotspot_id: int | None = None
    place_text: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    outside_area: bool = False
    description: str | None = Field(default=None, max_length=4000)
    people_count: str | None = None
    urgent: bool = False
    under_18: bool = False  # a person under 18 involved: raises a safeguarding concern
    source: ReportSource = ReportSource.GUIDED
    attachments: list[tuple[str, str]] = Field(default_factory=list)  # (kind, file id)

    @field_validator("people_count")
    @classmethod
    def _people_count(cls, value: str | None) -> str | None:
        if value is not None and value not in PEOPLE_COUNTS:
            raise ValueError(f"people count must be one of {', '.join(PEOPLE_COUNTS)}")
        return value

    @field_validator("place_text", "description")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None
