"""Retention: what is past its period is cleared, anonymised or deleted; the counts stay.

The old period is the Friday late shift of tests.digest_data (27–28 November 2026, every
free text marked SECRET) plus a little more of that week (an update, a photo, a merge, a
referral, a briefing note, a duty location, a draft, sent messages). Two and a half years
later (NOW) recent data marked FRESH is added, and a purge runs with the default periods.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, String, Text, select, update
from sqlmodel import SQLModel, col

from bot.cli.main import main as tcag
from bot.config import SettingsError, load_settings
from bot.context import BotContext
from bot.domain.access.audit import AuditAction
from bot.domain.access.roles import Role
from bot.domain.alerts.outbox_types import OutboxStatus
from bot.domain.clock import ManualClock
from bot.domain.outreach import Need
from bot.domain.periods import parse_quarter
from bot.domain.retention import (
    ANONYMISED_ALIAS_PREFIX,
    DataKind,
    PurgeCounts,
    RetentionPolicy,
    purge_table,
)
from bot.jobs.retention import RETENTION_JOB, purge_expired
from bot.summaries import compose as summaries
from bot.summaries.quarterly.content import gather
from storage.models import (
    AuditEntry,
    DutySession,
    OutboxMessage,
    PersonRecord,
    ReportIn,
)
from storage.outreach.contacts import ContactSaved
from storage.outreach.inputs import ContactIn, PersonIn, SightingIn
from storage.store import Store
from tests.support.digest_data import (
    SECRET,
    SHIFT,
    SHIFT_END,
    SHIFT_START,
    at,
    join,
    seed_night,
    services,
)
from tests.support.harness import BotHarness, make_settings

NOW = datetime(2029, 6, 1, 12, 0, tzinfo=UTC)  # 916 days after the shift
FRESH = "FRESH"
KEEP = "KEEPME"  # a message still pending: never purged, however old
LONDON = ZoneInfo("Europe/London")


# ---- the policy and the counts (pure) ----------------------------------------------------------
def test_each_kind_has_its_period_and_zero_keeps_for_ever() -> None:
    policy = RetentionPolicy(report_text_days=10, audit_days=0)
    assert policy.cutoff(DataKind.REPORTS, NOW) == NOW - timedelta(days=10)
    assert policy.cutoff(DataKind.ATTACHMENTS, NOW) == NOW - timedelta(days=10)
    assert policy.cutoff(DataKind.REFERRALS, NOW) == NOW - timedelta(days=365)
    assert policy.cutoff(DataKind.PEOPLE, NOW) == NOW - timedelta(days=730)
    assert policy.cutoff(DataKind.AUDIT, NOW) is None
    assert all(policy.days(kind) >= 0 for kind in DataKind)
    with pytest.raises(ValueError, match="naive"):
        policy.cutoff(DataKind.REPORTS, datetime(2029, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="person_days"):
        RetentionPolicy(person_days=-1)


def test_settings_give_the_policy_with_documented_defaults() -> None:
    assert RetentionPolicy.from_settings(make_settings()) == RetentionPolicy(
        report_text_days=365,
        contact_notes_days=365,
        person_days=730,
        briefing_notes_days=90,
        duty_locations_days=31,
        drafts_days=7,
        outbox_days=30,
        audit_days=2190,
    )
    settings = make_settings(TCAG_RETAIN_OUTBOX_DAYS="3", TCAG_RETAIN_AUDIT_DAYS="0")
    assert (
        RetentionPolicy.from_settings(settings).outbox_days == 3
        and RetentionPolicy.from_settings(settings).audit_days == 0
    )
    with pytest.raises(SettingsError, match="TCAG_RETAIN_PERSON_DAYS"):
        load_settings(_env_file=None, TCAG_RETAIN_PERSON_DAYS="-5")


def test_purge_counts_compare_by_kind_and_summarise_ids_and_numbers_only() -> None:
    counts = PurgeCounts({DataKind.REPORTS: 3, DataKind.AUDIT: 0, DataKind.PEOPLE: 1})
    assert counts == PurgeCounts({DataKind.PEOPLE: 1, DataKind.REPORTS: 3})
    assert counts != PurgeCounts({DataKind.REPORTS: 3})
    assert counts[DataKind.OUTBOX] == 0 and counts.total == 4
    assert counts.summary() == "reports 3, people 1"
    assert PurgeCounts().summary() == "nothing"
    table = purge_table(counts, RetentionPolicy(audit_days=0), dry_run=True)
    lines = table.splitlines()
    assert "would go" in lines[0]
    assert len(lines) == len(DataKind) + 2
    assert lines[1].split() == ["report", "texts", "and", "places", "365", "d", "3"]
    assert lines[-2].split()[-2:] == ["ever", "0"]  # the audit log, kept for ever
    assert lines[-1].split() == ["total", "4"]


# ---- seeding -----------------------------------------------------------------------------------
async def _contact(store: Store, clock: ManualClock, when: datetime, **fields: Any) -> ContactSaved:
    clock.set(when)
    crew_omar = await store.members.by_telegram_id(2004)
    assert crew_omar is not None
    saved = await store.contacts.log_contact(ContactIn(**fields), worker=crew_omar)
    assert isinstance(saved, ContactSaved)
    return saved


async def seed(store: Store, clock: ManualClock) -> dict[str, int]:
    """Old data (SECRET) and recent data (FRESH); leaves the clock at NOW."""
    clock.set(datetime(2020, 1, 6, 10, 0, tzinfo=UTC))
    await join(store, 2099, "Early Bird", Role.WARDEN)  # audit rows older than six years
    night = await seed_night(store, clock)
    crew = night.people
    ids: dict[str, int] = {}

    # The rest of that week, all older than every period but the audit log's.
    clock.set(at(28, 9, 0))
    await store.reports.add_note(night.weapon.id or 0, author=crew.olly, text=f"{SECRET} update")
    await store.reports.add_attachment(
        night.weapon.id or 0, by=crew.olly, kind="photo", file_id=f"{SECRET}FILEID"
    )
    clock.set(at(28, 10, 0))
    sighting = await store.referrals.add_sighting(
        SightingIn(place_text=f"{SECRET} arches", seen_at=clock.now(), appearance=f"{SECRET} hat"),
        reporter=crew.wendy,
    )
    one = await _contact(
        store,
        clock,
        at(28, 11, 0),
        new_person=PersonIn(alias=f"{SECRET}one", appearance=f"{SECRET} scar", gender="m"),
        notes=f"{SECRET} one's notes",
        referral_id=sighting.id,
    )
    two = await _contact(
        store,
        clock,
        at(28, 12, 0),
        new_person=PersonIn(alias=f"{SECRET}two", usual_sites=f"{SECRET} car park"),
        notes=f"{SECRET} two's notes",
        needs=[Need.FOOD],
    )
    assert one.person is not None and two.person is not None
    clock.set(at(28, 12, 30))
    await store.people.merge(one.person.id or 0, two.person.id or 0, by=crew.omar)
    await store.people.timeline(one.person.id or 0, viewer=crew.omar)  # audited view
    ids["merged_kept"], ids["merged_away"] = one.person.id or 0, two.person.id or 0
    returner = await _contact(
        store,
        clock,
        at(28, 13, 0),
        new_person=PersonIn(alias=f"{FRESH}returner"),
        notes=f"{SECRET} first meeting",
    )
    assert returner.person is not None
    ids["returner"] = returner.person.id or 0
    await store.notes.add(crew.cara, f"{SECRET} watch the arches")
    clock.set(at(29, 10, 0))
    duty, _ = await store.duty.start(crew.wendy.id or 0, lat=51.501, lon=-0.121)
    clock.set(at(29, 12, 0))
    await store.duty.end(crew.wendy.id or 0)
    await _closed_keeping_its_point(store, duty.id or 0, 51.501, -0.121)
    omar_duty = await store.duty.current(crew.omar.id or 0)  # open since the shift
    assert omar_duty is not None
    await store.duty.set_location(omar_duty.id or 0, crew.omar.id or 0, 51.502, -0.122)
    ids["old_duty"], ids["open_duty"] = duty.id or 0, omar_duty.id or 0
    await store.bot_state.put("user_data", "2002", f'{{"draft": "{SECRET} half a report"}}')
    sent = await store.outbox.add(chat_id=2002, purpose="notice", text=f"{SECRET} sent")
    await store.outbox.mark_sent(sent.id or 0, 77)
    gone = await store.outbox.add(chat_id=2003, purpose="notice", text=f"{SECRET} blocked")
    await store.outbox.give_up(gone.id or 0, "blocked")
    pending = await store.outbox.add(chat_id=2004, purpose="notice", text=f"{KEEP} pending")
    ids["pending"] = pending.id or 0
    # Whatever the night queued (alerts, notices) went out too.
    async with store.engine.begin() as connection:
        await connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .where(OutboxMessage.id != pending.id)
            .values(status=OutboxStatus.SENT, sent_at=at(29, 12, 0))
        )

    # Now: recent data of every kind, which must stay as it is.
    clock.set(NOW - timedelta(days=2))
    category = await store.categories.by_slug("begging")
    assert category is not None
    report = await store.reports.file(
        ReportIn(
            category_id=category.id or 0,
            description=f"{FRESH} report",
            place_text=f"{FRESH} lane",
            lat=51.5,
            lon=-0.12,
            attachments=[("photo", f"{FRESH}FILEID")],
        ),
        reporter=crew.olly,
        group_chat_id=None,
    )
    await store.reports.add_note(report.id or 0, author=crew.olly, text=f"{FRESH} update")
    await _contact(
        store,
        clock,
        NOW - timedelta(days=1),
        person_id=ids["returner"],
        notes=f"{FRESH} second meeting",
    )
    await _contact(
        store,
        clock,
        NOW - timedelta(days=1),
        new_person=PersonIn(alias=f"{FRESH}new", appearance=f"{FRESH} coat"),
        notes=f"{FRESH} notes",
        place_text=f"{FRESH} doorway",
    )
    await store.referrals.add_sighting(
        SightingIn(place_text=f"{FRESH} arches", seen_at=clock.now(), appearance=f"{FRESH} hat"),
        reporter=crew.wendy,
    )
    await store.notes.add(crew.cara, f"{FRESH} note")
    recent, _ = await store.duty.start(crew.wendy.id or 0, lat=51.503, lon=-0.123)
    clock.set(NOW - timedelta(hours=1))
    await store.duty.end(crew.wendy.id or 0)
    await _closed_keeping_its_point(store, recent.id or 0, 51.503, -0.123)
    await store.bot_state.put("user_data", "2003", f'{{"draft": "{FRESH} half a report"}}')
    fresh = await store.outbox.add(chat_id=2002, purpose="notice", text=f"{FRESH} sent")
    await store.outbox.mark_sent(fresh.id or 0, 78)
    clock.set(NOW)
    return ids


# ---- what the database holds --------------------------------------------------------------------
async def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in (await connection.execute(query)).all()]
    return rows


def _is_text(column: Column[Any]) -> bool:
    """Text, String and SQLModel's AutoString (a TypeDecorator: not a String subclass)."""
    kind = getattr(column.type, "impl", column.type)
    return isinstance(kind, String | Text)


