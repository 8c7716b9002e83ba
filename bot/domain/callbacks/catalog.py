"""Buttons of the admins' catalogue: report categories (cat) and hotspots (hot)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import CATEGORIES, HOTSPOTS
from bot.domain.callbacks.wire import Button, Family


# ---- cat:list:<page>, cat:add, cat:<action>:<category> ---------------------------------------
class CategoryAction(StrEnum):
    LIST = "list"
    ADD = "add"
    SHOW = "show"
    RENAME = "ren"
    KEYWORDS = "kw"
    URGENT = "urg"  # urgent by default: on or off
    SENSITIVE = "sen"  # sensitive: on or off (alerts and exports withhold the description)
    RETIRE = "ret"
    RESTORE = "res"


class CategoryButton(Button):
    PREFIX = CATEGORIES


@dataclass(frozen=True)
class CategoriesPage(CategoryButton, action=CategoryAction.LIST):
    page: int


@dataclass(frozen=True)
class CategoryAdd(CategoryButton, action=CategoryAction.ADD):
    pass


@dataclass(frozen=True)
class CategoryPress(
    CategoryButton,
    actions=(
        CategoryAction.SHOW,
        CategoryAction.RENAME,
        CategoryAction.KEYWORDS,
        CategoryAction.URGENT,
        CategoryAction.SENSITIVE,
        CategoryAction.RETIRE,
        CategoryAction.RESTORE,
    ),
):
    """One category's card, or one of its actions."""

    action: CategoryAction
    category_id: int


CategoryPresses = CategoriesPage | CategoryAdd | CategoryPress
CATEGORY_BUTTONS = Family[CategoryPresses](CategoriesPage, CategoryAdd, CategoryPress)


# ---- hot:list:<page>, hot:add, hot:<action>:<hotspot> ----------------------------------------
class HotspotAction(StrEnum):
    LIST = "list"
    ADD = "add"
    SHOW = "show"
    RENAME = "ren"
    RADIUS = "rad"
    ALIASES = "ali"
    REMOVE = "rm"  # asks to confirm
    REMOVE_CONFIRMED = "rmok"


class HotspotButton(Button):
    PREFIX = HOTSPOTS


@dataclass(frozen=True)
class HotspotsPage(HotspotButton, action=HotspotAction.LIST):
    page: int


@dataclass(frozen=True)
class HotspotAdd(HotspotButton, action=HotspotAction.ADD):
    pass


@dataclass(frozen=True)
class HotspotPress(
    HotspotButton,
    actions=(
        HotspotAction.SHOW,
        HotspotAction.RENAME,
        HotspotAction.RADIUS,
        HotspotAction.ALIASES,
        HotspotAction.REMOVE,
        HotspotAction.REMOVE_CONFIRMED,
    ),
):
    """One hotspot's card, or one of its actions."""

    action: HotspotAction
    hotspot_id: int


HotspotPresses = HotspotsPage | HotspotAdd | HotspotPress
HOTSPOT_BUTTONS = Family[HotspotPresses](HotspotsPage, HotspotAdd, HotspotPress)
