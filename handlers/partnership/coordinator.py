"""Coordinators' outputs: /brief (notes, the briefing now), /digest, /stats, /export, /quarter.

/brief, /digest and /stats carry counts and member names only, so they work in the
coordinators' group too; /export and /quarter send files and work in private chats only
(bot.commands). Exports and quarterly reports are audited.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatAction

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.admin import StatsPeriod
from bot.domain.partnership.stats_scope import ScopeNotFound
from bot.domain.periods import PeriodError, parse_date_range, parse_reportable_quarter
from bot.keyboards.partnership import coordinator as coordinator_keyboards
from bot.summaries import on_demand
from bot.summaries.compose import Composed
from bot.summaries.quarterly.document import build_report, file_name
from bot.texts import common as common_texts
from bot.texts.partnership import coordinator as coordinator_texts
from bot.texts.split import CAPTION_LIMIT, split_message
from handlers.common import message_of, query_of, reply, sender
from handlers.registry import Handler, button, command
from storage.partnership.notes import MAX_NOTE_LENGTH

log = logging.getLogger(__name__)

CHART_FILE = "chart.png"


def _arguments(message: Message) -> tuple[str, str]:
    """'/brief add CCTV down\\nat the square' → ('add', 'CCTV down\\nat the square')."""
    parts = (message.text or "").split(maxsplit=2)
    first = parts[1] if len(parts) > 1 else ""
    rest = parts[2].strip() if len(parts) > 2 else ""
    return first, rest


async def _send_composed(update: Update, context: BotContext, composed: Composed) -> None:
    """The text (split under Telegram's limit), then the chart as a photo with its caption."""
    _, chat = sender(update)
    for part in split_message(composed.text):
        await context.bot.send_message(chat.id, part)
    if composed.chart_png:
        captions = split_message(composed.caption or "", CAPTION_LIMIT)
        await context.bot.send_photo(
            chat.id,
            composed.chart_png,
            caption=captions[0] if captions else None,
            filename=CHART_FILE,
        )
        for rest in captions[1:]:
            await context.bot.send_message(chat.id, rest)


# ---- /brief ------------------------------------------------------------------------------
async def brief(update: Update, context: BotContext) -> None:
    action, rest = _arguments(message_of(update))
    action = action.casefold()
    if action == "add":
        await _add_note(update, context, rest)
    elif action == "clear":
        await _clear_note(update, context, rest)
    elif action:
        await reply(update, coordinator_texts.BRIEF_USAGE)
    else:
        _, chat = sender(update)
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        await _send_composed(
            update, context, await on_demand.briefing_now(context.services, context.clock.now())
        )


async def _add_note(update: Update, context: BotContext, text: str) -> None:
    if not text:
        await reply(update, coordinator_texts.BRIEF_ADD_EMPTY)
        return
    if len(text) > MAX_NOTE_LENGTH:
        await reply(update, coordinator_texts.brief_note_too_long(len(text), MAX_NOTE_LENGTH))
        return
    note = await context.store.notes.add(context.member, text)
    await reply(update, coordinator_texts.brief_note_added(note.id or 0))


async def _clear_note(update: Update, context: BotContext, text: str) -> None:
    token = text.strip().removeprefix("#")
    if not (token.isascii() and token.isdigit() and 0 < len(token) <= 9) or int(token) == 0:
        await reply(update, coordinator_texts.BRIEF_CLEAR_USAGE)
        return
    note_id = int(token)
    if await context.store.notes.clear(note_id, context.member):
        await reply(update, coordinator_texts.brief_note_cleared(note_id))
    else:
        await reply(update, coordinator_texts.brief_note_not_found(note_id))


# ---- /digest -----------------------------------------------------------------------------
async def digest(update: Update, context: BotContext) -> None:
    _, chat = sender(update)
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    composed = await on_demand.digest_now(context.services, context.clock.now())
    if composed is None:
        await reply(update, coordinator_texts.DIGEST_NO_SHIFTS)
        return
    await _send_composed(update, context, composed)


# ---- /stats ------------------------------------------------------------------------------
async def stats(update: Update, context: BotContext) -> None:
    period = " ".join(context.args or []).strip()
    if not period:
        await reply(update, coordinator_texts.STATS_USAGE, coordinator_keyboards.stats_periods())
        return
    await _send_stats(update, context, period)


async def stats_button(update: Update, context: BotContext) -> None:
    """sta:p:<period>: one of the /stats buttons."""
    query = query_of(update)
    pressed = StatsPeriod.unpack(query.data)
    if pressed is None:
        await query.answer(common_texts.STALE_BUTTON)
        return
    await query.answer()
    await _send_stats(update, context, pressed.period)


async def _send_stats(update: Update, context: BotContext, period: str) -> None:
    _, chat = sender(update)
    try:
        composed = await on_demand.stats_for(context.services, period, context.clock.now())
    except PeriodError as error:
        await context.bot.send_message(
            chat.id,
            coordinator_texts.refused_period(
                error.problem, error.given, coordinator_texts.STATS_USAGE
            ),
            reply_markup=coordinator_keyboards.stats_periods(),
        )
        return
    except ScopeNotFound as error:
        store = context.store
        await context.bot.send_message(
            chat.id,
            coordinator_texts.stats_scope_not_found(
                error.given,
                [h.name for h in await store.hotspots.active()],
                [c.name for c in await store.categories.active()],
            ),
        )
        return
    await _send_composed(update, context, composed)


# ---- /export -----------------------------------------------------------------------------
async def export(update: Update, context: BotContext) -> None:
    args = context.args or []
    if len(args) != 2:
        await reply(update, coordinator_texts.EXPORT_USAGE)
        return
    try:
        period = parse_date_range(args[0], args[1], context.settings.tz)
    except PeriodError as error:
        await reply(
            update,
            coordinator_texts.refused_period(
                error.problem, error.given, coordinator_texts.EXPORT_USAGE
            ),
        )
        return
    _, chat = sender(update)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    made = await on_demand.export(context.services, period, by=context.member)
    first, last = period.first.isoformat(), period.last.isoformat()
    for file, what, unit in (
        (made.reports, coordinator_texts.EXPORT_REPORTS, "reports"),
        (made.outreach, coordinator_texts.EXPORT_OUTREACH, "days"),
    ):
        await context.bot.send_document(
            chat.id,
            file.content,
            filename=file.name,
            caption=coordinator_texts.export_caption(what, first, last, file.rows, unit),
        )
    log.info("export %s..%s sent to member %s", first, last, context.member.id)
    await reply(
        update, coordinator_texts.export_done(first, last, made.reports.rows, made.outreach.rows)
    )


# ---- /quarter ----------------------------------------------------------------------------
async def quarter(update: Update, context: BotContext) -> None:
    given = " ".join(context.args or []).strip()
    if not given:
        await reply(update, coordinator_texts.QUARTER_USAGE)
        return
    settings, now = context.settings, context.clock.now()
    try:
        chosen = parse_reportable_quarter(given, now=now, tz=settings.tz)
    except PeriodError as error:
        await reply(
            update,
            coordinator_texts.refused_period(
                error.problem, error.given, coordinator_texts.QUARTER_USAGE
            ),
        )
        return
    _, chat = sender(update)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    figures, pdf = await build_report(
        context.store,
        chosen,
        tz=settings.tz,
        now=now,
        ack_target_minutes=settings.alert_escalate_minutes,
        by=context.member,
        via="bot",
    )
    await context.bot.send_document(
        chat.id,
        pdf,
        filename=file_name(chosen),
        caption=coordinator_texts.quarter_caption(chosen.title, figures.complete),
    )


def handlers() -> list[Handler]:
    return [
        command("brief", brief),
        command("digest", digest),
        command("stats", stats),
        command("export", export),
        command("quarter", quarter),
        button(callbacks.STATS, stats_button),
    ]