async def texts_with(store: Store, marker: str) -> list[tuple[str, str]]:
    """(table, column) of every text value that contains the marker."""
    found: list[tuple[str, str]] = []
    async with store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if not _is_text(column):
                    continue
                for value in (await connection.execute(select(column))).scalars().all():
                    if marker in str(value or ""):
                        found.append((table.name, column.name))
    return found


async def figures(store: Store, clock: ManualClock) -> dict[str, object]:
    """What digests, summaries, /stats and the quarterly report say of the old period."""
    services_ = services(store, clock, make_settings())
    november = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    return {
        "digest": (
            await summaries.digest(services_, occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END)
        ).text,
        "weekly": (await summaries.weekly(services_, week_start=at(23, 0))).text,
        "stats": (
            await summaries.stats(services_, start=november[0], end=november[1], label="Nov")
        ).text,
        "by_category": await store.stats.by_category(*november),
        "by_hotspot": await store.stats.by_hotspot(*november),
        "urgent": await store.stats.urgent(*november),
        "staff": await store.stats.staff_hours(*november),
        "outreach": await store.outreach_stats.counts(*november),
        "shift_outreach": await store.outreach_stats.counts(SHIFT_START, SHIFT_END),
        "referral_outcomes": await store.quarterly.referral_outcomes(*november),
        "actions": await store.quarterly.contact_actions(*november),
        "quarter": await gather(
            store, parse_quarter("2026Q4"), tz=LONDON, now=clock.now(), ack_target_minutes=5
        ),
    }


