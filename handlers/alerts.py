"""Urgent alerts: the Acknowledge / Attending buttons, and escalating the ones nobody took."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot import texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.callbacks.reports import AlertResponse
from bot.domain.incidents import AckKind, reference
from bot.jobs.alert_messages import acknowledged_by, alert_message
from handlers.common import query_of
from handlers.registry import Handler, button

log = logging.getLogger(__name__)


async def respond_to_alert(update: Update, context: BotContext) -> None:
    """inc:ack:<report> / inc:att:<report>: the first press wins, later ones are told who."""
    query = query_of(update)
    response = AlertResponse.unpack(query.data)
    if response is None:
        await query.answer(texts.ALERT_UNKNOWN)
        return
    kind, report_id = response.kind, response.report_id
    # A copy too old for Telegram to show us cannot be edited here: the outbox edits it.
    message = query.message if isinstance(query.message, Message) else None
    pressed = (message.chat.id, message.message_id) if message is not None else None
    outcome = await context.store.reports.acknowledge(
        report_id, by=context.member, kind=kind, pressed=pressed
    )
    if outcome is None or not outcome.view.report.urgent:
        await query.answer(texts.ALERT_UNKNOWN)
        return
    view, tz = outcome.view, context.settings.tz
    if outcome.won:
        await query.answer(texts.you_acknowledged(reference(report_id), kind is AckKind.ATTENDING))
        context.services.outbox_wakeup.set()  # the other copies' edits are queued
    else:
        name, at = acknowledged_by(view, tz)
        await query.answer(texts.already_acknowledged(name, at))
    if message is None or (not outcome.won and message.reply_markup is None):
        return  # this copy already shows who acknowledged
    # The pressed copy changes at once; the outbox edits every other copy.
    shown = alert_message(view, tz=tz, escalate_minutes=context.settings.alert_escalate_minutes)
    try:
        await query.edit_message_text(shown.text, reply_markup=shown.markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            log.warning("could not edit the pressed alert for report %s", report_id)


def handlers() -> list[Handler]:
    return [button(callbacks.INCIDENT, respond_to_alert)]
