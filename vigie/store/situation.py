"""The wall screen's queries: every one aggregates in SQL over a time window or an open
status, and only over live data (rows of incidents that are not closed, or of none), so
a stopped exercise's leftovers never show on the wall without its banner."""

from __future__ import annotations

from typing import Any

from vigie.store.db import loads

OPEN_POST_STATUSES = ("new", "escalated")  # written literally in urgent_open (partial index)
URGENT_INDEX_FLOOR = 0.5  # the urgency above which idx_posts_open_urgent indexes open posts
WAITING_PEOPLE = ("reported", "escalated")
VERDICTS = ("confirmed", "false", "misleading")
ROAD_TYPES = ("closure", "detour")


def live(alias: str) -> str:
    """SQL: the row belongs to no incident or to one that is not closed."""
    return (f"({alias}.incident_id IS NULL OR {alias}.incident_id IN "
            "(SELECT id FROM incidents WHERE status != 'closed'))")


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


class SituationMixin:
    """SQL for the Situation page. Mixed into vigie.store.Store."""

    def change_stamp(self) -> tuple[int, ...]:
        """A value that moves whenever something the wall shows may have changed: a new
        post, road event or alert, a human edit (audit) or a Vigie event (log: road
        closures and reopenings, spikes). Five rowid look-ups: microseconds at any size."""
        row = self.conn.execute(
            "SELECT (SELECT max(rowid) FROM posts), (SELECT max(rowid) FROM road_events), "
            "(SELECT max(rowid) FROM alerts), (SELECT max(rowid) FROM audit), "
            "(SELECT max(rowid) FROM log)").fetchone()
        return tuple(int(v or 0) for v in row)

    def posts_between(self, since: str, until: str) -> int:
        return int(self.scalar(
            f"SELECT count(*) FROM posts p WHERE p.created_at >= ? AND p.created_at < ? "
            f"AND {live('p')}", (since, until)))

    def urgent_open(self, threshold: float, since: str, *, limit: int = 6,
                    ) -> tuple[int, list[dict[str, Any]]]:
        """Open urgent items (posts with status new or escalated and urgency >= threshold,
        since `since`), one per near-duplicate cluster: how many, and the `limit` most
        recent, each with its newest post and its number of `copies`."""
        # Literal terms, so that SQLite uses the partial index idx_posts_open_urgent.
        floor = " AND p.urgency >= 0.5" if threshold >= URGENT_INDEX_FLOOR else ""
        where = (f"p.status IN ('new', 'escalated'){floor} AND p.urgency >= ? "
                 f"AND p.created_at >= ? AND {live('p')}")
        params = (threshold, since)
        count = int(self.scalar(
            f"SELECT count(DISTINCT COALESCE(p.cluster_id, p.id)) FROM posts p WHERE {where}",
            params))
        if limit <= 0:
            return count, []
        # SQLite fills the bare columns from the row holding max(created_at).
        rows = self.query(
            "SELECT p.id, p.text, p.place, max(p.created_at) AS created_at, p.urgency, "
            "p.status, p.lat, p.lon, p.categories, count(*) AS copies "
            f"FROM posts p WHERE {where} GROUP BY COALESCE(p.cluster_id, p.id) "
            "ORDER BY created_at DESC, p.id DESC LIMIT ?", (*params, limit))
        for r in rows:
            r["categories"] = loads(r["categories"], [])
        return count, rows

    def people_waiting(self) -> dict[str, Any]:
        """People reported in distress or missing and not yet located: how many, and since
        when the longest has waited."""
        row = self.query_one(
            "SELECT count(*) AS n, min(reported_at) AS oldest FROM people p "
            f"WHERE p.status IN ({_marks(WAITING_PEOPLE)}) AND {live('p')}", WAITING_PEOPLE)
        return {"count": int(row["n"]), "oldest": row["oldest"]}

    def claims_by_status(self) -> dict[str, int]:
        return {r["status"]: int(r["n"]) for r in self.query(
            f"SELECT c.status, count(*) AS n FROM claims c WHERE {live('c')} GROUP BY c.status")}

    def latest_verdicts(self, *, limit: int = 5) -> list[dict[str, Any]]:
        """Claims found true, false or misleading, newest verdict first."""
        return self.query(
            "SELECT c.id, c.title, c.status, c.public_message, "
            "COALESCE(c.verdict_at, c.updated_at, c.created_at) AS at FROM claims c "
            f"WHERE c.status IN ({_marks(VERDICTS)}) AND {live('c')} "
            "ORDER BY at DESC, c.id DESC LIMIT ?", (*VERDICTS, limit))

    def roads_closed(self) -> int:
        return int(self.scalar(
            "SELECT count(*) FROM road_events r WHERE r.status = 'active' "
            f"AND r.event_type = 'closure' AND {live('r')}"))

    def road_closures(self, *, limit: int = 8, with_geometry: bool = False,
                      ) -> list[dict[str, Any]]:
        """Active closures, then detours, most recently changed first."""
        geometry = ", r.geometry" if with_geometry else ""
        rows = self.query(
            "SELECT r.id, r.road, r.commune, r.description, r.event_type, r.detour, "
            f"r.direction, r.starts_at, r.updated_at, r.lat, r.lon{geometry} "
            "FROM road_events r WHERE r.status = 'active' "
            f"AND r.event_type IN ({_marks(ROAD_TYPES)}) AND {live('r')} "
            "ORDER BY r.event_type = 'closure' DESC, r.updated_at DESC LIMIT ?",
            (*ROAD_TYPES, limit))
        if with_geometry:
            for r in rows:
                r["geometry"] = loads(r["geometry"])
        return rows

    def category_volume(self, since: str, *, bucket_seconds: int = 600) -> list[dict[str, Any]]:
        """Posts per category per time bucket since `since`: {category, bucket (Unix time
        of the bucket's start), posts}."""
        # No join to posts: the rows of closed incidents in the window (usually none) are
        # left out by a small indexed subquery, and the count reads only a covering index.
        return self.query(
            "SELECT pc.category, CAST((julianday(pc.created_at) - 2440587.5) * 86400 / ? "
            "AS INTEGER) * ? AS bucket, count(*) AS posts FROM post_categories pc "
            "WHERE pc.created_at >= ? AND pc.post_id NOT IN (SELECT id FROM posts "
            "WHERE incident_id IN (SELECT id FROM incidents WHERE status = 'closed') "
            "AND created_at >= ?) GROUP BY pc.category, bucket ORDER BY bucket",
            (bucket_seconds, bucket_seconds, since, since))

    def first_post_since(self, since: str) -> str | None:
        """The oldest post time at or after `since` (how far back the data goes)."""
        return self.scalar("SELECT min(created_at) FROM posts WHERE created_at >= ?", (since,))

    def located_posts(self, since: str, *, limit: int = 3000) -> list[dict[str, Any]]:
        """Where posts came from since `since` (coordinates and urgency only, no text)."""
        return self.query(
            "SELECT p.lat, p.lon, p.urgency, p.place FROM posts p WHERE p.created_at >= ? "
            f"AND p.lat IS NOT NULL AND p.lon IS NOT NULL AND {live('p')} "
            "ORDER BY p.created_at DESC LIMIT ?", (since, limit))
