"""Outreach (homelessness) vocabulary, alias matching and timelines (the statuses a
rough sleeping report counts, returners among them, are bot.domain.rough_sleeping's).

Pure domain code (stdlib and rapidfuzz only): storage and handlers both read it, and it
tests without either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from rapidfuzz import fuzz

from bot.domain.geo import Place, nearest_place, point_label

MAX_ALIAS = 60
MAX_APPEARANCE = 200
MAX_GENDER = 30
MAX_USUAL_SITES = 200
MAX_LEGAL_NAME = 120
MAX_NOTES = 2000
MAX_PLACE_TEXT = 200

E = TypeVar("E", bound=StrEnum)

DEFAULT_STALE_HOURS = 48


# ---- vocabularies ------------------------------------------------------------------------
class AgeBand(StrEnum):
    UNDER_18 = "u18"
    AGE_18_25 = "18_25"
    AGE_26_35 = "26_35"
    AGE_36_50 = "36_50"
    AGE_51_65 = "51_65"
    OVER_65 = "o65"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return AGE_BAND_LABELS[self]


AGE_BAND_LABELS: dict[AgeBand, str] = {
    AgeBand.UNDER_18: "under 18",
    AgeBand.AGE_18_25: "18–25",
    AgeBand.AGE_26_35: "26–35",
    AgeBand.AGE_36_50: "36–50",
    AgeBand.AGE_51_65: "51–65",
    AgeBand.OVER_65: "over 65",
    AgeBand.UNKNOWN: "age unknown",
}


class SleepingSite(StrEnum):
    DOORWAY = "doorway"
    TENT = "tent"
    CAR = "car"
    BEGGING_PITCH = "begging"
    NOT_SLEEPING_OUT = "not_out"
    OTHER = "other"


SLEEPING_SITE_LABELS: dict[SleepingSite, str] = {
    SleepingSite.DOORWAY: "Doorway",
    SleepingSite.TENT: "Tent",
    SleepingSite.CAR: "Car",
    SleepingSite.BEGGING_PITCH: "Begging pitch",
    SleepingSite.NOT_SLEEPING_OUT: "Not sleeping out",
    SleepingSite.OTHER: "Other",
}


class Need(StrEnum):
    ACCOMMODATION = "accom"
    PHYSICAL_HEALTH = "phys"
    MENTAL_HEALTH = "mental"
    ALCOHOL = "alcohol"
    DRUGS = "drugs"
    FOOD = "food"
    ID_BENEFITS = "id_ben"
    SAFEGUARDING = "safeg"


NEED_LABELS: dict[Need, str] = {
    Need.ACCOMMODATION: "Accommodation",
    Need.PHYSICAL_HEALTH: "Physical health",
    Need.MENTAL_HEALTH: "Mental health",
    Need.ALCOHOL: "Alcohol",
    Need.DRUGS: "Drugs",
    Need.FOOD: "Food",
    Need.ID_BENEFITS: "ID or benefits",
    Need.SAFEGUARDING: "Safeguarding",
}


class Action(StrEnum):
    STREETLINK = "streetlink"
    HOUSING_OPTIONS = "housing"
    HOSTEL = "hostel"
    GP_HEALTH = "gp"
    DRUG_ALCOHOL = "dna"
    MENTAL_HEALTH_TEAM = "mht"
    SAFEGUARDING = "safeg"
    DECLINED = "declined"


ACTION_LABELS: dict[Action, str] = {
    Action.STREETLINK: "StreetLink",
    Action.HOUSING_OPTIONS: "Housing options",
    Action.HOSTEL: "Hostel or night shelter",
    Action.GP_HEALTH: "GP or health",
    Action.DRUG_ALCOHOL: "Drug and alcohol service",
    Action.MENTAL_HEALTH_TEAM: "Mental health team",
    Action.SAFEGUARDING: "Adult or children's safeguarding",
    Action.DECLINED: "Declined support",
}


class Flag(StrEnum):
    SAFEGUARDING = "safeg"
    NRPF = "nrpf"
    RISK_TO_STAFF = "risk"
    CARE_LEAVER = "care"
    VETERAN = "veteran"
    PREGNANT = "pregnant"


FLAG_LABELS: dict[Flag, str] = {
    Flag.SAFEGUARDING: "Safeguarding concern",
    Flag.NRPF: "No recourse to public funds",
    Flag.RISK_TO_STAFF: "Risk to staff: visit in pairs",
    Flag.CARE_LEAVER: "Care leaver",
    Flag.VETERAN: "Veteran",
    Flag.PREGNANT: "Pregnant",
}


class PersonField(StrEnum):
    """What an edit may change, one at a time (the audit row names the field, not the value)."""

    ALIAS = "alias"
    APPEARANCE = "appearance"
    AGE_BAND = "age_band"
    GENDER = "gender"
    USUAL_SITES = "usual_sites"
    FLAGS = "flags"
    CONSENT = "consent"
    LEGAL_NAME = "legal_name"


class ReferralStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"  # an outreach worker is on it; still open for the queue and counts
    CLOSED = "closed"
    # Reported again after "not found": attached to the referral it reopened (shown there,
    # closed with it), never in the queue on its own.
    ATTACHED = "attached"


class ReferralOutcome(StrEnum):
    CONTACTED = "contacted"  # a contact was logged
    NOT_FOUND = "not_found"


OPEN_REFERRAL_STATUSES = (ReferralStatus.OPEN, ReferralStatus.TAKEN)


def join_slugs(values: Iterable[E], vocabulary: type[E]) -> str:
    """Stored form of a multi-select: vocabulary order, no duplicates, "|"-joined."""
    chosen = {vocabulary(v) for v in values}
    return "|".join(v.value for v in vocabulary if v in chosen)


def split_slugs(text: str | None, vocabulary: type[E]) -> list[E]:
    """Parse a stored multi-select, dropping slugs a later version no longer knows."""
    known = {v.value: v for v in vocabulary}
    return [known[s] for s in (text or "").split("|") if s in known]


def toggle(chosen: Sequence[E], value: E) -> list[E]:
    """A multi-select button press: add or remove, keeping vocabulary order."""
    picked = set(chosen) ^ {value}
    return [v for v in type(value) if v in picked]


# ---- aliases ------------------------------------------------------------------------------
_NOT_NAME = re.compile(r"[^\w' -]+")
_SPACES = re.compile(r"\s+")


class AliasError(ValueError):
    """The alias is empty or too long; the message is fit to show the worker."""


def clean_alias(text: str) -> str:
    """The alias as stored: trimmed, inner spaces collapsed, 1–60 characters."""
    alias = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    if not alias:
        raise AliasError("empty")
    if len(alias) > MAX_ALIAS:
        raise AliasError("too long")
    return alias


def alias_key(text: str) -> str:
    """What matching compares: case, accents' forms and punctuation ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _NOT_NAME.sub(" ", text)).strip()


