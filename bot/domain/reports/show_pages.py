"""/show in pages: one message at a time, each with a "More" button for the next. Pure.

A report can carry many updates (TCAG_MAX_NOTES_PER_REPORT caps new ones, older reports
may have more) and photos. Sending them all at once filled the chat and held up every
other member, so the first page is the report itself with as many updates as fit in one
message, then each page is one more message of updates, then one photo or voice note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MESSAGE_ROOM = 4096  # Telegram's limit for a message's text


@dataclass(frozen=True)
class ShowPages:
    """Which updates go on which text page (index ranges), then one attachment a page."""

    note_ranges: tuple[tuple[int, int], ...]  # (start, end) of each text page's updates
    attachments: int

    @property
    def count(self) -> int:
        return len(self.note_ranges) + self.attachments

    def notes_on(self, page: int) -> tuple[int, int] | None:
        """The updates of a text page; None for an attachment page (or past the end)."""
        return self.note_ranges[page] if 0 <= page < len(self.note_ranges) else None

    def attachment_on(self, page: int) -> int | None:
        """The index of the attachment a page shows; None for a text page."""
        index = page - len(self.note_ranges)
        return index if 0 <= index < self.attachments else None


def plan_pages(
    *, first_room: int, note_sizes: Sequence[int], attachments: int, room: int = MESSAGE_ROOM
) -> ShowPages:
    """Updates packed in order: the first page has `first_room` characters left after the
    report itself, every later text page `room` (less a heading). An update longer than a
    page gets one to itself (the text is split when sent, as any long text is)."""
    ranges: list[tuple[int, int]] = []
    start, used, limit = 0, 0, max(first_room, 0)
    for index, size in enumerate(note_sizes):
        # Full: close the page (the first page may close with no update on it).
        if used + size > limit and (index > start or not ranges):
            ranges.append((start, index))
            start, used, limit = index, 0, room
        used += size
    ranges.append((start, len(note_sizes)))
    return ShowPages(tuple(ranges), attachments)


__all__ = ["MESSAGE_ROOM", "ShowPages", "plan_pages"]
