"""Rough sleeping records fit for reporting: what a contact records beyond the meeting
(bedded down or at risk, local connection, support needs answered, recently left an
institution), outcomes (moves into accommodation), and each person's status for a period.

The statuses follow England's rough sleeping data framework and London's CHAIN (DOMAIN.md):
- new: seen bedded down in the period, with no bedded-down contact recorded in the
  60 months before it;
- living on the streets: bedded-down contacts on at least 3 separate days within the
  period, the first and the last at least 21 days apart (and not new);
- intermittent / returner: seen bedded down in the period and before it (within the
  60 months), not living on the streets.
A person is counted once, in that order, so the three add up to the people seen sleeping
rough in the period. Someone met only "at risk" (never bedded down in the period) has no
status for it.

Pure domain: stdlib only; storage reads the rows, these functions do the arithmetic.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.outreach import Flag, Need, ReferralOutcome, split_slugs

NEW_LOOKBACK_MONTHS = 60  # "new": no bedded-down contact in the previous five years
STREETS_MIN_DAYS = 3  # "living on the streets": bedded down on at least 3 separate days ...
STREETS_MIN_SPAN_DAYS = 21  # ... the first and the last at least 21 days apart
INSTITUTION_WITHIN_DAYS = 85  # "recently left" prison, hospital or care
MAX_CONNECTION_PLACE = 60


class StreetStatus(StrEnum):
    NEW = "new"
    LIVING_ON_STREETS = "streets"
    INTERMITTENT = "intermittent"


class LocalConnection(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class NeedsAnswer(StrEnum):
    """Answers to "support needs" that exclude every need (stored beside Need slugs)."""

    NONE_KNOWN = "none"
    DECLINED = "declined"


class Institution(StrEnum):
    """Recently left (within 85 days): prison, hospital, care."""

    PRISON = "prison"
    HOSPITAL = "hospital"
    CARE = "care"


class MoveOutcome(StrEnum):
    """A person's move into accommodation (or out of the rough sleeping picture)."""

    HOSTEL = "hostel"
    SUPPORTED = "supported"
    PRIVATE_RENTED = "private"
    RECONNECTED = "reconnected"
    HOSPITAL = "hospital"
    CUSTODY = "custody"


# Flags shown first on a record and at the start of a contact: what a worker must know
# before going up to someone.
FLAGS_FIRST: tuple[Flag, ...] = (Flag.SAFEGUARDING, Flag.RISK_TO_STAFF)


def flag_rank(flag: Flag) -> int:
    """Safeguarding, then risk to workers, then the others in vocabulary order."""
    order = [*FLAGS_FIRST, *(f for f in Flag if f not in FLAGS_FIRST)]
    return order.index(flag)


NEEDS_ANSWER_SLUGS = frozenset(a.value for a in NeedsAnswer)


# ---- the needs step: exclusive answers ---------------------------------------------------
def needs_answer(stored: str | None) -> NeedsAnswer | None:
    """ "None known" or "declined to say", when that is what a contact recorded."""
    answers = split_slugs(stored, NeedsAnswer)
    return answers[0] if answers else None


def tick_need(chosen: Sequence[str], slug: str) -> list[str]:
    """One press on the needs step: a need toggles (and clears an exclusive answer); "none
    known" or "declined to say" toggles alone (and clears every need)."""
    if slug in {a.value for a in NeedsAnswer}:
        return [] if slug in chosen else [slug]
    need = Need(slug)  # ValueError for a slug of neither vocabulary
    picked = {Need(s) for s in chosen if s in {n.value for n in Need}} ^ {need}
    return [n.value for n in Need if n in picked]


def store_needs(chosen: Iterable[str]) -> str:
    """The stored form: needs in vocabulary order, or the one exclusive answer."""
    values = list(chosen)
    answer = next((a for a in NeedsAnswer if a.value in values), None)
    if answer is not None:
        return answer.value
    wanted = set(values)
    return "|".join(n.value for n in Need if n.value in wanted)


# ---- periods -------------------------------------------------------------------------------
def months_before(at: datetime, months: int, tz: ZoneInfo) -> datetime:
    """The same local wall time `months` calendar months earlier (the day clamped to the
    month's last: 31 May less 3 months is 28 or 29 February)."""
    local = at.astimezone(tz)
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    earlier = local.replace(year=year, month=month, day=min(local.day, last_day), tzinfo=None)
    return earlier.replace(tzinfo=tz)


