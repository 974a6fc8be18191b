"""Spikes: per-window counts for detection, and the spikes found (deduplicated)."""

from __future__ import annotations

from typing import Any

from vigie.store.situation import live


class SpikesMixin:
    """SQL for `spikes` and the counts vigie.spikes judges. Mixed into vigie.store.Store."""

    def live_incidents(self) -> list[dict[str, Any]]:
        """Incidents that are not closed (active or paused), newest first."""
        rows = self.query("SELECT id, name, exercise, speed, status FROM incidents "
                          "WHERE status != 'closed' ORDER BY id DESC")
        for r in rows:
            r["exercise"] = bool(r["exercise"])
        return rows

    def first_post_at(self, incident_id: int | None) -> str | None:
        """When the incident's stream started (its oldest post): the start of its history."""
        return self.scalar("SELECT min(created_at) FROM posts WHERE incident_id IS ?",
                           (incident_id,))

    def spike_counts(self, dimension: str, *, since: str, until: str, window_seconds: float,
                     incident_id: int | None) -> dict[str, dict[int, int]]:
        """{value: {window index: posts}} for posts in [since, until); window 0 ends at
        `until`, 1 is the one before, and so on. One grouped query per dimension."""
        bucket = "CAST((julianday(?) - julianday({col})) * 86400.0 / ? AS INTEGER)"
        if dimension == "place":
            sql = (f"SELECT p.place AS value, {bucket.format(col='p.created_at')} AS b, "
                   "count(*) AS n FROM posts p WHERE p.incident_id IS ? "
                   "AND p.created_at >= ? AND p.created_at < ? AND p.place IS NOT NULL "
                   "AND p.place != '' GROUP BY value, b")
        elif dimension == "category":
            sql = (f"SELECT pc.category AS value, {bucket.format(col='p.created_at')} AS b, "
                   "count(*) AS n FROM posts p JOIN post_categories pc ON pc.post_id = p.id "
                   "WHERE p.incident_id IS ? AND p.created_at >= ? AND p.created_at < ? "
                   "GROUP BY value, b")
        else:
            raise ValueError(dimension)
        found: dict[str, dict[int, int]] = {}
        for row in self.conn.execute(sql, (until, window_seconds, incident_id, since, until)):
            found.setdefault(row["value"], {})[int(row["b"])] = int(row["n"])
        return found

    def add_spike(self, *, at: str, dimension: str, value: str, count: int, baseline: float,
                  score: float, incident_id: int | None, dedupe_since: str,
                  log_text: str) -> int | None:
        """Store a spike and its main-courante line, unless the same value already spiked
        since `dedupe_since`. Returns the new id, or None when it was a duplicate."""
        with self.write() as conn:
            seen = conn.execute(
                "SELECT 1 FROM spikes WHERE dimension = ? AND value = ? AND incident_id IS ? "
                "AND at >= ? LIMIT 1", (dimension, value, incident_id, dedupe_since)).fetchone()
            if seen:
                return None
            cur = conn.execute(
                "INSERT INTO spikes(at, dimension, value, count, baseline, score, incident_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, dimension, value, count, baseline, score, incident_id))
            spike_id = int(cur.lastrowid)
            self.add_log("vigie", log_text, kind="system", entity="spike", entity_id=spike_id,
                         incident_id=incident_id)
            return spike_id

    def active_spikes(self, since: str, *, limit: int = 6) -> list[dict[str, Any]]:
        """Spikes found since `since` in live incidents, the latest per value, newest first."""
        return self.query(
            "SELECT s.* FROM spikes s WHERE s.at >= ? AND s.acknowledged_at IS NULL "
            f"AND {live('s')} AND s.id = (SELECT max(t.id) FROM spikes t "
            "WHERE t.dimension = s.dimension AND t.value = s.value "
            "AND t.incident_id IS s.incident_id) ORDER BY s.at DESC, s.id DESC LIMIT ?",
            (since, limit))
