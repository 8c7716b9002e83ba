"""Outreach through the real bot: contacts, people, edits, merges, referrals, refusals, erasure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import String, Text, select
from sqlmodel import SQLModel

from bot.cli.main import main as tcag
from bot.domain import callbacks
from bot.domain.access.roles import Role
from bot.domain.outreach import AgeBand, Flag, Need, PersonField, ReferralOutcome, ReferralStatus
from bot.domain.rough_sleeping import MoveOutcome
from bot.offline.chat import Person, group_chat
from bot.texts import common as common_texts
from bot.texts import outreach as outreach_texts
from bot.texts import referrals as referrals_texts
from bot.texts.admin import people as people_texts
from storage.catalog import HotspotIn
from storage.models import (
    OutboxMessage,
    OutreachContact,
    PersonFlagRow,
    PersonOutcome,
    PersonRecord,
    Referral,
    ReportIn,
)
from storage.outreach import ContactIn, ContactSaved, PersonIn
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

OTTO = Person(3001, "Otto", "Outreach")
OONA = Person(3002, "Oona", "Outreach")
OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
COORDINATOR = Person(2004, "Cora", "Coordinator")


async def outreach_worker(bot: BotHarness, person: Person = OTTO) -> Person:
    return await bot.member(person, Role.OUTREACH)


async def known_person(
    bot: BotHarness,
    alias: str,
    *,
    appearance: str | None = None,
    age: AgeBand = AgeBand.AGE_26_35,
    notes: str | None = None,
    by: Person = OTTO,
) -> PersonRecord:
    worker = await bot.store.members.by_telegram_id(by.telegram_id)
    assert worker is not None
    saved = await bot.store.outreach.log_contact(
        ContactIn(
            new_person=PersonIn(alias=alias, appearance=appearance, age_band=age),
            place_text="Bus station",
            needs=[Need.FOOD],
            notes=notes,
        ),
        worker=worker,
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    return saved.person


async def rows(bot: BotHarness, model: type) -> list:
    async with bot.store.engine.connect() as connection:
        return list((await connection.execute(select(model))).all())


def labels(bot: BotHarness, person: Person) -> list[str]:
    return [b["text"] for b in bot.last(person).inline_buttons]


# ---- the contact flow ---------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_contact_with_a_new_person_step_by_step(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await bot.store.hotspots.upsert(HotspotIn("Elmer Square", 52.6, -1.1))
    await bot.tg.send(OTTO, "/contact")
    assert "Who did you meet?" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "New person")
    await bot.tg.send(OTTO, "Johnny")
    assert "Age band of Johnny" in bot.last(OTTO).plain
    assert labels(bot, OTTO)[:7] == [
        "Under 18",
        "18–25",
        "26–35",
        "36–50",
        "51–65",
        "Over 65",
        "Age unknown",
    ]
    await bot.tg.press(OTTO, bot.last(OTTO), "26–35")
    await bot.tg.send(OTTO, "green parka, grey beard")
    await bot.tg.press(OTTO, bot.last(OTTO), "Elmer Square")
    await bot.tg.press(OTTO, bot.last(OTTO), "Doorway")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    assert "Needs" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Food")
    await bot.tg.press(OTTO, bot.last(OTTO), "Accommodation")
    await bot.tg.press(OTTO, bot.last(OTTO), "✓ Food")  # untick
    assert "✓ Accommodation" in labels(bot, OTTO) and "Food" in labels(bot, OTTO)
    await bot.tg.press(OTTO, bot.last(OTTO), "Mental health")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "StreetLink")
    await bot.tg.press(OTTO, bot.last(OTTO), "Hostel")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    assert "consent to their details being shared" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Yes")
    await bot.tg.send(OTTO, "Wants a hostel bed tonight")
    summary = bot.last(OTTO).plain
    assert "Person: Johnny (new)" in summary and "Place: Elmer Square" in summary
    assert "Needs: Accommodation, Mental health" in summary
    assert "Actions: StreetLink, Hostel or night shelter" in summary
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")

    assert "Contact with Johnny saved at 21:00" in bot.last(OTTO).plain
    [person] = [r[0] for r in await rows(bot, PersonRecord.id)]
    stored = await bot.store.outreach.lookup(person)
    assert stored.person is not None
    p = stored.person
    assert (p.alias, p.age_band, p.appearance) == (
        "Johnny",
        AgeBand.AGE_26_35,
        "green parka, grey beard",
    )
    assert p.consent_share is True and p.first_seen == bot.clock.now()
    [contact] = await rows(bot, OutreachContact)
    assert contact.person_id == person and contact.sleeping_site == "doorway"
    assert (contact.needs, contact.actions) == ("accom|mental", "streetlink|hostel")
    assert contact.notes == "Wants a hostel bed tonight"
    assert bot.api.sent_to(COORDINATORS_CHAT) == []


async def test_search_tolerates_spelling_and_shows_details_to_choose_by(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await known_person(bot, "Johnny", appearance="red hat")
    await known_person(bot, "Jenny", appearance="pink coat", age=AgeBand.AGE_18_25)
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.send(OTTO, "Jonny")
    hits = bot.last(OTTO).plain
    assert "1. Johnny · 26–35 · red hat · last seen Fri 27 Nov 21:00" in hits
    assert "2. Jenny · 18–25 · pink coat" in hits
    await bot.tg.press(OTTO, bot.last(OTTO), "1. Johnny")
    assert "Where did you meet?" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "Back of the library")
    await bot.tg.press(OTTO, bot.last(OTTO), "Tent")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Declined")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not asked")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert "Contact with Johnny saved" in bot.last(OTTO).plain
    contacts = await rows(bot, OutreachContact)
    assert contacts[-1].place_text == "Back of the library" and contacts[-1].actions == "declined"


async def test_new_alias_close_to_an_existing_one_asks_if_same_person(bot: BotHarness) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny", appearance="red hat")
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "New person")
    await bot.tg.send(OTTO, "Jonny")
    question = bot.last(OTTO)
    assert (
        "Is this the same person?" in question.plain
        and "Johnny · 26–35 · red hat" in question.plain
    )
    assert labels(bot, OTTO)[:2] == ["✅ Yes: 1. Johnny (26–35)", "➕ No, a new person"]
    await bot.tg.press(OTTO, question, "Yes")
    await bot.tg.send(OTTO, "Market")
    await bot.tg.press(OTTO, bot.last(OTTO), "Car")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "No")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert len(await rows(bot, PersonRecord)) == 1
    assert await bot.store.outreach.contact_count(johnny.id or 0) == 2

    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "New person")
    await bot.tg.send(OTTO, "Jonny")
    await bot.tg.press(OTTO, bot.last(OTTO), "No, a new person")
    assert "Age band of Jonny" in bot.last(OTTO).plain


async def test_anonymous_contact_skips_consent(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "Anonymous")
    await bot.tg.share_location(OTTO, 52.6, -1.1)
    await bot.tg.press(OTTO, bot.last(OTTO), "Not sleeping out")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    await bot.tg.press(OTTO, bot.last(OTTO), "Food")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    assert "Any notes?" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    assert "Person: anonymous" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert "Contact (anonymous) saved" in bot.last(OTTO).plain
    [contact] = await rows(bot, OutreachContact)
    assert contact.person_id is None and (contact.lat, contact.lon) == (52.6, -1.1)


async def test_contact_flow_bad_input_and_old_buttons(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await bot.tg.send(OTTO, "/contact")
    first = bot.last(OTTO)
    first_anonymous = first.button("Anonymous")["callback_data"]
    await bot.tg.press(OTTO, first, "New person")
    await bot.tg.send(OTTO, "   ")
    assert bot.last(OTTO).plain == outreach_texts.OUT_ALIAS_EMPTY
    await bot.tg.send(OTTO, "x" * 61)
    assert "61 characters long; the limit is 60" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "Sam")
    age_question = bot.last(OTTO)
    await bot.tg.send(OTTO, "twenty")  # a button step
    assert bot.last(OTTO).plain == outreach_texts.OUT_USE_BUTTONS
    age_button = age_question.button("18–25")["callback_data"]
    await bot.tg.press(OTTO, age_question, "18–25")
    await bot.tg.press_data(OTTO, age_question, age_button)  # pressed twice: an earlier step now
    assert bot.api.callback_answers()[-1]["text"] == outreach_texts.OUT_OLD_BUTTON
    await bot.tg.send(OTTO, "/contact")  # a new contact: the old draft's buttons are stale
    await bot.tg.press_data(OTTO, first, first_anonymous)
    assert bot.api.callback_answers()[-1]["text"] == outreach_texts.OUT_OLD_BUTTON
    await bot.tg.send(OTTO, "/cancel")
    assert bot.last(OTTO).plain == outreach_texts.OUT_CANCELLED
    await bot.tg.press_data(OTTO, first, callbacks.outreach("anon", "abc123"))
    assert bot.api.callback_answers()[-1]["text"] == outreach_texts.OUT_FLOW_FINISHED
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.send(OTTO, "/people")  # another command stops the flow and asks again
    assert "Please send /people again" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "/contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "New person")
    bot.clock.advance(hours=1, minutes=1)  # left unfinished: dropped at the next answer
    await bot.tg.send(OTTO, "Sam")
    assert bot.last(OTTO).plain == outreach_texts.OUT_EXPIRED
    await bot.tg.send(OTTO, "Sam")  # no longer in the flow
    assert bot.last(OTTO).plain != outreach_texts.OUT_EXPIRED
    assert await rows(bot, PersonRecord) == [] and await rows(bot, OutreachContact) == []


# ---- people and timelines -----------------------------------------------------------------
async def test_person_timeline_newest_first_and_audited(bot: BotHarness) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny", appearance="red hat", notes="first night")
    bot.clock.advance(days=2)
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    await bot.store.outreach.log_contact(
        ContactIn(
            person_id=johnny.id,
            place_text="Market",
            needs=[Need.FOOD, Need.DRUGS],
            notes="second night",
        ),
        worker=worker,
    )
    await bot.tg.send(OTTO, "/person johnny")
    shown = bot.last(OTTO).plain
    assert "Johnny · 26–35" in shown and "Looks: red hat" in shown
    assert "First seen Fri 27 Nov 21:00 · last seen Sun 29 Nov 21:00 · 2 contacts" in shown
    assert "Food ×2" in shown and "Drugs ×1" in shown
    assert shown.index("second night") < shown.index("first night")
    assert labels(bot, OTTO) == [
        "🤝 Log contact",
        "✏️ Edit",
        "🏠 Outcome: moved",
        "🔀 Merge another record into this",
    ]
    viewed = await bot.store.audit.recent(action_prefix="person.viewed")
    assert len(viewed) == 1 and viewed[0].subject == f"person:{johnny.id}"


async def test_person_lookup_bad_input(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await known_person(bot, "Johnny")
    await known_person(bot, "Jenny")
    await bot.tg.send(OTTO, "/person")
    assert "Send /person and the alias" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "/person " + "x" * 70)
    assert "the limit is 60" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "/person Zebedee")
    assert "No one matches “Zebedee”" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "/person Jonny")  # two candidates: choose
    assert "People matching “Jonny”" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Johnny")
    assert "First seen" in bot.last(OTTO).plain
    assert await bot.store.audit.recent(action_prefix="person.viewed")


async def test_people_lists_recently_seen(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await bot.tg.send(OTTO, "/people")
    assert bot.last(OTTO).plain == people_texts.PEOPLE_NONE
    await known_person(bot, "Johnny")
    bot.clock.advance(hours=1)
    await known_person(bot, "Sarah")
    await bot.tg.send(OTTO, "/people")
    listing = bot.last(OTTO).plain
    assert listing.index("Sarah") < listing.index("Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Sarah")
    assert "👤 Sarah" in bot.last(OTTO).plain


async def test_log_contact_from_a_timeline(bot: BotHarness) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny")
    await bot.tg.send(OTTO, "/person Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Log contact")
    assert "Where did you meet?" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "Church steps")
    await bot.tg.press(OTTO, bot.last(OTTO), "Doorway")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not asked")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert await bot.store.outreach.contact_count(johnny.id or 0) == 2


# ---- edits ---------------------------------------------------------------------------------
async def test_edit_details_flags_consent_and_legal_name(bot: BotHarness) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny")
    pid = johnny.id or 0
    await bot.tg.send(OTTO, "/person Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Edit")
    assert "Legal name" not in labels(bot, OTTO)  # no consent recorded yet
    await bot.tg.press_data(OTTO, bot.last(OTTO), callbacks.person("f", pid, "legal_name"))
    assert "consent to share is recorded" in bot.api.callback_answers()[-1]["text"]

    await bot.tg.press(OTTO, bot.last(OTTO), "Alias")
    await bot.tg.send(OTTO, "  ")
    assert bot.last(OTTO).plain == outreach_texts.OUT_ALIAS_EMPTY
    await bot.tg.send(OTTO, "y" * 61)
    assert "the limit is 60" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "Johnny B")
    assert "Alias saved" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Age band")
    await bot.tg.press(OTTO, bot.last(OTTO), "36–50")
    await bot.tg.press(OTTO, bot.last(OTTO), "Flags")
    await bot.tg.press(OTTO, bot.last(OTTO), "No recourse")
    await bot.tg.press(OTTO, bot.last(OTTO), "Safeguarding")
    assert "✓ Safeguarding concern" in labels(bot, OTTO)
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Consent")
    await bot.tg.press(OTTO, bot.last(OTTO), "Yes")
    await bot.tg.press(OTTO, bot.last(OTTO), "Legal name")
    await bot.tg.send(OTTO, "John Barker")
    assert "Legal name saved" in bot.last(OTTO).plain

    person = (await bot.store.outreach.lookup(pid)).person
    assert person is not None
    assert (person.alias, person.age_band, person.flags) == (
        "Johnny B",
        AgeBand.AGE_36_50,
        "safeg|nrpf",
    )
    assert person.consent_share is True and person.legal_name == "John Barker"
    edits = await bot.store.audit.recent(action_prefix="person.edited")
    assert [e.detail for e in reversed(edits)] == [
        "alias",
        "age_band",
        "flags",
        "consent",
        "legal_name",
    ]
    assert all("John" not in (e.detail or "") for e in edits)

    await bot.tg.press(OTTO, bot.last(OTTO), "Consent")
    await bot.tg.press(OTTO, bot.last(OTTO), "No")  # withdrawn: the legal name goes
    person = (await bot.store.outreach.lookup(pid)).person
    assert person is not None and person.legal_name is None


# ---- merges --------------------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_merge_two_records_keeps_every_contact(bot: BotHarness) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny", notes="one")
    bot.clock.advance(days=1)
    jonny = await known_person(bot, "Jonny", notes="two", appearance="blue cap")
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    await bot.store.outreach.log_contact(
        ContactIn(person_id=jonny.id, notes="three"), worker=worker
    )
    await bot.tg.send(OTTO, "/person Johnny")
    timeline = bot.last(OTTO)
    await bot.tg.press(OTTO, timeline, "Merge")
    await bot.tg.send(OTTO, "Zebedee")
    assert "No other record matches" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "jonny")
    choose = bot.last(OTTO)
    assert "Johnny" not in [
        b["text"].split(". ", 1)[1].split(" (")[0] for b in choose.inline_buttons[:-1]
    ]
    await bot.tg.press(OTTO, choose, "Jonny")
    assert "2 contacts will move to Johnny" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Merge")

    merged = bot.last(OTTO).plain
    assert "“Jonny” merged in: 2 contacts moved" in merged
    assert "3 contacts" in merged and "record “Jonny” merged into this one" in merged
    assert "Looks: blue cap" in merged
    assert await bot.store.outreach.contact_count(johnny.id or 0) == 3
    # Old buttons of the merged record say where it went.
    await bot.tg.press_data(OTTO, timeline, callbacks.person("show", jonny.id or 0))
    assert "merged into Johnny" in bot.last(OTTO).plain
    await bot.tg.press_data(OTTO, timeline, callbacks.person("mok", johnny.id or 0, jonny.id or 0))
    assert "merged into Johnny" in bot.last(OTTO).plain
    assert len(await bot.store.audit.recent(action_prefix="person.merged")) == 1


# ---- refusals -----------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.OFFICER, Role.WARDEN, Role.COORDINATOR])
async def test_other_roles_are_refused_person_details(bot: BotHarness, role: Role) -> None:
    someone = await bot.member(Person(2100, "Rae", role.value), role)
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny", appearance="red hat")
    for command in ("person Johnny", "people", "contact", "referrals"):
        await bot.tg.send(someone, f"/{command}")
        assert bot.last(someone).plain == common_texts.NOT_ALLOWED_COMMAND.format(
            command=command.split()[0]
        )
    reply_to = bot.last(someone)
    for data in (
        callbacks.person("show", johnny.id or 0),
        callbacks.referral("list"),
        callbacks.referral("take", 1),
    ):
        await bot.tg.press_data(someone, reply_to, data)
        answer = bot.api.callback_answers()[-1]
        assert answer["text"] == common_texts.NOT_ALLOWED_BUTTON and answer["show_alert"]
    assert all("red hat" not in m.plain for m in bot.api.sent_to(someone.telegram_id))
    assert await bot.store.audit.recent(action_prefix="person.viewed") == []


async def test_admins_are_refused_person_details_and_the_group_gets_nothing(
    bot: BotHarness,
) -> None:
    await outreach_worker(bot)
    await known_person(bot, "Johnny")
    await bot.tg.send(ADMIN, "/person Johnny")
    assert bot.last(ADMIN).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="person")
    await bot.tg.send(OTTO, "/person Johnny", chat=group_chat(COORDINATORS_CHAT))
    assert bot.api.sent_to(COORDINATORS_CHAT)[-1].plain == common_texts.PRIVATE_ONLY.format(
        command="person"
    )
    assert all("Johnny" not in m.plain for m in bot.api.sent_to(COORDINATORS_CHAT))


# ---- referrals ----------------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_rough_sleeper_seen_then_outreach_logs_the_contact(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await outreach_worker(bot)
    await bot.tg.send(OFFICER, "/start")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Rough sleeper seen")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not under 18
    assert "unwell or in danger" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")
    await bot.tg.send(OFFICER, "Doorway of Boots")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "About 30 min ago")
    await bot.tg.send(OFFICER, "Man in a green sleeping bag")
    assert "Send to outreach?" in bot.last(OFFICER).plain
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Send to outreach")
    assert "Sent to outreach as referral #1" in bot.last(OFFICER).plain
    [referral] = await rows(bot, Referral)
    assert referral.reporter_id is not None and referral.appearance == "Man in a green sleeping bag"

    bot.clock.advance(hours=2)
    await bot.tg.send(OTTO, "/referrals")
    assert "Open referrals: 1" in bot.api.sent_to(OTTO.telegram_id)[-2].plain
    card = bot.last(OTTO)
    assert "Referral #1 · waiting 2 h" in card.plain and "Doorway of Boots" in card.plain
    assert "Man in a green sleeping bag" in card.plain and "Reported by Olly Officer" in card.plain
    assert "Seen Fri 27 Nov 20:30" in card.plain
    assert [b["text"] for b in card.inline_buttons] == ["🙋 Take", "🤝 Log contact", "🔎 Not found"]
    await bot.tg.press(OTTO, card, "Take")
    assert "Taken by Otto Outreach" in card.plain and "Take" not in str(card.inline_buttons)
    await bot.tg.press(OTTO, card, "Log contact")
    await bot.tg.press(OTTO, bot.last(OTTO), "New person")
    await bot.tg.send(OTTO, "Greenbag Gary")
    await bot.tg.press(OTTO, bot.last(OTTO), "51–65")
    await bot.tg.press(OTTO, bot.last(OTTO), "Skip")
    await bot.tg.press(OTTO, bot.last(OTTO), "Where the referral was")
    await bot.tg.press(OTTO, bot.last(OTTO), "Doorway")
    await bot.tg.press(OTTO, bot.last(OTTO), "Unknown")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Not asked")
    await bot.tg.send(OTTO, "Gary has a bad cough")
    assert "Closes referral #1" in bot.last(OTTO).plain
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    assert "Referral #1 is closed and the reporter has been told" in bot.last(OTTO).plain

    view = await bot.store.outreach.referral(1)
    assert view is not None and view.referral.status is ReferralStatus.CLOSED
    assert view.referral.outcome is ReferralOutcome.CONTACTED
    [contact] = await rows(bot, OutreachContact)
    assert view.referral.contact_id == contact.id and contact.place_text == "Doorway of Boots"
    [notice] = await rows(bot, OutboxMessage)
    assert notice.chat_id == OFFICER.telegram_id and notice.purpose == "notice"
    assert "found them and offered support" in notice.text
    for private in ("Gary", "cough", "51"):
        assert private not in notice.text
    await bot.tg.send(OTTO, "/referrals")
    assert bot.last(OTTO).plain == referrals_texts.REFERRALS_NONE
    await bot.tg.press(OTTO, card, "Not found")  # an old button
    assert bot.api.callback_answers()[-1]["text"] == referrals_texts.REFERRAL_ALREADY_CLOSED


async def test_not_found_closes_and_tells_the_reporter(bot: BotHarness) -> None:
    await bot.member(WARDEN, Role.WARDEN)
    await outreach_worker(bot)
    await outreach_worker(bot, OONA)
    await bot.tg.send(WARDEN, "/roughsleeper")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "No")  # not under 18
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Not sure")
    await bot.tg.share_location(WARDEN, 52.6, -1.1)
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Just now")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Skip")
    await bot.tg.press(WARDEN, bot.last(WARDEN), "Send to outreach")
    await bot.tg.send(OTTO, "/referrals")
    card = bot.last(OTTO)
    await bot.tg.press(OTTO, card, "Take")
    await bot.tg.send(OONA, "/referrals")
    other = bot.last(OONA)
    assert "Taken by Otto Outreach" in other.plain
    await bot.tg.press(OONA, other, "Not found")
    assert "Where did you look?" in bot.last(OONA).plain
    await bot.tg.send(OONA, "Round the back of the library")
    assert "Referral #1 closed as not found" in bot.last(OONA).plain
    await bot.tg.send(OONA, "/referrals")
    assert bot.last(OONA).plain == referrals_texts.REFERRALS_NONE
    view = await bot.store.referrals.referral(1)
    assert view is not None and view.referral.where_looked == "Round the back of the library"
    [notice] = await rows(bot, OutboxMessage)
    assert notice.chat_id == WARDEN.telegram_id and "couldn't find anyone" in notice.text
    assert await bot.app.outbox_sender.drain() == 1  # delivered by the outbox sender
    assert "Update on the rough sleeper you reported (referral #1" in bot.last(WARDEN).plain
    await bot.tg.press(OTTO, card, "Log contact")
    assert bot.api.callback_answers()[-1]["text"] == referrals_texts.REFERRAL_ALREADY_CLOSED


async def test_rough_sleeping_report_creates_a_referral(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await outreach_worker(bot)
    officer = await bot.store.members.by_telegram_id(OFFICER.telegram_id)
    rough = await bot.store.categories.by_slug("rough_sleeping")
    assert officer is not None and rough is not None
    await bot.store.reports.file(
        ReportIn(category_id=rough.id or 0, place_text="Car park", description="tent by the wall"),
        reporter=officer,
        group_chat_id=COORDINATORS_CHAT,
    )
    await bot.tg.send(OTTO, "/referrals")
    assert "Car park" in bot.last(OTTO).plain and "tent by the wall" in bot.last(OTTO).plain


async def test_overdue_referrals_for_the_briefing(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/roughsleeper")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not under 18
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not unwell or in danger
    await bot.tg.send(OFFICER, "Bus shelter")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Just now")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Skip")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Send")
    overdue_after = timedelta(hours=bot.settings.referral_overdue_hours)
    assert await bot.store.outreach.overdue_referrals(older_than=overdue_after) == []
    bot.clock.advance(hours=25)
    [stale] = await bot.store.outreach.overdue_referrals(older_than=overdue_after)
    assert stale.place == "Bus shelter"


async def test_rough_sleeper_seen_bad_input(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/roughsleeper")
    await bot.tg.send(OFFICER, "Market")
    assert bot.last(OFFICER).plain == outreach_texts.OUT_USE_BUTTONS  # the scope questions first
    question = bot.api.sent_to(OFFICER.telegram_id)[-2]
    await bot.tg.press(OFFICER, question, "No")  # not under 18
    assert "unwell or in danger" in question.plain  # the same message asks the next
    await bot.tg.press(OFFICER, question, "No")
    first = bot.last(OFFICER)
    await bot.tg.send(OFFICER, "x" * 201)
    assert "the limit is 200" in bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "Market")
    await bot.tg.send(OFFICER, "an hour ago")
    assert bot.last(OFFICER).plain == outreach_texts.OUT_USE_BUTTONS
    await bot.tg.send(OFFICER, "/cancel")
    assert bot.last(OFFICER).plain == referrals_texts.RS_CANCELLED
    await bot.tg.press_data(OFFICER, first, callbacks.rough_sleeper("hot", "abc123", 1))
    assert bot.api.callback_answers()[-1]["text"] == referrals_texts.RS_FINISHED
    assert await rows(bot, Referral) == []


# ---- erasure ------------------------------------------------------------------------------
@pytest.mark.pg_smoke
async def test_admin_erases_a_person_and_no_text_about_them_remains(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await outreach_worker(bot)
    zed = await known_person(bot, "Zanzibar Zed", appearance="ZEDLOOK", notes="ZEDNOTE")
    other = await known_person(bot, "Zanzibar Z", notes="ZEDNOTE2")
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    await bot.store.outreach.merge(zed.id or 0, other.id or 0, by=worker)
    await bot.store.people.edit(zed.id or 0, PersonField.FLAGS, [Flag.RISK_TO_STAFF], by=worker)
    await bot.store.outcomes.record(zed.id or 0, MoveOutcome.HOSTEL, date(2026, 11, 20), by=worker)
    await bot.tg.send(OFFICER, "/roughsleeper")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not under 18
    await bot.tg.press(OFFICER, bot.last(OFFICER), "No")  # not unwell or in danger
    await bot.tg.send(OFFICER, "ZEDPLACE")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Just now")
    await bot.tg.send(OFFICER, "ZEDSIGHTING")
    await bot.tg.press(OFFICER, bot.last(OFFICER), "Send")
    await bot.tg.send(OTTO, "/referrals")
    await bot.tg.press(OTTO, bot.last(OTTO), "Log contact")
    await bot.tg.send(OTTO, "Zanzibar")
    await bot.tg.press(OTTO, bot.last(OTTO), "1. Zanzibar Zed")
    await bot.tg.press(OTTO, bot.last(OTTO), "Where the referral was")
    await bot.tg.press(OTTO, bot.last(OTTO), "Doorway")
    await bot.tg.press(OTTO, bot.last(OTTO), "No")  # a local connection elsewhere: typed
    await bot.tg.send(OTTO, "ZEDTOWN")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Prison")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Done")
    await bot.tg.press(OTTO, bot.last(OTTO), "Yes")
    await bot.tg.send(OTTO, "ZEDNOTE3")
    await bot.tg.press(OTTO, bot.last(OTTO), "Save")
    await bot.tg.send(OTTO, "/person Zanzibar Zed")
    timeline = bot.last(OTTO)
    counts_before = await bot.store.outreach.counts(
        bot.clock.now() - timedelta(days=1), bot.clock.now() + timedelta(days=1)
    )

    await bot.tg.send(ADMIN, "/erase")
    assert "Send /erase and the alias" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "/erase Zanzibar Zed")
    confirm = bot.last(ADMIN)
    assert "Zanzibar Zed · 26–35 · ZEDLOOK" in confirm.plain
    assert confirm.inline_buttons[0]["text"].startswith("🗑 Erase Zanzibar Zed · 26–35 · ")
    await bot.tg.press(ADMIN, confirm, "Erase Zanzibar Zed")
    assert f"Record #{zed.id} erased. 3 contacts kept as anonymous counts only." in confirm.plain
    assert "Zanzibar" not in confirm.plain

    markers = ("Zanzibar", "ZED")
    async with bot.store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text):
                    values = (await connection.execute(select(column))).scalars().all()
                    found = [v for v in values if any(m in str(v or "") for m in markers)]
                    assert found == [], (table.name, column.name)
    counts_after = await bot.store.outreach.counts(
        bot.clock.now() - timedelta(days=1), bot.clock.now() + timedelta(days=1)
    )
    assert counts_after.contacts == counts_before.contacts == 3
    assert counts_after.people_seen == 0
    # Their flags went with them; their move stays as an anonymous count.
    assert await rows(bot, PersonFlagRow) == []
    assert [(r.person_id, r.kind) for r in await rows(bot, PersonOutcome)] == [
        (None, MoveOutcome.HOSTEL.value)
    ]
    erased = await bot.store.audit.recent(action_prefix="person.erased")
    assert len(erased) == 1 and erased[0].subject == f"person:{zed.id}"

    # Old buttons for the erased person, and the erase button pressed again.
    await bot.tg.press(OTTO, timeline, "Edit")
    assert "it was erased" in bot.last(OTTO).plain
    await bot.tg.press_data(OTTO, timeline, callbacks.person("show", zed.id or 0))
    assert "it was erased" in bot.last(OTTO).plain
    await bot.tg.press_data(ADMIN, confirm, callbacks.erase("ok", zed.id or 0))
    assert "it was erased" in bot.last(ADMIN).plain


async def test_erase_clears_other_workers_drafts_in_memory_and_stored(bot: BotHarness) -> None:
    """A colleague half-way through logging a contact with the person: the draft that
    names them goes from the running bot's memory and from the database at once."""
    await outreach_worker(bot)
    await outreach_worker(bot, OONA)
    quillon = await known_person(bot, "Quillon Vantablack", appearance="Tangerinecoat")
    await bot.tg.send(OONA, "/contact")
    await bot.tg.send(OONA, "Quillon")
    await bot.tg.press(OONA, bot.last(OONA), "1. Quillon Vantablack")
    assert "Where did you meet?" in bot.last(OONA).plain
    await bot.tg.send(OTTO, "/report")  # a draft of Otto's that names nobody stays
    await bot.app.update_persistence()
    assert "Quillon" in str(await bot.store.bot_state.get_all("user_data"))

    await bot.tg.send(ADMIN, "/erase Quillon")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Erase Quillon Vantablack")
    await bot.app.update_persistence()

    assert "Quillon" not in str(dict(bot.app.user_data))
    assert str(quillon.id) not in str(bot.app.user_data.get(OONA.telegram_id) or {})
    stored = await bot.store.bot_state.get_all("user_data")
    assert "Quillon" not in str(stored) and str(OTTO.telegram_id) in stored
    await bot.tg.send(OONA, "By the library")  # her next step: the draft is gone
    assert "Quillon" not in bot.last(OONA).plain
    assert await bot.store.contacts.contact_count(quillon.id or 0) == 0