async def _closed_keeping_its_point(store: Store, duty_id: int, lat: float, lon: float) -> None:
    """A duty closed by an earlier version, which kept the member's point after /off (now
    /off forgets it): the purge still clears such points once they are old enough."""
    async with store.engine.begin() as connection:
        await connection.execute(
            update(DutySession).where(col(DutySession.id) == duty_id).values(lat=lat, lon=lon)
        )


# ---- the purge ----------------------------------------------------------------------------------
EXPECTED = PurgeCounts(
    {
        DataKind.REPORTS: 13,  # the night's and the week before's, all with SECRET text
        DataKind.REPORT_NOTES: 1,
        DataKind.ATTACHMENTS: 1,
        DataKind.CONTACTS: 4,  # the night's anonymous contact at a hotspot had no text
        DataKind.REFERRALS: 1,  # the sighting (the rough sleeping report's is at a hotspot)
        DataKind.PEOPLE: 2,  # the night's person and the merged pair (the returner stays)
        DataKind.BRIEFING_NOTES: 1,
        DataKind.DUTY_LOCATIONS: 1,  # Omar's duty, still open, keeps its point
        DataKind.DRAFTS: 1,
        # The night's two escalations and their map pins, a sent and an undeliverable notice,
        # and the two referrals' copies pushed to Omar (outreach, on duty).
        DataKind.OUTBOX: 8,
        DataKind.AUDIT: 11,  # everyone joined in January 2020: more than six years before
    }
)


