"""The table of safeguarding concerns: for the safeguarding leads (and admins) only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from bot.domain.safeguarding import ConcernKind, ConcernSource, ConcernStatus, LeadAction
from storage.models import fk, member_fk
from storage.types import EnumString, UTCDateTime


class Concern(SQLModel, table=True):
    """A safeguarding concern, for the safeguarding leads (and admins) only: raised with the
    report, sighting or contact it comes from (`details`: a sighting's description)."""

    __tablename__ = "concerns"
    __table_args__ = (
        Index("ix_concerns_status_raised_at", "status", "raised_at"),
        Index("ix_concerns_raised_at", "raised_at"),
        Index("ix_concerns_report_id", "report_id"),
        Index("ix_concerns_contact_id", "contact_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: ConcernSource = Field(sa_type=EnumString(ConcernSource), nullable=False)
    kind: ConcernKind = Field(sa_type=EnumString(ConcernKind), nullable=False)
    report_id: int | None = Field(
        default=None, sa_column=fk("reports.id", nullable=True, ondelete="SET NULL")
    )
    contact_id: int | None = Field(
        default=None, sa_column=fk("outreach_contacts.id", nullable=True, ondelete="SET NULL")
    )
    raised_by_id: int | None = Field(default=None, sa_column=member_fk())
    raised_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    hotspot_id: int | None = Field(default=None, sa_column=fk("hotspots.id", nullable=True))
    place_text: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    details: str | None = Field(default=None, sa_type=Text)
    status: ConcernStatus = Field(sa_type=EnumString(ConcernStatus), nullable=False)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_id: int | None = Field(default=None, sa_column=member_fk())
    action: LeadAction | None = Field(default=None, sa_type=EnumString(LeadAction))
    action_note: str | None = Field(default=None, max_length=200)
    action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    action_by_id: int | None = Field(default=None, sa_column=member_fk())
