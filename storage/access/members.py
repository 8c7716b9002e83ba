"""Members: access requests, approvals, roles, suspension, and the admins."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import LEAD_ROLES, Role, Status
from bot.domain.clock import Clock
from storage.access.audit import add_audit
from storage.db import SessionFactory
from storage.models import Member

MAX_NAME = 128  # members.name


class Members:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, member_id: int) -> Member | None:
        async with self._sessions() as session:
            return await session.get(Member, member_id)

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        async with self._sessions() as session:
            query = select(Member).where(Member.telegram_id == telegram_id)
            return (await session.exec(query)).first()

    async def all(self) -> list[Member]:
        async with self._sessions() as session:
            query = select(Member).order_by(col(Member.status), col(Member.name), col(Member.id))
            return list((await session.exec(query)).all())

    async def active_admins(self) -> list[Member]:
        async with self._sessions() as session:
            query = (
                select(Member)
                .where(Member.status == Status.ACTIVE, col(Member.is_admin).is_(True))
                .order_by(col(Member.id))
            )
            return list((await session.exec(query)).all())

    async def active_by_role(self, role: Role) -> list[Member]:
        """Every active member of one role, oldest first: e.g. all CCTV operators (their
        review requests, and the alerts they receive)."""
        async with self._sessions() as session:
            query = (
                select(Member)
                .where(Member.status == Status.ACTIVE, Member.role == role)
                .order_by(col(Member.id))
            )
            return list((await session.exec(query)).all())

    async def request_access(
        self, telegram_id: int, name: str, username: str | None
    ) -> tuple[Member, bool]:
        """A pending member for a stranger; (member, True) when it is a new request."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = select(Member).where(Member.telegram_id == telegram_id)
            existing = (await session.exec(query)).first()
            if existing is not None:
                return existing, False
            member = Member(
                telegram_id=telegram_id,
                name=name,
                username=username,
                role=Role.OFFICER,  # placeholder until an admin approves with a role
                status=Status.PENDING,
                created_at=now,
                updated_at=now,
            )
            session.add(member)
            await session.flush()
            add_audit(
                session,
                at=now,
                action=AuditAction.ACCESS_REQUESTED,
                actor_id=member.id,
                subject_member_id=member.id,
            )
        return member, True

    async def ensure_admin(
        self, telegram_id: int, name: str, username: str | None = None, *, role: Role | None = None
    ) -> Member:
        """Make (or keep) this Telegram user an active admin: settings and `tcag admin add`."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            query = select(Member).where(Member.telegram_id == telegram_id)
            member = (await session.exec(query)).first()
            if member is None:
                member = Member(
                    telegram_id=telegram_id,
                    name=name,
                    username=username,
                    role=role or Role.COORDINATOR,
                    status=Status.ACTIVE,
                    is_admin=True,
                    created_at=now,
                    updated_at=now,
                )
                session.add(member)
            elif member.is_admin and member.status is Status.ACTIVE and role in (None, member.role):
                return member
            else:
                member.is_admin = True
                member.status = Status.ACTIVE
                member.role = role or member.role
                member.updated_at = now
            await session.flush()
            add_audit(
                session,
                at=now,
                action=AuditAction.ADMIN_GRANTED,
                actor_id=None,
                subject_member_id=member.id,
            )
        return member

    async def refresh_username(self, member: Member, username: str | None) -> Member:
        """Keep the @username Telegram gives us (how /audit finds a member).

        Never the name: the name is the one they joined with (or an admin set), the name
        colleagues see on alerts ("Acknowledged by …"). A display name anyone can change
        in Telegram's settings must not let a member pass for someone else.
        """
        if member.username == username:
            return member
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(Member).where(col(Member.id) == member.id).values(username=username)
            )
        member.username = username
        return member

    async def rename(self, member_id: int, name: str, *, by: Member) -> Member | None:
        """An admin sets the name colleagues see; None when there is no such member.

        Raises ValueError for an empty or too long name.
        """
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > MAX_NAME:
            raise ValueError(f"a name is 1 to {MAX_NAME} characters")
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            member = await session.get(Member, member_id)
            if member is None:
                return None
            member.name, member.updated_at = cleaned, now
            session.add(member)
            add_audit(
                session,
                at=now,
                action=AuditAction.RENAMED,
                actor_id=by.id,
                subject_member_id=member_id,
            )
            return member

    async def approve(self, member_id: int, role: Role, *, by: Member) -> Member | None:
        """Pending → active with a role. None when it was no longer pending."""
        return await self._transition(
            member_id,
            from_statuses={Status.PENDING},
            values={"status": Status.ACTIVE, "role": role},
            action=AuditAction.APPROVED,
            by=by,
            detail=role.value,
        )

    async def reject(self, member_id: int, *, by: Member) -> Member | None:
        return await self._transition(
            member_id,
            from_statuses={Status.PENDING},
            values={"status": Status.REJECTED},
            action=AuditAction.REJECTED,
            by=by,
        )

    async def change_role(self, member_id: int, role: Role, *, by: Member) -> Member | None:
        """A role that may not hold the safeguarding lead flag clears it (least privilege)."""
        values: dict[str, object] = {"role": role}
        if role not in LEAD_ROLES:
            values["safeguarding_lead"] = False
        return await self._transition(
            member_id,
            from_statuses={Status.ACTIVE, Status.SUSPENDED},
            values=values,
            action=AuditAction.ROLE_CHANGED,
            by=by,
            detail=role.value,
            unless={"role": role},
        )

    async def set_safeguarding_lead(
        self, member_id: int, lead: bool, *, by: Member
    ) -> Member | None:
        """An admin sets (or clears) the safeguarding lead flag: only on an active or
        suspended coordinator or outreach worker. None when nothing changed."""
        statuses = {Status.ACTIVE} if lead else {Status.ACTIVE, Status.SUSPENDED}
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            statement = (
                update(Member)
                .where(col(Member.id) == member_id)
                .where(col(Member.status).in_([s.value for s in statuses]))
                .where(col(Member.safeguarding_lead).is_(not lead))
                .values(safeguarding_lead=lead, updated_at=now)
            )
            if lead:
                statement = statement.where(col(Member.role).in_([r.value for r in LEAD_ROLES]))
            result = await session.exec(statement)
            if result.rowcount != 1:
                return None
            add_audit(
                session,
                at=now,
                action=AuditAction.LEAD_SET if lead else AuditAction.LEAD_REMOVED,
                actor_id=by.id,
                subject_member_id=member_id,
            )
            return await session.get(Member, member_id)

    async def suspend(self, member_id: int, *, by: Member) -> Member | None:
        return await self._transition(
            member_id,
            from_statuses={Status.ACTIVE},
            values={"status": Status.SUSPENDED},
            action=AuditAction.SUSPENDED,
            by=by,
        )

    async def reinstate(self, member_id: int, *, by: Member) -> Member | None:
        return await self._transition(
            member_id,
            from_statuses={Status.SUSPENDED, Status.REJECTED},
            values={"status": Status.ACTIVE},
            action=AuditAction.REINSTATED,
            by=by,
        )

    async def _transition(
        self,
        member_id: int,
        *,
        from_statuses: set[Status],
        values: dict[str, object],
        action: AuditAction,
        by: Member,
        detail: str | None = None,
        unless: dict[str, object] | None = None,
    ) -> Member | None:
        """One guarded UPDATE: two admins pressing at once cannot both win."""
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            statement = (
                update(Member)
                .where(col(Member.id) == member_id)
                .where(col(Member.status).in_([s.value for s in from_statuses]))
                .values(**values, updated_at=now)
            )
            for field, value in (unless or {}).items():
                statement = statement.where(getattr(Member, field) != value)
            result = await session.exec(statement)
            if result.rowcount != 1:
                return None
            add_audit(
                session,
                at=now,
                action=action,
                actor_id=by.id,
                subject_member_id=member_id,
                detail=detail,
            )
            return await session.get(Member, member_id)
