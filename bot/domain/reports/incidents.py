"""Incident vocabulary: statuses, people counts, references. Pure domain."""

from __future__ import annotations

import re
from enum import StrEnum

MAX_TEXT = 4000  # a report's description, an update or an outcome
REFERENCE_RE = re.compile(r"^\s*R\s*-?\s*0*(\d{1,9})\s*$", re.IGNORECASE)


class ReportStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AckKind(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ATTENDING = "attending"


class ReportSource(StrEnum):
    GUIDED = "guided"  # /report, step by step
    QUICK = "quick"  # a plain message read for category and place
    LOCATION = "location"  # a shared location alone


PEOPLE_COUNTS: tuple[str, ...] = ("1", "2-3", "4-9", "10+")

# Categories whose reports are about someone's safety or health: new databases mark them
# sensitive (storage migration 0006 marks existing ones); admins can mark any other.
SENSITIVE_BY_DEFAULT = frozenset({"safeguarding", "rough_sleeping", "welfare"})


def description_shown(*, sensitive: bool) -> bool:
    """Whether a copy that goes beyond the people allowed to /show a report (the group's
    alert, the on-duty broadcast, an escalation, a CSV export) may carry its description.

    A sensitive category's never does: category, place, time and reference only, and
    those allowed read the rest with /show.
    """
    return not sensitive


def reference(report_id: int) -> str:
    """R-0042: short enough to say over the radio."""
    return f"R-{report_id:04d}"


def parse_reference(text: str) -> int | None:
    """'R-42', 'r42', 'R-0042' → 42; None for anything else."""
    match = REFERENCE_RE.match(text)
    if not match:
        return None
    value = int(match.group(1))
    return value or None
