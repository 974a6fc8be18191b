"""AppTest of every action on the volunteers' pages: triage, board, people, main courante."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.volunteers_helpers import person_posts, rumor, seed, volunteer_db
from vigie import claims
from vigie.auth import User
from vigie.store import Store


@pytest.fixture
def app_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    incident = volunteer_db(store)
    seed(store, rumor("r1", 8) + person_posts(3), incident_id=incident)
    yield store
    store.close()


def open_page(page: str, role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = role
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, (label, [b.label for b in at.button])
    return found[0]


def messages(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.success, *at.error, *at.info, *at.warning])


def active_post(at: AppTest, store: Store) -> dict:
    return store.get_post(at.session_state["tq_shown"][0]["post"]["id"])


# -- triage -----------------------------------------------------------------------------


def test_the_queue_shows_clusters_most_urgent_first_with_their_size(app_db) -> None:
    at = open_page("triage", "volunteer")
    assert at.title[0].value == "Tri"
    shown = at.session_state["tq_shown"]
    urgencies = [c["post"]["urgency"] for c in shown]
    assert urgencies == sorted(urgencies, reverse=True)
    biggest = max(c["size"] for c in shown)
    assert biggest > 1
    assert any(f"{biggest} publications semblables" in c.value for c in at.caption)
    assert any("urgence \\:" in c.value for c in at.caption)  # the reasons are visible


def test_one_key_tagging_adds_then_removes_a_category(app_db) -> None:
    at = open_page("triage", "volunteer")
    post = active_post(at, app_db)
    category = "solidarity" if "solidarity" not in post["categories"] else "sympathy"
    at.button(key=f"tq_cat_{category}").click().run()
    assert category in app_db.get_post(post["id"])["categories"]
    assert "ajoutée" in messages(at)
    at.button(key=f"tq_cat_{category}").click().run()
    assert category not in app_db.get_post(post["id"])["categories"]


def test_marking_the_selection_relevant_empties_those_cards(app_db) -> None:
    at = open_page("triage", "volunteer")
    shown = at.session_state["tq_shown"]
    at.checkbox(key=f"tq_sel_{shown[1]['ckey']}").check()
    at.checkbox(key=f"tq_sel_{shown[2]['ckey']}").check().run()
    button(at, "Pertinent").click().run()
    for card in shown[1:3]:
        assert all(app_db.get_post(p)["status"] == "triaged" for p, _v in card["refs"])
    assert app_db.get_post(shown[0]["post"]["id"])["status"] == "new"  # not selected
    assert "pertinent" in messages(at)


def test_keyboard_navigation_moves_the_active_card(app_db) -> None:
    at = open_page("triage", "volunteer")
    first, second = at.session_state["tq_shown"][:2]
    at.button(key="tq_next").click().run()  # J
    at.button(key="tq_toggle").click().run()  # X
    assert at.checkbox(key=f"tq_sel_{second['ckey']}").value is True
    assert at.checkbox(key=f"tq_sel_{first['ckey']}").value is False
    button(at, "Hors sujet").click().run()  # N
    assert {app_db.get_post(p)["status"] for p, _v in second["refs"]} == {"irrelevant"}
    assert {app_db.get_post(p)["status"] for p, _v in first["refs"]} == {"new"}


def test_undo_brings_the_last_cards_back(app_db) -> None:
    at = open_page("triage", "volunteer")
    first = at.session_state["tq_shown"][0]
    button(at, "Hors sujet").click().run()
    assert {app_db.get_post(p)["status"] for p, _v in first["refs"]} == {"irrelevant"}
    at.button(key="tq_undo").click().run()  # Z
    assert {app_db.get_post(p)["status"] for p, _v in first["refs"]} == {"new"}
    assert at.session_state["tq_shown"][0]["ckey"] == first["ckey"]
    assert at.button(key="tq_undo").disabled


def test_escalating_a_card_writes_in_the_main_courante(app_db) -> None:
    at = open_page("triage", "volunteer")
    post = active_post(at, app_db)
    button(at, "Remonter à la cellule").click().run()
    assert app_db.get_post(post["id"])["status"] == "escalated"
    assert "Remontée à la cellule de crise" in app_db.log_entries()[0]["text"]


def test_placing_a_card_in_a_commune(app_db) -> None:
    from vigie.triage import area_communes

    at = open_page("triage", "volunteer")
    ckey = at.session_state["tq_shown"][0]["ckey"]
    post = active_post(at, app_db)
    auxonne = next(c for c in area_communes(("21",)) if c.name == "Auxonne")
    at.selectbox(key=f"tq_place_{ckey}").set_value(auxonne.insee)
    button(at, "Placer").click().run()
    assert app_db.get_post(post["id"])["place"] == "Auxonne"


def test_a_rating_is_shown_beside_another_raters_with_the_disagreement(app_db) -> None:
    at = open_page("triage", "volunteer")
    post = active_post(at, app_db)
    app_db.rate_posts([post["id"]], "bob", "D", 4)
    at.radio(key="tq_src").set_value("B")
    at.radio(key="tq_info").set_value(2)
    button(at, "Enregistrer ma note").click().run()
    texts = " ".join(m.value for m in at.markdown)
    assert "volunteer B2" in texts and "bob D4" in texts and "désaccord" in texts
    assert {r["rater"] for r in app_db.ratings_for([post["id"]])} == {"volunteer", "bob"}


def test_a_card_becomes_a_new_claim_and_a_later_copy_joins_it(app_db) -> None:
    at = open_page("triage", "volunteer")
    shown = at.session_state["tq_shown"]
    rumor_card = max(shown, key=lambda c: c["size"])
    at.button(key=f"tq_open_{shown.index(rumor_card)}").click().run()
    title_key = f"tq_claim_title_{rumor_card['ckey']}"
    at.text_input(key=title_key).input("Le barrage de Pont-et-Massène va céder")
    button(at, "Nouvelle affirmation").click().run()
    [claim] = app_db.claims_board()
    assert claim["title"] == "Le barrage de Pont-et-Massène va céder"
    assert claim["posts"] == rumor_card["size"]
    assert "Affirmation n°1 créée" in messages(at)
    # a later copy of the rumor arrives: its card suggests the claim and joins it
    seed(app_db, rumor("r1")[8:9], incident_id=app_db.active_incident()["id"])
    at = open_page("triage", "volunteer")
    copy = next(i for i, c in enumerate(at.session_state["tq_shown"])
                if c["post"].get("cluster_id") == rumor_card["post"]["cluster_id"])
    at.button(key=f"tq_open_{copy}").click().run()
    at.button(key=f"tq_attach_{claim['id']}").click().run()
    assert app_db.claims_board()[0]["posts"] == rumor_card["size"] + 1


def test_flagging_a_person_from_a_card(app_db) -> None:
    at = open_page("triage", "volunteer")
    ckey = at.session_state["tq_shown"][0]["ckey"]
    post = active_post(at, app_db)
    at.radio(key=f"tq_pkind_{ckey}").set_value("missing")
    button(at, "Signaler la personne").click().run()
    [person] = app_db.people_reports()
    assert (person["kind"], person["post_id"], person["status"]) == (
        "missing", post["id"], "reported")
    assert "Signalement n°" in messages(at)


def test_a_stale_triage_action_says_who_changed_it(app_db) -> None:
    at = open_page("triage", "volunteer")
    first = at.session_state["tq_shown"][0]
    pid, version = first["refs"][0]
    app_db.versioned_update("posts", pid, version, {"status": "escalated"}, "bob")
    button(at, "Pertinent").click().run()
    assert "modifié par bob" in " ".join(e.value for e in at.error)
    assert app_db.get_post(pid)["status"] == "escalated"


# -- board ------------------------------------------------------------------------------


def make_claim(store: Store) -> dict:
    card = max(store.triage_queue(limit=50), key=lambda r: r["size"])
    refs = store.cluster_refs([card["ckey"]])[card["ckey"]]
    cid = claims.create(store, User("volunteer", "volunteer"), "Le barrage va céder", refs,
                        cluster_id=card["cluster_id"])
    return store.get_claim(cid)


def open_claim(role: str, claim_id: int) -> AppTest:
    at = open_page("board", role)
    at.button(key=f"bo_{claim_id}").click().run()
    return at


def test_the_board_shows_claims_in_their_status_columns(app_db) -> None:
    claim = make_claim(app_db)
    at = open_page("board", "volunteer")
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**À vérifier** (1)" in heads and "**Fausse** (0)" in heads
    assert any(f"**n°{claim['id']}** Le barrage va céder" in m.value for m in at.markdown)
    assert any("publ." in c.value and "ouverte depuis" in c.value for c in at.caption)


def test_moving_a_card_records_who_and_when(app_db) -> None:
    claim = make_claim(app_db)
    at = open_claim("volunteer", claim["id"])
    key = f"bd_{claim['id']}_v{claim['version']}"
    at.selectbox(key=f"{key}_status").set_value("investigating")
    button(at, "Enregistrer").click().run()
    moved = app_db.get_claim(claim["id"])
    assert (moved["status"], moved["status_by"]) == ("investigating", "volunteer")
    assert any("en cours par volunteer" in c.value for c in at.caption)


def test_a_coordinator_gives_a_verdict_and_publishes_it(app_db) -> None:
    claim = claims.move(app_db, User("volunteer", "volunteer"), make_claim(app_db),
                        "investigating")
    at = open_claim("coordinator", claim["id"])
    key = f"bd_{claim['id']}_v{claim['version']}"
    at.selectbox(key=f"{key}_status").set_value("false")
    at.text_area(key=f"{key}_note").input("Démenti VNF et préfecture")
    at.text_area(key=f"{key}_public").input("Faux : le barrage de Pont n'est pas menacé.")
    button(at, "Enregistrer").click().run()
    done = app_db.get_claim(claim["id"])
    assert (done["status"], done["verdict_by"]) == ("false", "coordinator")
    button(at, "Publier le verdict sur la carte publique").click().run()
    assert app_db.get_claim(claim["id"])["published"] == 1
    texts = [e["text"] for e in app_db.log_entries(kinds=["system"])]
    assert any("Verdict « fausse »" in t for t in texts)
    assert any("publiée sur la carte publique" in t for t in texts)


def test_a_volunteer_has_no_publish_button(app_db) -> None:
    claim = make_claim(app_db)
    at = open_claim("volunteer", claim["id"])
    assert not [b for b in at.button if "Publier" in b.label]
    assert any("Seul un coordinateur publie" in c.value for c in at.caption)


def test_a_stale_board_edit_says_who_changed_it_and_keeps_their_change(app_db) -> None:
    claim = make_claim(app_db)
    at = open_claim("volunteer", claim["id"])
    app_db.update_claim(claim["id"], claim["version"], {"owner": "bob"}, "bob")
    key = f"bd_{claim['id']}_v{claim['version']}"
    at.text_area(key=f"{key}_note").input("Mon analyse")
    button(at, "Enregistrer").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "modifié par bob" in errors
    assert "Mon analyse" in " ".join(i.value for i in at.info)  # the refused text is shown back
    assert app_db.get_claim(claim["id"])["owner"] == "bob"


def test_evidence_is_added_from_the_card(app_db) -> None:
    claim = make_claim(app_db)
    at = open_claim("volunteer", claim["id"])
    at.text_input(key="bd_ev_url").input("https://exemple.invalid/vnf")
    at.text_area(key="bd_ev_content").input("Communiqué VNF : barrage sous surveillance")
    button(at, "Ajouter la preuve").click().run()
    [e] = app_db.evidence_for([claim["id"]])[claim["id"]]
    assert (e["kind"], e["author"]) == ("link", "volunteer")


# -- people -----------------------------------------------------------------------------


def test_people_are_sorted_by_wait_and_escalated_with_the_time(app_db) -> None:
    vol = User("volunteer", "volunteer")
    from vigie import people

    first = people.report(app_db, vol, "missing", "Homme de 80 ans", place="Auxonne")
    people.report(app_db, vol, "distress", "Famille sur un toit", place="Fauverney")
    at = open_page("people", "volunteer")
    heads = [m.value for m in at.markdown if m.value.startswith("**n°")]
    assert heads[0].startswith(f"**n°{first} ") and "attend depuis" in heads[0]
    person = app_db.get_person(first)
    key = f"pp_{first}_v{person['version']}"
    at.selectbox(key=f"{key}_to").set_value("Gendarmerie")
    at.button(key=f"{key}_escalated").click().run()
    person = app_db.get_person(first)
    assert (person["status"], person["escalated_to"]) == ("escalated", "Gendarmerie")
    assert any("transmise à Gendarmerie" in c.value for c in at.caption)
    assert "transmis à Gendarmerie" in app_db.log_entries()[0]["text"]


def test_a_viewer_cannot_open_the_people_page(app_db) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = "viewer"
    at.run()
    at.switch_page("pages/people.py")
    at.run()
    assert "ne permet pas" in " ".join(e.value for e in at.error)


# -- main courante ----------------------------------------------------------------------


def test_a_volunteer_writes_a_decision_and_filters_find_it(app_db) -> None:
    at = open_page("log", "volunteer")
    at.selectbox(key="log_kind").set_value("decision")
    at.text_area(key="log_text").input("Ouverture du gymnase de Plombières")
    button(at, "Consigner").click().run()
    [entry] = app_db.log_entries()
    assert (entry["kind"], entry["author"]) == ("decision", "volunteer")
    app_db.add_log("coordinator", "Point de situation à 18 h", kind="entry")
    at.multiselect(key="log_kinds").select("decision").run()
    texts = " ".join(m.value for m in at.markdown)
    assert "gymnase" in texts and "Point de situation" not in texts
    at.multiselect(key="log_kinds").unselect("decision")
    at.text_input(key="log_search").input("situation").run()
    texts = " ".join(m.value for m in at.markdown)
    assert "Point de situation" in texts and "gymnase" not in texts


def test_a_viewer_reads_the_log_but_cannot_write(app_db) -> None:
    app_db.add_log("coordinator", "Décision de fermer la D905", kind="decision")
    at = open_page("log", "viewer")
    assert any("D905" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "Consigner"]
    assert any("Lecture seule" in c.value for c in at.caption)


def test_the_handover_summary_is_ready_to_copy_and_can_be_filed(app_db) -> None:
    app_db.add_log("coordinator", "Évacuation préventive de Losne", kind="decision")
    at = open_page("log", "volunteer")
    [code] = at.code
    assert code.value.startswith("RELÈVE") and "Évacuation préventive de Losne" in code.value
    at.number_input(key="log_hours").set_value(2).run()
    assert "(2 h)" in at.code[0].value
    button(at, "Consigner cette relève dans la main courante").click().run()
    filed = app_db.log_entries(kinds=["handover"])
    assert filed and filed[0]["text"].startswith("RELÈVE")
