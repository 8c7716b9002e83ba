"""The public perception survey: its scale, the anonymous person key, and its figures.

Pure rules. Nobody's Telegram id is kept: a person is an HMAC-SHA256 of their id under the
round's own random key, so one person answers once a round, and once the key is destroyed
(the round closed) nobody, us included, can tell whose answer is whose. The answers in
progress travel in the buttons (bot.domain.callbacks.survey), each button tagged with a
short MAC so a forged or copied one is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from bot.domain.periods import Quarter

KEY_BYTES = 32
TAG_CHARS = 8  # 48 bits of MAC per button: guessing one is hopeless at our rate limits
MAX_PLACES = 12  # hotspots offered as "places you avoid" (a keyboard a phone can show)
MAX_OTHER_PLACE = 60  # characters of the one typed answer ("somewhere else")
MIN_CELL = 5  # breakdown cells with fewer answers are not shown (anonymity)
NOT_ANSWERED = 0  # an optional question skipped, or not reached yet


class Feeling(IntEnum):
    """The scale national surveys use (Crime Survey, ONS OPN), plus "don't know"."""

    VERY_SAFE = 1
    FAIRLY_SAFE = 2
    A_BIT_UNSAFE = 3
    VERY_UNSAFE = 4
    DONT_KNOW = 5

    @property
    def feels_safe(self) -> bool:
        return self in (Feeling.VERY_SAFE, Feeling.FAIRLY_SAFE)


class AgeGroup(IntEnum):
    AGE_16_24 = 1
    AGE_25_34 = 2
    AGE_35_44 = 3
    AGE_45_54 = 4
    AGE_55_64 = 5
    AGE_65_PLUS = 6
    PREFER_NOT = 9


class Gender(IntEnum):
    WOMAN = 1
    MAN = 2
    ANOTHER_WAY = 3  # non-binary, or another way
    PREFER_NOT = 9


# ---- keys -----------------------------------------------------------------------------------
def new_round_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def person_key(round_key: bytes, telegram_id: int) -> str:
    """HMAC-SHA256 of the Telegram id under the round's key, as hex: who, without the id."""
    return hmac.new(round_key, str(telegram_id).encode(), hashlib.sha256).hexdigest()


