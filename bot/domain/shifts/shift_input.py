"""What admins type to define a shift pattern: its name, and the one-line form
`Friday late | fri,sat | 20:00 | 03:00` that `/shifts add` accepts.

Pure domain: every problem is a ValueError whose message can be shown to the admin as is.
Days and times are read by bot.shift_windows (parse_weekdays, parse_clock), so the bot
and the command line understand exactly the same spellings.
"""

from __future__ import annotations

from bot.domain.shifts.shift_windows import ShiftPattern, parse_clock, parse_weekdays

NAME_MIN = 2
NAME_MAX = 60  # shift_patterns.name
# "|" separates the parts of the one-line form; "@" separates a shift from its date in the
# keys of the schedule ledger ("Friday late@2026-10-24T20:00").
_FORBIDDEN = ("|", "@")

LINE_EXAMPLE = "Friday late | fri,sat | 20:00 | 03:00"


def shift_name(text: str) -> str:
    """A tidy shift name: spaces collapsed, 2–60 characters, no "|" or "@"."""
    name = " ".join(text.split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValueError(f"A shift name needs {NAME_MIN} to {NAME_MAX} characters.")
    if any(mark in name for mark in _FORBIDDEN):
        raise ValueError('A shift name can\'t contain "|" or "@".')
    if name.startswith("/"):
        raise ValueError('A shift name can\'t start with "/".')
    return name


def shift_from_parts(name: str, days: str, start: str, end: str) -> ShiftPattern:
    """A pattern from the four things an admin types; ValueError names what is wrong."""
    return ShiftPattern(
        shift_name(name), parse_weekdays(days), parse_clock(start), parse_clock(end)
    )


def parse_shift_line(text: str) -> ShiftPattern:
    """`name | days | start | end`, e.g. "Friday late | fri,sat | 20:00 | 03:00"."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) != 4 or not all(parts):
        raise ValueError(
            f"Please give name | days | start | end, separated by |, e.g. {LINE_EXAMPLE}"
        )
    return shift_from_parts(*parts)
