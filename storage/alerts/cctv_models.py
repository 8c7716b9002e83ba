"""Tables of the CCTV control room: operators' answers on urgent alerts, and review
requests of a report's time and place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.domain.alerts.cctv import CameraAnswer, CctvAnswer, RequestStatus
from storage.models import fk, member_fk
from storage.types import EnumString, UTCDateTime


class AlertCameraAnswer(SQLModel, table=True):
    """A CCTV operator's answer on an urgent alert: a camera on it, or none covers it."""

    __tablename__ = "alert_camera_answers"
    __table_args__ = (
        UniqueConstraint(
            "report_id", "member_id", name="uq_alert_camera_answers_report_id_member_id"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=fk("reports.id", nullable=False, ondelete="CASCADE"))
    member_id: int = Field(sa_column=fk("members.id", nullable=False, ondelete="CASCADE"))
    answer: CameraAnswer = Field(sa_type=EnumString(CameraAnswer), nullable=False)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class CctvRequest(SQLModel, table=True):
    """A request to the CCTV control room to review footage of a report's time and place.

    The place is the report's unless a hotspot was chosen; no free text is kept here (the
    footage reference is the control room's own number for what it saved)."""

    __tablename__ = "cctv_requests"
    __table_args__ = (
        Index("ix_cctv_requests_created_at", "created_at"),
        Index("ix_cctv_requests_status_created_at", "status", "created_at"),
        Index("ix_cctv_requests_report_id", "report_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=fk("reports.id", nullable=False, ondelete="CASCADE"))
    requester_id: int | None = Field(default=None, sa_column=member_fk())
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    window_start: datetime = Field(sa_type=UTCDateTime, nullable=False)
    window_end: datetime = Field(sa_type=UTCDateTime, nullable=False)
    hotspot_id: int | None = Field(default=None, sa_column=fk("hotspots.id", nullable=True))
    status: RequestStatus = Field(sa_type=EnumString(RequestStatus), nullable=False)
    answer: CctvAnswer | None = Field(default=None, sa_type=EnumString(CctvAnswer))
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_by_id: int | None = Field(default=None, sa_column=member_fk())
    footage_ref: str | None = Field(default=None, max_length=100)
    footage_ref_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
