"""Coordinators' briefing notes (store.notes) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.domain.clock import ManualClock
from storage.partnership.notes import MAX_NOTE_LENGTH
from storage.store import Store
from tests.support.digest_data import at, people


async def test_notes_are_listed_oldest_first_until_cleared(
    store: Store, clock: ManualClock
) -> None:
    crew = await people(store)
    clock.set(at(27, 18))
    first = await store.notes.add(crew.cara, "  Extra patrol at Elmer Square  ")
    clock.set(at(27, 18, 5))
    second = await store.notes.add(crew.wendy, "CCTV down on Market Street")
    notes = await store.notes.active()
    assert [(n.note_id, n.text, n.author, n.created_at) for n in notes] == [
        (first.id, "Extra patrol at Elmer Square", "Cara", at(27, 18)),
        (second.id, "CCTV down on Market Street", "Wendy", at(27, 18, 5)),
    ]
    assert await store.notes.clear(first.id or 0, crew.cara) is True
    assert await store.notes.clear(first.id or 0, crew.cara) is False  # already cleared
    assert await store.notes.clear(9999, crew.cara) is False
    assert [n.note_id for n in await store.notes.active()] == [second.id]


async def test_note_text_must_be_given_and_not_too_long(store: Store, clock: ManualClock) -> None:
    crew = await people(store)
    for bad in ("", "   ", "x" * (MAX_NOTE_LENGTH + 1)):
        with pytest.raises(ValidationError):
            await store.notes.add(crew.cara, bad)
    await store.notes.add(crew.cara, "x" * MAX_NOTE_LENGTH)
    assert [len(n.text) for n in await store.notes.active()] == [MAX_NOTE_LENGTH]


async def test_a_note_outlives_its_authors_membership(store: Store, clock: ManualClock) -> None:
    crew = await people(store)
    await store.notes.add(crew.cara, "Still relevant")
    await store.members.suspend(crew.cara.id or 0, by=crew.olly)
    assert [(n.text, n.author) for n in await store.notes.active()] == [("Still relevant", "Cara")]
