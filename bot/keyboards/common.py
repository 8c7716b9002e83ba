"""What the keyboards share: the shapes of the records they list, and layout helpers.

Keyboards take storage's records (Member, Category, Hotspot) without importing storage:
each parameter is typed with the small read-only Protocol below that names only what the
buttons read, so `storage.models` objects fit, and so would a plain frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from telegram import InlineKeyboardButton

from bot.domain.access.roles import Role, Status
from bot.domain.callbacks.wire import Button


class Named(Protocol):
    """A record listed by name, one button each: a category or a hotspot."""

    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...


class CategoryLike(Named, Protocol):
    @property
    def urgent(self) -> bool: ...

    @property
    def sensitive(self) -> bool: ...

    @property
    def retired_at(self) -> datetime | None: ...


class HotspotLike(Named, Protocol):
    @property
    def alias_list(self) -> tuple[str, ...]: ...


class MemberLike(Named, Protocol):
    @property
    def username(self) -> str | None: ...

    @property
    def role(self) -> Role: ...

    @property
    def status(self) -> Status: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def safeguarding_lead(self) -> bool: ...


def pairs(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Buttons two to a row."""
    return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def ticked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def pager(page: int, pages: int, build: Callable[[int], Button]) -> list[InlineKeyboardButton]:
    """◀ Previous / Next ▶ for a list shown a page at a time (empty when it fits one)."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=build(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=build(page + 1).pack()))
    return nav
