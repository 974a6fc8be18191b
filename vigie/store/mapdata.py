"""The Map page's queries: located posts of a time window, as points or as bins, and
near-duplicate clusters as one circle each. Aggregation happens in SQL, so a window of
100,000 posts sends a few thousand rows at most to the page."""

from __future__ import annotations

import json
from typing import Any

from vigie.store.posts import PostFilter, _decode_post


class MapDataMixin:
    """SQL for the Map page. Mixed into vigie.store.Store."""

    def count_located_posts(self, f: PostFilter, *, cap: int = 1_000_000) -> int:
        where, params = f.where()
        return int(self.scalar(
            f"SELECT count(*) FROM (SELECT 1 FROM posts p WHERE {where} "
            "AND p.lat IS NOT NULL AND p.lon IS NOT NULL LIMIT ?)", [*params, cap]))

    def map_points(self, f: PostFilter, *, limit: int = 3000) -> list[dict[str, Any]]:
        """Located posts, most urgent first, with what a tooltip shows."""
        where, params = f.where()
        rows = self.query(
            "SELECT p.id, p.lat, p.lon, p.precision, p.urgency, p.categories, p.place, "
            "p.author, substr(p.text, 1, 280) AS text, p.created_at, p.cluster_id "
            f"FROM posts p WHERE {where} AND p.lat IS NOT NULL AND p.lon IS NOT NULL "
            "ORDER BY p.urgency DESC, p.created_at DESC LIMIT ?", [*params, limit])
        return [_decode_post(r) for r in rows]

    def map_bins(self, f: PostFilter, *, cell_deg: float) -> list[dict[str, Any]]:
        """Located posts counted per grid cell of `cell_deg` degrees (GROUP BY in SQL)."""
        if not cell_deg > 0:
            raise ValueError("cell_deg must be positive")
        where, params = f.where()
        # + 1e6 keeps the quotient positive, so CAST truncates like floor() would
        # (floor() needs SQLite's optional math functions).
        return self.query(
            "SELECT CAST(p.lat / ? + 1000000 AS INTEGER) AS gy, "
            "CAST(p.lon / ? + 1000000 AS INTEGER) AS gx, count(*) AS posts, "
            "avg(p.lat) AS lat, avg(p.lon) AS lon, max(p.urgency) AS max_urgency, "
            "avg(p.urgency) AS mean_urgency "
            f"FROM posts p WHERE {where} AND p.lat IS NOT NULL AND p.lon IS NOT NULL "
            "GROUP BY gy, gx", [cell_deg, cell_deg, *params])

    def map_clusters(self, f: PostFilter, *, min_size: int = 2,
                     limit: int = 300) -> list[dict[str, Any]]:
        """Near-duplicate clusters of the window: size, centre of their located posts,
        time span and the text of their first post."""
        where, params = f.where()
        rows = self.query(
            "SELECT p.cluster_id, count(*) AS posts, avg(p.lat) AS lat, avg(p.lon) AS lon, "
            "max(p.urgency) AS max_urgency, min(p.created_at) AS first_at, "
            "max(p.created_at) AS last_at "
            f"FROM posts p WHERE {where} AND p.cluster_id IS NOT NULL "
            "GROUP BY p.cluster_id HAVING count(*) >= ? AND avg(p.lat) IS NOT NULL "
            "ORDER BY posts DESC LIMIT ?", [*params, min_size, limit])
        if rows:
            ids = [r["cluster_id"] for r in rows]
            # One seek per cluster on idx_posts_cluster_created, not a scan of each
            # cluster's posts (a viral one holds 100,000).
            first = {r["cluster_id"]: r for r in self.query(
                "SELECT j.value AS cluster_id, (SELECT substr(p.text, 1, 280) FROM posts p "
                "INDEXED BY idx_posts_cluster_created WHERE p.cluster_id = j.value "
                "ORDER BY p.created_at LIMIT 1) AS text FROM json_each(?) j",
                (json.dumps(ids),))}
            for r in rows:
                r["text"] = (first.get(r["cluster_id"]) or {}).get("text")
        return rows
