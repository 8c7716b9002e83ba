"""The access gate: the first handler group; nothing else runs for an unauthorised update.

Strangers, pending, suspended and rejected people get one fixed reply in a private chat
(and /start, to ask for access, use an invite or answer the public survey), nothing at all
in the coordinators' group, and leave nothing behind: no row but the access request they
asked for, and no user or chat data in memory (bot.context.OpsApplication forgets empty
ones). The survey is the one thing anyone may do: its buttons (in a private chat) and the
place it awaits typed pass for everyone. Members get each command and button checked
against bot.domain.access.commands / bot.domain.callbacks before any feature code sees it; in
the group only alert and /stats buttons work. A member sending more than
TCAG_MEMBER_UPDATES_PER_MINUTE updates a minute is told once and ignored until the minute
is over (alert buttons and the report flow never are): one runaway phone must not hold up
everyone else's updates.
"""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.commands import BY_NAME
from bot.domain.access.flood import Verdict
from bot.domain.access.roles import member_permissions
from bot.texts import access as access_texts
from bot.texts import common as common_texts
from handlers.common import display_name, is_private
from handlers.partnership.survey import typed_place
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
    if in_private and _is_survey_press(update):
        # The public survey: anyone may answer (handlers.partnership.survey checks each button).
        return

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
            return  # handlers.start decides: access, an invite, the survey, or their status
        if in_private and command is None and await typed_place(update, context):
            raise ApplicationHandlerStop  # the survey's "somewhere else", typed
        await _refuse_stranger(update)
        raise ApplicationHandlerStop

    context.member = await store.members.refresh_username(member, user.username)
    granted = member_permissions(member)
    parsed = callbacks.parse(update.callback_query.data) if update.callback_query else None
    if in_private or command is not None or update.callback_query is not None:
        # (Group chatter is not for the bot: it does not count.)
        await _hold_back_a_flood(update, context, member.id or 0, parsed, in_private)

    if update.callback_query is not None:
        # No message: a button of an inline message, which this bot never sends.
        if parsed is None or update.callback_query.message is None:
            await update.callback_query.answer(common_texts.STALE_BUTTON)
            raise ApplicationHandlerStop
        if not in_private and parsed.prefix not in callbacks.GROUP_PREFIXES:
            await update.callback_query.answer(common_texts.BUTTON_PRIVATE_ONLY, show_alert=True)
            raise ApplicationHandlerStop
        if callbacks.PREFIX_PERMISSIONS[parsed.prefix] not in granted:
            await update.callback_query.answer(common_texts.NOT_ALLOWED_BUTTON, show_alert=True)
            raise ApplicationHandlerStop
        return

    if update.edited_message is not None:
        # A live location arrives as a stream of edits: they pass to the one live-location
        # handler (handlers.duty, first of the features), which takes nothing else; every
        # other handler takes new messages only. Other edits are not read.
        if in_private and update.edited_message.location is not None:
            return
        if in_private:
            await update.edited_message.reply_text(common_texts.EDITS_NOT_READ)
        raise ApplicationHandlerStop

    if command is not None:
        spec = BY_NAME.get(command)
        if spec is None:
            return  # the unknown-command fallback answers
        if spec.permission not in granted:
            await _reply(update, common_texts.NOT_ALLOWED_COMMAND.format(command=spec.name))
            raise ApplicationHandlerStop
        if spec.private_only and not in_private:
            await _reply(update, common_texts.PRIVATE_ONLY.format(command=spec.name))
            raise ApplicationHandlerStop
        return

    if not in_private:
        raise ApplicationHandlerStop  # chatter in the coordinators' group is not for the bot
    if await typed_place(update, context):
        raise ApplicationHandlerStop  # the survey's place, typed: not a quick report


def _is_survey_press(update: Update) -> bool:
    query = update.callback_query
    parsed = callbacks.parse(query.data) if query is not None else None
    return (
        parsed is not None
        and parsed.prefix == callbacks.SURVEY
        and query is not None
        and (query.message is not None)
    )


async def _hold_back_a_flood(
    update: Update,
    context: BotContext,
    member_id: int,
    parsed: callbacks.Callback | None,
    in_private: bool,
) -> None:
    """Stop this update if the member is over their rate: one notice, then silence."""
    urgent = parsed is not None and parsed.prefix in callbacks.NEVER_HELD_BACK
    verdict = context.services.flood_gate.check(member_id, context.clock.now(), urgent=urgent)
    if verdict is Verdict.PASS:
        return
    query = update.callback_query
    if verdict is Verdict.NOTICE and in_private:  # in the group: silence, its budget is shared
        resumes = context.services.flood_gate.resumes_at(member_id) or context.clock.now()
        notice = access_texts.flood_notice(common_texts.local_time(resumes, context.settings.tz))
        if query is not None:
            await query.answer(_plain(notice)[:200], show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(notice)
    elif query is not None:
        await query.answer()  # a press is always answered (an answer is no chat message)
    raise ApplicationHandlerStop


def _plain(html_text: str) -> str:
    return html.unescape(html_text)


async def _refuse_stranger(update: Update) -> None:
    if update.callback_query is not None:
        # A private answer to the one who pressed, never a message in a chat.
        await update.callback_query.answer(common_texts.NOT_A_MEMBER, show_alert=True)
        return
    message = update.effective_message
    if message is None:
        return  # membership changes, reactions...: nothing to answer
    if message.chat.type != ChatType.PRIVATE:
        return  # in the group the bot answers members only: its 20 messages a minute are theirs
    await message.reply_text(common_texts.NOT_A_MEMBER)


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


def handlers() -> list[tuple[int, Handler]]:
    return [(GATE_GROUP, TypeHandler(Update, access_gate))]
