"""/show in pages: the report and the updates that fit, more updates, then one photo each."""

from __future__ import annotations

from bot.domain.reports.show_pages import plan_pages


def test_a_short_report_is_one_page_and_each_photo_one_more() -> None:
    pages = plan_pages(first_room=3000, note_sizes=[100, 200], attachments=2)
    assert pages.note_ranges == ((0, 2),) and pages.count == 3
    assert pages.notes_on(0) == (0, 2) and pages.attachment_on(0) is None
    assert [pages.attachment_on(p) for p in (1, 2, 3)] == [0, 1, None]
    assert pages.notes_on(1) is None


def test_updates_fill_each_message_in_order() -> None:
    pages = plan_pages(first_room=100, note_sizes=[40, 40, 40, 40, 40], attachments=0, room=90)
    assert pages.note_ranges == ((0, 2), (2, 4), (4, 5))


def test_the_report_alone_when_no_update_fits_beside_it() -> None:
    pages = plan_pages(first_room=10, note_sizes=[40, 40], attachments=0, room=90)
    assert pages.note_ranges == ((0, 0), (0, 2))


def test_an_update_longer_than_a_page_has_one_to_itself() -> None:
    pages = plan_pages(first_room=100, note_sizes=[400, 40, 500], attachments=1, room=90)
    assert pages.note_ranges == ((0, 0), (0, 1), (1, 2), (2, 3))
    assert pages.count == 5


def test_150_updates_and_60_photos_are_pages_not_a_flood() -> None:
    pages = plan_pages(first_room=3500, note_sizes=[4030] * 150, attachments=60)
    assert pages.count == 1 + 150 + 60  # one message a press, never 154 at once
    assert all(end - start <= 1 for start, end in pages.note_ranges)
