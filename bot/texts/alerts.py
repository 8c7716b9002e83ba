"""Urgent alerts, acknowledgements, escalations and the notices when one can't be delivered."""

from __future__ import annotations

from bot.domain.roles import Role
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
) -> str:
    """What every copy of an alert says, whoever gets it and whatever its state.

    `withheld`: a sensitive category's description is never in an alert (the group, the
    members on duty): those allowed read it with /show.
    """
    when = f"🕒 {esc(at)}" + (f" · 👥 {esc(_people(people_count))}" if people_count else "")
    if reporter is not None and reporter_role is not None:
        who = f"Reported by {esc(reporter)} ({esc(reporter_role.label)})"
    else:
        who = "Reported by a former member"
    lines = [f"<b>{esc(category)}</b> · {esc(reference)}", f"📍 {esc(place)}", when, who]
    if withheld:
        lines.append(f"🔒 Details: /show {esc(reference)}")
    elif description:
        cut = description[:ALERT_DESCRIPTION_LIMIT]
        more = "…" if len(description) > ALERT_DESCRIPTION_LIMIT else ""
        lines.append(f"“{esc(cut)}{more}”")
    return "\n".join(lines)


def urgent_alert(facts: str) -> str:
    return f"🚨 <b>Urgent incident</b>\n{facts}\n\n{IF_LIFE_AT_RISK}"


def escalated_alert(facts: str, minutes: int) -> str:
    return f"⚠️ <b>Not yet acknowledged after {minutes} minutes</b>\n{facts}\n\n{IF_LIFE_AT_RISK}"


def acknowledged_alert(facts: str, by: str | None, at: str, attending: bool) -> str:
    how = " (attending)" if attending else ""
    who = esc(by or "a former member")
    return f"✅ <b>Acknowledged by {who} at {esc(at)}</b>{how}\n{facts}\n\n{IF_LIFE_AT_RISK}"


# Callback answers are plain text (no HTML), at most 200 characters.
def you_acknowledged(reference: str, attending: bool) -> str:
    how = " as attending" if attending else ""
    return f"Thanks — you acknowledged {reference}{how}. Everyone alerted can see it."


def already_acknowledged(by: str | None, at: str) -> str:
    return f"Already acknowledged by {(by or 'a former member')[:100]} at {at}"


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
