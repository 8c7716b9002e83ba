"""What a conversation keeps between its steps: one typed slot per kind of draft.

Drafts live in the member's user data, which bot's DatabasePersistence stores as JSON (so
they survive a restart): a slot turns its value into JSON-friendly data and back, and
drops a stored value it cannot read (an older version's) or one left too long. It narrows
PTB's `context.user_data` once, here, so handlers never cast or ignore types for it.

    CONTACT = DraftSlot.of_dataclass("outreach.contact", ContactDraft, expired=...)
    draft = CONTACT.get(context)        # ContactDraft | None
    CONTACT.put(context, draft)
    CONTACT.forget(context)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.context import BotContext

T = TypeVar("T")
D = TypeVar("D")
JSON = Any  # what json.dumps takes: ints, strings, floats, bools, None, lists, dicts


def user_data(context: BotContext) -> dict[Any, Any]:
    """The update's user data (the access gate lets no update without a user through)."""
    data = context.user_data
    if data is None:
        raise RuntimeError("a draft was used in an update without a user")
    return data


@dataclass(frozen=True)
class DraftSlot(Generic[T]):
    key: str  # in user_data
    load: Callable[[JSON], T | None]  # None: unreadable
    dump: Callable[[T], JSON]
    # Left too long (read with the injected clock): dropped as if it were not there.
    expired: Callable[[T, BotContext], bool] | None = None
    # Called on every put with the clock's now (a draft's "last answered" time).
    touch: Callable[[T, datetime], None] | None = None

    def get(self, context: BotContext) -> T | None:
        data = user_data(context)
        if self.key not in data:
            return None
        value = self.load(data[self.key])
        if value is None or (self.expired is not None and self.expired(value, context)):
            data.pop(self.key, None)
            return None
        return value

    def put(self, context: BotContext, value: T) -> None:
        if self.touch is not None:
            self.touch(value, context.clock.now())
        user_data(context)[self.key] = self.dump(value)

    def forget(self, context: BotContext) -> None:
        user_data(context).pop(self.key, None)

    def pop(self, context: BotContext) -> T | None:
        value = self.get(context)
        self.forget(context)
        return value

    # ---- the usual kinds -------------------------------------------------------------------
    @classmethod
    def of_type(cls, key: str, kind: type[T]) -> DraftSlot[T]:
        """A plain JSON value (an id, a list, a dict of strings) checked for its type."""

        def load(raw: JSON) -> T | None:
            # bool is an int to isinstance; an id slot must not take True for 1.
            wrong_bool = isinstance(raw, bool) and kind is not bool
            return raw if isinstance(raw, kind) and not wrong_bool else None

        return cls(key, load=load, dump=_same)

    @classmethod
    def of_dataclass(
        cls,
        key: str,
        kind: type[D],
        *,
        expired: Callable[[D, BotContext], bool] | None = None,
        touch: Callable[[D, datetime], None] | None = None,
    ) -> DraftSlot[D]:
        """A dataclass of JSON-friendly fields, stored as a dict of them."""

        def load(raw: JSON) -> D | None:
            if not isinstance(raw, dict):
                return None
            try:
                return kind(**raw)
            except TypeError:
                return None  # a draft from an older version: start again

        def dump(value: D) -> JSON:
            if not is_dataclass(value) or isinstance(value, type):
                raise TypeError(f"{key}: {value!r} is not a dataclass instance")
            return asdict(value)

        return DraftSlot[D](key, load=load, dump=dump, expired=expired, touch=touch)


def _same(value: T) -> JSON:
    return value


def forget_all(context: BotContext, *slots: DraftSlot[Any]) -> None:
    for slot in slots:
        slot.forget(context)
