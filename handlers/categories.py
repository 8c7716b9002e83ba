"""Admins: /categories — list, add, rename, keywords, urgent by default, retire and restore.

Retiring is soft: a retired category stays on old reports and can be restored.
"""

from __future__ import annotations

import math
from enum import IntEnum

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards, texts
from bot.context import BotContext
from bot.domain import callbacks, catalog
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.registry import button, command
from handlers.typed_input import END, answer_button, input_conversation, typed
from storage.models import Category

EDITING = "categories.editing"  # user_data: the id of the category whose name/keywords are due


class CategoryInput(IntEnum):
    NEW_NAME = 1
    RENAME = 2
    KEYWORDS = 3


# ---- showing ---------------------------------------------------------------------------
async def show_categories(update: Update, context: BotContext, *, page: int) -> None:
    everything = await context.store.categories.all()
    ordered = sorted(everything, key=lambda c: c.retired_at is not None)  # active first
    retired = sum(1 for c in ordered if c.retired_at is not None)
    per_page = keyboards.CATALOG_PER_PAGE
    pages = max(1, math.ceil(len(ordered) / per_page))
    page = min(max(page, 0), pages - 1)
    shown = ordered[page * per_page : (page + 1) * per_page]
    await edit_or_reply(
        update,
        texts.categories_header(len(ordered) - retired, retired, page, pages),
        keyboards.category_list(shown, page, pages),
    )


async def show_category(
    update: Update, context: BotContext, category: Category, notice: str | None = None
) -> None:
    since = (
        texts.local_datetime(category.retired_at, context.settings.tz)
        if category.retired_at
        else None
    )
    text = texts.category_card(category.name, category.keyword_list, category.urgent, since)
    if notice:
        text = texts.notice_and(notice, text)
    await edit_or_reply(update, text, keyboards.category_actions(category))


# ---- /categories [add <name>] ----------------------------------------------------------
async def categories_command(update: Update, context: BotContext) -> int:
    words = (message_of(update).text or "").split(maxsplit=2)
    if len(words) == 1:
        await show_categories(update, context, page=0)
        return END
    if words[1].casefold() != "add":
        await reply(update, texts.CATEGORIES_USAGE)
        return END
    if len(words) == 2:
        await reply(update, texts.CATEGORY_ASK_NAME)
        return CategoryInput.NEW_NAME
    await _add(update, context, words[2], in_flow=False)
    return END


async def _add(update: Update, context: BotContext, typed_name: str, *, in_flow: bool) -> bool:
    try:
        name = catalog.category_name(typed_name)
    except ValueError as error:
        await reply(update, texts.problem(str(error), in_flow=in_flow))
        return False
    category = await context.store.categories.add(name, keywords=[], urgent=False)
    if category is None:
        await reply(update, texts.problem(texts.CATEGORY_NAME_TAKEN, in_flow=in_flow))
        return False
    await show_category(update, context, category, texts.category_added(category.name))
    return True


