"""The survey repository on SQLite and PostgreSQL: rounds, keys, one answer a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.domain.clock import ManualClock
from bot.domain.partnership.survey import Progress
from bot.domain.periods import Quarter
from storage.store import Store

LONDON = ZoneInfo("Europe/London")
PLACES = ["Bus Station", "Elmer Square"]


async def test_open_answer_close(store: Store, clock: ManualClock) -> None:
    opened, closed = await store.survey.open_round(PLACES, LONDON, by=None)
    assert closed is None
    assert opened.closes_at == datetime(2027, 1, 1, tzinfo=UTC)  # the quarter's end
    current = await store.survey.current()
    assert current is not None and current.places == tuple(PLACES)
    assert current.opened_at.tzinfo is not None and current.closes_at.tzinfo is not None
    person = current.person(5005)
    assert await store.survey.save(opened.round_id, person, Progress(1, 3, 0b10), "the lane")
    assert not await store.survey.save(opened.round_id, person, Progress(2, 2))  # once only
    assert await store.survey.has_answered(opened.round_id, person)
    assert await store.survey.set_about(opened.round_id, person, age=3)
    assert not await store.survey.set_about(opened.round_id, person, age=4)  # once each
    assert await store.survey.set_about(opened.round_id, person, gender=1)
    [answer] = await store.survey.answers(opened.round_id)
    assert (answer.day, answer.dark, answer.places, answer.other_place) == (1, 3, 2, "the lane")
    assert (answer.age, answer.gender) == (3, 1)

    closed_now = await store.survey.close_round(by=None)
    assert closed_now is not None and closed_now.answers == 1
    assert await store.survey.current() is None
    async with store.engine.connect() as connection:
        row = (await connection.execute(text("SELECT round_key FROM survey_rounds"))).one()
        keys = (await connection.execute(text("SELECT person_key FROM survey_responses"))).all()
    assert row == (None,) and keys == [(None,)]
    assert await store.survey.close_round(by=None) is None
    entries = await store.audit.recent(action_prefix="survey.")
    assert [e.action for e in entries] == ["survey.closed", "survey.opened"]


async def test_a_new_round_closes_the_old_and_the_key_changes(
    store: Store, clock: ManualClock
) -> None:
    first, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    await store.survey.save(first.round_id, first.person(5005), Progress(1, 1))
    second, closed = await store.survey.open_round(PLACES, LONDON, by=None)
    assert closed is not None and closed.round_id == first.round_id and closed.answers == 1
    assert second.key != first.key and second.person(5005) != first.person(5005)
    assert not await store.survey.has_answered(second.round_id, second.person(5005))
    assert await store.survey.save(second.round_id, second.person(5005), Progress(2, 2))


async def test_a_round_closes_itself_at_the_quarters_end(store: Store, clock: ManualClock) -> None:
    opened, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    await store.survey.await_place(opened.round_id, opened.person(5005), Progress(1, 2, 1))
    clock.set(opened.closes_at + timedelta(seconds=1))
    assert await store.survey.current() is None
    assert await store.survey.awaited_place(5005) is None
    async with store.engine.connect() as connection:
        rounds = (
            await connection.execute(text("SELECT closed_at, round_key FROM survey_rounds"))
        ).all()
        pending = (await connection.execute(text("SELECT count(*) FROM survey_pending"))).one()
    assert rounds[0][1] is None and rounds[0][0] is not None and pending == (0,)


async def test_the_typed_place_awaited_expires_and_is_taken_by_saving(
    store: Store, clock: ManualClock
) -> None:
    opened, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    person = opened.person(5005)
    await store.survey.await_place(opened.round_id, person, Progress(1, 2, 1))
    awaited = await store.survey.awaited_place(5005)
    assert awaited is not None and awaited[1] == person and awaited[2] == Progress(1, 2, 1)
    assert await store.survey.awaited_place(5006) is None
    clock.advance(timedelta(minutes=16))
    assert await store.survey.awaited_place(5005) is None
    await store.survey.await_place(opened.round_id, person, Progress(1, 2, 1))
    await store.survey.save(opened.round_id, person, Progress(1, 2, 1), "by the river")
    assert await store.survey.awaited_place(5005) is None


async def test_results_by_round_for_the_quarterly_pack(store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2026, 8, 1, 12, tzinfo=UTC))
    q3, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    for i in range(6):
        await store.survey.save(q3.round_id, q3.person(i), Progress(1, 1 if i < 3 else 4))
    clock.set(datetime(2026, 11, 1, 12, tzinfo=UTC))
    q4, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    for i in range(5):
        await store.survey.save(q4.round_id, q4.person(i), Progress(2, 2))
    results = await store.survey.results(LONDON)
    assert [(r.quarter, r.n, r.dark.percent) for r in results] == [
        (Quarter(2026, 3), 6, 50),
        (Quarter(2026, 4), 5, 100),
    ]
    assert results[0].closed_at is not None and results[1].closed_at is None
    until_q3 = await store.survey.results(LONDON, until=Quarter(2026, 3))
    assert [r.round_id for r in until_q3] == [q3.round_id]


async def test_the_quarterly_pack_shows_each_round_with_the_trend(
    store: Store, clock: ManualClock
) -> None:
    import io

    from pypdf import PdfReader

    from bot.summaries.quarterly.content import gather
    from bot.summaries.quarterly.document import render_pdf
    from bot.summaries.quarterly.survey import survey_rows

    clock.set(datetime(2026, 8, 1, 12, tzinfo=UTC))
    q3, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    for i in range(6):  # 6 safe by day; after dark 3 of 6
        await store.survey.save(q3.round_id, q3.person(i), Progress(2, 1 if i < 3 else 3))
    clock.set(datetime(2026, 11, 1, 12, tzinfo=UTC))
    q4, _ = await store.survey.open_round(PLACES, LONDON, by=None)
    for i in range(5):  # 4 of 5 safe by day, 1 of 5 after dark
        await store.survey.save(q4.round_id, q4.person(i), Progress(1 if i else 4, 4 if i else 2))
    figures = await gather(
        store, Quarter(2026, 4), tz=LONDON, now=clock.now(), ack_target_minutes=5
    )
    assert survey_rows(figures)[1:] == [
        [str(q3.round_id), "Q3 2026", "6", "100%", "50%", "–"],
        [f"{q4.round_id} (open: figures to date)", "Q4 2026", "5", "80%", "20%", "-30 points"],
    ]
    earlier = await gather(
        store, Quarter(2026, 3), tz=LONDON, now=clock.now(), ack_target_minutes=5
    )
    assert [r.round_id for r, _ in earlier.survey] == [q3.round_id]
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(figures))).pages
    )
    assert "Public perception survey" in text and "-30 points" in text
