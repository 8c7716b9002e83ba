"""The public perception survey from Telegram (the local Bot API): strangers answer in
taps, nothing ties an answer to them, once per person per round, forged buttons refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.domain.callbacks.survey import SURVEY_BUTTONS, SurveyAction, SurveyPress
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from bot.texts import common as common_texts
from bot.texts.partnership import survey as wording
from storage.catalog import HotspotIn
from storage.store import Store
from tests.support.harness import ADMIN, BotHarness, make_settings

STRANGERS = [Person(880_000_000 + i, f"Passer{i}", username=f"passer_{i}") for i in range(7)]
SURVEY_TABLES = ("survey_rounds", "survey_responses", "survey_pending")


@pytest.fixture
async def survey_bot(store: Store, clock) -> AsyncIterator[BotHarness]:  # type: ignore[no-untyped-def]
    harness = BotHarness(
        store,
        clock,
        make_settings(TCAG_SURVEY_PER_PERSON_PER_MINUTE=12, TCAG_SURVEY_PER_MINUTE=500),
    )
    await harness.start()
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    for name, lat in (("Elmer Square", 51.5072), ("Bus Station", 51.5080), ("Park Lane", 51.509)):
        await store.hotspots.upsert(HotspotIn(name=name, lat=lat, lon=-0.1276))
    yield harness
    await harness.stop()


async def open_round(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/survey open")
    assert "is open until" in bot.last(ADMIN).plain


def question(bot: BotHarness, person: Person) -> SentMessage:
    return bot.last(person)


async def answer(
    bot: BotHarness,
    person: Person,
    *,
    day: str = "Fairly safe",
    dark: str = "A bit unsafe",
    places: tuple[str, ...] = ("Bus Station",),
    other: str | None = None,
    age: str = "25–34",
    gender: str = "Woman",
) -> None:
    await bot.tg.send(person, "/start survey")
    assert "during the day" in question(bot, person).plain
    await bot.tg.press(person, question(bot, person), day)
    assert "after dark" in question(bot, person).plain
    await bot.tg.press(person, question(bot, person), dark)
    assert "avoid" in question(bot, person).plain
    for place in places:
        await bot.tg.press(person, question(bot, person), place)
    if other is not None:
        await bot.tg.press(person, question(bot, person), wording.SOMEWHERE_ELSE)
        assert "Which place?" in question(bot, person).plain
        await bot.tg.send(person, other)
    else:
        done = wording.PLACES_DONE if places else wording.NONE_OF_THESE
        await bot.tg.press(person, question(bot, person), done)
    assert "answers are saved" in question(bot, person).plain
    await bot.tg.press(person, question(bot, person), age)
    await bot.tg.press(person, question(bot, person), gender)
    assert question(bot, person).plain.startswith("Thank you.")


async def survey_rows(store: Store) -> list[str]:
    """Every survey table's rows, every column as text."""
    rows: list[str] = []
    async with store.engine.connect() as connection:
        for table in SURVEY_TABLES:
            result = await connection.execute(text(f"SELECT * FROM {table}"))
            rows += [" | ".join(str(v) for v in row) for row in result]
    return rows