# Searching shows candidates for a person to choose from (each with age band, appearance
# and last seen), so it favours recall. fuzz.ratio is 100 * (1 - indel edits / total
# letters): 75 admits one wrong letter in a 4-letter name ("Mick"/"Mike" 75), one
# missing letter in any name of 3+ letters ("Jon"/"John" 85.7, "Jonny"/"Johnny" 90.9),
# and keeps clearly different names apart ("Sean"/"Shaun" 66.7 is the price).
SEARCH_THRESHOLD = 75.0
# "Is this the same person?" interrupts every new record it fires on, so it is stricter:
# one missing or extra letter ("Jonny"/"Johnny" 90.9, "Dave"/"Davey" 88.9, "Jon"/"John"
# 85.7) or a whole word of a longer alias ("Johnny" in "Big Johnny"); not a wrong letter
# in a short name ("Jonny"/"Jenny" 80, "Mick"/"Nick" 75), which are usually other people.
SAME_PERSON_THRESHOLD = 85.0
# Typing the start of an alias finds it when searching ("Joh" finds "Johnny").
PREFIX_MIN_LEN = 3
PREFIX_SCORE = 90.0
# Single words shorter than this never match one word of a longer alias on their own.
TOKEN_MIN_LEN = 3


def alias_score(query: str, alias: str, *, prefix: bool = True) -> float:
    """0–100: how well a typed alias fits a stored one."""
    q, a = alias_key(query), alias_key(alias)
    if not q or not a:
        return 0.0
    if q == a:
        return 100.0
    score = fuzz.ratio(q, a)
    q_words, a_words = q.split(), a.split()
    if len(q_words) > 1 and len(a_words) > 1:
        score = max(score, fuzz.token_sort_ratio(q, a))
    elif len(q_words) == 1 and len(a_words) > 1 and len(q) >= TOKEN_MIN_LEN:
        score = max(score, *(fuzz.ratio(q, w) for w in a_words))
    elif len(a_words) == 1 and len(q_words) > 1 and len(a) >= TOKEN_MIN_LEN:
        score = max(score, *(fuzz.ratio(w, a) for w in q_words))
    if prefix and len(q) >= PREFIX_MIN_LEN and any(w.startswith(q) for w in [a, *a_words]):
        score = max(score, PREFIX_SCORE)
    return float(score)


