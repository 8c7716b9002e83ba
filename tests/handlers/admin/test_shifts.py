"""Shift patterns: the repository (both databases, DST through it) and /shifts for admins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.domain.access.roles import Role
from bot.domain.shifts.shift_input import parse_shift_line, shift_name
from bot.domain.shifts.shift_windows import ShiftPattern, occurrence_on, occurrences
from bot.jobs import scheduler
from bot.offline.chat import Person
from bot.texts import common as common_texts
from bot.texts import shifts as shifts_texts
from storage.models import ShiftPatternRow
from storage.shifts import ShiftProblem, StoredShift
from storage.store import Store
from tests.support.harness import ADMIN, BotHarness

LONDON = ZoneInfo("Europe/London")
OFFICER = Person(2002, "Olly", "Officer")
FRI, SAT = 4, 5


def late(name: str = "Friday late", days: frozenset[int] = frozenset({FRI, SAT})) -> ShiftPattern:
    return ShiftPattern(name, days, time(20, 0), time(3, 0))


async def rows(store: Store) -> list[ShiftPatternRow]:
    async with store.shifts._sessions() as session:
        query = select(ShiftPatternRow).order_by(ShiftPatternRow.id)  # type: ignore[arg-type]
        return list((await session.exec(query)).all())


# ---- typed input (domain) ------------------------------------------------------------------
def test_one_line_form_reads_name_days_and_times() -> None:
    pattern = parse_shift_line("  Friday   late | Fri, Sat | 20:00 | 3.00 ")
    assert pattern == late()
    assert pattern.describe() == "Friday late: Fri, Sat 20:00–03:00"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Friday late | fri,sat | 20:00", "Please give name | days | start | end"),
        ("Friday late | fry | 20:00 | 03:00", '"fry" is not a day I know.'),
        ("Friday late | fri | 25:00 | 03:00", '"25:00" is not a time I understand.'),
        ("Friday late | fri | 8pm | 03:00", '"8pm" is not a time I understand.'),
        ("Friday late | fri | 20:00 | 20:00", "A shift can't end at the time it starts."),
        ("F | fri | 20:00 | 03:00", "A shift name needs 2 to 60 characters."),
        (" | fri | 20:00 | 03:00", "Please give name | days | start | end"),
    ],
)
def test_one_line_form_explains_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_shift_line(line)
    assert str(raised.value).startswith(message)


def test_shift_names_refuse_the_ledger_separator_and_commands() -> None:
    for bad in ("Late@night", "/late", "x" * 61):
        with pytest.raises(ValueError):
            shift_name(bad)
    assert shift_name("  Late   shift ") == "Late shift"


# ---- the repository ------------------------------------------------------------------------
async def test_patterns_round_trip_as_domain_objects(store: Store) -> None:
    early = ShiftPattern("Day patrol", frozenset(range(5)), time(9, 30), time(17, 0))
    night = await store.shifts.add(late())
    day = await store.shifts.add(early)

    assert night is not None and day is not None
    assert await store.shifts.patterns() == [early, late()]  # earliest start first
    assert [s.id for s in await store.shifts.active()] == [day.id, night.id]
    assert await store.shifts.get(night.id) == StoredShift(night.id, late())
    assert await store.shifts.by_name("FRIDAY LATE") == StoredShift(night.id, late())
    stored = {row.name: row for row in await rows(store)}
    assert (stored["Friday late"].weekdays, stored["Friday late"].start_time) == ("4,5", "20:00")
    assert (stored["Day patrol"].weekdays, stored["Day patrol"].end_time) == ("0,1,2,3,4", "17:00")


async def test_a_late_shift_lasts_8_hours_on_the_night_the_clocks_go_back(store: Store) -> None:
    await store.shifts.add(late("Saturday late", frozenset({SAT})))
    [pattern] = await store.shifts.patterns()

    # 25 October 2026: BST ends at 02:00, clocks go back to 01:00.
    autumn = occurrence_on(pattern, LONDON, date(2026, 10, 24))
    assert autumn is not None and autumn.duration == timedelta(hours=8)
    assert autumn.starts_at == datetime(2026, 10, 24, 19, 0, tzinfo=UTC)  # 20:00 BST
    assert autumn.ends_at == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)  # 03:00 GMT
    # 29 March 2026: clocks go forward at 01:00, so the same shift lasts 6 hours.
    spring = occurrence_on(pattern, LONDON, date(2026, 3, 28))
    assert spring is not None and spring.duration == timedelta(hours=6)
    # An ordinary Saturday: 7 hours.
    [ordinary] = occurrences(
        pattern,
        LONDON,
        datetime(2026, 11, 28, tzinfo=UTC),
        datetime(2026, 11, 29, tzinfo=UTC),
    )
    assert ordinary.duration == timedelta(hours=7)


async def test_names_are_unique_in_any_letter_case(store: Store) -> None:
    first = await store.shifts.add(late())
    assert first is not None
    assert await store.shifts.add(late("FRIDAY LATE")) is None
    other = await store.shifts.add(late("Saturday late", frozenset({SAT})))
    assert other is not None

    assert await store.shifts.change(other.id, late("friday late")) is ShiftProblem.NAME_TAKEN
    assert await store.shifts.change(9999, late("New")) is ShiftProblem.NOT_FOUND
    renamed = await store.shifts.change(first.id, late("Friday LATE"))  # its own name, recased
    assert renamed == StoredShift(first.id, late("Friday LATE"))
    assert sorted(p.name for p in await store.shifts.patterns()) == [
        "Friday LATE",
        "Saturday late",
    ]


async def test_change_replaces_days_and_times(store: Store) -> None:
    added = await store.shifts.add(late())
    assert added is not None
    changed = ShiftPattern("Friday late", frozenset({FRI}), time(21, 0), time(4, 30))

    assert await store.shifts.change(added.id, changed) == StoredShift(added.id, changed)
    assert await store.shifts.patterns() == [changed]


async def test_removed_patterns_stop_and_their_name_can_be_used_again(store: Store) -> None:
    added = await store.shifts.add(late())
    assert added is not None

    assert await store.shifts.remove(added.id) == "Friday late"
    assert await store.shifts.remove(added.id) is None
    assert await store.shifts.patterns() == []
    assert await store.shifts.get(added.id) is None
    [row] = await rows(store)
    assert row.removed_at == store.clock.now()

    again = await store.shifts.add(late("friday late", frozenset({FRI})))
    assert again is not None and await store.shifts.patterns() == [again.pattern]
    assert await store.shifts.remove_by_name("FRIDAY LATE") == "friday late"
    assert await store.shifts.remove_by_name("Friday late") is None
    assert await store.shifts.patterns() == []


async def test_an_unreadable_row_is_left_out_not_fatal(store: Store) -> None:
    await store.shifts.add(late())
    async with store.shifts._sessions() as session, session.begin():
        session.add(
            ShiftPatternRow(
                name="Broken",
                weekdays="9",
                start_time="25:00",
                end_time="03:00",
                created_at=store.clock.now(),
            )
        )
    assert await store.shifts.patterns() == [late()]
    assert await store.shifts.by_name("Broken") is None
    assert await store.shifts.remove_by_name("Broken") == "Broken"  # still removable


# ---- /shifts -------------------------------------------------------------------------------
@pytest.fixture
def reschedules(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Calls to bot.scheduler.reschedule (the scheduler's own jobs are not under test)."""
    calls: list[Any] = []

    async def reschedule(application: Any) -> list[str]:
        calls.append(application)
        return []

    monkeypatch.setattr(scheduler, "reschedule", reschedule)
    return calls