async def test_strangers_answer_and_nothing_ties_the_answers_to_them(
    survey_bot: BotHarness,
) -> None:
    bot, store = survey_bot, survey_bot.store
    await open_round(bot)
    for i, person in enumerate(STRANGERS[:5]):
        await answer(bot, person, other="the underpass" if i == 0 else None)

    [round_] = await store.survey.results(bot.settings.tz)
    assert round_.n == 5
    answers = await store.survey.answers(round_.round_id)
    assert {a.other_place for a in answers} == {"the underpass", None}
    assert all(a.day == 2 and a.dark == 3 and a.age == 2 and a.gender == 1 for a in answers)
    assert all(a.places == 0b001 for a in answers)  # Bus Station, first by name

    dumped = "\n".join(await survey_rows(store))
    for person in STRANGERS[:5]:
        assert str(person.telegram_id) not in dumped
        assert person.first_name not in dumped and str(person.username) not in dumped
    async with store.engine.connect() as connection:
        for column, table in (("person_key", "survey_responses"), ("person_key", "survey_pending")):
            for person in STRANGERS[:5]:
                found = await connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {column} = :id"),
                    {"id": str(person.telegram_id)},
                )
                assert found.scalar_one() == 0
        for table, columns in (
            ("survey_responses", ("day", "dark", "places", "age", "gender", "round_id", "id")),
            ("survey_pending", ("day", "dark", "places", "round_id")),
        ):
            for col_name in columns:
                for person in STRANGERS[:5]:
                    found = await connection.execute(
                        text(f"SELECT count(*) FROM {table} WHERE {col_name} = :id"),
                        {"id": person.telegram_id},
                    )
                    assert found.scalar_one() == 0
    # Nor does PTB's persistence keep anything for them (no user data, no conversation).
    await bot.app.update_persistence()
    async with store.engine.connect() as connection:
        state = await connection.execute(text("SELECT * FROM bot_state"))
        stored = "\n".join(" | ".join(str(v) for v in row) for row in state)
    for person in STRANGERS[:5]:
        assert str(person.telegram_id) not in stored
    assert all(not bot.app.user_data.get(p.telegram_id) for p in STRANGERS[:5])

    # Coordinators see the live counts, small groups suppressed.
    await bot.tg.send(ADMIN, "/survey")
    counts = bot.last(ADMIN).plain
    assert "5 answers" in counts
    assert "by day: 100% (n=5)" in counts and "after dark: 0% (n=5)" in counts
    assert "half of women and one in five men" in counts
    assert "Woman: by day 100% (n=5)" in counts
    assert "Bus Station: 5" in counts and "somewhere else: 1" in counts
    assert "underpass" not in counts  # named by fewer than 5 people


async def test_once_per_person_per_round_and_the_key_destroyed_at_close(
    survey_bot: BotHarness,
) -> None:
    bot, store, person = survey_bot, survey_bot.store, STRANGERS[0]
    await open_round(bot)
    await answer(bot, person)
    await bot.tg.send(person, "/start survey")
    assert bot.last(person).plain == wording.ALREADY_ANSWERED
    # An old message's buttons do not add a second answer either.
    first_round = (await store.survey.current()).round_id  # type: ignore[union-attr]
    assert len(await store.survey.answers(first_round)) == 1

    await bot.tg.send(ADMIN, "/survey close")
    assert "closed with 1 answer." in bot.last(ADMIN).plain
    async with store.engine.connect() as connection:
        keys = (await connection.execute(text("SELECT round_key FROM survey_rounds"))).all()
        person_keys = (
            await connection.execute(text("SELECT person_key FROM survey_responses"))
        ).all()
    assert keys == [(None,)] and person_keys == [(None,)]
    await bot.tg.send(person, "/start survey")
    assert bot.last(person).plain == wording.NO_ROUND

    await open_round(bot)
    await answer(bot, person)  # a new round, a new key: the same person may answer again
    results = await store.survey.results(bot.settings.tz)
    assert [r.n for r in results] == [1, 1]


async def test_forged_or_copied_buttons_are_refused(survey_bot: BotHarness) -> None:
    bot, store = survey_bot, survey_bot.store
    alice, bob = STRANGERS[0], STRANGERS[1]
    await open_round(bot)
    await bot.tg.send(alice, "/start survey")
    sent = bot.last(alice)
    real = SURVEY_BUTTONS.unpack(sent.button("Very safe")["callback_data"])
    assert real is not None
    forged = SurveyPress(
        SurveyAction.PLACES_DONE, real.round_id, 1, 1, 0, 0, real.tag
    ).pack()  # jump to the end with a tag made for another button
    calls = await bot.tg.press_data(alice, sent, forged)
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
        wording.BAD_BUTTON
    ]
    # Alice's real button, pressed by Bob: its tag was made for Alice.
    calls = await bot.tg.press_data(bob, sent, sent.button("Very safe")["callback_data"])
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
        wording.BAD_BUTTON
    ]
    for junk in ("sv:d:1:0:0:0:9:xxxxxxxx", "sv:f:1:1:1:99999:0:abc", "sv:zz", "sv:d:1"):
        calls = await bot.tg.press_data(alice, sent, junk)
        answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
        assert len(answers) == 1 and answers[0] != common_texts.NOT_A_MEMBER
    round_id = (await store.survey.current()).round_id  # type: ignore[union-attr]
    assert await store.survey.answers(round_id) == []
    # A button from a closed round.
    await bot.tg.send(ADMIN, "/survey close")
    calls = await bot.tg.press_data(alice, sent, sent.button("Very safe")["callback_data"])
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
        wording.ROUND_CHANGED
    ]


