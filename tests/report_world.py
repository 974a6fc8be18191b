"""A realistic database for report, export and message tests: the bundled exercise
(data/scenarios/crue-cote-dor.jsonl) replayed over its 8 simulated hours ending now, plus what
the cell's volunteers would have recorded, taken from the scenario's own `truth` labels: one
claim per rumour with its official debunk as verdict, one confirmed fact, the people followed
from appeal to outcome (with a made-up name in each description, which no report may print),
and a few main-courante decisions.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import ROOT
from vigie.models import iso, utc_now
from vigie.store import Store

SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
SOURCE = "exercice"
MISLEADING = {"r2"}  # the lac Kir did overflow locally; "all Dijon evacuated" is the lie
TITLES = {
    "r1": "Le barrage de Pont-et-Massène va céder",
    "r2": "Le lac Kir a débordé, tout Dijon va être évacué",
    "r3": "Pillages à Auxonne",
    "r4": "L'eau du robinet est empoisonnée à Dijon",
    "r5": "La maison d'arrêt de Dijon évacuée, des détenus évadés",
    "r6": "Un requin dans les rues inondées",
    "r7": "Le Leclerc de Chenôve distribue de la nourriture gratuitement",
}
SECRET_NAME = "Josiane Vermorel-Pichon"


def post_id(scenario_id: str) -> str:
    return f"replay:{SOURCE}:{scenario_id}"


def replay(store: Store, hours: float = 8.5) -> None:
    """Replay the whole scenario so that its last item lands about now."""
    t0 = utc_now() - timedelta(hours=hours)
    clock = {"now": t0}
    runner = Runner(store, [Source(name=SOURCE, kind="replay", url=str(SCENARIO), every=1,
                                   options={"speed": 1})], clock=lambda: clock["now"])
    steps = int(hours * 2) + 1
    for step in range(steps + 1):
        clock["now"] = t0 + timedelta(minutes=30 * step)
        runner.run_once()


def _scenario_posts() -> list[dict]:
    rows = []
    with SCENARIO.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item["type"] == "post":
                rows.append(item)
    return rows


def record_volunteer_work(store: Store) -> None:
    posts = _scenario_posts()
    created = {r["id"]: r["created_at"] for r in store.query("SELECT id, created_at FROM posts")}
    incident_id = store.active_incident()["id"]
    rumours: dict[str, list[str]] = {}
    debunks: dict[str, dict] = {}
    for p in posts:
        truth = p["truth"]
        if truth.get("rumor"):
            rumours.setdefault(truth["rumor"], []).append(post_id(p["id"]))
        if truth.get("debunks") and truth["debunks"] not in debunks:
            debunks[truth["debunks"]] = p
    db = store.db
    for rumour, ids in sorted(rumours.items()):
        debunk = debunks[rumour]
        first = min(created[i] for i in ids)
        verdict_at = created[post_id(debunk["id"])]
        claim_id = db["claims"].insert({
            "title": TITLES[rumour], "summary": f"Rumeur {rumour} du scénario",
            "status": "misleading" if rumour in MISLEADING else "false",
            "verdict_note": f"Démenti par {debunk['author']}",
            "public_message": debunk["text"], "published": 1, "owner": "volunteer",
            "incident_id": incident_id, "created_at": first, "created_by": "volunteer",
            "updated_at": verdict_at, "updated_by": "coordinator", "verdict_at": verdict_at,
            "verdict_by": "coordinator"}).last_pk
        db["claim_posts"].insert_all(
            {"claim_id": claim_id, "post_id": i, "added_at": verdict_at, "added_by": "volunteer"}
            for i in ids)
    evacuation = [post_id(p["id"]) for p in posts
                  if "Saint-Jean-de-Losne" in p["text"]
                  and "evacuation_shelter" in p["truth"].get("categories", [])][:6]
    confirmed_at = max(created[i] for i in evacuation)
    claim_id = db["claims"].insert({
        "title": "Évacuation préventive de Saint-Jean-de-Losne et Losne",
        "status": "confirmed", "public_message": "Confirmé par la préfecture : évacuation "
        "préventive des quartiers bas, centre d'hébergement ouvert.", "published": 1,
        "incident_id": incident_id, "created_at": min(created[i] for i in evacuation),
        "verdict_at": confirmed_at, "updated_at": confirmed_at}).last_pk
    db["claim_posts"].insert_all({"claim_id": claim_id, "post_id": i, "added_at": confirmed_at}
                                 for i in evacuation)
    people: dict[str, list[dict]] = {}
    for p in posts:
        if p["truth"].get("person"):
            people.setdefault(p["truth"]["person"], []).append(p)
    for person, mentions in sorted(people.items()):
        first, last = mentions[0], mentions[-1]
        final = last["truth"].get("person_status")
        status = {"found": "located", "rescued": "resolved"}.get(final, "reported")
        db["people"].insert({
            "kind": "missing" if person.startswith("m") else "distress",
            "description": f"{SECRET_NAME} ({person}), vue pour la dernière fois",
            "place": None, "post_id": post_id(first["id"]), "status": status,
            "reported_at": created[post_id(first["id"])],
            "located_at": created[post_id(last["id"])] if status == "located" else None,
            "resolved_at": created[post_id(last["id"])] if status == "resolved" else None,
            "incident_id": incident_id, "created_by": "volunteer"})
    start = min(created.values())
    for minutes, kind, text in (
            (20, "decision", "Activation de la cellule de crise, VISOV en veille active"),
            (150, "decision", "Ouverture du centre d'hébergement du gymnase de Plombières"),
            (230, "action", "Point presse du préfet à 15 h"),
            (300, "decision", "Évacuation préventive de Saint-Jean-de-Losne et Losne")):
        db["log"].insert({"at": _plus(start, minutes), "author": "coordinator", "kind": kind,
                          "text": text, "incident_id": incident_id})


def _plus(start: str, minutes: int) -> str:
    from datetime import datetime

    return iso(datetime.fromisoformat(start.replace("Z", "+00:00")) + timedelta(minutes=minutes))


def build_world(path: Path) -> Store:
    store = Store(path)
    replay(store)
    record_volunteer_work(store)
    return store
