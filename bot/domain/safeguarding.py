"""Safeguarding concerns: what raises one, what a lead records, and the concerns' own ladder.

Pure domain. A concern reaches every safeguarding lead privately (the `safeguarding lead`
flag, set by an admin on a coordinator or an outreach worker), or the admins when there is
no lead. Unacknowledged, it climbs its own ladder: every lead again after the first step's
minutes, then the admins (and the leads) after the second's. The lead acknowledges, then
records what was done from a fixed list with a one-line note.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.domain.access.roles import LEAD_ROLES, Role

MAX_NOTE = 200  # the lead's one-line note
SAFEGUARDING_SLUG = "safeguarding"  # the report category that always raises a concern


def may_be_lead(role: Role) -> bool:
    """DESIGN.md: the flag is set on a coordinator or an outreach worker."""
    return role in LEAD_ROLES


class ConcernSource(StrEnum):
    REPORT = "report"  # an incident report (guided or quick)
    SIGHTING = "sighting"  # /roughsleeper: "Do they seem under 18?" Yes
    CONTACT = "contact"  # an outreach contact flagged for exploitation


class ConcernKind(StrEnum):
    """The category of concern."""

    SAFEGUARDING_REPORT = "report"  # a report in the safeguarding category
    UNDER_18 = "under18"  # a person under 18 involved
    COUNTY_LINES = "county"
    CUCKOOING = "cuckoo"
    SEXUAL_EXPLOITATION = "cse"


EXPLOITATION_KINDS: tuple[ConcernKind, ...] = (
    ConcernKind.COUNTY_LINES,
    ConcernKind.CUCKOOING,
    ConcernKind.SEXUAL_EXPLOITATION,
)


class ConcernStatus(StrEnum):
    OPEN = "open"  # no lead has acknowledged it yet
    ACKNOWLEDGED = "acknowledged"  # a lead took it: what was done is still to record
    DONE = "done"  # the lead recorded what was done


OPEN_STATUSES = (ConcernStatus.OPEN, ConcernStatus.ACKNOWLEDGED)


class LeadAction(StrEnum):
    """What the lead did (DOMAIN.md: what a lead records)."""

    CHILDRENS_SERVICES = "children"
    ADULT_SOCIAL_CARE = "adults"
    POLICE = "police"
    ADVICE = "advice"
    NO_FURTHER_ACTION = "nfa"


def concern_kind(*, category_slug: str | None, under_18: bool) -> ConcernKind | None:
    """What a report raises: a person under 18 involved (a rough sleeping report too: then
    no adult outreach referral), or a report in the safeguarding category; else nothing."""
    if under_18:
        return ConcernKind.UNDER_18
    if category_slug == SAFEGUARDING_SLUG:
        return ConcernKind.SAFEGUARDING_REPORT
    return None


def concern_reference(concern_id: int) -> str:
    """S-0012: a safeguarding concern, never confused with a report's R-0012."""
    return f"S-{concern_id:04d}"


def note_problem(text: str) -> str | None:
    """Why a typed note cannot be the lead's one-line note; None when it can."""
    cleaned = text.strip()
    if not cleaned:
        return "empty"
    if "\n" in cleaned:
        return "lines"
    if len(cleaned) > MAX_NOTE:
        return "long"
    return None


# ---- the ladder ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConcernStep:
    number: int  # 1: every lead again; 2: the admins (and the leads)
    after: timedelta  # since the concern was raised
    leads: bool
    admins: bool

    @property
    def minutes(self) -> int:
        return int(self.after.total_seconds() // 60)


@dataclass(frozen=True)
class ConcernLadder:
    leads_again_minutes: int = 15
    admins_minutes: int = 30

    def __post_init__(self) -> None:
        if not 0 < self.leads_again_minutes < self.admins_minutes:
            raise ValueError("the admins' step must come after the leads' again")

    def step(self, number: int) -> ConcernStep | None:
        if number == 1:
            return ConcernStep(1, timedelta(minutes=self.leads_again_minutes), True, False)
        if number == 2:
            return ConcernStep(2, timedelta(minutes=self.admins_minutes), True, True)
        return None

    def steps(self) -> list[ConcernStep]:
        return [s for n in (1, 2) if (s := self.step(n)) is not None]

    def due(self, age: timedelta) -> list[ConcernStep]:
        return [s for s in self.steps() if s.after <= age]

    @property
    def first_after(self) -> timedelta:
        return timedelta(minutes=self.leads_again_minutes)

    @property
    def last_after(self) -> timedelta:
        return timedelta(minutes=self.admins_minutes)


# ---- counts for the group and digests ----------------------------------------------------------
@dataclass(frozen=True)
class ConcernCounts:
    """Counts only: what the coordinators' group and the digests may read."""

    raised: int
    acknowledged: int
    median_minutes_to_acknowledge: float | None

    @classmethod
    def of(cls, raised: int, waits: Iterable[timedelta]) -> ConcernCounts:
        minutes = [w.total_seconds() / 60 for w in waits]
        median = statistics.median(minutes) if minutes else None
        return cls(raised, len(minutes), median)
