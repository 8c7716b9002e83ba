"""The access gate: the first handler group; nothing else runs for an unauthorised update.

Strangers, pending, suspended and rejected people get one fixed reply (and /start in a
private chat, to ask for access or use an invite). Members get each command and button
checked against bot.domain.commands / bot.domain.callbacks before any feature code sees
it.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.commands import BY_NAME
from bot.domain.roles import permissions_for
from handlers.common import display_name, is_private
from handlers.registry import Handler

GATE_GROUP = -1


def command_name(update: Update, bot_username: str) -> str | None:
    """'/Invite@ourbot officer' → 'invite'; None for other text or another bot's command."""
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    word = message.text.split(maxsplit=1)[0][1:]
    name, _, addressee = word.partition("@")
    if addressee and addressee.casefold() != bot_username.casefold():
        return None
    return name.casefold() or None


async def access_gate(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        raise ApplicationHandlerStop  # channel posts, polls and the like: nothing to do
    in_private = is_private(chat)
    if chat is not None and not in_private and chat.id != context.settings.coordinators_chat_id:
        raise ApplicationHandlerStop  # groups other than the coordinators' are ignored

    store = context.store
    member = await store.members.by_telegram_id(user.id)
    if user.id in context.settings.admin_ids and (
        member is None or not member.is_admin or not member.is_active
    ):
        # Admins named in settings cannot be locked out: they are how the bot is run.

        member = await store.members.ensure_admin(user.id, display_name(user), user.username)

    command = command_name(update, context.bot.username)
    if member is None or not member.is_active:
        if command == "start" and in_private and update.message is not None:
            return  # handlers.start decides: request access, use an invite, or explain status
        await _refuse_stranger(update, command)
        raise ApplicationHandlerStop

    context.member = await store.members.refresh_profile(member, display_name(user), user.username)
    granted = permissions_for(member.role, is_admin=member.is_admin, status=member.status)

    if update.callback_query is not None:
        parsed = callbacks.parse(update.callback_query.data)
        # No message: a button of an inline message, which this bot never sends.
        if parsed is None or update.callback_query.message is None:
            await update.callback_query.answer(texts.STALE_BUTTON)
            raise ApplicationHandlerStop
        if callbacks.PREFIX_PERMISSIONS[parsed.prefix] not in granted:
            await update.callback_query.answer(texts.NOT_ALLOWED_BUTTON, show_alert=True)
            raise ApplicationHandlerStop
        return

    if update.edited_message is not None:
        # A live location arrives as a stream of edits: those are not the member's doing.
        if in_private and update.edited_message.location is None:
            await update.edited_message.reply_text(texts.EDITS_NOT_READ)
        raise ApplicationHandlerStop

    if command is not None:
        spec = BY_NAME.get(command)
        if spec is None:
            return  # the unknown-command fallback answers
        if spec.permission not in granted:
            await _reply(update, texts.NOT_ALLOWED_COMMAND.format(command=spec.name))
            raise ApplicationHandlerStop
        if spec.private_only and not in_private:
            await _reply(update, texts.PRIVATE_ONLY.format(command=spec.name))
            raise ApplicationHandlerStop
        return

    if not in_private:
        raise ApplicationHandlerStop  # chatter in the coordinators' group is not for the bot


async def _refuse_stranger(update: Update, command: str | None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(texts.NOT_A_MEMBER, show_alert=True)
        return
    message = update.effective_message
    if message is None:
        return  # membership changes, reactions...: nothing to answer
    if message.chat.type != ChatType.PRIVATE and command is None:
        return  # plain group chatter from non-members is not addressed to the bot
    await message.reply_text(texts.NOT_A_MEMBER)


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


def handlers() -> list[tuple[int, Handler]]:
    return [(GATE_GROUP, TypeHandler(Update, access_gate))]
