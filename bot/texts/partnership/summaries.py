"""Briefings, shift digests, weekly summaries and /stats, with their charts' labels.

bot.summaries.content assembles the messages from these phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.texts.common import esc

# These go to the coordinators' group: counts, categories, hotspots, references, times and
# member names only, never a report's text or anything about an outreach client.
DAY_FORMAT = "%a %d %b"  # Fri 27 Nov
SENT_LATE = " <i>(sent late)</i>"
BY_CATEGORY_HEADING = "<b>By category</b>"
TOP_HOTSPOTS_HEADING = "📍 <b>Top hotspots</b>"
NOT_AT_A_HOTSPOT = "not at a hotspot"
URGENT_HEADING = "🚨 <b>Urgent incidents</b>"
URGENT_SINCE_HEADING = "🚨 <b>Urgent incidents since then</b>"
NO_URGENT = "None."
NOTES_HEADING = "📝 <b>Coordinators' notes</b>"
NO_NOTES = "📝 No briefing notes. Coordinators add them with /brief add …"
NOBODY_ON_DUTY = "👮 Nobody is on duty yet."
OUTREACH_HEADING = "🤝 <b>Outreach</b>"
STAFF_HEADING = "⏱ <b>Staff on duty</b>"
LAST_WEEK = "last week"
FOUR_WEEK_AVERAGE = "4-week average"
UNKNOWN_CATEGORY = "Unknown category"
# Chart texts are drawn by matplotlib: plain text, not HTML.
CHART_HOUR_AXIS = "Hour (local time)"
CHART_DAY_AXIS = "Day"
CHART_WEEK_AXIS = "Week starting"
CHART_COUNT_AXIS = "Incidents"
CHART_NO_INCIDENTS = "No incidents in this period"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def time_span(start: str, end: str) -> str:
    return f"{start}–{end}"


def date_span(first: str, last: str) -> str:
    return first if first == last else f"{first} – {last}"


def and_more(count: int) -> str:
    return f"… and {count} more"


def _heading(icon: str, title: str, span: str | None, late: bool) -> str:
    line = f"{icon} <b>{title}</b>{SENT_LATE if late else ''}"
    return f"{line}\n{esc(span)}" if span else line


def briefing_heading(shift: str | None, span: str | None, *, late: bool) -> str:
    title = f"Briefing: {esc(shift)}" if shift else "Briefing"
    return _heading("📋", title, span, late)


def digest_heading(shift: str, span: str | None, *, late: bool) -> str:
    return _heading("📊", f"Shift digest: {esc(shift)}", span, late)


def weekly_heading(span: str | None, *, late: bool) -> str:
    return _heading("🗓", "Weekly summary", span, late)


def stats_heading(label: str, span: str | None) -> str:
    return _heading("📈", f"Statistics: {esc(label)}", span, False)


def since_line(since: str, total: int) -> str:
    return f"Since {esc(since)}: <b>{_plural(total, 'report')}</b>."


def _previous(value: float | None, against: str) -> str:
    if value is None:
        return ""
    shown = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f" ({esc(against)} {shown})"


def total_line(total: int, previous: float | None, against: str) -> str:
    return f"Reports: <b>{total}</b>{_previous(previous, against)}"


def weekly_total_line(total: int, average: float | None, previous: Sequence[int]) -> str:
    if average is None:
        return total_line(total, None, "")
    weeks = ", ".join(str(n) for n in previous)
    shown = f"{average:g}" if average == int(average) else f"{average:.1f}"
    return f"Reports: <b>{total}</b> ({FOUR_WEEK_AVERAGE} {shown}: {weeks})"


def count_line(name: str, count: int, *, italic: bool = False) -> str:
    label = f"<i>{esc(name)}</i>" if italic else esc(name)
    return f"• {label}: {count}"


def comparison_line(name: str, count: int, previous: float | None, against: str) -> str:
    return f"• {esc(name)}: {count}{_previous(previous, against)}"


def urgent_line(
    *,
    reference: str,
    at: str,
    category: str,
    hotspot: str | None,
    acknowledged_by: str | None,
    acknowledged_after: str | None,
    attending: bool,
    escalated: bool,
    closed: bool,
) -> str:
    place = esc(hotspot) if hotspot else f"<i>{NOT_AT_A_HOTSPOT}</i>"
    if acknowledged_after is None:
        state = "⚠️ not acknowledged"
    else:
        verb = "attending" if attending else "acknowledged"
        state = f"{verb}: {esc(acknowledged_by or 'a former member')} after {acknowledged_after}"
    extras = (", escalated" if escalated else "") + (", closed" if closed else ", open")
    return f"• <b>{esc(reference)}</b> {esc(at)} {esc(category)} · {place} · {state}{extras}"


def still_open_heading(count: int) -> str:
    return f"Still open from before ({count}):"


def ack_summary(urgent: int, acknowledged: int, median: str | None, longest: str | None) -> str:
    if urgent == 0:
        return NO_URGENT
    line = f"{_plural(urgent, 'urgent incident')}, {acknowledged} acknowledged"
    if median is not None:
        line += f"; time to acknowledge: median {median}, longest {longest}"
    return line + "."


def open_referrals_line(count: int) -> str:
    return f"🛏 Open rough-sleeper referrals: <b>{count}</b>"


def overdue_referrals_heading(count: int, older_than: timedelta) -> str:
    hours = int(older_than.total_seconds() // 3600)
    return f"⏰ Overdue (untouched {hours} h or more): <b>{count}</b>"


def overdue_referral_line(untouched: str, hotspot: str | None) -> str:
    place = esc(hotspot) if hotspot else f"<i>{NOT_AT_A_HOTSPOT}</i>"
    return f"• untouched {esc(untouched)} · {place}"


def note_line(note_id: int, text: str, author: str | None, at: str) -> str:
    by = f"{esc(author)}, " if author else ""
    return f"#{note_id} {esc(text)} <i>({by}{esc(at)})</i>"


def on_duty_heading(count: int) -> str:
    return f"👮 <b>On duty</b> ({count})"


def on_duty_line(name: str, role: str, since: str) -> str:
    return f"• {esc(name)}, {esc(role)}, since {esc(since)}"


def outreach_figures(
    *,
    contacts: int,
    anonymous: int,
    new_people: int,
    returners: int,
    referrals_made: int,
    referrals_closed: int,
    open_referrals: int,
) -> str:
    return (
        f"Contacts: {contacts} ({anonymous} anonymous) · new people: {new_people} · "
        f"returners: {returners}\n"
        f"<i>{OUTREACH_TERMS}</i>\n"
        f"Referrals: {referrals_made} made, {referrals_closed} closed, {open_referrals} open"
    )


# Beside the figures they explain (bot.domain.rough_sleeping; /outreach_figures has them all).
OUTREACH_TERMS = (
    "New: seen bedded down, with none in the 60 months before; returner: seen bedded down "
    "before too, not living on the streets."
)


def staff_hours_line(hours: float, members: int) -> str:
    return f"{hours:.1f} hours on duty by {_plural(members, 'member')}"


def auto_closed_line(count: int) -> str:
    return f"{_plural(count, 'duty session')} left open and closed automatically"


def still_on_duty_line(count: int) -> str:
    return f"{count} still on duty when this was written"


def chart_hour_label(hour: datetime, tz: ZoneInfo) -> str:
    local = hour.astimezone(tz)
    return local.strftime("%H" if local.minute == 0 else "%H:%M")


def chart_day_label(day: date, *, many: bool) -> str:
    """'Fri 27' under a bar; '27/11' when there are too many bars for the weekday."""
    return day.strftime("%d/%m") if many else day.strftime("%a %d")


def chart_week_label(monday: date) -> str:
    return monday.strftime("%d %b")


def hourly_chart_title(shift: str, day: str) -> str:
    return f"Incidents per hour by category: {shift}, {day}"


def stats_scoped_label(label: str, scope: str) -> str:
    """'the last 30 days at Elmer Square' reads oddly for a category: one form for both."""
    return f"{label}, {scope} only"


def daily_chart_title(label: str) -> str:
    return f"Incidents per day by category: {label}"


WEEKLY_CHART_TITLE = "Incidents per week by category: this week and the four before"


def chart_caption(title: str) -> str:
    return f"📊 {esc(title)}"
