"""Data for the security matrix: restricted sentinels with the least role that may see each,
and hostile collected text that must render inert wherever it shows.

Every sentinel is a unique string stored in one restricted place. The matrix opens every page
as every role (and anonymously) and asserts that a sentinel shows only to the roles of its row.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vigie.auth import ROLES, role_at_least
from vigie.exports import pseudonym
from vigie.models import Post, RoadEvent, iso, utc_now
from vigie.store import Store
from vigie.store.posts import post_row

NOBODY = "nobody"  # shown on no page to anyone

# name -> (unique string, least role that may see it on some page, per DESIGN's access rules)
SENTINELS: dict[str, tuple[str, str]] = {
    # Collected posts: every signed-in role (timeline, map), never the public.
    "post_author": ("@auteur_sentinelle_a1", "viewer"),
    "post_text": ("SENTINELLE-TEXTE-b2", "viewer"),
    # People in distress or missing: volunteers and up (People page); "restricted".
    "person_name": ("Zorglub-Sentinelle-c3", "volunteer"),
    "person_phone": ("06 98 76 54 32", "volunteer"),
    "person_note": ("note-personne-interne-d4", "volunteer"),
    # A claim under verification and its internals: the board (volunteers and up).
    "claim_title": ("titre-claim-en-cours-e5", "volunteer"),
    "verdict_note": ("note-de-verdict-interne-f6", "volunteer"),
    "evidence": ("preuve-interne-g7", "volunteer"),
    # A draft message: the Messages page (volunteers and up).
    "draft_message": ("brouillon-sentinelle-h8", "volunteer"),
    # The main courante: every signed-in role.
    "log_line": ("main-courante-sentinelle-j1", "viewer"),
    # Secrets: never on any page.
    "audit_detail": ("audit-sentinelle-i9", NOBODY),
    "password_hash": ("$argon2id$", NOBODY),
    "pseudonym_key": ("5e5e" * 16, NOBODY),
    "session_key": ("c0ffee" * 10 + "beef", NOBODY),
    "road_extra": ("Agent-Nominatif-Sentinelle-l3", NOBODY),
}

MARK = "HOSTILE-MARK"  # every hostile post carries it, so a page's text can be found
LONG_WORD = "W" * 400
# Each payload tries to set window.__pwned (or open a dialog) if it were ever interpreted.
HOSTILE_TEXTS = [
    f"{MARK}-1 au secours <script>window.__pwned='script'</script> coincés rue Hoche "
    "<img src=x onerror=\"window.__pwned='img'\"> <svg onload=\"window.__pwned='svg'\">",
    f"{MARK}-2 urgence [cliquez ici](javascript:window.__pwned='mdlink') "
    "<a href=\"javascript:window.__pwned='a'\">lien</a> ![pixel](x onerror=alert(1)) "
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    f"{MARK}-3 inondation \u202egnp.exe\u202c cave\u200bà\u200dDijon :red[ROUGE] "
    f"$x^2$ {LONG_WORD}",
    f"{MARK}-4 aidez-nous\n# TITRE ÉNORME\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    "<b>gras</b> <style>body{display:none}</style> &lt;script&gt;alert(1)&lt;/script&gt;",
]


def may_see(role: str | None, least: str) -> bool:
    """Whether a visitor with `role` (None: anonymous) may see a sentinel of that row."""
    return role is not None and least != NOBODY and role_at_least(role, least)


def _post(pid: str, text: str, author: str, lat: float, lon: float, urgency: float,
          created: str, incident: int) -> tuple:
    return post_row(
        Post(id=pid, source="sentinelle", kind="rss", text=text, author=author, lat=lat,
             lon=lon, precision="exact", place="Dijon", created_at=created),
        collected_at=created, collector="sentinelle", fetched_at=None, incident_id=incident,
        enrichment={"urgency": urgency, "categories": ["help_request"],
                    "urgency_reasons": ["au secours"], "cluster_id": pid})


def seed(store: Store) -> dict[str, Any]:
    """Store every sentinel in its restricted place and the hostile posts; returns ids."""
    s = {name: value for name, (value, _least) in SENTINELS.items()}
    now = utc_now()
    stamp = iso(now - timedelta(minutes=2))
    incident = store.create_incident("Crue sécurité", exercise=False, scenario="security")
    rows = [_post("rss:sentinel", f"{s['post_text']} l'eau monte, coincés au 1er étage",
                  s["post_author"], 47.32, 5.04, 0.9, stamp, incident)]
    rows += [_post(f"rss:hostile-{i}", text, f"@hostile<b>{i}</b>", 47.30 + i / 100, 5.0,
                   0.95 - i / 100, iso(now - timedelta(minutes=1, seconds=i)), incident)
             for i, text in enumerate(HOSTILE_TEXTS)]
    store.insert_post_rows(rows)
    person = store.report_person(
        "distress", f"{s['person_name']} {s['person_phone']} coincé au 1er étage", "volunteer",
        post_id="rss:sentinel", place="Dijon", incident_id=incident)
    store.update_person(person, 1, {"notes": s["person_note"]}, "volunteer")
    store.report_person("missing", HOSTILE_TEXTS[0], "volunteer", post_id="rss:hostile-0",
                        place="Dijon", incident_id=incident)
    claim = store.create_claim(s["claim_title"], "volunteer", incident_id=incident,
                               posts=[("rss:sentinel", 1)])
    store.add_evidence(claim, "note", s["evidence"], "volunteer")
    with store.write() as conn:  # a note a volunteer is writing before the verdict
        conn.execute("UPDATE claims SET verdict_note = ?, status = 'investigating' "
                     "WHERE id = ?", (s["verdict_note"], claim))
    hostile_claim = store.create_claim(HOSTILE_TEXTS[1], "volunteer", incident_id=incident,
                                       posts=[("rss:hostile-1", 1)])
    store.create_message({"kind": "safety", "hazard": "flood", "title": "Consignes crue",
                          "body": f"Restez chez vous. {s['draft_message']}"},
                         actor="volunteer", incident_id=incident, exercise=False)
    store.add_log("coordinator", f"Point de situation {s['log_line']}", incident_id=incident)
    store.add_log("volunteer", HOSTILE_TEXTS[3], incident_id=incident)
    store.audit("admin", "edit", "users", "viewer", None, {"note": s["audit_detail"]})
    store.ensure_setting(pseudonym.SETTING, s["pseudonym_key"])
    store.set_setting("session_key", s["session_key"])
    store.upsert_road_events([
        (RoadEvent(id="cd21:sec", source="cd21", kind="geojson", road="D905",
                   event_type="closure", commune="Dijon", description=HOSTILE_TEXTS[2],
                   starts_at=iso(now - timedelta(hours=1)), lat=47.31, lon=5.02,
                   extra={"agent": s["road_extra"]}), "active")], incident)
    return {"incident": incident, "person": person, "claim": claim,
            "hostile_claim": hostile_claim, "roles": ROLES}
