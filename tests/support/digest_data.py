"""One Friday late shift of known figures (and the same shift a week before) for digests.

The shift: Friday 27 Nov 2026 20:00 – Saturday 03:00, Europe/London (GMT, so UTC too).

This shift, 7 reports (plus one just before the start and one at the end, both outside):
  20:00 street drinking, Elmer Square        00:10 street drinking, Elmer Square
  20:30 street drinking, Market Street       02:59 violence (urgent), Market Street,
  21:15 begging, Elmer Square                      never acknowledged, escalated
  21:45 weapon (urgent), Elmer Square,
        Cara attending after 3 min, closed
  23:59 antisocial behaviour, a typed place (no hotspot)
The same shift last week: 1 street drinking (Elmer Square), 2 begging (Market Street).
seed_night adds the outreach (a contact with a new person, an anonymous one, and at 01:30 a
rough sleeping report at Market Street: an 8th report, and a referral) and the duty: Olly
19:50–03:05, Wendy 22:00–01:00 (and 10:00–12:00, 18:00–20:00: outside), Cara 20:00–05:00
closed automatically, Omar on since 02:00 (still on at 03:30).
Every free text carries SECRET, so tests can check none of it leaks into a digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.context import Services
from bot.domain.access.roles import Role
from bot.domain.alerts.escalation import EscalationLadder
from bot.domain.clock import ManualClock
from bot.domain.outreach import Action, Need
from bot.domain.reports.incidents import AckKind
from bot.domain.shifts.shift_windows import ShiftOccurrence
from storage.catalog import HotspotIn
from storage.models import Hotspot, Member, Report, ReportIn
from storage.outreach.inputs import ContactIn, PersonIn
from storage.store import Store

SHIFT_START = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
SHIFT_END = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
SHIFT = ShiftOccurrence("Friday late", SHIFT_START.date(), SHIFT_START, SHIFT_END)
SECRET = "SECRET"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class People:
    olly: Member  # officer
    wendy: Member  # warden
    cara: Member  # coordinator
    omar: Member  # outreach


@dataclass
class Night:
    people: People
    elmer: Hotspot
    market: Hotspot
    weapon: Report
    violence: Report


async def join(store: Store, telegram_id: int, name: str, role: Role) -> Member:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(role, by=admin, ttl=timedelta(hours=1))
    result = await store.invites.redeem(code, telegram_id=telegram_id, name=name, username=None)
    assert result.member is not None
    return result.member


async def people(store: Store) -> People:
    return People(
        olly=await join(store, 2002, "Olly", Role.OFFICER),
        wendy=await join(store, 2003, "Wendy", Role.WARDEN),
        cara=await join(store, 2005, "Cara", Role.COORDINATOR),
        omar=await join(store, 2004, "Omar", Role.OUTREACH),
    )


async def hotspots(store: Store) -> tuple[Hotspot, Hotspot]:
    elmer, _ = await store.hotspots.upsert(
        HotspotIn(name="Elmer Square", lat=51.5072, lon=-0.1276, radius_m=150)
    )
    market, _ = await store.hotspots.upsert(
        HotspotIn(name="Market Street", lat=51.5090, lon=-0.1300, radius_m=100)
    )
    return elmer, market


async def file(
    store: Store,
    clock: ManualClock,
    reporter: Member,
    slug: str,
    when: datetime,
    hotspot: Hotspot | None = None,
    **fields: object,
) -> Report:
    clock.set(when)
    category = await store.categories.by_slug(slug)
    assert category is not None, slug
    draft = ReportIn(
        category_id=category.id or 0,
        hotspot_id=hotspot.id if hotspot else None,
        description=f"{SECRET} description of what happened",
        **fields,  # type: ignore[arg-type]
    )
    return await store.reports.file(draft, reporter=reporter, group_chat_id=None)


async def duty(
    store: Store,
    clock: ManualClock,
    member: Member,
    start: datetime,
    end: datetime | None,
    *,
    auto: bool = False,
) -> None:
    """/on at `start` and /off at `end` (or closed automatically at `end`, or left open)."""
    clock.set(start)
    session, _ = await store.duty.start(member.id or 0)
    if end is None:
        return
    clock.set(end)
    if auto:
        await store.duty.close_automatically(session.id or 0, at=end, chat_id=None, notice=None)
    else:
        await store.duty.end(member.id or 0)


async def seed_reports(store: Store, clock: ManualClock) -> Night:
    """The reports of the night and of the week before, as the docstring lists them."""
    crew = await people(store)
    elmer, market = await hotspots(store)
    olly = crew.olly
    await file(store, clock, olly, "street_drinking", at(27, 19, 59), elmer)  # before
    await file(store, clock, olly, "street_drinking", at(27, 20, 0), elmer)
    await file(store, clock, olly, "street_drinking", at(27, 20, 30), market)
    await file(store, clock, olly, "begging", at(27, 21, 15), elmer)
    weapon = await file(store, clock, olly, "weapon", at(27, 21, 45), elmer, urgent=True)
    clock.set(at(27, 21, 48))
    await store.reports.acknowledge(weapon.id or 0, by=crew.cara, kind=AckKind.ATTENDING)
    clock.set(at(27, 22, 30))
    await store.reports.close(weapon.id or 0, by=crew.cara, outcome=f"{SECRET} outcome")
    await file(store, clock, olly, "asb", at(27, 23, 59), place_text=f"{SECRET} back lane")
    await file(store, clock, olly, "street_drinking", at(28, 0, 10), elmer)
    violence = await file(store, clock, olly, "violence", at(28, 2, 59), market, urgent=True)
    clock.set(at(28, 3, 4))
    first_step = EscalationLadder().step(1)
    assert first_step is not None
    await store.alerts.escalate(
        violence.id or 0, first_step, group_chat_id=None, claimed_by="tests"
    )
    await file(store, clock, olly, "begging", at(28, 3, 0), elmer)  # at the end: outside
    # The same shift a week before.
    await file(store, clock, olly, "street_drinking", at(20, 21, 0), elmer)
    await file(store, clock, olly, "begging", at(20, 22, 0), market)
    await file(store, clock, olly, "begging", at(21, 1, 0), market)
    return Night(crew, elmer, market, weapon, violence)


async def seed_night(store: Store, clock: ManualClock) -> Night:
    """Reports, outreach and duty for the shift; leaves the clock at 03:30."""
    night = await seed_reports(store, clock)
    crew = night.people
    clock.set(at(27, 22, 40))
    await store.contacts.log_contact(
        ContactIn(
            new_person=PersonIn(alias=f"{SECRET}alias", appearance=f"{SECRET} green coat"),
            place_text=f"{SECRET} bus shelter",
            bedded_down=True,
            needs=[Need.FOOD],
            actions=[Action.STREETLINK],
            notes=f"{SECRET} notes",
        ),
        worker=crew.omar,
    )
    clock.set(at(27, 23, 10))
    await store.contacts.log_contact(ContactIn(hotspot_id=night.elmer.id), worker=crew.omar)
    await file(store, clock, crew.olly, "rough_sleeping", at(28, 1, 30), night.market)
    await duty(store, clock, crew.olly, at(27, 19, 50), at(28, 3, 5))
    await duty(store, clock, crew.wendy, at(27, 10, 0), at(27, 12, 0))  # that morning: outside
    await duty(store, clock, crew.wendy, at(27, 18, 0), at(27, 20, 0))  # ends at the start
    await duty(store, clock, crew.wendy, at(27, 22, 0), at(28, 1, 0))
    await duty(store, clock, crew.cara, at(27, 20, 0), at(28, 5, 0), auto=True)
    await duty(store, clock, crew.omar, at(28, 2, 0), None)
    clock.set(at(28, 3, 30))
    return night


def services(store: Store, clock: ManualClock, settings: Settings) -> Services:
    return Services(settings=settings, store=store, clock=clock)