def button_tag(round_key: bytes, person: str, payload: str) -> str:
    """A short MAC binding a button's payload to the round and the person it was made for."""
    digest = hmac.new(round_key, f"tag|{person}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TAG_CHARS]


def tag_matches(round_key: bytes, person: str, payload: str, tag: str) -> bool:
    return hmac.compare_digest(button_tag(round_key, person, payload), tag)


def round_closes_at(opened_at: datetime, tz: ZoneInfo) -> datetime:
    """A round lasts at most a quarter: it closes when the quarter it opened in ends."""
    _, end = Quarter.containing(opened_at, tz).bounds(tz)
    return end


# ---- answers in progress ----------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """What a person has tapped so far: day, after dark, and the places avoided as a bitmask
    by position in the round's place list."""

    day: int = NOT_ANSWERED
    dark: int = NOT_ANSWERED
    places: int = 0

    def is_valid(self, place_count: int) -> bool:
        feelings = {NOT_ANSWERED, *(int(f) for f in Feeling)}
        return (
            self.day in feelings
            and self.dark in feelings
            and 0 <= self.places < (1 << place_count)
            and (self.dark == NOT_ANSWERED or self.day != NOT_ANSWERED)
            and (self.places == 0 or self.dark != NOT_ANSWERED)
        )

    @property
    def has_feelings(self) -> bool:
        return self.day != NOT_ANSWERED and self.dark != NOT_ANSWERED

    def toggled(self, position: int) -> Progress:
        return Progress(self.day, self.dark, self.places ^ (1 << position))


def positions(places: int) -> list[int]:
    return [i for i in range(places.bit_length()) if places >> i & 1]


def clean_other_place(text: str) -> str | None:
    """The typed place, one line, at most MAX_OTHER_PLACE characters; None when empty."""
    cleaned = " ".join(text.split())[:MAX_OTHER_PLACE].strip()
    return cleaned or None


def valid_choice(enum: type[IntEnum], value: int) -> bool:
    return value == NOT_ANSWERED or value in {int(m) for m in enum}


# ---- rate limits -------------------------------------------------------------------------------
@dataclass
class RateWindow:
    """Presses in the last minute, per person key and overall (in memory: keys, not ids)."""

    window: timedelta = timedelta(minutes=1)
    _all: deque[datetime] = field(default_factory=deque)
    _by_person: dict[str, deque[datetime]] = field(default_factory=dict)

    def allow(self, person: str, now: datetime, *, per_person: int, overall: int) -> bool:
        since = now - self.window
        _prune(self._all, since)
        for key in [k for k, times in self._by_person.items() if _prune(times, since) == 0]:
            del self._by_person[key]
        mine = self._by_person.get(person, deque())
        if len(mine) >= per_person or len(self._all) >= overall:
            return False
        mine.append(now)
        self._by_person[person] = mine
        self._all.append(now)
        return True


def _prune(times: deque[datetime], since: datetime) -> int:
    while times and times[0] <= since:
        times.popleft()
    return len(times)


# ---- figures -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    day: int
    dark: int
    places: int = 0
    other_place: str | None = None
    age: int = NOT_ANSWERED
    gender: int = NOT_ANSWERED


@dataclass(frozen=True)
class Share:
    """How many of n feel very or fairly safe; `shown` is False for a suppressed cell."""

    safe: int
    n: int

    @property
    def shown(self) -> bool:
        return self.n >= MIN_CELL

    @property
    def percent(self) -> int | None:
        return round(100 * self.safe / self.n) if self.n and self.shown else None


@dataclass(frozen=True)
class GroupShares:
    label: IntEnum
    day: Share
    dark: Share


@dataclass(frozen=True)
class SurveyFigures:
    n: int
    day: Share
    dark: Share
    by_age: list[GroupShares]
    by_gender: list[GroupShares]
    places: list[tuple[str, int]]  # (place, how many avoid it), most avoided first
    somewhere_else: int
    named_elsewhere: list[tuple[str, int]]  # typed places named by at least MIN_CELL people


def share(answers: Iterable[Answer], which: str) -> Share:
    values = [getattr(a, which) for a in answers]
    answered = [v for v in values if v != NOT_ANSWERED]
    return Share(sum(1 for v in answered if Feeling(v).feels_safe), len(answered))


def _groups(answers: Sequence[Answer], which: str, enum: type[IntEnum]) -> list[GroupShares]:
    groups: list[GroupShares] = []
    for member in enum:
        if member.name == "PREFER_NOT":
            continue
        mine = [a for a in answers if getattr(a, which) == member]
        if mine:
            groups.append(GroupShares(member, share(mine, "day"), share(mine, "dark")))
    return groups


def figures(answers: Sequence[Answer], place_names: Sequence[str]) -> SurveyFigures:
    avoided = Counter(p for a in answers for p in positions(a.places) if p < len(place_names))
    typed = Counter(a.other_place.casefold() for a in answers if a.other_place)
    return SurveyFigures(
        n=len(answers),
        day=share(answers, "day"),
        dark=share(answers, "dark"),
        by_age=_groups(answers, "age", AgeGroup),
        by_gender=_groups(answers, "gender", Gender),
        places=sorted(
            ((place_names[p], count) for p, count in avoided.items()), key=lambda pc: -pc[1]
        ),
        somewhere_else=sum(1 for a in answers if a.other_place),
        named_elsewhere=[(text, c) for text, c in typed.most_common() if c >= MIN_CELL],
    )


@dataclass(frozen=True)
class RoundResult:
    """One round's headline figures, for the quarterly pack's trend."""

    round_id: int
    quarter: Quarter
    opened_at: datetime
    closed_at: datetime | None
    n: int
    day: Share
    dark: Share


def trend(results: Sequence[RoundResult]) -> list[tuple[RoundResult, int | None]]:
    """Each round, oldest first, with the change in after-dark percentage points since the
    round before it (None for the first, or when either is suppressed)."""
    ordered = sorted(results, key=lambda r: r.opened_at)
    out: list[tuple[RoundResult, int | None]] = []
    for before, current in zip([None, *ordered], ordered, strict=False):
        change = None
        if before is not None and before.dark.percent is not None:
            now_pct = current.dark.percent
            change = None if now_pct is None else now_pct - before.dark.percent
        out.append((current, change))
    return out