@dataclass(frozen=True)
class AliasHit:
    person_id: int
    alias: str
    score: float


def match_aliases(
    query: str,
    people: Iterable[tuple[int, str]],
    *,
    threshold: float = SEARCH_THRESHOLD,
    prefix: bool = True,
    limit: int = 8,
) -> list[AliasHit]:
    """(id, alias) pairs scoring at least `threshold`, best first (ties: alias, then id)."""
    hits = [
        AliasHit(person_id, alias, score)
        for person_id, alias in people
        if (score := alias_score(query, alias, prefix=prefix)) >= threshold
    ]
    hits.sort(key=lambda h: (-h.score, alias_key(h.alias), h.person_id))
    return hits[:limit]


def similar_aliases(query: str, people: Iterable[tuple[int, str]]) -> list[AliasHit]:
    """Existing people a new alias probably means: asked as "Is this the same person?"."""
    return match_aliases(query, people, threshold=SAME_PERSON_THRESHOLD, prefix=False, limit=4)


# ---- what a person record shows --------------------------------------------------------
@dataclass(frozen=True)
class PersonFacts:
    id: int
    alias: str
    age_band: AgeBand
    appearance: str | None
    gender: str | None
    usual_sites: str | None
    flags: tuple[Flag, ...]
    consent: bool | None
    consent_at: datetime | None
    legal_name: str | None
    first_seen: datetime
    last_seen: datetime


# ---- drafts kept in user_data while a flow runs (plain JSON-able values) -----------------
class DraftPlace:
    """Where a contact or sighting happened: a hotspot, a typed place or a shared point.

    Mixed into the draft dataclasses below, which declare the fields.
    """

    hotspot_id: int | None
    place_text: str | None
    lat: float | None
    lon: float | None
    place: str | None  # as shown

    def at_hotspot(self, hotspot_id: int | None, name: str) -> None:
        self.hotspot_id, self.place_text, self.lat, self.lon = hotspot_id, None, None, None
        self.place = name

    def at_text(self, text: str) -> None:
        self.hotspot_id, self.place_text, self.lat, self.lon = None, text, None, None
        self.place = text

    def at_point(self, places: Iterable[Place], lat: float, lon: float) -> None:
        """The nearest hotspot whose radius holds the point names it; else the coordinates."""
        near = nearest_place(places, lat, lon)
        self.hotspot_id = near[0].id if near else None
        self.place_text, self.lat, self.lon = None, lat, lon
        self.place = near[0].name if near else point_label(lat, lon)


