"""Going on and off duty (/on, /off, /duty) and the location noted with it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.texts.common import duration, esc, local_datetime, local_time


def duty_since(at: datetime, now: datetime, tz: ZoneInfo) -> str:
    """Today's time ("20:05"), or the day and time ("Thu 26 Nov 20:05") for another day."""
    if at.astimezone(tz).date() == now.astimezone(tz).date():
        return local_time(at, tz)
    return local_datetime(at, tz)


def duty_started(since: str, shift: str | None, shift_ends: str | None) -> str:
    if shift is not None and shift_ends is not None:
        during = f" ({esc(shift)}, until {shift_ends})"
        closes = "if you forget, I'll close it 2 hours after the shift ends."
    else:
        during = ""
        closes = "with no shift on, I'll close it after 12 hours if you forget."
    return (
        f"✅ You're on duty since {since}{during}.\n"
        f"Urgent alerts reach you while you're on duty. Send /off when you finish; {closes}"
    )


def duty_already(since: str) -> str:
    return f"You're already on duty since {since}. Send /off when you finish."


def duty_ended(since: str, until: str, length: timedelta) -> str:
    return f"✅ You're off duty. On duty {since}–{until} ({duration(length)}). Thanks!"


NOT_ON_DUTY = "You're not on duty. Send /on when you start."


def duty_closed_automatically(at: str, *, after_shift: bool) -> str:
    why = "2 hours after the shift ended" if after_shift else "12 hours after you went on duty"
    return f"Your duty was closed automatically at {at} ({why}). If you're still working, send /on."


def duty_list(on_duty: Sequence[tuple[str, Role, str]], shifts_now: Sequence[str]) -> str:
    """on_duty: (name, role, since) of each member on duty; shifts_now: "Late until 03:00"."""
    lines = []
    if shifts_now:
        lines.append("🕗 Shift now: " + ", ".join(esc(s) for s in shifts_now))
    if not on_duty:
        lines.append("Nobody is on duty right now.")
        return "\n".join(lines)
    lines.append(f"👮 <b>On duty now</b> ({len(on_duty)})")
    for name, role, since in on_duty:
        lines.append(f"• {esc(name)}, {esc(role.label)}, since {since}")
    return "\n".join(lines)


def shift_until(name: str, ends: str) -> str:
    return f"{name} until {ends}"


DUTY_LOCATION_BUTTON = "📍 Add my location"
DUTY_SEND_LOCATION = "📍 Send my location"
DUTY_NO_LOCATION = "No thanks"
DUTY_ASK_LOCATION = (
    "Tap <b>📍 Send my location</b> below to note where you're starting, or <b>No thanks</b>."
)
DUTY_NEED_LOCATION = "Please tap <b>📍 Send my location</b>, or <b>No thanks</b>."
DUTY_LOCATION_SAVED = "📍 Thanks: your location is noted with your duty."
DUTY_LOCATION_SKIPPED = "OK, no location."
DUTY_NOT_OPEN = "That duty has ended. Send /on to go on duty."
