"""Tables. Every datetime is aware UTC (see storage.types.UTCDateTime)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from bot.roles import Role, Status
from storage.types import EnumString, UTCDateTime

# Stable constraint names, so migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _member_fk(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=nullable)


class Member(SQLModel, table=True):
    __tablename__ = "members"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True)
    name: str = Field(max_length=128)
    username: str | None = Field(default=None, max_length=64)
    role: Role = Field(sa_type=EnumString(Role), nullable=False)
    is_admin: bool = Field(default=False)
    status: Status = Field(sa_type=EnumString(Status), nullable=False, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE


class Invite(SQLModel, table=True):
    """A one-time joining link. Only a hash of the code is kept: it is a credential."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    role: Role = Field(sa_type=EnumString(Role), nullable=False)
    created_by_id: int | None = Field(default=None, sa_column=_member_fk())
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_id: int | None = Field(default=None, sa_column=_member_fk())


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
    actor_id: int | None = Field(default=None, sa_column=_member_fk())
    action: str = Field(max_length=48)
    subject_member_id: int | None = Field(default=None, sa_column=_member_fk())
    subject: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, max_length=200)
