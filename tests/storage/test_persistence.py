"""DatabasePersistence: PTB's user data and conversation states in the bot_state table."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.domain.reports.report_draft import Step
from storage.state.persistence import DatabasePersistence
from storage.store import Store


def persistence(store: Store) -> DatabasePersistence:
    return DatabasePersistence(store.bot_state)


async def test_user_data_round_trip_and_drop(store: Store) -> None:
    writer = persistence(store)
    draft = {"id": "0a1b2c3d", "done": [1, 2], "place": "Café “Noir” <back>", "lat": 51.5}
    await writer.update_user_data(42, {"report_draft": draft, "count": 3})
    await writer.update_user_data(43, {"other": None})
    await writer.update_user_data(42, {"report_draft": draft, "count": 4})  # replaced

    reader = persistence(store)  # a restarted bot
    assert await reader.get_user_data() == {
        42: {"report_draft": draft, "count": 4},
        43: {"other": None},
    }
    await reader.drop_user_data(42)
    await reader.update_user_data(43, {})  # nothing left: the row goes
    assert await persistence(store).get_user_data() == {}


async def test_entries_that_are_not_json_are_left_out_not_the_whole_user(store: Store) -> None:
    writer = persistence(store)
    when = datetime(2026, 11, 27, tzinfo=UTC)
    await writer.update_user_data(7, {"report_draft": {"id": "x"}, "stray": when})
    assert await persistence(store).get_user_data() == {7: {"report_draft": {"id": "x"}}}


async def test_conversations_round_trip_by_name_and_end(store: Store) -> None:
    writer = persistence(store)
    await writer.update_conversation("report", (42, 42), Step.WHAT)
    await writer.update_conversation("report", (-100, 7), Step.SUMMARY)
    await writer.update_conversation("hotspots", (42, 42), 2)

    reader = persistence(store)
    assert await reader.get_conversations("report") == {(42, 42): 3, (-100, 7): 6}
    assert await reader.get_conversations("hotspots") == {(42, 42): 2}
    assert await reader.get_conversations("nothing") == {}

    await reader.update_conversation("report", (42, 42), None)  # the conversation ended
    assert await persistence(store).get_conversations("report") == {(-100, 7): 6}
    rows = await store.bot_state.get_all("conversation")
    assert json.loads(rows["report:[-100,7]"]) == 6


async def test_what_the_bot_does_not_keep(store: Store) -> None:
    keeper = persistence(store)
    # Chat data is asked for (so PTB forgets the chats it has seen) and never kept.
    assert keeper.store_data.user_data and keeper.store_data.chat_data
    assert not keeper.store_data.bot_data and not keeper.store_data.callback_data
    assert keeper.update_interval == 2.0
    await keeper.update_chat_data(1, {"a": 1})
    await keeper.update_bot_data({"b": 2})
    await keeper.refresh_user_data(1, {})
    await keeper.flush()
    assert await keeper.get_chat_data() == {}
    assert await keeper.get_bot_data() == {}
    assert await keeper.get_callback_data() is None


async def test_unreadable_rows_are_skipped(store: Store) -> None:
    await store.bot_state.put("user_data", "not-a-number", "{}")
    await store.bot_state.put("user_data", "5", "[1, 2]")  # not a dict
    await store.bot_state.put("conversation", "report:[1,1]", "{broken")
    assert await persistence(store).get_user_data() == {}
    assert await persistence(store).get_conversations("report") == {}


async def test_a_user_with_nothing_to_keep_leaves_no_row_and_no_entry(store: Store) -> None:
    keeper = persistence(store)
    for _ in range(3):
        await keeper.update_user_data(11, {})  # a stranger's update, say
    await keeper.drop_user_data(12)
    assert await store.bot_state.get_all("user_data") == {}
    assert keeper._stored == {}
    await keeper.update_user_data(11, {"a": 1})
    await keeper.update_user_data(11, {})
    assert await store.bot_state.get_all("user_data") == {} and keeper._stored == {}


async def test_unchanged_user_data_is_not_written_again(store: Store) -> None:
    keeper = persistence(store)
    await keeper.update_user_data(9, {"a": 1})
    await store.bot_state.delete("user_data", "9")  # behind the keeper's back
    await keeper.update_user_data(9, {"a": 1})  # same as it last wrote: skipped
    assert await store.bot_state.get_all("user_data") == {}
    await keeper.update_user_data(9, {"a": 2})
    assert await persistence(store).get_user_data() == {9: {"a": 2}}
