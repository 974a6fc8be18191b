"""The sources file (TOML): one `[[source]]` table per source.

Validation happens here, before anything runs or is saved, so a typo gets a clear
message naming the source and the key instead of a collector failing at 3 a.m.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from collectors.base import Source
from collectors.registry import KINDS

DEFAULT_SOURCES = Path("data") / "sources.toml"
_RESERVED = {"name", "kind", "url", "every", "enabled"}


class ConfigError(ValueError):
    """The sources file cannot be used as it is."""


def default_sources_path() -> Path:
    return Path(os.environ.get("VIGIE_SOURCES") or DEFAULT_SOURCES)


def validate_source(raw: dict[str, Any], *, where: str = "source") -> Source:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where} '{name}': unknown kind {kind!r} "
                          f"(known: {', '.join(sorted(KINDS))})")
    url = raw.get("url", "")
    if not isinstance(url, str):
        raise ConfigError(f"{where} '{name}': 'url' must be text")
    if KINDS[kind].needs_url and not url:
        raise ConfigError(f"{where} '{name}': 'url' is required for kind {kind}")
    if url and not (url.startswith(("http://", "https://", "file://")) or "://" not in url):
        raise ConfigError(f"{where} '{name}': 'url' must be http(s), file:// or a local path")
    every = raw.get("every", 60)
    if not isinstance(every, (int, float)) or isinstance(every, bool) or every <= 0:
        raise ConfigError(f"{where} '{name}': 'every' must be a positive number of seconds")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where} '{name}': 'enabled' must be true or false")
    options = {k: v for k, v in raw.items() if k not in _RESERVED}
    return Source(name=name.strip(), kind=kind, url=url, every=float(every), enabled=enabled,
                  options=options)


def source_from_row(row: dict[str, Any]) -> Source:
    """A `sources` table row (as the store returns it) as the runner's Source."""
    options = row.get("options")
    return Source(name=row["name"], kind=row["kind"], url=row.get("url") or "",
                  every=float(row.get("every") or 60), enabled=bool(row.get("enabled")),
                  options=dict(options) if isinstance(options, dict) else {})


def load_sources(path: str | os.PathLike[str] | None = None) -> list[Source]:
    path = Path(path) if path is not None else default_sources_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"sources file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sources file {path} is not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: use [[source]] tables")
    sources, seen = [], set()
    for i, raw in enumerate(entries, 1):
        src = validate_source(raw, where=f"{path} source #{i}")
        if src.name in seen:
            raise ConfigError(f"{path}: two sources are named {src.name!r}")
        seen.add(src.name)
        sources.append(_resolve_relative(src, path.parent))
    return sources


def _resolve_relative(src: Source, base: Path) -> Source:
    """A relative local path in a sources file is relative to the repository root when it
    exists there (data/...), else to the sources file's own folder."""
    if src.url and "://" not in src.url and not Path(src.url).is_absolute():
        if not Path(src.url).exists() and (base / src.url).exists():
            src.url = str(base / src.url)
    return src
