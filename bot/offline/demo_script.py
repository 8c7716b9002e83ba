"""The evening `tcag demo` plays: its date, town, cast and group, what people do and when,
and the weeks of earlier shifts seeded before it. `bot.offline.demo` runs it."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.outreach import Action as OutreachAction
from bot.domain.outreach import AgeBand, Need, SleepingSite
from bot.domain.reports.incidents import AckKind
from bot.offline.chat import Person
from storage.models import Category, Hotspot, Member, ReportIn
from storage.outreach.inputs import ContactIn, PersonIn
from storage.store import Store

if TYPE_CHECKING:
    from bot.offline.demo import Evening

TIMEZONE = "Europe/London"
EVENING = date(2026, 11, 27)  # a Friday
GROUP_CHAT_ID = -1_000_000_000_002  # the demo's coordinators' group
GROUP_NAME = "Coordinators' group"
HISTORY_WEEKS = 12  # of earlier shifts seeded, so the figures have something to compare with

ALEX = Person(100_001, "Alex", "Admin", "alex_admin")  # admin, coordinator
OLLY = Person(100_002, "Olly", "Officer")
WENDY = Person(100_003, "Wendy", "Warden")
OMAR = Person(100_004, "Omar", "Outreach")
# Colleagues who patrolled the earlier weeks (the seeded history); they stay at home tonight.
PAT = Person(100_005, "Pat", "Patel")
WILL = Person(100_006, "Will", "Walker")
ROSA = Person(100_007, "Rosa", "Reid")
EVERYONE = (ALEX, OLLY, WENDY, OMAR, PAT, WILL, ROSA)

# A small town: the first six places of examples/hotspots.csv, with their aliases.
HOTSPOTS_CSV = """\
name,lat,lon,radius_m,aliases
Elmer Square,52.60120,-1.10340,80,the fountain|the square|fountain square
Bus Station,52.60310,-1.09870,120,bus stn|the bus station|coach station
Market Street,52.60050,-1.10090,150,market st|the market
Riverside Walk,52.59810,-1.10620,250,the river|towpath|riverside
Multi-storey car park,52.59960,-1.09820,90,multi storey|the multi-storey|car park
Kings Arms,52.60160,-1.09970,40,the kings|kings arms pub
"""
MARKET_STREET = (52.60062, -1.10101)  # where Wendy stands when she reports

_REFERENCE = re.compile(r"R-\d+")


class DemoError(Exception):
    """The script met something it did not expect: the bot changed under it."""


# ---- the evening -----------------------------------------------------------------------------
def local(tz: ZoneInfo, hour: int, minute: int = 0) -> datetime:
    """A time of the demo's evening (hours before noon are the next morning), in UTC."""
    day = EVENING if hour >= 12 else EVENING + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


