"""Outgoing documents by id: an approved message as CAP, a debunked claim as ClaimReview.

Shared by `python -m vigie export cap|claimreview` and the Messages and Reports pages, so a
file downloaded from the page and one written by the CLI are the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from vigie.exports import exercise_path
from vigie.exports.cap import geocodes, to_cap
from vigie.exports.claimreview import to_claimreview
from vigie.store import Store


def _exercise_now(store: Store) -> bool:
    incident = store.active_incident()
    return bool(incident and incident["exercise"])


def cap_document(store: Store, message_id: int) -> tuple[str, bytes]:
    """(file name, CAP XML) for an approved or sent message."""
    message = store.get_message(message_id)
    if message is None:
        raise LookupError(f"no message {message_id}")
    if message["status"] not in ("approved", "sent"):
        raise ValueError(f"message {message_id} is not approved (status {message['status']})")
    incident = store.get_incident(message["incident_id"]) if message["incident_id"] else None
    incident = incident or store.active_incident() or {}
    exercise = bool(message["exercise"] or incident.get("exercise"))
    xml = to_cap(message, area_default=incident.get("area") or "Zone de l'incident",
                 exercise=exercise,
                 geocodes=geocodes(message.get("area"), incident.get("departements") or ["21"]))
    name = f"{'EXERCICE-' if exercise else ''}vigie-message-{message_id}.cap.xml"
    return name, xml


def claimreview_document(store: Store, claim_id: int) -> tuple[str, bytes]:
    """(file name, JSON-LD) for a claim judged false or misleading."""
    claim = store.get_claim_row(claim_id)
    if claim is None:
        raise LookupError(f"no claim {claim_id}")
    incident = store.get_incident(claim["incident_id"]) if claim["incident_id"] else None
    exercise = bool((incident or {}).get("exercise")) or _exercise_now(store)
    review = to_claimreview(claim, store.claim_appearances(claim_id), exercise=exercise)
    name = f"{'EXERCICE-' if exercise else ''}vigie-verification-{claim_id}.jsonld"
    return name, json.dumps(review, ensure_ascii=False, indent=2).encode("utf-8")


def _write(path: Path, name: str, data: bytes) -> Path:
    path = exercise_path(Path(path), name.startswith("EXERCICE"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_cap(store: Store, message_id: int, out: Path) -> Path:
    return _write(out, *cap_document(store, message_id))


def write_claimreview(store: Store, claim_id: int, out: Path) -> Path:
    return _write(out, *claimreview_document(store, claim_id))
