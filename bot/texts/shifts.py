"""Shift patterns, as admins see and change them (/shifts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.texts.common import duration, esc

SHIFTS_NONE = (
    "<b>Shift patterns</b>: none yet.\nAdd the shifts you run: briefings go to the "
    "coordinators' group before each one starts and a digest after it ends."
)
SHIFTS_USAGE = (
    "Use /shifts to see and change the shift patterns, or\n"
    "<code>/shifts add Friday late | fri,sat | 20:00 | 03:00</code> to add one "
    "(name | days | start | end)."
)
SHIFT_NOT_FOUND = "That shift no longer exists."
SHIFT_NAME_TAKEN = "Another shift already has that name."
SHIFT_ASK_NAME = "What is the new shift called? (e.g. <i>Friday late</i>; or /cancel)"
_DAYS_HINT = "e.g. <code>fri,sat</code>, <code>mon-fri</code> or <code>daily</code>"
_TIME_HINT = "24-hour time, e.g. <code>20:00</code>"


def shifts_header(lines: Sequence[str], tz_name: str) -> str:
    """lines: each pattern described, "Friday late: Fri, Sat 20:00–03:00"."""
    if not lines:
        return SHIFTS_NONE
    listed = "\n".join(f"• {esc(line)}" for line in lines)
    return (
        f"<b>Shift patterns</b> ({len(lines)}), times in {esc(tz_name)}:\n{listed}\n\n"
        "Tap one to change or remove it."
    )


def shift_card(
    name: str,
    days: str,
    start: str,
    end: str,
    *,
    crosses_midnight: bool,
    next_shift: str,
    tz_name: str,
) -> str:
    ends = " (ends the next day)" if crosses_midnight else ""
    return (
        f"🕗 <b>{esc(name)}</b>\n"
        f"Days: {esc(days)}\n"
        f"Time: {start}–{end}{ends}, {esc(tz_name)}\n"
        f"Next: {esc(next_shift)}"
    )


def shift_next(starts: str, ends: str, length: timedelta) -> str:
    return f"{starts} to {ends} ({duration(length)})"


def shift_added(name: str) -> str:
    return (
        f"✅ Shift added: <b>{esc(name)}</b>. Its briefing goes to the coordinators' group "
        "before it starts, and its digest after it ends."
    )


def shift_ask_days(name: str) -> str:
    return f"Which days does <b>{esc(name)}</b> start on? {_DAYS_HINT} (or /cancel)"


def shift_ask_start(name: str) -> str:
    return f"What time does <b>{esc(name)}</b> start? {_TIME_HINT} (or /cancel)"


def shift_ask_end(name: str) -> str:
    return (
        f"And what time does <b>{esc(name)}</b> end? {_TIME_HINT}; a time before the start "
        "means the next day (or /cancel)"
    )


def shift_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (or /cancel)"


def shift_ask_new_days(name: str, days: str) -> str:
    return (
        f"Which days should <b>{esc(name)}</b> start on? Now: {esc(days)}.\n"
        f"Send the days, {_DAYS_HINT} (or /cancel)"
    )


def shift_ask_new_time(name: str, which: str, now: str) -> str:
    """which: "start" or "end"."""
    return f"New {which} time for <b>{esc(name)}</b>? Now: {now}.\nSend a {_TIME_HINT} (or /cancel)"


def shift_confirm_remove(name: str) -> str:
    return (
        f"Remove the shift <b>{esc(name)}</b>? Its briefings and digests stop. "
        "Members on duty stay on duty until they send /off."
    )


def shift_removed(name: str) -> str:
    return f"🗑 Removed {name[:60]}."  # a callback answer: plain text
