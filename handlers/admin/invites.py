"""/invite: one-time deep links bound to a role; /invites: the open ones, to withdraw one.

The store asks again whether the inviter may invite that role (and when the link is used),
and caps an inviter's open invites (bot.domain.access.invites.MAX_OPEN_INVITES).
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.invites import MAX_OPEN_INVITES, deep_link
from bot.domain.access.roles import Role, invitable_roles, may_invite
from bot.domain.callbacks.members import INVITE_BUTTONS, InviteRevoke, InviteRole
from bot.keyboards import access as access_keyboards
from bot.texts import access as access_texts
from bot.texts import common as common_texts
from handlers.common import edit_or_reply, query_of, reply
from handlers.registry import Handler, button, command
from storage.access.invites import NotAllowedToInvite, TooManyOpenInvites


async def invite_command(update: Update, context: BotContext) -> None:
    if not context.args:
        await start_invite(update, context)
        return
    member = context.member
    allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
    role = Role.parse(context.args[0])
    if role is None:
        await reply(update, access_texts.invite_unknown_role(context.args[0], allowed))
        return
    await _create(update, context, role)


async def start_invite(update: Update, context: BotContext) -> None:
    member = context.member
    allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
    await reply(
        update, access_texts.invite_choose_role(allowed), access_keyboards.invite_roles(allowed)
    )


async def invite_button(update: Update, context: BotContext) -> None:
    """inv:new:<role> makes an invite; inv:rev:<invite> withdraws one (/invites)."""
    query = query_of(update)
    pressed = INVITE_BUTTONS.unpack(query.data)
    if isinstance(pressed, InviteRevoke):
        await _revoke(update, context, pressed.invite_id)
        return
    await query.answer()
    if not isinstance(pressed, InviteRole):
        await reply(update, common_texts.STALE_BUTTON)
        return
    await _create(update, context, pressed.role)


async def _create(update: Update, context: BotContext, role: Role) -> None:
    member = context.member
    if not may_invite(role, member.role, inviter_is_admin=member.is_admin):
        allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
        await edit_or_reply(update, access_texts.invite_role_not_allowed(role, allowed))
        return
    ttl = timedelta(hours=context.settings.invite_ttl_hours)
    try:
        code, invite = await context.store.invites.create(role, by=member, ttl=ttl)
    except NotAllowedToInvite:
        allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
        await edit_or_reply(update, access_texts.invite_role_not_allowed(role, allowed))
        return
    except TooManyOpenInvites:
        await edit_or_reply(update, access_texts.too_many_open_invites(MAX_OPEN_INVITES))
        return
    link = deep_link(context.bot.username, code)
    expires = common_texts.local_datetime(invite.expires_at, context.settings.tz)
    await edit_or_reply(update, access_texts.invite_created(role, link, expires))


async def invites_command(update: Update, context: BotContext) -> None:
    await _show_open(update, context)


async def _show_open(update: Update, context: BotContext, notice: str | None = None) -> None:
    invites = await context.store.invites.open_by(context.member)
    tz = context.settings.tz
    if not invites:
        text = access_texts.INVITES_NONE
        await edit_or_reply(update, common_texts.notice_and(notice, text) if notice else text)
        return
    lines = [
        access_texts.invite_line(
            number,
            invite.role,
            common_texts.local_datetime(invite.created_at, tz),
            common_texts.local_datetime(invite.expires_at, tz),
        )
        for number, invite in enumerate(invites, start=1)
    ]
    text = access_texts.invites_list(lines)
    await edit_or_reply(
        update,
        common_texts.notice_and(notice, text) if notice else text,
        access_keyboards.open_invites([(i.id or 0, i.role) for i in invites]),
    )


async def _revoke(update: Update, context: BotContext, invite_id: int) -> None:
    query = query_of(update)
    revoked = await context.store.invites.revoke(invite_id, by=context.member)
    if revoked is None:
        await query.answer(access_texts.INVITE_NOT_OPEN, show_alert=True)
        await _show_open(update, context)
        return
    await query.answer()
    await _show_open(update, context, access_texts.invite_revoked_done(revoked.role))


def handlers() -> list[Handler]:
    return [
        command("invite", invite_command),
        command("invites", invites_command),
        button(callbacks.INVITE, invite_button),
    ]
