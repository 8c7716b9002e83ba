"""Outreach records fit for reporting, through the real bot: the contact's new taps, a
person's flags first, status and moves on /person, and /outreach_figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.outreach import Flag, Need, PersonField
from bot.domain.rough_sleeping import LocalConnection, MoveOutcome
from bot.offline.chat import Person, group_chat
from bot.texts import outreach_records as records_texts
from storage.models import OutreachContact, PersonOutcome
from storage.outreach import ContactIn, ContactSaved, PersonIn
from storage.store import Store
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness, make_settings
from tests.support.outreach_data import seed_december

pytestmark = pytest.mark.app

OTTO = Person(3001, "Otto", "Outreach")
OONA = Person(3002, "Oona", "Outreach")
OFFICER = Person(2002, "Olly", "Officer")
COORDINATOR = Person(2004, "Cora", "Coordinator")


@pytest.fixture
async def bot(store: Store, clock: ManualClock) -> AsyncIterator[BotHarness]:
    harness = BotHarness(store, clock, make_settings(TCAG_CONNECTION_PLACES="Leicester,Derby"))
    await harness.start()
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    yield harness
    await harness.stop()


async def known(bot: BotHarness, alias: str, *, by: Person = OTTO) -> int:
    worker = await bot.store.members.by_telegram_id(by.telegram_id)
    assert worker is not None
    saved = await bot.store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias=alias), place_text="Bus station", bedded_down=True),
        worker=worker,
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    return saved.person.id or 0


async def contacts(bot: BotHarness) -> list:
    async with bot.store.engine.connect() as connection:
        query = select(OutreachContact).order_by(OutreachContact.id)
        return list((await connection.execute(query)).all())


def labels(bot: BotHarness, person: Person) -> list[str]:
    return [b["text"] for b in bot.last(person).inline_buttons]


async def test_a_contact_records_what_the_figures_count_in_taps(bot: BotHarness) -> None:
    await bot.member(OTTO, Role.OUTREACH)
    await bot.member(OONA, Role.OUTREACH)
    johnny = await known(bot, "Johnny")
    oona = await bot.store.members.by_telegram_id(OONA.telegram_id)
    assert oona is not None
    await bot.store.people.edit(johnny, PersonField.FLAGS, [Flag.NRPF, Flag.RISK_TO_STAFF], by=oona)

    await bot.tg.send(OTTO, "/contact Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Johnny")
    # A known person's flags come first: risk to workers before the others, who and when.
    start = bot.last(OTTO).plain
    assert start.index("Risk to staff: visit in pairs · set by Oona") < start.index(
        "No recourse to public funds · set by Oona"
    )
    assert start.index("No recourse") < start.index("Where did you meet?")
    await bot.tg.send(OTTO, "Church steps")
    assert "Seen bedded down?" in bot.last(OTTO).plain
    assert labels(bot, OTTO)[:6] == [
        "🛏 Doorway",
        "🛏 Tent",
        "🛏 Car",
        "🛏 Other",
        "⚠️ Begging pitch (at risk)",
        "⚠️ Not sleeping out (at risk)",
    ]
    await bot.tg.press(OTTO, bot.last(OTTO), "Tent")
    assert "Local connection to this area?" in bot.last(OTTO).plain
    assert "As last time" not in " ".join(labels(bot, OTTO))  # never asked before
    await bot.tg.press(OTTO, bot.last(OTTO), "No")
    assert labels(bot, OTTO)[:2] == ["📍 Leicester", "📍 Derby"]
    await bot.tg.send(OTTO, "x" * 61)  # too long: asked again, nothing kept
    assert "the limit is 60" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "Nottingham")
    await bot.tg.press(OTTO, bot.last(OTTO), "Food")
    await bot.tg.press(OTTO, bot.last(OTTO), "Declined to say")  # alone: Food goes
    assert "✓ Declined to say" in labels(bot, OTTO) and "Food" in labels(bot, OTTO)
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    assert "Recently left</b> (within 85 days)" in bot.last(OTTO).text
    await bot.tg.press(OTTO, bot.last(OTTO), "Prison")
    await bot.tg.press(OTTO, bot.last(OTTO), "Hospital")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "StreetLink")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not asked")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    summary = bot.last(OTTO).plain
    assert "Seen: bedded down, tent" in summary
    assert "Local connection: no, Nottingham" in summary
    assert "Recently left: Prison, Hospital" in summary
    assert "Needs: Declined to say" in summary
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert "Contact with Johnny saved" in bot.last(OTTO).plain

    # The next contact offers last time's answer, and a known place in one tap.
    bot.clock.advance(minutes=2)  # past the flood gate's minute
    await bot.tg.send(OTTO, "/contact Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Johnny")
    await bot.tg.send(OTTO, "Market")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not sleeping out")
    assert "Last time: no, Nottingham." in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "As last time")
    await bot.tg.press(OTTO, bot.last(OTTO), "None known")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not asked")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    # An anonymous one at risk, from a known place.
    bot.clock.advance(minutes=2)
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "Anonymous")
    await bot.tg.send(OTTO, "Park")
    await bot.tg.press(OTTO, bot.last(OTTO), "Begging pitch")
    await bot.tg.press(OTTO, bot.last(OTTO), "Yes")
    await bot.tg.press(OTTO, bot.last(OTTO), "Derby")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")

    stored = [
        (
            c.bedded_down,
            c.sleeping_site,
            c.local_connection,
            c.connection_place,
            c.needs,
            c.left_institution,
        )
        for c in (await contacts(bot))[1:]
    ]
    assert stored == [
        (True, "tent", LocalConnection.NO, "Nottingham", "declined", "prison|hospital"),
        (False, "not_out", LocalConnection.NO, "Nottingham", "none", ""),
        (False, "begging", LocalConnection.YES, "Derby", "", ""),
    ]
    looked = await bot.store.audit.recent(action_prefix="person.viewed")
    assert any(e.detail == "flags, at the start of a contact" for e in looked)


async def test_person_shows_flags_first_then_status_and_records_a_move(bot: BotHarness) -> None:
    await bot.member(OTTO, Role.OUTREACH)
    sam = await known(bot, "Sam")
    await bot.tg.send(OTTO, "/person Sam")
    shown = bot.last(OTTO).plain
    # Seen bedded down for the first time this month (27 November): new.
    assert "November 2026 so far: New · 2026Q4 so far: New" in shown
    assert "New: seen bedded down, with no bedded-down contact in the 60 months before" in shown
    # Flags set from /person: shown first, with who and when.
    await bot.tg.press(OTTO, bot.last(OTTO), "Edit")
    await bot.tg.press(OTTO, bot.last(OTTO), "Flags")
    await bot.tg.press(OTTO, bot.last(OTTO), "Safeguarding")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.send(OTTO, "/person Sam")
    shown = bot.last(OTTO).plain
    assert shown.startswith("⚠️ Safeguarding concern · set by Otto Outreach, Fri 27 Nov 21:00")
    assert shown.index("Safeguarding concern") < shown.index("👤 Sam")

    # A move, recorded by buttons: which, then which day.
    bot.clock.advance(days=2)
    await bot.tg.press(OTTO, bot.last(OTTO), "Outcome: moved")
    assert labels(bot, OTTO)[:6] == [
        "Hostel",
        "Supported housing",
        "Private rented",
        "Reconnected",
        "Hospital",
        "Custody",
    ]
    await bot.tg.press(OTTO, bot.last(OTTO), "Supported housing")
    assert labels(bot, OTTO)[:3] == ["Today", "Yesterday", "Fri 27 Nov"]
    await bot.tg.press(OTTO, bot.last(OTTO), "Yesterday")
    shown = bot.last(OTTO).plain
    assert "Outcome saved: Supported housing, 28 Nov 2026" in shown
    assert "🏠 Moves: Supported housing 28 Nov 2026 (Otto Outreach)" in shown
    moves = await bot.store.audit.recent(action_prefix="person.outcome")
    assert [(m.subject, m.detail) for m in moves] == [(f"person:{sam}", "outcome")]
    # They leave "seen recently".
    await bot.tg.send(OTTO, "/people")
    assert "Sam" not in bot.last(OTTO).plain

    # Another date, typed: a bad one is refused and nothing is stored.
    await bot.tg.send(OTTO, "/person Sam")
    await bot.tg.press(OTTO, bot.last(OTTO), "Outcome: moved")
    await bot.tg.press(OTTO, bot.last(OTTO), "Custody")
    await bot.tg.press(OTTO, bot.last(OTTO), "Another date")
    assert "type it as 2026-11-20 or 20/11" in bot.last(OTTO).plain
    for bad in ("30/02", "next tuesday", "2025-11-01"):  # no such day; words; over a year
        await bot.tg.send(OTTO, bad)
        assert bot.last(OTTO).plain == records_texts.OUTCOME_BAD_DATE
    await bot.tg.send(OTTO, "2026-11-02")
    assert "Outcome saved: Custody, 02 Nov 2026" in bot.last(OTTO).plain
    async with bot.store.engine.connect() as connection:
        stored = (await connection.execute(select(PersonOutcome))).all()
    assert [(o.kind, o.moved_on) for o in stored] == [
        (MoveOutcome.SUPPORTED, date(2026, 11, 28)),
        (MoveOutcome.CUSTODY, date(2026, 11, 2)),
    ]
    # Seen again after the move: back on the list.
    await known(bot, "Someone else")
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    await bot.store.contacts.log_contact(
        ContactIn(person_id=sam, place_text="Market", needs=[Need.FOOD]), worker=worker
    )
    await bot.tg.send(OTTO, "/people")
    assert "Sam" in bot.last(OTTO).plain


async def test_outreach_figures_for_a_month_with_definitions(
    bot: BotHarness, clock: ManualClock
) -> None:
    await bot.member(OTTO, Role.OUTREACH)
    await bot.member(OFFICER, Role.OFFICER)
    await bot.member(COORDINATOR, Role.COORDINATOR)
    await seed_december(bot.store, clock)
    clock.set(datetime(2027, 1, 10, 12, tzinfo=UTC))

    await bot.tg.send(OTTO, "/outreach_figures 2026-12")
    text = bot.last(OTTO).plain
    for line in (
        "Outreach figures: December 2026",
        "People seen sleeping rough: 4 — people an outreach worker saw bedded down",
        "also 1 bedded-down contact with no person recorded",
        "• New: 2 — seen bedded down, with no bedded-down contact in the 60 months before",
        "• Living on the streets: 1 — bedded down on at least 3 separate days, the first and "
        "last at least 21 days apart",
        "• Intermittent / returner: 1 — seen bedded down in the 60 months before too",
        "Met only at risk: 1",
        "Recently left: Prison 1 · Hospital 1 · Care 1",
        "Support needs (of 5 people met): Accommodation 1 · Physical health 0 · "
        "Mental health 1 · Alcohol 1 · Drugs 0 · Food 1",
        "None known 1 · Declined to say 1",
        "Local connection (people met, latest answer): Yes 1 · No 1 · Unknown 1",
        "Moves into accommodation: 2 (dated in the period): Hostel 1 · Supported housing 0",
        "Custody 1",
        "Referrals made: 4: contacted 2, not found 1, still open 1",
        "Median days from referral to first contact: 1.1 — from the referral being made",
    ):
        assert line in text, line
    assert "(so far)" not in text
    for private in ("Alice", "Leicester", "Bob"):
        assert private not in text
    # Coordinators may ask in the group: counts only.
    await bot.tg.send(COORDINATOR, "/outreach_figures 2026-12", chat=group_chat(COORDINATORS_CHAT))
    assert "People seen sleeping rough: 4" in bot.api.sent_to(COORDINATORS_CHAT)[-1].plain
    # This month so far; bad months.
    await bot.tg.send(ADMIN, "/outreach_figures")
    assert "Outreach figures: January 2027 (so far)" in bot.last(ADMIN).plain
    await bot.tg.send(OTTO, "/outreach_figures December")
    assert bot.last(OTTO).plain == records_texts.MONTH_USAGE
    await bot.tg.send(OTTO, "/outreach_figures 2027-02")
    assert bot.last(OTTO).plain == records_texts.MONTH_NOT_STARTED
    # Patrol roles get no figures.
    await bot.tg.send(OFFICER, "/outreach_figures 2026-12")
    assert "People seen sleeping rough" not in bot.last(OFFICER).plain
