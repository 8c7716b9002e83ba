"""Duty: /on (with the briefing, and a location if the member adds one), /off, /duty, and
closing duty left open after its shift (a job every 5 minutes; see bot.duty for the rule).

Urgent alerts go to the members on duty (storage.reports), so /on and /off decide who is
alerted. /duty shows names, roles and since-times only, never locations.

A member's location (added to their duty, or their Telegram live location while on duty)
is theirs: used on their own quick reports only, and forgotten at /off. A live location's
updates are edited messages; `live_location_handler` is the one handler that takes them,
silently, and it comes before every other feature.
"""

from __future__ import annotations

import logging
from enum import IntEnum

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from bot.domain.callbacks.admin import DUTY_BUTTONS, DutyAction, DutyLocation
from bot.domain.geo import validate_point
from bot.domain.shifts.duty import duty_closes, shifts_now
from bot.jobs.duty_close import close_stale_duty
from bot.keyboards import duty as duty_keyboards
from bot.summaries.on_demand import briefing_now
from bot.texts import common as common_texts
from bot.texts import duty as duty_texts
from bot.texts import referrals as referrals_texts
from bot.texts.split import CAPTION_LIMIT, split_message
from handlers.access import command_name
from handlers.alerts import safety
from handlers.common import message_of, query_of, reply
from handlers.conversation import END, Handler, conversation, on
from handlers.drafts import DraftSlot
from handlers.registry import button, command

log = logging.getLogger(__name__)

# The duty session a location is awaited for.
LOCATING = DraftSlot.of_type("duty.locating", int)


class DutyInput(IntEnum):
    LOCATION = 1


# ---- /on, /off, /duty ----------------------------------------------------------------------
async def on_command(update: Update, context: BotContext) -> None:
    services, store, member = context.services, context.store, context.member
    await close_stale_duty(services, member_id=member.id)  # a forgotten duty ends first
    duty, started = await store.duty.start(member.id or 0)
    tz, now = context.settings.tz, context.clock.now()
    since = duty_texts.duty_since(duty.started_at, now, tz)
    if not started:
        await reply(update, duty_texts.duty_already(since))
        return
    log.info("member %s went on duty (session %s)", member.id, duty.id)
    shift = duty_closes(await store.shifts.patterns(), tz, duty.started_at).shift
    started_text = duty_texts.duty_started(
        since,
        shift.pattern_name if shift else None,
        common_texts.local_time(shift.ends_at, tz) if shift else None,
    )
    mode_text, mode_buttons = await safety.working_mode_offer(context, duty.id or 0)
    await reply(
        update,
        f"{started_text}\n\n{mode_text}",
        duty_keyboards.duty_started(duty.id or 0, mode_buttons),
    )
    await _send_briefing(update, context)
    # An outreach worker's waiting referrals were queued with the duty (storage.shifts).
    waiting = await store.referrals.waiting_for(member.telegram_id)
    if waiting:
        await reply(update, referrals_texts.waiting_at_on(waiting))
        context.services.outbox_wakeup.set()


async def _send_briefing(update: Update, context: BotContext) -> None:
    """The current briefing, as coordinators get it with /brief."""
    try:
        composed = await briefing_now(context.services, context.clock.now())
    except Exception:  # duty has started: a briefing that fails must not undo that
        log.exception("could not compose the briefing for member %s", context.member.id)
        return
    for part in split_message(composed.text):
        await reply(update, part)
    if composed.chart_png:
        captions = split_message(composed.caption or "", CAPTION_LIMIT)
        await message_of(update).reply_photo(
            composed.chart_png, caption=captions[0] if captions else None
        )


async def off_command(update: Update, context: BotContext) -> None:
    services, store, member = context.services, context.store, context.member
    await close_stale_duty(services, member_id=member.id)  # then it is already closed
    ended = await store.duty.end(member.id or 0)
    if ended is None or ended.ended_at is None:
        await reply(update, duty_texts.NOT_ON_DUTY)
        return
    log.info("member %s went off duty (session %s)", member.id, ended.id)
    tz, now = context.settings.tz, context.clock.now()
    await reply(
        update,
        duty_texts.duty_ended(
            duty_texts.duty_since(ended.started_at, now, tz),
            common_texts.local_time(ended.ended_at, tz),
            ended.ended_at - ended.started_at,
        ),
        ReplyKeyboardRemove(),
    )


