"""Secrets (API tokens) from .streamlit/secrets.toml or the environment, never from git.

An environment variable VIGIE_SECRET_<NAME> overrides the file's <name> key, so a
deployment can inject tokens without writing a file.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from pathlib import Path
from typing import Any

SECRETS_FILE = Path(".streamlit") / "secrets.toml"


def load_secrets(path: Path | None = None) -> dict[str, Any]:
    path = path or SECRETS_FILE
    secrets: dict[str, Any] = {}
    if path.exists():
        with contextlib.suppress(tomllib.TOMLDecodeError, UnicodeDecodeError):
            secrets.update(tomllib.loads(path.read_text(encoding="utf-8")))
    for key, value in os.environ.items():
        if key.startswith("VIGIE_SECRET_"):
            secrets[key.removeprefix("VIGIE_SECRET_").lower()] = value
    return secrets
