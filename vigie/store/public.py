"""What the public may see: each query names its columns, never `*`.

The public map and `/api/public.geojson` read only these methods (through
vigie/public.py). Adding a column to a table never adds it to the public side: it has
to be listed here. Posts, authors, people, evidence, notes and owners have no query here.
"""

from __future__ import annotations

from typing import Any

from vigie.store.db import loads

PUBLIC_ROAD_COLUMNS = ("id", "road", "description", "event_type", "status", "direction",
                       "starts_at", "ends_at", "geometry", "lat", "lon", "commune", "detour",
                       "schedule", "updated_at")
PUBLIC_SHELTER_COLUMNS = ("id", "name", "commune", "address", "lat", "lon", "capacity",
                          "status", "updated_at")
PUBLIC_CLAIM_COLUMNS = ("id", "status", "public_message", "verdict_at", "updated_at")
PUBLIC_CLAIM_STATUSES = ("confirmed", "false", "misleading")


class PublicMixin:
    """SQL for the public projection. Mixed into vigie.store.Store."""

    def public_road_events(self, limit: int = 2000) -> list[dict[str, Any]]:
        """Events not ended (their live status is decided by the caller)."""
        rows = self.query(
            f"SELECT {', '.join(PUBLIC_ROAD_COLUMNS)} FROM road_events "
            "WHERE status != 'ended' ORDER BY updated_at DESC LIMIT ?", (limit,))
        for row in rows:
            row["geometry"] = loads(row["geometry"])
            row["schedule"] = loads(row["schedule"])
        return rows

    def public_shelters(self, limit: int = 1000) -> list[dict[str, Any]]:
        return self.query(
            f"SELECT {', '.join(PUBLIC_SHELTER_COLUMNS)} FROM shelters WHERE published = 1 "
            "ORDER BY name LIMIT ?", (limit,))

    def public_claims(self, limit: int = 200) -> list[dict[str, Any]]:
        """Verdicts a coordinator published, with their public message only."""
        marks = ",".join("?" * len(PUBLIC_CLAIM_STATUSES))
        return self.query(
            f"SELECT {', '.join(PUBLIC_CLAIM_COLUMNS)} FROM claims WHERE published = 1 "
            f"AND status IN ({marks}) AND trim(coalesce(public_message, '')) != '' "
            "ORDER BY coalesce(verdict_at, updated_at, created_at) DESC LIMIT ?",
            (*PUBLIC_CLAIM_STATUSES, limit))
