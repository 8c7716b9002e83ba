"""A quarter of known figures (Q3 2026, Europe/London) for the coordinator output tests.

July: 2 street drinking at Elmer Square, 1 weapon (urgent, acknowledged after 3 minutes).
August: 1 antisocial behaviour at Market Street, 1 violence (urgent, acknowledged after
12 minutes); outreach: a contact with a new person (StreetLink, hostel) and an anonymous
one (declined). September: 1 drug dealing at "=HYPERLINK(...)" (no hotspot), 1
safeguarding (urgent, never acknowledged). A rough sleeper referral in July closed "not
found". The quarter before (June): 2 reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.outreach import Action
from bot.domain.reports.incidents import AckKind
from storage.catalog import HotspotIn
from storage.models import Member, Report, ReportIn
from storage.outreach.inputs import ContactIn, PersonIn, SightingIn
from storage.store import Store

REPORTER_ID = 7007
FORMULA_PLACE = '=HYPERLINK("http://evil.example","click")'
DESCRIPTION = "+44 7700 900123 called it in; -3 lads by the bins @ the back"


@dataclass(frozen=True)
class Seeded:
    reporter: Member
    reports: list[Report]


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def _file(
    store: Store, reporter: Member, slug: str, at: datetime, clock: ManualClock, **fields: object
) -> Report:
    clock.set(at)
    category = await store.categories.by_slug(slug)
    assert category is not None, slug
    draft = ReportIn(category_id=category.id or 0, **fields)  # type: ignore[arg-type]
    return await store.reports.file(draft, reporter=reporter, group_chat_id=None)


async def _ack(store: Store, report: Report, by: Member, at: datetime, clock: ManualClock) -> None:
    clock.set(at)
    await store.reports.acknowledge(report.id or 0, by=by, kind=AckKind.ACKNOWLEDGED)


async def seed_quarter(store: Store, clock: ManualClock) -> Seeded:
    """Files the reports and outreach work above; leaves the clock where it was."""
    was = clock.now()
    reporter = await store.members.ensure_admin(REPORTER_ID, "Rita Reporter", role=Role.OFFICER)
    elmer, _ = await store.hotspots.upsert(HotspotIn(name="Elmer Square", lat=51.5072, lon=-0.1276))
    market, _ = await store.hotspots.upsert(
        HotspotIn(name="Market Street", lat=51.5080, lon=-0.1290)
    )
    reports = [
        await _file(store, reporter, "asb", utc(2026, 6, 5, 21), clock),
        await _file(store, reporter, "asb", utc(2026, 6, 6, 21), clock),
        # July (BST: local = UTC + 1)
        await _file(
            store, reporter, "street_drinking", utc(2026, 7, 10, 21), clock, hotspot_id=elmer.id
        ),
        await _file(
            store, reporter, "street_drinking", utc(2026, 7, 10, 22), clock, hotspot_id=elmer.id
        ),
    ]
    weapon = await _file(
        store,
        reporter,
        "weapon",
        utc(2026, 7, 11, 23),
        clock,
        hotspot_id=elmer.id,
        urgent=True,
        description=DESCRIPTION,
    )
    await _ack(store, weapon, reporter, utc(2026, 7, 11, 23, 3), clock)
    reports.append(weapon)
    # August
    reports.append(
        await _file(store, reporter, "asb", utc(2026, 8, 14, 20), clock, hotspot_id=market.id)
    )
    violence = await _file(
        store, reporter, "violence", utc(2026, 8, 15, 22), clock, hotspot_id=market.id, urgent=True
    )
    await _ack(store, violence, reporter, utc(2026, 8, 15, 22, 12), clock)
    reports.append(violence)
    # September
    reports.append(
        await _file(
            store, reporter, "drug_dealing", utc(2026, 9, 20, 21), clock, place_text=FORMULA_PLACE
        )
    )
    reports.append(
        await _file(store, reporter, "safeguarding", utc(2026, 9, 21, 22), clock, urgent=True)
    )
    # Outreach: a referral in July closed as not found; two contacts in August.
    clock.set(utc(2026, 7, 12, 21))
    referral = await store.referrals.add_sighting(
        SightingIn(hotspot_id=elmer.id, seen_at=clock.now(), appearance="green sleeping bag"),
        reporter=reporter,
    )
    clock.set(utc(2026, 7, 13, 10))
    await store.referrals.not_found(
        referral.id or 0, by=reporter, where_looked="the car park", reporter_notice=None
    )
    clock.set(utc(2026, 8, 16, 21))
    await store.contacts.log_contact(
        ContactIn(
            new_person=PersonIn(alias="Big Johnny"),
            hotspot_id=elmer.id,
            bedded_down=True,
            actions=[Action.STREETLINK, Action.HOSTEL],
            notes="private notes that never leave outreach",
        ),
        worker=reporter,
    )
    clock.set(utc(2026, 8, 17, 21))
    await store.contacts.log_contact(ContactIn(actions=[Action.DECLINED]), worker=reporter)
    clock.set(was)
    return Seeded(reporter, reports)
