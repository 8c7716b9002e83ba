"""The quick-report matcher's categories and hotspots: read again when they change."""

from __future__ import annotations

from handlers.reports.draft import VOCABULARY_REREAD
from storage.catalog import HotspotIn
from storage.store import Store
from tests.support.harness import BotHarness
from tests.support.reporting import OFFICER, category, officer, seed_elmer

MESSAGE = "lads drinking outside the Corn Exchange"
NOT_A_HOTSPOT = "🔎 Street drinking outside the Corn Exchange?"  # kept as the place text
CORN_EXCHANGE = HotspotIn(name="Corn Exchange", lat=51.5080, lon=-0.1270)


async def propose(bot: BotHarness, text: str = MESSAGE) -> str:
    """The proposal a quick report gets (then cancelled, so the next one is new)."""
    await bot.tg.send(OFFICER, text)
    proposal = bot.last(OFFICER).plain
    await bot.tg.send(OFFICER, "/cancel")
    return proposal


async def test_changes_made_here_count_at_once(bot: BotHarness) -> None:
    elmer = await seed_elmer(bot.store)
    await officer(bot)
    assert (await propose(bot)).startswith(NOT_A_HOTSPOT)

    await bot.store.hotspots.upsert(CORN_EXCHANGE)
    assert (await propose(bot)).startswith("🔎 Street drinking at Corn Exchange?")

    drinking = await category(bot.store, "street_drinking")
    await bot.store.categories.update(drinking.id or 0, retired=True)
    assert not (await propose(bot)).startswith("🔎 Street drinking")

    await bot.store.hotspots.remove(elmer.id or 0)
    assert "Elmer Square" not in await propose(bot, "a fight at Elmer Square")


async def test_changes_made_by_another_process_count_after_the_reread_time(
    bot: BotHarness,
) -> None:
    await officer(bot)
    assert (await propose(bot)).startswith(NOT_A_HOTSPOT)

    # Another process (`tcag hotspots import`): the same database, a store of its own.
    elsewhere = Store(bot.store.engine, bot.clock)
    await elsewhere.hotspots.upsert(CORN_EXCHANGE)
    assert (await propose(bot)).startswith(NOT_A_HOTSPOT)

    bot.clock.advance(VOCABULARY_REREAD)
    assert (await propose(bot)).startswith("🔎 Street drinking at Corn Exchange?")