@dataclass(frozen=True)
class Month:
    """A calendar month in the partnership's time zone."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return self.first_day.strftime("%B %Y")

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware instants: local midnight on the 1st to the next 1st."""
        nxt = self.next
        return (
            datetime(self.year, self.month, 1, tzinfo=tz),
            datetime(nxt.year, nxt.month, 1, tzinfo=tz),
        )

    @classmethod
    def containing(cls, at: datetime, tz: ZoneInfo) -> Month:
        local = at.astimezone(tz)
        return cls(local.year, local.month)


class MonthProblem(StrEnum):
    BAD = "bad"  # not YYYY-MM
    NOT_STARTED = "not_started"  # a month still to come


class MonthError(ValueError):
    def __init__(self, problem: MonthProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str, *, now: datetime, tz: ZoneInfo) -> Month:
    """'2026-11' → that month; '' → the current month (so far). Not a month to come."""
    cleaned = text.strip()
    if not cleaned:
        return Month.containing(now, tz)
    match = _MONTH.match(cleaned)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise MonthError(MonthProblem.BAD)
    month = Month(int(match.group(1)), int(match.group(2)))
    if month.bounds(tz)[0] > now:
        raise MonthError(MonthProblem.NOT_STARTED)
    return month


MOVE_DATE_MAX_AGE_DAYS = 366
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")


def parse_move_date(text: str, today: date) -> date | None:
    """A move's date as typed: 2026-11-20, 20/11/2026, 20/11/26 or 20/11 (this year, or
    last year when that would be in the future). None: not a date, in the future, or more
    than a year ago."""
    cleaned = text.strip()
    try:
        if match := _ISO_DATE.match(cleaned):
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        elif match := _UK_DATE.match(cleaned):
            year_text = match.group(3)
            year = today.year if year_text is None else int(year_text)
            year += 2000 if year_text is not None and len(year_text) == 2 else 0
            day = date(year, int(match.group(2)), int(match.group(1)))
            if year_text is None and day > today:
                day = day.replace(year=day.year - 1)
        else:
            return None
    except ValueError:
        return None
    if day > today or (today - day).days > MOVE_DATE_MAX_AGE_DAYS:
        return None
    return day


# ---- statuses ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seen:
    """One contact with a person, as the statuses read it."""

    at: datetime
    bedded_down: bool | None  # None: recorded before the question was asked


def bedded_down_days(
    contacts: Iterable[Seen], start: datetime, end: datetime, tz: ZoneInfo
) -> list[date]:
    """The local days in [start, end) with a bedded-down contact, oldest first."""
    return sorted(
        {c.at.astimezone(tz).date() for c in contacts if c.bedded_down and start <= c.at < end}
    )


def living_on_streets(days: Iterable[date]) -> bool:
    """Bedded down on at least 3 separate days, the first and last at least 21 days apart."""
    distinct = sorted(set(days))
    return (
        len(distinct) >= STREETS_MIN_DAYS
        and (distinct[-1] - distinct[0]).days >= STREETS_MIN_SPAN_DAYS
    )


def street_status(
    contacts: Iterable[Seen], start: datetime, end: datetime, tz: ZoneInfo
) -> StreetStatus | None:
    """A person's status for the period [start, end); None: not seen bedded down in it."""
    seen = list(contacts)
    days = bedded_down_days(seen, start, end, tz)
    if not days:
        return None
    lookback = months_before(start, NEW_LOOKBACK_MONTHS, tz)
    if not any(c.bedded_down and lookback <= c.at < start for c in seen):
        return StreetStatus.NEW
    if living_on_streets(days):
        return StreetStatus.LIVING_ON_STREETS
    return StreetStatus.INTERMITTENT


def still_recent(last_seen: datetime, moved_on: date | None, tz: ZoneInfo) -> bool:
    """Is someone still among "people seen recently"? Not after a move into accommodation,
    unless seen again on a later day."""
    return moved_on is None or last_seen.astimezone(tz).date() > moved_on


# ---- a period's figures ----------------------------------------------------------------------
@dataclass(frozen=True)
class ContactFacts:
    """One contact as the figures read it: no text, no place."""

    person_id: int | None  # None: anonymous
    at: datetime
    bedded_down: bool | None
    needs: str  # stored form: Need slugs, or one NeedsAnswer
    left_institution: str  # "|"-joined Institution slugs
    local_connection: LocalConnection | None


@dataclass(frozen=True)
class ReferralFacts:
    created_at: datetime
    outcome: ReferralOutcome | None  # None: still open
    first_contact_at: datetime | None  # the contact that answered it