async def play_evening(evening: Evening) -> None:
    """The script. Each step moves the clock on, then people act through the bot."""
    t = evening.transcript

    t.heading("Alex Admin, the coordinator on duty tonight, sets up the shift")
    await evening.say(ALEX, "/shifts add Friday late | fri,sat | 20:00 | 03:00")
    await evening.until(19, 31)
    t.heading("Three new colleagues join by invite")
    await evening.join(OLLY, "officer")
    await evening.join(WENDY, "warden")
    await evening.join(OMAR, "outreach")
    await evening.until(19, 38)
    await evening.say(
        ALEX,
        "/brief add Christmas lights switch-on in Market Street until 22:00: "
        "big crowds, keep an eye on the car park",
    )

    t.heading(
        "15 minutes before the shift: the briefing goes to the coordinators",
        local(evening.tz, 19, 45),
    )
    await evening.until(19, 45)

    await evening.until(20, 0)
    t.heading("The shift starts: the team goes on duty (each gets the briefing)")
    await evening.say(OLLY, "/on")
    await evening.until(20, 1)
    await evening.say(WENDY, "/on")
    await evening.until(20, 2)
    await evening.say(OMAR, "/on")
    await evening.until(20, 5)
    await evening.say(ALEX, "/duty")

    await evening.until(20, 41)
    t.heading("A quick report: a plain message is read for a category and a place")
    await evening.say(OLLY, "3 lads drinking by the fountain in Elmer Square")
    await evening.press(OLLY, "Confirm")

    await evening.until(21, 8)
    t.heading("A guided report: weapon seen, with a location and a photo (urgent)")
    await evening.say(WENDY, "/report")
    await evening.press(WENDY, "Weapon seen")
    await evening.share_location(WENDY, *MARKET_STREET)
    await evening.send_photo(WENDY, "demo-photo-market-street")
    await evening.say(
        WENDY, "Lad in a black puffer showing a knife to a group outside the phone shop"
    )
    await evening.press(WENDY, "4-9")
    await evening.press(WENDY, "Urgent")
    await evening.press(WENDY, "Confirm")
    urgent = _REFERENCE.search(evening.last_text(WENDY))
    if urgent is None:
        raise DemoError("no reference in the reply to the urgent report")

    await evening.until(21, 10)
    t.heading("An officer attends: every copy says so, and the reporter hears of it")
    await evening.press(OLLY, "Attending")

    await evening.until(21, 13)
    t.heading("The coordinator acknowledges in the group: every copy of the alert says so")
    await evening.press(ALEX, "Acknowledge", in_group=True)

    await evening.until(22, 6)
    t.heading("Rough sleeping: the report becomes a referral for outreach")
    await evening.say(OLLY, "man sleeping rough in the doorway of the kings arms")
    await evening.press(OLLY, "Confirm")

    await evening.until(22, 31)
    t.heading("Outreach works the referral queue and logs the contact")
    await evening.say(OMAR, "/referrals")
    await evening.press(OMAR, "Log contact")
    await evening.press(OMAR, "New person")
    await evening.say(OMAR, "Kingsley")
    await evening.press(OMAR, "36–50")
    await evening.say(OMAR, "grey hoodie, small black dog")
    await evening.press(OMAR, "Where the referral was")
    await evening.press(OMAR, "Doorway")
    await evening.press(OMAR, "Unknown")
    await evening.press(OMAR, "Accommodation")
    await evening.press(OMAR, "Alcohol")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "StreetLink")
    await evening.press(OMAR, "Hostel")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Yes")
    await evening.say(OMAR, "Will try the night shelter tomorrow; dog can go too")
    await evening.press(OMAR, "Save")

    await evening.until(23, 20)
    t.heading("Another contact, anonymous, at the bus station")
    await evening.say(OMAR, "/contact")
    await evening.press(OMAR, "Anonymous")
    await evening.press(OMAR, "Bus Station")
    await evening.press(OMAR, "Begging pitch")
    await evening.press(OMAR, "Unknown")
    await evening.press(OMAR, "Food")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Declined")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Skip")
    await evening.press(OMAR, "Save")

    await evening.until(0, 30)
    t.heading("The coordinator reviews open urgent incidents and closes one")
    await evening.say(ALEX, "/open")
    await evening.say(ALEX, f"/close {urgent.group(0)} Two arrested, knife recovered by police")

    await evening.until(1, 17)
    t.heading("Criminal damage in the car park")
    await evening.say(WENDY, "bins set on fire in the multi-storey car park")
    await evening.press(WENDY, "Confirm")

    await evening.until(2, 45)
    t.heading("Outreach finishes the round")
    await evening.say(OMAR, "/off")

    t.heading(
        "The shift ends: the digest, with its chart, goes to the coordinators",
        local(evening.tz, 3, 0),
    )
    await evening.until(3, 0)
    await evening.until(3, 5)
    t.heading("The team goes off duty")
    await evening.say(OLLY, "/off")
    await evening.say(WENDY, "/off")


# ---- the weeks before ------------------------------------------------------------------------
@dataclass
class History:
    """What the earlier weeks left in the database, for the summary line."""

    reports: int = 0
    urgent: int = 0
    contacts: int = 0
    people: list[int] = field(default_factory=list)


_NIGHT_CATEGORIES = (
    ("street_drinking", 6), ("asb", 5), ("drunk_disorderly", 4), ("begging", 3),
    ("drug_dealing", 3), ("suspicious", 3), ("criminal_damage", 2), ("gang", 1),
    ("violence", 1), ("weapon", 1),
)  # fmt: skip
_ALIASES = ("Johnny", "Big Mick", "Sal", "Tiny", "Dee", "Scouse Kev", "Marta")


