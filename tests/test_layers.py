"""The rooms' import rule: every arrow between our modules points down a layer.

Layers, lowest first (a module may import its own layer's modules and those below):
config and domain import nothing of ours; storage imports domain; texts import domain;
keyboards import domain and texts (button labels are wording); the typed context imports
storage; summaries and jobs import all of those (jobs may use summaries, not the reverse);
handlers import everything below them; app, offline (console, demo) and cli sit on
top. The walk reads every module's imports, including those inside functions and under
TYPE_CHECKING, so a lazy import cannot hide an upward arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")

# Each room and the rooms it may import (besides itself). Longest prefix wins.
_BASE = {"bot.config", "bot.domain"}
ALLOWED: dict[str, set[str]] = {
    "bot.config": set(),
    "bot.domain": set(),
    "storage": {"bot.config", "bot.domain"},
    "bot.texts": _BASE,
    "bot.keyboards": _BASE | {"bot.texts"},
    "bot.context": _BASE | {"storage"},
    "bot.summaries": _BASE | {"storage", "bot.texts", "bot.keyboards", "bot.context"},
    "bot.jobs": _BASE | {"storage", "bot.texts", "bot.keyboards", "bot.context", "bot.summaries"},
}
ALLOWED["handlers"] = ALLOWED["bot.jobs"] | {"bot.jobs"}
ALLOWED["bot.app"] = ALLOWED["handlers"] | {"handlers"}
ALLOWED["bot.offline"] = ALLOWED["bot.app"] | {"bot.app"}
ALLOWED["bot.cli"] = ALLOWED["bot.offline"] | {"bot.offline"}
ALLOWED["bot.__main__"] = {"bot.cli"}
ALLOWED["bot"] = set()  # the package itself: its __init__ holds only a docstring


def room_of(module: str) -> str:
    return max((p for p in ALLOWED if module == p or module.startswith(p + ".")), key=len)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import of one of our packages in this file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    package = module_name(path, root).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                where = root / Path(*candidate.split("."))
                is_module = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                found.append((node.lineno, candidate if is_module else base))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    found.append((node.lineno, alias.name))
    return found


def modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def violations(path: Path, root: Path = ROOT) -> list[str]:
    here = room_of(module_name(path, root))
    wrong: list[str] = []
    for line, target in sorted(set(our_imports(path, root))):
        room = room_of(target)
        if room != here and room not in ALLOWED[here]:
            wrong.append(f"{path.relative_to(root)}:{line} imports {target} ({room})")
    return wrong


def test_every_import_points_down() -> None:
    wrong = [v for path in modules() for v in violations(path)]
    assert wrong == [], "\n".join(wrong)


def test_no_module_is_outside_a_layer() -> None:
    for path in modules():
        room = room_of(module_name(path))
        assert room != "bot" or module_name(path) == "bot", f"{path} sits in no room"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from bot.jobs.scheduler import run_due\n",
            "bot/domain/x.py:1 imports bot.jobs.scheduler",
        ),
        (
            "def f():\n    from handlers import common\n",
            "bot/domain/x.py:2 imports handlers",
        ),
        ("import storage.models\n", "bot/domain/x.py:1 imports storage.models"),
        ("from bot.config import Settings\n", "bot/domain/x.py:1 imports bot.config"),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, source: str, expected: str) -> None:
    bad = tmp_path / "bot" / "domain" / "x.py"
    bad.parent.mkdir(parents=True)
    bad.write_text(source, encoding="utf-8")
    assert violations(bad, tmp_path)[0].startswith(expected)


def test_texts_and_keyboards_never_reach_the_database(tmp_path: Path) -> None:
    for room in ("texts", "keyboards"):
        bad = tmp_path / "bot" / room / "x.py"
        bad.parent.mkdir(parents=True)
        bad.write_text("from storage.models import Member\n", encoding="utf-8")
        assert violations(bad, tmp_path) == [f"bot/{room}/x.py:1 imports storage.models (storage)"]


def test_a_downward_import_passes(tmp_path: Path) -> None:
    good = tmp_path / "handlers" / "x.py"
    good.parent.mkdir(parents=True)
    good.write_text(
        "from bot.domain.access.roles import Role\nimport storage.models\n", encoding="utf-8"
    )
    assert violations(good, tmp_path) == []


def test_the_package_roots_hold_only_a_docstring() -> None:
    for room in ("domain", "summaries", "jobs", "cli", "offline"):
        tree = ast.parse((ROOT / "bot" / room / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"bot/{room} explains what lives there"
        assert len(tree.body) == 1, f"bot/{room}/__init__.py holds only its docstring"


# STYLE: a folder past ~15 modules holds more than one room; split it. Migrations'
# versions/ is a ledger, not a room; test data is not code.
MOST_ENTRIES = 16
NOT_ROOMS = {"versions", "data", "__pycache__"}


def crowded_folders(root: Path = ROOT) -> list[str]:
    crowded = []
    for top in (*PACKAGES, "tests"):
        for folder in [root / top, *(root / top).rglob("*")]:
            if not folder.is_dir() or folder.name in NOT_ROOMS or ".venv" in folder.parts:
                continue
            entries = [
                p
                for p in folder.iterdir()
                if p.name != "__init__.py"
                and (p.suffix == ".py" or (p.is_dir() and p.name not in NOT_ROOMS))
            ]
            if len(entries) > MOST_ENTRIES:
                crowded.append(f"{folder.relative_to(root)} ({len(entries)})")
    return crowded


def test_no_folder_is_more_than_one_room() -> None:
    assert crowded_folders() == []


def test_a_crowded_folder_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "bot" / "domain"
    folder.mkdir(parents=True)
    for n in range(MOST_ENTRIES + 1):
        (folder / f"m{n}.py").write_text("", encoding="utf-8")
    (tmp_path / "handlers").mkdir()
    (tmp_path / "storage").mkdir()
    (tmp_path / "tests").mkdir()
    assert crowded_folders(tmp_path) == [f"bot/domain ({MOST_ENTRIES + 1})"]


def test_every_sub_room_says_what_lives_there() -> None:
    for init in sorted((ROOT / "bot").rglob("__init__.py")):
        if init.parent == ROOT / "bot":
            continue
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init.parent.relative_to(ROOT)} explains itself"
