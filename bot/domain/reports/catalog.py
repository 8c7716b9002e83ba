"""Rules for the report vocabulary admins edit: category and hotspot names, keywords,
aliases, radii and coordinates, and the hotspots CSV file (`tcag hotspots import/export`).

Pure domain code (stdlib only). Every `ValueError` message here is fit to show an admin.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.geo import validate_point

CATEGORY_NAME_MIN, CATEGORY_NAME_MAX = 2, 60
KEYWORD_MIN, KEYWORD_MAX, MAX_KEYWORDS = 2, 40, 60
HOTSPOT_NAME_MIN, HOTSPOT_NAME_MAX = 2, 80
ALIAS_MIN, ALIAS_MAX, MAX_ALIASES = 2, 80, 30
RADIUS_MIN_M, RADIUS_MAX_M = 10.0, 5000.0
DEFAULT_RADIUS_M = 100.0

# A reply of just this clears a keyword or alias list; a leading "+" adds to it.
CLEAR = "-"
ADD = "+"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _name(text: str, what: str, low: int, high: int) -> str:
    name = _squash(text)
    if len(name) < low:
        raise ValueError(f"The {what} name must be at least {low} characters.")
    if len(name) > high:
        raise ValueError(
            f"The {what} name must be at most {high} characters; yours has {len(name)}."
        )
    if "|" in name:
        raise ValueError(f"The {what} name can't contain “|”.")
    return name


def category_name(text: str) -> str:
    return _name(text, "category", CATEGORY_NAME_MIN, CATEGORY_NAME_MAX)


def hotspot_name(text: str) -> str:
    return _name(text, "hotspot", HOTSPOT_NAME_MIN, HOTSPOT_NAME_MAX)


def _terms(parts: Iterable[str], what: str, low: int, high: int, most: int) -> list[str]:
    terms: dict[str, str] = {}  # casefolded → as typed, first spelling wins
    for part in parts:
        term = _squash(part)
        if not term:
            continue
        if "|" in term:
            raise ValueError(f"A {what} can't contain “|”: “{term[:40]}”.")
        if not low <= len(term) <= high:
            raise ValueError(
                f"Each {what} must be {low}–{high} characters; “{term[:50]}” has {len(term)}."
            )
        terms.setdefault(term.casefold(), term)
    if len(terms) > most:
        raise ValueError(f"At most {most} {what}s, please; that makes {len(terms)}.")
    return list(terms.values())


def edit_terms(
    current: Iterable[str], text: str, what: str, low: int, high: int, most: int
) -> list[str]:
    """A comma-separated reply: the new list, "+ a, b" to add to it, "-" to clear it."""
    text = text.strip()
    if text == CLEAR:
        return []
    if text.startswith(ADD):
        return _terms([*current, *text[1:].split(",")], what, low, high, most)
    terms = _terms(text.split(","), what, low, high, most)
    if not terms:
        raise ValueError(f"Please send at least one {what}, or {CLEAR} for none.")
    return terms


def keywords(current: Iterable[str], text: str) -> list[str]:
    return edit_terms(current, text, "keyword", KEYWORD_MIN, KEYWORD_MAX, MAX_KEYWORDS)


def aliases(current: Iterable[str], text: str) -> list[str]:
    return edit_terms(current, text, "alias", ALIAS_MIN, ALIAS_MAX, MAX_ALIASES)


_NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:m|metres|meters)?\s*$", re.IGNORECASE)


def radius(text: str) -> float:
    """ "150", "150 m", "150m" → 150.0, within RADIUS_MIN_M..RADIUS_MAX_M."""
    found = _NUMBER.match(text)
    if found is None:
        raise ValueError("Please send the radius as a number of metres, e.g. 150.")
    value = float(found.group(1))
    return checked_radius(value)


def checked_radius(value: float) -> float:
    if not math.isfinite(value) or not RADIUS_MIN_M <= value <= RADIUS_MAX_M:
        raise ValueError(f"The radius must be {RADIUS_MIN_M:g}–{RADIUS_MAX_M:g} m; got {value:g}.")
    return value


_POINT = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,; ]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


def typed_point(text: str) -> tuple[float, float] | None:
    """ "52.6012, -1.1034" → (52.6012, -1.1034); None if it doesn't look like coordinates.

    Raises ValueError for numbers that are not a point on Earth.
    """
    found = _POINT.match(text)
    if found is None:
        return None
    lat, lon = float(found.group(1)), float(found.group(2))
    validate_point(lat, lon)
    return lat, lon


# ---- the hotspots CSV file -----------------------------------------------------------------
CSV_COLUMNS = ("name", "lat", "lon", "radius_m", "aliases")
_REQUIRED_COLUMNS = ("name", "lat", "lon")
CSV_ALIAS_SEPARATOR = "|"


@dataclass(frozen=True)
class PlaceRow:
    """One hotspot as the CSV file describes it."""

    name: str
    lat: float
    lon: float
    radius_m: float = DEFAULT_RADIUS_M
    aliases: tuple[str, ...] = ()


class CsvProblems(ValueError):
    """A file with bad rows: `problems` lists each with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _degrees(value: str, label: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{label} must be a number of degrees, not “{value}”.") from None
    return number


def _row(record: dict[str, str]) -> PlaceRow:
    name = hotspot_name(record.get("name") or "")
    lat = _degrees((record.get("lat") or "").strip(), "Latitude")
    lon = _degrees((record.get("lon") or "").strip(), "Longitude")
    validate_point(lat, lon)
    radius_text = (record.get("radius_m") or "").strip()
    if radius_text:
        try:
            radius_m = float(radius_text)
        except ValueError:
            raise ValueError(f"radius_m must be a number of metres, not “{radius_text}”.") from None
        radius_m = checked_radius(radius_m)
    else:
        radius_m = DEFAULT_RADIUS_M
    alias_list = _terms(
        (record.get("aliases") or "").split(CSV_ALIAS_SEPARATOR),
        "alias",
        ALIAS_MIN,
        ALIAS_MAX,
        MAX_ALIASES,
    )
    return PlaceRow(name, lat, lon, radius_m, tuple(alias_list))


def read_places_csv(text: str) -> list[PlaceRow]:
    """Every row of a hotspots CSV, or CsvProblems naming each bad line (all or nothing)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [cell.strip().casefold() for cell in cells]
            break
    if header is None:
        raise CsvProblems(
            [
                "line 1: the file is empty; the first line must be the header "
                + ",".join(CSV_COLUMNS)
            ]
        )
    header_line = reader.line_num
    unknown = [c for c in header if c not in CSV_COLUMNS]
    missing = [c for c in _REQUIRED_COLUMNS if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        detail = []
        if unknown:
            detail.append("unknown column " + ", ".join(f"“{c}”" for c in unknown))
        if missing:
            detail.append("missing column " + ", ".join(f"“{c}”" for c in missing))
        if len(set(header)) != len(header):
            detail.append("a column appears twice")
        raise CsvProblems(
            [
                f"line {header_line}: {'; '.join(detail)} (the header must be "
                f"{','.join(CSV_COLUMNS)})"
            ]
        )

    rows: list[PlaceRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(f"line {line}: {len(cells)} values but {len(header)} columns")
            continue
        record = dict(zip(header, cells, strict=False))
        try:
            row = _row(record)
        except ValueError as error:
            problems.append(f"line {line}: {error}")
            continue
        first = seen.setdefault(row.name.casefold(), line)
        if first != line:
            problems.append(f"line {line}: “{row.name}” is already on line {first}")
            continue
        rows.append(row)
    if problems:
        raise CsvProblems(problems)
    return rows


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def write_places_csv(rows: Iterable[PlaceRow]) -> str:
    """The same columns `read_places_csv` reads: export and re-import give the same places."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.name,
                repr(row.lat),
                repr(row.lon),
                _number(row.radius_m),
                CSV_ALIAS_SEPARATOR.join(row.aliases),
            ]
        )
    return out.getvalue()
