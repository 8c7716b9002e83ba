"""Admins: access requests (approve/reject) and /members (roles, suspension, names).

A member's name is the one they joined with (never their current Telegram display name,
which anyone can change to pass for someone else); an admin may set another (Rename).
"""

from __future__ import annotations

import math
from enum import IntEnum

from telegram import Update

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.members import (
    ACCESS_BUTTONS,
    MEMBER_BUTTONS,
    AccessApprove,
    MemberAction,
    MemberPress,
    MemberSetRole,
    MembersPage,
)
from bot.domain.safeguarding import may_be_lead
from bot.keyboards import access as access_keyboards
from bot.texts import access as access_texts
from bot.texts import common as common_texts
from bot.texts import safeguarding as safeguarding_texts
from handlers.admin.typed_input import answer_button, input_conversation
from handlers.common import (
    edit_or_reply,
    message_of,
    notify,
    query_of,
    reply,
    send_main_menu,
    set_command_menu,
)
from handlers.conversation import END, end_flows, typed
from handlers.drafts import DraftSlot
from handlers.registry import Handler, button, command
from storage.access.members import MAX_NAME
from storage.models import Member

RENAMING = DraftSlot.of_type("members.renaming", int)  # the member whose name is due


class MemberInput(IntEnum):
    NAME = 1


async def decide_access(update: Update, context: BotContext) -> None:
    """acc:ok:<member>:<role> / acc:no:<member>, pressed by an admin."""
    query = query_of(update)
    pressed = ACCESS_BUTTONS.unpack(query.data)
    if pressed is None:
        await query.answer(common_texts.STALE_BUTTON)
        return
    member_id = pressed.member_id
    role = pressed.role if isinstance(pressed, AccessApprove) else None
    store, admin = context.store, context.member
    if role is not None:
        decided = await store.members.approve(member_id, role, by=admin)
        outcome = f"approved as {role.label}"
    else:
        decided = await store.members.reject(member_id, by=admin)
        outcome = "rejected"
    if decided is None:
        current = await store.members.get(member_id)
        if current is None:
            await query.answer(access_texts.MEMBER_NOT_FOUND)
            await edit_or_reply(update, access_texts.MEMBER_NOT_FOUND)
            return
        await query.answer(access_texts.access_already_decided(current.name, current.status))
        await edit_or_reply(
            update, access_texts.access_already_decided(current.name, current.status)
        )
        return
    await query.answer()
    when = common_texts.local_time(context.clock.now(), context.settings.tz)
    await edit_or_reply(
        update, access_texts.access_decided(decided.name, outcome, admin.name, when)
    )
    if role is not None:
        await set_command_menu(context.bot, decided)
        await send_main_menu(
            context.bot, decided.telegram_id, decided, access_texts.welcome(decided.name, role)
        )
    else:
        await notify(context.bot, decided.telegram_id, access_texts.you_were_rejected())


async def members_command(update: Update, context: BotContext) -> None:
    await show_members(update, context, page=0)


async def show_members(update: Update, context: BotContext, *, page: int) -> None:
    members = await context.store.members.all()
    per_page = access_keyboards.MEMBERS_PER_PAGE
    pages = max(1, math.ceil(len(members) / per_page))
    page = min(max(page, 0), pages - 1)
    shown = members[page * per_page : (page + 1) * per_page]
    await edit_or_reply(
        update,
        access_texts.members_header(len(members), page, pages),
        access_keyboards.member_list(shown, page, pages),
    )


async def member_button(update: Update, context: BotContext) -> None:
    """mem:list / card / roles / set / sus / rei."""
    query = query_of(update)
    pressed = MEMBER_BUTTONS.unpack(query.data)
    if pressed is None:
        await query.answer(common_texts.STALE_BUTTON)
        return
    if isinstance(pressed, MembersPage):
        await query.answer()
        await show_members(update, context, page=pressed.page)
        return
    target = await context.store.members.get(pressed.member_id)
    if target is None:
        await query.answer(access_texts.MEMBER_NOT_FOUND)
        return
    await _member_action(update, context, pressed, target)


