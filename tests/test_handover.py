"""The handover summary for the next shift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.volunteers_helpers import person_posts, rumor, seed, volunteer_db
from vigie import claims, handover, people, triage
from vigie.auth import User
from vigie.store import Store

VOL = User("volunteer", "volunteer")
COORD = User("coordinator", "coordinator")


def test_summary_gives_counts_verdicts_open_people_and_decisions(fresh_store: Store) -> None:
    store = fresh_store
    incident_id = volunteer_db(store)
    items = rumor("r2", 6) + person_posts(3)
    seed(store, items, incident_id=incident_id,
         start=datetime.now(UTC) - timedelta(minutes=30))  # all inside the 8 h window
    incident = store.active_incident()
    queue = store.triage_queue(incident_id=incident_id, limit=100)
    rumor_card = max(queue, key=lambda r: r["size"])
    refs = store.cluster_refs([rumor_card["ckey"]], incident_id=incident_id)[rumor_card["ckey"]]
    claim = store.get_claim(claims.create(store, VOL, "Le lac Kir a débordé", refs,
                                          incident_id=incident_id))
    claim = claims.move(store, VOL, claim, "investigating")
    claims.save(store, COORD, claim, {"verdict_note": "Vigicrues", "public_message": "Faux."},
                "false", incident_id=incident_id)
    other = next(r for r in store.triage_queue(incident_id=incident_id) if r["size"] == 1)
    triage.set_status(store, VOL, store.cluster_refs([other["ckey"]])[other["ckey"]],
                      "escalate", sample=other, incident_id=incident_id)
    pid = people.report(store, VOL, "missing", "Marie Martin, 12 ans, pas rentrée",
                        place="Chenôve", incident_id=incident_id)
    people.move(store, VOL, store.get_person(pid), "escalated", escalated_to="Gendarmerie")
    store.add_log("coordinator", "Ouverture du gymnase de Plombières", kind="decision")
    store.add_log("volunteer", "Prise de poste", kind="entry")

    text = handover.summary(store, 8, incident=incident, lang="fr")
    assert "EXERCICE" in text and incident["name"] in text
    assert f"- reçues : {len(items)}" in text
    assert f"{len(refs)} pertinentes" in text and "1 remontées à la cellule" in text
    assert "FAUSSE : « Le lac Kir a débordé » — coordinator" in text
    assert "signalements ouverts : 1 (0 signalés, 1 transmis)" in text
    assert f"n°{pid} Personne disparue, Chenôve" in text and "transmis à Gendarmerie" in text
    assert "Marie Martin" not in text  # descriptions stay on the People page
    assert "coordinator : Ouverture du gymnase de Plombières" in text
    assert "Prise de poste" not in text  # plain entries are not decisions


def test_summary_of_an_empty_period_says_so(fresh_store: Store) -> None:
    volunteer_db(fresh_store)
    text = handover.summary(fresh_store, 2, incident=fresh_store.active_incident(), lang="en")
    assert "Period:" in text and "- received: 0" in text and "- none" in text
