"""Admins: /audit, the audit log newest first, 20 a page, by member or by action."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

from telegram import Update

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.audit_view import ByAction, match_members, read_filter
from bot.domain.callbacks.admin import AUDIT_BUTTONS, AuditActionPage, AuditMemberPage, AuditPage
from bot.domain.callbacks.wire import Button
from bot.keyboards.admin import audit as audit_keyboards
from bot.summaries.audit_log import audit_words
from bot.texts import common as common_texts
from bot.texts.admin import audit as audit_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.registry import Handler, button, command
from storage.access.audit import AuditRow


async def audit_command(update: Update, context: BotContext) -> None:
    typed = " ".join(context.args or []).strip()
    wanted = read_filter(typed)
    if wanted is None:
        await show_audit(update, context, page=0)
        return
    if isinstance(wanted, ByAction):
        await show_audit(update, context, page=0, action=wanted.term)
        return
    matches = match_members(await context.store.members.all(), wanted)
    if not matches:
        await reply(update, audit_texts.audit_no_match(typed))
    elif len(matches) > 1:
        await reply(
            update,
            audit_texts.audit_which_member(typed),
            audit_keyboards.audit_member_choice(matches),
        )
    else:
        await show_audit(update, context, page=0, member_id=matches[0].id)


async def audit_button(update: Update, context: BotContext) -> None:
    """aud:p:<page> / aud:m:<member>:<page> / aud:a:<term>:<page>."""
    query = query_of(update)
    match AUDIT_BUTTONS.unpack(query.data):
        case AuditPage(page=page):
            await query.answer()
            await show_audit(update, context, page=page)
        case AuditMemberPage(member_id=member_id, page=page):
            await query.answer()
            await show_audit(update, context, page=page, member_id=member_id)
        case AuditActionPage(term=term, page=page):
            await query.answer()
            await show_audit(update, context, page=page, action=term)
        case None:
            await query.answer(common_texts.STALE_BUTTON)


async def show_audit(
    update: Update,
    context: BotContext,
    *,
    page: int,
    member_id: int | None = None,
    action: str | None = None,
) -> None:
    per_page = audit_keyboards.AUDIT_PER_PAGE
    page = max(page, 0)
    rows, total = await context.store.audit.page(
        offset=page * per_page, limit=per_page, member_id=member_id, action=action
    )
    pages = max(1, math.ceil(total / per_page))
    if not rows and page > 0:  # an old button past the end: show the last page
        page = pages - 1
        rows, total = await context.store.audit.page(
            offset=page * per_page, limit=per_page, member_id=member_id, action=action
        )
    build: Callable[[int], Button]
    filtered: str | None = None
    if member_id is not None:
        member = await context.store.members.get(member_id)
        filtered = audit_texts.audit_filter_by_member(
            member.name if member else f"member #{member_id}"
        )
        build = partial(AuditMemberPage, member_id)
    elif action is not None:
        filtered = audit_texts.audit_filter_by_action(action)
        build = partial(AuditActionPage, action)
    else:
        build = AuditPage
    text = audit_texts.audit_page(_lines(rows, context), filtered, total, page, pages)
    await edit_or_reply(update, text, audit_keyboards.audit_pager(page, pages, build))


def _lines(rows: Sequence[AuditRow], context: BotContext) -> list[str]:
    tz = context.settings.tz
    return [
        audit_texts.audit_entry(common_texts.local_datetime(row.at, tz), *audit_words(row))
        for row in rows
    ]


def handlers() -> list[Handler]:
    return [
        command("audit", audit_command),
        button(callbacks.AUDIT, audit_button),
    ]
