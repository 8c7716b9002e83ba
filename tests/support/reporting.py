"""Helpers shared by the report tests: people, a hotspot, and photo/voice messages."""

from __future__ import annotations

from typing import Any

from bot.domain.access.roles import Role
from bot.offline.bot_api import ApiCall
from bot.offline.chat import Person
from storage.catalog import HotspotIn
from storage.models import Category, Hotspot
from storage.store import Store
from tests.support.harness import BotHarness

OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
OUTREACH = Person(2004, "Omar", "Outreach")

ELMER = (51.50720, -0.12760)  # Elmer Square's centre
NEAR_ELMER = (51.50750, -0.12760)  # ~33 m north: inside its 150 m radius
FAR_AWAY = (51.60000, -0.12760)  # ~10 km north: outside the 3 km area


async def seed_elmer(store: Store) -> Hotspot:
    hotspot, _ = await store.hotspots.upsert(
        HotspotIn(
            name="Elmer Square", lat=ELMER[0], lon=ELMER[1], radius_m=150, aliases=("the fountain",)
        )
    )
    return hotspot


async def category(store: Store, slug: str) -> Category:
    found = await store.categories.by_slug(slug)
    assert found is not None, slug
    return found


async def officer(bot: BotHarness) -> Person:
    return await bot.member(OFFICER, Role.OFFICER)


async def on_duty(bot: BotHarness, *people: Person) -> None:
    """Put members on duty (as /on would, without its replies): urgent alerts reach them."""
    for person in people:
        member = await bot.store.members.by_telegram_id(person.telegram_id)
        assert member is not None, person
        await bot.store.duty.start(member.id or 0)


async def send_photo(
    bot: BotHarness, person: Person, file_id: str, caption: str | None = None
) -> list[ApiCall]:
    content: dict[str, Any] = {
        "photo": [
            {
                "file_id": f"{file_id}-small",
                "file_unique_id": f"u{file_id}s",
                "width": 90,
                "height": 60,
            },
            {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1280, "height": 960},
        ]
    }
    if caption is not None:
        content["caption"] = caption
    return await bot.tg.process({"message": bot.tg.message(person, **content)})


async def send_voice(bot: BotHarness, person: Person, file_id: str) -> list[ApiCall]:
    content = {"voice": {"file_id": file_id, "file_unique_id": f"u{file_id}", "duration": 4}}
    return await bot.tg.process({"message": bot.tg.message(person, **content)})


def labels(bot: BotHarness, person: Person) -> list[str]:
    return [b["text"] for b in bot.last(person).inline_buttons]


def last_answer(bot: BotHarness) -> str:
    return str(bot.api.callback_answers()[-1].get("text") or "")


async def press_category(bot: BotHarness, person: Person, message: Any, name: str) -> None:
    """Choose a category in the guided picker: through "More…" when it is not among the few
    shown first (the member's most used, then the admins' order)."""
    if name not in [b["text"] for b in message.inline_buttons]:
        await bot.tg.press(person, message, "More…")
    await bot.tg.press(person, message, name)