async def test_purge_clears_what_is_past_its_period_and_keeps_every_count(
    store: Store, clock: ManualClock
) -> None:
    ids = await seed(store, clock)
    store.retention.batch_size = 2  # several batches per kind
    policy = RetentionPolicy.from_settings(make_settings())
    before = await figures(store, clock)
    assert await texts_with(store, SECRET)  # the old text is there

    rows = await snapshot(store)
    planned = await store.retention.plan(NOW, policy)
    assert await snapshot(store) == rows  # a dry run changes nothing
    assert planned == EXPECTED, planned.summary()

    purged = await store.retention.purge(NOW, policy)

    assert purged == planned
    assert await texts_with(store, SECRET) == []  # nothing of the old text is left anywhere
    assert await figures(store, clock) == before  # the same figures for the old period
    # Recent data keeps its text: every kind of it.
    fresh = set(await texts_with(store, FRESH))
    assert {
        ("reports", "description"),
        ("reports", "place_text"),
        ("report_notes", "text"),
        ("report_attachments", "file_id"),
        ("people", "alias"),
        ("people", "appearance"),
        ("outreach_contacts", "notes"),
        ("outreach_contacts", "place_text"),
        ("referrals", "appearance"),
        ("briefing_notes", "text"),
        ("bot_state", "data"),
        ("outbox", "text"),
    } <= fresh
    async with store.engine.connect() as connection:
        # The returner, met again recently, keeps their record; the first meeting's notes go.
        returner = (
            await connection.execute(select(PersonRecord).where(PersonRecord.id == ids["returner"]))
        ).one()
        assert returner.alias == f"{FRESH}returner"
        # The merged pair: both anonymised, the pointer still pointing.
        pair = (
            await connection.execute(
                select(PersonRecord.id, PersonRecord.alias, PersonRecord.merged_into_id)
                .where(PersonRecord.id.in_([ids["merged_kept"], ids["merged_away"]]))  # type: ignore[union-attr]
                .order_by(PersonRecord.id)
            )
        ).all()
        assert [(a, m) for _, a, m in pair] == [
            (f"{ANONYMISED_ALIAS_PREFIX}{ids['merged_kept']}", None),
            (f"{ANONYMISED_ALIAS_PREFIX}{ids['merged_away']}", ids["merged_kept"]),
        ]
        anonymised = (
            await connection.execute(
                select(PersonRecord).where(PersonRecord.id == ids["merged_kept"])
            )
        ).one()
        assert (anonymised.appearance, anonymised.gender, anonymised.usual_sites) == (None,) * 3
        assert anonymised.flags == "" and anonymised.legal_name is None
        # Duty: old point gone, the open session's kept, the recent one's kept.
        points = dict((await connection.execute(select(DutySession.id, DutySession.lat))).all())
        assert points[ids["old_duty"]] is None
        assert points[ids["open_duty"]] == 51.502
        assert sum(1 for lat in points.values() if lat == 51.503) == 1
        # The pending message stays, old as it is; sent and undeliverable old ones went.
        outbox = (await connection.execute(select(OutboxMessage.id, OutboxMessage.text))).all()
        assert (ids["pending"], f"{KEEP} pending") in outbox
        # Audit: the six-year-old rows went, the rest stay, and the purge is recorded.
        actions = (await connection.execute(select(AuditEntry.action, AuditEntry.at))).all()
        assert all(a.at.year > 2020 for a in actions)
        assert any(a.action == "person.viewed" for a in actions)
    [entry] = await store.audit.recent(action_prefix=AuditAction.RETENTION_PURGED.value)
    assert entry.actor_id is None and entry.at == NOW
    assert entry.detail == f"via daily job; {EXPECTED.summary()}"
    assert SECRET not in (entry.detail or "")

    # Nothing more to do: a second purge (and its plan) finds nothing, and writes no audit row.
    assert (await store.retention.plan(NOW, policy)).total == 0
    rows = await snapshot(store)
    assert (await store.retention.purge(NOW, policy)).total == 0
    assert await snapshot(store) == rows


