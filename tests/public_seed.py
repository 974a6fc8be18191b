"""Data for the public-projection and leak tests: published items, and private items whose
unique strings must never reach the public page or /api/public.geojson."""

from __future__ import annotations

from datetime import timedelta

from vigie.models import Post, RoadEvent, iso, utc_now
from vigie.store import Store
from vigie.store.posts import post_row

# Strings that exist only in private places: a leak of any of them fails the tests.
SECRETS = {
    "post_author": "@fuite_auteur_q7x",
    "post_text": "texte-prive-unique-k4z9 au 12 rue des Lilas",
    "person": "Personne-disparue-Zorglub-m3",
    "person_note": "note-personne-interne-p8",
    "unpublished_claim": "message-non-publie-w2v",
    "unverified_claim": "rumeur-pas-encore-verifiee-h6",
    "verdict_note": "note-de-verdict-interne-r5",
    "claim_title": "titre-de-claim-interne-t1",
    "claim_owner": "proprietaire-claim-o4",
    "evidence": "preuve-interne-e9",
    "road_extra": "Agent-Nominatif-Dupontel",
    "road_editor": "coordo-nominatif-c3",
    "unpublished_shelter": "Refuge-non-publie-s2",
    "log_line": "ligne-de-main-courante-l6",
}
PUBLISHED = {
    "fact": "Information vérifiée : le pont de Plombières est fermé par sécurité.",
    "debunk": "Faux : le barrage de Pont-et-Massène ne menace pas de céder.",
    "shelter": "Gymnase Épirey",
    "road": "D905 fermée entre Velars-sur-Ouche et Plombières-lès-Dijon",
    "planned": "D10 travaux prévus à Lantenay",
}


def seed(store: Store, *, exercise: bool = True) -> dict[str, str]:
    """Store one of everything; returns ids of interest."""
    now = utc_now()
    incident = store.create_incident("Crue test", exercise=exercise, scenario="leak")
    line = {"type": "LineString", "coordinates": [[4.91, 47.31], [4.90, 47.30]]}
    store.upsert_road_events([
        (RoadEvent(id="cd21:1", source="cd21", kind="geojson", road="D905",
                   event_type="closure", commune="Velars-sur-Ouche",
                   description=PUBLISHED["road"], detour="Déviation par l'A38",
                   starts_at=iso(now - timedelta(hours=1)), geometry=line,
                   extra={"agent": SECRETS["road_extra"]}), "active"),
        (RoadEvent(id="cd21:2", source="cd21", kind="geojson", road="D10",
                   event_type="works", commune="Lantenay", description=PUBLISHED["planned"],
                   starts_at=iso(now + timedelta(hours=5)), lat=47.34, lon=4.86), "planned"),
        (RoadEvent(id="cd21:3", source="cd21", kind="geojson", road="D970",
                   event_type="closure", commune="Bligny-sur-Ouche",
                   description="D970 fermée, terminé", starts_at=iso(now - timedelta(hours=3)),
                   ends_at=iso(now - timedelta(hours=1)), lat=47.1, lon=4.66), "ended"),
    ], incident)
    store.add_manual_road_event(
        {"road": "D33", "event_type": "detour", "commune": "Sainte-Marie-sur-Ouche",
         "status": "active", "description": "D33 déviation par Pont-de-Pany",
         "lat": 47.28, "lon": 4.81, "extra": {"note": SECRETS["road_extra"]}},
        SECRETS["road_editor"], incident_id=incident, log_text=SECRETS["log_line"])
    store.insert_post_rows([post_row(
        Post(id="x:leak", source="x", kind="rss", text=SECRETS["post_text"],
             author=SECRETS["post_author"], lat=47.32, lon=5.04, precision="exact",
             place="Dijon"),
        collected_at=iso(now), collector="x", fetched_at=None, incident_id=incident)])
    store.add_shelter({"name": PUBLISHED["shelter"], "commune": "Dijon", "lat": 47.33,
                       "lon": 5.03, "capacity": 120, "status": "open", "published": 1},
                      SECRETS["road_editor"], incident_id=incident, log_text="x")
    store.add_shelter({"name": SECRETS["unpublished_shelter"], "commune": "Genlis",
                       "lat": 47.24, "lon": 5.22, "status": "open", "published": 0},
                      "alice", incident_id=incident, log_text="x")
    claims = store.db["claims"]
    stamp = iso(now)
    common = {"incident_id": incident, "created_at": stamp, "created_by": "alice",
              "owner": SECRETS["claim_owner"], "verdict_note": SECRETS["verdict_note"],
              "title": SECRETS["claim_title"]}
    with store.write():
        fact = claims.insert({**common, "status": "confirmed", "published": 1,
                              "public_message": PUBLISHED["fact"], "verdict_at": stamp}).last_pk
        claims.insert({**common, "status": "false", "published": 1,
                       "public_message": PUBLISHED["debunk"], "verdict_at": stamp})
        claims.insert({**common, "status": "confirmed", "published": 0,
                       "public_message": SECRETS["unpublished_claim"]})
        claims.insert({**common, "status": "to_verify", "published": 1,
                       "public_message": SECRETS["unverified_claim"]})
        store.db["claim_posts"].insert({"claim_id": fact, "post_id": "x:leak",
                                        "added_at": stamp})
        store.db["evidence"].insert({"claim_id": fact, "content": SECRETS["evidence"],
                                     "at": stamp, "author": "alice"})
        store.db["people"].insert({"kind": "missing", "description": SECRETS["person"],
                                   "notes": SECRETS["person_note"], "place": "Dijon",
                                   "lat": 47.3, "lon": 5.0, "post_id": "x:leak",
                                   "reported_at": stamp, "incident_id": incident})
    store.add_log("alice", SECRETS["log_line"], incident_id=incident)
    return {"incident": str(incident)}
