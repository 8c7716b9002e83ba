"""Roles, statuses and permissions: the one table every access check reads.

Pure domain: DESIGN.md's Roles table, written once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    OFFICER = "officer"
    WARDEN = "warden"
    OUTREACH = "outreach"
    COORDINATOR = "coordinator"
    CCTV = "cctv"  # a CCTV control-room operator

    @property
    def label(self) -> str:
        return {
            Role.OFFICER: "Police officer",
            Role.WARDEN: "Street warden",
            Role.OUTREACH: "Outreach worker",
            Role.COORDINATOR: "Coordinator",
            Role.CCTV: "CCTV operator",
        }[self]

    @classmethod
    def parse(cls, text: str) -> Role | None:
        word = text.strip().casefold()
        for role in cls:
            if word in (role.value, role.value + "s"):
                return role
        return None


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class Permission(StrEnum):
    """What a command or button needs. Every handler is registered with one."""

    PUBLIC = "public"  # anyone, even a stranger (only /start)
    MEMBER = "member"  # any active member: report, duty, help
    OUTREACH = "outreach"  # contacts, people, referral queue
    COORDINATE = "coordinate"  # acknowledge/close, digests, stats, notes, exports
    INVITE = "invite"  # create invites (admins; coordinators for patrol roles)
    ADMIN = "admin"  # members, approvals, hotspots, shifts, settings, audit
    SAFEGUARD = "safeguard"  # safeguarding concerns: the safeguarding leads and the admins
    # The monthly outreach figures: counts only, for outreach, coordinators and admins.
    OUTREACH_FIGURES = "outreach_figures"
    CCTV = "cctv"  # answer alerts for the cameras and CCTV review requests
    # The patrols' own: flag a rough sleeper seen (every role but the control room, which
    # watches cameras and refers nobody).
    PATROL = "patrol"


_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset({Permission.MEMBER, Permission.PATROL}),
    Role.WARDEN: frozenset({Permission.MEMBER, Permission.PATROL}),
    Role.OUTREACH: frozenset(
        {Permission.MEMBER, Permission.PATROL, Permission.OUTREACH, Permission.OUTREACH_FIGURES}
    ),
    Role.COORDINATOR: frozenset(
        {
            Permission.MEMBER,
            Permission.PATROL,
            Permission.COORDINATE,
            Permission.INVITE,
            Permission.OUTREACH_FIGURES,
        }
    ),
    # The control room: every urgent alert and CCTV review requests; no person records, no
    # exports, no stats (counts reach them through nobody's digest).
    Role.CCTV: frozenset({Permission.MEMBER, Permission.CCTV}),
}
_ADMIN_PERMISSIONS = frozenset(
    {
        Permission.MEMBER,
        Permission.INVITE,
        Permission.ADMIN,
        Permission.SAFEGUARD,
        Permission.OUTREACH_FIGURES,
    }
)
# DESIGN.md: an admin sets the `safeguarding lead` flag on a coordinator or an outreach
# worker; on any other role it grants nothing.
LEAD_ROLES = frozenset({Role.COORDINATOR, Role.OUTREACH})

# Coordinators may bring in patrol staff. Outreach workers open person records, so only an
# admin invites them; nobody but an admin invites a coordinator.
_INVITABLE_BY_COORDINATOR = frozenset({Role.OFFICER, Role.WARDEN})


def permissions_for(
    role: Role, *, is_admin: bool, status: Status, is_lead: bool = False
) -> frozenset[Permission]:
    if status is not Status.ACTIVE:
        return frozenset({Permission.PUBLIC})
    granted = _ROLE_PERMISSIONS[role] | {Permission.PUBLIC}
    if is_lead and role in LEAD_ROLES:
        granted |= {Permission.SAFEGUARD}
    if is_admin:
        granted |= _ADMIN_PERMISSIONS
    return frozenset(granted)


class Standing(Protocol):
    """What a member's permissions are read from: role, status and flags."""

    @property
    def role(self) -> Role: ...
    @property
    def is_admin(self) -> bool: ...
    @property
    def status(self) -> Status: ...
    @property
    def safeguarding_lead(self) -> bool: ...


def member_permissions(member: Standing) -> frozenset[Permission]:
    """A member's permissions, the safeguarding lead flag included."""
    return permissions_for(
        member.role,
        is_admin=member.is_admin,
        status=member.status,
        is_lead=member.safeguarding_lead,
    )


def may(permission: Permission, role: Role, *, is_admin: bool, status: Status) -> bool:
    return permission in permissions_for(role, is_admin=is_admin, status=status)


def may_invite(
    role_to_invite: Role,
    inviter_role: Role,
    *,
    inviter_is_admin: bool,
    inviter_status: Status = Status.ACTIVE,
) -> bool:
    """Asked when an invite is made and again when it is used: the inviter must still be
    active and still allowed to bring in that role."""
    if inviter_status is not Status.ACTIVE:
        return False
    if inviter_is_admin:
        return True
    return inviter_role is Role.COORDINATOR and role_to_invite in _INVITABLE_BY_COORDINATOR


def invitable_roles(inviter_role: Role, *, inviter_is_admin: bool) -> list[Role]:
    return [r for r in Role if may_invite(r, inviter_role, inviter_is_admin=inviter_is_admin)]