@dataclass(frozen=True)
class OutreachFigures:
    """A period's outreach figures, counts only (people are counted once each)."""

    start: datetime
    end: datetime
    rough_sleepers: int  # people seen bedded down in the period
    anonymous_bedded_down: int  # bedded-down contacts with no person recorded
    statuses: dict[StreetStatus, int]
    at_risk_only: int  # people met in the period, never bedded down in it
    needs: dict[Need, int]  # people with the need noted in the period
    needs_answers: dict[NeedsAnswer, int]  # people whose only answer was none known / declined
    left_institution: dict[Institution, int]  # people noted as recently left, by institution
    local_connection: dict[LocalConnection, int]  # people, by their latest answer in the period
    moves: dict[MoveOutcome, int]  # moves into accommodation dated in the period
    referrals_made: int
    referral_outcomes: dict[ReferralOutcome | None, int]  # of those made; None: still open
    median_days_to_contact: float | None  # referral made → first contact, of those contacted
    people_met: int = field(default=0)  # people met in the period, bedded down or not

    @property
    def new(self) -> int:
        return self.statuses.get(StreetStatus.NEW, 0)

    @property
    def living_on_streets(self) -> int:
        return self.statuses.get(StreetStatus.LIVING_ON_STREETS, 0)

    @property
    def intermittent(self) -> int:
        return self.statuses.get(StreetStatus.INTERMITTENT, 0)


def statuses_of(
    contacts: Iterable[ContactFacts], start: datetime, end: datetime, tz: ZoneInfo
) -> dict[int, StreetStatus]:
    """The status of each person met in [start, end) who was seen bedded down in it."""
    by_person: dict[int, list[Seen]] = {}
    met: set[int] = set()
    for c in contacts:
        if c.person_id is None:
            continue
        by_person.setdefault(c.person_id, []).append(Seen(c.at, c.bedded_down))
        if start <= c.at < end:
            met.add(c.person_id)
    found = {pid: street_status(by_person[pid], start, end, tz) for pid in met}
    return {pid: status for pid, status in found.items() if status is not None}


def outreach_figures(
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    contacts: Sequence[ContactFacts],
    moves: Iterable[MoveOutcome],
    referrals: Iterable[ReferralFacts],
) -> OutreachFigures:
    """The figures of [start, end) from the contacts of the people met in it (theirs from
    60 months before `start`, for the statuses) and the anonymous contacts in it."""
    in_period = [c for c in contacts if start <= c.at < end]
    by_person: dict[int, list[ContactFacts]] = {}
    for contact in contacts:
        if contact.person_id is not None:
            by_person.setdefault(contact.person_id, []).append(contact)
    met = {c.person_id for c in in_period if c.person_id is not None}
    statuses: Counter[StreetStatus] = Counter()
    needs: Counter[Need] = Counter()
    answers: Counter[NeedsAnswer] = Counter()
    institutions: Counter[Institution] = Counter()
    connections: Counter[LocalConnection] = Counter()
    statuses.update(statuses_of(contacts, start, end, tz).values())
    for person_id in met:
        history = by_person[person_id]
        theirs = sorted((c for c in history if start <= c.at < end), key=lambda c: c.at)
        noted = {n for c in theirs for n in split_slugs(c.needs, Need)}
        needs.update(noted)
        if not noted:
            answered = [a for c in theirs if (a := needs_answer(c.needs)) is not None]
            if answered:
                answers[answered[-1]] += 1
        institutions.update(
            {i for c in theirs for i in split_slugs(c.left_institution, Institution)}
        )
        latest = [c.local_connection for c in theirs if c.local_connection is not None]
        if latest:
            connections[latest[-1]] += 1
    rough_sleepers = sum(statuses.values())
    referral_list = list(referrals)
    waits = sorted(
        (r.first_contact_at - r.created_at).total_seconds() / 86400
        for r in referral_list
        if r.first_contact_at is not None and r.outcome is ReferralOutcome.CONTACTED
    )
    return OutreachFigures(
        start=start,
        end=end,
        rough_sleepers=rough_sleepers,
        anonymous_bedded_down=sum(1 for c in in_period if c.person_id is None and c.bedded_down),
        statuses=dict(statuses),
        at_risk_only=len(met) - rough_sleepers,
        needs=dict(needs),
        needs_answers=dict(answers),
        left_institution=dict(institutions),
        local_connection=dict(connections),
        moves=dict(Counter(moves)),
        referrals_made=len(referral_list),
        referral_outcomes=dict(Counter(r.outcome for r in referral_list)),
        median_days_to_contact=max(0.0, statistics.median(waits)) if waits else None,
        people_met=len(met),
    )