def labels(bot: BotHarness) -> list[str]:
    return [b["text"] for b in bot.last(ADMIN).inline_buttons]


async def test_empty_list_offers_to_add(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/shifts")
    assert bot.last(ADMIN).plain == shifts_texts.SHIFTS_NONE.replace("<b>", "").replace("</b>", "")
    assert labels(bot) == ["➕ Add a shift"]


@pytest.mark.pg_smoke
async def test_add_in_one_line(bot: BotHarness, reschedules: list[Any]) -> None:
    await bot.tg.send(ADMIN, "/shifts add Friday late | fri,sat | 20:00 | 03:00")

    card = bot.last(ADMIN).plain
    assert card.startswith("✅ Shift added: Friday late.")
    assert "Days: Fri, Sat\nTime: 20:00–03:00 (ends the next day), Europe/London" in card
    # Friday 27 November 21:00: tonight's has started, so the next is Saturday's.
    assert "Next: Sat 28 Nov 20:00 to Sun 29 Nov 03:00 (7 h 00 min)" in card
    assert labels(bot) == [
        "📅 Days",
        "🕗 Start",
        "🕒 End",
        "✏️ Rename",
        "🗑 Remove",
        "◀ All shifts",
    ]
    assert await bot.store.shifts.patterns() == [late()]
    assert reschedules == [bot.app]

    await bot.tg.send(ADMIN, "/shifts")
    listed = bot.last(ADMIN)
    assert "Shift patterns (1), times in Europe/London:\n• Friday late: Fri, Sat 20:00–03:00" in (
        listed.plain
    )
    assert labels(bot) == ["Friday late: Fri, Sat 20:00–03:00", "➕ Add a shift"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Late | fri,sta | 20:00 | 03:00", '"sta" is not a day I know.'),
        ("Late | fri | 20:00 | 3am", '"3am" is not a time I understand. Use 24-hour HH:MM'),
        ("Late | fri | 20:00 | 20:00", "A shift can't end at the time it starts."),
        ("Late | fri | 20:00", "Please give name | days | start | end, separated by |"),
    ],
)
async def test_bad_days_or_times_are_explained_and_change_nothing(
    bot: BotHarness, reschedules: list[Any], line: str, message: str
) -> None:
    await bot.tg.send(ADMIN, f"/shifts add {line}")

    assert bot.last(ADMIN).plain.startswith(message)
    assert await bot.store.shifts.patterns() == []
    assert reschedules == []
    await bot.tg.send(ADMIN, "hello")  # no flow was left waiting for an answer
    assert "Shift" not in bot.last(ADMIN).plain


