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
