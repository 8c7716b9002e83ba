"""/mine and /show: a member's own reports, and one report in pages (notes, photos,
acknowledgements) for whoever may see it."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.domain.access.roles import Permission, member_permissions
from bot.domain.alerts.cctv import may_request_review
from bot.domain.callbacks.reports import SHOW_BUTTONS
from bot.domain.reports.incidents import AckKind, ReportStatus, reference
from bot.domain.reports.show_pages import MESSAGE_ROOM, ShowPages, plan_pages
from bot.domain.safeguarding import concern_kind
from bot.keyboards import cctv as cctv_keyboards
from bot.keyboards import reports as reports_keyboards
from bot.texts import common as common_texts
from bot.texts import incidents as incident_texts
from bot.texts import incidents as incidents_texts
from bot.texts import safeguarding as safeguarding_texts
from bot.texts.split import split_message
from handlers.common import message_of, query_of, reply, sender
from handlers.incidents.reading import (
    MINE_LIMIT,
    arguments,
    parse_report_id,
    reply_long,
    sees_all_reports,
)
from storage.models import Member
from storage.reports import ReportView

log = logging.getLogger(__name__)


# ---- /mine -------------------------------------------------------------------------------
async def mine(update: Update, context: BotContext) -> None:
    member, tz = context.member, context.settings.tz
    views = await context.store.reports.by_reporter(member.id or 0, limit=MINE_LIMIT)
    if not views:
        await reply(update, incidents_texts.MINE_EMPTY)
        return
    lines = [incidents_texts.mine_header(len(views))]
    for view in views:
        report = view.report
        lines.append(
            incidents_texts.mine_line(
                reference(report.id or 0),
                common_texts.local_datetime(report.created_at, tz),
                view.category.name,
                view.place,
                report.urgent,
                incidents_texts.report_status(
                    report.status is ReportStatus.CLOSED, acknowledgement(view, context)
                ),
            )
        )
    lines.append(incidents_texts.MINE_HINT)
    await reply_long(update, "\n".join(lines))


def acknowledgement(view: ReportView, context: BotContext, *, full: bool = False) -> str | None:
    """None for a report nobody needs to acknowledge (not urgent)."""
    report = view.report
    if not report.urgent:
        return None
    attending = None if report.ack_kind is None else report.ack_kind is AckKind.ATTENDING
    at = report.acknowledged_at
    line = incidents_texts.acknowledgement(
        attending,
        view.acknowledged_by.name if view.acknowledged_by else None,
        common_texts.local_time(at, context.settings.tz) if at else None,
        full=full,
    )
    return incident_texts.with_attending(line, [m.name for m in view.attending])


# ---- /show -------------------------------------------------------------------------------
async def show(update: Update, context: BotContext) -> None:
    token, _ = arguments(message_of(update))
    report_id = parse_report_id(token)
    if report_id is None:
        await reply(update, incidents_texts.SHOW_USAGE)
        return
    member = context.member
    view = await context.store.reports.view(report_id, with_details=True)
    if sees_all_reports(member):
        if view is None:
            await reply(update, incidents_texts.report_not_found(reference(report_id)))
            return
    elif view is None or not await _may_see(view, member, context):
        # The same answer whether or not it exists: references are not to be probed.
        await reply(update, incidents_texts.ONLY_OWN_TO_SEE)
        return
    if _for_leads_only(view, member):
        await reply(update, safeguarding_texts.REPORT_FOR_LEADS)
        return
    await _audit_concern_view(view, member, context)
    await _send_page(update, context, view, 0)


async def _audit_concern_view(view: ReportView, member: Member, context: BotContext) -> None:
    """A lead or an admin reading a report that raised a concern: a look at the concern."""
    if not _raised_a_concern(view) or view.report.reporter_id == member.id:
        return
    concern = await context.store.concerns.for_report(view.report.id or 0)
    if concern is not None and concern.id is not None:
        await context.store.concerns.look(concern.id, by=member)


def _for_leads_only(view: ReportView, member: Member) -> bool:
    """A report that raised a safeguarding concern: its details are for the leads and the
    admins (and its reporter), not for every coordinator or whoever attended."""
    if not _raised_a_concern(view) or view.report.reporter_id == member.id:
        return False
    return Permission.SAFEGUARD not in member_permissions(member)


def _raised_a_concern(view: ReportView) -> bool:
    return concern_kind(category_slug=view.category.slug, under_18=view.report.under_18) is not None


async def _may_see(view: ReportView, member: Member, context: BotContext) -> bool:
    """Its reporter, whoever attended its alert (they were sent to it), and for a report
    that raised a safeguarding concern the safeguarding leads."""
    if view.report.reporter_id == member.id:
        return True
    if _raised_a_concern(view) and Permission.SAFEGUARD in member_permissions(member):
        return True
    return view.report.urgent and await context.store.alerts.is_attending(
        view.report.id or 0, member.id or 0
    )


async def show_more(update: Update, context: BotContext) -> None:
    """shw:more:<report>:<page>: the next page, for whoever may see the report now."""
    query = query_of(update)
    pressed = SHOW_BUTTONS.unpack(query.data)
    view = (
        await context.store.reports.view(pressed.report_id, with_details=True)
        if pressed is not None
        else None
    )
    member = context.member
    if view is None or not (sees_all_reports(member) or await _may_see(view, member, context)):
        # As /show says it: whether or not the report exists, references are not probed.
        await query.answer(incidents_texts.ONLY_OWN_TO_SEE, show_alert=True)
        return
    if _for_leads_only(view, member):
        await query.answer(safeguarding_texts.REPORT_FOR_LEADS, show_alert=True)
        return
    assert pressed is not None
    if pressed.page >= _pages(view, context).count:
        await query.answer(common_texts.STALE_BUTTON)
        return
    await query.answer()
    with contextlib.suppress(TelegramError):  # the pressed page's button has done its work
        await query.edit_message_reply_markup(None)
    await _send_page(update, context, view, pressed.page)


# One message a page: the report with the updates that fit, more updates, then one photo a
# page, each with "More" for the next (bot.domain.reports.show_pages). All at once, a report with
# 150 updates and 60 photos held up every other member's updates.
def _note_lines(view: ReportView, context: BotContext) -> list[tuple[str, str]]:
    tz = context.settings.tz
    return [
        (common_texts.local_datetime(note.created_at, tz), note.text or "(removed)")
        for note in view.notes
    ]


def _photos(view: ReportView) -> list[str]:
    return [a.file_id for a in view.attachments if a.kind == "photo" and a.file_id]


def _pages(view: ReportView, context: BotContext) -> ShowPages:
    first = _details(view, context, notes=[], notes_total=len(view.notes))
    return plan_pages(
        first_room=MESSAGE_ROOM - len(first) - _ROOM_FOR_MORE,
        note_sizes=[
            len(incidents_texts.update_line(*line)) + 1 for line in _note_lines(view, context)
        ],
        attachments=len(_photos(view)),
    )


_ROOM_FOR_MORE = 64  # the "(more with More ▶)" line and a page's heading


async def _send_page(update: Update, context: BotContext, view: ReportView, page: int) -> None:
    _, chat = sender(update)
    report_id = view.report.id or 0
    ref = reference(report_id)
    pages = _pages(view, context)
    more = reports_keyboards.show_more(report_id, page + 1) if page + 1 < pages.count else None
    member = context.member
    if page == 0 and may_request_review(
        member.role, is_admin=member.is_admin, is_reporter=view.report.reporter_id == member.id
    ):
        more = cctv_keyboards.with_request_button(more, report_id)
    notes = pages.notes_on(page)
    if notes is not None:
        lines = _note_lines(view, context)[notes[0] : notes[1]]
        if page == 0:
            text = _details(view, context, notes=lines, notes_total=len(view.notes))
        else:
            heading = incidents_texts.show_more_heading(ref, page + 1, pages.count)
            text = "\n".join([heading, *(incidents_texts.update_line(*line) for line in lines)])
        chunks = split_message(text)
        for chunk in chunks[:-1]:
            await context.bot.send_message(chat.id, chunk)
        await context.bot.send_message(chat.id, chunks[-1], reply_markup=more)
        return
    index = pages.attachment_on(page)
    photos = _photos(view)
    if index is None:
        return
    caption = incidents_texts.photo_caption(ref, index + 1, len(photos))
    try:
        await context.bot.send_photo(chat.id, photos[index], caption=caption, reply_markup=more)
    except TelegramError as error:
        # A file id Telegram no longer knows: say so, and keep the way to the next page.
        log.warning("photo of report %s could not be shown: %s", report_id, type(error).__name__)
        await context.bot.send_message(chat.id, caption, reply_markup=more)


def _details(
    view: ReportView,
    context: BotContext,
    *,
    notes: list[tuple[str, str]],
    notes_total: int,
) -> str:
    report, tz = view.report, context.settings.tz
    closed = report.status is ReportStatus.CLOSED
    return incidents_texts.report_details(
        ref=reference(report.id or 0),
        filed_at=common_texts.local_datetime(report.created_at, tz),
        reporter=view.reporter.name if view.reporter else None,
        category=view.category.name,
        place=view.place,
        outside_area=report.outside_area,
        people_count=report.people_count,
        urgent=report.urgent,
        description=report.description,
        attachments=incidents_texts.attachments_summary([a.kind for a in view.attachments]),
        notes=notes,
        notes_total=notes_total,
        acknowledgement=acknowledgement(view, context, full=True),
        closed=closed,
        closed_at=common_texts.local_datetime(report.closed_at, tz) if report.closed_at else None,
        closed_by=view.closed_by.name if view.closed_by else None,
        outcome=report.outcome,
    )
