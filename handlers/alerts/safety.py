"""Staff safety: alone or paired at /on, check-ins answered, "Need help" (/sos, its button on
every check-in and the main menu), "I'm contacting them" on a safety alert, coordinators
ending a forgotten session (/checkins) and admins setting each role's default
(/checkinrole). Any message or button press from a member working alone counts as a check-in
(`sign_of_life`, after every feature has run).

What the alerts say and to whom is storage.safety and bot.jobs.safety_messages; this is the
Telegram glue. A press on a safety alert counts only from a copy sent to that chat.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, Message, Update
from telegram.error import BadRequest
from telegram.ext import TypeHandler

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Role
from bot.domain.alerts.staff_safety import (
    MAX_EVERY_MINUTES,
    MIN_EVERY_MINUTES,
    SessionEnd,
)
from bot.domain.alerts.update_priority import SOS_COMMAND
from bot.domain.callbacks.safety import (
    SAFETY_BUTTONS,
    CheckInOk,
    EndCheckIns,
    NeedHelp,
    SafetyAck,
    SafetyAction,
    WorkingMode,
)
from bot.jobs.safety_messages import safety_message
from bot.keyboards import duty as duty_keyboards
from bot.keyboards import safety as keyboards
from bot.texts import common as common_texts
from bot.texts import safety as texts
from handlers.common import is_private, query_of, reply
from handlers.registry import Handler, button, command
from storage.safety.alerts import may_acknowledge

log = logging.getLogger(__name__)

SIGN_OF_LIFE_GROUP = 1  # after the features: it never answers, only notes the time


def _at(context: BotContext, minutes: int = 0) -> str:
    moment = context.clock.now() + timedelta(minutes=minutes)
    return common_texts.local_time(moment, context.settings.tz)


async def _every_minutes(context: BotContext, role: Role) -> tuple[int, bool]:
    """(check-in interval, alone by default) for this role."""
    default = await context.store.checkins.role_default(role)
    every = (default.every_minutes if default else None) or context.settings.checkin_minutes
    return every, bool(default and default.alone)


# ---- /on: alone or paired ------------------------------------------------------------------
async def working_mode_offer(
    context: BotContext, duty_id: int
) -> tuple[str, list[InlineKeyboardButton]]:
    """For /on's reply, once the duty has started: the question (one tap), or the role's
    default (alone: check-ins start now, with a way out)."""
    member = context.member
    every, alone = await _every_minutes(context, member.role)
    if alone:
        await context.store.checkins.start(member.id or 0, duty_id, every)
        context.services.lone_workers.ids.add(member.id or 0)
        log.info("member %s works alone by their role's default", member.id)
        return texts.alone_by_default(every), keyboards.im_paired(duty_id)
    return texts.ask_working_mode(every), keyboards.working_mode(duty_id)


async def _working_mode(update: Update, context: BotContext, press: WorkingMode) -> None:
    query, member, store = query_of(update), context.member, context.store
    duty = await store.duty.current(member.id or 0)
    if duty is None or duty.id != press.duty_id:
        await query.answer(texts.MODE_TOO_LATE)
        return
    await query.answer()
    with contextlib.suppress(BadRequest):  # answered: the question goes, the location stays
        await query.edit_message_reply_markup(duty_keyboards.duty_started(press.duty_id))
    if press.action is SafetyAction.ALONE:
        every, _ = await _every_minutes(context, member.role)
        session = await store.checkins.start(member.id or 0, press.duty_id, every)
        context.services.lone_workers.ids.add(member.id or 0)
        log.info("member %s works alone (check-ins %s)", member.id, session.id)
        next_at = session.last_seen_at + timedelta(minutes=session.every_minutes)
        shown = common_texts.local_time(next_at, context.settings.tz)
        await reply(update, texts.checkins_started(session.every_minutes, shown))
        return
    ended = await store.checkins.end_own(member.id or 0, SessionEnd.PAIRED)
    await reply(update, texts.CHECKINS_STOPPED if ended else texts.PAIRED)


# ---- a check-in's answer -------------------------------------------------------------------
async def _all_ok(update: Update, context: BotContext, press: CheckInOk) -> None:
    query, member, store = query_of(update), context.member, context.store
    session = await store.checkins.current(member.id or 0)
    if session is None or session.id != press.session_id:
        await query.answer(texts.CHECKIN_NOT_YOURS)
        return
    answered = await store.checkins.seen(member.id or 0)
    next_at = _at(context, session.every_minutes)
    await query.answer(texts.checkin_answered(next_at))
    message = query.message
    if isinstance(message, Message) and message.text_html is not None:
        with contextlib.suppress(BadRequest):  # the check-in keeps its words, not its buttons
            await query.edit_message_text(f"{message.text_html}\n✅ {_at(context)}")
    await reply(update, texts.checkin_answered(next_at))
    if answered:
        context.services.outbox_wakeup.set()
        await reply(update, texts.ANSWERED_ALERT)


# ---- "Need help" ---------------------------------------------------------------------------
async def need_help(update: Update, context: BotContext) -> None:
    """/sos, or the 🆘 button: the alert goes out first of everything queued."""
    member, services = context.member, context.services
    if update.callback_query is not None:
        await update.callback_query.answer(texts.CALL_999)
    raised = await context.store.safety.raise_help(
        member, group_chat_id=context.settings.coordinators_chat_id
    )
    if not raised.new:
        at = common_texts.local_time(raised.alert.raised_at, context.settings.tz)
        await reply(update, texts.help_still_open(at))
        return
    log.warning("member %s raised a staff-safety alert %s", member.id, raised.alert.id)
    services.safety_wakeup.set()
    services.outbox_wakeup.set()
    located = raised.alert.lat is not None
    await reply(update, texts.help_raised(located=located))


# ---- "I'm contacting them" -----------------------------------------------------------------
async def _contacting(update: Update, context: BotContext, press: SafetyAck) -> None:
    query, member, store = query_of(update), context.member, context.store
    message = query.message
    if message is None:
        await query.answer(texts.ACK_NOT_RECEIVED)
        return
    pressed = (message.chat.id, message.message_id)
    copy = await store.safety.received(press.alert_id, *pressed)
    if copy is None:
        await query.answer(texts.ACK_NOT_RECEIVED)
        return
    if not may_acknowledge(member):
        await query.answer(texts.ACK_NOT_ALLOWED, show_alert=True)
        return
    notice = texts.contacting_you(member.name, _at(context))
    if not await store.safety.acknowledge(
        press.alert_id, by=member, pressed=pressed, member_notice=notice
    ):
        await query.answer(texts.ACK_CLOSED)
    else:
        context.services.outbox_wakeup.set()
        await query.answer(texts.ACK_DONE)
    view = await store.safety.view(press.alert_id)
    if view is None or not isinstance(message, Message):
        return
    shown = safety_message(
        view,
        now=context.clock.now(),
        tz=context.settings.tz,
        step=copy.alert_step or 0,
        chat_id=pressed[0],
        recipient=member if pressed[0] > 0 else None,
    )
    try:
        await query.edit_message_text(shown.text, reply_markup=shown.markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            log.warning("could not edit the pressed safety alert %s", press.alert_id)


# ---- coordinators: forgotten sessions ------------------------------------------------------
async def checkins_command(update: Update, context: BotContext) -> None:
    running = await context.store.checkins.running()
    tz = context.settings.tz
    rows = [
        (
            r.member.name,
            r.member.role,
            r.session.every_minutes,
            common_texts.local_time(r.session.last_seen_at, tz),
        )
        for r in running
    ]
    ends = [(r.session.id or 0, r.member.name) for r in running]
    await reply(update, texts.running_list(rows), keyboards.end_sessions(ends))


async def _end(update: Update, context: BotContext, press: EndCheckIns) -> None:
    query, member = query_of(update), context.member
    if not may_acknowledge(member):
        await query.answer(texts.NOT_COORDINATOR, show_alert=True)
        return
    ended = await context.store.checkins.end_forgotten(
        press.session_id, by=member, notice=texts.ended_by_coordinator(member.name)
    )
    if ended is None:
        await query.answer(texts.ALREADY_ENDED)
        return
    context.services.outbox_wakeup.set()
    log.info("member %s ended check-ins %s", member.id, press.session_id)
    await query.answer(texts.ended_for(ended.member.name))
    await reply(update, common_texts.esc(texts.ended_for(ended.member.name)))


# ---- admins: each role's default -----------------------------------------------------------
async def checkinrole_command(update: Update, context: BotContext) -> None:
    words = [w.casefold() for w in (context.args or [])]
    store, settings = context.store, context.settings
    usage = texts.CHECKINROLE_USAGE.format(
        low=MIN_EVERY_MINUTES,
        high=MAX_EVERY_MINUTES,
        roles=", ".join(r.value for r in Role),
    )
    if not words:
        defaults = await store.checkins.role_defaults()
        rows = [
            (
                role,
                bool(defaults.get(role) and defaults[role].alone),
                (defaults[role].every_minutes if role in defaults else None)
                or settings.checkin_minutes,
            )
            for role in Role
        ]
        await reply(update, f"{texts.role_defaults(rows)}\n\n{usage}")
        return
    role = Role.parse(words[0])
    mode = words[1] if len(words) > 1 else ""
    minutes = words[2] if len(words) > 2 else None
    every: int | None = None
    if minutes is not None:
        every = int(minutes) if minutes.isdigit() else -1
    if (
        role is None
        or mode not in ("alone", "paired")
        or len(words) > 3
        or (every is not None and not MIN_EVERY_MINUTES <= every <= MAX_EVERY_MINUTES)
    ):
        await reply(update, usage)
        return
    saved = await store.checkins.set_role_default(
        role, alone=mode == "alone", every_minutes=every, by=context.member
    )
    await reply(
        update,
        texts.role_default_set(role, saved.alone, saved.every_minutes or settings.checkin_minutes),
    )


# ---- presses, and signs of life ------------------------------------------------------------
async def safety_pressed(update: Update, context: BotContext) -> None:
    query = query_of(update)
    press = SAFETY_BUTTONS.unpack(query.data)
    in_private = is_private(update.effective_chat)
    match press:
        case SafetyAck():
            await _contacting(update, context, press)
        case _ if not in_private:
            await query.answer(common_texts.BUTTON_PRIVATE_ONLY, show_alert=True)
        case NeedHelp():
            await need_help(update, context)
        case CheckInOk():
            await _all_ok(update, context, press)
        case WorkingMode():
            await _working_mode(update, context, press)
        case EndCheckIns():
            await _end(update, context, press)
        case _:
            await query.answer(common_texts.STALE_BUTTON)


async def sign_of_life(update: Update, context: BotContext) -> None:
    """A member's message or press in their private chat: their check-in clock restarts
    (and a missed check-in's alert is answered). Not "Need help", not a live location's
    updates (a phone moving says nothing of its owner), not a safety button (they note it
    themselves)."""
    if not context.has_member or not is_private(update.effective_chat):
        return
    if not context.services.lone_workers.may_be(context.member.id or 0):
        return
    if update.message is None and update.callback_query is None:
        return
    query = update.callback_query
    parsed = callbacks.parse(query.data) if query is not None else None
    if parsed is not None and parsed.prefix == callbacks.SAFETY:
        return
    if update.message is not None and SOS_COMMAND.match(update.message.text or ""):
        return
    if await context.store.checkins.seen(context.member.id or 0):
        context.services.outbox_wakeup.set()
        await reply(update, texts.ANSWERED_ALERT)


def handlers() -> list[Handler]:
    return [
        command("sos", need_help),
        command("checkins", checkins_command),
        command("checkinrole", checkinrole_command),
        button(callbacks.SAFETY, safety_pressed),
    ]


def late_handlers() -> list[tuple[int, Handler]]:
    return [(SIGN_OF_LIFE_GROUP, TypeHandler(Update, sign_of_life))]
