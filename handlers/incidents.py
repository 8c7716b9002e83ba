"""Reports after the fact: /mine, /show, /update (and photos replying to a report), /close,
/open. Who may see what: a report is its reporter's; coordinators and admins see all."""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.reports import CLOSE_BUTTONS, SHOW_BUTTONS
from bot.domain.close_outcomes import CloseOutcome
from bot.domain.incidents import MAX_TEXT, AckKind, ReportStatus, parse_reference, reference
from bot.domain.roles import Permission, permissions_for
from bot.domain.show_pages import MESSAGE_ROOM, ShowPages, plan_pages
from bot.keyboards import reports as reports_keyboards
from bot.keyboards.incidents import close_outcomes
from bot.texts import common as common_texts
from bot.texts import incidents as incident_texts
from bot.texts import incidents as incidents_texts
from bot.texts.split import split_message
from handlers.common import edit_or_reply, message_of, query_of, reply, sender
from handlers.registry import Handler, button, command
from storage.models import Member, Report
from storage.reports import ReportView

log = logging.getLogger(__name__)

MINE_LIMIT = 10
_REFERENCE_TOKEN_RE = re.compile(r"\bR-\d+\b")


# ---- reading the command -----------------------------------------------------------------
def _arguments(message: Message) -> tuple[str, str]:
    """'/update R-12 two more\\narrived' → ('R-12', 'two more\\narrived'): line breaks kept."""
    parts = (message.text or "").split(maxsplit=2)
    first = parts[1] if len(parts) > 1 else ""
    rest = parts[2].strip() if len(parts) > 2 else ""
    return first, rest


def _report_id(token: str) -> int | None:
    """R-12, r12, R-0012, or just 12."""
    if token.isascii() and token.isdigit() and len(token) <= 9:
        return int(token) or None
    return parse_reference(token)


def _references_in(text: str) -> set[int]:
    found = (parse_reference(token) for token in _REFERENCE_TOKEN_RE.findall(text))
    return {report_id for report_id in found if report_id is not None}


def _sees_all_reports(member: Member) -> bool:
    granted = permissions_for(member.role, is_admin=member.is_admin, status=member.status)
    return Permission.COORDINATE in granted or Permission.ADMIN in granted


async def _reply_long(update: Update, text: str) -> None:
    for chunk in split_message(text):
        await reply(update, chunk)


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
                    report.status is ReportStatus.CLOSED, _acknowledgement(view, context)
                ),
            )
        )
    lines.append(incidents_texts.MINE_HINT)
    await _reply_long(update, "\n".join(lines))


def _acknowledgement(view: ReportView, context: BotContext, *, full: bool = False) -> str | None:
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
    token, _ = _arguments(message_of(update))
    report_id = _report_id(token)
    if report_id is None:
        await reply(update, incidents_texts.SHOW_USAGE)
        return
    member = context.member
    view = await context.store.reports.view(report_id, with_details=True)
    if _sees_all_reports(member):
        if view is None:
            await reply(update, incidents_texts.report_not_found(reference(report_id)))
            return
    elif view is None or not await _may_see(view, member, context):
        # The same answer whether or not it exists: references are not to be probed.
        await reply(update, incidents_texts.ONLY_OWN_TO_SEE)
        return
    await _send_page(update, context, view, 0)


async def _may_see(view: ReportView, member: Member, context: BotContext) -> bool:
    """Its reporter, and whoever attended its alert (they were sent to it)."""
    if view.report.reporter_id == member.id:
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
    if view is None or not (_sees_all_reports(member) or await _may_see(view, member, context)):
        # As /show says it: whether or not the report exists, references are not probed.
        await query.answer(incidents_texts.ONLY_OWN_TO_SEE, show_alert=True)
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
# page, each with "More" for the next (bot.domain.show_pages). All at once, a report with
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
        acknowledgement=_acknowledgement(view, context, full=True),
        closed=closed,
        closed_at=common_texts.local_datetime(report.closed_at, tz) if report.closed_at else None,
        closed_by=view.closed_by.name if view.closed_by else None,
        outcome=report.outcome,
    )


