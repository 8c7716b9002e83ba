"""Incident reports: the guided /report flow and quick reports, as one persistent conversation.

Ways in (the conversation's entry points):
- /report and the main menu's Report button: category → location → what happened →
  people → urgent → summary (Confirm / Edit / Cancel) (handlers.reports.guided);
- a plain text in the private chat (a quick report): read for a category and a hotspot,
  proposed with Confirm / Change category / Change place / Cancel; nothing recognised
  offers the category buttons (handlers.reports.quick);
- a location alone (a report at that place), a photo (with a caption: a quick report with
  the photo; without: a guided report with the photo), a voice note (like a bare photo);
- a kept draft's Resume (handlers.reports.waiting, listed by /drafts).

Text typed while a step waits is never thrown away (handlers.reports.waiting): it answers
the step or names a button shown, or else it is a new quick report and the draft waiting
is kept aside for /drafts.

These handlers come after every other feature's, just before the fallbacks, so a member
who is answering another feature's conversation never has their message read as a
report. The draft (bot.domain.reports.report_draft) lives in the persisted user data and every
button carries its id: a button of an older draft changes nothing. An unanswered draft
expires after TCAG_DRAFT_TTL_MINUTES (job `expire-report-drafts`).
"""

from __future__ import annotations

import re
from typing import Any

from telegram.ext import CallbackQueryHandler, ConversationHandler, filters

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from bot.domain.callbacks.members import MenuAction, MenuPress
from bot.domain.reports.report_draft import REPORT_CONVERSATION, Step
from handlers.conversation import Handler, conversation, on, typed, with_draft
from handlers.registry import button, command
from handlers.reports import guided, quick, waiting
from handlers.reports.draft import REPORT_DRAFT, cancel, gone, in_step, remind

PRIVATE = filters.ChatType.PRIVATE


def _report_menu_button() -> CallbackQueryHandler[BotContext, Any]:
    data = MenuPress(MenuAction.REPORT).pack()
    return CallbackQueryHandler(guided.start_report, pattern=f"^{re.escape(data)}$")


def report_conversation() -> ConversationHandler[BotContext]:
    presses = [
        button(callbacks.REPORT, guided.on_press),
        button(callbacks.QUICK, guided.on_press),
        button(callbacks.DRAFTS, waiting.kept_draft_press),
    ]
    # Typed text at any step: the step's answer, a button named, or a new report.
    typed_text = typed(with_draft(REPORT_DRAFT, gone, waiting.typed_while_waiting))
    return conversation(
        REPORT_CONVERSATION,
        permission=Permission.MEMBER,
        entry_points=[
            command("report", guided.start_report),
            _report_menu_button(),
            *presses,  # a draft's button after a restart, or an expired one
            on(PRIVATE & filters.TEXT & ~filters.COMMAND, quick.quick_text),
            on(PRIVATE & filters.LOCATION, quick.quick_location),
            on(PRIVATE & filters.PHOTO, quick.quick_photo),
            on(PRIVATE & filters.VOICE, quick.quick_voice),
        ],
        every_step=[*presses, typed_text],
        steps={
            Step.CATEGORY: [],
            Step.LOCATION: [
                on(filters.LOCATION, in_step(Step.LOCATION, guided.location_shared)),
            ],
            Step.WHAT: [
                on(filters.PHOTO, in_step(Step.WHAT, guided.photo_sent)),
                on(filters.VOICE, in_step(Step.WHAT, guided.voice_sent)),
            ],
            Step.PEOPLE: [],
            Step.URGENT: [],
            Step.SUMMARY: [],
            Step.PROPOSAL: [],
        },
        otherwise=remind,
        cancel=cancel,
        # /report and the menu's Report button start again; other commands pass on to
        # their own handlers, the draft kept.
        fallbacks=[command("report", guided.start_report), _report_menu_button()],
        persistent=True,
        allow_reentry=False,
    )


def handlers() -> list[Handler]:
    # /drafts lists kept drafts whatever the conversation's state; their buttons are the
    # conversation's own (a resumed draft carries on in it).
    return [report_conversation(), command("drafts", waiting.drafts_command)]
