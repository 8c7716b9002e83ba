"""CCTV review requests in storage, on SQLite and PostgreSQL: one copy per operator, the
first answer wins, every other copy edited, the requester told, the footage reference only
from the operator who found it, the ladder claimed once per step, the counts."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import CctvAnswer, RequestStatus, ReviewWindow, cctv_ladder
from bot.domain.clock import ManualClock
from storage.alerts.alert_copies import Pressed
from storage.alerts.cctv import Answered, Made
from storage.models import ReportIn
from storage.store import Store
from tests.support.cctv import answer, member_of_role, plain_copy, request, send_copies
from tests.support.harness import START

REPORTER, CARL, CATH, CORA = 3001, 3002, 3003, 3004


async def _sent(store: Store) -> list[tuple[int, str | None]]:
    """What the outbox sends now (each row marked sent): (chat, text)."""
    rows = await store.outbox.claim_due(limit=50)
    for row in rows:
        await store.outbox.mark_sent(row.id or 0, row.id)
    return [(r.chat_id, r.text) for r in rows]


async def _report(store: Store, reporter_id: int = REPORTER) -> tuple[int, object]:
    reporter = await member_of_role(store, reporter_id, "Rita Reporter", Role.OFFICER)
    weapon = await store.categories.by_slug("weapon")
    assert weapon is not None
    report = await store.reports.file(
        ReportIn(category_id=weapon.id or 0, place_text="Elmer Square", description="knife"),
        reporter=reporter,
        group_chat_id=None,
    )
    return report.id or 0, reporter


async def test_a_request_reaches_every_operator_once_and_the_first_answer_wins(
    store: Store, clock: ManualClock
) -> None:
    report_id, reporter = await _report(store)
    carl = await member_of_role(store, CARL, "Carl Camera", Role.CCTV)
    cath = await member_of_role(store, CATH, "Cath Camera", Role.CCTV)
    await send_copies(store)  # nothing pending but the members' own rows, if any

    made = await request(store, clock, report_id, reporter, START)  # type: ignore[arg-type]
    request_id = made.view.request.id or 0
    assert set(made.copies) == {CARL, CATH}
    stored = made.view.request
    assert stored.status is RequestStatus.OPEN
    assert (stored.window_start, stored.window_end) == (
        START - timedelta(minutes=15),
        START + timedelta(minutes=15),
    )
    assert made.view.place == "Elmer Square" and made.view.report_ref == "R-0001"

    # One request per report waits at a time: the second changes nothing.
    again = await store.cctv.create(
        report_id,
        requester=reporter,  # type: ignore[arg-type]
        window=ReviewWindow.around(30),
        hotspot_id=None,
        render=plain_copy,
    )
    assert again.outcome is Made.ALREADY_OPEN and again.view is not None
    assert again.view.request.id == request_id
    assert await send_copies(store) == {}

    # A press from a message that is no copy of it changes nothing.
    stray = await store.cctv.answer(
        request_id,
        CctvAnswer.NOTHING,
        member=cath,
        pressed=Pressed(CATH, 99_999),
        edited=lambda v: "x",
        notice=lambda v: "x",
    )
    assert stray.outcome is Answered.NOT_RECEIVED

    clock.set(START + timedelta(minutes=12))
    first = await answer(store, clock, made, carl, CctvAnswer.FOUND, START + timedelta(minutes=12))
    second = await answer(
        store, clock, made, cath, CctvAnswer.NOTHING, START + timedelta(minutes=13)
    )
    assert first.outcome is Answered.DONE and second.outcome is Answered.ALREADY
    view = await store.cctv.view(request_id)
    assert view is not None and view.request.answer is CctvAnswer.FOUND
    assert view.answered_by is not None and view.answered_by.id == carl.id
    assert view.request.answered_at == START + timedelta(minutes=12)

    # Cath's copy is edited (Carl's is edited by the handler at once); Rita is told.
    queued = await store.outbox.claim_due(limit=50)
    edits = [(r.chat_id, r.edit_message_id, r.text) for r in queued if r.edit_message_id]
    assert edits == [(CATH, made.copies[CATH], "CCTV-1 answered")]
    assert [(r.chat_id, r.text) for r in queued if not r.edit_message_id] == [
        (REPORTER, "CCTV-1: found")
    ]

    # The footage reference: only from the operator who found it.
    notice = lambda v: f"ref for {v.report_ref}"  # noqa: E731
    assert await store.cctv.record_footage_ref(request_id, "X1", member=cath, notice=notice) is None
    saved = await store.cctv.record_footage_ref(request_id, "CR-004", member=carl, notice=notice)
    assert saved is not None and saved.request.footage_ref == "CR-004"
    actions = [e.action for e in reversed(await store.audit.recent(action_prefix="cctv."))]
    assert actions == ["cctv.requested", "cctv.answered", "cctv.footage_ref"]


async def test_without_operators_nothing_is_stored(store: Store, clock: ManualClock) -> None:
    report_id, reporter = await _report(store)
    made = await store.cctv.create(
        report_id,
        requester=reporter,  # type: ignore[arg-type]
        window=ReviewWindow.around(15),
        hotspot_id=None,
        render=plain_copy,
    )
    assert made.outcome is Made.NO_OPERATORS
    assert await store.cctv.for_report(report_id) == []
    assert await store.audit.recent(action_prefix="cctv.") == []


async def test_each_ladder_step_is_claimed_once_and_none_after_the_answer(
    store: Store, clock: ManualClock
) -> None:
    report_id, reporter = await _report(store)
    carl = await member_of_role(store, CARL, "Carl Camera", Role.CCTV)
    cora = await member_of_role(store, CORA, "Cora Coordinator", Role.COORDINATOR)
    made = await request(store, clock, report_id, reporter, START)  # type: ignore[arg-type]
    request_id = made.view.request.id or 0
    first, second = cctv_ladder(15)

    clock.set(START + timedelta(minutes=15))
    assert await store.cctv.unanswered(
        made_after=START - timedelta(days=1), older_than=timedelta(minutes=15)
    ) == [(request_id, START, set())]
    assert await store.cctv.escalate(request_id, first, claimed_by="a", render=plain_copy)
    assert not await store.cctv.escalate(request_id, first, claimed_by="b", render=plain_copy)
    assert await _sent(store) == [(carl.telegram_id, "CCTV-1 step 1 operator")]

    clock.set(START + timedelta(minutes=30))
    assert await store.cctv.escalate(request_id, second, claimed_by="a", render=plain_copy)
    # Coordinators and admins (Alex approved everyone): information, no buttons.
    assert sorted(await _sent(store)) == sorted(
        [(cora.telegram_id, "CCTV-1 step 2 info"), (1001, "CCTV-1 step 2 info")]
    )
    _, _, recorded = (
        await store.cctv.unanswered(
            made_after=START - timedelta(days=1), older_than=timedelta(minutes=15)
        )
    )[0]
    assert recorded == {1, 2}

    await answer(store, clock, made, carl, CctvAnswer.NO_COVERAGE, START + timedelta(minutes=31))
    assert (
        await store.cctv.unanswered(
            made_after=START - timedelta(days=1), older_than=timedelta(minutes=15)
        )
        == []
    )


async def test_counts_of_a_window(store: Store, clock: ManualClock) -> None:
    carl = await member_of_role(store, CARL, "Carl Camera", Role.CCTV)
    reporter = await member_of_role(store, REPORTER, "Rita Reporter", Role.OFFICER)
    weapon = await store.categories.by_slug("weapon")
    assert weapon is not None
    made = []
    for hours in (0, 1, 2, 3, 30):  # the last one falls outside the window counted
        clock.set(START + timedelta(hours=hours))
        report = await store.reports.file(
            ReportIn(category_id=weapon.id or 0, place_text="Elmer Square"),
            reporter=reporter,
            group_chat_id=None,
        )
        made.append(
            await request(store, clock, report.id or 0, reporter, START + timedelta(hours=hours))
        )
    answers = [
        (CctvAnswer.FOUND, 10),
        (CctvAnswer.NOTHING, 20),
        (CctvAnswer.NO_COVERAGE, 60),
        None,  # not answered yet
        (CctvAnswer.FOUND, 5),
    ]
    for hours, (one, given) in enumerate(zip(made, answers, strict=True)):
        if given is not None:
            at = START + timedelta(hours=(0, 1, 2, 3, 30)[hours], minutes=given[1])
            await answer(store, clock, one, carl, given[0], at)

    counts = await store.cctv.counts(START, START + timedelta(hours=24))
    assert (counts.requests, counts.found, counts.nothing_found, counts.no_coverage) == (4, 1, 1, 1)
    assert counts.unanswered == 1
    assert counts.median_minutes_to_answer == 20
    empty = await store.cctv.counts(START - timedelta(days=2), START)
    assert (empty.requests, empty.median_minutes_to_answer) == (0, None)
