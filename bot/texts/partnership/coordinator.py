"""Coordinators' commands: /brief, /digest, /stats, /export and /quarter, and period errors."""

from __future__ import annotations

from bot.texts.common import esc

_GIVEN_SHOWN = 40


def period_problem(problem: str, given: str = "") -> str:
    """Why a period, date or quarter was refused (a bot.periods.PeriodProblem value).

    Plain text, no markup: `tcag report` prints it too. esc() it before sending.
    """
    shown = given if len(given) <= _GIVEN_SHOWN else given[: _GIVEN_SHOWN - 1] + "…"
    return {
        "missing": "Please give a period.",
        "bad_quarter": f"“{shown}” is not a quarter I understand. Write it like 2026Q3 "
        "(or 2026-Q3).",
        "quarter_number": f"“{shown}”: quarters are Q1 to Q4, like 2026Q3.",
        "year_range": f"“{shown}”: please give a year from 2000 to 2100.",
        "bad_date": f"“{shown}” is not a date I understand. Write dates as YYYY-MM-DD, "
        "like 2026-07-01.",
        "from_after_to": "The first day comes after the last one: please give the earlier "
        "date first.",
        "too_long": "That is more than a year: please export at most 366 days at a time.",
        "bad_period": f"“{shown}” is not a period I know.",
        "not_started": f"{shown} hasn't started yet: there is nothing to report.",
    }.get(problem, "Please check the period.")


def refused_period(problem: str, given: str, usage: str) -> str:
    return f"{esc(period_problem(problem, given))}\n{usage}"


BRIEF_USAGE = (
    "<code>/brief</code> shows the notes and the briefing now.\n"
    "<code>/brief add …</code> adds a note to every briefing until it is cleared; "
    "<code>/brief clear 3</code> takes note #3 out."
)
BRIEF_ADD_EMPTY = (
    "Please write the note after /brief add, like "
    "<code>/brief add CCTV at Elmer Square is down tonight</code>."
)
BRIEF_CLEAR_USAGE = (
    "Please give the note's number, like <code>/brief clear 3</code>. "
    "<code>/brief</code> shows the notes with their numbers."
)


def brief_note_added(note_id: int) -> str:
    return (
        f"📝 Note #{note_id} added: it goes into every briefing until someone clears it "
        f"(<code>/brief clear {note_id}</code>)."
    )


def brief_note_too_long(length: int, limit: int) -> str:
    return f"That note is {length} characters long; please keep it to {limit}."


def brief_note_cleared(note_id: int) -> str:
    return f"Note #{note_id} cleared: it is no longer in the briefings."


def brief_note_not_found(note_id: int) -> str:
    return f"There is no note #{note_id} in the briefings (already cleared?). /brief lists them."


DIGEST_NO_SHIFTS = (
    "There are no shift patterns yet, so there is no shift to digest. "
    "Admins set them up with /shifts. <code>/stats 7d</code> shows the last 7 days."
)
STATS_USAGE = (
    "Which period? <code>/stats 7d</code>, <code>/stats 30d</code>, "
    "<code>/stats quarter</code> (this quarter so far) or a past quarter like "
    "<code>/stats 2026Q2</code>. Add a hotspot or a category to narrow it: "
    "<code>/stats 30d Elmer Square</code>."
)


def stats_scope_not_found(given: str, hotspots: list[str], categories: list[str]) -> str:
    def listed(names: list[str]) -> str:
        return ", ".join(esc(n) for n in names) or "none yet"

    return (
        f"“{esc(given)}” is not a hotspot or a category I know (or it fits two equally).\n"
        f"Hotspots: {listed(hotspots)}.\nCategories: {listed(categories)}."
    )


STATS_LAST_7_DAYS = "Last 7 days"
STATS_LAST_30_DAYS = "Last 30 days"
STATS_THIS_QUARTER = "This quarter"

EXPORT_USAGE = (
    "Please give the first and the last day, like "
    "<code>/export 2026-07-01 2026-09-30</code> (at most a year)."
)


def export_caption(what: str, first: str, last: str, rows: int, unit: str) -> str:
    return f"{esc(what)}, {esc(first)} to {esc(last)}: {rows} {esc(unit)}."


EXPORT_REPORTS = "Reports"
EXPORT_OUTREACH = "Outreach counts per day (anonymous)"


def export_done(first: str, last: str, reports: int, days: int) -> str:
    return (
        f"📤 Exported {first} to {last}: {reports} report{'s' if reports != 1 else ''} and "
        f"{days} day{'s' if days != 1 else ''} of outreach counts.\n"
        "The export is recorded in the audit log. The reports file holds incident "
        "descriptions: keep it safe and delete it when you are done."
    )


QUARTER_USAGE = "Please give a quarter, like <code>/quarter 2026Q3</code>."


def quarter_caption(title: str, complete: bool) -> str:
    so_far = "" if complete else " (so far: the quarter is not over)"
    return f"📑 Quarterly partnership report: {esc(title)}{so_far}."
