"""Invites: created by admins and coordinators, used once, expiring, revocable.

Whether the inviter may bring in that role is asked twice: when the invite is made and
when it is used (a coordinator since suspended, or an inviter no longer allowed that role,
leaves links that open nothing). An inviter has at most MAX_OPEN_INVITES open at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.access.audit import AuditAction
from bot.domain.access.invites import MAX_OPEN_INVITES, code_digest, new_invite_code
from bot.domain.access.roles import Role, Status, may_invite
from bot.domain.clock import Clock
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Invite, Member


class Redeemed(StrEnum):
    JOINED = "joined"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_MEMBER = "already_member"
    SUSPENDED = "suspended"
    REVOKED = "revoked"  # its inviter took it back
    WITHDRAWN = "withdrawn"  # its inviter is no longer active, or no longer allowed that role


class NotAllowedToInvite(Exception):
    """This member may not invite that role (or is not active)."""


class TooManyOpenInvites(Exception):
    """The inviter has MAX_OPEN_INVITES open already: revoke one, or wait for one to expire."""


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
        """A new invite; the plain code is returned once and never stored.

        Raises NotAllowedToInvite (the inviter, as stored now, may not invite that role)
        and TooManyOpenInvites.
        """
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
            inviter = await session.get(Member, by.id) if by.id is not None else None
            if inviter is None or not _allowed(inviter, role):
                raise NotAllowedToInvite(role.value)
            # Lock the inviter's row so two invites made at once cannot both be the 21st.
            await session.exec(select(Member.id).where(Member.id == inviter.id).with_for_update())
            if await self._open_count(session, inviter.id or 0, now) >= MAX_OPEN_INVITES:
                raise TooManyOpenInvites(str(MAX_OPEN_INVITES))
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

            found = (await session.exec(select(Invite).where(Invite.code_hash == digest))).first()
            if found is None:
                return Redemption(Redeemed.UNKNOWN)
            if found.revoked_at is not None:
                return Redemption(Redeemed.REVOKED)
            inviter = (
                await session.get(Member, found.created_by_id) if found.created_by_id else None
            )
            if found.used_at is None and (inviter is None or not _allowed(inviter, found.role)):
                return Redemption(Redeemed.WITHDRAWN)  # the link stays unused: nothing opens

            # Claim the code with one guarded UPDATE so two people cannot both use it.
            claimed = await session.exec(
                update(Invite)
                .where(col(Invite.code_hash) == digest)
                .where(col(Invite.used_at).is_(None))
                .where(col(Invite.revoked_at).is_(None))
                .where(col(Invite.expires_at) > now)
                .values(used_at=now)
            )
            invite = (await session.exec(select(Invite).where(Invite.code_hash == digest))).first()
            if claimed.rowcount != 1 or invite is None:
                if invite is None:
                    return Redemption(Redeemed.UNKNOWN)
                if invite.used_at is not None:
                    return Redemption(Redeemed.USED)
                if invite.revoked_at is not None:
                    return Redemption(Redeemed.REVOKED)
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

    async def open_by(self, inviter: Member) -> list[Invite]:
        """The inviter's invites not used, revoked or expired, the newest first (/invites)."""
        now = self._clock.now()
        async with self._sessions() as session:
            query = (
                select(Invite)
                .where(_open(now), col(Invite.created_by_id) == inviter.id)
                .order_by(col(Invite.created_at).desc(), col(Invite.id).desc())
            )
            return list((await session.exec(query)).all())

    async def revoke(self, invite_id: int, *, by: Member) -> Invite | None:
        """Take back one of this member's open invites; None when it is not theirs or not
        open any more (used, revoked or expired meanwhile)."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(Invite)
                .where(col(Invite.id) == invite_id, col(Invite.created_by_id) == by.id)
                .where(_open(now))
                .values(revoked_at=now)
            )
            if result.rowcount != 1:
                return None
            add_audit(
                session,
                at=now,
                action=AuditAction.INVITE_REVOKED,
                actor_id=by.id,
                subject=f"invite:{invite_id}",
            )
            return await session.get(Invite, invite_id)

    async def _open_count(self, session: AsyncSession, inviter_id: int, now: datetime) -> int:
        query = (
            select(func.count())
            .select_from(Invite)
            .where(_open(now), col(Invite.created_by_id) == inviter_id)
        )
        return int((await session.exec(query)).one())


def _open(now: datetime) -> ColumnElement[bool]:
    return (
        col(Invite.used_at).is_(None)
        & col(Invite.revoked_at).is_(None)
        & (col(Invite.expires_at) > now)
    )


def _allowed(inviter: Member, role: Role) -> bool:
    return may_invite(
        role, inviter.role, inviter_is_admin=inviter.is_admin, inviter_status=inviter.status
    )