@dataclass
class ContactDraft(DraftPlace):
    draft_id: str
    step: int = 0
    person_id: int | None = None
    who: str | None = None  # the alias shown while logging (known or new person)
    new_alias: str | None = None
    age_band: str | None = None
    appearance: str | None = None
    anonymous: bool = False
    hotspot_id: int | None = None
    place_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None  # as shown
    site: str | None = None
    needs: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    consent: bool | None = None
    notes: str | None = None
    referral_id: int | None = None
    touched: str | None = None  # ISO time of the last answer (drafts expire)
    # What a rough sleeping report counts (bot.domain.rough_sleeping's vocabularies).
    bedded_down: bool | None = None
    local: str | None = None  # LocalConnection
    connection_place: str | None = None
    left: list[str] = field(default_factory=list)  # Institution slugs
    # Flagged for exploitation (a ConcernKind value): saving raises a safeguarding concern.
    exploitation: str | None = None


@dataclass
class SightingDraft(DraftPlace):
    draft_id: str
    step: int = 0
    hotspot_id: int | None = None
    place_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    minutes_ago: int = 0
    appearance: str | None = None
    # "Do they seem under 18?": yes makes it a safeguarding concern, never an adult referral.
    under_18: bool = False
    danger: str | None = None  # "Do they seem unwell or in danger?": DangerAnswer's value
    touched: str | None = None


@dataclass
class NotFoundDraft:
    """ "Not found" pressed on a referral: waiting for where the worker looked."""

    referral_id: int
    touched: str | None = None


# An unfinished flow is dropped after this long without an answer, so a forgotten draft
# never swallows the next night's messages. Checked on each answer (no timer needed).
DRAFT_TTL = timedelta(hours=1)


def draft_expired(touched: str | None, now: datetime, ttl: timedelta = DRAFT_TTL) -> bool:
    if touched is None:
        return False
    try:
        at = datetime.fromisoformat(touched)
    except ValueError:
        return True
    return now - at > ttl


# ---- timelines ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ContactEntry:
    contact_id: int
    at: datetime
    worker: str | None
    place: str
    site: SleepingSite | None
    needs: tuple[Need, ...]
    actions: tuple[Action, ...]
    notes: str | None
    referral_id: int | None
    # What a rough sleeping report counts (slugs of bot.domain.rough_sleeping's vocabularies).
    bedded_down: bool | None = None
    local_connection: str | None = None
    connection_place: str | None = None
    left_institution: tuple[str, ...] = ()
    needs_answer: str | None = None  # "none" known, or "declined" to say


@dataclass(frozen=True)
class MergeEntry:
    at: datetime
    merged_person_id: int
    merged_alias: str


@dataclass(frozen=True)
class NeedTrend:
    """One need across a person's contacts: how often, and when first and last noted."""

    need: Need
    times: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class Timeline:
    contacts: list[ContactEntry]  # newest first
    merges: list[MergeEntry]  # newest first
    needs: list[NeedTrend]  # most recently noted first
    referral_ids: list[int]
    first_seen: datetime | None
    last_seen: datetime | None
    events: list[ContactEntry | MergeEntry] = field(default_factory=list)  # newest first


def build_timeline(contacts: Iterable[ContactEntry], merges: Iterable[MergeEntry] = ()) -> Timeline:
    ordered = sorted(contacts, key=lambda c: (c.at, c.contact_id), reverse=True)
    merged = sorted(merges, key=lambda m: (m.at, m.merged_person_id), reverse=True)
    trends: dict[Need, NeedTrend] = {}
    for contact in reversed(ordered):  # oldest first, so `first` is set once
        for need in contact.needs:
            seen = trends.get(need)
            trends[need] = NeedTrend(
                need,
                (seen.times if seen else 0) + 1,
                seen.first if seen else contact.at,
                contact.at,
            )
    needs = sorted(trends.values(), key=lambda t: (t.last, t.times), reverse=True)
    referrals = [c.referral_id for c in ordered if c.referral_id is not None]
    events: list[ContactEntry | MergeEntry] = sorted(
        [*ordered, *merged], key=lambda e: e.at, reverse=True
    )
    return Timeline(
        contacts=ordered,
        merges=merged,
        needs=needs,
        referral_ids=referrals,
        first_seen=ordered[-1].at if ordered else None,
        last_seen=ordered[0].at if ordered else None,
        events=events,
    )


def referral_age(created_at: datetime, now: datetime) -> timedelta:
    return max(now - created_at, timedelta(0))
