"""Outreach records fit for reporting: the contact steps that record what a rough sleeping
report counts, a person's flags, status and outcomes on /person, and the figures
(/outreach_figures, the quarterly pack) with the definitions printed beside each figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.outreach import FLAG_LABELS, NEED_LABELS, Flag, ReferralOutcome
from bot.domain.rough_sleeping import (
    INSTITUTION_WITHIN_DAYS,
    Institution,
    LocalConnection,
    MoveOutcome,
    NeedsAnswer,
    OutreachFigures,
    StreetStatus,
)
from bot.texts.common import esc, local_datetime

# ---- vocabularies in words -------------------------------------------------------------------
STATUS_LABELS: dict[StreetStatus, str] = {
    StreetStatus.NEW: "New",
    StreetStatus.LIVING_ON_STREETS: "Living on the streets",
    StreetStatus.INTERMITTENT: "Intermittent / returner",
}
# One line each, printed beside every figure that uses them (plain text).
STATUS_DEFINITIONS: dict[StreetStatus, str] = {
    StreetStatus.NEW: "seen bedded down, with no bedded-down contact in the 60 months before",
    StreetStatus.LIVING_ON_STREETS: (
        "bedded down on at least 3 separate days, the first and last at least 21 days apart"
    ),
    StreetStatus.INTERMITTENT: (
        "seen bedded down in the 60 months before too, not living on the streets"
    ),
}
ROUGH_SLEEPERS_DEFINITION = (
    "people an outreach worker saw bedded down (sleeping rough) at least once; each counted "
    "once: new first, then living on the streets, then intermittent"
)
AT_RISK_DEFINITION = "people met only when not bedded down (at risk of sleeping rough)"
INSTITUTION_DEFINITION = (
    f"people noted as having left it within {INSTITUTION_WITHIN_DAYS} days before a contact"
)
MEDIAN_DEFINITION = "from the referral being made to the outreach contact that answered it"
INSTITUTION_LABELS: dict[Institution, str] = {
    Institution.PRISON: "Prison",
    Institution.HOSPITAL: "Hospital",
    Institution.CARE: "Care",
}
NEEDS_ANSWER_LABELS: dict[NeedsAnswer, str] = {
    NeedsAnswer.NONE_KNOWN: "None known",
    NeedsAnswer.DECLINED: "Declined to say",
}
CONNECTION_LABELS: dict[LocalConnection, str] = {
    LocalConnection.YES: "Yes",
    LocalConnection.NO: "No",
    LocalConnection.UNKNOWN: "Unknown",
}
MOVE_LABELS: dict[MoveOutcome, str] = {
    MoveOutcome.HOSTEL: "Hostel",
    MoveOutcome.SUPPORTED: "Supported housing",
    MoveOutcome.PRIVATE_RENTED: "Private rented",
    MoveOutcome.RECONNECTED: "Reconnected",
    MoveOutcome.HOSPITAL: "Hospital",
    MoveOutcome.CUSTODY: "Custody",
}
REFERRAL_OUTCOME_WORDS: dict[ReferralOutcome | None, str] = {
    ReferralOutcome.CONTACTED: "contacted",
    ReferralOutcome.NOT_FOUND: "not found",
    None: "still open",
}


# ---- the contact flow ------------------------------------------------------------------------
CONTACT_SITE = (
    "🛏 <b>Seen bedded down?</b>\nBedded down (sleeping rough, or about to): where? "
    "Or not bedded down: only at risk."
)


def connection_words(answer: LocalConnection, place: str | None) -> str:
    words = CONNECTION_LABELS[answer].lower()
    return f"{words}, {place}" if place else words


def contact_local(before: tuple[LocalConnection, str | None] | None) -> str:
    text = "🏠 <b>Local connection to this area?</b>"
    if before is not None:
        text += f"\nLast time: {esc(connection_words(*before))}."
    return text


CONTACT_LOCAL_WHERE = (
    "📍 <b>Where is their connection?</b> Type the town or area (up to 60 characters), "
    "choose one, or skip."
)
CONTACT_LEFT = (
    f"🚪 <b>Recently left</b> (within {INSTITUTION_WITHIN_DAYS} days)? Choose any that apply, "
    "then Done (none: just Done)."
)
CONTACT_NEEDS = (
    "🧾 <b>Needs</b>: choose all that apply, then Done. "
    "“None known” and “Declined to say” stand alone."
)


def flags_banner(flags: Sequence[tuple[Flag, str | None, datetime]], tz: ZoneInfo) -> str:
    """A person's flags, first on a record and at the start of a contact."""
    return "\n".join(
        f"⚠️ <b>{esc(FLAG_LABELS[flag])}</b> · set by {esc(by or 'a former member')}, "
        f"{esc(local_datetime(at, tz))}"
        for flag, by, at in flags
    )


def summary_lines(
    *,
    bedded_down: bool | None,
    site_label: str | None,
    local: LocalConnection | None,
    connection_place: str | None,
    left: Sequence[Institution],
) -> list[str]:
    """The contact summary's lines for what a rough sleeping report counts."""
    if bedded_down is None:
        seen = "not given"
    else:
        seen = "bedded down" if bedded_down else "not bedded down (at risk)"
        if site_label:
            seen += f", {site_label.lower()}"
    lines = [f"Seen: {esc(seen)}"]
    if local is not None:
        lines.append(f"Local connection: {esc(connection_words(local, connection_place))}")
    if left:
        lines.append("Recently left: " + esc(", ".join(INSTITUTION_LABELS[i] for i in left)))
    return lines


