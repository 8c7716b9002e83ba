"""/update and photos replying to a report: a reporter adds to their own open report."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext
from bot.domain.reports.incidents import MAX_TEXT, ReportStatus, reference
from bot.texts import incidents as incidents_texts
from handlers.common import message_of, reply
from handlers.incidents.reading import (
    REFERENCE_TOKEN_RE,
    arguments,
    parse_report_id,
    references_in,
    sees_all_reports,
)
from storage.models import Report


# ---- /update and photos replying to a report --------------------------------------------
async def update_report(update: Update, context: BotContext) -> None:
    token, text = arguments(message_of(update))
    report_id = parse_report_id(token)
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
    found = references_in((replied.text or replied.caption or "") if replied else "")
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
    if report is None and sees_all_reports(member):
        await reply(update, incidents_texts.report_not_found(reference(report_id)))
        return None
    if report is None or report.reporter_id != member.id:
        await reply(update, incidents_texts.ONLY_OWN_TO_UPDATE)
        return None
    if report.status is not ReportStatus.OPEN:
        await reply(update, incidents_texts.closed_cannot_update(reference(report_id)))
        return None
    return report


class RepliesToOneOfOurReports(filters.MessageFilter):
    """A reply to a message of the bot that names a report (R-0042)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return bool(REFERENCE_TOKEN_RE.search(replied.text or replied.caption or ""))
