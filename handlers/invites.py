"""/invite: one-time deep links bound to a role."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.members import InviteRole
from bot.domain.invites import deep_link
from bot.domain.roles import Role, invitable_roles, may_invite
from handlers.common import edit_or_reply, query_of, reply
from handlers.registry import Handler, button, command


async def invite_command(update: Update, context: BotContext) -> None:
    if not context.args:
        await start_invite(update, context)
        return
    member = context.member
    allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
    role = Role.parse(context.args[0])
    if role is None:
        await reply(update, texts.invite_unknown_role(context.args[0], allowed))
        return
    await _create(update, context, role)


async def start_invite(update: Update, context: BotContext) -> None:
    member = context.member
    allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
    await reply(update, texts.invite_choose_role(allowed), keyboards.invite_roles(allowed))


async def invite_button(update: Update, context: BotContext) -> None:
    query = query_of(update)
    pressed = InviteRole.unpack(query.data)
    role = pressed.role if pressed is not None else None
    await query.answer()
    if role is None:
        await reply(update, texts.STALE_BUTTON)
        return
    await _create(update, context, role)


async def _create(update: Update, context: BotContext, role: Role) -> None:
    member = context.member
    if not may_invite(role, member.role, inviter_is_admin=member.is_admin):
        allowed = invitable_roles(member.role, inviter_is_admin=member.is_admin)
        await edit_or_reply(update, texts.invite_role_not_allowed(role, allowed))
        return
    ttl = timedelta(hours=context.settings.invite_ttl_hours)
    code, invite = await context.store.invites.create(role, by=member, ttl=ttl)
    link = deep_link(context.bot.username, code)
    expires = texts.local_datetime(invite.expires_at, context.settings.tz)
    await edit_or_reply(update, texts.invite_created(role, link, expires))


def handlers() -> list[Handler]:
    return [command("invite", invite_command), button(callbacks.INVITE, invite_button)]
