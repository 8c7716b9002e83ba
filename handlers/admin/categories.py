"""Admins: /categories — list, add, rename, keywords, urgent by default, sensitive, retire
and restore.

Retiring is soft: a retired category stays on old reports and can be restored.
"""

from __future__ import annotations

import math
from enum import IntEnum

from telegram import Update

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.catalog import (
    CATEGORY_BUTTONS,
    CategoriesPage,
    CategoryAction,
    CategoryAdd,
    CategoryPress,
)
from bot.domain.reports import catalog
from bot.keyboards.admin import catalog as catalog_keyboards
from bot.texts import common as common_texts
from bot.texts.admin import catalog as catalog_texts
from handlers.admin.typed_input import answer_button, input_conversation
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.conversation import END, Handler, typed
from handlers.drafts import DraftSlot
from handlers.registry import button, command
from storage.models import Category

# The id of the category whose name or keywords are due.
EDITING = DraftSlot.of_type("categories.editing", int)


class CategoryInput(IntEnum):
    NEW_NAME = 1
    RENAME = 2
    KEYWORDS = 3


# ---- showing ---------------------------------------------------------------------------
async def show_categories(update: Update, context: BotContext, *, page: int) -> None:
    everything = await context.store.categories.all()
    ordered = sorted(everything, key=lambda c: c.retired_at is not None)  # active first
    retired = sum(1 for c in ordered if c.retired_at is not None)
    per_page = catalog_keyboards.CATALOG_PER_PAGE
    pages = max(1, math.ceil(len(ordered) / per_page))
    page = min(max(page, 0), pages - 1)
    shown = ordered[page * per_page : (page + 1) * per_page]
    await edit_or_reply(
        update,
        catalog_texts.categories_header(len(ordered) - retired, retired, page, pages),
        catalog_keyboards.category_list(shown, page, pages),
    )


async def show_category(
    update: Update, context: BotContext, category: Category, notice: str | None = None
) -> None:
    since = (
        common_texts.local_datetime(category.retired_at, context.settings.tz)
        if category.retired_at
        else None
    )
    text = catalog_texts.category_card(
        category.name, category.keyword_list, category.urgent, since, category.sensitive
    )
    if notice:
        text = common_texts.notice_and(notice, text)
    await edit_or_reply(update, text, catalog_keyboards.category_actions(category))


# ---- /categories [add <name>] ----------------------------------------------------------
async def categories_command(update: Update, context: BotContext) -> int:
    words = (message_of(update).text or "").split(maxsplit=2)
    if len(words) == 1:
        await show_categories(update, context, page=0)
        return END
    if words[1].casefold() != "add":
        await reply(update, catalog_texts.CATEGORIES_USAGE)
        return END
    if len(words) == 2:
        await reply(update, catalog_texts.CATEGORY_ASK_NAME)
        return CategoryInput.NEW_NAME
    await _add(update, context, words[2], in_flow=False)
    return END


async def _add(update: Update, context: BotContext, typed_name: str, *, in_flow: bool) -> bool:
    try:
        name = catalog.category_name(typed_name)
    except ValueError as error:
        await reply(update, common_texts.problem(str(error), in_flow=in_flow))
        return False
    category = await context.store.categories.add(name, keywords=[], urgent=False)
    if category is None:
        await reply(
            update, common_texts.problem(catalog_texts.CATEGORY_NAME_TAKEN, in_flow=in_flow)
        )
        return False
    await show_category(update, context, category, catalog_texts.category_added(category.name))
    return True


# ---- buttons that ask for a typed answer -----------------------------------------------
async def ask_for_input(update: Update, context: BotContext) -> int:
    """cat:add, cat:ren:<id>, cat:kw:<id>."""
    query = query_of(update)
    pressed = CATEGORY_BUTTONS.unpack(query.data)
    if isinstance(pressed, CategoryAdd):
        await query.answer()
        await reply(update, catalog_texts.CATEGORY_ASK_NAME)
        return CategoryInput.NEW_NAME
    category_id = pressed.category_id if isinstance(pressed, CategoryPress) else None
    category = await context.store.categories.get(category_id) if category_id else None
    if category is None or category.id is None or not isinstance(pressed, CategoryPress):
        await query.answer(catalog_texts.CATEGORY_NOT_FOUND)
        return END
    await query.answer()
    EDITING.put(context, category.id)
    if pressed.action is CategoryAction.RENAME:
        await reply(update, catalog_texts.category_ask_rename(category.name))
        return CategoryInput.RENAME
    await reply(update, catalog_texts.category_ask_keywords(category.name, category.keyword_list))
    return CategoryInput.KEYWORDS


