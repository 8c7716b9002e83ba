"""Invites: created by admins and coordinators, used once, expiring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.audit import AuditAction
from bot.domain.clock import Clock
from bot.domain.invites import code_digest, new_invite_code
from bot.domain.roles import Role, Status
from storage.audit import add_audit
from storage.db import SessionFactory
from storage.models import Invite, Member


class Redeemed(StrEnum):
    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_MEMBER = "already_member"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class Redemption:
    outcome: Redeemed
    member: Member | None = None
    created_by_id: int | None = None


class Invites:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def create(self, role: Role, *, by: Member, ttl: timedelta) -> tuple[str, Invite]:
        """A new invite; the plain code is returned once and never stored."""
        now = self._clock.now()
        code = new_invite_code()
        invite = Invite(
            code_hash=code_digest(code),
            role=role,
            created_by_id=by.id,
            created_at=now,
            expires_at=now + ttl,
        )
        async with self._sessions() as session, session.begin():
            session.add(invite)
            await session.flush()
            add_audit(
                session,
                at=now,
                action=AuditAction.INVITE_CREATED,
                actor_id=by.id,
                subject=f"invite:{invite.id}",
                detail=role.value,
            )
        return code, invite

    async def redeem(
        self, code: str, *, telegram_id: int, name: str, username: str | None
    ) -> Redemption:
        now = self._clock.now()
        digest = code_digest(code)
        async with self._sessions() as session, session.begin():
            query = select(Member).where(Member.telegram_id == telegram_id)
            member = (await session.exec(query)).first()
            if member is not None and member.status is Status.ACTIVE:
                return Redemption(Redeemed.ALREADY_MEMBER, member)
            if member is not None and member.status is Status.SUSPENDED:
                return Redemption(Redeemed.SUSPENDED, member)

            # Claim the code with one guarded UPDATE so two people cannot both use it.
            claimed = await session.exec(
                update(Invite)
                .where(col(Invite.code_hash) == digest)
                .where(col(Invite.used_at).is_(None))
                .where(col(Invite.expires_at) > now)
                .values(used_at=now)
            )
            invite = (await session.exec(select(Invite).where(Invite.code_hash == digest))).first()
            if claimed.rowcount != 1 or invite is None:
                if invite is None:
                    return Redemption(Redeemed.UNKNOWN)
                if invite.used_at is not None:
                    return Redemption(Redeemed.USED)
                return Redemption(Redeemed.EXPIRED)

            if member is None:
                member = Member(
                    telegram_id=telegram_id,
                    name=name,
                    username=username,
                    role=invite.role,
                    status=Status.ACTIVE,
                    created_at=now,
                    updated_at=now,
                )
                session.add(member)
            else:
                member.role = invite.role
                member.status = Status.ACTIVE
                member.name, member.username = name, username
                member.updated_at = now
            await session.flush()
            invite.used_by_id = member.id
            add_audit(
                session,
                at=now,
                action=AuditAction.INVITE_USED,
                actor_id=member.id,
                subject_member_id=member.id,
                subject=f"invite:{invite.id}",
                detail=invite.role.value,
            )
        return Redemption(Redeemed.JOINED, member, invite.created_by_id)
