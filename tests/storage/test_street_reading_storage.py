"""Storage for reading quick reports: a member's own location, category uses, migration 0007."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.quick_report import DEFAULT_CATEGORIES
from bot.domain.reports.incidents import ReportSource
from bot.domain.shifts.duty import OwnLocation
from storage import db
from storage.models import ReportIn
from storage.store import Store


def _before_0007() -> str:
    from alembic.script import ScriptDirectory

    down = ScriptDirectory.from_config(db.alembic_config()).get_revision("0007").down_revision
    assert isinstance(down, str)
    return down


_BEFORE_0007 = _before_0007()  # wherever the chain puts it


async def _member(store: Store, telegram_id: int = 501) -> int:
    admin = await store.members.ensure_admin(1, "Ada")
    member, _ = await store.members.request_access(telegram_id, "Olly", None)
    await store.members.approve(member.id or 0, Role.OFFICER, by=admin)
    return member.id or 0


async def test_own_location_is_kept_on_the_duty_and_cleared_at_off(
    store: Store, clock: ManualClock
) -> None:
    member_id = await _member(store)
    assert await store.duty.own_location(member_id) is None  # not on duty
    assert not await store.duty.set_live_location(member_id, 52.60, -1.10)

    duty, _ = await store.duty.start(member_id)
    assert await store.duty.own_location(member_id) is None  # no location given
    clock.advance(timedelta(minutes=2))
    await store.duty.set_location(duty.id or 0, member_id, 52.6012, -1.1034)
    assert await store.duty.own_location(member_id) == OwnLocation(52.6012, -1.1034, clock.now())

    clock.advance(timedelta(minutes=5))
    assert await store.duty.set_live_location(member_id, 52.6031, -1.0987)
    location = await store.duty.own_location(member_id)
    assert location == OwnLocation(52.6031, -1.0987, clock.now())
    assert location is not None and location.at.tzinfo is not None  # aware, read back

    ended = await store.duty.end(member_id)
    assert ended is not None and ended.lat is None and ended.located_at is None
    assert await store.duty.own_location(member_id) is None
    assert not await store.duty.set_live_location(member_id, 52.6, -1.1)


async def test_a_location_given_with_on_counts_from_then(store: Store, clock: ManualClock) -> None:
    member_id = await _member(store)
    await store.duty.start(member_id, lat=52.6, lon=-1.1)
    assert await store.duty.own_location(member_id) == OwnLocation(52.6, -1.1, clock.now())


async def test_duty_closed_automatically_forgets_the_location(store: Store) -> None:
    member_id = await _member(store)
    duty, _ = await store.duty.start(member_id, lat=52.6, lon=-1.1)
    closed = await store.duty.close_automatically(
        duty.id or 0, at=duty.started_at + timedelta(hours=9), chat_id=None, notice=None
    )
    assert closed
    sessions = await store.duty.sessions_between(
        duty.started_at, duty.started_at + timedelta(hours=10)
    )
    assert [(s.lat, s.lon, s.located_at) for s in sessions] == [(None, None, None)]


async def test_category_uses_count_the_members_own_recent_reports(
    store: Store, clock: ManualClock
) -> None:
    await store.categories.seed_defaults()
    member_id = await _member(store)
    other_id = await _member(store, 502)
    member = await store.members.get(member_id)
    other = await store.members.get(other_id)
    assert member is not None and other is not None
    drinking = await store.categories.by_slug("street_drinking")
    theft = await store.categories.by_slug("theft")
    assert drinking is not None and theft is not None

    async def report(category_id: int, by: object) -> None:
        await store.reports.file(
            ReportIn(category_id=category_id, source=ReportSource.QUICK),
            reporter=by,  # type: ignore[arg-type]
            group_chat_id=None,
        )

    await report(theft.id or 0, member)  # long ago: not counted
    clock.advance(timedelta(days=100))
    since = clock.now() - timedelta(days=90)
    await report(drinking.id or 0, member)
    await report(drinking.id or 0, member)
    await report(theft.id or 0, member)
    await report(theft.id or 0, other)
    uses = await store.categories.uses_by(member_id, since=since)
    assert uses == {drinking.id: 2, theft.id: 1}


async def test_defaults_include_welfare_and_theft(store: Store) -> None:
    await store.categories.seed_defaults()
    rules = {rule.slug: rule for rule in await store.categories.rules()}
    assert [c.slug for c in await store.categories.active()] == [
        entry.slug for entry in DEFAULT_CATEGORIES
    ]
    assert rules["welfare"].name == "Welfare / medical" and rules["welfare"].urgent
    assert rules["theft"].name == "Theft / shoplifting" and not rules["theft"].urgent
    assert any(" + " in keyword for keyword in rules["safeguarding"].keywords)


async def test_migration_0007_brings_the_defaults_to_an_existing_database(store: Store) -> None:
    """Down to before 0007 (the defaults as they were), an admin's own touches, and up."""
    await store.categories.seed_defaults()
    await db.downgrade(store.engine, _BEFORE_0007)
    before = {c.slug: c for c in await Store(store.engine, store.clock).categories.all()}
    assert "welfare" not in before and "theft" not in before
    assert "shoplifting" in before["other"].keyword_list  # where it was before 0007
    assert "scrapping" not in before["violence"].keyword_list

    await store.upgrade()
    catalog = Store(store.engine, store.clock).categories  # nothing cached from before
    begging = await catalog.by_slug("begging")
    assert begging is not None
    await catalog.update(begging.id or 0, keywords=[*begging.keyword_list, "tapping people up"])
    await catalog.add("Dog fouling", keywords=["dog mess"], urgent=False)
    await db.downgrade(store.engine, _BEFORE_0007)
    await store.upgrade()

    after = {c.slug: c for c in await catalog.all()}
    for entry in DEFAULT_CATEGORIES:
        keywords = after[entry.slug].keyword_list
        expected = set(entry.keywords) | (
            {"tapping people up"} if entry.slug == "begging" else set()
        )
        assert set(keywords) == expected, entry.slug
        assert after[entry.slug].urgent is entry.urgent
    assert after["dog_fouling"].keyword_list == ("dog mess",)  # an admin's own: untouched
    order = [c.slug for c in await catalog.active()]
    assert order.index("safeguarding") < order.index("welfare") < order.index("theft")
    assert order.index("theft") < order.index("other")
