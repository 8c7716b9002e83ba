"""/close with a coded outcome, and /open: the incidents still open."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.callbacks.reports import CLOSE_BUTTONS
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.domain.reports.incidents import MAX_TEXT, ReportStatus, reference
from bot.keyboards.incidents import close_outcomes
from bot.texts import common as common_texts
from bot.texts import incidents as incident_texts
from bot.texts import incidents as incidents_texts
from handlers.common import edit_or_reply, message_of, query_of, reply
from handlers.incidents.reading import (
    arguments,
    parse_report_id,
    reply_long,
)
from handlers.incidents.show import acknowledgement
from storage.reports import ReportView


# ---- /close ------------------------------------------------------------------------------
async def close(update: Update, context: BotContext) -> None:
    """/close R-12 offers the outcome codes; /close R-12 text closes it with those words
    and then asks for the code (the quarterly pack counts codes, people read the words)."""
    token, outcome = arguments(message_of(update))
    report_id = parse_report_id(token)
    if report_id is None:
        await reply(update, incidents_texts.CLOSE_USAGE)
        return
    ref = reference(report_id)
    if len(outcome) > MAX_TEXT:
        await reply(update, incidents_texts.text_too_long(len(outcome), MAX_TEXT))
        return
    store = context.store
    if not outcome:
        view = await store.reports.view(report_id)
        if view is None:
            await reply(update, incidents_texts.report_not_found(ref))
        elif view.report.status is not ReportStatus.OPEN:
            await _already_closed(update, context, view)
        else:
            await reply(update, incident_texts.close_choose_outcome(ref), close_outcomes(report_id))
        return
    if not await _close(update, context, report_id, outcome, None):
        return
    await reply(
        update,
        incident_texts.closed_choose_code(incidents_texts.report_closed(ref, outcome), ref),
        close_outcomes(report_id),
    )


async def _close(
    update: Update,
    context: BotContext,
    report_id: int,
    outcome: str,
    code: CloseOutcome | None,
) -> bool:
    """Close with the reporter told; False (after saying why) when it was not open."""
    store, coordinator, ref = context.store, context.member, reference(report_id)
    notice = incidents_texts.report_closed_for_reporter(ref, coordinator.name, outcome)
    closed = await store.reports.close(
        report_id, by=coordinator, outcome=outcome, outcome_code=code, reporter_notice=notice
    )
    if closed is None:
        view = await store.reports.view(report_id)
        if view is None:
            await reply(update, incidents_texts.report_not_found(ref))
        else:
            await _already_closed(update, context, view)
        return False
    context.services.outbox_wakeup.set()
    return True


async def close_code_button(update: Update, context: BotContext) -> None:
    """cls:o:<report>:<code>: close an open report with this code, or code a closed one."""
    query = query_of(update)
    pressed = CLOSE_BUTTONS.unpack(query.data)
    if pressed is None:
        await query.answer(common_texts.STALE_BUTTON)
        return
    await query.answer()
    report_id, code = pressed.report_id, pressed.code
    ref, label = reference(report_id), incident_texts.CLOSE_OUTCOME_LABELS[code]
    report = await context.store.reports.get(report_id)
    if report is None:
        await edit_or_reply(update, incidents_texts.report_not_found(ref))
    elif report.status is ReportStatus.OPEN:
        if await _close(update, context, report_id, label, code):
            await edit_or_reply(update, incident_texts.report_closed_with_code(ref, label, None))
    elif report.outcome_code is None or report.closed_by_id == context.member.id:
        await context.store.reports.set_outcome_code(report_id, code)
        await edit_or_reply(update, incident_texts.outcome_code_recorded(ref, label))
    else:
        view = await context.store.reports.view(report_id)
        assert view is not None
        await _already_closed(update, context, view)


async def _already_closed(update: Update, context: BotContext, view: ReportView) -> None:
    report = view.report
    at = report.closed_at or report.created_at
    await reply(
        update,
        incidents_texts.report_already_closed(
            reference(report.id or 0),
            common_texts.local_datetime(at, context.settings.tz),
            view.closed_by.name if view.closed_by else None,
        ),
    )


# ---- /open -------------------------------------------------------------------------------
async def open_incidents(update: Update, context: BotContext) -> None:
    views = await context.store.reports.open_urgent()
    if not views:
        await reply(update, incidents_texts.NO_OPEN_URGENT)
        return
    now = context.clock.now()
    lines = [incidents_texts.open_header(len(views))]
    for view in views:
        report = view.report
        minutes = max(0, int((now - report.created_at).total_seconds() // 60))
        lines.append(
            incidents_texts.open_line(
                reference(report.id or 0),
                incidents_texts.age(minutes),
                view.category.name,
                view.place,
                acknowledgement(view, context) or "",
                report.acknowledged_at is not None,
            )
        )
    await reply_long(update, "\n".join(lines))
