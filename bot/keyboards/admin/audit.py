"""The audit log's pages and the choice of member to filter by (admins)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.admin import (
    AuditMemberPage,
)
from bot.domain.callbacks.wire import Button
from bot.keyboards.common import MemberLike
from bot.texts.admin.audit import audit_member_button

AUDIT_PER_PAGE = 20
AUDIT_MEMBER_CHOICES = 10


def audit_pager(
    page: int, pages: int, build: Callable[[int], Button]
) -> InlineKeyboardMarkup | None:
    """◀ newer entries, older entries ▶ (page 0 is the newest)."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Newer", callback_data=build(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Older ▶", callback_data=build(page + 1).pack()))
    return InlineKeyboardMarkup([nav]) if nav else None


def audit_member_choice(members: Sequence[MemberLike]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    audit_member_button(m.name, m.username, m.role),
                    callback_data=AuditMemberPage(m.id or 0).pack(),
                )
            ]
            for m in members[:AUDIT_MEMBER_CHOICES]
        ]
    )
