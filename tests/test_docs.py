"""The README and .env.example stay true: every setting and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.config import Settings
from bot.domain.access.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def _names(alias: object) -> list[str]:
    """A setting's name; each of them when it has more than one (an older name still read)."""
    choices = getattr(alias, "choices", None)
    return [str(c) for c in choices] if choices else [str(alias)]


SETTINGS = sorted(n for f in Settings.model_fields.values() for n in _names(f.validation_alias))


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_is_in_env_example_and_readme(name: str) -> None:
    # An older name of a setting is mentioned beside the current one, not set.
    assert re.search(rf"^{name}=", ENV_EXAMPLE, re.MULTILINE) or (
        f"{name}, its older name" in ENV_EXAMPLE
    ), f"{name} missing in .env.example"
    assert f"`{name}`" in README, f"{name} missing in README"


@pytest.mark.parametrize("name", [spec.name for spec in COMMANDS])
def test_every_bot_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"`/{name}[` ]", README), f"/{name} missing in README"


def _cli_commands() -> list[str]:
    parser = build_parser()
    names: list[str] = []
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            if nested:
                names.extend(f"{name} {child}" for child in nested[0].choices)
            else:
                names.append(name)
    return names


@pytest.mark.parametrize("command", _cli_commands())
def test_every_command_line_command_is_in_the_readme(command: str) -> None:
    assert f"`tcag {command}" in README, f"tcag {command} missing in README"
