"""Docs that cannot drift: every page, source kind, config variable and CLI command is in
the README."""

from __future__ import annotations

import re

import pytest

from collectors.__main__ import build_parser as collectors_parser
from collectors.registry import KINDS
from tests.conftest import ROOT
from vigie.__main__ import build_parser as vigie_parser
from vigie.access import PAGE_ROLES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    commands = re.findall(r"^make (\w+)", README.split("\n## ")[0], re.M)
    assert commands[:2] == ["run", "test"]


@pytest.mark.parametrize("page", sorted(PAGE_ROLES))
def test_every_page_is_documented(page: str) -> None:
    assert f"`/{page}`" in README


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_source_kind_is_documented(kind: str) -> None:
    assert f"| `{kind}` |" in README


def _env_vars_in_code() -> set[str]:
    found = set()
    for path in [*ROOT.glob("vigie/**/*.py"), *ROOT.glob("collectors/**/*.py"), ROOT / "app.py"]:
        found |= set(re.findall(r"\"(VIGIE_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("var", sorted(_env_vars_in_code()))
def test_every_environment_variable_is_documented(var: str) -> None:
    documented = var if not var.endswith("_") else f"{var}<NAME>"
    assert f"`{documented}`" in README


def _subcommands(parser) -> set[str]:
    names = set()
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                names.add(name)
                names |= {f"{name} {s}" for s in _subcommands(sub)}
    return names


@pytest.mark.parametrize("command", sorted(_subcommands(vigie_parser())))
def test_every_vigie_command_is_documented(command: str) -> None:
    assert f"python -m vigie {command}" in README


@pytest.mark.parametrize("flag", ["--once", "--config", "--db"])
def test_every_collectors_flag_is_documented(flag: str) -> None:
    assert flag in {o for a in collectors_parser()._actions for o in a.option_strings}
    assert flag in README