async def test_erase_is_for_admins_and_can_be_cancelled(bot: BotHarness) -> None:
    await outreach_worker(bot)
    await known_person(bot, "Johnny")
    await bot.tg.send(OTTO, "/erase Johnny")
    assert bot.last(OTTO).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="erase")
    await bot.tg.send(ADMIN, "/erase Zebedee")
    assert "No one matches" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "/erase Johnny")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Cancel")
    assert bot.last(ADMIN).plain == people_texts.ERASE_CANCELLED
    assert len(await rows(bot, PersonRecord)) == 1


async def test_cli_erases_a_person(bot: BotHarness, tmp_path, monkeypatch, capsys) -> None:
    await outreach_worker(bot)
    johnny = await known_person(bot, "Johnny", notes="secret")
    url = str(bot.store.engine.url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no .env
    import asyncio

    code = await asyncio.to_thread(tcag, ["person", "erase", str(johnny.id), "--yes"])
    out = capsys.readouterr()
    assert code == 0 and "Erased person" in out.out and "1 contacts" in out.out
    assert await bot.store.outreach.lookup(johnny.id or 0) is not None
    assert (await bot.store.outreach.lookup(johnny.id or 0)).person is None
    code = await asyncio.to_thread(tcag, ["person", "erase", str(johnny.id), "--yes"])
    assert code == 1
    cli = await bot.store.audit.recent(action_prefix="person.erased")
    assert cli[0].actor_id is None and "cli" in (cli[0].detail or "")


async def test_long_history_and_markup_in_aliases_render_safely(bot: BotHarness) -> None:
    await outreach_worker(bot)
    person = await known_person(bot, "Tom <3 & Jerry", appearance="<b>tall</b>")
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    for night in range(30):
        bot.clock.advance(days=1)
        await bot.store.outreach.log_contact(
            ContactIn(
                person_id=person.id, place_text="Market <square>", notes=f"{night} " + "n" * 1900
            ),
            worker=worker,
        )
    await bot.tg.send(OTTO, "/contact Tom <3 & Jerry")  # a search straight away
    assert "1. Tom <3 & Jerry · 26–35 · <b>tall</b>" in bot.last(OTTO).plain
    await bot.tg.send(OTTO, "/cancel")
    await bot.tg.send(OTTO, "/person Tom <3 & Jerry")
    shown = bot.last(OTTO)
    assert len(shown.body) <= 4096 and "31 contacts" in shown.plain
    assert "29 nn" in shown.plain and "… and" in shown.plain


async def test_menu_entries(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await outreach_worker(bot)
    await bot.tg.send(OFFICER, "/start")
    officer_menu = labels(bot, OFFICER)
    assert "🛏 Rough sleeper seen" in officer_menu and "📋 Referrals" not in officer_menu
    await bot.tg.send(OTTO, "/start")
    menu = bot.last(OTTO)
    assert {"🛏 Rough sleeper seen", "🤝 Log contact", "📋 Referrals"} <= set(labels(bot, OTTO))
    await bot.tg.press(OTTO, menu, "Referrals")
    assert bot.last(OTTO).plain == referrals_texts.REFERRALS_NONE
    await bot.tg.press(OTTO, menu, "Log contact")
    assert "Who did you meet?" in bot.last(OTTO).plain
