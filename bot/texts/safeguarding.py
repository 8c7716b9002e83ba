"""Safeguarding concerns: what a lead (or an admin) reads, the reporter's reply, the member
admin's lead flag, and the counts the group and digests get. Nothing here goes to the
group but counts."""

from __future__ import annotations

from bot.domain.safeguarding import ConcernKind, ConcernSource, ConcernStatus, LeadAction
from bot.texts.common import esc, shorten

IF_CHILD_IN_DANGER = "If anyone is in immediate danger, call 999."

KIND_LABELS: dict[ConcernKind, str] = {
    ConcernKind.SAFEGUARDING_REPORT: "Safeguarding report",
    ConcernKind.UNDER_18: "Person under 18 involved",
    ConcernKind.COUNTY_LINES: "Exploitation: county lines",
    ConcernKind.CUCKOOING: "Exploitation: cuckooing",
    ConcernKind.SEXUAL_EXPLOITATION: "Exploitation: sexual exploitation",
}
SOURCE_LABELS: dict[ConcernSource, str] = {
    ConcernSource.REPORT: "report",
    ConcernSource.SIGHTING: "rough sleeper seen (/roughsleeper)",
    ConcernSource.CONTACT: "outreach contact",
}
ACTION_LABELS: dict[LeadAction, str] = {
    LeadAction.CHILDRENS_SERVICES: "Referred to children's services",
    LeadAction.ADULT_SOCIAL_CARE: "Referred to adult social care",
    LeadAction.POLICE: "Referred to police",
    LeadAction.ADVICE: "Advice given",
    LeadAction.NO_FURTHER_ACTION: "No further action",
}
EXPLOITATION_BUTTONS: dict[ConcernKind, str] = {
    ConcernKind.COUNTY_LINES: "County lines",
    ConcernKind.CUCKOOING: "Cuckooing",
    ConcernKind.SEXUAL_EXPLOITATION: "Sexual exploitation",
}


# ---- a concern, as a lead reads it -----------------------------------------------------------
def concern_heading(reference: str, *, step_minutes: int | None) -> str:
    if step_minutes:
        return (
            f"⏰ <b>Safeguarding concern {reference}: not acknowledged after {step_minutes} min</b>"
        )
    return f"🛡 <b>Safeguarding concern {reference}</b>"


def concern_text(
    *,
    heading: str,
    kind: ConcernKind,
    source: ConcernSource,
    report_reference: str | None,
    category: str | None,
    place: str,
    seen_at: str,
    raised_by: str | None,
    raised_by_role: str | None,
    person: str | None,
    details: str | None,
    status_line: str,
) -> str:
    lines = [heading, f"<b>{esc(KIND_LABELS[kind])}</b>"]
    where_from = SOURCE_LABELS[source]
    if report_reference:
        where_from = f"report {report_reference}" + (f" ({esc(category)})" if category else "")
    lines.append(f"From: {esc(where_from)}")
    lines.append(f"Where: {esc(place)} · {esc(seen_at)}")
    if raised_by:
        role = f" ({esc(raised_by_role)})" if raised_by_role else ""
        lines.append(f"Raised by: {esc(raised_by)}{role}")
    if person:
        lines.append(f"Person: {esc(person)}")
    if details:
        lines.append(f"“{esc(shorten(details, 1500))}”")
    lines.append(status_line)
    lines.append(f"<i>{IF_CHILD_IN_DANGER}</i>")
    return "\n".join(lines)


def status_waiting() -> str:
    return "⏳ Waiting for a safeguarding lead to acknowledge."


def status_acknowledged(name: str | None, at: str) -> str:
    who = esc(name) if name else "a former member"
    return f"✅ Acknowledged by {who} at {esc(at)}. What was done is still to record."


def status_done(action: LeadAction, note: str | None, name: str | None, at: str) -> str:
    who = esc(name) if name else "a former member"
    note_part = f": {esc(note)}" if note else ""
    return f"📝 <b>{esc(ACTION_LABELS[action])}</b>{note_part} (by {who}, {esc(at)})"


