"""CSV exports: formula injection neutralised, local times, the files as spreadsheets read them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.partnership.csv_export import (
    OUTREACH_HEADER,
    REPORT_HEADER,
    WITHHELD,
    OutreachDay,
    ReportLine,
    file_name,
    neutralise,
    outreach_csv,
    reports_csv,
    write_csv,
)

LONDON = ZoneInfo("Europe/London")


def read(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheet programs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-3 lads", "'-3 lads"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        # Spreadsheets trim blanks first, and read full-width and small forms as formulas.
        (" =1+1", "' =1+1"),
        ("  \u00a0\u3000@SUM(A1)", "'  \u00a0\u3000@SUM(A1)"),
        ("\n-2+3", "'\n-2+3"),
        ("\u200b=cmd", "'\u200b=cmd"),
        ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),  # ＝
        ("\uff0b44 7700", "'\uff0b44 7700"),  # ＋
        ("\uff0d3", "'\uff0d3"),  # －
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),  # ＠
        ("\ufe66cmd", "'\ufe66cmd"),  # ﹦ (small)
        (" \uff1d1", "' \uff1d1"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_apostrophe(cell: str, written: str) -> None:
    assert neutralise(cell) == written


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("3 lads by the fountain", "3 lads by the fountain"),
        ("a=b+c", "a=b+c"),  # only the first character that is not blank matters
        ("   ", "   "),
        ("x \uff1d y", "x \uff1d y"),
        ("'=already quoted", "'=already quoted"),
        ("", ""),
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (12, "12"),
        ("Café £5 – “quoted”", "Café £5 – “quoted”"),
    ],
)
def test_other_cells_are_written_as_they_are(cell: object, written: str) -> None:
    assert neutralise(cell) == written


def test_write_csv_quotes_commas_quotes_and_line_breaks_and_neutralises_every_cell() -> None:
    content = write_csv(
        ("a", "=b"),
        [("x, y", 'say "hi"'), ("two\nlines", "-1"), (None, "@me")],
    )
    assert b"\r\n" in content
    assert read(content) == [
        ["a", "'=b"],
        ["x, y", 'say "hi"'],
        ["two\nlines", "'-1"],
        ["", "'@me"],
    ]


def _line(**overrides: object) -> ReportLine:
    values: dict[str, object] = {
        "reference": "R-0042",
        "created_at": datetime(2026, 7, 10, 23, 30, tzinfo=UTC),  # 00:30 on the 11th, BST
        "category": "Weapon seen",
        "hotspot": "Elmer Square",
        "place_text": None,
        "lat": 51.50720123,
        "lon": -0.1276,
        "urgent": True,
        "people_count": "2-3",
        "source": "guided",
        "status": "open",
        "reporter_role": "officer",
        "acknowledged_at": datetime(2026, 7, 10, 23, 34, 59, tzinfo=UTC),
        "ack_kind": "attending",
        "escalated_at": None,
        "closed_at": None,
        "outcome": None,
        "description": "=cmd|' /C calc'!A0",
    }
    values.update(overrides)
    return ReportLine(**values)  # type: ignore[arg-type]


def test_reports_csv_has_local_times_minutes_to_acknowledge_and_no_live_formulas() -> None:
    rows = read(
        reports_csv(
            [
                _line(),
                _line(
                    reference="R-0043",
                    urgent=False,
                    ack_kind=None,
                    acknowledged_at=None,
                    description=None,
                    place_text="-12 High St",
                    hotspot=None,
                ),
            ],
            LONDON,
        )
    )
    assert rows[0] == list(REPORT_HEADER)
    first = dict(zip(REPORT_HEADER, rows[1], strict=True))
    assert first["reference"] == "R-0042"
    assert first["filed (local time)"] == "2026-07-11 00:30"
    assert first["acknowledged (local time)"] == "2026-07-11 00:34"
    assert first["minutes to acknowledge"] == "4"
    assert first["response"] == "attending"
    assert first["urgent"] == "yes"
    assert first["latitude"] == "51.50720"
    assert first["longitude"] == "'-0.12760"  # a negative number is neutralised too
    assert first["description"] == "'=cmd|' /C calc'!A0"
    second = dict(zip(REPORT_HEADER, rows[2], strict=True))
    assert second["place"] == "'-12 High St"
    assert second["hotspot"] == ""
    assert second["urgent"] == "no"
    assert second["minutes to acknowledge"] == ""
    assert second["description"] == ""
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_sensitive_category_goes_without_description_and_outcome() -> None:
    rows = read(
        reports_csv(
            [
                _line(category="Safeguarding concern", sensitive=True, outcome="=taken home"),
                _line(category="Safeguarding concern", sensitive=True, description=None),
            ],
            LONDON,
        )
    )
    first = dict(zip(REPORT_HEADER, rows[1], strict=True))
    second = dict(zip(REPORT_HEADER, rows[2], strict=True))
    assert (first["description"], first["outcome"]) == (WITHHELD, WITHHELD)
    assert (second["description"], second["outcome"]) == ("", "")
    assert first["category"] == "Safeguarding concern" and first["reference"] == "R-0042"


def test_outreach_csv_is_counts_per_day() -> None:
    day = OutreachDay(date(2026, 8, 16), 3, 1, 2, 1, 0, 1, 0, 4)
    rows = read(outreach_csv([day]))
    assert rows == [list(OUTREACH_HEADER), ["2026-08-16", "3", "1", "2", "1", "0", "1", "0", "4"]]


def test_file_names_carry_the_period() -> None:
    assert file_name("reports", date(2026, 7, 1), date(2026, 9, 30)) == (
        "reports_2026-07-01_2026-09-30.csv"
    )