async def got_new_name(update: Update, context: BotContext) -> int | None:
    added = await _add(update, context, message_of(update).text or "", in_flow=True)
    return END if added else None


async def _editing(update: Update, context: BotContext) -> Category | None:
    category_id = EDITING.get(context)
    category = await context.store.categories.get(category_id) if category_id else None
    if category is None:
        EDITING.forget(context)
        await reply(update, catalog_texts.CATEGORY_NOT_FOUND)
    return category


async def got_rename(update: Update, context: BotContext) -> int | None:
    category = await _editing(update, context)
    if category is None:
        return END
    try:
        name = catalog.category_name(message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    renamed = await context.store.categories.rename(category.id or 0, name)
    if renamed is None:
        await reply(update, common_texts.problem(catalog_texts.CATEGORY_NAME_TAKEN))
        return None
    EDITING.forget(context)
    await show_category(update, context, renamed, common_texts.change_saved("Renamed"))
    return END


async def got_keywords(update: Update, context: BotContext) -> int | None:
    category = await _editing(update, context)
    if category is None:
        return END
    try:
        words = catalog.keywords(category.keyword_list, message_of(update).text or "")
    except ValueError as error:
        await reply(update, common_texts.problem(str(error)))
        return None
    updated = await context.store.categories.update(category.id or 0, keywords=words)
    EDITING.forget(context)
    if updated is None:
        await reply(update, catalog_texts.CATEGORY_NOT_FOUND)
        return END
    await show_category(update, context, updated, common_texts.change_saved("Keywords saved"))
    return END


# ---- buttons that act at once ----------------------------------------------------------
_ACT_AT_ONCE = (
    CategoryAction.SHOW,
    CategoryAction.URGENT,
    CategoryAction.SENSITIVE,
    CategoryAction.RETIRE,
    CategoryAction.RESTORE,
)


async def category_button(update: Update, context: BotContext) -> None:
    """cat:list:<page>, cat:show / urg / sen / ret / res:<id>."""
    query = query_of(update)
    pressed = CATEGORY_BUTTONS.unpack(query.data)
    if isinstance(pressed, CategoriesPage):
        await query.answer()
        await show_categories(update, context, page=pressed.page)
        return
    if not isinstance(pressed, CategoryPress) or pressed.action not in _ACT_AT_ONCE:
        await query.answer(common_texts.STALE_BUTTON)
        return
    store, action = context.store, pressed.action
    category = await store.categories.get(pressed.category_id) if pressed.category_id else None
    if category is None:
        await query.answer(catalog_texts.CATEGORY_NOT_FOUND)
        return
    changed: Category | None = category
    done: str | None = None
    if action is CategoryAction.URGENT:
        changed = await store.categories.update(category.id or 0, urgent=not category.urgent)
        done = "Urgent by default: " + ("no" if category.urgent else "yes")
    elif action is CategoryAction.SENSITIVE:
        changed = await store.categories.update(category.id or 0, sensitive=not category.sensitive)
        done = "Sensitive: " + ("no" if category.sensitive else "yes")
    elif action is CategoryAction.RETIRE and category.retired_at is None:
        if len(await store.categories.active()) <= 1:
            await query.answer(catalog_texts.CATEGORY_LAST_ACTIVE, show_alert=True)
            return
        changed = await store.categories.update(category.id or 0, retired=True)
        done = "Retired"
    elif action is CategoryAction.RESTORE and category.retired_at is not None:
        changed = await store.categories.update(category.id or 0, retired=False)
        done = "Restored"
    if changed is None:
        await query.answer(catalog_texts.CATEGORY_NOT_FOUND)
        return
    await query.answer(f"{done}: {changed.name[:60]}" if done else None)
    await show_category(update, context, changed)


def handlers() -> list[Handler]:
    asks = (CategoryAction.ADD, CategoryAction.RENAME, CategoryAction.KEYWORDS)
    conversation = input_conversation(
        name="categories",
        entry_points=[
            command("categories", categories_command),
            answer_button(CATEGORY_BUTTONS, asks, ask_for_input),
        ],
        steps={
            CategoryInput.NEW_NAME: [typed(got_new_name)],
            CategoryInput.RENAME: [typed(got_rename)],
            CategoryInput.KEYWORDS: [typed(got_keywords)],
        },
        family=CATEGORY_BUTTONS,
        on_button=category_button,
        drafts=(EDITING,),
    )
    return [conversation, button(callbacks.CATEGORIES, category_button)]
