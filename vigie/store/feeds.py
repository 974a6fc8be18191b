"""Road events and official alerts from feeds: upserts, and ending what a feed dropped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigie.models import Alert, RoadEvent
from vigie.store.db import dumps, loads

_ROAD_FIELDS = ("source", "kind", "road", "description", "event_type", "status", "direction",
                "starts_at", "ends_at", "geometry", "lat", "lon", "commune", "detour",
                "schedule", "extra")


def road_event_values(ev: RoadEvent, status: str) -> dict[str, Any]:
    return {
        "source": ev.source, "kind": ev.kind, "road": ev.road, "description": ev.description,
        "event_type": ev.event_type, "status": status, "direction": ev.direction,
        "starts_at": ev.starts_at, "ends_at": ev.ends_at,
        "geometry": dumps(ev.geometry) if ev.geometry else None, "lat": ev.lat, "lon": ev.lon,
        "commune": ev.commune, "detour": ev.detour,
        "schedule": dumps(ev.schedule) if ev.schedule else None, "extra": dumps(ev.extra),
    }


def decode_road_event(row: dict[str, Any]) -> dict[str, Any]:
    row["geometry"] = loads(row.get("geometry"))
    row["schedule"] = loads(row.get("schedule"))
    row["extra"] = loads(row.get("extra"), {})
    return row


class FeedsMixin:
    """SQL for `road_events` and `alerts`. Mixed into vigie.store.Store."""

    def upsert_road_events(self, events: Iterable[tuple[RoadEvent, str]],
                           incident_id: int | None) -> int:
        """Insert or replace feed road events (each with its computed status).
        An update bumps the version; an unchanged event is left alone."""
        changed = 0
        now = self.now()
        with self.write() as conn:
            for ev, status in events:
                values = road_event_values(ev, status)
                current = conn.execute(
                    f"SELECT {', '.join(_ROAD_FIELDS)} FROM road_events WHERE id = ?", (ev.id,)
                ).fetchone()
                if current is None:
                    conn.execute(
                        f"INSERT INTO road_events (id, {', '.join(_ROAD_FIELDS)}, incident_id, "
                        f"created_at, updated_at) VALUES (?, {', '.join('?' * len(_ROAD_FIELDS))}, "
                        "?, ?, ?)",
                        (ev.id, *values.values(), incident_id, now, now))
                    changed += 1
                elif tuple(current) != tuple(values.values()):
                    conn.execute(
                        f"UPDATE road_events SET {', '.join(f'{k} = ?' for k in _ROAD_FIELDS)}, "
                        "version = version + 1, updated_at = ?, updated_by = NULL WHERE id = ?",
                        (*values.values(), now, ev.id))
                    changed += 1
        return changed

    def refresh_road_statuses(self, status_fn: Any, now: Any) -> list[dict[str, Any]]:
        """Recompute the status of events whose times or schedule move them (planned ->
        active -> ended) as the clock runs. Returns the events whose status changed."""
        rows = self.query(
            "SELECT id, road, commune, status, event_type, starts_at, ends_at, schedule "
            "FROM road_events WHERE status != 'ended' "
            "AND (starts_at IS NOT NULL OR ends_at IS NOT NULL OR schedule IS NOT NULL)")
        changed = []
        stamp = self.now()
        with self.write() as conn:
            for row in rows:
                row["schedule"] = loads(row["schedule"])
                new = status_fn(row, now)
                if new != row["status"]:
                    conn.execute(
                        "UPDATE road_events SET status = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND status = ?",
                        (new, stamp, row["id"], row["status"]))
                    changed.append({**row, "old_status": row["status"], "status": new})
        return changed

    def road_event_statuses(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update((r[0], r[1]) for r in self.conn.execute(
                f"SELECT id, status FROM road_events WHERE id IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    def end_missing_road_events(self, source: str, present_ids: set[str]) -> int:
        """A complete feed no longer lists these events: mark them ended, never delete."""
        now = self.now()
        with self.write() as conn:
            rows = conn.execute(
                "SELECT id FROM road_events WHERE source = ? AND status != 'ended' AND manual = 0",
                (source,)).fetchall()
            gone = [r[0] for r in rows if r[0] not in present_ids]
            for event_id in gone:
                conn.execute(
                    "UPDATE road_events SET status = 'ended', ends_at = COALESCE(ends_at, ?), "
                    "version = version + 1, updated_at = ? WHERE id = ?", (now, now, event_id))
        return len(gone)

    def road_events(self, *, statuses: Iterable[str] = (), road: str | None = None,
                    commune: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        clauses, params = [], []
        statuses = list(statuses)
        if statuses:
            clauses.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if road:
            clauses.append("road = ?")
            params.append(road)
        if commune:
            clauses.append("commune = ?")
            params.append(commune)
        where = " AND ".join(clauses) or "1"
        rows = self.query(
            f"SELECT * FROM road_events WHERE {where} ORDER BY updated_at DESC LIMIT ?",
            [*params, limit])
        return [decode_road_event(r) for r in rows]

    def upsert_alerts(self, alerts: Iterable[Alert], incident_id: int | None) -> int:
        changed = 0
        now = self.now()
        with self.write() as conn:
            for a in alerts:
                cur = conn.execute(
                    "INSERT INTO alerts(id, source, sender, event, severity, urgency, certainty, "
                    "headline, description, instruction, area, sent, expires, status, msg_type, "
                    "geometry, infos, url, received_at, incident_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, "
                    "urgency = excluded.urgency, certainty = excluded.certainty, "
                    "headline = excluded.headline, description = excluded.description, "
                    "instruction = excluded.instruction, expires = excluded.expires, "
                    "geometry = excluded.geometry, infos = excluded.infos "
                    "WHERE alerts.headline IS NOT excluded.headline "
                    "OR alerts.expires IS NOT excluded.expires "
                    "OR alerts.severity IS NOT excluded.severity",
                    (a.id, a.source, a.sender, a.event, a.severity, a.urgency, a.certainty,
                     a.headline, a.description, a.instruction, a.area, a.sent, a.expires,
                     a.status, a.msg_type, dumps(a.geometry) if a.geometry else None,
                     dumps([vars(i) for i in a.infos]), a.url, now, incident_id))
                changed += cur.rowcount
        return changed

    def alerts(self, *, active_at: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        if active_at:
            rows = self.query(
                "SELECT * FROM alerts WHERE expires IS NULL OR expires > ? "
                "ORDER BY sent DESC LIMIT ?", (active_at, limit))
        else:
            rows = self.query("SELECT * FROM alerts ORDER BY sent DESC LIMIT ?", (limit,))
        for r in rows:
            r["geometry"] = loads(r["geometry"])
            r["infos"] = loads(r["infos"], [])
        return rows