ACKNOWLEDGE = "✅ Acknowledge"
RECORD_ACTION = "📝 Record what was done"
OPEN = "Open"
ACK_DONE = "Acknowledged: it is yours. Record what was done when you can."
ACK_ALREADY = "Someone acknowledged it already."
CONCERN_GONE = "That concern no longer exists."
ACTION_ALREADY = "What was done is recorded already."
ACTION_NOT_YET = "Acknowledge it first."
CHOOSE_ACTION = "What was done? Choose one, then type a one-line note."
ASK_NOTE = (
    "Type a one-line note on what was done (who you spoke to, a reference): at most 200 "
    "characters. /cancel to stop."
)
NOTE_EMPTY = "The note is empty. " + ASK_NOTE
NOTE_LINES = "One line only, please. " + ASK_NOTE
NOTE_GONE = "That concern is no longer waiting for a note. /concerns lists the open ones."


def note_too_long(length: int) -> str:
    return f"That note is {length} characters; at most 200, please. {ASK_NOTE}"


def action_recorded(reference: str, action: LeadAction) -> str:
    return f"📝 {reference}: {esc(ACTION_LABELS[action])}. Recorded, thank you."


REPORT_FOR_LEADS = (
    "🛡 That report raised a safeguarding concern: its details are for the safeguarding "
    "lead and the admins. /close still works with its reference."
)


# ---- /concerns -------------------------------------------------------------------------------
CONCERNS_NONE = "🛡 No open safeguarding concerns."


def concerns_header(shown: int, total: int) -> str:
    more = f" (showing {shown})" if total > shown else ""
    return f"🛡 <b>Open safeguarding concerns: {total}</b>{more}. Not yet acknowledged first."


def concern_line(
    reference: str, kind: ConcernKind, place: str, at: str, status: ConcernStatus
) -> str:
    state = "⏳ waiting" if status is ConcernStatus.OPEN else "✅ acknowledged"
    return f"{reference} · {esc(KIND_LABELS[kind])} · {esc(place)} · {esc(at)} · {state}"


# ---- what the one who raised it is told ------------------------------------------------------
def told_the_lead(reference: str, *, has_lead: bool) -> str:
    who = "the safeguarding lead" if has_lead else "the admins (no safeguarding lead is set)"
    return (
        f"🛡 Safeguarding concern {reference}: sent privately to {who}, who will decide "
        f"what to do (children's services, adult social care or police). {IF_CHILD_IN_DANGER}"
    )


SIGHTING_UNDER_18 = (
    "🛡 A young person is not a rough sleeping referral: it goes to the safeguarding lead, "
    "who contacts children's services. " + IF_CHILD_IN_DANGER
)


def sighting_concern_sent(reference: str) -> str:
    return (
        f"🛡 Sent to the safeguarding lead as concern {reference}, not to outreach's adult "
        f"referral queue. The lead decides what to do (children's services or police). "
        f"{IF_CHILD_IN_DANGER} Thank you."
    )


def exploitation_line(kind: ConcernKind) -> str:
    return f"🛡 {esc(KIND_LABELS[kind])}: the safeguarding lead is told when you save."


# ---- the lead flag on /members ---------------------------------------------------------------
MAKE_LEAD = "🛡 Make safeguarding lead"
REMOVE_LEAD = "🛡 Remove safeguarding lead"
LEAD_ONLY_ROLES = "Only a coordinator or an outreach worker can be a safeguarding lead."
YOU_ARE_LEAD = (
    "🛡 You are now a safeguarding lead: safeguarding concerns come to you privately. "
    "Acknowledge each, then record what was done. /concerns lists the open ones."
)
YOU_ARE_NO_LONGER_LEAD = "🛡 You are no longer a safeguarding lead."


def lead_line(is_lead: bool) -> str:
    return "🛡 Safeguarding lead" if is_lead else ""


# ---- counts for the group and digests --------------------------------------------------------
def concern_counts_line(raised: int, acknowledged: int, median_minutes: float | None) -> str:
    if not raised:
        return "🛡 Safeguarding concerns: none raised"
    median = (
        f", median {median_minutes:.0f} min to acknowledge" if median_minutes is not None else ""
    )
    return f"🛡 Safeguarding concerns: {raised} raised, {acknowledged} acknowledged{median}"