def timeline_marks(
    bedded_down: bool | None,
    local: str | None,
    place: str | None,
    left: Sequence[str],
    needs_answer: str | None,
) -> list[str]:
    """What one contact on a timeline recorded for the figures."""
    marks = []
    if bedded_down is not None:
        marks.append("bedded down" if bedded_down else "at risk")
    if local:
        marks.append("local connection " + connection_words(LocalConnection(local), place))
    if left:
        marks.append("left " + ", ".join(INSTITUTION_LABELS[Institution(s)].lower() for s in left))
    if needs_answer:
        marks.append("needs: " + NEEDS_ANSWER_LABELS[NeedsAnswer(needs_answer)].lower())
    return marks


# ---- /person: status and outcomes ------------------------------------------------------------
def status_line(
    month: str, status: StreetStatus | None, quarter: str, q: StreetStatus | None
) -> str:
    def words(value: StreetStatus | None) -> str:
        return STATUS_LABELS[value] if value else "not seen bedded down"

    line = f"🛏 {esc(month)}: <b>{esc(words(status))}</b> · {esc(quarter)}: {esc(words(q))}"
    shown = [s for s in dict.fromkeys((status, q)) if s is not None]
    for value in shown:
        line += f"\n   <i>{esc(STATUS_LABELS[value])}: {esc(STATUS_DEFINITIONS[value])}</i>"
    return line


def outcome_lines(outcomes: Sequence[tuple[MoveOutcome, date, str | None]]) -> str:
    return "🏠 Moves: " + "; ".join(
        f"{esc(MOVE_LABELS[kind])} {on:%d %b %Y}" + (f" ({esc(by)})" if by else "")
        for kind, on, by in outcomes
    )


def outcome_ask_kind(alias: str) -> str:
    return f"🏠 <b>Outcome for {esc(alias)}</b>: where did they move?"


def outcome_ask_date(alias: str, outcome: MoveOutcome) -> str:
    return (
        f"🏠 {esc(MOVE_LABELS[outcome])} for <b>{esc(alias)}</b>: on which day? "
        "Choose it, or “Another date” to type it."
    )


def outcome_type_date(alias: str, outcome: MoveOutcome) -> str:
    return (
        f"📅 The day {esc(alias)} moved ({esc(MOVE_LABELS[outcome].lower())}): type it as "
        "2026-11-20 or 20/11 (within the last year)."
    )


OUTCOME_BAD_DATE = (
    "That is not a date I can use: type it as 2026-11-20 or 20/11, not in the future and "
    "within the last year. Or /cancel."
)


def outcome_saved(outcome: MoveOutcome, on: date) -> str:
    return (
        f"✅ Outcome saved: {esc(MOVE_LABELS[outcome])}, {on:%d %b %Y}. They leave “seen "
        "recently” unless seen again after that day."
    )


def day_button(days_ago: int, day: date) -> str:
    return {0: "Today", 1: "Yesterday"}.get(days_ago, f"{day:%a %d %b}")


# ---- the figures -------------------------------------------------------------------------------
MONTH_USAGE = "Send /outreach_figures, or /outreach_figures 2026-11 for a past month."
MONTH_NOT_STARTED = "That month has not started yet. Send /outreach_figures for this month."


def _tally(labels: Mapping[Any, str], counts: Mapping[Any, int]) -> str:
    return " · ".join(f"{esc(label)} {counts.get(key, 0)}" for key, label in labels.items())


def median_days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def figures_message(title: str, f: OutreachFigures, *, to_date: bool) -> str:
    """A period's figures, each with what it means beside it (HTML; counts only)."""
    so_far = " (so far)" if to_date else ""
    anonymous = (
        f"; also {f.anonymous_bedded_down} bedded-down contact"
        f"{'s' if f.anonymous_bedded_down != 1 else ''} with no person recorded"
        if f.anonymous_bedded_down
        else ""
    )
    lines = [
        f"📊 <b>Outreach figures: {esc(title)}{so_far}</b>",
        "<i>Counts only; what each figure means is beside it.</i>",
        "",
        f"<b>People seen sleeping rough: {f.rough_sleepers}</b> — "
        f"<i>{esc(ROUGH_SLEEPERS_DEFINITION)}</i>{anonymous}",
    ]
    for status, label in STATUS_LABELS.items():
        lines.append(
            f"• {label}: {f.statuses.get(status, 0)} — <i>{esc(STATUS_DEFINITIONS[status])}</i>"
        )
    lines += [
        f"Met only at risk: {f.at_risk_only} — <i>{esc(AT_RISK_DEFINITION)}</i>",
        f"Recently left: {_tally(INSTITUTION_LABELS, f.left_institution)} — "
        f"<i>{esc(INSTITUTION_DEFINITION)}</i>",
        "",
        f"<b>Support needs</b> (of {f.people_met} people met): "
        f"{_tally(NEED_LABELS, f.needs)} · {_tally(NEEDS_ANSWER_LABELS, f.needs_answers)}",
        "<b>Local connection</b> (people met, latest answer): "
        + _tally(CONNECTION_LABELS, f.local_connection),
        f"<b>Moves into accommodation: {sum(f.moves.values())}</b> (dated in the period): "
        + _tally(MOVE_LABELS, f.moves),
        "",
        f"<b>Referrals made: {f.referrals_made}</b>: "
        + ", ".join(
            f"{word} {f.referral_outcomes.get(key, 0)}"
            for key, word in REFERRAL_OUTCOME_WORDS.items()
        ),
        f"Median days from referral to first contact: {median_days(f.median_days_to_contact)}"
        f" — <i>{esc(MEDIAN_DEFINITION)}</i>",
    ]
    return "\n".join(lines)
