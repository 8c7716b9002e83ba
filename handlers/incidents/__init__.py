"""Reports after the fact: /mine, /show, /update (and photos replying to a report), /close,
/open. Who may see what: a report is its reporter's; coordinators and admins see all.

One module per part: show (/mine, /show), updates (/update, photo replies), closing
(/close, /open), and reading (what they share)."""

from __future__ import annotations

from telegram.ext import MessageHandler, filters

from bot.domain import callbacks
from handlers.incidents.closing import close, close_code_button, open_incidents
from handlers.incidents.show import mine, show, show_more
from handlers.incidents.updates import RepliesToOneOfOurReports, photo_for_report, update_report
from handlers.registry import Handler, button, command


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
            filters.ChatType.PRIVATE & filters.PHOTO & filters.REPLY & RepliesToOneOfOurReports(),
            photo_for_report,
        ),
    ]
