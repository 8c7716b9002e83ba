"""Wording every feature shares: escaping, local times, refusals, shared replies.

HTML parse mode: every piece of user text goes through esc(). Imports only the standard
library.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def local_time(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%H:%M")


def local_datetime(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b %H:%M")


NOT_A_MEMBER = (
    "This bot is for members of the town centre action group only.\nTo ask for access, send /start."
)
IF_LIFE_AT_RISK = (
    "If life is at risk, call 999 or use the radio: this bot is not an emergency service."
)
PRIVATE_ONLY = "Please use /{command} in a private chat with me."
NOT_ALLOWED_COMMAND = "/{command} is not available for your role. /help lists what you can use."
NOT_ALLOWED_BUTTON = "That button is not available for your role."
STALE_BUTTON = "That button no longer works. Send /start for the menu."
UNKNOWN_COMMAND = "I don't know that command. /help lists what you can use."
NOT_UNDERSTOOD = "I didn't understand that. /help lists what I can do."
CANCELLED = "Nothing to cancel. /help lists what I can do."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. The admins have been told; please try again."
)


# ---- errors for admins -----------------------------------------------------------------
def error_report(error_type: str, where: str, update_kind: str, update_id: int | None) -> str:
    ref = f" (update {update_id})" if update_id is not None else ""
    return (
        f"⚠️ <b>Bot error</b>: {esc(error_type)} while handling a {esc(update_kind)}{ref} "
        f"in {esc(where)}. Details are in the server log."
    )


EDITS_NOT_READ = "I don't read edited messages. Please send it again as a new message."


# ---- lengths of time, read at a glance ---------------------------------------------------
def duration(span: timedelta) -> str:
    """A length of time read at a glance: 'under 1 min', '3 min', '1 h 05 min', '2 d 3 h'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {mins:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


COMMAND_MAX = 32  # Telegram's longest command name: a longer "command" is cut when echoed


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis (before escaping)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- changing a setting through buttons and typed answers (categories, hotspots, shifts) --
def notice_and(notice: str, text: str) -> str:
    """A one-line outcome (already HTML) above a card."""
    return f"{notice}\n\n{text}"


def problem(text: str, *, in_flow: bool = True) -> str:
    """A plain-text problem with the input; in a flow, how to go on."""
    return f"{esc(text)}\nPlease try again, or /cancel." if in_flow else esc(text)


EDIT_CANCELLED = "Stopped: nothing was changed."
EDIT_EXPIRED = "That change was already finished or stopped. Use the buttons again."


def edit_interrupted(command: str) -> str:
    return (
        f"I've stopped the change you were making (nothing was saved). "
        f"Please send /{esc(shorten(command, COMMAND_MAX))} again."
    )


TYPE_THE_ANSWER = "Please type your answer as a message, or /cancel."


def change_saved(what: str) -> str:
    return f"✅ {esc(what)}."


# ---- fuzzing fixes (issue 7): answers to input no real client sends ---------------------
LOCATION_NOT_A_POINT = (
    "That location doesn't look right: it isn't a point on the map. Please share it again."
)


BUTTON_PRIVATE_ONLY = "That button works only in a private chat with me."