async def duty_command(update: Update, context: BotContext) -> None:
    services, store = context.services, context.store
    await close_stale_duty(services)  # so nobody is listed past their duty's end
    tz, now = context.settings.tz, context.clock.now()
    running = shifts_now(await store.shifts.patterns(), tz, now)
    on_duty = await store.duty.on_duty_now()
    await reply(
        update,
        duty_texts.duty_list(
            [
                (d.member.name, d.member.role, duty_texts.duty_since(d.session.started_at, now, tz))
                for d in on_duty
            ],
            [
                duty_texts.shift_until(o.pattern_name, common_texts.local_time(o.ends_at, tz))
                for o in running
            ],
        ),
    )


# ---- adding a location to one's duty -------------------------------------------------------
async def ask_location(update: Update, context: BotContext) -> int:
    """dut:loc:<session>: pressed under "You're on duty since …"."""
    query = query_of(update)
    pressed = DutyLocation.unpack(query.data)
    session_id = pressed.session_id if pressed is not None else None
    current = await context.store.duty.current(context.member.id or 0)
    if current is None or session_id is None or current.id != session_id:
        await query.answer(duty_texts.DUTY_NOT_OPEN)
        return END
    await query.answer()
    LOCATING.put(context, session_id)
    await reply(update, duty_texts.DUTY_ASK_LOCATION, duty_keyboards.duty_location())
    return DutyInput.LOCATION


async def got_location(update: Update, context: BotContext) -> int | None:
    location = message_of(update).location
    if location is None:
        await reply(update, duty_texts.DUTY_NEED_LOCATION)
        return None
    try:
        validate_point(location.latitude, location.longitude)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    session_id = LOCATING.pop(context)
    saved = (
        await context.store.duty.set_location(
            session_id, context.member.id or 0, location.latitude, location.longitude
        )
        if session_id is not None
        else None
    )
    await reply(
        update,
        duty_texts.DUTY_LOCATION_SAVED if saved is not None else duty_texts.DUTY_NOT_OPEN,
        ReplyKeyboardRemove(),
    )
    return END


async def no_location(update: Update, context: BotContext) -> int:
    """The "No thanks" button, or /cancel."""
    LOCATING.forget(context)
    await reply(update, duty_texts.DUTY_LOCATION_SKIPPED, ReplyKeyboardRemove())
    return END


async def stale_button(update: Update, context: BotContext) -> None:
    """A dut: button of another version: answered, changes nothing."""
    await query_of(update).answer(common_texts.STALE_BUTTON)


async def need_location(update: Update, context: BotContext) -> None:
    await reply(update, duty_texts.DUTY_NEED_LOCATION)


async def interrupted(update: Update, context: BotContext) -> int:
    """Another command while a location is awaited: stop, and ask for the command again."""
    LOCATING.forget(context)
    word = command_name(update, context.bot.username) or "help"
    await reply(update, common_texts.edit_interrupted(word), ReplyKeyboardRemove())
    return END


def _location_conversation() -> ConversationHandler[BotContext]:
    return conversation(
        "duty",
        permission=Permission.MEMBER,
        entry_points=[
            CallbackQueryHandler(ask_location, pattern=DUTY_BUTTONS.pattern(DutyAction.LOCATION))
        ],
        steps={
            DutyInput.LOCATION: [
                on(filters.LOCATION, got_location),
                on(filters.Text([duty_texts.DUTY_NO_LOCATION]), no_location),
            ]
        },
        otherwise=need_location,
        cancel=no_location,
        interrupted=interrupted,
    )


# ---- a live location's updates -------------------------------------------------------------
async def live_location_moved(update: Update, context: BotContext) -> None:
    """An edited location message: where the member on duty is now. Never answered (it
    comes every few seconds); ignored off duty, and for a point off the map."""
    message = update.edited_message
    location = message.location if message is not None else None
    if location is None:
        return
    try:
        validate_point(location.latitude, location.longitude)
    except ValueError:
        return
    await context.store.duty.set_live_location(
        context.member.id or 0, location.latitude, location.longitude
    )


def live_location_handler() -> Handler:
    """Edited location messages in a private chat, and nothing else."""
    edited_locations = filters.UpdateType.EDITED_MESSAGE & filters.LOCATION
    return MessageHandler(edited_locations & filters.ChatType.PRIVATE, live_location_moved)


def handlers() -> list[Handler]:
    return [
        _location_conversation(),
        command("on", on_command),
        command("off", off_command),
        command("duty", duty_command),
        button(callbacks.DUTY, stale_button),
    ]
