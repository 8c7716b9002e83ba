"""The repository API and the schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from bot.domain.access.invites import MAX_OPEN_INVITES, code_digest
from bot.domain.access.roles import Role, Status
from bot.domain.clock import ManualClock
from storage import db
from storage.access.invites import NotAllowedToInvite, Redeemed, TooManyOpenInvites
from storage.models import AuditEntry, Category, Invite, Member, PersonRecord, ReportIn
from storage.store import Store


async def test_migrations_match_the_models(store: Store) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with store.engine.connect() as connection:
        assert await connection.run_sync(diff) == []
    assert await store.schema_is_current()


async def test_downgrade_to_base_and_up_again(store: Store) -> None:
    await db.downgrade(store.engine, "base")
    assert not await store.schema_is_current()
    await store.upgrade()
    assert await store.schema_is_current()


async def test_upgrading_marks_anonymised_people_and_sensitive_categories(
    store: Store, clock: ManualClock
) -> None:
    """Migration 0006 on a database that had data: records retention anonymised (alias
    "erased #<own id>", no details) get the column; a real alias like it does not."""
    await db.downgrade(store.engine, "0005")
    people = sa.table(
        "people",
        *(sa.column(c) for c in ("id", "alias", "appearance", "age_band", "flags")),
        *(sa.column(c) for c in ("first_seen", "last_seen", "created_at", "updated_at")),
    )
    now = clock.now()
    times = {"first_seen": now, "last_seen": now, "created_at": now, "updated_at": now}
    times |= {"age_band": "unknown", "flags": ""}
    async with store.engine.begin() as connection:
        await connection.execute(
            people.insert(),
            [
                {"id": 1, "alias": "erased #1", "appearance": None, **times},
                {"id": 2, "alias": "erased #1", "appearance": None, **times},
                {"id": 3, "alias": "erased #3", "appearance": "red coat", **times},
                {"id": 4, "alias": "Johnny", "appearance": None, **times},
            ],
        )
    await store.upgrade()
    async with store.engine.connect() as connection:
        marked = dict(
            (await connection.execute(sa.select(PersonRecord.id, PersonRecord.anonymised))).all()
        )
        sensitive = {
            c.slug for c in (await connection.execute(sa.select(Category))).all() if c.sensitive
        }
    assert marked == {1: True, 2: False, 3: False, 4: False}
    assert sensitive == {"safeguarding", "rough_sleeping", "welfare"}  # welfare: added by 0007


async def test_times_round_trip_as_aware_utc(store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=1))))  # BST
    member, _ = await store.members.request_access(77, "Una", None)
    loaded = await store.members.get(member.id or 0)
    assert loaded is not None
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert loaded.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(store: Store) -> None:
    from sqlalchemy.exc import StatementError

    async with db.session_factory(store.engine)() as session:
        session.add(AuditEntry(at=datetime(2026, 1, 1), action="x"))  # noqa: DTZ001
        with pytest.raises(StatementError):
            await session.commit()


async def test_invite_is_stored_only_as_a_hash_and_works_once(store: Store) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    code, invite = await store.invites.create(Role.OUTREACH, by=admin, ttl=timedelta(hours=48))
    assert invite.code_hash == code_digest(code) and code not in invite.code_hash

    first = await store.invites.redeem(code, telegram_id=2, name="Ola", username=None)
    second = await store.invites.redeem(code, telegram_id=3, name="Pip", username=None)
    assert first.outcome is Redeemed.JOINED and first.member is not None
    assert first.member.role is Role.OUTREACH and first.member.status is Status.ACTIVE
    assert second.outcome is Redeemed.USED
    assert await store.members.by_telegram_id(3) is None


async def test_invite_expires_after_its_ttl(store: Store, clock: ManualClock) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(Role.WARDEN, by=admin, ttl=timedelta(hours=48))
    clock.advance(hours=47, minutes=59)
    still = await store.invites.redeem(code, telegram_id=2, name="Ola", username=None)
    assert still.outcome is Redeemed.JOINED
    code, _ = await store.invites.create(Role.WARDEN, by=admin, ttl=timedelta(hours=48))
    clock.advance(hours=48)
    late = await store.invites.redeem(code, telegram_id=3, name="Pip", username=None)
    assert late.outcome is Redeemed.EXPIRED


async def _coordinator(store: Store, telegram_id: int = 5) -> Member:
    admin = await store.members.ensure_admin(1, "Ada")
    code, _ = await store.invites.create(Role.COORDINATOR, by=admin, ttl=timedelta(hours=1))
    joined = await store.invites.redeem(code, telegram_id=telegram_id, name="Cy", username=None)
    assert joined.member is not None
    return joined.member


async def test_invite_checks_its_inviter_again_when_used(store: Store) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    cy = await _coordinator(store)
    with pytest.raises(NotAllowedToInvite):  # outreach opens person records: admins only
        await store.invites.create(Role.OUTREACH, by=cy, ttl=timedelta(hours=1))
    for_warden, _ = await store.invites.create(Role.WARDEN, by=cy, ttl=timedelta(hours=1))
    for_officer, _ = await store.invites.create(Role.OFFICER, by=cy, ttl=timedelta(hours=1))

    await store.members.suspend(cy.id or 0, by=admin)
    refused = await store.invites.redeem(for_warden, telegram_id=7, name="Wes", username=None)
    assert refused.outcome is Redeemed.WITHDRAWN and refused.member is None
    assert await store.members.by_telegram_id(7) is None
    with pytest.raises(NotAllowedToInvite):  # the stored member is asked, not the caller's copy
        await store.invites.create(Role.WARDEN, by=cy, ttl=timedelta(hours=1))

    # Reinstated but now an officer: still not allowed to invite anyone.
    await store.members.reinstate(cy.id or 0, by=admin)
    await store.members.change_role(cy.id or 0, Role.OFFICER, by=admin)
    again = await store.invites.redeem(for_officer, telegram_id=8, name="Oli", username=None)
    assert again.outcome is Redeemed.WITHDRAWN
    # Back to coordinator: the links (never used) work again.
    await store.members.change_role(cy.id or 0, Role.COORDINATOR, by=admin)
    joined = await store.invites.redeem(for_officer, telegram_id=8, name="Oli", username=None)
    assert joined.outcome is Redeemed.JOINED


async def test_open_invites_are_capped_listed_and_revoked(store: Store, clock: ManualClock) -> None:
    cy = await _coordinator(store)
    codes = []
    for _ in range(MAX_OPEN_INVITES):
        clock.advance(minutes=1)
        codes.append((await store.invites.create(Role.OFFICER, by=cy, ttl=timedelta(hours=1)))[0])
    with pytest.raises(TooManyOpenInvites):
        await store.invites.create(Role.OFFICER, by=cy, ttl=timedelta(hours=1))
    listed = await store.invites.open_by(cy)
    assert len(listed) == MAX_OPEN_INVITES and listed[0].created_at == clock.now()

    newest = listed[0]
    revoked = await store.invites.revoke(newest.id or 0, by=cy)
    assert revoked is not None and revoked.revoked_at == clock.now()
    assert await store.invites.revoke(newest.id or 0, by=cy) is None  # once
    used = await store.invites.redeem(codes[-1], telegram_id=9, name="Ron", username=None)
    assert used.outcome is Redeemed.REVOKED and await store.members.by_telegram_id(9) is None
    # One slot is free again; someone else's invite cannot be revoked.
    await store.invites.create(Role.OFFICER, by=cy, ttl=timedelta(hours=1))
    other = await _coordinator(store, telegram_id=6)
    assert await store.invites.revoke(listed[1].id or 0, by=other) is None
    # Used and expired invites are not open.
    await store.invites.redeem(codes[0], telegram_id=10, name="Una", username=None)
    assert len(await store.invites.open_by(cy)) == MAX_OPEN_INVITES - 1
    clock.advance(hours=2)
    assert await store.invites.open_by(cy) == []
    [entry] = await store.audit.recent(action_prefix="invite.revoked")
    assert entry.actor_id == cy.id and entry.subject == f"invite:{newest.id}"


async def test_pending_member_becomes_active_through_an_invite(store: Store) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    await store.members.request_access(2, "Ola", None)
    code, _ = await store.invites.create(Role.WARDEN, by=admin, ttl=timedelta(hours=1))
    result = await store.invites.redeem(code, telegram_id=2, name="Ola", username=None)
    assert result.outcome is Redeemed.JOINED
    member = await store.members.by_telegram_id(2)
    assert member is not None and member.status is Status.ACTIVE and member.role is Role.WARDEN


async def test_transitions_are_guarded(store: Store) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    pending, created = await store.members.request_access(2, "Ola", "ola")
    again, created_again = await store.members.request_access(2, "Ola", "ola")
    assert created and not created_again and again.id == pending.id
    member_id = pending.id or 0

    assert await store.members.suspend(member_id, by=admin) is None  # not active yet
    approved = await store.members.approve(member_id, Role.OFFICER, by=admin)
    assert approved is not None and approved.status is Status.ACTIVE
    assert await store.members.approve(member_id, Role.COORDINATOR, by=admin) is None
    assert await store.members.change_role(member_id, Role.OFFICER, by=admin) is None  # same role
    changed = await store.members.change_role(member_id, Role.WARDEN, by=admin)
    assert changed is not None and changed.role is Role.WARDEN
    suspended = await store.members.suspend(member_id, by=admin)
    assert suspended is not None and suspended.status is Status.SUSPENDED
    assert await store.members.suspend(member_id, by=admin) is None
    reinstated = await store.members.reinstate(member_id, by=admin)
    assert reinstated is not None and reinstated.status is Status.ACTIVE

    actions = [e.action for e in reversed(await store.audit.recent(limit=20))]
    assert actions == [
        "member.admin_granted",
        "member.requested",
        "member.approved",
        "member.role_changed",
        "member.suspended",
        "member.reinstated",
    ]


async def test_ensure_admin_is_idempotent_and_lists_admins(store: Store) -> None:
    first = await store.members.ensure_admin(9, "Ada")
    second = await store.members.ensure_admin(9, "Ada")
    assert first.id == second.id
    await store.members.ensure_admin(10, "Bob", role=Role.OFFICER)
    admins = await store.members.active_admins()
    assert [(a.telegram_id, a.role) for a in admins] == [(9, Role.COORDINATOR), (10, Role.OFFICER)]
    granted = await store.audit.recent(action_prefix="member.admin_granted")
    assert len(granted) == 2


async def test_audit_filters(store: Store) -> None:
    admin = await store.members.ensure_admin(1, "Ada")
    other, _ = await store.members.request_access(2, "Ola", None)
    await store.members.reject(other.id or 0, by=admin)
    by_admin = await store.audit.recent(actor_id=admin.id)
    assert [e.action for e in by_admin] == ["member.rejected"]
    about_other = await store.audit.recent(subject_member_id=other.id)
    assert {e.action for e in about_other} == {"member.rejected", "member.requested"}


async def test_unknown_invite(store: Store) -> None:
    result = await store.invites.redeem("nope-nope-nope", telegram_id=5, name="X", username=None)
    assert result.outcome is Redeemed.UNKNOWN
    assert Invite.__tablename__ == "invites"


async def test_updates_and_photos_per_report_are_capped(store: Store) -> None:
    reporter = await store.members.ensure_admin(1, "Ada", role=Role.OFFICER)
    drinking = await store.categories.by_slug("street_drinking")
    assert drinking is not None
    report = await store.reports.file(
        ReportIn(category_id=drinking.id or 0, attachments=[("photo", "f0")]),
        reporter=reporter,
        group_chat_id=None,
    )
    rid = report.id or 0
    notes = [
        await store.reports.add_note(rid, author=reporter, text=f"n{i}", limit=3) for i in range(5)
    ]
    assert [n is not None for n in notes] == [True, True, True, False, False]
    photos = [
        await store.reports.add_attachment(rid, by=reporter, kind="photo", file_id=f"f{i}", limit=2)
        for i in range(1, 4)
    ]
    assert photos == [True, False, False]  # the photo filed with the report counts
    view = await store.reports.view(rid, with_details=True)
    assert view is not None and len(view.notes) == 3 and len(view.attachments) == 2
