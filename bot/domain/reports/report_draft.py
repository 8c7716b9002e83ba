"""A report being written: the draft kept between the steps of /report and quick reports.

Pure domain (no telegram, no database). The draft lives in the member's persisted user
data as plain JSON (`to_json` / `from_json`), so it survives a restart of the bot; it
records which step it is at, which steps are answered, and whether the member is changing
one field from the summary (then the summary comes next, whatever the order).

Step order of the guided flow: category → location → what happened → people → urgent →
summary. A quick report fills what the message gave and defaults the rest; a shared
location alone fills the place and asks the rest.

A message typed while a draft waits for a button is never thrown away (`typed_during`):
it answers the step when the step takes text or it names a button shown; otherwise the
draft is kept aside (`KeptDrafts`, at most MAX_KEPT newest first, /drafts) and the message
becomes a new quick report.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any, Generic, TypeVar

from bot.domain.geo import Place, distance_to_nearest, nearest_place
from bot.domain.quick_report import (
    LIFE_AT_RISK_SLUGS,
    CategoryRule,
    Proposal,
    Urgency,
    normalise,
    read_urgency,
)
from bot.domain.reports.incidents import MAX_TEXT, PEOPLE_COUNTS, ReportSource
from bot.domain.shifts.duty import OwnLocation

DRAFT_KEY = "report_draft"  # in user_data
KEPT_DRAFTS_KEY = "kept_report_drafts"  # in user_data: drafts kept aside, newest first
MAX_KEPT = 3
REPORT_CONVERSATION = "report"  # the persistent ConversationHandler's name
MAX_PLACE = 200  # a typed place (Report.place_text)
MAX_ATTACHMENTS = 10
DRAFT_ID_RE = re.compile(r"^[0-9a-f]{8}$")


class Step(IntEnum):
    """Where a draft is: also the report ConversationHandler's states."""

    CATEGORY = 1
    LOCATION = 2
    WHAT = 3
    PEOPLE = 4
    URGENT = 5
    SUMMARY = 6
    PROPOSAL = 7  # a quick report's proposal: confirm or change


GUIDED_STEPS: tuple[Step, ...] = (
    Step.CATEGORY,
    Step.LOCATION,
    Step.WHAT,
    Step.PEOPLE,
    Step.URGENT,
)


class DraftField(StrEnum):
    """What the member may change from the summary."""

    CATEGORY = "category"
    PLACE = "place"
    WHAT = "what"
    PEOPLE = "people"
    URGENT = "urgent"

    @property
    def step(self) -> Step:
        return {
            DraftField.CATEGORY: Step.CATEGORY,
            DraftField.PLACE: Step.LOCATION,
            DraftField.WHAT: Step.WHAT,
            DraftField.PEOPLE: Step.PEOPLE,
            DraftField.URGENT: Step.URGENT,
        }[self]


def new_draft_id() -> str:
    """Short and random: goes into every button of the draft, so old buttons are spotted."""
    return secrets.token_hex(4)


