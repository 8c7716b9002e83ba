"""Buttons of access requests (acc), member management (mem), invites (inv), the menu (menu)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.access.roles import Role
from bot.domain.callbacks.prefixes import ACCESS, INVITE, MEMBERS, MENU
from bot.domain.callbacks.wire import Button, Family


# ---- acc:ok:<member>:<role>, acc:no:<member> -------------------------------------------------
class AccessAction(StrEnum):
    APPROVE = "ok"
    REJECT = "no"


class AccessButton(Button):
    PREFIX = ACCESS


@dataclass(frozen=True)
class AccessApprove(AccessButton, action=AccessAction.APPROVE):
    member_id: int
    role: Role


@dataclass(frozen=True)
class AccessReject(AccessButton, action=AccessAction.REJECT):
    member_id: int


ACCESS_BUTTONS = Family[AccessApprove | AccessReject](AccessApprove, AccessReject)


# ---- mem:list:<page>, mem:card / roles / sus / rei:<member>, mem:set:<member>:<role> ---------
class MemberAction(StrEnum):
    LIST = "list"
    CARD = "card"
    ROLES = "roles"
    SET_ROLE = "set"
    SUSPEND = "sus"
    REINSTATE = "rei"
    RENAME = "ren"  # the name colleagues see (typed next)
    LEAD = "lead"  # the safeguarding lead flag: on or off (coordinators and outreach only)


class MemberButton(Button):
    PREFIX = MEMBERS


@dataclass(frozen=True)
class MembersPage(MemberButton, action=MemberAction.LIST):
    page: int


@dataclass(frozen=True)
class MemberPress(
    MemberButton,
    actions=(
        MemberAction.CARD,
        MemberAction.ROLES,
        MemberAction.SUSPEND,
        MemberAction.REINSTATE,
        MemberAction.RENAME,
        MemberAction.LEAD,
    ),
):
    """One member's card, the role choice, suspend, reinstate or rename."""

    action: MemberAction
    member_id: int


@dataclass(frozen=True)
class MemberSetRole(MemberButton, action=MemberAction.SET_ROLE):
    member_id: int
    role: Role


MEMBER_BUTTONS = Family[MembersPage | MemberPress | MemberSetRole](
    MembersPage, MemberPress, MemberSetRole
)


# ---- inv:new:<role>, inv:rev:<invite> (/invites: withdraw one) -------------------------------
class InviteAction(StrEnum):
    NEW = "new"
    REVOKE = "rev"


@dataclass(frozen=True)
class InviteRole(Button, action=InviteAction.NEW):
    PREFIX = INVITE
    role: Role


@dataclass(frozen=True)
class InviteRevoke(Button, action=InviteAction.REVOKE):
    PREFIX = INVITE
    invite_id: int


INVITE_BUTTONS = Family[InviteRole | InviteRevoke](InviteRole, InviteRevoke)


# ---- menu:report / invite / members / help ---------------------------------------------------
class MenuAction(StrEnum):
    REPORT = "report"
    INVITE = "invite"
    MEMBERS = "members"
    HELP = "help"


@dataclass(frozen=True)
class MenuPress(Button, actions=tuple(MenuAction)):
    PREFIX = MENU
    action: MenuAction


MENU_BUTTONS = Family[MenuPress](MenuPress)
