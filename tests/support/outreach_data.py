"""Outreach records fit for reporting: December 2026 of known rough sleeping figures
(storage figures, /outreach_figures, the quarterly pack's rough sleeping page).

Alice lives on the streets (bedded down on 2, 12 and 23 December, seen in June), Bob and
Dan are new (Dan last seen over 60 months before), Cath is intermittent (seen January
2022), Eve was met only at risk; two anonymous contacts; four referrals made in December
(two answered by contacts, one not found, one open) and one in November; moves: Bob to a
hostel on 20 December, Cath into custody on 31 December, Alice to supported housing on
30 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.outreach import Need
from bot.domain.rough_sleeping import Institution, LocalConnection, MoveOutcome, NeedsAnswer
from storage.models import Member
from storage.outreach.contacts import ContactSaved
from storage.outreach.inputs import ContactIn, PersonIn, SightingIn
from storage.store import Store

LONDON = ZoneInfo("Europe/London")
DECEMBER = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))  # GMT


def utc(year: int, month: int, day: int, hour: int = 23) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


async def member(
    store: Store, telegram_id: int, role: Role = Role.OUTREACH, name: str = "Otto"
) -> Member:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(role, by=admin, ttl=timedelta(hours=1))
    result = await store.invites.redeem(code, telegram_id=telegram_id, name=name, username=None)
    assert result.member is not None
    return result.member


class Seeder:
    def __init__(self, store: Store, clock: ManualClock, worker: Member) -> None:
        self.store, self.clock, self.worker = store, clock, worker
        self.people: dict[str, int] = {}

    async def contact(self, who: str | None, at: datetime, **fields: object) -> ContactSaved:
        self.clock.set(at)
        if who is not None and who in self.people:
            draft = ContactIn(person_id=self.people[who], place_text="Market", **fields)
        elif who is not None:
            draft = ContactIn(new_person=PersonIn(alias=who), place_text="Market", **fields)
        else:
            draft = ContactIn(place_text="Market", **fields)
        saved = await self.store.contacts.log_contact(draft, worker=self.worker)
        assert isinstance(saved, ContactSaved)
        if who is not None and saved.person is not None:
            self.people[who] = saved.person.id or 0
        return saved

    async def referral(self, at: datetime, patrol: Member) -> int:
        self.clock.set(at)
        made = await self.store.referrals.add_sighting(
            SightingIn(place_text="Doorway", seen_at=at), reporter=patrol
        )
        return made.id or 0

    async def move(self, who: str, outcome: MoveOutcome, on: date) -> None:
        done = await self.store.outcomes.record(self.people[who], outcome, on, by=self.worker)
        assert done.person is not None


async def seed_december(store: Store, clock: ManualClock) -> Seeder:
    """December 2026: Alice living on the streets, Bob and Dan new, Cath intermittent, Eve
    only at risk, two anonymous contacts; four referrals made, two moves."""
    otto = await member(store, 30)
    patrol = await member(store, 31, Role.WARDEN)
    s = Seeder(store, clock, otto)
    bedded = {"bedded_down": True}
    # Before December: Alice and Cath seen bedded down; Dan only over 60 months before.
    await s.contact("Alice", utc(2026, 6, 1), **bedded)
    await s.contact("Cath", utc(2022, 1, 10), **bedded)
    await s.contact("Dan", utc(2021, 11, 30), **bedded)  # the lookback starts 1 Dec 2021
    early = await s.referral(utc(2026, 11, 30, 12), patrol)  # made in November
    first = await s.referral(utc(2026, 12, 1, 20), patrol)
    await s.contact(
        "Alice",
        utc(2026, 12, 2),
        needs=[Need.ACCOMMODATION, Need.ALCOHOL],
        local_connection=LocalConnection.NO,
        connection_place="Leicester",
        referral_id=first,  # 1 day 3 hours after it was made
        **bedded,
    )
    second = await s.referral(utc(2026, 12, 4, 12), patrol)
    await s.contact(
        "Bob",
        utc(2026, 12, 5, 12),
        needs_answer=NeedsAnswer.DECLINED,
        left_institution=[Institution.PRISON],
        local_connection=LocalConnection.YES,
        referral_id=second,  # 1 day after
        **bedded,
    )
    not_found = await s.referral(utc(2026, 12, 6, 12), patrol)
    await store.referrals.not_found(
        not_found, by=otto, where_looked="the arches", reporter_notice=None
    )
    await s.referral(utc(2026, 12, 7, 12), patrol)  # still open
    await s.contact(
        "Cath",
        utc(2026, 12, 8),
        needs=[Need.MENTAL_HEALTH],
        left_institution=[Institution.HOSPITAL, Institution.CARE],
        local_connection=LocalConnection.UNKNOWN,
        referral_id=early,
        **bedded,
    )
    await s.contact("Dan", utc(2026, 12, 9), needs_answer=NeedsAnswer.NONE_KNOWN, **bedded)
    await s.contact("Eve", utc(2026, 12, 10), bedded_down=False, needs=[Need.FOOD])
    await s.contact(None, utc(2026, 12, 11), **bedded)
    await s.contact(None, utc(2026, 12, 11, 22), bedded_down=False)
    await s.contact("Alice", utc(2026, 12, 12), **bedded)
    await s.contact("Alice", utc(2026, 12, 23), **bedded)  # 21 days after the 2nd
    await s.contact("Alice", utc(2027, 1, 2), **bedded)  # January: not in the month
    await s.move("Bob", MoveOutcome.HOSTEL, date(2026, 12, 20))
    await s.move("Cath", MoveOutcome.CUSTODY, date(2026, 12, 31))
    await s.move("Alice", MoveOutcome.SUPPORTED, date(2026, 11, 30))  # November
    return s
