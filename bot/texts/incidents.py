"""Reports after the fact: /mine, /show, /update, /close and /open."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.reports.close_outcomes import CloseOutcome
from bot.texts.common import esc

MINE_EMPTY = "You haven't filed any reports yet. Send /report to file one."
MINE_HINT = "/show R-12 for one in full."
SHOW_USAGE = "Please give a reference, like /show R-12."
UPDATE_USAGE = "Please give a reference and what's new, like /update R-12 Two more have arrived."
CLOSE_USAGE = "Please give a reference and the outcome, like /close R-12 Group moved on."
ONLY_OWN_TO_SEE = "You can only see your own reports."
ONLY_OWN_TO_UPDATE = "You can only update your own reports."
NO_OPEN_URGENT = "No open urgent incidents."
PHOTO_WHICH_REPORT = (
    "That message mentions more than one report. Please reply with the photo to the "
    "confirmation of the report it belongs to."
)


def report_not_found(ref: str) -> str:
    return f"I can't find {esc(ref)}."


def update_text_missing(ref: str) -> str:
    return f"Please add what's new after the reference, like /update {esc(ref)} Two more arrived."


def text_too_long(length: int, limit: int) -> str:
    return (
        f"That's too long: please keep it to {limit} characters (yours has {length}). "
        "Nothing was stored."
    )


def note_added(ref: str) -> str:
    return f"Added to {esc(ref)}."


def photo_added(ref: str) -> str:
    return f"📷 Photo added to {esc(ref)}."


def closed_cannot_update(ref: str) -> str:
    return f"{esc(ref)} is closed; ask a coordinator if something new happened."


def report_closed(ref: str, outcome: str) -> str:
    return f"{esc(ref)} closed: {esc(outcome)}"


def report_already_closed(ref: str, at: str, by: str | None) -> str:
    return f"{esc(ref)} was already closed at {esc(at)} by {esc(by or 'a former member')}."


def report_closed_for_reporter(ref: str, by: str, outcome: str) -> str:
    return f"Your report {esc(ref)} was closed by {esc(by)}: {esc(outcome)}"


def age(minutes: int) -> str:
    """How long ago, for a list read at a glance: '42 min ago', '2 h 05 min ago'."""
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {mins:02d} min ago"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h ago"


def acknowledgement(
    attending: bool | None, by: str | None, at: str | None, *, full: bool = False
) -> str:
    """'not acknowledged' (attending None) / 'acknowledged by X at 22:14' / 'attending: X'."""
    if attending is None:
        return "⚠️ not acknowledged" if full else "not acknowledged"
    who = esc(by or "a former member")
    if attending:
        return f"attending: {who} (since {esc(at or '?')})" if full else f"attending: {who}"
    return f"acknowledged by {who} at {esc(at or '?')}"


def report_status(closed: bool, ack: str | None) -> str:
    """'open', 'open, acknowledged by X at 22:14' or 'closed'."""
    if closed:
        return "closed"
    return f"open, {ack}" if ack else "open"


def attachments_summary(kinds: list[str]) -> str:
    """'2 photos, 1 voice note' from each attachment's kind; '' for none."""
    names = {"photo": ("photo", "photos"), "voice": ("voice note", "voice notes")}
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    parts = []
    for kind, count in counts.items():
        one, many = names.get(kind, ("file", "files"))
        parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


def mine_header(count: int) -> str:
    noun = "report" if count == 1 else f"{count} reports"
    return f"<b>Your last {noun}</b>, newest first:"


def mine_line(ref: str, when: str, category: str, place: str, urgent: bool, status: str) -> str:
    mark = " 🚨" if urgent else ""
    return f"<b>{esc(ref)}</b>{mark} · {esc(when)} · {esc(category)} · {esc(place)} · {status}"


def open_header(count: int) -> str:
    return f"🚨 <b>Open urgent incidents</b> ({count}), oldest first:"


def open_line(ref: str, age_text: str, category: str, place: str, ack: str, acked: bool) -> str:
    mark = "✅" if acked else "⚠️"
    return f"{mark} {esc(age_text)} · {esc(category)} · {esc(place)} · <b>{esc(ref)}</b> · {ack}"


