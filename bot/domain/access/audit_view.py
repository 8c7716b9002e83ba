"""/audit filters: which member or which actions an admin asked for. Pure domain.

`/audit @username`, `/audit 123456789` (a Telegram id) and `/audit Olly` (part of a
name) filter by member: what they did and what was done to them. `/audit member.`,
`/audit person.viewed` or `/audit export` filter by action: an action matches a term when
it starts with it, or when its part after the dot does (`export` finds data.exported).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.domain.access.audit import AuditAction

# An action term fits in callback data (`aud:a:<term>:<page>`, under 64 bytes).
ACTION_TERM_RE = re.compile(r"^[a-z_][a-z0-9_.]{0,39}$")
_TELEGRAM_ID_RE = re.compile(r"^-?\d{1,15}$")


@dataclass(frozen=True)
class ByUsername:
    username: str


@dataclass(frozen=True)
class ByTelegramId:
    telegram_id: int


@dataclass(frozen=True)
class ByName:
    text: str


@dataclass(frozen=True)
class ByAction:
    term: str


MemberFilter = ByUsername | ByTelegramId | ByName
AuditFilter = MemberFilter | ByAction


def action_term_matches(term: str, action: str) -> bool:
    """The rule storage.access.audit.action_matches applies in SQL."""
    return action.startswith(term) or ("." + term) in action


def is_action_term(term: str) -> bool:
    return ACTION_TERM_RE.match(term) is not None


def read_filter(text: str, known_actions: Iterable[str] | None = None) -> AuditFilter | None:
    """None for no filter at all."""
    text = " ".join(text.split())
    if not text:
        return None
    if text.startswith("@") and len(text) > 1:
        return ByUsername(text[1:])
    if _TELEGRAM_ID_RE.match(text):
        return ByTelegramId(int(text))
    term = text.casefold()
    actions = [a.value for a in AuditAction] if known_actions is None else list(known_actions)
    if is_action_term(term) and ("." in term or any(action_term_matches(term, a) for a in actions)):
        return ByAction(term)
    return ByName(text)


class MemberLike(Protocol):
    @property
    def telegram_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def username(self) -> str | None: ...


M = TypeVar("M", bound=MemberLike)


def match_members(members: Sequence[M], wanted: MemberFilter) -> list[M]:
    """The members a filter names: one exact match wins over several partial ones."""
    if isinstance(wanted, ByTelegramId):
        return [m for m in members if m.telegram_id == wanted.telegram_id]
    if isinstance(wanted, ByUsername):
        handle = wanted.username.casefold()
        return [m for m in members if m.username and m.username.casefold() == handle]
    text = wanted.text.casefold()
    exact = [m for m in members if m.name.casefold() == text]
    if exact:
        return exact
    words = text.split()
    return [m for m in members if all(w in m.name.casefold() for w in words)]
