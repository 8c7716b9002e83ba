"""Report categories and hotspots, as admins list and change them."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.catalog import (
    CategoriesPage,
    CategoryAction,
    CategoryAdd,
    CategoryPress,
    HotspotAction,
    HotspotAdd,
    HotspotPress,
    HotspotsPage,
)
from bot.keyboards.common import CategoryLike, HotspotLike, pager
from bot.texts.admin.catalog import category_button, sensitive_toggle

CATALOG_PER_PAGE = 20


def category_list(
    categories: Sequence[CategoryLike], page: int, pages: int
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                category_button(c.name, c.urgent, c.retired_at is not None),
                callback_data=CategoryPress(CategoryAction.SHOW, c.id or 0).pack(),
            )
        ]
        for c in categories
    ]
    nav = pager(page, pages, CategoriesPage)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a category", callback_data=CategoryAdd().pack())])
    return InlineKeyboardMarkup(rows)


def category_actions(category: CategoryLike) -> InlineKeyboardMarkup:
    category_id = category.id or 0

    def button(label: str, action: CategoryAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=CategoryPress(action, category_id).pack())

    urgent = "⚠️ Urgent by default: turn off" if category.urgent else "⚠️ Urgent by default: turn on"
    retire = (
        button("♻️ Restore", CategoryAction.RESTORE)
        if category.retired_at
        else button("🗄 Retire", CategoryAction.RETIRE)
    )
    return InlineKeyboardMarkup(
        [
            [
                button("✏️ Rename", CategoryAction.RENAME),
                button("🔑 Keywords", CategoryAction.KEYWORDS),
            ],
            [button(urgent, CategoryAction.URGENT)],
            [button(sensitive_toggle(category.sensitive), CategoryAction.SENSITIVE)],
            [retire],
            [InlineKeyboardButton("◀ All categories", callback_data=CategoriesPage(0).pack())],
        ]
    )


def hotspot_list(hotspots: Sequence[HotspotLike], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"📍 {h.name}", callback_data=HotspotPress(HotspotAction.SHOW, h.id or 0).pack()
            )
        ]
        for h in hotspots
    ]
    nav = pager(page, pages, HotspotsPage)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a hotspot", callback_data=HotspotAdd().pack())])
    return InlineKeyboardMarkup(rows)


def hotspot_actions(hotspot: HotspotLike) -> InlineKeyboardMarkup:
    hotspot_id = hotspot.id or 0

    def button(label: str, action: HotspotAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=HotspotPress(action, hotspot_id).pack())

    aliases = "🏷 Change aliases" if hotspot.alias_list else "🏷 Add aliases"
    return InlineKeyboardMarkup(
        [
            [button("📏 Set radius", HotspotAction.RADIUS), button(aliases, HotspotAction.ALIASES)],
            [button("✏️ Rename", HotspotAction.RENAME), button("🗑 Remove", HotspotAction.REMOVE)],
            [InlineKeyboardButton("◀ All hotspots", callback_data=HotspotsPage(0).pack())],
        ]
    )


def hotspot_confirm_remove(hotspot_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove",
                    callback_data=HotspotPress(HotspotAction.REMOVE_CONFIRMED, hotspot_id).pack(),
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=HotspotPress(HotspotAction.SHOW, hotspot_id).pack()
                ),
            ]
        ]
    )
