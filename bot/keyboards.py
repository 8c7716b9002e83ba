"""Inline and reply keyboards. Callback data comes only from bot.callbacks."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.roles import Permission, Role, Status
from bot.texts import member_button
from storage.models import Member

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
        (Permission.INVITE, "✉️ Invite someone", callbacks.menu("invite")),
        (Permission.ADMIN, "👥 Members", callbacks.menu("members")),
        (Permission.MEMBER, "❓ Help", callbacks.menu("help")),
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
            [InlineKeyboardButton(role.label, callback_data=callbacks.new_invite(role))]
            for role in roles
        ]
    )


def member_list(members: list[Member], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                member_button(m.name, m.role, m.status, m.is_admin),
                callback_data=callbacks.member_card(m.id or 0),
            )
        ]
        for m in members
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton("◀ Previous", callback_data=callbacks.members_page(page - 1))
        )
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=callbacks.members_page(page + 1)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def member_actions(member: Member) -> InlineKeyboardMarkup:
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


def role_choice(member: Member) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows = [
        [InlineKeyboardButton(role.label, callback_data=callbacks.member_set_role(member_id, role))]
        for role in Role
        if role is not member.role
    ]
    rows.append([InlineKeyboardButton("◀ Back", callback_data=callbacks.member_card(member_id))])
    return InlineKeyboardMarkup(rows)
