"""Staff safety: alone or paired, check-ins, "Need help", and the alerts they raise.

Alert copies carry the member's name and role, the time of their last sign of life and
where they were last known (the pin follows): what a coordinator needs to find them, and
nothing else (never a report's text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.texts.common import IF_LIFE_AT_RISK, duration, esc, local_time

ALONE_BUTTON = "🧍 Alone: check on me"
PAIRED_BUTTON = "👥 Paired"
IM_PAIRED_BUTTON = "👥 I'm paired"
ALL_OK_BUTTON = "✅ All OK"
NEED_HELP_BUTTON = "🆘 Need help"
CONTACTING_BUTTON = "📞 I'm contacting them"

CALL_999 = "📞 Call 999 as soon as you can: the bot is not an emergency service."


# ---- /on: alone or paired ------------------------------------------------------------------
def ask_working_mode(every_minutes: int) -> str:
    return (
        "Working alone or paired?\n"
        f"Alone: I'll check on you every {every_minutes} minutes until /off, and alert the "
        "coordinators if you don't answer."
    )


def alone_by_default(every_minutes: int) -> str:
    return (
        f"🧍 Your role works alone by default: I'll check on you every {every_minutes} "
        "minutes until /off. Paired today? Tap below."
    )


def checkins_started(every_minutes: int, next_at: str) -> str:
    return (
        f"🧍 Check-ins every {every_minutes} minutes (next at {next_at}) until /off. Tap ✅ "
        "All OK when asked; any message or report counts too. 🆘 Need help (on every "
        "check-in, the menu, or /sos) alerts the coordinators at once."
    )


PAIRED = "👥 Paired: no check-ins. 🆘 Need help is always on the menu and /sos."
CHECKINS_STOPPED = "👥 Check-ins stopped: you're paired. 🆘 Need help stays on the menu and /sos."
MODE_TOO_LATE = "That duty has ended. Send /on when you start again."
NO_CHECKINS = "You have no check-ins running."


# ---- check-ins -----------------------------------------------------------------------------
def checkin_question(every_minutes: int, last_seen: str) -> str:
    return f"⏰ <b>Check-in</b>: all OK? (last sign of life {last_seen}, every {every_minutes} min)"


def checkin_reminder(remind_minutes: int) -> str:
    return (
        "⏰ <b>Reminder</b>: please answer your check-in. If I hear nothing in "
        f"{remind_minutes} minutes, the coordinators will be alerted."
    )


def checkin_answered(next_at: str) -> str:
    return f"✅ Thanks. Next check-in at {next_at}."


CHECKIN_NOT_YOURS = "That check-in is not running any more."
ANSWERED_ALERT = "✅ Thanks: the coordinators have been told you're OK."


# ---- "Need help" ---------------------------------------------------------------------------
def help_raised(*, located: bool) -> str:
    where = (
        "with your last location"
        if located
        else "without a location: share your live location (📎 → Location) so they can find you"
    )
    return (
        "🆘 <b>Help is on its way</b>: the coordinators, the coordinators' group, CCTV and "
        f"everyone on duty are being alerted now, {where}.\n{CALL_999}"
    )


def help_still_open(at: str) -> str:
    return f"🆘 Your call for help at {at} is still out: the coordinators are alerted.\n{CALL_999}"


def contacting_you(name: str, at: str) -> str:
    return f"📞 {esc(name)} is contacting you now ({at})."


# ---- the alert's copies --------------------------------------------------------------------
def missed_heading(name: str, role: Role, step: int) -> str:
    heading = "⚠️ <b>Missed check-in</b>"
    if step >= 2:
        heading += f" · escalation {step}"
    return f"{heading}: {esc(name)} ({role.label})"


def help_heading(name: str, role: Role, step: int) -> str:
    heading = "🆘 <b>NEED HELP</b>"
    if step >= 2:
        heading += f" · repeat {step - 1}"
    return f"{heading}: {esc(name)} ({role.label}) is asking for help"


def last_sign_of_life(at: datetime, now: datetime, tz: ZoneInfo) -> str:
    return f"Last sign of life: {local_time(at, tz)} ({duration(now - at)} ago)"


def help_pressed_at(at: datetime, tz: ZoneInfo) -> str:
    return f"Pressed at {local_time(at, tz)}"


def location_line(located_at: datetime | None, tz: ZoneInfo, *, pinned: bool) -> str:
    if not pinned or located_at is None:
        return "Location: none shared"
    return f"Last known location: {local_time(located_at, tz)} (map pin below)"


def acknowledged_line(name: str, at: datetime, tz: ZoneInfo) -> str:
    return f"📞 {esc(name)} is contacting them ({local_time(at, tz)})"


def answered_line(name: str, at: datetime, tz: ZoneInfo) -> str:
    return f"✅ {esc(name)} answered at {local_time(at, tz)}: all OK"


NOBODY_YET = "Nobody has said they're contacting them yet."
ALERT_STOPPED = "Escalation stops."


def safety_alert(lines: Sequence[str]) -> str:
    return "\n".join([*lines, "", IF_LIFE_AT_RISK])


def pin_title(name: str) -> str:
    return f"{name}: last known location"


# ---- answering the alert -------------------------------------------------------------------
ACK_DONE = "Thanks: you're contacting them. Everyone alerted can see it; escalation stops."
ACK_NOT_ALLOWED = "Only coordinators and admins can take this on."
ACK_NOT_RECEIVED = "That button is not from an alert sent here."
ACK_CLOSED = "Already taken on, or they answered: nothing more to do."


# ---- coordinators: forgotten sessions --------------------------------------------------------
def running_list(rows: Sequence[tuple[str, Role, int, str]]) -> str:
    """rows: (name, role, every minutes, last sign of life) of each member working alone."""
    if not rows:
        return "🧍 Nobody is working alone with check-ins right now."
    lines = [f"🧍 <b>Working alone now</b> ({len(rows)}):"]
    lines += [
        f"• {esc(name)} ({role.label}): every {every} min, last sign of life {seen}"
        for name, role, every, seen in rows
    ]
    lines.append("End the check-ins of someone who forgot to /off:")
    return "\n".join(lines)


def end_button(name: str) -> str:
    return f"⏹ End: {name}"[:60]


def ended_by_coordinator(name: str) -> str:
    return (
        f"⏹ Your check-ins were ended by {esc(name)}. If you're still working alone, "
        "send /off and /on again."
    )


def ended_for(name: str) -> str:
    return f"Check-ins of {name} ended."


ALREADY_ENDED = "Those check-ins had already ended."
NOT_COORDINATOR = "Only coordinators and admins can end someone's check-ins."


# ---- admins: role defaults -----------------------------------------------------------------
CHECKINROLE_USAGE = (
    "Usage: <code>/checkinrole warden alone 30</code> (check-ins every 30 minutes from "
    "/on) or <code>/checkinrole warden paired</code> (asked at /on). "
    "Minutes from {low} to {high}; roles: {roles}."
)


def role_defaults(rows: Sequence[tuple[Role, bool, int]]) -> str:
    """rows: (role, alone by default, every minutes) of every role."""
    lines = ["<b>Lone working by role</b> (at /on):"]
    for role, alone, every in rows:
        mode = (
            f"alone, check-ins every {every} min" if alone else f"asked (alone: every {every} min)"
        )
        lines.append(f"• {role.label}: {mode}")
    return "\n".join(lines)


def role_default_set(role: Role, alone: bool, every: int) -> str:
    mode = "work alone by default" if alone else "are asked at /on"
    return f"✅ {role.label}s now {mode}; check-ins every {every} minutes."
