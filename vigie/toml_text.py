"""Source options as TOML text and back, for the Admin page's options field.

Options are what a `[[source]]` table holds besides name, kind, url, every and enabled:
the Admin page shows them as the same TOML a sources file would hold, so what a person
types there can be pasted into the file and back.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import date, datetime, time
from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class OptionsError(ValueError):
    """The text is not TOML, or not a table of options."""


def dumps_options(options: dict[str, Any]) -> str:
    """One `key = value` line per option; tables become inline tables."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in options.items())


def loads_options(text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as exc:
        raise OptionsError(f"Options illisibles (TOML) : {exc}") from exc
    return data


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL, which TOML forbids raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return _string(str(value))
