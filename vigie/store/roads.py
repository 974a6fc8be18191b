"""Road events as people handle them: the Roads page's list, manual closures and detours.

Feeds write through FeedsMixin; this module covers what a coordinator does by hand. A manual
event has `manual = 1`: no feed ever updates or ends it. Every change is audited and writes
a main-courante line in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from vigie.store.db import StoreError, dumps
from vigie.store.feeds import decode_road_event

MANUAL_SOURCE = "manuel"
MANUAL_KIND = "manual"
# Columns a person may set on a manual event.
MANUAL_FIELDS = ("road", "description", "event_type", "status", "direction", "starts_at",
                 "ends_at", "geometry", "lat", "lon", "commune", "detour", "extra")


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(MANUAL_FIELDS)
    if unknown:
        raise StoreError(f"road event fields not editable: {sorted(unknown)}")
    return {k: (dumps(v) if isinstance(v, (dict, list)) else v) for k, v in values.items()}


class RoadsMixin:
    """SQL for the Roads page. Mixed into vigie.store.Store."""

    def road_event(self, event_id: str) -> dict[str, Any] | None:
        row = self.query_one("SELECT * FROM road_events WHERE id = ?", (event_id,))
        return decode_road_event(row) if row else None

    def road_events_window(self, *, since: str | None = None,
                           limit: int = 2000) -> list[dict[str, Any]]:
        """Events not ended, plus those that changed since `since` (ended ones included),
        newest change first. A few hundred rows in a real crisis: pages filter in Python on
        the live status (which moves with the clock)."""
        if since:
            rows = self.query(
                "SELECT * FROM road_events WHERE status != 'ended' OR updated_at >= ? "
                "OR ends_at >= ? ORDER BY updated_at DESC LIMIT ?", (since, since, limit))
        else:
            rows = self.query("SELECT * FROM road_events ORDER BY updated_at DESC LIMIT ?",
                              (limit,))
        return [decode_road_event(r) for r in rows]

    def road_event_sources(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT source FROM road_events ORDER BY 1")]

    def add_manual_road_event(self, values: dict[str, Any], actor: str, *,
                              incident_id: int | None, log_text: str) -> str:
        """Insert a closure or detour typed by a person; audit and main courante at once."""
        encoded = _encode(values)
        event_id = f"{MANUAL_KIND}:{uuid.uuid4().hex[:12]}"
        now = self.now()
        columns = ("id", "source", "kind", "manual", "incident_id", "created_at", "updated_at",
                   "updated_by", *encoded)
        row = (event_id, MANUAL_SOURCE, MANUAL_KIND, 1, incident_id, now, now, actor,
               *encoded.values())
        with self.write() as conn:
            conn.execute(f"INSERT INTO road_events ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})", row)
            self.audit(actor, "road_event.create", "road_events", event_id, None, encoded)
            self.add_log(actor, log_text, kind="action", entity="road_event",
                         entity_id=event_id, incident_id=incident_id)
        return event_id

    def edit_manual_road_event(self, event_id: str, expected_version: int,
                               changes: dict[str, Any], actor: str, *, action: str,
                               log_text: str) -> dict[str, Any]:
        """A person's edit of a manual event (StaleEdit if someone changed it meanwhile)."""
        encoded = _encode(changes)
        with self.write():
            current = self.query_one("SELECT manual, incident_id FROM road_events WHERE id = ?",
                                     (event_id,))
            if current is None or not current["manual"]:
                raise StoreError("only manual road events are edited by hand")
            row = self.versioned_update("road_events", event_id, expected_version, encoded,
                                        actor, action=action)
            self.add_log(actor, log_text, kind="action", entity="road_event",
                         entity_id=event_id, incident_id=current["incident_id"])
        return decode_road_event(row)