async def seed_history(store: Store, clock: ManualClock, tz: ZoneInfo, alex: Member) -> History:
    """Weeks of Friday and Saturday shifts, a quiet week since, and a referral left open.

    Deterministic: the same figures every run. Filed through the store as at their times,
    with nobody on duty and no group named, so no alert is queued for the past.
    """
    rng = random.Random(2026)
    history = History()
    categories = {c.slug: c for c in await store.categories.active()}
    places = await store.hotspots.active()
    colleagues = [await _colleague(store, p, r, alex) for p, r in _HISTORY_TEAM]
    patrols, outreach = colleagues[:2], colleagues[2]
    slugs = [slug for slug, _ in _NIGHT_CATEGORIES]
    weights = [weight for _, weight in _NIGHT_CATEGORIES]

    for nights_ago in range(HISTORY_WEEKS * 7, 0, -1):
        day = EVENING - timedelta(days=nights_ago)
        if day.weekday() not in (4, 5):  # Friday and Saturday nights
            continue
        start = datetime(day.year, day.month, day.day, 20, 0, tzinfo=tz)
        for _ in range(rng.randint(3, 7)):
            at = start + timedelta(minutes=rng.randrange(0, 7 * 60))
            slug = rng.choices(slugs, weights)[0]
            await _past_report(
                store, clock, rng, history, at, categories[slug], rng.choice(places),
                rng.choice(patrols), alex,
            )  # fmt: skip
        for _ in range(rng.randint(1, 3)):
            at = start + timedelta(minutes=rng.randrange(30, 6 * 60))
            await _past_contact(store, clock, rng, history, at, rng.choice(places), outreach)
    # The week since: a few daytime reports, and a rough sleeper nobody has found yet.
    for day_offset, hour, slug in ((-3, 15, "begging"), (-2, 11, "asb"), (-1, 16, "suspicious")):
        at = datetime(EVENING.year, EVENING.month, EVENING.day, hour, 10, tzinfo=tz)
        await _past_report(
            store, clock, rng, history, at + timedelta(days=day_offset), categories[slug],
            rng.choice(places), patrols[1], alex,
        )  # fmt: skip
    wednesday = datetime(EVENING.year, EVENING.month, EVENING.day, 14, 5, tzinfo=tz)
    await _past_report(
        store, clock, rng, history, wednesday - timedelta(days=2), categories["rough_sleeping"],
        next(p for p in places if p.name == "Riverside Walk"), patrols[0], alex,
        description="Tent under the footbridge",
    )  # fmt: skip
    return history


_HISTORY_TEAM = ((PAT, Role.OFFICER), (WILL, Role.WARDEN), (ROSA, Role.OUTREACH))


async def _colleague(store: Store, person: Person, role: Role, alex: Member) -> Member:
    pending, _ = await store.members.request_access(person.telegram_id, person.name, None)
    member = await store.members.approve(pending.id or 0, role, by=alex)
    if member is None:
        raise DemoError(f"could not add {person.name}")
    return member


async def _past_report(
    store: Store,
    clock: ManualClock,
    rng: random.Random,
    history: History,
    at: datetime,
    category: Category,
    place: Hotspot,
    reporter: Member,
    alex: Member,
    *,
    description: str | None = None,
) -> None:
    clock.set(at)
    report = await store.reports.file(
        ReportIn(
            category_id=category.id or 0,
            hotspot_id=place.id,
            description=description or f"{category.name} at {place.name}",
            people_count=rng.choice(("1", "2-3", "2-3", "4-9")),
            urgent=category.urgent,
        ),
        reporter=reporter,
        group_chat_id=None,
    )
    history.reports += 1
    if category.urgent:
        history.urgent += 1
        clock.set(at + timedelta(minutes=rng.randint(1, 9), seconds=rng.randint(0, 59)))
        await store.reports.acknowledge(report.id or 0, by=alex, kind=AckKind.ACKNOWLEDGED)
    if category.urgent or (category.slug != "rough_sleeping" and rng.random() < 0.6):
        clock.set(at + timedelta(minutes=rng.randint(20, 90)))
        await store.reports.close(report.id or 0, by=alex, outcome="Dealt with on patrol")


async def _past_contact(
    store: Store,
    clock: ManualClock,
    rng: random.Random,
    history: History,
    at: datetime,
    place: Hotspot,
    worker: Member,
) -> None:
    clock.set(at)
    known = history.people and rng.random() < 0.55
    draft = ContactIn(
        person_id=rng.choice(history.people) if known else None,
        new_person=None
        if known or rng.random() < 0.2
        else PersonIn(alias=rng.choice(_ALIASES), age_band=rng.choice(list(AgeBand))),
        hotspot_id=place.id,
        sleeping_site=rng.choice(list(SleepingSite)),
        needs=rng.sample(list(Need), rng.randint(1, 3)),
        actions=rng.sample(list(OutreachAction), rng.randint(1, 2)),
    )
    saved = await store.contacts.log_contact(draft, worker=worker)
    history.contacts += 1
    person = getattr(saved, "person", None)
    if person is not None and person.id not in history.people:
        history.people.append(person.id)
