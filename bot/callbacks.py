"""Callback data: short prefixed strings carrying ids, built and parsed only here.

Format `prefix:action[:arg…]`, always under Telegram's 64-byte limit. Each prefix needs
one permission; the access gate reads PREFIX_PERMISSIONS before any feature sees a press.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.roles import Permission, Role

MAX_BYTES = 64

ACCESS = "acc"  # an access request: approve as a role, or reject
MEMBERS = "mem"  # member management
INVITE = "inv"  # choose the role of a new invite
MENU = "menu"  # main menu buttons
REPORT = "rep"  # the guided /report flow
QUICK = "qr"  # a quick report's proposal: confirm or change
INCIDENT = "inc"  # an urgent alert: acknowledge / attending
CATEGORIES = "cat"  # admins: report categories
HOTSPOTS = "hot"  # admins: hotspots

PREFIX_PERMISSIONS: dict[str, Permission] = {
    ACCESS: Permission.ADMIN,
    MEMBERS: Permission.ADMIN,
    INVITE: Permission.INVITE,
    MENU: Permission.MEMBER,
    REPORT: Permission.MEMBER,
    QUICK: Permission.MEMBER,
    INCIDENT: Permission.MEMBER,
    CATEGORIES: Permission.ADMIN,
    HOTSPOTS: Permission.ADMIN,
}


@dataclass(frozen=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int = 0) -> int | None:
        try:
            return int(self.args[index])
        except (IndexError, ValueError):
            return None

    def role_arg(self, index: int) -> Role | None:
        try:
            return Role(self.args[index])
        except (IndexError, ValueError):
            return None


def build(prefix: str, action: str, *args: object) -> str:
    data = ":".join([prefix, action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """None for anything that is not ours (forged, truncated or from an old version)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] not in PREFIX_PERMISSIONS or not parts[1]:
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(prefix: str) -> str:
    return f"^{prefix}:"


# Builders, so handlers never spell the format out.
def approve(member_id: int, role: Role) -> str:
    return build(ACCESS, "ok", member_id, role.value)


def reject(member_id: int) -> str:
    return build(ACCESS, "no", member_id)


def members_page(page: int) -> str:
    return build(MEMBERS, "list", page)


def member_card(member_id: int) -> str:
    return build(MEMBERS, "card", member_id)


def member_roles(member_id: int) -> str:
    return build(MEMBERS, "roles", member_id)


def member_set_role(member_id: int, role: Role) -> str:
    return build(MEMBERS, "set", member_id, role.value)


def member_suspend(member_id: int) -> str:
    return build(MEMBERS, "sus", member_id)


def member_reinstate(member_id: int) -> str:
    return build(MEMBERS, "rei", member_id)


def new_invite(role: Role) -> str:
    return build(INVITE, "new", role.value)


def menu(action: str) -> str:
    return build(MENU, action)
