"""/hotspots: admins add a place by location and name, set radius and aliases, rename, remove."""

from __future__ import annotations

import pytest

from bot.domain.access.roles import Role
from bot.offline.chat import Person
from bot.texts import common as common_texts
from bot.texts.admin import catalog as catalog_texts
from storage.catalog import HotspotIn
from storage.models import Hotspot
from tests.support.harness import ADMIN, BotHarness

OFFICER = Person(2002, "Olly", "Officer")
SECOND_ADMIN = Person(1002, "Bea", "Admin")
SQUARE = (52.6012, -1.1034)


async def add_hotspot(bot: BotHarness, name: str, point: tuple[float, float] = SQUARE) -> None:
    await bot.tg.send(ADMIN, "/hotspots")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Add a hotspot")
    await bot.tg.share_location(ADMIN, *point)
    await bot.tg.send(ADMIN, name)


async def hotspot(bot: BotHarness, name: str) -> Hotspot:
    found = await bot.store.hotspots.by_name(name)
    assert found is not None, name
    return found


async def test_empty_list_offers_to_add(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/hotspots")
    shown = bot.last(ADMIN)
    assert shown.plain == catalog_texts.NO_HOTSPOTS
    assert [b["text"] for b in shown.inline_buttons] == ["➕ Add a hotspot"]


@pytest.mark.pg_smoke
async def test_add_by_location_then_name(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/hotspots")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Add a hotspot")
    assert bot.last(ADMIN).plain == catalog_texts.HOTSPOT_ASK_LOCATION
    await bot.tg.share_location(ADMIN, *SQUARE)
    assert bot.last(ADMIN).plain == catalog_texts.HOTSPOT_ASK_NAME
    await bot.tg.send(ADMIN, "Elmer Square")

    card = bot.last(ADMIN)
    assert "Hotspot added: Elmer Square, radius 100 m" in card.plain
    assert "Centre: 52.601200, -1.103400" in card.plain and "Also called: none" in card.plain
    labels = [b["text"] for b in card.inline_buttons]
    assert labels == [
        "📏 Set radius",
        "🏷 Add aliases",
        "✏️ Rename",
        "🗑 Remove",
        "◀ All hotspots",
    ]
    added = await hotspot(bot, "Elmer Square")
    assert (added.lat, added.lon, added.radius_m) == (*SQUARE, 100.0)
    assert added.created_at == bot.clock.now()
    assert [p.name for p in await bot.store.hotspots.places()] == ["Elmer Square"]


async def test_add_with_the_command_and_typed_coordinates(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/hotspots add")
    assert bot.last(ADMIN).plain == catalog_texts.HOTSPOT_ASK_LOCATION
    await bot.tg.send(ADMIN, "by the fountain")
    assert "Please share a location" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "95.1, -1.1")
    assert "Latitude must be between -90 and 90 degrees; got 95.1." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "52.6031, -1.0987")
    assert bot.last(ADMIN).plain == catalog_texts.HOTSPOT_ASK_NAME
    await bot.tg.send(ADMIN, "Bus Station")

    station = await hotspot(bot, "Bus Station")
    assert (station.lat, station.lon) == (52.6031, -1.0987)


async def test_list_shows_name_radius_and_alias_count(bot: BotHarness) -> None:
    await bot.store.hotspots.upsert(
        HotspotIn("Elmer Square", *SQUARE, 150, ("the fountain", "the square"))
    )
    await bot.store.hotspots.upsert(HotspotIn("Bus Station", 52.6031, -1.0987))
    await bot.tg.send(ADMIN, "/hotspots")

    shown = bot.last(ADMIN)
    assert "Hotspots (2)" in shown.plain
    assert "• Bus Station — 100 m" in shown.plain
    assert "• Elmer Square — 150 m, 2 aliases" in shown.plain
    labels = [b["text"] for b in shown.inline_buttons]
    assert labels == ["📍 Bus Station", "📍 Elmer Square", "➕ Add a hotspot"]


async def test_set_radius_refuses_bad_values(bot: BotHarness) -> None:
    await add_hotspot(bot, "Elmer Square")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Set radius")
    assert "Now 100 m" in bot.last(ADMIN).plain

    await bot.tg.send(ADMIN, "wide")
    assert "number of metres" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "5")
    assert "The radius must be 10–5000 m; got 5." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "5001")
    assert "got 5001" in bot.last(ADMIN).plain
    assert (await hotspot(bot, "Elmer Square")).radius_m == 100

    await bot.tg.send(ADMIN, "150 m")
    assert "Radius saved" in bot.last(ADMIN).plain and "Radius: 150 m" in bot.last(ADMIN).plain
    assert (await hotspot(bot, "Elmer Square")).radius_m == 150


async def test_aliases_set_add_and_clear(bot: BotHarness) -> None:
    await add_hotspot(bot, "Elmer Square")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Add aliases")
    await bot.tg.send(ADMIN, "the fountain, fountain square")
    assert "Also called: the fountain, fountain square" in bot.last(ADMIN).plain
    assert (await hotspot(bot, "Elmer Square")).alias_list == ("the fountain", "fountain square")

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Change aliases")
    await bot.tg.send(ADMIN, "+ the square")
    assert (await hotspot(bot, "Elmer Square")).alias_list == (
        "the fountain",
        "fountain square",
        "the square",
    )
    places = await bot.store.hotspots.places()
    assert "the square" in places[0].aliases

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Change aliases")
    await bot.tg.send(ADMIN, "x, the fountain")
    assert "Each alias must be 2–80 characters" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "-")
    assert (await hotspot(bot, "Elmer Square")).alias_list == ()