def report_details(
    *,
    ref: str,
    filed_at: str,
    reporter: str | None,
    category: str,
    place: str,
    outside_area: bool,
    people_count: str | None,
    urgent: bool,
    description: str | None,
    attachments: str,
    notes: list[tuple[str, str]],
    acknowledgement: str | None,
    closed: bool,
    closed_at: str | None,
    closed_by: str | None,
    outcome: str | None,
    notes_total: int | None = None,
) -> str:
    """One report in full. Every line stands alone, so a long one splits cleanly.

    `notes` may be the first of `notes_total` updates (the rest come on /show's pages).
    """
    outside = " (outside the area)" if outside_area else ""
    lines = [
        f"<b>{esc(ref)}</b>{' 🚨 urgent' if urgent else ''}",
        f"Filed: {esc(filed_at)}" + (f" by {esc(reporter)}" if reporter else ""),
        f"Category: {esc(category)}",
        f"Place: {esc(place)}{outside}",
        f"People involved: {esc(people_count or 'not given')}",
        f"What happened: {esc(description) if description else 'not described'}",
        f"Attachments: {esc(attachments or 'none')}",
    ]
    total = len(notes) if notes_total is None else notes_total
    if total:
        lines.append(f"<b>Updates</b> ({total}):")
        lines.extend(update_line(when, text) for when, text in notes)
        if len(notes) < total:
            lines.append(f"(more with {SHOW_MORE})")
    if acknowledgement is not None:
        lines.append(f"Response: {acknowledgement}")
    if closed:
        by = f" by {esc(closed_by)}" if closed_by else ""
        lines.append(f"Status: <b>closed</b> {esc(closed_at or '')}{by}")
        lines.append(f"Outcome: {esc(outcome or 'not recorded')}")
    else:
        lines.append("Status: <b>open</b>")
    return "\n".join(lines)


def update_line(when: str, text: str) -> str:
    """One update of a report, as /show lists it."""
    return f"• {esc(when)}: {esc(text)}"


def photo_caption(ref: str, number: int, total: int) -> str:
    return f"{esc(ref)}: photo {number} of {total}"


# ---- /close: coded outcomes --------------------------------------------------------------
CLOSE_OUTCOME_LABELS: dict[CloseOutcome, str] = {
    CloseOutcome.ADVICE: "Words of advice",
    CloseOutcome.MOVED_ON: "Moved on",
    CloseOutcome.ARREST: "Arrest",
    CloseOutcome.REFERRED: "Referred to another agency",
    CloseOutcome.NO_FURTHER_ACTION: "No further action",
    CloseOutcome.UNFOUNDED: "Unfounded",
    CloseOutcome.OTHER: "Other",
}


def close_choose_outcome(ref: str) -> str:
    return (
        f"How did {esc(ref)} end? Choose the outcome. (To add your own words too: "
        f"/close {esc(ref)} what happened.)"
    )


def closed_choose_code(closed: str, ref: str) -> str:
    """The closing line, then the question the outcome buttons answer."""
    return f"{closed}\nWhich outcome fits {esc(ref)}? It goes into the quarterly figures."


def report_closed_with_code(ref: str, label: str, outcome: str | None) -> str:
    words = f": {esc(outcome)}" if outcome and outcome != label else ""
    return f"{esc(ref)} closed ({esc(label)}){words}"


def outcome_code_recorded(ref: str, label: str) -> str:
    return f"{esc(ref)}: outcome recorded as {esc(label)}."


def close_code_not_closed(ref: str) -> str:
    return f"{esc(ref)} is not closed: close it with /close {esc(ref)} first."


# ---- nobody can stall /show: caps per report, and pages -----------------------------------
def notes_full(ref: str, limit: int) -> str:
    return (
        f"{esc(ref)} has {limit} updates already, the most one report takes. "
        "Ask a coordinator if something new happened."
    )


def photos_full(ref: str, limit: int) -> str:
    return f"{esc(ref)} has {limit} photos already, the most one report takes."


SHOW_MORE = "More ▶"


def show_more_heading(ref: str, page: int, pages: int) -> str:
    return f"<b>{esc(ref)}</b>, continued ({page} of {pages})"


def with_attending(acknowledgement: str, attending: Sequence[str]) -> str:
    """/show and /mine: the acknowledgement, then who attends (names as stored)."""
    if not attending:
        return acknowledgement
    return f"{acknowledgement}; attending: " + ", ".join(esc(n[:60]) for n in attending)