async def test_rate_limit_per_person(survey_bot: BotHarness) -> None:
    bot, person = survey_bot, STRANGERS[0]
    await open_round(bot)
    await bot.tg.send(person, "/start survey")
    await bot.tg.press(person, bot.last(person), "Very safe")
    await bot.tg.press(person, bot.last(person), "Very safe")
    places = bot.last(person)
    answers: list[str] = []
    for _ in range(12):  # 12 a minute: 3 used, so the tenth toggle on is refused
        calls = await bot.tg.press(person, places, "Park Lane")
        answers += [str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery"]
        places = bot.last(person)
    assert answers.count(wording.TOO_FAST) == 3
    bot.clock.advance(timedelta(minutes=1, seconds=1))
    calls = await bot.tg.press(person, places, "Park Lane")
    assert wording.TOO_FAST not in [c.params.get("text") for c in calls]


async def test_rate_limit_overall(store: Store, clock) -> None:  # type: ignore[no-untyped-def]
    bot = BotHarness(store, clock, make_settings(TCAG_SURVEY_PER_MINUTE=3))
    await bot.start()
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    try:
        await open_round(bot)
        for person in STRANGERS[:3]:
            await bot.tg.send(person, "/start survey")
            assert "during the day" in bot.last(person).plain
        await bot.tg.send(STRANGERS[3], "/start survey")
        assert bot.last(STRANGERS[3]).plain == wording.TOO_FAST
    finally:
        await bot.stop()


async def test_strangers_get_the_survey_and_nothing_else(survey_bot: BotHarness) -> None:
    bot, person = survey_bot, STRANGERS[0]
    await open_round(bot)
    await bot.tg.send(person, "/survey")
    assert bot.last(person).plain == common_texts.NOT_A_MEMBER
    await bot.tg.send(person, "3 lads drinking in Elmer Square")
    assert bot.last(person).plain == common_texts.NOT_A_MEMBER
    # The typed place only when it is awaited; after answering, text is refused again.
    await bot.tg.send(person, "/start survey")
    await bot.tg.press(person, bot.last(person), "Very safe")
    await bot.tg.press(person, bot.last(person), "Fairly safe")
    await bot.tg.press(person, bot.last(person), wording.SOMEWHERE_ELSE)
    await bot.tg.send(person, "   ")
    await bot.tg.send(person, "by the car park " * 10)
    assert "answers are saved" in bot.last(person).plain
    await bot.tg.send(person, "more text")
    assert bot.last(person).plain == common_texts.NOT_A_MEMBER
    [result] = await bot.store.survey.results(bot.settings.tz)
    [saved] = await bot.store.survey.answers(result.round_id)
    assert saved.other_place is not None and len(saved.other_place) <= 60
    assert saved.places == 0 and saved.day == 1 and saved.dark == 2


async def test_only_admins_open_rounds_and_members_may_answer(survey_bot: BotHarness) -> None:
    from bot.domain.access.roles import Role

    bot = survey_bot
    coordinator = await bot.member(Person(2002, "Cora", "Coord"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/survey open")
    assert bot.last(coordinator).plain == wording.NOT_ALLOWED_ROUNDS
    await bot.tg.send(coordinator, "/survey")
    assert "No survey round is open" in bot.last(coordinator).plain
    await open_round(bot)
    warden = await bot.member(Person(2003, "Wren", "Warden"), Role.WARDEN)
    await answer(bot, warden, places=(), other="the back lane")
    # A member's typed place is not taken for a quick report.
    async with bot.store.engine.connect() as connection:
        reports = await connection.execute(text("SELECT count(*) FROM reports"))
        assert reports.scalar_one() == 0
    [result] = await bot.store.survey.results(bot.settings.tz)
    [saved] = await bot.store.survey.answers(result.round_id)
    assert saved.other_place == "the back lane" and saved.places == 0