# ---- buttons that ask for a typed answer -----------------------------------------------
async def ask_for_input(update: Update, context: BotContext) -> int:
    """cat:add, cat:ren:<id>, cat:kw:<id>."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    assert parsed is not None  # the gate refused anything unparsable
    if parsed.action == "add":
        await query.answer()
        await reply(update, texts.CATEGORY_ASK_NAME)
        return CategoryInput.NEW_NAME
    category_id = parsed.int_arg(0)
    category = await context.store.categories.get(category_id) if category_id else None
    if category is None:
        await query.answer(texts.CATEGORY_NOT_FOUND)
        return END
    await query.answer()
    context.user_data[EDITING] = category.id  # type: ignore[index]
    if parsed.action == "ren":
        await reply(update, texts.category_ask_rename(category.name))
        return CategoryInput.RENAME
    await reply(update, texts.category_ask_keywords(category.name, category.keyword_list))
    return CategoryInput.KEYWORDS


async def got_new_name(update: Update, context: BotContext) -> int | None:
    added = await _add(update, context, message_of(update).text or "", in_flow=True)
    return END if added else None


async def _editing(update: Update, context: BotContext) -> Category | None:
    category_id = context.user_data.get(EDITING)  # type: ignore[union-attr]
    category = await context.store.categories.get(category_id) if category_id else None
    if category is None:
        context.user_data.pop(EDITING, None)  # type: ignore[union-attr]
        await reply(update, texts.CATEGORY_NOT_FOUND)
    return category


async def got_rename(update: Update, context: BotContext) -> int | None:
    category = await _editing(update, context)
    if category is None:
        return END
    try:
        name = catalog.category_name(message_of(update).text or "")
    except ValueError as error:
        await reply(update, texts.problem(str(error)))
        return None
    renamed = await context.store.categories.rename(category.id or 0, name)
    if renamed is None:
        await reply(update, texts.problem(texts.CATEGORY_NAME_TAKEN))
        return None
    context.user_data.pop(EDITING, None)  # type: ignore[union-attr]
    await show_category(update, context, renamed, texts.change_saved("Renamed"))
    return END


async def got_keywords(update: Update, context: BotContext) -> int | None:
    category = await _editing(update, context)
    if category is None:
        return END
    try:
        words = catalog.keywords(category.keyword_list, message_of(update).text or "")
    except ValueError as error:
        await reply(update, texts.problem(str(error)))
        return None
    updated = await context.store.categories.update(category.id or 0, keywords=words)
    context.user_data.pop(EDITING, None)  # type: ignore[union-attr]
    if updated is None:
        await reply(update, texts.CATEGORY_NOT_FOUND)
        return END
    await show_category(update, context, updated, texts.change_saved("Keywords saved"))
    return END


# ---- buttons that act at once ----------------------------------------------------------
async def category_button(update: Update, context: BotContext) -> None:
    """cat:list:<page>, cat:show / urg / ret / res:<id>."""
    query = query_of(update)
    parsed = callbacks.parse(query.data)
    assert parsed is not None  # the gate refused anything unparsable
    if parsed.action == "list":
        await query.answer()
        await show_categories(update, context, page=parsed.int_arg(0) or 0)
        return
    if parsed.action not in ("show", "urg", "ret", "res"):
        await query.answer(texts.STALE_BUTTON)
        return
    store = context.store
    category_id = parsed.int_arg(0)
    category = await store.categories.get(category_id) if category_id else None
    if category is None:
        await query.answer(texts.CATEGORY_NOT_FOUND)
        return
    changed: Category | None = category
    done: str | None = None
    if parsed.action == "urg":
        changed = await store.categories.update(category.id or 0, urgent=not category.urgent)
        done = "Urgent by default: " + ("no" if category.urgent else "yes")
    elif parsed.action == "ret" and category.retired_at is None:
        if len(await store.categories.active()) <= 1:
            await query.answer(texts.CATEGORY_LAST_ACTIVE, show_alert=True)
            return
        changed = await store.categories.update(category.id or 0, retired=True)
        done = "Retired"
    elif parsed.action == "res" and category.retired_at is not None:
        changed = await store.categories.update(category.id or 0, retired=False)
        done = "Restored"
    if changed is None:
        await query.answer(texts.CATEGORY_NOT_FOUND)
        return
    await query.answer(f"{done}: {changed.name[:60]}" if done else None)
    await show_category(update, context, changed)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    conversation = input_conversation(
        name="categories",
        entry_points=[
            command("categories", categories_command),
            answer_button(callbacks.CATEGORIES, ("add", "ren", "kw"), ask_for_input),
        ],
        states={
            CategoryInput.NEW_NAME: [typed(got_new_name)],
            CategoryInput.RENAME: [typed(got_rename)],
            CategoryInput.KEYWORDS: [typed(got_keywords)],
        },
        prefix=callbacks.CATEGORIES,
        on_button=category_button,
        draft_keys=(EDITING,),
    )
    return [conversation, button(callbacks.CATEGORIES, category_button)]