async def test_anonymised_people_are_left_out_of_searches_and_lists(
    store: Store, clock: ManualClock
) -> None:
    ids = await seed(store, clock)
    omar = await store.members.by_telegram_id(2004)
    await store.retention.purge(NOW, RetentionPolicy.from_settings(make_settings()))

    assert await store.people.search("erased", viewer=omar) == []
    assert await store.people.search(SECRET, viewer=omar) == []
    listed = {p.id for p in await store.people.recent(viewer=omar, limit=50)}
    assert ids["returner"] in listed and ids["merged_kept"] not in listed
    # An old button still opens the record: no details, its contacts (needs, actions) kept.
    found = await store.people.timeline(ids["merged_kept"], viewer=omar)
    assert found is not None
    assert found.person.alias == f"{ANONYMISED_ALIAS_PREFIX}{ids['merged_kept']}"
    contacts = found.timeline.contacts
    assert len(contacts) == 2 and all(c.notes is None for c in contacts)
    assert all(c.place == "place not given" for c in contacts)
    assert [c.needs for c in contacts] == [(Need.FOOD,), ()]


async def test_an_alias_that_looks_anonymised_is_a_real_person(
    store: Store, clock: ManualClock
) -> None:
    """Anonymised is a column: a worker typing "erased #1" as an alias hides nobody from
    searches, from retention or from an erasure."""
    omar = await store.members.ensure_admin(2004, "Omar", role=Role.OUTREACH)
    clock.set(NOW - timedelta(days=800))
    saved = await store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="erased #1", appearance=f"{SECRET} coat")),
        worker=omar,
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    person_id = saved.person.id or 0
    assert saved.person.anonymised is False
    assert [p.id for p in await store.people.search("erased #1", viewer=omar)] == [person_id]
    assert [p.id for p in await store.people.recent(viewer=omar)] == [person_id]

    policy = RetentionPolicy.from_settings(make_settings())
    assert (await store.retention.plan(NOW, policy))[DataKind.PEOPLE] == 1
    await store.retention.purge(NOW, policy)
    gone = (await store.people.lookup(person_id)).person
    assert gone is not None and gone.anonymised and gone.appearance is None
    assert await store.people.search("erased", viewer=omar) == []
    assert (await store.retention.plan(NOW, policy))[DataKind.PEOPLE] == 0


async def test_an_erasure_finds_a_person_whatever_their_alias(store: Store) -> None:
    omar = await store.members.ensure_admin(2004, "Omar", role=Role.OUTREACH)
    saved = await store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="erased #7"), notes=f"{SECRET} note"), worker=omar
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    [found] = await store.people.search("erased #7", viewer=omar)
    erased = await store.erasure.erase(found.id or 0, by=omar, via="admin")
    assert erased is not None and erased.contacts_anonymised == 1
    assert await texts_with(store, SECRET) == []


async def test_a_period_of_zero_keeps_that_kind_for_ever(store: Store, clock: ManualClock) -> None:
    await seed(store, clock)
    policy = RetentionPolicy(
        report_text_days=0,
        contact_notes_days=0,
        person_days=0,
        briefing_notes_days=0,
        duty_locations_days=0,
        drafts_days=0,
        outbox_days=1,
        audit_days=0,
    )
    counts = await store.retention.purge(NOW, policy)
    assert counts == PurgeCounts({DataKind.OUTBOX: 8}), counts.summary()
    assert (await store.reports.get(1)) is not None
    assert (await texts_with(store, SECRET)) != []