async def test_a_taken_name_is_refused(bot: BotHarness) -> None:
    await bot.store.shifts.add(late())
    await bot.tg.send(ADMIN, "/shifts add friday LATE | sat | 21:00 | 02:00")
    assert bot.last(ADMIN).plain == shifts_texts.SHIFT_NAME_TAKEN
    assert await bot.store.shifts.patterns() == [late()]


async def test_add_step_by_step_with_a_mistake_on_the_way(
    bot: BotHarness, reschedules: list[Any]
) -> None:
    await bot.tg.send(ADMIN, "/shifts")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Add a shift")
    assert "What is the new shift called?" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "Day patrol")
    assert "Which days does Day patrol start on?" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "mon-fry")
    assert bot.last(ADMIN).plain.startswith('"fry" is not a day I know.')
    assert "Please try again, or /cancel." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "Mon-Fri")
    assert "What time does Day patrol start?" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "9.30")
    assert "And what time does Day patrol end?" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "09:30")
    assert bot.last(ADMIN).plain.startswith("A shift can't end at the time it starts.")
    await bot.tg.send(ADMIN, "17:00")

    card = bot.last(ADMIN).plain
    assert card.startswith("✅ Shift added: Day patrol.")
    assert "Days: Mon–Fri\nTime: 09:30–17:00, Europe/London" in card
    assert "Next: Mon 30 Nov 09:30 to 17:00 (7 h 30 min)" in card
    assert await bot.store.shifts.patterns() == [
        ShiftPattern("Day patrol", frozenset(range(5)), time(9, 30), time(17, 0))
    ]
    assert reschedules == [bot.app]


async def test_add_with_the_name_given_asks_for_the_rest(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/shifts add Friday late")
    assert "Which days does Friday late start on?" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "fri, sat")
    await bot.tg.send(ADMIN, "20:00")
    await bot.tg.send(ADMIN, "03:00")
    assert await bot.store.shifts.patterns() == [late()]


