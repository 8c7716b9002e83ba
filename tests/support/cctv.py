"""CCTV review requests made and answered through the store, as the bot would: for the
storage, digest and meeting pack tests (the handler tests drive them from Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.access.roles import Role
from bot.domain.alerts.cctv import CctvAnswer, ReviewWindow
from bot.domain.clock import ManualClock
from storage.alerts.alert_copies import Pressed
from storage.alerts.cctv import AnswerResult, CctvRequestView, Made
from storage.models import Member
from storage.store import Store

ADMIN_ID = 1001


def plain_copy(view: CctvRequestView, step: int, operator: bool) -> tuple[str, str | None]:
    """A copy's text as storage tests need it: which request, which step, for whom."""
    return f"{view.ref} step {step} {'operator' if operator else 'info'}", None


async def member_of_role(store: Store, telegram_id: int, name: str, role: Role) -> Member:
    """An active member of that role, approved by the admin (made if missing)."""
    admin = await store.members.ensure_admin(ADMIN_ID, "Alex Admin")
    member, _ = await store.members.request_access(telegram_id, name, None)
    approved = await store.members.approve(member.id or 0, role, by=admin)
    assert approved is not None
    return approved


async def send_copies(store: Store) -> dict[int, int]:
    """Mark every pending outbox row sent (message id = row id); chat → its last message."""
    sent: dict[int, int] = {}
    for row in await store.outbox.claim_due(limit=500):
        await store.outbox.mark_sent(row.id or 0, row.id)
        sent[row.chat_id] = row.id or 0
    return sent


@dataclass(frozen=True)
class Requested:
    view: CctvRequestView
    copies: dict[int, int]  # operator's chat → the message id of their copy


async def request(
    store: Store, clock: ManualClock, report_id: int, requester: Member, at: datetime
) -> Requested:
    """A request made at `at`, its copies to the operators sent at once."""
    clock.set(at)
    made = await store.cctv.create(
        report_id,
        requester=requester,
        window=ReviewWindow.around(15),
        hotspot_id=None,
        render=plain_copy,
    )
    assert made.outcome is Made.CREATED and made.view is not None
    return Requested(made.view, await send_copies(store))


async def answer(
    store: Store,
    clock: ManualClock,
    made: Requested,
    operator: Member,
    answer: CctvAnswer,
    at: datetime,
) -> AnswerResult:
    """The operator's answer from their copy of the request."""
    clock.set(at)
    return await store.cctv.answer(
        made.view.request.id or 0,
        answer,
        member=operator,
        pressed=Pressed(operator.telegram_id, made.copies[operator.telegram_id]),
        edited=lambda v: f"{v.ref} answered",
        notice=lambda v: f"{v.ref}: {answer.value}",
    )