async def _member_action(
    update: Update, context: BotContext, pressed: MemberPress | MemberSetRole, target: Member
) -> None:
    query = query_of(update)
    store, admin, bot = context.store, context.member, context.bot
    target_id = target.id or 0
    changed: Member | None
    match pressed:
        case MemberPress(action=MemberAction.CARD):
            await query.answer()
            await _show_card(update, context, target)
            return
        case MemberPress(action=MemberAction.ROLES):
            await query.answer()
            await edit_or_reply(
                update, access_texts.CHOOSE_ROLE, access_keyboards.role_choice(target)
            )
            return
        case MemberPress(action=MemberAction.RENAME):
            # The renaming conversation takes this press; reaching here, show the card.
            await query.answer()
            await _show_card(update, context, target)
            return
        case MemberPress(action=MemberAction.LEAD):
            await _toggle_lead(update, context, target)
            return
        case MemberSetRole(role=role):
            changed = await store.members.change_role(target_id, role, by=admin)
            notice = access_texts.role_changed_for_member(role)
            done = f"Role changed to {role.label}"
        case MemberPress(action=MemberAction.SUSPEND):
            if target_id == admin.id:
                await query.answer(access_texts.CANT_SUSPEND_SELF, show_alert=True)
                return
            changed = await store.members.suspend(target_id, by=admin)
            notice, done = access_texts.SUSPENDED_FOR_MEMBER, "Suspended"
        case _:  # MemberAction.REINSTATE
            changed = await store.members.reinstate(target_id, by=admin)
            notice, done = access_texts.REINSTATED_FOR_MEMBER, "Reinstated"
    if changed is None:
        await query.answer(access_texts.MEMBER_CHANGED_ELSEWHERE, show_alert=True)
        await _show_card(update, context, await store.members.get(target_id) or target)
        return
    await query.answer(access_texts.admin_action_done(done, changed.name))
    await _show_card(update, context, changed)
    await set_command_menu(bot, changed)
    # Access ends with the role: whatever they were doing stops now, drafts and all.
    if await end_flows(context, changed.telegram_id):
        notice = f"{notice}\n\n{access_texts.FLOWS_ENDED_ROLE_CHANGED}"
    await notify(bot, changed.telegram_id, notice)


async def _toggle_lead(update: Update, context: BotContext, target: Member) -> None:
    """The safeguarding lead flag, on or off: only a coordinator or outreach worker holds it."""
    query = query_of(update)
    lead = not target.safeguarding_lead
    if lead and not may_be_lead(target.role):
        await query.answer(safeguarding_texts.LEAD_ONLY_ROLES, show_alert=True)
        return
    changed = await context.store.members.set_safeguarding_lead(
        target.id or 0, lead, by=context.member
    )
    if changed is None:
        await query.answer(access_texts.MEMBER_CHANGED_ELSEWHERE, show_alert=True)
        await _show_card(update, context, await context.store.members.get(target.id or 0) or target)
        return
    done = "Safeguarding lead: " + ("yes" if lead else "no")
    await query.answer(access_texts.admin_action_done(done, changed.name))
    await _show_card(update, context, changed)
    await set_command_menu(context.bot, changed)
    await notify(
        context.bot,
        changed.telegram_id,
        safeguarding_texts.YOU_ARE_LEAD if lead else safeguarding_texts.YOU_ARE_NO_LONGER_LEAD,
    )


async def _show_card(update: Update, context: BotContext, member: Member) -> None:
    since = common_texts.local_datetime(member.created_at, context.settings.tz)
    text = access_texts.member_card(
        member.name,
        member.username,
        member.role,
        member.status,
        member.is_admin,
        since,
        lead=member.safeguarding_lead,
    )
    await edit_or_reply(update, text, access_keyboards.member_actions(member))


# ---- Rename: the name colleagues see ------------------------------------------------------
async def ask_name(update: Update, context: BotContext) -> int:
    """mem:ren:<member>: the new name is typed next."""
    query = query_of(update)
    pressed = MEMBER_BUTTONS.unpack(query.data)
    target = (
        await context.store.members.get(pressed.member_id)
        if isinstance(pressed, MemberPress)
        else None
    )
    if target is None or target.id is None:
        await query.answer(access_texts.MEMBER_NOT_FOUND)
        return END
    await query.answer()
    RENAMING.put(context, target.id)
    await reply(update, access_texts.MEMBER_ASK_NAME)
    return MemberInput.NAME


async def got_name(update: Update, context: BotContext) -> int | None:
    member_id = RENAMING.get(context)
    typed_name = " ".join((message_of(update).text or "").split())
    if not typed_name or len(typed_name) > MAX_NAME:
        await reply(update, common_texts.problem(access_texts.MEMBER_ASK_NAME))
        return None
    renamed = (
        await context.store.members.rename(member_id, typed_name, by=context.member)
        if member_id is not None
        else None
    )
    RENAMING.forget(context)
    if renamed is None:
        await reply(update, access_texts.MEMBER_NOT_FOUND)
        return END
    await reply(update, access_texts.member_renamed(renamed.name))
    await _show_card_message(update, context, renamed)
    return END


async def _show_card_message(update: Update, context: BotContext, member: Member) -> None:
    since = common_texts.local_datetime(member.created_at, context.settings.tz)
    text = access_texts.member_card(
        member.name,
        member.username,
        member.role,
        member.status,
        member.is_admin,
        since,
        lead=member.safeguarding_lead,
    )
    await reply(update, text, access_keyboards.member_actions(member))


def handlers() -> list[Handler]:
    renaming = input_conversation(
        name="members",
        entry_points=[answer_button(MEMBER_BUTTONS, (MemberAction.RENAME,), ask_name)],
        steps={MemberInput.NAME: [typed(got_name)]},
        family=MEMBER_BUTTONS,
        on_button=member_button,
        drafts=(RENAMING,),
    )
    return [
        button(callbacks.ACCESS, decide_access),
        command("members", members_command),
        renaming,
        button(callbacks.MEMBERS, member_button),
    ]
