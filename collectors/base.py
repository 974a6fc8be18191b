"""The contract between the shared runner and each kind of source.

A kind is a module in `collectors/` that exposes:

    def parse(fetched: Fetched, source: Source) -> Batch

and, when the kind needs more than a plain GET of `source.url` (cursors, query
parameters, tokens), also:

    def build_request(source: Source, state: dict) -> Request

`parse` is pure: bytes and headers in, records out. Network, retries, size caps
and health belong to the runner. A document that cannot be read at all raises
`ParseError` with a message a volunteer understands; a single bad item is
skipped and counted in `Batch.rejected`, never the whole batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vigie.models import Alert, Post, RoadEvent


class ParseError(ValueError):
    """The payload as a whole is unreadable (malformed XML/JSON, wrong format, hostile XML)."""


@dataclass
class Source:
    """One `[[source]]` entry of the sources file."""

    name: str
    kind: str
    url: str = ""
    every: float = 60.0
    enabled: bool = True
    # Every other key of the TOML table (hashtags, query, speed, mapping, token_secret...).
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Request:
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fetched:
    """What the runner fetched: body bytes plus the response metadata a parser may need."""

    body: bytes
    url: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased keys
    content_type: str = ""


@dataclass
class Batch:
    """What a parser returns for one fetched document."""

    posts: list[Post] = field(default_factory=list)
    road_events: list[RoadEvent] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    # Cursor state to keep for the next run (since_id, cursor, etag...).
    state: dict[str, Any] = field(default_factory=dict)
    # Further documents to fetch and parse with the same kind (pagination, CAP
    # documents linked from an index). The runner bounds how many it follows.
    follow: list[Request] = field(default_factory=list)
    # True when the feed is a complete snapshot: road events of this source that
    # are absent from it are ended (not deleted).
    complete_snapshot: bool = False

    @property
    def count(self) -> int:
        return len(self.posts) + len(self.road_events) + len(self.alerts)

    def extend(self, other: Batch) -> None:
        self.posts.extend(other.posts)
        self.road_events.extend(other.road_events)
        self.alerts.extend(other.alerts)
        self.rejected += other.rejected
        self.errors.extend(other.errors)
        self.state.update(other.state)