async def test_pending_messages_are_never_purged(store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2020, 1, 1, tzinfo=UTC))
    row = await store.outbox.add(chat_id=1, purpose="notice", text="still to go")
    policy = RetentionPolicy(outbox_days=1)
    assert (await store.retention.plan(NOW, policy))[DataKind.OUTBOX] == 0
    await store.retention.purge(NOW, policy)
    kept = await store.outbox.get(row.id or 0)
    assert kept is not None and kept.text == "still to go"


# ---- the daily job ------------------------------------------------------------------------------
async def test_daily_job_purges_and_logs_counts_only(
    store: Store, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    await seed(store, clock)
    caplog.set_level(logging.INFO, logger="bot.jobs.retention")
    counts = await purge_expired(services(store, clock, make_settings()))
    assert counts == EXPECTED
    [record] = [r for r in caplog.records if r.name == "bot.jobs.retention"]
    assert record.getMessage() == f"retention purge: {EXPECTED.summary()}"
    assert all(SECRET not in r.getMessage() for r in caplog.records)
    assert (await purge_expired(services(store, clock, make_settings()))).total == 0


@pytest.mark.pg_smoke
async def test_the_job_runs_daily_at_half_past_four_and_forgets_purged_drafts(
    bot: BotHarness,
) -> None:
    queue = bot.app.job_queue
    assert queue is not None
    [job] = queue.get_jobs_by_name(RETENTION_JOB)
    trigger = str(job.job.trigger)
    assert "hour='4'" in trigger and "minute='30'" in trigger
    assert str(job.job.trigger.timezone) == "Europe/London"

    # A member's draft, stored long ago and still in the running bot's memory.
    bot.clock.set(datetime(2026, 11, 1, tzinfo=UTC))
    await bot.store.bot_state.put("user_data", "4242", '{"outreach.contact": {"notes": "x"}}')
    bot.app.user_data[4242]["outreach.contact"] = {"notes": "x"}  # type: ignore[index]
    bot.clock.set(datetime(2026, 11, 20, tzinfo=UTC))
    await bot.store.bot_state.put("user_data", "4343", '{"recent": 1}')

    await job.callback(BotContext.from_job(job, bot.app))  # type: ignore[arg-type]

    assert 4242 not in bot.app.user_data
    assert set(await bot.store.bot_state.get_all("user_data")) == {"4343"}


# ---- tcag purge ---------------------------------------------------------------------------------
async def test_tcag_purge_dry_run_then_purge(
    bot: BotHarness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, clock = bot.store, bot.clock
    # The command line reads the real clock: this is older than a report's text is kept,
    # not as old as an audit row is.
    clock.set(datetime.now(UTC) - timedelta(days=1000))
    olly = await join(store, 2002, "Olly", Role.OFFICER)
    category = await store.categories.by_slug("begging")
    assert category is not None
    await store.reports.file(
        ReportIn(category_id=category.id or 0, description=f"{SECRET} text"),
        reporter=olly,
        group_chat_id=None,
    )
    await store.notes.add(olly, f"{SECRET} note")
    monkeypatch.setenv("DATABASE_URL", str(store.engine.url))
    monkeypatch.chdir(tmp_path)  # no .env

    code = await asyncio.to_thread(tcag, ["purge", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["kind", "kept", "for", "would", "go"]
    assert lines[1].split() == ["report", "texts", "and", "places", "365", "d", "1"]
    assert "briefing notes" in out and lines[-2].split() == ["total", "2"]
    assert lines[-1] == "Dry run: nothing was changed."
    assert await texts_with(store, SECRET) != []

    code = await asyncio.to_thread(tcag, ["purge"])
    out = capsys.readouterr().out
    assert code == 0 and "purged" in out.splitlines()[0]
    assert out.splitlines()[-1].split() == ["total", "2"]
    assert await texts_with(store, SECRET) == []
    [entry] = await store.audit.recent(action_prefix="retention.")
    assert entry.detail == "via cli; reports 1, briefing_notes 1"

    code = await asyncio.to_thread(tcag, ["purge", "--dry-run"])
    assert code == 0 and capsys.readouterr().out.splitlines()[-2].split() == ["total", "0"]
