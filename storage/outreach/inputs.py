"""What a worker sends in: a new person, a contact, a sighting, one edit to a record.

Input is validated through these non-table models before a row is built from it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from bot.domain.outreach import (
    MAX_APPEARANCE,
    MAX_GENDER,
    MAX_LEGAL_NAME,
    MAX_NOTES,
    MAX_PLACE_TEXT,
    MAX_USUAL_SITES,
    Action,
    AgeBand,
    Flag,
    Need,
    PersonField,
    SleepingSite,
    clean_alias,
)
from bot.domain.rough_sleeping import (
    MAX_CONNECTION_PLACE,
    Institution,
    LocalConnection,
    NeedsAnswer,
)
from bot.domain.safeguarding import EXPLOITATION_KINDS, ConcernKind


def strip_text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


class PersonIn(SQLModel):
    """A new person as the worker described them."""

    alias: str
    appearance: str | None = Field(default=None, max_length=MAX_APPEARANCE)
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: str | None = Field(default=None, max_length=MAX_GENDER)
    usual_sites: str | None = Field(default=None, max_length=MAX_USUAL_SITES)
    flags: list[Flag] = Field(default_factory=list)

    @field_validator("alias")
    @classmethod
    def _alias(cls, value: str) -> str:
        return clean_alias(value)

    @field_validator("appearance", "gender", "usual_sites")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return strip_text(value)


class ContactIn(SQLModel):
    """A contact as the worker confirmed it: with a known person, a new one, or anonymous."""

    person_id: int | None = None
    new_person: PersonIn | None = None
    hotspot_id: int | None = None
    place_text: str | None = Field(default=None, max_length=MAX_PLACE_TEXT)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    sleeping_site: SleepingSite | None = None
    needs: list[Need] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    notes: str | None = Field(default=None, max_length=MAX_NOTES)
    consent: bool | None = None  # recorded on the person when given (None: not asked)
    referral_id: int | None = None
    bedded_down: bool | None = None  # seen sleeping rough (None: not asked)
    needs_answer: NeedsAnswer | None = None  # "none known" / "declined to say": no needs
    local_connection: LocalConnection | None = None
    connection_place: str | None = Field(default=None, max_length=MAX_CONNECTION_PLACE)
    left_institution: list[Institution] = Field(default_factory=list)
    # Flagged for exploitation (county lines, cuckooing, sexual exploitation): saving it
    # raises a safeguarding concern for the lead in the same transaction.
    exploitation: ConcernKind | None = None

    @field_validator("place_text", "notes", "connection_place")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return strip_text(value)

    @model_validator(mode="after")
    def _one_person(self) -> ContactIn:
        if self.person_id is not None and self.new_person is not None:
            raise ValueError("a contact is with a known person or a new one, not both")
        if self.needs_answer is not None and self.needs:
            raise ValueError("'none known' and 'declined to say' exclude every need")
        return self

    @field_validator("exploitation")
    @classmethod
    def _exploitation(cls, value: ConcernKind | None) -> ConcernKind | None:
        if value is not None and value not in EXPLOITATION_KINDS:
            raise ValueError("exploitation is county lines, cuckooing or sexual exploitation")
        return value


class SightingIn(SQLModel):
    """ "Rough sleeper seen": where, when and what they looked like."""

    hotspot_id: int | None = None
    place_text: str | None = Field(default=None, max_length=MAX_PLACE_TEXT)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    seen_at: datetime
    appearance: str | None = Field(default=None, max_length=300)

    @field_validator("place_text", "appearance")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return strip_text(value)


TEXT_LIMITS: dict[PersonField, int] = {
    PersonField.APPEARANCE: MAX_APPEARANCE,
    PersonField.GENDER: MAX_GENDER,
    PersonField.USUAL_SITES: MAX_USUAL_SITES,
    PersonField.LEGAL_NAME: MAX_LEGAL_NAME,
}


class LegalNameWithoutConsent(ValueError):
    """A legal name may be kept only while consent to share is recorded."""
