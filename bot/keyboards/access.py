"""The menu, access requests, invites and the members list (admins)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.domain.roles import Permission, Role, Status
from bot.keyboards.common import MemberLike, pager, pairs
from bot.texts.access import member_button

MEMBERS_PER_PAGE = 12


def access_request(member_id: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"Approve as {role.value}", callback_data=callbacks.approve(member_id, role)
            )
        ]
        for role in Role
    ]
    rows.append([InlineKeyboardButton("Reject", callback_data=callbacks.reject(member_id))])
    return InlineKeyboardMarkup(rows)


def main_menu(granted: frozenset[Permission]) -> InlineKeyboardMarkup:
    """Buttons for what this member may do; features add entries as they exist."""
    entries = [
        (Permission.MEMBER, "📝 Report", callbacks.menu("report")),
        (Permission.MEMBER, "🛏 Rough sleeper seen", callbacks.rough_sleeper("new")),
        (Permission.OUTREACH, "🤝 Log contact", callbacks.outreach("new")),
        (Permission.OUTREACH, "📋 Referrals", callbacks.referral("list")),
        (Permission.INVITE, "✉️ Invite someone", callbacks.menu("invite")),
        (Permission.ADMIN, "👥 Members", callbacks.menu("members")),
        (Permission.MEMBER, "❓ Help", callbacks.menu("help")),
    ]
    buttons = [
        InlineKeyboardButton(label, callback_data=data)
        for perm, label, data in entries
        if perm in granted
    ]
    return InlineKeyboardMarkup(pairs(buttons))


def invite_roles(roles: list[Role]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(role.label, callback_data=callbacks.new_invite(role))]
            for role in roles
        ]
    )


def member_list(members: Sequence[MemberLike], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                member_button(m.name, m.role, m.status, m.is_admin),
                callback_data=callbacks.member_card(m.id or 0),
            )
        ]
        for m in members
    ]
    nav = pager(page, pages, callbacks.members_page)
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
            [InlineKeyboardButton("Change role", callback_data=callbacks.member_roles(member_id))]
        )
        if member.status is Status.ACTIVE:
            rows.append(
                [InlineKeyboardButton("Suspend", callback_data=callbacks.member_suspend(member_id))]
            )
        else:
            rows.append(
                [
                    InlineKeyboardButton(
                        "Reinstate", callback_data=callbacks.member_reinstate(member_id)
                    )
                ]
            )
    rows.append([InlineKeyboardButton("◀ All members", callback_data=callbacks.members_page(0))])
    return InlineKeyboardMarkup([list(row) for row in rows])


def role_choice(member: MemberLike) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows = [
        [InlineKeyboardButton(role.label, callback_data=callbacks.member_set_role(member_id, role))]
        for role in Role
        if role is not member.role
    ]
    rows.append([InlineKeyboardButton("◀ Back", callback_data=callbacks.member_card(member_id))])
    return InlineKeyboardMarkup(rows)
