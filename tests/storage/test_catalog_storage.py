"""The Categories and Hotspots repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.partnership.csv_export import reports_csv
from bot.domain.quick_report import DEFAULT_CATEGORIES
from storage.catalog import HotspotIn
from storage.models import ReportIn
from storage.store import Store


async def test_defaults_are_seeded_once_in_order(store: Store) -> None:
    names = [c.name for c in await store.categories.all()]
    assert names == [d.name for d in DEFAULT_CATEGORIES]
    assert await store.categories.seed_defaults() == 0
    urgent = {c.slug for c in await store.categories.active() if c.urgent}
    assert urgent == {"weapon", "violence", "safeguarding", "welfare"}


async def test_safeguarding_and_rough_sleeping_are_sensitive_and_admins_mark_others(
    store: Store, clock: ManualClock
) -> None:
    sensitive = {c.slug for c in await store.categories.all() if c.sensitive}
    assert sensitive == {"safeguarding", "rough_sleeping", "welfare"}
    begging = await store.categories.by_slug("begging")
    assert begging is not None and begging.id is not None
    marked = await store.categories.update(begging.id, sensitive=True)
    assert marked is not None and marked.sensitive
    again = await store.categories.get(begging.id)
    assert again is not None and again.sensitive

    # Exports carry the mark, and leave the free text of a sensitive report out.
    reporter = await store.members.ensure_admin(7, "Rita", role=Role.OFFICER)
    safeguarding = await store.categories.by_slug("safeguarding")
    drinking = await store.categories.by_slug("street_drinking")
    assert safeguarding is not None and drinking is not None
    for category in (safeguarding, drinking):
        report = await store.reports.file(
            ReportIn(category_id=category.id or 0, description=f"SECRET about {category.slug}"),
            reporter=reporter,
            group_chat_id=None,
        )
        await store.reports.close(report.id or 0, by=reporter, outcome="SECRET outcome")
    lines = await store.exports.report_lines(clock.now(), clock.now() + timedelta(minutes=1))
    assert [(line.category, line.sensitive) for line in lines] == [
        ("Safeguarding concern", True),
        ("Street drinking", False),
    ]
    content = reports_csv(lines, ZoneInfo("Europe/London")).decode("utf-8-sig")
    assert "SECRET about street_drinking" in content
    assert "SECRET about safeguarding" not in content
    assert content.count("SECRET outcome") == 1


async def test_add_refuses_a_taken_name_or_slug(store: Store) -> None:
    added = await store.categories.add("Fly-tipping", keywords=["dumped", "mattress"], urgent=True)
    assert added is not None and added.slug == "fly_tipping"
    assert added.keyword_list == ("dumped", "mattress") and added.urgent
    last = max(c.sort_order for c in await store.categories.all() if c.id != added.id)
    assert added.sort_order > last

    assert await store.categories.add("FLY-TIPPING", keywords=[], urgent=False) is None
    assert await store.categories.add("Fly tipping", keywords=[], urgent=False) is None  # slug
    assert await store.categories.add("begging", keywords=[], urgent=False) is None


async def test_rename_refuses_a_name_another_category_has(store: Store) -> None:
    begging = await store.categories.by_slug("begging")
    assert begging is not None and begging.id is not None
    assert await store.categories.rename(begging.id, "Weapon SEEN") is None
    assert await store.categories.rename(9999, "Anything") is None

    renamed = await store.categories.rename(begging.id, "BEGGING")  # its own name: fine
    assert renamed is not None and renamed.name == "BEGGING"
    again = await store.categories.get(begging.id)
    assert again is not None and again.name == "BEGGING" and again.slug == "begging"


async def test_update_keywords_urgency_and_retirement(store: Store, clock: ManualClock) -> None:
    drinking = await store.categories.by_slug("street_drinking")
    assert drinking is not None and drinking.id is not None
    await store.categories.update(drinking.id, keywords=["cans", "ci|der", " ", "cans"])
    await store.categories.update(drinking.id, urgent=True)
    retired = await store.categories.update(drinking.id, retired=True)
    assert retired is not None

    stored = await store.categories.get(drinking.id)
    assert stored is not None
    assert stored.keyword_list == ("cans", "ci der") and stored.urgent
    assert stored.retired_at == clock.now() and stored.retired_at.tzinfo is not None
    assert drinking.id not in [c.id for c in await store.categories.active()]
    assert drinking.id not in [r.id for r in await store.categories.rules()]
    assert drinking.id in [c.id for c in await store.categories.all()]

    await store.categories.update(drinking.id, retired=False)
    assert drinking.id in [r.id for r in await store.categories.rules()]
    assert await store.categories.update(9999, urgent=True) is None


async def test_upsert_adds_then_updates_by_name(store: Store, clock: ManualClock) -> None:
    square, created = await store.hotspots.upsert(
        HotspotIn("Elmer Square", 52.6012, -1.1034, 120, ("the fountain", "the fountain", ""))
    )
    assert created and square.alias_list == ("the fountain",)
    clock.advance(minutes=5)
    again, created = await store.hotspots.upsert(HotspotIn("elmer square", 52.6, -1.1, 80))
    assert not created and again.id == square.id
    stored = await store.hotspots.get(square.id or 0)
    assert stored is not None
    assert (stored.name, stored.lat, stored.lon, stored.radius_m) == (
        "elmer square",
        52.6,
        -1.1,
        80,
    )
    assert stored.alias_list == () and stored.created_at == square.created_at


async def test_remove_is_soft_and_upsert_brings_a_place_back(store: Store) -> None:
    square, _ = await store.hotspots.upsert(HotspotIn("Elmer Square", 52.6012, -1.1034))
    removed = await store.hotspots.remove(square.id or 0)
    assert removed is not None and removed.retired_at is not None
    assert await store.hotspots.remove(square.id or 0) is None
    assert await store.hotspots.remove(9999) is None
    assert await store.hotspots.active() == [] and await store.hotspots.places() == []
    assert (await store.hotspots.by_name("ELMER SQUARE")) is not None  # still there

    back, created = await store.hotspots.upsert(HotspotIn("Elmer Square", 52.6, -1.1))
    assert not created and back.id == square.id and back.retired_at is None


async def test_rename_and_update(store: Store) -> None:
    square, _ = await store.hotspots.upsert(HotspotIn("Elmer Square", 52.6012, -1.1034))
    station, _ = await store.hotspots.upsert(HotspotIn("Bus Station", 52.6031, -1.0987))
    assert await store.hotspots.rename(square.id or 0, "BUS STATION") is None
    assert await store.hotspots.rename(9999, "Anywhere") is None
    renamed = await store.hotspots.rename(square.id or 0, "Elmer Sq")
    assert renamed is not None and renamed.name == "Elmer Sq"

    updated = await store.hotspots.update(
        square.id or 0, radius_m=250, aliases=["the fountain", "square"]
    )
    assert updated is not None
    only_aliases = await store.hotspots.update(square.id or 0, aliases=["the fountain"])
    assert only_aliases is not None and only_aliases.radius_m == 250
    place = next(p for p in await store.hotspots.places() if p.id == square.id)
    assert place.radius_m == 250 and place.aliases == ("the fountain",)

    await store.hotspots.remove(station.id or 0)
    assert await store.hotspots.update(station.id or 0, radius_m=50) is None
    assert await store.hotspots.update(9999, radius_m=50) is None


async def test_upsert_many_counts_and_is_all_or_nothing(store: Store) -> None:
    await store.hotspots.upsert(HotspotIn("Bus Station", 52.6031, -1.0987))
    added, updated = await store.hotspots.upsert_many(
        [
            HotspotIn("Elmer Square", 52.6012, -1.1034, 150, ("the fountain",)),
            HotspotIn("bus station", 52.6032, -1.0988, 80),
        ]
    )
    assert (added, updated) == (1, 1)
    station = await store.hotspots.by_name("Bus Station")
    assert station is not None and station.radius_m == 80 and station.name == "bus station"

    broken = HotspotIn("Broken", None, -1.1)  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        await store.hotspots.upsert_many([HotspotIn("Market Street", 52.6, -1.1), broken])
    assert await store.hotspots.by_name("Market Street") is None
    assert len(await store.hotspots.active()) == 2


async def test_most_used_orders_by_report_count(store: Store) -> None:
    reporter = await store.members.ensure_admin(42, "Rita Reporter", None, role=Role.OFFICER)
    other = await store.categories.by_slug("other")
    assert other is not None and other.id is not None
    ids: dict[str, int] = {}
    for name in ("Anchor Yard", "Bus Station", "Castle Gate", "Dock Road", "Elmer Square"):
        hotspot, _ = await store.hotspots.upsert(HotspotIn(name, 52.6, -1.1))
        ids[name] = hotspot.id or 0
    reports = {"Bus Station": 3, "Dock Road": 1, "Elmer Square": 5, "Castle Gate": 0}
    for name, count in reports.items():
        for _ in range(count):
            draft = ReportIn(category_id=other.id, hotspot_id=ids[name])
            await store.reports.file(draft, reporter=reporter, group_chat_id=None)
    await store.reports.file(ReportIn(category_id=other.id), reporter=reporter, group_chat_id=None)
    await store.hotspots.remove(ids["Elmer Square"])  # most used, but retired

    names = [h.name for h in await store.hotspots.most_used()]
    assert names == ["Bus Station", "Dock Road", "Anchor Yard", "Castle Gate"]
    assert [h.name for h in await store.hotspots.most_used(limit=2)] == [
        "Bus Station",
        "Dock Road",
    ]
