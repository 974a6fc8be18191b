"""One example `[[source]]` entry per kind: the Admin page's starting point for a new
source (tests check that each one passes the same validation as a saved source)."""

from __future__ import annotations

import tomllib
from typing import Any

EXAMPLES: dict[str, str] = {
    "replay": '''
name = "exercice-crue-21"
kind = "replay"
url = "data/scenarios/crue-cote-dor.jsonl"
every = 2
speed = "auto"
target_minutes = 30
''',
    "rss": '''
name = "prefecture-21"
kind = "rss"
url = "https://www.cote-dor.gouv.fr/rss.xml"
every = 300
''',
    "mastodon": '''
name = "mastodon-crue"
kind = "mastodon"
every = 60
instance = "https://mastodon.social"
hashtags = ["crue21", "inondation"]
limit = 40
''',
    "bluesky": '''
name = "bluesky-crue"
kind = "bluesky"
url = "https://public.api.bsky.app"
every = 120
query = "inondation Dijon"
lang = "fr"
limit = 50
token_secret = "bluesky_token"
''',
    "cap": '''
name = "alertes-cap"
kind = "cap"
url = "https://alerts.example/index.atom"
every = 300
max_documents = 20
''',
    "file": '''
name = "export-visov"
kind = "file"
url = "data/export.csv"
every = 600
format = "csv"
mapping = { text = "Message", author = "Auteur", created_at = "Date" }
''',
    "wzdx": '''
name = "chantiers-wzdx"
kind = "wzdx"
url = "https://example.org/wzdx/feed.geojson"
every = 300
''',
    "datex2": '''
name = "cd21-datex"
kind = "datex2"
url = "https://example.org/datex2/situations.xml"
every = 300
lang = "fr"
''',
    "cifs": '''
name = "dialog-cifs"
kind = "cifs"
url = "https://example.org/cifs/incidents.xml"
every = 300
''',
    "geojson": '''
name = "cd73"
kind = "geojson"
url = "https://example.org/arretes.geojson"
every = 600
preset = "litteralis"
''',
}

RESERVED = ("name", "kind", "url", "every", "enabled")


def example(kind: str) -> dict[str, Any]:
    """The example entry of a kind as a table (empty for an unknown kind)."""
    return tomllib.loads(EXAMPLES.get(kind, ""))


def example_options(kind: str) -> dict[str, Any]:
    return {k: v for k, v in example(kind).items() if k not in RESERVED}
