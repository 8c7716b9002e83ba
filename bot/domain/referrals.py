"""Referral rules: StreetLink's scope question on "Rough sleeper seen", and when a new report
reopens a referral closed as "not found". Pure domain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.geo import haversine_m


class DangerAnswer(StrEnum):
    """StreetLink's scope question: "Do they seem unwell or in danger?" Yes is not a
    StreetLink case: call 999 if life is at risk, and an urgent welfare report goes out."""

    YES = "y"
    NO = "n"
    NOT_SURE = "u"


# A referral closed as "not found" that is reported again within this long, at or near the
# same place, is reopened with both reports rather than queued twice.
REOPEN_WITHIN = timedelta(hours=24)
SAME_PLACE_M = 150.0


@dataclass(frozen=True)
class ReferralPlace:
    """Where a referral was seen: a hotspot, a typed place and/or a point (the hotspot's,
    when only a hotspot was chosen)."""

    hotspot_id: int | None
    place_text: str | None
    point: tuple[float, float] | None


@dataclass(frozen=True)
class NotFound:
    """A referral closed as not found, as a candidate for reopening."""

    referral_id: int
    closed_at: datetime
    place: ReferralPlace


def _same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def same_place(a: ReferralPlace, b: ReferralPlace, *, within_m: float = SAME_PLACE_M) -> bool:
    """The same hotspot, the same typed place (spacing and case aside), or points within
    `within_m` of each other."""
    if a.hotspot_id is not None and a.hotspot_id == b.hotspot_id:
        return True
    if _same_text(a.place_text, b.place_text):
        return True
    if a.point is not None and b.point is not None:
        return haversine_m(*a.point, *b.point) <= within_m
    return False


def reopens(
    place: ReferralPlace,
    candidates: Iterable[NotFound],
    *,
    now: datetime,
    within: timedelta = REOPEN_WITHIN,
    within_m: float = SAME_PLACE_M,
) -> int | None:
    """The not-found referral a new report at `place` reopens: the latest closed less than
    `within` ago at the same place; None when there is none."""
    matches = [
        c
        for c in candidates
        if now - c.closed_at < within and same_place(place, c.place, within_m=within_m)
    ]
    if not matches:
        return None
    return max(matches, key=lambda c: (c.closed_at, c.referral_id)).referral_id