@dataclass
class ReportDraft:
    id: str
    source: ReportSource
    updated_at: datetime
    step: Step = Step.CATEGORY
    done: set[Step] = field(default_factory=set)
    editing: bool = False  # changing one field from the summary: back to it afterwards
    category_id: int | None = None
    category_name: str | None = None
    hotspot_id: int | None = None
    hotspot_name: str | None = None
    place_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    outside_area: bool = False
    description: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (kind, file id)
    people_count: str | None = None
    urgent: bool = False
    urgent_chosen: bool = False  # the member answered "urgent?": a category change keeps it
    # "Under 18 involved?" tapped yes: the report raises a safeguarding concern for the lead.
    under_18: bool = False
    # What the words of a quick report said about urgency (urgency.Urgency), so the
    # proposal can say why, and a change of category applies the same rule again.
    urgent_words: tuple[str, ...] = ()
    not_urgent_words: tuple[str, ...] = ()
    over_words: tuple[str, ...] = ()
    life_at_risk: bool = False  # the category may mean a life at risk: "call 999" first
    own_location_at: datetime | None = None  # the place is the member's own location then

    # ---- starting ----------------------------------------------------------------------
    @classmethod
    def guided(cls, now: datetime) -> ReportDraft:
        return cls(id=new_draft_id(), source=ReportSource.GUIDED, updated_at=now)

    @classmethod
    def quick(cls, now: datetime, description: str) -> ReportDraft:
        """A plain message: the text is what happened; people and urgency take defaults."""
        draft = cls(id=new_draft_id(), source=ReportSource.QUICK, updated_at=now)
        draft.description = description.strip() or None
        draft.done = {Step.WHAT, Step.PEOPLE, Step.URGENT}
        return draft

    @classmethod
    def from_proposal(
        cls,
        now: datetime,
        text: str,
        proposal: Proposal,
        rule: CategoryRule | None,
    ) -> ReportDraft:
        """A quick report as read: category, hotspot or place text, and urgency in words.

        With no place in the text, `use_own_location` may fill it afterwards.
        """
        draft = cls.quick(now, text)
        urgency = proposal.urgency
        draft.urgent_words = urgency.words
        draft.not_urgent_words = urgency.not_urgent
        draft.over_words = urgency.over
        draft.urgent = urgency.urgent(False)
        if proposal.place is not None:
            place = proposal.place.place
            draft.set_hotspot(place.id, place.name)
            draft.done.add(Step.LOCATION)
        elif proposal.place_text is not None:
            draft.set_place_text(proposal.place_text.text[:MAX_PLACE])
            draft.done.add(Step.LOCATION)
        if rule is not None:
            draft.set_category(
                rule.id,
                rule.name,
                urgent_default=rule.urgent,
                life_at_risk=rule.slug in LIFE_AT_RISK_SLUGS,
            )
            draft.done.add(Step.CATEGORY)
        return draft

    @classmethod
    def at_location(cls, now: datetime) -> ReportDraft:
        """A location shared alone: the place is known, the rest is asked."""
        draft = cls(id=new_draft_id(), source=ReportSource.LOCATION, updated_at=now)
        draft.done = {Step.LOCATION}
        return draft

    # ---- moving between steps ------------------------------------------------------------
    def next_step(self) -> Step:
        if self.editing:
            return Step.SUMMARY
        return next((step for step in GUIDED_STEPS if step not in self.done), Step.SUMMARY)

    def complete(self, step: Step | None = None) -> Step:
        """Mark a step answered and move on; returns the new step."""
        self.done.add(step or self.step)
        self.step = self.next_step()
        self.editing = False
        return self.step

    def begin(self) -> Step:
        """The first unanswered step (or the proposal for a quick report that has a category)."""
        if self.source is ReportSource.QUICK and self.category_id is not None:
            self.step = Step.PROPOSAL
        else:
            self.step = self.next_step()
        return self.step

    def change(self, what: DraftField) -> Step:
        """From the summary (or a quick proposal): answer one step again, then the summary."""
        self.editing = True
        self.step = what.step
        return self.step

    def touch(self, now: datetime) -> None:
        self.updated_at = now

    def is_expired(self, now: datetime, ttl: timedelta) -> bool:
        return now - self.updated_at > ttl

    # ---- answers -------------------------------------------------------------------------
    @property
    def urgency(self) -> Urgency:
        return Urgency(self.urgent_words, self.not_urgent_words, self.over_words)

    def set_category(
        self, category_id: int, name: str, *, urgent_default: bool, life_at_risk: bool = False
    ) -> None:
        self.category_id, self.category_name = category_id, name
        self.life_at_risk = life_at_risk
        if not self.urgent_chosen:
            self.urgent = self.urgency.urgent(urgent_default)

    def note_urgent_words(self, text: str) -> None:
        """Typed text for this draft (what happened) with urgent words makes it urgent,
        unless the member chose already."""
        words = read_urgency(normalise(text).split(), text).words
        self.urgent_words = tuple(dict.fromkeys((*self.urgent_words, *words)))
        if words and not self.urgent_chosen and not self.not_urgent_words:
            self.urgent = True

    def set_hotspot(
        self, hotspot_id: int, name: str, *, lat: float | None = None, lon: float | None = None
    ) -> None:
        self.hotspot_id, self.hotspot_name = hotspot_id, name
        self.place_text = None
        self.lat, self.lon = lat, lon
        self.outside_area = False
        self.own_location_at = None

    def set_place_text(self, text: str) -> None:
        self.hotspot_id = self.hotspot_name = None
        self.place_text = text.strip() or None
        self.lat = self.lon = None
        self.outside_area = False
        self.own_location_at = None

    def set_point(self, lat: float, lon: float, *, outside_area: bool) -> None:
        """A shared location near no hotspot."""
        self.hotspot_id = self.hotspot_name = None
        self.place_text = None
        self.lat, self.lon = lat, lon
        self.outside_area = outside_area
        self.own_location_at = None

    def use_own_location(
        self, places: Iterable[Place], location: OwnLocation, *, area_radius_m: float
    ) -> None:
        """The member's own fresh location stands for a place the text did not name."""
        self.locate(places, location.lat, location.lon, area_radius_m=area_radius_m)
        self.own_location_at = location.at
        self.done.add(Step.LOCATION)

    def locate(
        self, places: Iterable[Place], lat: float, lon: float, *, area_radius_m: float
    ) -> None:
        """A shared location: the nearest hotspot whose radius holds it; else the bare
        point, flagged when it is farther than `area_radius_m` from every hotspot (with no
        hotspots at all there is nothing to judge by, so it is not flagged)."""
        places = tuple(places)
        near = nearest_place(places, lat, lon)
        if near is not None:
            self.set_hotspot(near[0].id, near[0].name, lat=lat, lon=lon)
            return
        distance = distance_to_nearest(places, lat, lon)
        self.set_point(lat, lon, outside_area=distance is not None and distance > area_radius_m)

    def set_description(self, text: str) -> None:
        self.description = text.strip() or None

    def attach(self, kind: str, file_id: str, *, limit: int = MAX_ATTACHMENTS) -> bool:
        """False when the draft already holds as many attachments as a report may
        (TCAG_MAX_PHOTOS_PER_REPORT)."""
        if len(self.attachments) >= limit:
            return False
        self.attachments.append((kind, file_id))
        return True

    def set_people(self, band: str | None) -> None:
        if band is not None and band not in PEOPLE_COUNTS:
            raise ValueError(f"unknown people count {band!r}")
        self.people_count = band

    def set_urgent(self, urgent: bool) -> None:
        self.urgent, self.urgent_chosen = urgent, True

    def toggle_urgent(self) -> None:
        """The proposal's one-tap urgent on/off."""
        self.set_urgent(not self.urgent)

    def toggle_under_18(self) -> None:
        """The summary's and the proposal's one-tap "Under 18 involved?"."""
        self.under_18 = not self.under_18

    # ---- reading -------------------------------------------------------------------------
    @property
    def has_place(self) -> bool:
        return self.hotspot_id is not None or bool(self.place_text) or self.lat is not None

    def attachment_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, _ in self.attachments:
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def report_fields(self) -> dict[str, Any]:
        """What storage.models.ReportIn takes (validated again there)."""
        if self.category_id is None:
            raise ValueError("a report needs a category")
        return {
            "category_id": self.category_id,
            "hotspot_id": self.hotspot_id,
            "place_text": self.place_text,
            "lat": self.lat,
            "lon": self.lon,
            "outside_area": self.outside_area,
            "description": self.description,
            "people_count": self.people_count,
            "urgent": self.urgent,
            "under_18": self.under_18,
            "source": self.source,
            "attachments": list(self.attachments),
        }

    # ---- JSON (persisted user data) ------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.value,
            "updated_at": self.updated_at.isoformat(),
            "step": int(self.step),
            "done": sorted(int(s) for s in self.done),
            "editing": self.editing,
            "category_id": self.category_id,
            "category_name": self.category_name,
            "hotspot_id": self.hotspot_id,
            "hotspot_name": self.hotspot_name,
            "place_text": self.place_text,
            "lat": self.lat,
            "lon": self.lon,
            "outside_area": self.outside_area,
            "description": self.description,
            "attachments": [[kind, file_id] for kind, file_id in self.attachments],
            "people_count": self.people_count,
            "urgent": self.urgent,
            "urgent_chosen": self.urgent_chosen,
            "under_18": self.under_18,
            "urgent_words": list(self.urgent_words),
            "not_urgent_words": list(self.not_urgent_words),
            "over_words": list(self.over_words),
            "life_at_risk": self.life_at_risk,
            "own_location_at": (
                self.own_location_at.isoformat() if self.own_location_at is not None else None
            ),
        }

    @classmethod
    def from_json(cls, data: object) -> ReportDraft | None:
        """None for anything that is not a draft this version wrote (treated as expired)."""
        if not isinstance(data, dict):
            return None
        try:
            updated_at = datetime.fromisoformat(data["updated_at"])
            if updated_at.tzinfo is None or not DRAFT_ID_RE.match(data["id"]):
                return None
            people = data.get("people_count")
            if people is not None and people not in PEOPLE_COUNTS:
                return None
            return cls(
                id=data["id"],
                source=ReportSource(data["source"]),
                updated_at=updated_at,
                step=Step(data["step"]),
                done={Step(s) for s in data.get("done", [])},
                editing=bool(data.get("editing", False)),
                category_id=_opt_int(data.get("category_id")),
                category_name=_opt_str(data.get("category_name")),
                hotspot_id=_opt_int(data.get("hotspot_id")),
                hotspot_name=_opt_str(data.get("hotspot_name")),
                place_text=_opt_str(data.get("place_text")),
                lat=_opt_float(data.get("lat")),
                lon=_opt_float(data.get("lon")),
                outside_area=bool(data.get("outside_area", False)),
                description=_opt_str(data.get("description")),
                attachments=[(str(k), str(f)) for k, f in data.get("attachments", [])],
                people_count=people,
                urgent=bool(data.get("urgent", False)),
                urgent_chosen=bool(data.get("urgent_chosen", False)),
                under_18=bool(data.get("under_18", False)),
                urgent_words=_str_tuple(data.get("urgent_words", [])),
                not_urgent_words=_str_tuple(data.get("not_urgent_words", [])),
                over_words=_str_tuple(data.get("over_words", [])),
                life_at_risk=bool(data.get("life_at_risk", False)),
                own_location_at=_opt_aware(data.get("own_location_at")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected an integer")
    return value


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("expected a number")
    return float(value)


def _str_tuple(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("expected a list of strings")
    return tuple(value)


def _opt_aware(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("expected a time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("expected an aware time")
    return moment


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


# ---- checking answers --------------------------------------------------------------------
def description_too_long(text: str) -> bool:
    return len(text) > MAX_TEXT


def place_too_long(text: str) -> bool:
    return len(text.strip()) > MAX_PLACE


def people_band(text: str) -> str | None:
    """A typed answer to "how many people?": '3' → '2-3', '12' → '10+', '4-9' → '4-9'.

    None when it is not a number of people (words, zero, negative).
    """
    cleaned = text.strip().replace(" ", "")
    if cleaned in PEOPLE_COUNTS:
        return cleaned
    if not (cleaned.isascii() and cleaned.isdigit()):
        return None
    count = int(cleaned)
    if count < 1:
        return None
    if count == 1:
        return "1"
    if count <= 3:
        return "2-3"
    if count <= 9:
        return "4-9"
    return "10+"


# ---- a message typed while a draft waits ---------------------------------------------------
class TypedAction(StrEnum):
    ANSWER = "answer"  # the step takes text: it is the answer
    BUTTON = "button"  # it names one of the buttons shown: as if pressed
    NEW_REPORT = "new_report"  # anything else: the draft is kept aside, the text reported
    REMIND = "remind"  # a word or two that say nothing ("0", "hmm"): how to answer


# Fewer words than this, reading as no report at all, are a fumbled answer, not a report.
REPORT_MIN_WORDS = 3


B = TypeVar("B")


@dataclass(frozen=True)
class Typed(Generic[B]):
    action: TypedAction
    button: B | None = None


def button_named(text: str, buttons: Mapping[str, B]) -> B | None:
    """The button whose label (or another name for it) the text is, emoji and case aside."""
    typed = normalise(text)
    if not typed:
        return None
    return next((b for label, b in buttons.items() if normalise(label) == typed), None)


def typed_during(
    step: Step, text: str, buttons: Mapping[str, B], *, reads_as_report: bool = True
) -> Typed[B]:
    """What a typed message means while a draft waits at `step` with `buttons` shown.

    - it names a button shown: that button;
    - at "what happened": the description (urgent words in it make the draft urgent);
    - at "where": the place, unless it has urgent words ("man collapsed, not breathing"
      is a new report, never a place);
    - at "how many people": a number;
    - urgent words anywhere else: a new quick report, never held behind a button;
    - a word or two that read as no report (`reads_as_report`: the matcher found no
      category and no place) are a fumbled answer: the member is told how to answer;
    - anything else is a new quick report, and the draft waiting is kept aside.
    """
    button = button_named(text, buttons)
    if button is not None:
        return Typed(TypedAction.BUTTON, button)
    urgent = bool(read_urgency(normalise(text).split(), text).words)
    if step is Step.WHAT:
        return Typed(TypedAction.ANSWER)
    if step is Step.LOCATION and not urgent:
        return Typed(TypedAction.ANSWER)
    if step is Step.PEOPLE and people_band(text) is not None:
        return Typed(TypedAction.ANSWER)
    if not urgent and not reads_as_report and len(normalise(text).split()) < REPORT_MIN_WORDS:
        return Typed(TypedAction.REMIND)
    return Typed(TypedAction.NEW_REPORT)


# ---- drafts kept aside (/drafts) ------------------------------------------------------------
def kept_drafts(data: object, now: datetime, ttl: timedelta) -> list[ReportDraft]:
    """Kept drafts from user data: readable, unexpired, newest first, at most MAX_KEPT."""
    if not isinstance(data, list):
        return []
    drafts = [ReportDraft.from_json(item) for item in data]
    alive = [d for d in drafts if d is not None and not d.is_expired(now, ttl)]
    alive.sort(key=lambda d: d.updated_at, reverse=True)
    return alive[:MAX_KEPT]


def keep_aside(kept: list[ReportDraft], draft: ReportDraft, now: datetime) -> list[ReportDraft]:
    """Kept drafts with `draft` first; the oldest beyond MAX_KEPT is dropped."""
    draft.touch(now)
    return [draft, *(d for d in kept if d.id != draft.id)][:MAX_KEPT]


def kept_to_json(kept: list[ReportDraft]) -> list[dict[str, Any]]:
    return [draft.to_json() for draft in kept]


# ---- the guided category picker ------------------------------------------------------------
PICKER_SIZE = 6

C = TypeVar("C")


def picker_categories(
    categories: list[C], uses: Mapping[int, int], category_id: Callable[[C], int]
) -> tuple[list[C], bool]:
    """At most PICKER_SIZE categories, the member's most used first (then in list order),
    and whether more are left for "More…"."""
    order = {category_id(c): index for index, c in enumerate(categories)}
    ranked = sorted(categories, key=lambda c: (-uses.get(category_id(c), 0), order[category_id(c)]))
    return ranked[:PICKER_SIZE], len(ranked) > PICKER_SIZE
