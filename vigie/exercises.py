"""Exercise control and real incidents: start, pause, resume, stop, purge, close.

An exercise is one incident fed by one replay source of its own (`exercice-<scenario>-<id>`),
created in the database: the running collectors process picks it up at its next tick, so
nothing restarts. Post ids carry the source name, so replaying a scenario again never
collides with an earlier run. Pausing sets `paused_at` in the source's control (which the
replay reads merged into its state); resuming adds the pause to `paused_total`. Stopping
disables the source and closes the incident; purging deletes its data (see
Store.purge_exercise). Every action checks the role, is audited and writes a line in the
main courante.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from vigie.auth import User
from vigie.i18n import Catalog
from vigie.models import iso, utc_now
from vigie.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "data" / "scenarios"
REPLAY_EVERY = 2.0  # seconds between replay runs
SPEEDS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)

_ = Catalog({
    "started": ("Début de l'exercice « {name} » (scénario {scenario}, vitesse ×{speed:g})",
                "Exercise \"{name}\" started (scenario {scenario}, speed ×{speed:g})"),
    "paused": ("Exercice « {name} » mis en pause", "Exercise \"{name}\" paused"),
    "resumed": ("Exercice « {name} » repris", "Exercise \"{name}\" resumed"),
    "stopped": ("Fin de l'exercice « {name} »", "Exercise \"{name}\" stopped"),
    "purged": ("Données de l'exercice « {name} » purgées : {counts}",
               "Data of exercise \"{name}\" purged: {counts}"),
    "opened": ("Ouverture de l'incident réel « {name} » ({area})",
               "Real incident \"{name}\" opened ({area})"),
    "closed": ("Clôture de l'incident « {name} »", "Incident \"{name}\" closed"),
})


class ExerciseError(Exception):
    """An action that cannot be done now; the message is for the user."""


@dataclass(frozen=True)
class Scenario:
    path: Path
    id: str
    title: str
    duration_s: float
    exercise: bool
    header: dict[str, Any]


def read_header(path: str | Path) -> dict[str, Any] | None:
    """A scenario file's header (its first line), or None if it has none."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            header = json.loads(fh.readline())
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) and header.get("type") == "scenario" else None


def list_scenarios(folder: Path = SCENARIOS) -> list[Scenario]:
    """Scenario files (`*.jsonl` whose first line is a scenario header), by title."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        header = read_header(path)
        if header is None:
            continue
        found.append(Scenario(path=path, id=str(header.get("id") or path.stem),
                              title=str(header.get("title") or path.stem),
                              duration_s=float(header.get("duration_s") or 0),
                              exercise=bool(header.get("exercise", True)), header=header))
    return sorted(found, key=lambda s: s.title)


def _need(user: User | None) -> str:
    if user is None or not user.can("coordinator"):
        raise PermissionError("coordinators and admins only")
    return user.username


def _log(store: Store, actor: str, text: str, incident_id: int | None) -> None:
    store.add_log(actor, text, kind="action", entity="incident", entity_id=incident_id,
                  incident_id=incident_id)


def start_exercise(store: Store, user: User, scenario: Scenario, speed: float) -> int:
    """Create the exercise's incident and its replay source. One exercise at a time."""
    actor = _need(user)
    if not scenario.exercise:
        raise ExerciseError("not an exercise scenario")
    if store.running_exercise():
        raise ExerciseError("running")
    speed = max(float(speed), 0.01)
    spec = dict(scenario.header.get("incident") or {})
    name = str(spec.get("name") or scenario.title)
    with store.write():
        incident_id = store.create_incident(
            name, exercise=True, area=spec.get("area"), keywords=spec.get("keywords"),
            departements=spec.get("departements"), scenario=scenario.id, speed=speed,
            created_by=actor)
        source = f"exercice-{scenario.id}-{incident_id}"
        store.set_incident_source(incident_id, source)
        store.add_source(source, "replay", str(scenario.path), REPLAY_EVERY, True,
                         {"speed": speed}, actor)
        store.audit(actor, "start_exercise", "incidents", incident_id, None,
                    {"name": name, "scenario": scenario.id, "speed": speed, "source": source})
        _log(store, actor, _("started", "fr", name=name, scenario=scenario.id, speed=speed),
             incident_id)
    return incident_id


def _exercise(store: Store, incident_id: int) -> dict[str, Any]:
    incident = store.get_incident(incident_id)
    if incident is None or not incident["exercise"]:
        raise ExerciseError("not an exercise")
    if not incident.get("source") and incident["status"] != "closed":
        # Started by the collectors before sources were linked to incidents: the replay
        # source of the same scenario is this exercise's.
        for row in store.list_sources():
            header = read_header(row["url"]) if row["kind"] == "replay" and row["url"] else None
            if header and str(header.get("id")) == incident.get("scenario"):
                linked = store.incident_for_source(row["name"], incident.get("scenario"))
                if linked and linked["id"] == incident_id:
                    incident["source"] = row["name"]
                    break
    return incident


