"""The wire format of callback data and the base every button codec is built on.

Format `prefix:action[:arg…]`, always under Telegram's 64-byte limit. A button family is
one prefix; each of its buttons is a frozen dataclass (like aiogram's CallbackData) whose
fields are the arguments, in order:

    @dataclass(frozen=True)
    class PersonShow(PersonButton, action=PersonAction.SHOW):
        person_id: int

    PersonShow(42).pack() == "per:show:42";  PersonShow.unpack("per:show:42") == PersonShow(42)

Field types are read from the annotations: `int` (an id or page: `small_int`, so a forged
20-digit number never reaches the database), `bool` ("1"/"0"), a StrEnum (its values only),
`str` (one non-empty part), and `X | None` for an argument that may be left off at the end.
A class may check more in `__post_init__` by raising ValueError: `unpack` then answers None.
A button answering several actions of the same shape declares `action` as its first field
instead of a fixed one (`actions=` names which).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import Field, dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

MAX_BYTES = 64
SEPARATOR = ":"

# Ids and page numbers fit PostgreSQL's integer; a forged button's 20-digit number must not
# reach the database (SQLite refuses integers over 64 bits, PostgreSQL over its column type).
MAX_INT_ARG = 2**31 - 1


def small_int(text: str | None) -> int | None:
    """An id or page number from callback data; None for anything else or out of range."""
    if text is None or not text.isascii():
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if -MAX_INT_ARG <= value <= MAX_INT_ARG else None


@dataclass(frozen=True)
class Callback:
    """Callback data split into its parts, before any family reads its arguments."""

    prefix: str
    action: str
    args: tuple[str, ...] = ()


def build(prefix: str, action: str, *args: object) -> str:
    data = SEPARATOR.join([prefix, action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def split(data: str | None, prefixes: Iterable[str]) -> Callback | None:
    """None for anything that is not ours (forged, truncated or from an old version)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEPARATOR)
    if len(parts) < 2 or parts[0] not in prefixes or not parts[1]:
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


# ---- reading and writing one argument ------------------------------------------------------
Reader = Callable[[str], object | None]


def _read_int(text: str) -> int | None:
    return small_int(text)


def _read_bool(text: str) -> bool | None:
    return {"1": True, "0": False}.get(text)


def _read_str(text: str) -> str | None:
    return text or None


def _enum_reader(enum: type[StrEnum]) -> Reader:
    def read(text: str) -> object | None:
        try:
            return enum(text)
        except ValueError:
            return None

    return read


def _write(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value and SEPARATOR not in value:
        return value
    raise ValueError(f"{value!r} cannot be a callback argument")


@dataclass(frozen=True)
class _Argument:
    name: str
    read: Reader
    optional: bool


def _argument(name: str, hint: Any) -> _Argument:
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{name}: one type (or None) per callback argument")
        hint, optional = options[0], True
    if hint is bool:
        read: Reader = _read_bool
    elif hint is int:
        read = _read_int
    elif hint is str:
        read = _read_str
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        read = _enum_reader(hint)
    else:
        raise TypeError(f"{name}: {hint!r} cannot be a callback argument")
    return _Argument(name, read, optional)


@dataclass(frozen=True)
class _Layout:
    arguments: tuple[_Argument, ...]  # the fields after the action, in order
    required: int  # how many arguments every button of the class carries
    has_action_field: bool  # several actions: the action is the first field


# ---- buttons --------------------------------------------------------------------------------
class Button:
    """Base of every button codec: subclasses are frozen dataclasses of one family."""

    PREFIX: ClassVar[str]  # set by each family's base class
    ACTIONS: ClassVar[tuple[StrEnum, ...]]  # the actions this button answers
    action: Any  # a ClassVar on one-action buttons, the first field on the others
    _layout: ClassVar[_Layout | None] = None

    def __init_subclass__(
        cls, *, action: StrEnum | None = None, actions: Iterable[StrEnum] = (), **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls._layout = None
        if action is not None:
            cls.action = action
            cls.ACTIONS = (action,)
        elif actions:
            cls.ACTIONS = tuple(actions)

    def __post_init__(self) -> None:
        if self.action not in self.ACTIONS:
            raise ValueError(f"{type(self).__name__} does not answer {self.action!r}")

    @classmethod
    def layout(cls) -> _Layout:
        """How this button's fields travel (read from the annotations once per class)."""
        if cls._layout is None:
            hints = typing.get_type_hints(cls)
            names = [f.name for f in _fields(cls)]
            arguments = tuple(_argument(n, hints[n]) for n in names if n != "action")
            cls._layout = _Layout(
                arguments,
                required=sum(1 for a in arguments if not a.optional),
                has_action_field="action" in names,
            )
        return cls._layout

    def pack(self) -> str:
        values = [getattr(self, a.name) for a in self.layout().arguments]
        while values and values[-1] is None:
            values.pop()
        return build(self.PREFIX, _write(self.action), *(_write(v) for v in values))

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        parts = split(data, (cls.PREFIX,))
        return cls.from_parts(parts) if parts is not None else None

    @classmethod
    def from_parts(cls, parts: Callback) -> Self | None:
        """The button these parts spell; None for a wrong action, argument or count."""
        action = next((a for a in cls.ACTIONS if a.value == parts.action), None)
        layout = cls.layout()
        if action is None or not layout.required <= len(parts.args) <= len(layout.arguments):
            return None
        values: dict[str, object] = {"action": action} if layout.has_action_field else {}
        for argument, text in zip(layout.arguments, parts.args, strict=False):
            value = argument.read(text)
            if value is None:
                return None
            values[argument.name] = value
        return cls._make(values)

    @classmethod
    def _make(cls, values: dict[str, object]) -> Self | None:
        try:
            return cls(**values)
        except (TypeError, ValueError):
            return None


def _fields(button: type[Button]) -> tuple[Field[Any], ...]:
    return fields(cast(Any, button))  # every concrete button is a dataclass


B = TypeVar("B", bound=Button, covariant=True)


class Family(Generic[B]):
    """All buttons of one prefix: reads any of them, and names handler patterns."""

    def __init__(self, *buttons: type[B]) -> None:
        prefixes = {b.PREFIX for b in buttons}
        if len(prefixes) != 1:
            raise ValueError(f"one prefix per family, not {sorted(prefixes)}")
        self.prefix = prefixes.pop()
        self._by_action: dict[str, type[B]] = {}
        for button in buttons:
            for action in button.ACTIONS:
                if action.value in self._by_action:
                    raise ValueError(f"{self.prefix}:{action.value} has two buttons")
                self._by_action[action.value] = button

    def unpack(self, data: str | None) -> B | None:
        parts = split(data, (self.prefix,))
        button = self._by_action.get(parts.action) if parts is not None else None
        return button.from_parts(parts) if button is not None and parts is not None else None

    def pattern(self, *actions: StrEnum) -> str:
        """A handler pattern for some of the family's actions (all of them when none given)."""
        if not actions:
            return f"^{re.escape(self.prefix)}{SEPARATOR}"
        unknown = [a for a in actions if a.value not in self._by_action]
        if unknown:
            raise ValueError(f"{self.prefix} has no buttons for {unknown}")
        alternatives = "|".join(re.escape(a.value) for a in sorted(actions))
        return f"^{re.escape(self.prefix)}{SEPARATOR}({alternatives})({SEPARATOR}|$)"
