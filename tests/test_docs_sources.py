"""Every source kind has an example `[[source]]` entry reachable from the README, and every
example there, in the linked docs and in the Admin page's templates passes the same
validation as a source saved in the Admin page."""

from __future__ import annotations

import re
import tomllib

import pytest

from collectors.checks import check_source
from collectors.examples import EXAMPLES, example
from collectors.registry import KINDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
LINKED = sorted({m for m in re.findall(r"\((docs/[\w.-]+\.md)(?:#[\w-]+)?\)", README)})
TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.S)


def documented_entries() -> list[tuple[str, dict]]:
    found = []
    for name, text in [("README.md", README),
                       *[(n, (ROOT / n).read_text(encoding="utf-8")) for n in LINKED]]:
        for block in TOML_BLOCK.findall(text):
            for entry in tomllib.loads(block).get("source", []):
                found.append((name, entry))
    return found


def test_the_readme_links_the_docs_with_examples() -> None:
    assert {"docs/collectors-social.md", "docs/road-sources.md"} <= set(LINKED)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_documented_example(kind) -> None:
    assert any(entry.get("kind") == kind for _, entry in documented_entries()), kind


@pytest.mark.parametrize(("where", "entry"), documented_entries(),
                         ids=lambda v: v if isinstance(v, str) else v.get("name"))
def test_every_documented_example_is_valid(where, entry) -> None:
    src, errors = check_source(entry, check_paths=False)
    assert src is not None, (where, errors)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_admin_template_is_valid(kind) -> None:
    entry = example(kind)
    assert entry["kind"] == kind
    src, errors = check_source(entry, check_paths=False)
    assert src is not None, errors
    assert set(EXAMPLES) == set(KINDS)