def pause_exercise(store: Store, user: User, incident_id: int,
                   now: datetime | None = None) -> None:
    actor = _need(user)
    incident = _exercise(store, incident_id)
    if incident["status"] != "active":
        raise ExerciseError("not running")
    with store.write():
        if incident.get("source"):
            control = store.source_control(incident["source"])
            control["paused_at"] = (now or utc_now()).isoformat()
            store.set_source_control(incident["source"], control)
        store.update_incident(incident_id, {"status": "paused"}, actor, action="pause_exercise")
        _log(store, actor, _("paused", "fr", name=incident["name"]), incident_id)


def resume_exercise(store: Store, user: User, incident_id: int,
                    now: datetime | None = None) -> None:
    actor = _need(user)
    incident = _exercise(store, incident_id)
    if incident["status"] != "paused":
        raise ExerciseError("not paused")
    now = now or utc_now()
    with store.write():
        if incident.get("source"):
            control = store.source_control(incident["source"])
            if control.get("paused_at"):
                since = datetime.fromisoformat(control["paused_at"].replace("Z", "+00:00"))
                control["paused_total"] = float(control.get("paused_total", 0.0)) + max(
                    (now - since).total_seconds(), 0.0)
            control["paused_at"] = None
            store.set_source_control(incident["source"], control)
        store.update_incident(incident_id, {"status": "active"}, actor,
                              action="resume_exercise")
        _log(store, actor, _("resumed", "fr", name=incident["name"]), incident_id)


def stop_exercise(store: Store, user: User, incident_id: int) -> None:
    """Disable the replay source and close the incident. Its data stay until purged."""
    actor = _need(user)
    incident = _exercise(store, incident_id)
    if incident["status"] == "closed":
        raise ExerciseError("closed")
    with store.write():
        row = store.get_source(incident["source"]) if incident.get("source") else None
        if row and row["enabled"]:
            store.edit_source(row["name"], row["version"], {"enabled": False}, actor,
                              action="disable")
        _log(store, actor, _("stopped", "fr", name=incident["name"]), incident_id)
        store.update_incident(incident_id, {"status": "closed", "ended_at": iso(utc_now())},
                              actor, action="stop_exercise")


def purge_exercise(store: Store, user: User, incident_id: int) -> dict[str, int]:
    """Delete a stopped exercise's data. Its summary line stays in the main courante,
    outside the exercise (so it survives the purge), and in the audit trail."""
    actor = _need(user)
    incident = _exercise(store, incident_id)
    if incident["status"] != "closed":
        raise ExerciseError("stop first")
    try:
        with store.write():
            removed = store.purge_exercise(incident_id, actor)
            counts = ", ".join(f"{table} {n}" for table, n in removed.items() if n)
            store.add_log(actor, _("purged", "fr", name=incident["name"], counts=counts or "0"),
                          kind="action", entity="incident", entity_id=incident_id)
    except StoreError as exc:
        raise ExerciseError(str(exc)) from exc
    return removed


def open_incident(store: Store, user: User, name: str, *, area: str | None,
                  keywords: list[str], departements: list[str]) -> int:
    """A REAL incident: what real sources' posts attach to from now on."""
    actor = _need(user)
    name = name.strip()
    if not name:
        raise ExerciseError("name")
    with store.write():
        incident_id = store.create_incident(name, exercise=False, area=area or None,
                                            keywords=keywords, departements=departements or
                                            ["21"], created_by=actor)
        store.audit(actor, "open_incident", "incidents", incident_id, None,
                    {"name": name, "area": area, "keywords": keywords,
                     "departements": departements})
        _log(store, actor, _("opened", "fr", name=name, area=area or "—"), incident_id)
    return incident_id


def close_incident(store: Store, user: User, incident_id: int) -> None:
    """Close a real incident (an exercise is stopped with stop_exercise)."""
    actor = _need(user)
    incident = store.get_incident(incident_id)
    if incident is None or incident["exercise"]:
        raise ExerciseError("not a real incident")
    if incident["status"] == "closed":
        raise ExerciseError("closed")
    with store.write():
        _log(store, actor, _("closed", "fr", name=incident["name"]), incident_id)
        store.update_incident(incident_id, {"status": "closed", "ended_at": iso(utc_now())},
                              actor, action="close_incident")


def replay_progress(store: Store, incident: dict[str, Any]) -> float | None:
    """Share of the scenario already released (0..1), from the replay's own state."""
    source = incident.get("source")
    row = store.get_source(source) if source else None
    if not row:
        return None
    header = read_header(row["url"]) or {}
    duration = float(header.get("duration_s") or 0)
    done = float((row.get("state") or {}).get("released_until", 0) or 0)
    return max(0.0, min(done / duration, 1.0)) if duration else None
