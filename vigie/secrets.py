"""Secrets (API tokens) from .streamlit/secrets.toml or the environment, never from git.

An environment variable VIGIE_SECRET_<NAME> overrides the file's <name> key, so a
deployment can inject tokens without writing a file. The long-running collectors re-read
the file when it changes (`SecretsFile`), so a new or rotated token needs no restart.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from pathlib import Path
from typing import Any

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
log = logging.getLogger("vigie.secrets")


class SecretsError(ValueError):
    """The secrets file exists but cannot be read as TOML (the message never quotes it)."""


def _from_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # Keep only where: a parser message that quoted the line would print a token.
        found = re.search(r"line (\d+)", str(exc))
        where = f" (line {found.group(1)})" if found else ""
        raise SecretsError(f"{path} is not valid TOML{where}") from None


def _from_environment() -> dict[str, Any]:
    return {key.removeprefix("VIGIE_SECRET_").lower(): value
            for key, value in os.environ.items() if key.startswith("VIGIE_SECRET_")}


def load_secrets(path: Path | None = None) -> dict[str, Any]:
    """The secrets now; a file that does not parse is reported in the log and skipped."""
    path = path or SECRETS_FILE
    try:
        secrets = _from_file(path)
    except SecretsError as exc:
        log.error("%s: its secrets are ignored", exc)
        secrets = {}
    return {**secrets, **_from_environment()}


class SecretsFile:
    """The secrets, re-read whenever the file's modification time or size changes. A
    file that stops parsing keeps the last good values (a half-saved edit must not cut
    every authenticated source) and says so once in the log."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or SECRETS_FILE
        self._seen: tuple[float, int] | None = None
        self._file: dict[str, Any] = {}

    def _signature(self) -> tuple[float, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def current(self) -> dict[str, Any]:
        signature = self._signature()
        if signature != self._seen:
            self._seen = signature
            try:
                self._file = _from_file(self.path)
            except SecretsError as exc:
                log.error("%s: keeping the secrets read before", exc)
        return {**self._file, **_from_environment()}