async def test_cancel_while_adding_keeps_nothing(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/shifts add")
    await bot.tg.send(ADMIN, "Friday late")
    await bot.tg.send(ADMIN, "fri")
    await bot.tg.send(ADMIN, "/cancel")
    assert bot.last(ADMIN).plain == common_texts.EDIT_CANCELLED
    assert await bot.store.shifts.patterns() == []
    await bot.tg.send(ADMIN, "20:00")  # no longer read as the start time
    assert await bot.store.shifts.patterns() == []


async def test_edit_days_times_and_name_from_the_card(
    bot: BotHarness, reschedules: list[Any]
) -> None:
    added = await bot.store.shifts.add(late())
    assert added is not None
    await bot.tg.send(ADMIN, "/shifts")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Friday late")
    assert bot.last(ADMIN).plain.startswith("🕗 Friday late")

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Days")
    assert "Which days should Friday late start on? Now: Fri, Sat." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "someday")
    assert bot.last(ADMIN).plain.startswith('"someday" is not a day I know.')
    await bot.tg.send(ADMIN, "thu-sat")
    assert bot.last(ADMIN).plain.startswith("✅ Saved.")
    assert "Days: Thu–Sat" in bot.last(ADMIN).plain

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Start")
    assert "New start time for Friday late? Now: 20:00." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "03:00")  # the same as its end
    assert bot.last(ADMIN).plain.startswith("A shift can't end at the time it starts.")
    await bot.tg.send(ADMIN, "19:30")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "End")
    await bot.tg.send(ADMIN, "23:00")
    assert "Time: 19:30–23:00, Europe/London" in bot.last(ADMIN).plain

    await bot.store.shifts.add(late("Saturday late", frozenset({SAT})))
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    await bot.tg.send(ADMIN, "saturday LATE")
    assert bot.last(ADMIN).plain.startswith(shifts_texts.SHIFT_NAME_TAKEN)
    await bot.tg.send(ADMIN, "Weekend evening")
    assert "Weekend evening" in bot.last(ADMIN).plain

    changed = await bot.store.shifts.get(added.id)
    assert changed is not None
    assert changed.pattern == ShiftPattern(
        "Weekend evening", frozenset({3, 4, 5}), time(19, 30), time(23, 0)
    )
    assert len(reschedules) == 4  # days, start, end, name


async def test_remove_after_confirming(bot: BotHarness, reschedules: list[Any]) -> None:
    added = await bot.store.shifts.add(late())
    assert added is not None
    await bot.tg.send(ADMIN, "/shifts")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Friday late")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Remove")
    assert bot.last(ADMIN).plain.startswith("Remove the shift Friday late?")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Back")
    assert await bot.store.shifts.get(added.id) is not None
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Remove")
    confirm = bot.last(ADMIN)
    await bot.tg.press(ADMIN, confirm, "Yes, remove")

    assert bot.api.callback_answers()[-1]["text"] == "🗑 Removed Friday late."
    assert bot.last(ADMIN).plain.startswith("Shift patterns: none yet.")
    assert await bot.store.shifts.patterns() == []
    assert reschedules == [bot.app]

    await bot.tg.press_data(ADMIN, confirm, f"shf:rmok:{added.id}")  # a second tap
    assert bot.api.callback_answers()[-1]["text"] == shifts_texts.SHIFT_NOT_FOUND
    assert reschedules == [bot.app]


async def test_garbled_shift_buttons_change_nothing(bot: BotHarness) -> None:
    added = await bot.store.shifts.add(late())
    assert added is not None
    await bot.tg.send(ADMIN, "/shifts")
    listing = bot.last(ADMIN)
    for data in ("shf:show:abc", "shf:zzz:1", "shf:rmok:999", "shf:days:999", "shf:rm"):
        await bot.tg.press_data(ADMIN, listing, data)
        assert bot.api.callback_answers()[-1]["text"] in (
            shifts_texts.SHIFT_NOT_FOUND,
            common_texts.STALE_BUTTON,
        ), data
    assert await bot.store.shifts.patterns() == [late()]


async def test_only_admins_manage_shifts(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.store.shifts.add(late())
    await bot.tg.send(ADMIN, "/shifts")
    listing = bot.last(ADMIN)

    await bot.tg.send(OFFICER, "/shifts add Mine | daily | 10:00 | 11:00")
    assert bot.last(OFFICER).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="shifts")
    await bot.tg.press_data(OFFICER, listing, "shf:rmok:1")
    assert bot.api.callback_answers()[-1]["text"] == common_texts.NOT_ALLOWED_BUTTON
    assert await bot.store.shifts.patterns() == [late()]


async def test_a_change_is_saved_even_if_the_scheduler_fails(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(application: Any) -> list[str]:
        raise RuntimeError("scheduler down")

    monkeypatch.setattr(scheduler, "reschedule", broken)
    await bot.tg.send(ADMIN, "/shifts add Friday late | fri,sat | 20:00 | 03:00")
    assert bot.last(ADMIN).plain.startswith("✅ Shift added: Friday late.")
    assert await bot.store.shifts.patterns() == [late()]
