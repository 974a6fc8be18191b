"""Situation reports and exports: period aggregates in SQL, and cursors that stream rows.

A period is `[since, until)` in ISO UTC text; `since=None` means from the beginning. Every
aggregate runs in SQL so a period holding a million posts never reaches Python as rows; the
export iterators fetch in batches from one cursor, so memory stays constant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vigie.store.db import dumps, loads

FETCH_BATCH = 2000
VERDICTS = ("confirmed", "false", "misleading")


class ReportsMixin:
    """SQL for `python -m vigie report` and `python -m vigie export`."""

    # -- aggregates --------------------------------------------------------------------

    def report_post_figures(self, since: str | None, until: str, *,
                            urgent: float = 0.7) -> dict[str, int]:
        row = self.query_one(
            "SELECT count(*) AS posts, coalesce(sum(urgency >= ?), 0) AS urgent, "
            "coalesce(sum(status = 'escalated'), 0) AS escalated, "
            "coalesce(sum(lat IS NOT NULL), 0) AS located "
            "FROM posts WHERE created_at >= ? AND created_at < ?", (urgent, since or "", until))
        return {k: int(v or 0) for k, v in row.items()}

    def report_volume(self, buckets: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
        """Posts per bucket, given as (key, start, end): one index range count per bucket, so
        no sort of the period's rows (a GROUP BY on a time expression would sort them all)."""
        if not buckets:
            return []
        values = ", ".join("(?, ?, ?)" for _ in buckets)
        params = [v for bucket in buckets for v in bucket]
        return self.query(
            f"WITH b(bucket, s, e) AS (VALUES {values}) SELECT bucket, "
            "(SELECT count(*) FROM posts WHERE created_at >= b.s AND created_at < b.e) AS posts "
            "FROM b ORDER BY bucket", params)

    def report_categories(self, since: str | None, until: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT category, count(*) AS posts FROM post_categories "
            "WHERE created_at >= ? AND created_at < ? GROUP BY category ORDER BY posts DESC",
            (since or "", until))

    def report_density(self, since: str | None, until: str,
                       cell: float = 0.03) -> list[dict[str, Any]]:
        """Located posts counted on a grid of `cell` degrees (cell centres returned)."""
        return self.query(
            "SELECT (cast(round(lat / ?) AS INTEGER)) * ? AS lat, "
            "(cast(round(lon / ?) AS INTEGER)) * ? AS lon, count(*) AS posts FROM posts "
            "WHERE created_at >= ? AND created_at < ? AND lat IS NOT NULL AND lon IS NOT NULL "
            "GROUP BY 1, 2", (cell, cell, cell, cell, since or "", until))

    def report_top_places(self, since: str | None, until: str,
                          limit: int = 12) -> list[dict[str, Any]]:
        return self.query(
            "SELECT place, count(*) AS posts, avg(lat) AS lat, avg(lon) AS lon FROM posts "
            "WHERE created_at >= ? AND created_at < ? AND place IS NOT NULL "
            "GROUP BY place ORDER BY posts DESC LIMIT ?", (since or "", until, limit))

    def report_log(self, since: str | None, until: str, kinds: tuple[str, ...],
                   limit: int = 200) -> list[dict[str, Any]]:
        return self.query(
            f"SELECT at, author, kind, text FROM log WHERE at >= ? AND at < ? "
            f"AND kind IN ({','.join('?' * len(kinds))}) ORDER BY at DESC LIMIT ?",
            (since or "", until, *kinds, limit))

    def report_verdicts(self, since: str | None, until: str) -> list[dict[str, Any]]:
        """Claims judged (confirmed, false, misleading) during the period, with their spread."""
        return self.query(
            "SELECT c.id, c.title, c.status, c.public_message, c.verdict_at, c.created_at, "
            "(SELECT count(*) FROM claim_posts cp WHERE cp.claim_id = c.id) AS posts "
            "FROM claims c WHERE c.status IN ('confirmed', 'false', 'misleading') "
            "AND COALESCE(c.verdict_at, c.updated_at, c.created_at) >= ? "
            "AND COALESCE(c.verdict_at, c.updated_at, c.created_at) < ? "
            "ORDER BY COALESCE(c.verdict_at, c.updated_at, c.created_at)",
            (since or "", until))

    def report_claim_counts(self, until: str) -> dict[str, int]:
        return {r["status"]: int(r["n"]) for r in self.query(
            "SELECT status, count(*) AS n FROM claims WHERE created_at < ? GROUP BY status",
            (until,))}

    def report_people(self, since: str | None, until: str) -> dict[str, Any]:
        """Counts only: never a name or a description."""
        by_status = self.query(
            "SELECT kind, status, count(*) AS n FROM people WHERE reported_at < ? "
            "GROUP BY kind, status", (until,))
        new = self.query(
            "SELECT kind, count(*) AS n FROM people WHERE reported_at >= ? AND reported_at < ? "
            "GROUP BY kind", (since or "", until))
        return {"by_status": by_status, "new": {r["kind"]: int(r["n"]) for r in new}}

    def report_roads(self, since: str | None, until: str,
                     limit: int = 500) -> list[dict[str, Any]]:
        """Road events in force at some point of the period."""
        return self.query(
            "SELECT id, road, commune, event_type, status, direction, detour, description, "
            "starts_at, ends_at, geometry, lat, lon, manual, source FROM road_events "
            "WHERE COALESCE(starts_at, created_at, '') < ? AND (ends_at IS NULL OR ends_at >= ?) "
            "ORDER BY COALESCE(starts_at, created_at), id LIMIT ?",
            (until, since or "", limit))

    def report_alerts(self, since: str | None, until: str,
                      limit: int = 100) -> list[dict[str, Any]]:
        return self.query(
            "SELECT id, sender, event, severity, urgency, headline, area, sent, expires, "
            "status, geometry FROM alerts WHERE COALESCE(sent, received_at, '') < ? "
            "AND (expires IS NULL OR expires >= ?) ORDER BY sent LIMIT ?",
            (until, since or "", limit))

    def exercise_in_period(self, since: str | None, until: str) -> bool:
        """Does an exercise incident overlap the period? (Exports then say EXERCICE.)"""
        return bool(self.scalar(
            "SELECT 1 FROM incidents WHERE exercise = 1 AND started_at < ? "
            "AND (ended_at IS NULL OR ended_at >= ?) LIMIT 1", (until, since or "")))

    def ensure_setting(self, key: str, value: str) -> str:
        """The setting's value, created with `value` if absent (never overwritten, even by
        two processes racing)."""
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)",
                         (key, dumps(value)))
            return loads(conn.execute("SELECT value FROM settings WHERE key = ?",
                                      (key,)).fetchone()[0])

    def first_post_time(self, incident_id: int | None = None) -> str | None:
        if incident_id is None:
            return self.scalar("SELECT min(created_at) FROM posts")
        return self.scalar("SELECT min(created_at) FROM posts WHERE incident_id = ?",
                           (incident_id,))

    # -- streamed rows for exports -----------------------------------------------------

    def _stream(self, sql: str, params: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        try:
            names = [d[0] for d in cur.description]
            while rows := cur.fetchmany(FETCH_BATCH):
                for row in rows:
                    yield dict(zip(names, row, strict=True))
        finally:
            cur.close()

    def iter_export_posts(self, since: str | None, until: str, *,
                          located_only: bool = False) -> Iterator[dict[str, Any]]:
        located = " AND p.lat IS NOT NULL AND p.lon IS NOT NULL" if located_only else ""
        return self._stream(
            "SELECT p.id, p.created_at, p.collected_at, p.source, p.kind, p.author, p.text, "
            "p.url, p.lang, p.place, p.insee, p.precision, p.lat, p.lon, p.categories, "
            "p.urgency, p.status, p.cluster_id, i.exercise AS incident_exercise, "
            "i.name AS incident FROM posts p LEFT JOIN incidents i ON i.id = p.incident_id "
            f"WHERE p.created_at >= ? AND p.created_at < ?{located} "
            "ORDER BY p.created_at, p.id", (since or "", until))

    def count_export_posts(self, since: str | None, until: str) -> int:
        return int(self.scalar("SELECT count(*) FROM posts WHERE created_at >= ? "
                               "AND created_at < ?", (since or "", until)) or 0)

    def iter_export_claims(self, since: str | None, until: str) -> Iterator[dict[str, Any]]:
        return self._stream(
            "SELECT c.id, c.title, c.summary, c.status, c.verdict_note, c.public_message, "
            "c.published, c.created_at, c.verdict_at, c.updated_at, "
            "i.exercise AS incident_exercise, i.name AS incident, "
            "coalesce(a.posts, 0) AS posts, a.first_seen, a.lat, a.lon "
            "FROM claims c LEFT JOIN incidents i ON i.id = c.incident_id LEFT JOIN ("
            "  SELECT cp.claim_id, count(*) AS posts, min(p.created_at) AS first_seen, "
            "  avg(p.lat) AS lat, avg(p.lon) AS lon FROM claim_posts cp "
            "  JOIN posts p ON p.id = cp.post_id GROUP BY cp.claim_id) a ON a.claim_id = c.id "
            "WHERE c.created_at < ? AND COALESCE(c.updated_at, c.created_at) >= ? "
            "ORDER BY c.created_at, c.id", (until, since or ""))

    def iter_export_roads(self, since: str | None, until: str) -> Iterator[dict[str, Any]]:
        return self._stream(
            "SELECT r.id, r.road, r.commune, r.event_type, r.status, r.direction, r.detour, "
            "r.description, r.starts_at, r.ends_at, r.geometry, r.lat, r.lon, r.manual, "
            "r.source, r.kind, r.updated_at, i.exercise AS incident_exercise, "
            "i.name AS incident FROM road_events r LEFT JOIN incidents i "
            "ON i.id = r.incident_id WHERE COALESCE(r.starts_at, r.created_at, '') < ? "
            "AND (r.ends_at IS NULL OR r.ends_at >= ?) "
            "ORDER BY COALESCE(r.starts_at, r.created_at), r.id", (until, since or ""))

    def iter_export_alerts(self, since: str | None, until: str) -> Iterator[dict[str, Any]]:
        return self._stream(
            "SELECT a.id, a.sender, a.event, a.severity, a.urgency, a.certainty, a.headline, "
            "a.area, a.sent, a.expires, a.status, a.geometry, a.url, "
            "i.exercise AS incident_exercise, i.name AS incident FROM alerts a "
            "LEFT JOIN incidents i ON i.id = a.incident_id "
            "WHERE COALESCE(a.sent, a.received_at, '') < ? "
            "AND (a.expires IS NULL OR a.expires >= ?) ORDER BY a.sent, a.id",
            (until, since or ""))

    def iter_export_shelters(self) -> Iterator[dict[str, Any]]:
        return self._stream(
            "SELECT s.id, s.name, s.commune, s.address, s.lat, s.lon, s.capacity, s.status, "
            "i.exercise AS incident_exercise, i.name AS incident FROM shelters s "
            "LEFT JOIN incidents i ON i.id = s.incident_id ORDER BY s.name, s.id", ())
