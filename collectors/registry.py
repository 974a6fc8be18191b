"""Which module implements each source kind.

Modules are imported lazily so that a broken optional kind never stops the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Kind:
    name: str
    module: str
    description: str
    needs_url: bool = True

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("replay", "collectors.replay", "replays a scenario file with time compression"),
    )
}
