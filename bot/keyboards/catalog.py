"""Report categories and hotspots, as admins list and change them."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import callbacks
from bot.keyboards.common import CategoryLike, HotspotLike, Named, pager
from bot.texts.catalog import category_button

CATALOG_PER_PAGE = 20


def category_list(
    categories: Sequence[CategoryLike], page: int, pages: int
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                category_button(c.name, c.urgent, c.retired_at is not None),
                callback_data=callbacks.category_action("show", c.id or 0),
            )
        ]
        for c in categories
    ]
    nav = pager(page, pages, callbacks.categories_page)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a category", callback_data=callbacks.category_add())])
    return InlineKeyboardMarkup(rows)


def category_actions(category: CategoryLike) -> InlineKeyboardMarkup:
    category_id = category.id or 0

    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.category_action(action, category_id)
        )

    urgent = "⚠️ Urgent by default: turn off" if category.urgent else "⚠️ Urgent by default: turn on"
    retire = button("♻️ Restore", "res") if category.retired_at else button("🗄 Retire", "ret")
    return InlineKeyboardMarkup(
        [
            [button("✏️ Rename", "ren"), button("🔑 Keywords", "kw")],
            [button(urgent, "urg")],
            [retire],
            [InlineKeyboardButton("◀ All categories", callback_data=callbacks.categories_page(0))],
        ]
    )


def hotspot_list(hotspots: Sequence[Named], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"📍 {h.name}", callback_data=callbacks.hotspot_action("show", h.id or 0)
            )
        ]
        for h in hotspots
    ]
    nav = pager(page, pages, callbacks.hotspots_page)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a hotspot", callback_data=callbacks.hotspot_add())])
    return InlineKeyboardMarkup(rows)


def hotspot_actions(hotspot: HotspotLike) -> InlineKeyboardMarkup:
    hotspot_id = hotspot.id or 0

    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.hotspot_action(action, hotspot_id)
        )

    aliases = "🏷 Change aliases" if hotspot.alias_list else "🏷 Add aliases"
    return InlineKeyboardMarkup(
        [
            [button("📏 Set radius", "rad"), button(aliases, "ali")],
            [button("✏️ Rename", "ren"), button("🗑 Remove", "rm")],
            [InlineKeyboardButton("◀ All hotspots", callback_data=callbacks.hotspots_page(0))],
        ]
    )


def hotspot_confirm_remove(hotspot_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove", callback_data=callbacks.hotspot_action("rmok", hotspot_id)
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=callbacks.hotspot_action("show", hotspot_id)
                ),
            ]
        ]
    )
