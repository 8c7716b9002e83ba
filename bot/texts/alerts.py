"""Urgent alerts, acknowledgements, escalations and the notices when one can't be delivered."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.access.roles import Role
from bot.texts.common import IF_LIFE_AT_RISK, esc

# The description goes into every copy, the coordinators' group included: patrols need to
# know what they are walking into, and it describes an incident, not a person's record.
# It is cut to ALERT_DESCRIPTION_LIMIT characters (before escaping, so no entity is split)
# to keep an alert readable on a phone; /show has the rest.
ALERT_DESCRIPTION_LIMIT = 300
ALERT_UNKNOWN = "That alert is no longer available."


def _people(count: str | None) -> str:
    return "1 person" if count == "1" else f"{count} people"


def alert_facts(
    *,
    reference: str,
    category: str,
    place: str,
    at: str,
    people_count: str | None,
    reporter: str | None,
    reporter_role: Role | None,
    description: str | None,
    withheld: bool = False,
    for_leads: bool = False,
) -> str:
    """What every copy of an alert says, whoever gets it and whatever its state.

    `withheld`: a sensitive category's description is never in an alert (the group, the
    members on duty): those allowed read it with /show. `for_leads`: the report raised a
    safeguarding concern, whose details only the leads and the admins read.
    """
    when = f"🕒 {esc(at)}" + (f" · 👥 {esc(_people(people_count))}" if people_count else "")
    if reporter is not None and reporter_role is not None:
        who = f"Reported by {esc(reporter)} ({esc(reporter_role.label)})"
    else:
        who = "Reported by a former member"
    lines = [f"<b>{esc(category)}</b> · {esc(reference)}", f"📍 {esc(place)}", when, who]
    if withheld:
        who_reads = " (safeguarding lead and admins)" if for_leads else ""
        lines.append(f"🔒 Details: /show {esc(reference)}{who_reads}")
    elif description:
        cut = description[:ALERT_DESCRIPTION_LIMIT]
        more = "…" if len(description) > ALERT_DESCRIPTION_LIMIT else ""
        lines.append(f"“{esc(cut)}{more}”")
    return "\n".join(lines)


def member_unreachable(name: str, role: Role, reference: str) -> str:
    # Name and role only: an ops notice never carries the report's text.
    return (
        f"⚠️ {esc(name)} ({esc(role.label)}) cannot be reached by the bot (blocked or never "
        f"started it); alert {esc(reference)} was not delivered to them."
    )


def group_unreachable(reference: str) -> str:
    return (
        "⚠️ The coordinators' group cannot be reached by the bot (was it removed from the "
        f"group?); alert {esc(reference)} was not delivered there."
    )


# ---- an alert copy: a heading for its state, the facts, who attends, a "nearest" mark for
# the member it was sent to, and the reminder that the bot is not an emergency service.
ALERT_HEADING_URGENT = "🚨 <b>Urgent incident</b>"
ALERT_CLOSED_LINE = "🔒 Closed: no response needed now."
ATTEND_BUTTON = "🚶 Attending"
NOT_ATTENDING_BUTTON = "↩️ Not attending any more"
ACKNOWLEDGE_BUTTON = "✅ Acknowledge"


def alert_heading_escalated(minutes: int) -> str:
    return f"⚠️ <b>Not yet acknowledged after {minutes} minutes</b>"


def alert_heading_acknowledged(by: str | None, at: str, *, legacy_attending: bool) -> str:
    how = " (attending)" if legacy_attending else ""  # acknowledgements before issue 12
    return f"✅ <b>Acknowledged by {esc(by or 'a former member')} at {esc(at)}</b>{how}"


def alert_copy_text(
    heading: str,
    facts: str,
    *,
    attending: Sequence[str],
    nearest_m: float | None,
    closed: bool,
    camera: str | None = None,
) -> str:
    lines = [heading]
    if nearest_m is not None:
        lines.append(f"📍 <b>You are among the nearest on duty</b> (about {_metres(nearest_m)})")
    lines.append(facts)
    if attending:
        lines.append("🚶 Attending: " + ", ".join(esc(name[:60]) for name in attending))
    if camera:
        lines.append(camera)  # the CCTV operators' answers (bot.texts.cctv.camera_line)
    if closed:
        lines.append(ALERT_CLOSED_LINE)
    return "\n".join(lines) + f"\n\n{IF_LIFE_AT_RISK}"


def _metres(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    return f"{metres / 1000:.1f} km"


def pin_title(place: str) -> str:
    """A venue's title: the place in words (Telegram shows it on the pin)."""
    return place[:100] or "Alert location"


def pin_address(reference: str) -> str:
    return f"Urgent incident {reference}"


# Callback answers: plain text, at most 200 characters.
def you_attend(reference: str) -> str:
    return f"Thanks — you're attending {reference}. Everyone alerted can see it."


def you_no_longer_attend(reference: str) -> str:
    return f"OK — you're no longer attending {reference}."


def you_acknowledged_it(reference: str) -> str:
    return f"Thanks — you acknowledged {reference}: it's yours. Escalation stops."


ALREADY_ATTENDING = "You're already attending this one."
NOT_ATTENDING_NOW = "You're not attending this one."
ALERT_NOT_RECEIVED = "That button only works on the alert as it was sent to you."
ALERT_OWN_REPORT = "That's your own report: colleagues respond to it, and you'll hear who does."
ALERT_ACK_NOT_ALLOWED = (
    "Only coordinators and admins can acknowledge (take ownership). Tap Attending if you're going."
)
ALERT_CLOSED = "That incident is closed."


def already_acknowledged_by(by: str | None, at: str) -> str:
    return f"Already acknowledged by {(by or 'a former member')[:100]} at {at}"


# Told to the reporter, privately (HTML).
def reporter_told_attending(reference: str, name: str) -> str:
    return f"🚶 {esc(name)} is attending your report {esc(reference)}."


def reporter_told_not_attending(reference: str, name: str) -> str:
    return f"↩️ {esc(name)} is no longer attending your report {esc(reference)}."


def reporter_told_acknowledged(reference: str, name: str, at: str) -> str:
    return (
        f"✅ {esc(name)} acknowledged your report {esc(reference)} at {esc(at)} and is "
        "coordinating the response."
    )
