"""Tables of the public perception survey: rounds, answers, and a typed place awaited.

No Telegram id, name or time of answering is kept about anyone: a person is `person_key`,
an HMAC of their id under the round's `round_key`; closing the round deletes the key (and
the person keys), so the answers left cannot be tied to anyone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import storage.models  # noqa: F401  (its naming convention applies to these tables too)
from storage.types import UTCDateTime


def _round_fk(*, primary_key: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(
        Integer,
        ForeignKey("survey_rounds.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


class SurveyRound(SQLModel, table=True):
    __tablename__ = "survey_rounds"
    __table_args__ = (Index("ix_survey_rounds_closed_at", "closed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    opened_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    closes_at: datetime = Field(sa_type=UTCDateTime, nullable=False)  # the quarter's end
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    round_key: str | None = Field(default=None, max_length=64)  # hex; None once closed
    places: str = Field(sa_type=Text)  # JSON list of the hotspot names offered, in order


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("round_id", "person_key", name="uq_survey_responses_round_id_person_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(sa_column=_round_fk())
    person_key: str | None = Field(default=None, max_length=64)  # None once the round closed
    day: int
    dark: int
    places: int = 0  # bitmask by position in the round's places
    other_place: str | None = Field(default=None, max_length=60)
    age: int = 0
    gender: int = 0


class SurveyPending(SQLModel, table=True):
    """Someone who tapped "somewhere else": their taps so far, until they type the place."""

    __tablename__ = "survey_pending"

    round_id: int = Field(sa_column=_round_fk(primary_key=True))
    person_key: str = Field(max_length=64, primary_key=True)
    day: int
    dark: int
    places: int = 0
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
