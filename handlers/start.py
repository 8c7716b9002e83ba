"""/start (menu, access requests, invites), /help, /cancel and the fallbacks."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.commands import commands_for
from bot.domain.access.invites import looks_like_code
from bot.domain.access.roles import Status
from bot.domain.callbacks.members import MenuAction, MenuPress
from bot.keyboards import access as access_keyboards
from bot.texts import access as access_texts
from bot.texts import common as common_texts
from handlers.admin.invites import start_invite
from handlers.admin.members import show_members
from handlers.common import (
    display_name,
    message_of,
    notify,
    query_of,
    reply,
    send_main_menu,
    sender,
    set_command_menu,
)
from handlers.partnership.survey import SURVEY_PAYLOAD, start_survey
from handlers.registry import Handler, button, command
from storage.access.invites import Redeemed

log = logging.getLogger(__name__)

_REDEEM_REPLIES = {
    Redeemed.UNKNOWN: access_texts.INVITE_UNKNOWN,
    Redeemed.USED: access_texts.INVITE_USED,
    Redeemed.EXPIRED: access_texts.INVITE_EXPIRED,
    Redeemed.ALREADY_MEMBER: access_texts.INVITE_ALREADY_MEMBER,
    Redeemed.SUSPENDED: access_texts.INVITE_SUSPENDED,
    Redeemed.REVOKED: access_texts.INVITE_REVOKED,
    Redeemed.WITHDRAWN: access_texts.INVITE_WITHDRAWN,
}


async def start(update: Update, context: BotContext) -> None:
    code = context.args[0] if context.args else None
    if code == SURVEY_PAYLOAD:
        await start_survey(update, context)  # anyone, members and strangers alike
        return
    if code is not None:
        await _use_invite(update, context, code)
        return
    if context.has_member:
        _, chat = sender(update)
        await set_command_menu(context.bot, context.member)
        await send_main_menu(context.bot, chat.id, context.member)
        return
    await _request_access(update, context)


async def _request_access(update: Update, context: BotContext) -> None:
    user, _ = sender(update)
    store = context.store
    member, created = await store.members.request_access(user.id, display_name(user), user.username)
    if not created:
        status_reply = {
            Status.PENDING: access_texts.REQUEST_STILL_PENDING,
            Status.REJECTED: access_texts.REQUEST_WAS_DECLINED,
            Status.SUSPENDED: access_texts.SUSPENDED,
        }
        await reply(update, status_reply.get(member.status, common_texts.NOT_A_MEMBER))
        return
    admins = await store.members.active_admins()
    text = access_texts.access_request_for_admins(member.name, member.username, member.telegram_id)
    delivered = 0
    for admin in admins:
        if await notify(
            context.bot, admin.telegram_id, text, access_keyboards.access_request(member.id or 0)
        ):
            delivered += 1
    if not delivered:
        log.warning("access request %s recorded but no admin could be told", member.id)
    template = access_texts.REQUEST_SENT if delivered else access_texts.REQUEST_NO_ADMINS
    await reply(update, template.format(name=common_texts.esc(member.name)))


async def _use_invite(update: Update, context: BotContext, code: str) -> None:
    user, chat = sender(update)
    if not looks_like_code(code):
        await reply(update, access_texts.INVITE_UNKNOWN)
        return
    redemption = await context.store.invites.redeem(
        code, telegram_id=user.id, name=display_name(user), username=user.username
    )
    member = redemption.member
    if redemption.outcome is not Redeemed.JOINED or member is None:
        await reply(update, _REDEEM_REPLIES[redemption.outcome])
        return
    await set_command_menu(context.bot, member)
    await send_main_menu(
        context.bot, chat.id, member, access_texts.welcome(member.name, member.role)
    )
    if redemption.created_by_id is not None:
        inviter = await context.store.members.get(redemption.created_by_id)
        if inviter is not None and inviter.is_active:
            await notify(
                context.bot,
                inviter.telegram_id,
                access_texts.joined_for_inviter(member.name, member.role),
            )


async def help_command(update: Update, context: BotContext) -> None:
    member = context.member
    specs = commands_for(
        member.role,
        is_admin=member.is_admin,
        status=member.status,
        is_lead=member.safeguarding_lead,
    )
    await reply(update, access_texts.help_text([s for s in specs if s.in_menu]))


async def cancel(update: Update, context: BotContext) -> None:
    await reply(update, common_texts.CANCELLED)


async def menu_button(update: Update, context: BotContext) -> None:
    query = query_of(update)
    pressed = MenuPress.unpack(query.data)
    await query.answer()
    match pressed.action if pressed is not None else None:
        case MenuAction.HELP:
            await help_command(update, context)
        case MenuAction.INVITE:
            await start_invite(update, context)
        case MenuAction.MEMBERS:
            await show_members(update, context, page=0)
        case _:  # the Report button is the report conversation's; anything else is stale
            await reply(update, common_texts.STALE_BUTTON)


async def unknown_command(update: Update, context: BotContext) -> None:
    await reply(update, common_texts.UNKNOWN_COMMAND)


async def not_understood(update: Update, context: BotContext) -> None:
    message = message_of(update)
    if message.chat.type == "private":
        await reply(update, common_texts.NOT_UNDERSTOOD)


def handlers() -> list[Handler]:
    return [
        command("start", start),
        command("help", help_command),
    ]


def fallbacks() -> list[Handler]:
    """Last in the feature group: whatever nothing else took.

    /cancel and the menu buttons are here too, so a conversation that is waiting (a report,
    an admin's typed answer) gets its own /cancel, and the menu's Report button, first.
    """
    return [
        command("cancel", cancel),
        button(callbacks.MENU, menu_button),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, not_understood),
    ]
