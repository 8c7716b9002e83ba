"""`tcag hotspots import|export` and `tcag categories list`, run in-process on an SQLite file."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.clock import SystemClock
from bot.domain.quick_report import DEFAULT_CATEGORIES
from bot.domain.reports.catalog import read_places_csv
from storage.models import Hotspot
from storage.store import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hotspots.csv"
HEADER = "name,lat,lon,radius_m,aliases\n"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL for a fresh SQLite file; the working folder has no .env to read."""
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def hotspots_in(url: str) -> dict[str, Hotspot]:
    async def read() -> dict[str, Hotspot]:
        store = Store.from_url(url, SystemClock())
        try:
            return {h.name: h for h in await store.hotspots.active()}
        finally:
            await store.close()

    return asyncio.run(read())


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_the_example_file(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = str(tmp_path / "places.csv")
    shutil.copy(EXAMPLE, places)

    assert main(["hotspots", "import", places]) == 0

    assert capsys.readouterr().out.strip() == "Imported 8 hotspots (8 added, 0 updated)"
    stored = hotspots_in(database)
    assert len(stored) == 8
    square = stored["Elmer Square"]
    assert (square.lat, square.lon, square.radius_m) == (52.6012, -1.1034, 80)
    assert "the fountain" in square.alias_list
    assert "St Mary's Churchyard" in stored


def test_reimport_updates_by_name(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.csv", HEADER + "Elmer Square,52.6012,-1.1034,80,the fountain\n")
    assert main(["hotspots", "import", first]) == 0
    second = write(
        tmp_path,
        "b.csv",
        HEADER
        + "elmer square,52.6013,-1.1035,120,the fountain|the square\n"
        + "Bus Station,52.6031,-1.0987,,\n",
    )
    capsys.readouterr()

    assert main(["hotspots", "import", second]) == 0

    assert capsys.readouterr().out.strip() == "Imported 2 hotspots (1 added, 1 updated)"
    stored = hotspots_in(database)
    assert sorted(stored) == ["Bus Station", "elmer square"]
    assert stored["elmer square"].radius_m == 120
    assert stored["elmer square"].alias_list == ("the fountain", "the square")
    assert stored["Bus Station"].radius_m == 100 and stored["Bus Station"].alias_list == ()


def test_a_bad_row_imports_nothing_and_names_the_lines(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.csv", HEADER + "Elmer Square,52.6012,-1.1034,80,\n")
    assert main(["hotspots", "import", good]) == 0
    bad = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "Elmer Square,52.7,-1.2,300,\n"
        + "Bus Station,north,-1.0987,100,\n"
        + "\n"
        + "Market Street,52.6005,-1.1009,5,\n"
        + "Riverside Walk,52.5981,-1.1062,250,the river|x\n"
        + "ELMER SQUARE,52.6,-1.1,100,\n"
        + "Kings Arms,52.6016,-1.0997,40,,extra\n",
    )
    capsys.readouterr()

    assert main(["hotspots", "import", bad]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{bad}: 5 problems; nothing was imported." in captured.err
    assert "line 3: Latitude must be a number of degrees, not “north”." in captured.err
    assert "line 5: The radius must be 10–5000 m; got 5." in captured.err
    assert "line 6: Each alias must be 2–80 characters; “x” has 1." in captured.err
    assert "line 7: “ELMER SQUARE” is already on line 2" in captured.err
    assert "line 8: 6 values but 5 columns" in captured.err
    stored = hotspots_in(database)
    assert list(stored) == ["Elmer Square"] and stored["Elmer Square"].radius_m == 80


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("name,lat,lon,radius\nA place,52.6,-1.1,100\n", "line 1: unknown column “radius”"),
        ("name,lon\n", "missing column “lat”"),
        ("Elmer Square,52.6,-1.1,100,\n", "unknown column “elmer square”"),
    ],
)
def test_a_bad_header_is_refused(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    assert main(["hotspots", "import", write(tmp_path, "h.csv", text)]) == 1
    assert message in capsys.readouterr().err


def test_a_missing_file_is_refused(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hotspots", "import", "nowhere.csv"]) == 1
    assert "cannot read nowhere.csv" in capsys.readouterr().err


def test_export_round_trips(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    tricky = (
        '"Kings Arms, the ""old"" pub",52.601634129,-1.09970001,42.5,the kings|kings arms pub\n'
    )
    places = write(tmp_path, "in.csv", EXAMPLE.read_text(encoding="utf-8") + tricky)
    assert main(["hotspots", "import", places]) == 0
    capsys.readouterr()

    assert main(["hotspots", "export"]) == 0
    exported = capsys.readouterr().out
    assert exported.startswith(HEADER)
    assert read_places_csv(exported) == sorted(
        read_places_csv(Path(places).read_text(encoding="utf-8")), key=lambda r: r.name
    )

    assert main(["hotspots", "export", "--out", "out.csv"]) == 0
    assert capsys.readouterr().out.strip() == "Exported 9 hotspots to out.csv"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == exported

    # Into another database and out again: the same file.
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/other.db")
    assert main(["hotspots", "import", "out.csv"]) == 0
    assert "(9 added, 0 updated)" in capsys.readouterr().out
    assert main(["hotspots", "export"]) == 0
    assert capsys.readouterr().out == exported


def test_export_leaves_out_removed_hotspots(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hotspots", "export"]) == 0
    assert capsys.readouterr().out == HEADER

    async def remove_one() -> None:
        store = Store.from_url(database, SystemClock())
        try:
            square = await store.hotspots.by_name("Elmer Square")
            assert square is not None
            await store.hotspots.remove(square.id or 0)
        finally:
            await store.close()

    assert main(["hotspots", "import", str(EXAMPLE)]) == 0
    asyncio.run(remove_one())
    capsys.readouterr()
    assert main(["hotspots", "export"]) == 0
    exported = capsys.readouterr().out
    assert "Elmer Square" not in exported and "Bus Station" in exported


def test_categories_list(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["categories", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(DEFAULT_CATEGORIES)
    assert any("Weapon seen (urgent by default)" in line for line in lines)
    assert lines[0].split()[0] == "1"
