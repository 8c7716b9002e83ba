"""A safeguarding concern as a lead (or an admin) reads it now: text and buttons from its
state. The outbox sender renders every copy and every edit here at send time, and the
handlers render the pressed copy here, so all copies read the same: what it is about, where
and when, who raised it, what they said, and whether (and by whom) it was acknowledged and
what was done. A copy of a step of its ladder says how long it has waited."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.config import Settings
from bot.context import Services
from bot.domain.access.roles import Permission, member_permissions
from bot.domain.reports.incidents import reference
from bot.domain.safeguarding import ConcernLadder, ConcernStatus, concern_reference
from bot.keyboards import safeguarding as concern_keyboards
from bot.texts import common as common_texts
from bot.texts import safeguarding as concern_texts
from storage.models import OutboxMessage
from storage.safeguarding.concerns import ConcernView


def concern_ladder(settings: Settings) -> ConcernLadder:
    """The concerns' ladder the settings describe."""
    return ConcernLadder(
        leads_again_minutes=settings.concern_escalate_minutes,
        admins_minutes=settings.concern_escalate_admins_minutes,
    )


def concern_message(
    view: ConcernView, *, tz: ZoneInfo, ladder: ConcernLadder, step: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    c = view.concern
    status = c.status
    if status is ConcernStatus.DONE and c.action is not None:
        at = common_texts.local_time(c.action_at, tz) if c.action_at else "?"
        by = view.action_by.name if view.action_by else None
        status_line = concern_texts.status_done(c.action, c.action_note, by, at)
    elif c.acknowledged_at is not None:
        by = view.acknowledged_by.name if view.acknowledged_by else None
        status_line = concern_texts.status_acknowledged(
            by, common_texts.local_time(c.acknowledged_at, tz)
        )
    else:
        status_line = concern_texts.status_waiting()
    escalation = ladder.step(step) if step and status is ConcernStatus.OPEN else None
    heading = concern_texts.concern_heading(
        concern_reference(view.id),
        step_minutes=escalation.minutes if escalation is not None else None,
    )
    raised_by = view.raised_by
    text = concern_texts.concern_text(
        heading=heading,
        kind=c.kind,
        source=c.source,
        report_reference=reference(c.report_id) if c.report_id else None,
        category=view.category.name if view.category else None,
        place=view.place,
        seen_at=common_texts.local_datetime(c.seen_at or c.raised_at, tz),
        raised_by=raised_by.name if raised_by else None,
        raised_by_role=raised_by.role.label if raised_by else None,
        person=view.person_alias,
        details=view.details,
        status_line=status_line,
    )
    markup = concern_keyboards.concern_buttons(
        view.id,
        acknowledged=c.acknowledged_at is not None,
        done=status is ConcernStatus.DONE,
    )
    return text, markup


async def concern_row_message(
    services: Services, row: OutboxMessage
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """An outbox row's concern copy (or edit) as it reads now; None when the concern is gone
    or its recipient may no longer read it (no longer a lead or an admin, or suspended)."""
    if row.concern_id is None:
        return None
    recipient = await services.store.members.by_telegram_id(row.chat_id)
    if recipient is None or Permission.SAFEGUARD not in member_permissions(recipient):
        return None
    view = await services.store.concerns.view(row.concern_id)
    if view is None:
        return None
    settings = services.settings
    return concern_message(
        view, tz=settings.tz, ladder=concern_ladder(settings), step=row.alert_step or 0
    )
