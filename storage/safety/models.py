"""Tables of staff safety: who works alone and is checked on, and the alerts it raises.

Locations are copied onto an alert when it is raised (the member's duty forgets its own at
/off); nothing here is shown in digests but counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

import storage.models  # noqa: F401  (its naming convention applies to these tables too)
from bot.domain.access.roles import Role
from bot.domain.alerts.staff_safety import SafetyKind
from storage.types import EnumString, UTCDateTime


def _fk(target: str, *, nullable: bool, ondelete: str) -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable)


class CheckInRoleDefault(SQLModel, table=True):
    """A role's lone-working default, set by an admin: alone at /on, and how often."""

    __tablename__ = "checkin_role_defaults"

    id: int | None = Field(default=None, primary_key=True)
    role: Role = Field(sa_type=EnumString(Role), nullable=False, unique=True)
    alone: bool = Field(default=False)
    every_minutes: int | None = Field(default=None)  # None: TCAG_CHECKIN_MINUTES
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_by_id: int | None = Field(
        default=None, sa_column=_fk("members.id", nullable=True, ondelete="SET NULL")
    )


class CheckInSession(SQLModel, table=True):
    """Check-ins of one member working alone, during one duty, until /off (or ended)."""

    __tablename__ = "checkin_sessions"
    __table_args__ = (
        Index("ix_checkin_sessions_member_id_ended_at", "member_id", "ended_at"),
        Index("ix_checkin_sessions_ended_at", "ended_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=_fk("members.id", nullable=False, ondelete="CASCADE"))
    duty_id: int | None = Field(
        default=None, sa_column=_fk("duty_sessions.id", nullable=True, ondelete="SET NULL")
    )
    every_minutes: int
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # The last sign of life: an answer, any message or report. The next check-in counts
    # from it; `asked_at` is when the check-in now waiting was asked (None: none waits).
    last_seen_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: str | None = Field(default=None, max_length=16)
    ended_by_id: int | None = Field(
        default=None, sa_column=_fk("members.id", nullable=True, ondelete="SET NULL")
    )


class SafetyAlert(SQLModel, table=True):
    """A missed check-in or a "Need help": its copies are outbox rows that point to it."""

    __tablename__ = "safety_alerts"
    __table_args__ = (
        Index("ix_safety_alerts_raised_at", "raised_at"),
        Index("ix_safety_alerts_member_id_raised_at", "member_id", "raised_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: SafetyKind = Field(sa_type=EnumString(SafetyKind), nullable=False)
    member_id: int = Field(sa_column=_fk("members.id", nullable=False, ondelete="CASCADE"))
    session_id: int | None = Field(
        default=None, sa_column=_fk("checkin_sessions.id", nullable=True, ondelete="SET NULL")
    )
    raised_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lat: float | None = None
    lon: float | None = None
    located_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_id: int | None = Field(
        default=None, sa_column=_fk("members.id", nullable=True, ondelete="SET NULL")
    )
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the member

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None and self.answered_at is None
