"""Urgent alerts: Attending, Not attending any more, and Acknowledge, from a copy received.

A press counts only from a chat and message that received that report's alert (the outbox
rows know which): any button data sent from another message changes nothing and shows
nothing. Attending: anyone who got a copy (in the coordinators' group, any member there),
several at once, each shown on every copy. Acknowledge (taking ownership, which stops the
escalation ladder): coordinators and admins only. CCTV operators' copies carry "Camera on
it" / "No camera covers that" instead, each answer shown on every copy. The reporter
responds to none, and is told privately of each attendance, camera answer and the
acknowledgement.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.alerts.cctv import CameraAnswer
from bot.domain.callbacks.reports import AlertAction, AlertResponse
from bot.domain.reports.incidents import reference
from bot.jobs.alert_messages import alert_message, ladder_of, recipient_for
from bot.texts import alerts as alert_texts
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from handlers.common import query_of
from handlers.registry import Handler, button
from storage.alerts.alert_copies import Outcome, Pressed, Response

log = logging.getLogger(__name__)

_REFUSALS = {
    Outcome.NOT_RECEIVED: alert_texts.ALERT_NOT_RECEIVED,
    Outcome.OWN_REPORT: alert_texts.ALERT_OWN_REPORT,
    Outcome.NOT_ALLOWED: alert_texts.ALERT_ACK_NOT_ALLOWED,
    Outcome.CLOSED: alert_texts.ALERT_CLOSED,
    Outcome.UNKNOWN: alert_texts.ALERT_UNKNOWN,
}


async def respond_to_alert(update: Update, context: BotContext) -> None:
    query = query_of(update)
    press = AlertResponse.unpack(query.data)
    message = query.message  # a copy too old for Telegram to show still has its ids
    if press is None or message is None:
        await query.answer(alert_texts.ALERT_UNKNOWN)
        return
    action, report_id = press.action, press.report_id
    pressed = Pressed(message.chat.id, message.message_id)
    member, alerts, ref = context.member, context.store.alerts, reference(report_id)
    if action is AlertAction.ATTENDING:
        response = await alerts.attend(
            report_id,
            member=member,
            pressed=pressed,
            reporter_notice=alert_texts.reporter_told_attending(ref, member.name),
        )
        done, unchanged = alert_texts.you_attend(ref), alert_texts.ALREADY_ATTENDING
    elif action is AlertAction.NOT_ATTENDING:
        response = await alerts.stop_attending(
            report_id,
            member=member,
            pressed=pressed,
            reporter_notice=alert_texts.reporter_told_not_attending(ref, member.name),
        )
        done, unchanged = alert_texts.you_no_longer_attend(ref), alert_texts.NOT_ATTENDING_NOW
    elif action in (AlertAction.CAMERA_ON, AlertAction.NO_CAMERA):
        answer = CameraAnswer.ON_IT if action is AlertAction.CAMERA_ON else CameraAnswer.NO_CAMERA
        response = await alerts.camera(
            report_id,
            answer,
            member=member,
            pressed=pressed,
            reporter_notice=cctv_texts.reporter_told_camera(ref, member.name, answer),
        )
        done, unchanged = cctv_texts.you_answered_camera(ref, answer), ""
    else:
        at = common_texts.local_time(context.clock.now(), context.settings.tz)
        response = await alerts.acknowledge(
            report_id,
            member=member,
            pressed=pressed,
            reporter_notice=alert_texts.reporter_told_acknowledged(ref, member.name, at),
        )
        done, unchanged = alert_texts.you_acknowledged_it(ref), ""
    await _answer(update, context, response, report_id, done, unchanged, action)
    if response.outcome in (Outcome.DONE, Outcome.UNCHANGED):
        await _refresh_pressed_copy(update, context, report_id, pressed, changed=response)


async def _answer(
    update: Update,
    context: BotContext,
    response: Response,
    report_id: int,
    done: str,
    unchanged: str,
    action: AlertAction,
) -> None:
    query = query_of(update)
    refusal = _REFUSALS.get(response.outcome)
    if response.outcome is Outcome.NOT_ALLOWED and action is not AlertAction.ACKNOWLEDGE:
        camera = action in (AlertAction.CAMERA_ON, AlertAction.NO_CAMERA)
        refusal = cctv_texts.CAMERA_NOT_ALLOWED if camera else cctv_texts.OPERATORS_DO_NOT_ATTEND
    if refusal is not None:
        await query.answer(refusal, show_alert=response.outcome is Outcome.NOT_ALLOWED)
        return
    if response.outcome is Outcome.DONE:
        context.services.outbox_wakeup.set()  # the other copies' edits, the reporter's notice
        await query.answer(done)
        return
    if action in (AlertAction.CAMERA_ON, AlertAction.NO_CAMERA):
        await query.answer(cctv_texts.ALREADY_ANSWERED_CAMERA)
        return
    if action is AlertAction.ACKNOWLEDGE:  # someone else took it first
        view = await context.store.reports.view(report_id)
        by = view.acknowledged_by.name if view is not None and view.acknowledged_by else None
        at = view.report.acknowledged_at if view is not None else None
        shown_at = common_texts.local_time(at, context.settings.tz) if at is not None else "?"
        await query.answer(alert_texts.already_acknowledged_by(by, shown_at))
        return
    await query.answer(unchanged)


async def _refresh_pressed_copy(
    update: Update, context: BotContext, report_id: int, pressed: Pressed, *, changed: Response
) -> None:
    """The pressed copy shows the new state at once; the outbox edits every other copy."""
    query = query_of(update)
    store, settings = context.store, context.settings
    view = await store.reports.view(report_id)
    copy = await store.alerts.received(report_id, pressed)
    if view is None or copy is None:
        return
    member = context.member if pressed.chat_id > 0 else None
    shown = alert_message(
        view,
        tz=settings.tz,
        ladder=ladder_of(settings),
        step=copy.step,
        recipient=await recipient_for(store, settings, view, pressed.chat_id, member),
    )
    message = query.message
    if not isinstance(message, Message):
        return  # too old for Telegram to show us: the outbox edits it like the others
    current, wanted = message.reply_markup, shown.markup
    if changed.outcome is Outcome.UNCHANGED and (
        (current.to_dict() if current else None) == (wanted.to_dict() if wanted else None)
    ):
        return  # this copy already shows it
    try:
        await query.edit_message_text(shown.text, reply_markup=wanted)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            log.warning("could not edit the pressed alert for report %s", report_id)


def handlers() -> list[Handler]:
    return [button(callbacks.INCIDENT, respond_to_alert)]
