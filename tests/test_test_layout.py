"""The tests' own layout: support code in tests/support, test modules that import only that.

A test module importing another (for a constant, a helper, a fixture) ties the two together
and runs the other's module-level code; shared things belong in tests/support, and
conftest.py holds fixtures only, built from tests/support. The walk reads every import,
including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = "tests.support"


def imports(source: str, package: str) -> list[tuple[int, list[str]]]:
    """Each import statement's line and what it may name, most general first: `from a
    import b` may be value b of module a or module a.b. Relative imports made absolute."""
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, [alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*parts, module] if module else parts)
            found.append((node.lineno, [module, *(f"{module}.{a.name}" for a in node.names)]))
    return sorted(found)


def outside_support(module: str) -> bool:
    """A module of the tests package other than tests/support (the package itself is fine:
    what `from tests import x` names is looked at on its own)."""
    in_support = module == SUPPORT or module.startswith(f"{SUPPORT}.")
    return module.startswith("tests.") and not in_support


def refused(source: str, name: str, package: str = "tests") -> list[str]:
    """`name:line imports module` for each import of the tests package outside support."""
    wrong = []
    for line, names in imports(source, package):
        bad = [module for module in names if outside_support(module)]
        if bad:
            wrong.append(f"{name}:{line} imports {bad[0]}")
    return wrong


def refused_in(path: Path) -> list[str]:
    package = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts[:-1])
    name = str(path.relative_to(TESTS.parent))
    return refused(path.read_text(encoding="utf-8"), name, package)


def test_test_modules_import_only_tests_support() -> None:
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 40
    wrong = [line for path in modules for line in refused_in(path)]
    assert wrong == []


def test_conftest_holds_fixtures_built_from_tests_support() -> None:
    conftest = TESTS / "conftest.py"
    assert refused_in(conftest) == []
    tree = ast.parse(conftest.read_text(encoding="utf-8"))
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert classes == [], "classes belong in tests/support"


def test_support_does_not_reach_back_into_test_modules() -> None:
    wrong = [line for path in sorted((TESTS / "support").glob("*.py")) for line in refused_in(path)]
    assert wrong == []


def test_no_helper_modules_beside_the_tests() -> None:
    """Everything in tests/ and its layer folders (support aside) is a test module,
    conftest.py or __init__.py."""
    loose = [
        path.name
        for path in TESTS.rglob("*.py")
        if "support" not in path.relative_to(TESTS).parts
        if not path.name.startswith("test_") and path.name not in ("conftest.py", "__init__.py")
    ]
    assert loose == []


def test_the_walk_sees_what_it_must_refuse() -> None:
    """The checks above would pass on a walk that sees nothing: show them what they refuse."""
    source = (
        "from tests.e2e.test_e2e_run import server\n"
        "from tests import test_fuzz\n"
        "from tests.conftest import clock\n"
        "def helper():\n"
        "    import tests.storage.test_storage\n"
        "from .reporting import officer\n"
        "from tests.support.harness import ADMIN\n"
        "from tests.support import databases\n"
        "from tests import support\n"
        "from .support.e2e import seed\n"
    )
    assert refused(source, "t.py") == [
        "t.py:1 imports tests.e2e.test_e2e_run",
        "t.py:2 imports tests.test_fuzz",
        "t.py:3 imports tests.conftest",
        "t.py:5 imports tests.storage.test_storage",
        "t.py:6 imports tests.reporting",
    ]
