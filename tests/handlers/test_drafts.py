"""Draft slots: what a conversation keeps in user data between its steps.

User data goes to the database as JSON (storage.state.persistence), so each slot is checked
through a JSON round trip; expiry reads the injected clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from bot.domain.clock import ManualClock
from bot.domain.outreach import ContactDraft
from bot.domain.reports.report_draft import DRAFT_KEY, ReportDraft
from handlers.drafts import DraftSlot, forget_all
from handlers.outreach.shared import CONTACT_DRAFT
from handlers.reports.draft import REPORT_DRAFT

START = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def context(**user_data: Any) -> Any:
    """What a slot reads of a BotContext: the user data, the clock and the settings."""
    return SimpleNamespace(
        user_data=dict(user_data),
        clock=ManualClock(START),
        settings=SimpleNamespace(draft_ttl_minutes=30),
    )


def restarted(ctx: Any) -> Any:
    """The same user data after a restart: through JSON, as the persistence stores it."""
    ctx.user_data = json.loads(json.dumps(ctx.user_data))
    return ctx


def test_a_plain_slot_keeps_its_type_only() -> None:
    editing = DraftSlot.of_type("x.editing", int)
    ctx = context()
    assert editing.get(ctx) is None
    editing.put(ctx, 7)
    assert editing.get(restarted(ctx)) == 7
    assert editing.pop(ctx) == 7 and "x.editing" not in ctx.user_data
    for stored in ("7", True, [7]):
        ctx = context(**{"x.editing": stored})
        assert editing.get(ctx) is None
        assert "x.editing" not in ctx.user_data  # unreadable: dropped


@dataclass
class _Sketch:
    name: str
    count: int = 0


def test_a_dataclass_slot_survives_a_restart_and_drops_an_older_version() -> None:
    sketch = DraftSlot.of_dataclass("x.sketch", _Sketch)
    ctx = context()
    sketch.put(ctx, _Sketch("a", 2))
    assert ctx.user_data["x.sketch"] == {"name": "a", "count": 2}
    assert sketch.get(restarted(ctx)) == _Sketch("a", 2)
    ctx = context(**{"x.sketch": {"name": "a", "colour": "red"}})  # another version's fields
    assert sketch.get(ctx) is None and ctx.user_data == {}


def test_forget_all_drops_only_the_slots_named() -> None:
    one, two = DraftSlot.of_type("one", int), DraftSlot.of_type("two", int)
    ctx = context(one=1, two=2, other=3)
    forget_all(ctx, one, two)
    assert ctx.user_data == {"other": 3}


def test_a_contact_draft_expires_an_hour_after_its_last_answer() -> None:
    ctx = context()
    CONTACT_DRAFT.put(ctx, ContactDraft(draft_id="abc123", needs=["food"]))
    assert ctx.user_data["outreach.contact"]["touched"] == START.isoformat()
    ctx.clock.advance(minutes=59)
    draft = CONTACT_DRAFT.get(restarted(ctx))
    assert draft is not None and draft.needs == ["food"]
    CONTACT_DRAFT.put(ctx, draft)  # answered: an hour from now again
    ctx.clock.advance(minutes=61)
    assert CONTACT_DRAFT.get(ctx) is None and "outreach.contact" not in ctx.user_data


def test_a_report_draft_expires_after_the_settings_ttl() -> None:
    ctx = context()
    REPORT_DRAFT.put(ctx, ReportDraft.guided(START))
    ctx.clock.advance(minutes=20)
    draft = REPORT_DRAFT.get(restarted(ctx))
    assert draft is not None
    REPORT_DRAFT.put(ctx, draft)  # touched at 21:20
    assert ctx.user_data[DRAFT_KEY]["updated_at"] == ctx.clock.now().isoformat()
    ctx.clock.advance(minutes=30)
    assert REPORT_DRAFT.get(ctx) is not None  # exactly the TTL: still live
    ctx.clock.advance(minutes=1)
    assert REPORT_DRAFT.get(ctx) is None and DRAFT_KEY not in ctx.user_data
