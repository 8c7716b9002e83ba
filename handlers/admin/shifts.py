"""Admins: /shifts — the shift patterns briefings, digests and duty follow.

    /shifts                                           the list; tap one to change or remove it
    /shifts add                                       step by step: name, days, start, end
    /shifts add Friday late                           the same, name given
    /shifts add Friday late | fri,sat | 20:00 | 03:00 all at once

Days and times are read by bot.shift_windows, so a typo gets its friendly explanation and
changes nothing. After every change the scheduler rebuilds its jobs.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from datetime import datetime
from enum import IntEnum

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.admin import (
    SHIFT_BUTTONS,
    ShiftAction,
    ShiftAdd,
    ShiftPress,
    ShiftsList,
)
from bot.domain.shifts.shift_input import parse_shift_line, shift_name
from bot.domain.shifts.shift_windows import (
    ShiftPattern,
    format_clock,
    format_weekdays,
    next_occurrence,
    parse_clock,
    parse_weekdays,
)
from bot.keyboards import shifts as shifts_keyboards
from bot.texts import common as common_texts
from bot.texts import shifts as shifts_texts
from handlers.admin.typed_input import answer_button, input_conversation
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.conversation import END, Handler, typed
from handlers.drafts import DraftSlot, forget_all
from handlers.registry import button, command
from storage.shifts import ShiftProblem, StoredShift

log = logging.getLogger(__name__)

DRAFT = DraftSlot.of_type("shifts.draft", dict)  # what was typed so far for a new shift
EDITING = DraftSlot.of_type("shifts.editing", int)  # the id of the shift being changed


class ShiftInput(IntEnum):
    NEW_NAME = 1
    NEW_DAYS = 2
    NEW_START = 3
    NEW_END = 4
    RENAME = 5
    DAYS = 6
    START = 7
    END = 8


# ---- after a change ------------------------------------------------------------------------
async def patterns_changed(application: Application) -> None:  # type: ignore[type-arg]
    """Have the scheduler rebuild its jobs from the patterns now stored."""
    try:
        from bot.jobs.scheduler import reschedule
    except ImportError:  # no scheduler in this build: jobs are read at start-up
        return
    try:
        result = reschedule(application)
        if inspect.isawaitable(result):
            await result
    except Exception:  # the change is saved; the scheduler's own jobs re-plan later
        log.exception("could not rebuild the schedule after a shift pattern changed")


# ---- showing -------------------------------------------------------------------------------
async def show_shifts(update: Update, context: BotContext) -> None:
    shifts = await context.store.shifts.active()
    await edit_or_reply(
        update,
        shifts_texts.shifts_header(
            [s.pattern.describe() for s in shifts], context.settings.timezone
        ),
        shifts_keyboards.shift_list([(s.id, s.pattern.describe()) for s in shifts]),
    )


async def show_shift(
    update: Update, context: BotContext, shift: StoredShift, notice: str | None = None
) -> None:
    text = shift_card(shift.pattern, context)
    if notice:
        text = common_texts.notice_and(notice, text)
    await edit_or_reply(update, text, shifts_keyboards.shift_actions(shift.id))


def shift_card(pattern: ShiftPattern, context: BotContext) -> str:
    tz, now = context.settings.tz, context.clock.now()
    upcoming = next_occurrence(pattern, tz, now)
    return shifts_texts.shift_card(
        pattern.name,
        format_weekdays(pattern.weekdays),
        format_clock(pattern.start),
        format_clock(pattern.end),
        crosses_midnight=pattern.crosses_midnight,
        next_shift=shifts_texts.shift_next(
            common_texts.local_datetime(upcoming.starts_at, tz),
            _end_label(upcoming.starts_at, upcoming.ends_at, context),
            upcoming.duration,
        ),
        tz_name=context.settings.timezone,
    )


def _end_label(starts_at: datetime, ends_at: datetime, context: BotContext) -> str:
    tz = context.settings.tz
    same_day = starts_at.astimezone(tz).date() == ends_at.astimezone(tz).date()
    return (
        common_texts.local_time(ends_at, tz)
        if same_day
        else common_texts.local_datetime(ends_at, tz)
    )


def _forget(context: BotContext) -> None:
    forget_all(context, DRAFT, EDITING)


# ---- /shifts [add …] -----------------------------------------------------------------------
async def shifts_command(update: Update, context: BotContext) -> int:
    _forget(context)
    words = (message_of(update).text or "").split(maxsplit=2)
    if len(words) == 1:
        await show_shifts(update, context)
        return END
    if words[1].casefold() != "add":
        await reply(update, shifts_texts.SHIFTS_USAGE)
        return END
    rest = words[2].strip() if len(words) > 2 else ""
    if not rest:
        await reply(update, shifts_texts.SHIFT_ASK_NAME)
        return ShiftInput.NEW_NAME
    if "|" not in rest:  # just the name: ask for the rest
        return await got_new_name(update, context, typed_name=rest)
    try:
        pattern = parse_shift_line(rest)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error), in_flow=False))
        return END
    await _add(update, context, pattern, in_flow=False)
    return END


async def _add(
    update: Update, context: BotContext, pattern: ShiftPattern, *, in_flow: bool
) -> bool:
    added = await context.store.shifts.add(pattern)
    if added is None:
        await reply(update, common_texts.problem(shifts_texts.SHIFT_NAME_TAKEN, in_flow=in_flow))
        return False
    _forget(context)
    log.info("shift pattern %s added by member %s", added.id, context.member.id)
    await patterns_changed(context.application)
    await show_shift(update, context, added, shifts_texts.shift_added(added.name))
    return True


# ---- adding step by step: name, days, start, end ------------------------------------------
def _draft(context: BotContext) -> dict[str, str]:
    return DRAFT.get(context) or {}


async def got_new_name(
    update: Update, context: BotContext, *, typed_name: str | None = None
) -> int:
    text = typed_name if typed_name is not None else (message_of(update).text or "")
    try:
        name = shift_name(text)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return ShiftInput.NEW_NAME
    if await context.store.shifts.by_name(name) is not None:
        await reply(update, common_texts.problem(shifts_texts.SHIFT_NAME_TAKEN))
        return ShiftInput.NEW_NAME
    DRAFT.put(context, {"name": name})
    await reply(update, shifts_texts.shift_ask_days(name))
    return ShiftInput.NEW_DAYS


async def got_new_days(update: Update, context: BotContext) -> int | None:
    draft = _draft(context)
    if "name" not in draft:
        await reply(update, common_texts.EDIT_EXPIRED)
        return END
    text = message_of(update).text or ""
    try:
        parse_weekdays(text)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    draft["days"] = text
    DRAFT.put(context, draft)
    await reply(update, shifts_texts.shift_ask_start(draft["name"]))
    return ShiftInput.NEW_START


async def got_new_start(update: Update, context: BotContext) -> int | None:
    draft = _draft(context)
    if "days" not in draft:
        await reply(update, common_texts.EDIT_EXPIRED)
        return END
    text = message_of(update).text or ""
    try:
        parse_clock(text)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    draft["start"] = text
    DRAFT.put(context, draft)
    await reply(update, shifts_texts.shift_ask_end(draft["name"]))
    return ShiftInput.NEW_END


async def got_new_end(update: Update, context: BotContext) -> int | None:
    draft = _draft(context)
    if "start" not in draft:
        await reply(update, common_texts.EDIT_EXPIRED)
        return END
    try:
        pattern = ShiftPattern.from_text(
            draft["name"], draft["days"], draft["start"], message_of(update).text or ""
        )
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    return END if await _add(update, context, pattern, in_flow=True) else None


# ---- changing one: buttons that ask for a typed answer -------------------------------------
_ASKS = {
    ShiftAction.RENAME: ShiftInput.RENAME,
    ShiftAction.DAYS: ShiftInput.DAYS,
    ShiftAction.START: ShiftInput.START,
    ShiftAction.END: ShiftInput.END,
}


async def ask_for_input(update: Update, context: BotContext) -> int:
    """shf:add, shf:ren / days / start / end:<id>."""
    query = query_of(update)
    pressed = SHIFT_BUTTONS.unpack(query.data)
    _forget(context)
    if isinstance(pressed, ShiftAdd):
        await query.answer()
        await reply(update, shifts_texts.SHIFT_ASK_NAME)
        return ShiftInput.NEW_NAME
    shift_id = pressed.shift_id if isinstance(pressed, ShiftPress) else None
    shift = await context.store.shifts.get(shift_id) if shift_id else None
    if shift is None or not isinstance(pressed, ShiftPress) or pressed.action not in _ASKS:
        await query.answer(shifts_texts.SHIFT_NOT_FOUND)
        return END
    await query.answer()
    EDITING.put(context, shift.id)
    pattern = shift.pattern
    prompts = {
        ShiftAction.RENAME: shifts_texts.shift_ask_rename(pattern.name),
        ShiftAction.DAYS: shifts_texts.shift_ask_new_days(
            pattern.name, format_weekdays(pattern.weekdays)
        ),
        ShiftAction.START: shifts_texts.shift_ask_new_time(
            pattern.name, "start", format_clock(pattern.start)
        ),
        ShiftAction.END: shifts_texts.shift_ask_new_time(
            pattern.name, "end", format_clock(pattern.end)
        ),
    }
    await reply(update, prompts[pressed.action])
    return _ASKS[pressed.action]


async def _editing(update: Update, context: BotContext) -> StoredShift | None:
    shift_id = EDITING.get(context)
    shift = await context.store.shifts.get(shift_id) if shift_id is not None else None
    if shift is None:
        _forget(context)
        await reply(update, shifts_texts.SHIFT_NOT_FOUND)
    return shift


async def _change(update: Update, context: BotContext, **changes: object) -> int | None:
    """Apply one typed change to the shift being edited; stay in the step on bad input."""
    shift = await _editing(update, context)
    if shift is None:
        return END
    text = message_of(update).text or ""
    try:
        if "name" in changes:
            changes["name"] = shift_name(text)
        if "weekdays" in changes:
            changes["weekdays"] = parse_weekdays(text)
        for key in ("start", "end"):
            if key in changes:
                changes[key] = parse_clock(text)
        pattern = dataclasses.replace(shift.pattern, **changes)  # type: ignore[arg-type]
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    changed = await context.store.shifts.change(shift.id, pattern)
    if changed is ShiftProblem.NAME_TAKEN:
        await reply(update, common_texts.problem(shifts_texts.SHIFT_NAME_TAKEN))
        return None
    _forget(context)
    if not isinstance(changed, StoredShift):
        await reply(update, shifts_texts.SHIFT_NOT_FOUND)
        return END
    log.info("shift pattern %s changed by member %s", changed.id, context.member.id)
    await patterns_changed(context.application)
    await show_shift(update, context, changed, common_texts.change_saved("Saved"))
    return END


async def got_rename(update: Update, context: BotContext) -> int | None:
    return await _change(update, context, name=None)


async def got_days(update: Update, context: BotContext) -> int | None:
    return await _change(update, context, weekdays=None)


async def got_start(update: Update, context: BotContext) -> int | None:
    return await _change(update, context, start=None)


async def got_end(update: Update, context: BotContext) -> int | None:
    return await _change(update, context, end=None)


# ---- buttons that act at once --------------------------------------------------------------
_ACT_AT_ONCE = (ShiftAction.SHOW, ShiftAction.REMOVE, ShiftAction.REMOVE_CONFIRMED)


async def shift_button(update: Update, context: BotContext) -> None:
    """shf:list, shf:show / rm / rmok:<id>."""
    query = query_of(update)
    pressed = SHIFT_BUTTONS.unpack(query.data)
    if isinstance(pressed, ShiftsList):
        await query.answer()
        await show_shifts(update, context)
        return
    if not isinstance(pressed, ShiftPress) or pressed.action not in _ACT_AT_ONCE:
        await query.answer(common_texts.STALE_BUTTON)
        return
    shift = await context.store.shifts.get(pressed.shift_id) if pressed.shift_id else None
    if shift is None:
        await query.answer(shifts_texts.SHIFT_NOT_FOUND)
        await show_shifts(update, context)
        return
    if pressed.action is ShiftAction.SHOW:
        await query.answer()
        await show_shift(update, context, shift)
    elif pressed.action is ShiftAction.REMOVE:
        await query.answer()
        await edit_or_reply(
            update,
            shifts_texts.shift_confirm_remove(shift.name),
            shifts_keyboards.shift_confirm_remove(shift.id),
        )
    else:
        removed = await context.store.shifts.remove(shift.id)
        if removed is None:
            await query.answer(shifts_texts.SHIFT_NOT_FOUND)
        else:
            log.info("shift pattern %s removed by member %s", shift.id, context.member.id)
            await patterns_changed(context.application)
            await query.answer(shifts_texts.shift_removed(removed))
        await show_shifts(update, context)


def handlers() -> list[Handler]:
    conversation = input_conversation(
        name="shifts",
        entry_points=[
            command("shifts", shifts_command),
            answer_button(SHIFT_BUTTONS, (ShiftAction.ADD, *_ASKS), ask_for_input),
        ],
        steps={
            ShiftInput.NEW_NAME: [typed(got_new_name)],
            ShiftInput.NEW_DAYS: [typed(got_new_days)],
            ShiftInput.NEW_START: [typed(got_new_start)],
            ShiftInput.NEW_END: [typed(got_new_end)],
            ShiftInput.RENAME: [typed(got_rename)],
            ShiftInput.DAYS: [typed(got_days)],
            ShiftInput.START: [typed(got_start)],
            ShiftInput.END: [typed(got_end)],
        },
        family=SHIFT_BUTTONS,
        on_button=shift_button,
        drafts=(DRAFT, EDITING),
    )
    return [conversation, button(callbacks.SHIFTS, shift_button)]
