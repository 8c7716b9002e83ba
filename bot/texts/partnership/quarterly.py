"""The quarterly partnership report's wording: title, headings, tables, charts (the PDF).

Plain text, not HTML: bot.summaries.quarterly.document escapes it into reportlab's paragraphs, and
matplotlib draws the chart words as they are. Counts, categories and places only.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from bot.domain.outreach import ReferralOutcome
from bot.texts import outreach_records as records

PDF_TITLE = "Quarterly partnership report"
PDF_AUTHOR = "Town centre action group"
PDF_HEADLINE_HEADING = "Headline figures"
PDF_MONTHS_HEADING = "Trends by month"
PDF_CATEGORIES_HEADING = "Reports by category"
PDF_HOTSPOTS_HEADING = "Top hotspots"
PDF_ACK_HEADING = "Time to acknowledge urgent alerts"
PDF_OUTREACH_HEADING = "Outreach"
PDF_HEADINGS = (
    PDF_HEADLINE_HEADING,
    PDF_MONTHS_HEADING,
    PDF_CATEGORIES_HEADING,
    PDF_HOTSPOTS_HEADING,
    PDF_ACK_HEADING,
    PDF_OUTREACH_HEADING,
)
PDF_MONTH_FORMAT = "%B %Y"  # July 2026
PDF_MONTH_SHORT_FORMAT = "%b"  # Jul
PDF_NOT_OVER = "This quarter is not over yet: figures run to the time shown above."
PDF_NONE = "–"  # a figure that can't be worked out (no acknowledgements, nothing to share)


def pdf_title(quarter_title: str) -> str:
    return f"{PDF_TITLE}: {quarter_title}"


def pdf_subject(quarter_title: str, complete: bool) -> str:
    so_far = "" if complete else " (quarter not over: figures to date)"
    return f"Meeting pack: incidents, response and outreach, {quarter_title}{so_far}"


def pdf_period(first: date, last: date, timezone: str) -> str:
    return f"{PDF_AUTHOR}. Period: {first:%d %B %Y} to {last:%d %B %Y} ({timezone})."


def pdf_generated(local: datetime) -> str:
    return f"Generated {local:%d %B %Y %H:%M}."


def pdf_page(number: int) -> str:
    return f"Page {number}"


# ---- figures in words --------------------------------------------------------------------
def pdf_minutes(value: float | None) -> str:
    if value is None:
        return PDF_NONE
    return f"{value:.0f} min" if value >= 10 else f"{value:.1f} min"


def pdf_percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else PDF_NONE


def pdf_change(now: int, before: int) -> str:
    if before == 0:
        return "no reports the quarter before" if now else "none either quarter"
    change = 100 * (now - before) / before
    if abs(change) < 0.5:
        return f"the same as the quarter before ({before})"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):.0f}% on the quarter before ({before})"


def pdf_ack_bucket(lower: float, upper: float) -> str:
    """A band of minutes to acknowledge: 'under 2 min', '2–5 min', 'over 30 min'."""
    if lower == 0:
        return f"under {upper:g} min"
    if upper == math.inf:
        return f"over {lower:g} min"
    return f"{lower:g}–{upper:g} min"


def pdf_headline_rows(
    *,
    reports: int,
    previous_reports: int,
    urgent: int,
    urgent_alerts: int,
    acknowledged: int,
    median_minutes: float | None,
    target_minutes: int,
    within_target: int,
    contacts: int,
    anonymous_contacts: int,
    people_seen: int,
    new_people: int,
    returners: int,
    referrals_made: int,
    rough_sleepers: int = 0,
    living_on_streets: int = 0,
    referrals_closed: int,
    open_referrals: int,
    duty_hours: float | None,
    to_date: bool = False,
) -> list[tuple[str, str]]:
    """(measure, this quarter) rows of the headline table."""
    rows = [
        (
            "Reports filed",
            pdf_to_date(f"{reports}: {pdf_change(reports, previous_reports)}", to_date),
        ),
        ("Urgent reports", f"{urgent} ({pdf_percent(urgent, reports)} of all)"),
        (
            "Urgent alerts acknowledged",
            f"{acknowledged} of {urgent_alerts}; median {pdf_minutes(median_minutes)}; "
            f"within {target_minutes} min: {within_target} "
            f"({pdf_percent(within_target, urgent_alerts)})",
        ),
        ("Outreach contacts", f"{contacts} ({anonymous_contacts} anonymous)"),
        (
            "People seen by outreach",
            f"{people_seen}; seen sleeping rough {rough_sleepers}: {new_people} new, "
            f"{living_on_streets} living on the streets, {returners} intermittent / returners",
        ),
        (
            "Rough sleeper referrals",
            f"{referrals_made} made, {referrals_closed} closed, {open_referrals} open at the end",
        ),
    ]
    if duty_hours is not None:
        rows.append(("Staff hours on duty", f"{duty_hours:.0f}"))
    return rows


# ---- tables ------------------------------------------------------------------------------
PDF_HEADLINE_COLUMNS = ("Measure", "This quarter")
PDF_MONTH_COLUMNS = ("Month", "Reports", "Urgent", "Median to acknowledge")
PDF_QUARTER = "Quarter"
PDF_CATEGORY = "Category"
PDF_URGENT = "Urgent"
PDF_ALL_CATEGORIES = "All categories"
PDF_NO_REPORTS = "No reports in this quarter"
PDF_HOTSPOT_COLUMNS = ("Hotspot", "Reports", "Urgent", "Share")
PDF_NO_HOTSPOT = "No hotspot named"
PDF_UNNAMED = "?"
PDF_URGENT_ALERTS = "Urgent alerts"
PDF_ACKNOWLEDGED = "Acknowledged"
PDF_MEDIAN_TIME = "Median time"
PDF_NINETY_PERCENT_WITHIN = "90% within"
PDF_NEVER_ACKNOWLEDGED = "Never acknowledged"
PDF_NOT_ACKNOWLEDGED = "not acknowledged"  # the last band of the distribution


def pdf_within(minutes: int) -> str:
    return f"Within {minutes} min"


PDF_OUTREACH_NOTE = "Counts only: outreach records about people stay with the outreach team."
# Outreach measures, by their field in the counts.
PDF_OUTREACH_MEASURES: dict[str, str] = {
    "contacts": "Contacts",
    "anonymous_contacts": "Anonymous contacts",
    "people_seen": "People seen",
    "rough_sleepers": "Seen sleeping rough",
    "new_people": "New people",
    "living_on_streets": "Living on the streets",
    "returners": "Intermittent / returners",
    "referrals_made": "Referrals made",
    "referrals_closed": "Referrals closed",
    "open_referrals": "Referrals open at the end",
}
PDF_OUTCOME_COLUMNS = ("Referral outcome", "Referrals")
PDF_REFERRAL_OUTCOMES = {
    ReferralOutcome.CONTACTED: "Contacted by outreach",
    ReferralOutcome.NOT_FOUND: "Not found",
}
PDF_STILL_OPEN = "Still open at the end of the quarter"
PDF_ACTION_COLUMNS = ("Contacts leading to", "Contacts")

# ---- charts ------------------------------------------------------------------------------
PDF_CHART_NO_REPORTS = "No reports in this period"
PDF_CHART_NO_HOTSPOT_REPORTS = "No reports at hotspots in this period"
PDF_CHART_NO_URGENT = "No urgent reports in this period"
PDF_CHART_NO_OUTREACH = "No outreach work recorded in this period"
PDF_CHART_REPORTS = "Reports"
PDF_CHART_ALL_REPORTS = "All reports"
PDF_CHART_ALL = "All"
PDF_CHART_OTHER = "Other"  # the categories past the largest few, drawn together
PDF_CHART_MONTH_TOTALS = "Reports per month"
PDF_CHART_BY_CATEGORY = "Reports per month by category"
PDF_CHART_ACKNOWLEDGEMENTS = "Time to first acknowledgement"
PDF_CHART_OUTREACH = "Outreach per month"

# ---- the public perception survey (one section) -------------------------------------------
PDF_SURVEY_HEADING = "Public perception survey"
PDF_SURVEY_NOTE = (
    "Share of people answering the public survey (QR posters, Telegram) who feel very or "
    "fairly safe walking alone in the town centre, per survey round (a round lasts at most a "
    "quarter). Self-selected answers, not a random sample; rounds with fewer than 5 answers "
    "are not shown. Nationally (ONS Opinions and Lifestyle Survey, GB 2021) about half of "
    "women and one in five men feel unsafe walking alone after dark in a busy public place "
    "such as a high street."
)
PDF_SURVEY_COLUMNS = (
    "Round",
    "Quarter",
    "Answers",
    "Safe by day",
    "Safe after dark",
    "Change after dark",
)
PDF_SURVEY_NONE = "No survey round up to this quarter."
PDF_SURVEY_OPEN = "open: figures to date"


def pdf_survey_round(round_id: int, still_open: bool) -> str:
    return f"{round_id} ({PDF_SURVEY_OPEN})" if still_open else str(round_id)


def pdf_survey_share(percent: int | None) -> str:
    return PDF_NONE if percent is None else f"{percent}%"


def pdf_survey_change(points: int | None) -> str:
    return PDF_NONE if points is None else f"{points:+d} points"


# ---- the meeting pack: summary, definitions, maps, outcomes, actions ---------------------
PDF_SUMMARY_HEADING = "Summary"
PDF_SUMMARY_COLUMNS = ("Measure", "This quarter", "Against the quarter before", "Year on year")
PDF_TO_DATE = "quarter not over: figures to date"
PDF_DEFINITIONS_HEADING = "What the terms mean"
PDF_NIGHT_HEADING = "When reports are made: hour by weekday"
PDF_MAP_HEADING = "Where reports are made: hotspot map"
PDF_OUTCOMES_HEADING = "How closed incidents ended"
PDF_ACTIONS_HEADING = "Partnership actions"
PDF_CCTV_HEADING = "CCTV figures"
PDF_NOT_COLLECTED = "Not collected yet."
PDF_CLOSE_OUTCOME_COLUMNS = ("Outcome", "Incidents", "Share")
PDF_NO_CODE = "Closed before outcome codes (no code)"
PDF_CLOSED_TOTAL = "All closed in the quarter"
PDF_ACTION_TABLE_COLUMNS = ("No.", "Action", "Owner", "Due", "Status")
PDF_NO_ACTIONS = "No partnership actions recorded: coordinators add them with /action add."
PDF_ACTION_STATUS = {"open": "Open", "done": "Done", "overdue": "Overdue"}
PDF_CCTV_ROWS = ("Review requests", "Footage found", "Median time to answer")
PDF_SUMMARY_MEASURES = {
    "reports": "Reports filed",
    "urgent": "Urgent reports",
    "contacts": "Outreach contacts",
}
PDF_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Report", "An incident or sighting filed through the bot by a member on patrol."),
    (
        "Urgent",
        "A report its reporter marked as needing someone now, or of a category that is "
        "urgent by default (a weapon, violence); every on-duty member and coordinator is "
        "alerted at once.",
    ),
    ("Acknowledged", "A member pressed Acknowledge or Attending on the alert."),
    (
        "Time to acknowledge",
        "Minutes from the urgent report being filed to its first acknowledgement. The median "
        "is the middle value; '90% within' is the time by which nine in ten were answered.",
    ),
    (
        "Escalation",
        "An urgent alert nobody acknowledged within the escalation time is sent again, to "
        "coordinators and admins.",
    ),
    (
        "Hotspot",
        "A named place (a square, a street, a car park) with a centre and a radius, agreed by "
        "the partnership; a report inside the circle is counted there.",
    ),
    ("Closed", "A coordinator recorded how the incident ended, with one of the outcome codes."),
    (
        "Outreach contact",
        "A conversation between an outreach worker and someone sleeping rough or at risk, "
        "named (by an alias) or anonymous.",
    ),
    (
        "Seen sleeping rough",
        "Someone an outreach worker saw bedded down (sleeping rough, or about to) at least "
        "once in the period; a contact is marked bedded down or not (only at risk).",
    ),
    (
        "New person",
        "Seen sleeping rough in the period, with no bedded-down contact recorded in the 60 "
        "months before it (England's rough sleeping data framework).",
    ),
    (
        "Living on the streets",
        "Not new; bedded down on at least 3 separate days in the period, the first and the "
        "last at least 21 days apart (CHAIN's 'many contacts over three weeks or more').",
    ),
    (
        "Intermittent / returner",
        "Seen sleeping rough in the period and in the 60 months before, not living on the "
        "streets. Each person is counted once: new, else living on the streets, else this.",
    ),
    (
        "Referral",
        "A member's 'rough sleeper seen' passed to outreach; closed when outreach found the "
        "person or could not.",
    ),
    (
        "Figures to date",
        "For a quarter not over, its days so far, compared with the same days of the earlier "
        "quarter, never with that quarter's whole.",
    ),
    (
        "Year on year",
        "Against the same quarter (or its same days) a year before.",
    ),
)
PDF_HEAT_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PDF_HEAT_HOUR = "Hour of the day"
PDF_HEAT_NOTE = "Reports by hour and weekday, in local time"
PDF_MAP_NO_PLACES = "No hotspots or report locations to draw"
PDF_MAP_REPORT = "Report (own location)"
PDF_MAP_AT_HOTSPOT = "Report at a hotspot (drawn at its centre)"
PDF_MAP_URGENT = "Urgent report"
PDF_MAP_METRES = "metres east of the centre"
PDF_MAP_METRES_NORTH = "metres north of the centre"


def pdf_to_date(text: str, to_date: bool) -> str:
    return f"{text} ({PDF_TO_DATE})" if to_date else text


def pdf_compared(now: int, before: int, direction: str, percent: float | None) -> str:
    """'up 50% (from 4)', 'down 25% (from 8)', 'the same (4)', 'none before', 'none either'."""
    if direction == "none":
        return "none either time"
    if direction == "new":
        return f"new: none before (now {now})"
    if direction == "same":
        return f"the same ({before})"
    return f"{direction} {abs(percent or 0):.0f}% (from {before})"


def pdf_map_unplaced(count: int) -> str:
    return f"{count} report{'s' if count != 1 else ''} in the quarter had no location to draw."


def pdf_median_answer(minutes: float | None) -> str:
    return pdf_minutes(minutes)


# ---- rough sleeping: the data framework's and CHAIN's measures ----------------------------
PDF_ROUGH_SLEEPING_HEADING = "Rough sleeping: who outreach saw, and what happened"
PDF_ROUGH_SLEEPING_NEEDS_HEADING = "The quarter: support needs, moves, local connection"
PDF_ROUGH_SLEEPING_COLUMNS_NOTE = (
    "People are counted once per column; a quarter's column is not the sum of its months "
    "(someone seen in two months is one person in the quarter, and may be new in July and "
    "living on the streets over the quarter). Counts only."
)
PDF_ROUGH_SLEEPING_ROWS: dict[str, str] = {
    "rough_sleepers": "Seen sleeping rough",
    "at_risk_only": "Met only at risk",
    "left": "Recently left:",
    "moves": "Moves into accommodation",
    "referrals": "Referrals made",
    "median": "Median days, referral to contact",
    "connection": "Local connection (latest answer)",
    "needs": "Support needs (people met)",
}
PDF_ROUGH_SLEEPING_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Seen sleeping rough", records.ROUGH_SLEEPERS_DEFINITION),
    *((records.STATUS_LABELS[s], d) for s, d in records.STATUS_DEFINITIONS.items()),
    ("Met only at risk", records.AT_RISK_DEFINITION),
    ("Recently left", records.INSTITUTION_DEFINITION),
    ("Moves into accommodation", "moves recorded on /person, counted in the period of their date"),
    ("Referrals made", "rough sleepers seen by patrols in the period, by what became of them"),
    ("Median days, referral to contact", records.MEDIAN_DEFINITION),
    (
        "Support needs, local connection",
        "people met in the quarter with each need noted at a contact; 'none known' and "
        "'declined to say' only when no need was noted; the latest local connection answer",
    ),
)
