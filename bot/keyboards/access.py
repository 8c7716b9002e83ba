"""The menu, access requests, invites and the members list (admins)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.access.roles import LEAD_ROLES, Permission, Role, Status
from bot.domain.callbacks.members import (
    AccessApprove,
    AccessReject,
    InviteRevoke,
    InviteRole,
    MemberAction,
    MemberPress,
    MemberSetRole,
    MembersPage,
    MenuAction,
    MenuPress,
)
from bot.domain.callbacks.safeguarding import ConcernList
from bot.domain.callbacks.safety import NeedHelp
from bot.domain.callbacks.street_outreach import (
    ContactNew,
    ReferralList,
    SightingNew,
)
from bot.keyboards.common import MemberLike
from bot.texts import safeguarding as safeguarding_texts
from bot.texts.access import MEMBER_RENAME_BUTTON, invite_button_label, member_button
from bot.texts.safety import NEED_HELP_BUTTON

MEMBERS_PER_PAGE = 12


def access_request(member_id: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"Approve as {role.value}", callback_data=AccessApprove(member_id, role).pack()
            )
        ]
        for role in Role
    ]
    rows.append([InlineKeyboardButton("Reject", callback_data=AccessReject(member_id).pack())])
    return InlineKeyboardMarkup(rows)


def main_menu(granted: frozenset[Permission]) -> InlineKeyboardMarkup:
    """Buttons for what this member may do; features add entries as they exist."""
    entries = [
        (Permission.MEMBER, "📝 Report", MenuPress(MenuAction.REPORT).pack()),
        (Permission.PATROL, "🛏 Rough sleeper seen", SightingNew().pack()),
        (Permission.OUTREACH, "🤝 Log contact", ContactNew().pack()),
        (Permission.OUTREACH, "📋 Referrals", ReferralList().pack()),
        (Permission.INVITE, "✉️ Invite someone", MenuPress(MenuAction.INVITE).pack()),
        (Permission.ADMIN, "👥 Members", MenuPress(MenuAction.MEMBERS).pack()),
        (Permission.SAFEGUARD, "🛡 Concerns", ConcernList().pack()),
        (Permission.MEMBER, "❓ Help", MenuPress(MenuAction.HELP).pack()),
        (Permission.MEMBER, NEED_HELP_BUTTON, NeedHelp().pack()),  # staff safety: at once
    ]
    buttons = [
        InlineKeyboardButton(label, callback_data=data)
        for perm, label, data in entries
        if perm in granted
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def invite_roles(roles: list[Role]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(role.label, callback_data=InviteRole(role).pack())]
            for role in roles
        ]
    )


def open_invites(invites: Sequence[tuple[int, Role]]) -> InlineKeyboardMarkup:
    """One "Withdraw" button per open invite, numbered as /invites lists them."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    invite_button_label(number, role),
                    callback_data=InviteRevoke(invite_id).pack(),
                )
            ]
            for number, (invite_id, role) in enumerate(invites, start=1)
        ]
    )


def member_list(members: Sequence[MemberLike], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                member_button(m.name, m.role, m.status, m.is_admin),
                callback_data=MemberPress(MemberAction.CARD, m.id or 0).pack(),
            )
        ]
        for m in members
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=MembersPage(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=MembersPage(page + 1).pack()))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def member_actions(member: MemberLike) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows: list[list[InlineKeyboardButton]] = []
    if member.status is Status.PENDING:
        rows.extend(access_request(member_id).inline_keyboard)
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    "Change role", callback_data=MemberPress(MemberAction.ROLES, member_id).pack()
                ),
                InlineKeyboardButton(
                    MEMBER_RENAME_BUTTON,
                    callback_data=MemberPress(MemberAction.RENAME, member_id).pack(),
                ),
            ]
        )
        if member.status is Status.ACTIVE:
            action, label = MemberAction.SUSPEND, "Suspend"
        else:
            action, label = MemberAction.REINSTATE, "Reinstate"
        rows.append(
            [InlineKeyboardButton(label, callback_data=MemberPress(action, member_id).pack())]
        )
        # The safeguarding lead flag: set on an active coordinator or outreach worker.
        if member.safeguarding_lead or (
            member.status is Status.ACTIVE and member.role in LEAD_ROLES
        ):
            lead = MemberPress(MemberAction.LEAD, member_id).pack()
            label = (
                safeguarding_texts.REMOVE_LEAD
                if member.safeguarding_lead
                else safeguarding_texts.MAKE_LEAD
            )
            rows.append([InlineKeyboardButton(label, callback_data=lead)])
    rows.append([InlineKeyboardButton("◀ All members", callback_data=MembersPage(0).pack())])
    return InlineKeyboardMarkup([list(row) for row in rows])


def role_choice(member: MemberLike) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows = [
        [InlineKeyboardButton(role.label, callback_data=MemberSetRole(member_id, role).pack())]
        for role in Role
        if role is not member.role
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "◀ Back", callback_data=MemberPress(MemberAction.CARD, member_id).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
