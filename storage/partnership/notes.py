"""Coordinators' briefing notes (/brief add …): shown in every briefing until cleared."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import Field, SQLModel, col, select

from bot.domain.clock import Clock
from bot.domain.partnership.figures import (
    NoteLine,
)
from storage.db import SessionFactory
from storage.models import BriefingNote, Member

log = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 1000
MAX_ACTIVE_NOTES = 50  # a briefing lists at most this many (the newest), oldest first


class NoteIn(SQLModel):
    """A note as typed: stripped, not empty, at most MAX_NOTE_LENGTH characters."""

    text: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)

    @classmethod
    def from_text(cls, text: str) -> NoteIn:
        return cls.model_validate({"text": text.strip()})


class Notes:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add(self, author: Member, text: str) -> BriefingNote:
        """Store a note; raises pydantic's ValidationError for an empty or too long one."""
        note_in = NoteIn.from_text(text)
        note = BriefingNote(author_id=author.id, text=note_in.text, created_at=self._clock.now())
        async with self._sessions() as session, session.begin():
            session.add(note)
        return note

    async def active(self) -> list[NoteLine]:
        """Notes not cleared, oldest first, with their authors' names."""
        query = (
            select(BriefingNote, Member.name)
            .join(Member, col(Member.id) == col(BriefingNote.author_id), isouter=True)
            .where(col(BriefingNote.cleared_at).is_(None))
            .where(col(BriefingNote.text).is_not(None))
            .order_by(col(BriefingNote.created_at).desc(), col(BriefingNote.id).desc())
            .limit(MAX_ACTIVE_NOTES)
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return [
            NoteLine(
                note_id=note.id or 0,
                text=note.text or "",
                author=name,
                created_at=note.created_at,
            )
            for note, name in reversed(rows)
        ]

    async def clear(self, note_id: int, by: Member) -> bool:
        """Take a note out of the briefings; False when there is no such active note.

        The table keeps when, not who: who is logged (ids only, never the text).
        """
        async with self._sessions() as session, session.begin():
            result = await session.exec(
                update(BriefingNote)
                .where(col(BriefingNote.id) == note_id)
                .where(col(BriefingNote.cleared_at).is_(None))
                .values(cleared_at=self._clock.now())
            )
            cleared = result.rowcount == 1
        if cleared:
            log.info("briefing note %s cleared by member %s", note_id, by.id)
        return cleared
