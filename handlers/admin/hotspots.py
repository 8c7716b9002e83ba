"""Admins: /hotspots — named places with a radius and aliases: list, add by location and
name, rename, radius, aliases, remove (soft: old reports keep the place).

A location shared outside this flow starts a quick report (handlers for reports); only the
admin who pressed "Add a hotspot" has theirs read as the new hotspot's centre.
"""

from __future__ import annotations

import math
from enum import IntEnum

from telegram import Update
from telegram.ext import filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.catalog import (
    HOTSPOT_BUTTONS,
    HotspotAction,
    HotspotAdd,
    HotspotPress,
    HotspotsPage,
)
from bot.domain.geo import validate_point
from bot.domain.reports import catalog
from bot.keyboards.admin import catalog as catalog_keyboards
from bot.texts import common as common_texts
from bot.texts.admin import catalog as catalog_texts
from handlers.admin.typed_input import answer_button, input_conversation
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.conversation import END, Handler, on, typed
from handlers.drafts import DraftSlot, forget_all
from handlers.registry import button, command
from storage.catalog import HotspotIn
from storage.models import Hotspot

EDITING = DraftSlot.of_type("hotspots.editing", int)  # the id of the hotspot being changed
POINT = DraftSlot.of_type("hotspots.point", list)  # [lat, lon] of the hotspot being added


class HotspotInput(IntEnum):
    LOCATION = 1
    NEW_NAME = 2
    RENAME = 3
    RADIUS = 4
    ALIASES = 5


# ---- showing ---------------------------------------------------------------------------
async def show_hotspots(update: Update, context: BotContext, *, page: int) -> None:
    hotspots = await context.store.hotspots.active()
    per_page = catalog_keyboards.CATALOG_PER_PAGE
    pages = max(1, math.ceil(len(hotspots) / per_page))
    page = min(max(page, 0), pages - 1)
    shown = hotspots[page * per_page : (page + 1) * per_page]
    summary = [(h.name, h.radius_m, len(h.alias_list)) for h in shown]
    await edit_or_reply(
        update,
        catalog_texts.hotspots_header(summary, len(hotspots), page, pages),
        catalog_keyboards.hotspot_list(shown, page, pages),
    )


async def show_hotspot(
    update: Update, context: BotContext, hotspot: Hotspot, notice: str | None = None
) -> None:
    text = catalog_texts.hotspot_card(
        hotspot.name, hotspot.lat, hotspot.lon, hotspot.radius_m, hotspot.alias_list
    )
    if notice:
        text = common_texts.notice_and(notice, text)
    await edit_or_reply(update, text, catalog_keyboards.hotspot_actions(hotspot))


async def _active(context: BotContext, hotspot_id: int | None) -> Hotspot | None:
    hotspot = await context.store.hotspots.get(hotspot_id) if hotspot_id else None
    return hotspot if hotspot is not None and hotspot.retired_at is None else None


def _forget(context: BotContext) -> None:
    forget_all(context, EDITING, POINT)


# ---- /hotspots [add] -------------------------------------------------------------------
async def hotspots_command(update: Update, context: BotContext) -> int:
    _forget(context)
    if (context.args or [""])[0].casefold() == "add":
        await reply(update, catalog_texts.HOTSPOT_ASK_LOCATION)
        return HotspotInput.LOCATION
    await show_hotspots(update, context, page=0)
    return END


# ---- adding: location, then name -------------------------------------------------------
async def ask_for_input(update: Update, context: BotContext) -> int:
    """hot:add, hot:ren:<id>, hot:rad:<id>, hot:ali:<id>."""
    query = query_of(update)
    pressed = HOTSPOT_BUTTONS.unpack(query.data)
    _forget(context)
    if isinstance(pressed, HotspotAdd):
        await query.answer()
        await reply(update, catalog_texts.HOTSPOT_ASK_LOCATION)
        return HotspotInput.LOCATION
    if not isinstance(pressed, HotspotPress):
        await query.answer(catalog_texts.HOTSPOT_NOT_FOUND)
        return END
    hotspot = await _active(context, pressed.hotspot_id)
    if hotspot is None or hotspot.id is None:
        await query.answer(catalog_texts.HOTSPOT_NOT_FOUND)
        return END
    await query.answer()
    EDITING.put(context, hotspot.id)
    if pressed.action is HotspotAction.RENAME:
        await reply(update, catalog_texts.hotspot_ask_rename(hotspot.name))
        return HotspotInput.RENAME
    if pressed.action is HotspotAction.RADIUS:
        await reply(update, catalog_texts.hotspot_ask_radius(hotspot.name, hotspot.radius_m))
        return HotspotInput.RADIUS
    await reply(update, catalog_texts.hotspot_ask_aliases(hotspot.name, hotspot.alias_list))
    return HotspotInput.ALIASES


async def got_location(update: Update, context: BotContext) -> int | None:
    location = message_of(update).location
    if location is None:
        await reply(update, catalog_texts.HOTSPOT_NEED_LOCATION)
        return None
    return await _got_point(update, context, location.latitude, location.longitude)


