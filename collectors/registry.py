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
        Kind("rss", "collectors.rss", "RSS 0.9x/1.0/2.0 and Atom feeds"),
        Kind("mastodon", "collectors.mastodon", "a Mastodon hashtag or public timeline",
             needs_url=False),
        Kind("bluesky", "collectors.bluesky", "AT Protocol (Bluesky) post search",
             needs_url=False),
        Kind("cap", "collectors.cap", "CAP 1.1/1.2 alerts, or an Atom/RSS index of them"),
        Kind("file", "collectors.fileimport", "a CSV or JSON Lines export of posts"),
        Kind("wzdx", "collectors.wzdx", "road events as WZDx v4 GeoJSON"),
        Kind("datex2", "collectors.datex2", "DATEX II situations and traffic regulations"),
        Kind("cifs", "collectors.cifs", "Waze CIFS closures and incidents (XML or JSON)"),
        Kind("geojson", "collectors.geojson",
             "any GeoJSON FeatureCollection of road events, with a property mapping"),
    )
}
