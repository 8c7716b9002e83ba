"""Small helpers every handler module shares: narrowing PTB's Optionals, menus, notices."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.domain.access.commands import commands_for
from bot.domain.access.roles import member_permissions
from bot.domain.geo import validate_point
from bot.keyboards import access as access_keyboards
from bot.texts import access as access_texts
from storage.models import Member

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def display_name(user: User) -> str:
    name = " ".join(part for part in (user.first_name, user.last_name) if part).strip()
    return (name or user.username or f"user {user.id}")[:128]


def sender(update: Update) -> tuple[User, Chat]:
    """The user and chat of an update the access gate let through (both always present)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise RuntimeError("update without user or chat passed the access gate")
    return user, chat


def message_of(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise RuntimeError("handler expected a message")
    return message


def query_of(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise RuntimeError("handler expected a callback query")
    return update.callback_query


def shared_point(update: Update) -> tuple[float, float] | None:
    """The shared location's (lat, lon), or None when there is none or it is off the map."""
    message = update.effective_message
    location = message.location if message is not None else None
    if location is None:
        return None
    try:
        validate_point(location.latitude, location.longitude)
    except ValueError:
        return None
    return location.latitude, location.longitude


def is_private(chat: Chat | None) -> bool:
    return chat is not None and chat.type == ChatType.PRIVATE


async def reply(update: Update, text: str, markup: Markup | None = None) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(text, reply_markup=markup)


async def edit_or_reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message's text (callbacks) or reply (commands)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
        return
    await reply(update, text, markup)


async def send_main_menu(
    bot: ExtBot[None], chat_id: int, member: Member, text: str | None = None
) -> None:
    granted = member_permissions(member)
    await bot.send_message(
        chat_id,
        text or access_texts.main_menu(member.name, member.role, member.is_admin),
        reply_markup=access_keyboards.main_menu(granted),
    )


async def set_command_menu(bot: ExtBot[None], member: Member) -> None:
    """The command list Telegram shows this member: exactly their role's commands."""
    scope = BotCommandScopeChat(member.telegram_id)
    try:
        if not member.is_active:
            await bot.delete_my_commands(scope=scope)
            return
        specs = commands_for(
            member.role,
            is_admin=member.is_admin,
            status=member.status,
            is_lead=member.safeguarding_lead,
        )
        await bot.set_my_commands(
            [BotCommand(s.name, s.description) for s in specs if s.in_menu], scope=scope
        )
    except TelegramError as error:
        # A member who never opened the chat cannot get a menu yet; /start sets it later.
        log.warning(
            "could not set the command menu for member %s: %s", member.id, type(error).__name__
        )


async def notify(
    bot: ExtBot[None], chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Send a notice to one chat; False when the person blocked the bot or never started it."""
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except Forbidden:
        log.warning("chat %s cannot be reached (blocked or never started)", chat_id)
        return False
    return True