# ---- /update and photos replying to a report --------------------------------------------
async def update_report(update: Update, context: BotContext) -> None:
    token, text = _arguments(message_of(update))
    report_id = _report_id(token)
    if report_id is None:
        await reply(update, incidents_texts.UPDATE_USAGE)
        return
    ref = reference(report_id)
    if not text:
        await reply(update, incidents_texts.update_text_missing(ref))
        return
    if len(text) > MAX_TEXT:
        await reply(update, incidents_texts.text_too_long(len(text), MAX_TEXT))
        return
    report = await _own_open_report(update, context, report_id)
    if report is None:
        return
    limit = context.settings.max_notes_per_report
    added = await context.store.reports.add_note(
        report_id, author=context.member, text=text, limit=limit
    )
    await reply(
        update, incidents_texts.note_added(ref) if added else incidents_texts.notes_full(ref, limit)
    )


async def photo_for_report(update: Update, context: BotContext) -> None:
    """A photo sent as a reply to the bot's message about one report adds it to that report."""
    message = message_of(update)
    replied = message.reply_to_message
    found = _references_in((replied.text or replied.caption or "") if replied else "")
    if len(found) != 1 or not message.photo:
        await reply(update, incidents_texts.PHOTO_WHICH_REPORT)
        return
    report_id = found.pop()
    report = await _own_open_report(update, context, report_id)
    if report is None:
        return
    store, member = context.store, context.member
    largest = max(message.photo, key=lambda size: size.width * size.height)
    limit = context.settings.max_photos_per_report
    ref = reference(report_id)
    if not await store.reports.add_attachment(
        report_id, by=member, kind="photo", file_id=largest.file_id, limit=limit
    ):
        await reply(update, incidents_texts.photos_full(ref, limit))
        return
    caption = (message.caption or "").strip()
    if caption:  # what the reporter wrote with the photo is an update too
        await store.reports.add_note(
            report_id,
            author=member,
            text=caption[:MAX_TEXT],
            limit=context.settings.max_notes_per_report,
        )
    await reply(update, incidents_texts.photo_added(ref))


async def _own_open_report(update: Update, context: BotContext, report_id: int) -> Report | None:
    """The member's own open report, or None after telling them why not."""
    member = context.member
    report = await context.store.reports.get(report_id)
    if report is None and _sees_all_reports(member):
        await reply(update, incidents_texts.report_not_found(reference(report_id)))
        return None
    if report is None or report.reporter_id != member.id:
        await reply(update, incidents_texts.ONLY_OWN_TO_UPDATE)
        return None
    if report.status is not ReportStatus.OPEN:
        await reply(update, incidents_texts.closed_cannot_update(reference(report_id)))
        return None
    return report


class _RepliesToOneOfOurReports(filters.MessageFilter):
    """A reply to a message of the bot that names a report (R-0042)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return bool(_REFERENCE_TOKEN_RE.search(replied.text or replied.caption or ""))


# ---- /close ------------------------------------------------------------------------------
async def close(update: Update, context: BotContext) -> None:
    """/close R-12 offers the outcome codes; /close R-12 text closes it with those words
    and then asks for the code (the quarterly pack counts codes, people read the words)."""
    token, outcome = _arguments(message_of(update))
    report_id = _report_id(token)
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
                _acknowledgement(view, context) or "",
                report.acknowledged_at is not None,
            )
        )
    await _reply_long(update, "\n".join(lines))


def handlers() -> list[Handler]:
    """Put before handlers.reports: a photo replying to a confirmation must reach us first."""
    return [
        command("mine", mine),
        command("show", show),
        button(callbacks.SHOW, show_more),
        command("update", update_report),
        command("close", close),
        button(callbacks.CLOSE, close_code_button),
        command("open", open_incidents),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.PHOTO & filters.REPLY & _RepliesToOneOfOurReports(),
            photo_for_report,
        ),
    ]
