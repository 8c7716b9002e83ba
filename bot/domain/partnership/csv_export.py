"""CSV exports for coordinators: reports, and anonymous outreach counts per day.

Pure domain. Every cell is neutralised against formula injection: a spreadsheet treats a
cell starting with =, +, -, @, a tab or a carriage return as a formula (OWASP's "CSV
injection"), also after blanks (spreadsheets trim them) and in their full-width or small
forms (＝, ＋, －, ＠, ﹦, ...: some spreadsheets read them as the ASCII ones), so such a
cell gets a leading apostrophe and is shown as the text it is.
Files are UTF-8 with a byte-order mark, so spreadsheet programs read accents and "£" right.

A sensitive category's reports go without their description and outcome
(bot.domain.reports.incidents.description_shown): an export leaves the bot.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.reports.incidents import description_shown

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Blanks a spreadsheet may skip before reading a formula, besides Unicode white space.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
WITHHELD = "(withheld: sensitive category)"
ENCODING = "utf-8-sig"


def _runs_as_formula(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return True
    rest = text.lstrip()
    while rest and rest[0] in _INVISIBLE:
        rest = rest[1:].lstrip()
    if not rest:
        return False
    # NFKC folds the full-width and small forms (＝ ﹢ －) into the ASCII characters.
    return unicodedata.normalize("NFKC", rest[0]).startswith(FORMULA_STARTS)


def neutralise(value: object) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if _runs_as_formula(text):
        return "'" + text
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode(ENCODING)


def _when(at: datetime | None, tz: ZoneInfo) -> str | None:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at is not None else None


# ---- reports -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportLine:
    """One report as exported: no reporter names, their role only."""

    reference: str
    created_at: datetime
    category: str
    hotspot: str | None
    place_text: str | None
    lat: float | None
    lon: float | None
    urgent: bool
    people_count: str | None
    source: str
    status: str
    reporter_role: str | None
    acknowledged_at: datetime | None
    ack_kind: str | None
    escalated_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    description: str | None
    sensitive: bool = False  # its category is: no description, no outcome

    def shown(self, text: str | None) -> str | None:
        """A free text of this report as exported: withheld for a sensitive category."""
        if text is None or description_shown(sensitive=self.sensitive):
            return text
        return WITHHELD

    @property
    def minutes_to_acknowledge(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return max(0, int((self.acknowledged_at - self.created_at).total_seconds() // 60))


REPORT_HEADER = (
    "reference",
    "filed (local time)",
    "category",
    "hotspot",
    "place",
    "latitude",
    "longitude",
    "urgent",
    "people involved",
    "source",
    "status",
    "reporter role",
    "acknowledged (local time)",
    "minutes to acknowledge",
    "response",
    "escalated (local time)",
    "closed (local time)",
    "outcome",
    "description",
)


def reports_csv(lines: Iterable[ReportLine], tz: ZoneInfo) -> bytes:
    return write_csv(
        REPORT_HEADER,
        (
            (
                line.reference,
                _when(line.created_at, tz),
                line.category,
                line.hotspot,
                line.place_text,
                None if line.lat is None else f"{line.lat:.5f}",
                None if line.lon is None else f"{line.lon:.5f}",
                line.urgent,
                line.people_count,
                line.source,
                line.status,
                line.reporter_role,
                _when(line.acknowledged_at, tz),
                line.minutes_to_acknowledge,
                line.ack_kind,
                _when(line.escalated_at, tz),
                _when(line.closed_at, tz),
                line.shown(line.outcome),
                line.shown(line.description),
            )
            for line in lines
        ),
    )


# ---- outreach counts ---------------------------------------------------------------------
@dataclass(frozen=True)
class OutreachDay:
    """Anonymous counts for one local day: never who, only how many."""

    day: date
    contacts: int
    anonymous_contacts: int
    people_seen: int
    new_people: int
    returners: int
    referrals_made: int
    referrals_closed: int
    open_referrals: int  # at the end of the day


OUTREACH_HEADER = (
    "date",
    "contacts",
    "anonymous contacts",
    "people seen",
    "new people",
    "returners",
    "referrals made",
    "referrals closed",
    "open referrals at end of day",
)


def outreach_csv(days: Iterable[OutreachDay]) -> bytes:
    return write_csv(
        OUTREACH_HEADER,
        (
            (
                d.day.isoformat(),
                d.contacts,
                d.anonymous_contacts,
                d.people_seen,
                d.new_people,
                d.returners,
                d.referrals_made,
                d.referrals_closed,
                d.open_referrals,
            )
            for d in days
        ),
    )


def file_name(kind: str, first: date, last: date) -> str:
    """reports_2026-07-01_2026-09-30.csv"""
    return f"{kind}_{first.isoformat()}_{last.isoformat()}.csv"