async def test_rename_and_duplicate_names(bot: BotHarness) -> None:
    await add_hotspot(bot, "Bus Station", (52.6031, -1.0987))
    await add_hotspot(bot, "Elmer Square")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    await bot.tg.send(ADMIN, "bus station")
    assert catalog_texts.HOTSPOT_NAME_TAKEN in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "E" * 81)
    assert "at most 80 characters; yours has 81" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "Elmer Square (fountain end)")

    assert "Renamed" in bot.last(ADMIN).plain
    assert await bot.store.hotspots.by_name("Elmer Square") is None
    assert await hotspot(bot, "Elmer Square (fountain end)")


async def test_adding_a_taken_name_keeps_asking(bot: BotHarness) -> None:
    await add_hotspot(bot, "Elmer Square")
    await add_hotspot(bot, "ELMER SQUARE", (52.6, -1.1))
    assert catalog_texts.HOTSPOT_NAME_TAKEN in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "x")
    assert "at least 2 characters" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "Market Street")

    assert [h.name for h in await bot.store.hotspots.active()] == ["Elmer Square", "Market Street"]
    assert (await hotspot(bot, "Elmer Square")).lat == SQUARE[0]


async def test_remove_asks_then_retires(bot: BotHarness) -> None:
    await add_hotspot(bot, "Elmer Square")
    card = bot.last(ADMIN)
    await bot.tg.press(ADMIN, card, "Remove")
    assert "Remove Elmer Square? Old reports keep it" in card.plain
    await bot.tg.press(ADMIN, card, "Back")
    assert (await hotspot(bot, "Elmer Square")).retired_at is None

    await bot.tg.press(ADMIN, card, "Remove")
    await bot.tg.press(ADMIN, card, "Yes, remove")
    assert bot.api.callback_answers()[-1]["text"] == "🗑 Removed Elmer Square."
    assert card.plain == catalog_texts.NO_HOTSPOTS
    removed = await hotspot(bot, "Elmer Square")
    assert removed.retired_at == bot.clock.now()
    assert await bot.store.hotspots.places() == []

    await bot.tg.press_data(ADMIN, card, f"hot:show:{removed.id}")
    assert bot.api.callback_answers()[-1]["text"] == catalog_texts.HOTSPOT_NOT_FOUND
    await bot.tg.press_data(ADMIN, card, f"hot:rad:{removed.id}")
    assert bot.api.callback_answers()[-1]["text"] == catalog_texts.HOTSPOT_NOT_FOUND


async def test_adding_a_removed_name_brings_it_back_at_the_new_place(bot: BotHarness) -> None:
    await bot.store.hotspots.upsert(HotspotIn("Elmer Square", *SQUARE, 150, ("the fountain",)))
    old = await hotspot(bot, "Elmer Square")
    await bot.store.hotspots.remove(old.id or 0)

    await add_hotspot(bot, "Elmer Square", (52.6, -1.1))

    back = await hotspot(bot, "Elmer Square")
    assert back.id == old.id and back.retired_at is None
    assert (back.lat, back.lon, back.radius_m) == (52.6, -1.1, 100)
    assert back.alias_list == ("the fountain",)


async def test_cancel_after_the_location_adds_nothing(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/hotspots add")
    await bot.tg.share_location(ADMIN, *SQUARE)
    await bot.tg.send(ADMIN, "/cancel")
    assert bot.last(ADMIN).plain == common_texts.EDIT_CANCELLED

    await bot.tg.send(ADMIN, "Elmer Square")
    assert await bot.store.hotspots.active() == []
    assert bot.last(ADMIN).plain != catalog_texts.HOTSPOT_ASK_NAME


async def test_a_photo_or_sticker_while_waiting_for_the_location(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/hotspots add")
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u1",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    await bot.tg.process({"message": bot.tg.message(ADMIN, sticker=sticker)})
    assert "Please share a location" in bot.last(ADMIN).plain
    await bot.tg.share_location(ADMIN, *SQUARE)
    await bot.tg.share_location(ADMIN, *SQUARE)  # a second location where a name is due
    assert bot.last(ADMIN).plain == common_texts.TYPE_THE_ANSWER


async def test_only_the_admin_in_the_flow_has_a_location_read_as_a_hotspot(
    bot: BotHarness,
) -> None:
    await bot.member(SECOND_ADMIN, Role.COORDINATOR, admin=True)
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(ADMIN, "/hotspots add")

    await bot.tg.share_location(SECOND_ADMIN, *SQUARE)
    await bot.tg.share_location(OFFICER, *SQUARE)
    for person in (SECOND_ADMIN, OFFICER):
        assert bot.last(person).plain != catalog_texts.HOTSPOT_ASK_NAME

    await bot.tg.share_location(ADMIN, *SQUARE)
    assert bot.last(ADMIN).plain == catalog_texts.HOTSPOT_ASK_NAME
    await bot.tg.send(SECOND_ADMIN, "Hijacked")
    await bot.tg.send(ADMIN, "Elmer Square")
    assert [h.name for h in await bot.store.hotspots.active()] == ["Elmer Square"]


async def test_officers_cannot_manage_hotspots(bot: BotHarness) -> None:
    await bot.store.hotspots.upsert(HotspotIn("Elmer Square", *SQUARE))
    square = await hotspot(bot, "Elmer Square")
    await bot.member(OFFICER, Role.OFFICER)

    await bot.tg.send(OFFICER, "/hotspots")
    assert bot.last(OFFICER).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="hotspots")
    for data in ("hot:add", f"hot:rmok:{square.id}", f"hot:ren:{square.id}"):
        await bot.tg.press_data(OFFICER, bot.last(OFFICER), data)
        assert bot.api.callback_answers()[-1]["text"] == common_texts.NOT_ALLOWED_BUTTON
    assert (await hotspot(bot, "Elmer Square")).retired_at is None