async def got_typed_point(update: Update, context: BotContext) -> int | None:
    try:
        point = catalog.typed_point(message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    if point is None:
        await reply(update, catalog_texts.HOTSPOT_NEED_LOCATION)
        return None
    return await _got_point(update, context, *point)


async def _got_point(update: Update, context: BotContext, lat: float, lon: float) -> int | None:
    try:
        validate_point(lat, lon)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    POINT.put(context, [lat, lon])
    await reply(update, catalog_texts.HOTSPOT_ASK_NAME)
    return HotspotInput.NEW_NAME


async def need_location(update: Update, context: BotContext) -> None:
    await reply(update, catalog_texts.HOTSPOT_NEED_LOCATION)


async def got_new_name(update: Update, context: BotContext) -> int | None:
    point = POINT.get(context)
    if not point:
        await reply(update, common_texts.EDIT_EXPIRED)
        return END
    try:
        name = catalog.hotspot_name(message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    store = context.store
    existing = await store.hotspots.by_name(name)
    if existing is not None and existing.retired_at is None:
        await reply(update, common_texts.problem(catalog_texts.HOTSPOT_NAME_TAKEN))
        return None
    # A removed hotspot of that name comes back at the new place, keeping its aliases.
    aliases = existing.alias_list if existing is not None else ()
    place = HotspotIn(name, point[0], point[1], catalog.DEFAULT_RADIUS_M, aliases)
    hotspot, _ = await store.hotspots.upsert(place)
    _forget(context)
    await show_hotspot(
        update, context, hotspot, catalog_texts.hotspot_added(hotspot.name, hotspot.radius_m)
    )
    return END


# ---- changing one ----------------------------------------------------------------------
async def _editing(update: Update, context: BotContext) -> Hotspot | None:
    hotspot = await _active(context, EDITING.get(context))
    if hotspot is None:
        _forget(context)
        await reply(update, catalog_texts.HOTSPOT_NOT_FOUND)
    return hotspot


async def got_rename(update: Update, context: BotContext) -> int | None:
    hotspot = await _editing(update, context)
    if hotspot is None:
        return END
    try:
        name = catalog.hotspot_name(message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    renamed = await context.store.hotspots.rename(hotspot.id or 0, name)
    if renamed is None:
        await reply(update, common_texts.problem(catalog_texts.HOTSPOT_NAME_TAKEN))
        return None
    _forget(context)
    await show_hotspot(update, context, renamed, common_texts.change_saved("Renamed"))
    return END


async def got_radius(update: Update, context: BotContext) -> int | None:
    hotspot = await _editing(update, context)
    if hotspot is None:
        return END
    try:
        radius_m = catalog.radius(message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    return await _save(update, context, hotspot, radius_m=radius_m)


async def got_aliases(update: Update, context: BotContext) -> int | None:
    hotspot = await _editing(update, context)
    if hotspot is None:
        return END
    try:
        aliases = catalog.aliases(hotspot.alias_list, message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    return await _save(update, context, hotspot, aliases=aliases)


async def _save(
    update: Update,
    context: BotContext,
    hotspot: Hotspot,
    *,
    radius_m: float | None = None,
    aliases: list[str] | None = None,
) -> int:
    _forget(context)
    updated = await context.store.hotspots.update(
        hotspot.id or 0, radius_m=radius_m, aliases=aliases
    )
    if updated is None:
        await reply(update, catalog_texts.HOTSPOT_NOT_FOUND)
        return END
    what = "Radius saved" if radius_m is not None else "Aliases saved"
    await show_hotspot(update, context, updated, common_texts.change_saved(what))
    return END


# ---- buttons that act at once ----------------------------------------------------------
_ACT_AT_ONCE = (HotspotAction.SHOW, HotspotAction.REMOVE, HotspotAction.REMOVE_CONFIRMED)
# The buttons that ask for a typed answer.
_ASKS = (HotspotAction.ADD, HotspotAction.RENAME, HotspotAction.RADIUS, HotspotAction.ALIASES)


async def hotspot_button(update: Update, context: BotContext) -> None:
    """hot:list:<page>, hot:show / rm / rmok:<id>."""
    query = query_of(update)
    pressed = HOTSPOT_BUTTONS.unpack(query.data)
    if isinstance(pressed, HotspotsPage):
        await query.answer()
        await show_hotspots(update, context, page=pressed.page)
        return
    if not isinstance(pressed, HotspotPress) or pressed.action not in _ACT_AT_ONCE:
        await query.answer(common_texts.STALE_BUTTON)
        return
    hotspot = await _active(context, pressed.hotspot_id)
    if hotspot is None:
        await query.answer(catalog_texts.HOTSPOT_NOT_FOUND)
        return
    if pressed.action is HotspotAction.SHOW:
        await query.answer()
        await show_hotspot(update, context, hotspot)
    elif pressed.action is HotspotAction.REMOVE:
        await query.answer()
        await edit_or_reply(
            update,
            catalog_texts.hotspot_confirm_remove(hotspot.name),
            catalog_keyboards.hotspot_confirm_remove(hotspot.id or 0),
        )
    else:
        removed = await context.store.hotspots.remove(hotspot.id or 0)
        if removed is None:
            await query.answer(catalog_texts.HOTSPOT_NOT_FOUND)
            return
        await query.answer(catalog_texts.hotspot_removed(removed.name))
        await show_hotspots(update, context, page=0)


def handlers() -> list[Handler]:
    conversation = input_conversation(
        name="hotspots",
        entry_points=[
            command("hotspots", hotspots_command),
            answer_button(HOTSPOT_BUTTONS, _ASKS, ask_for_input),
        ],
        steps={
            HotspotInput.LOCATION: [
                on(filters.LOCATION, got_location),
                typed(got_typed_point),
                on(~filters.COMMAND, need_location),
            ],
            HotspotInput.NEW_NAME: [typed(got_new_name)],
            HotspotInput.RENAME: [typed(got_rename)],
            HotspotInput.RADIUS: [typed(got_radius)],
            HotspotInput.ALIASES: [typed(got_aliases)],
        },
        family=HOTSPOT_BUTTONS,
        on_button=hotspot_button,
        drafts=(EDITING, POINT),
    )
    return [conversation, button(callbacks.HOTSPOTS, hotspot_button)]
