"""One claim opened from the board: spread, posts, evidence, the edit form, publication."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from vigie import claims as claim_rules
from vigie.acting import ensure
from vigie.auth import User
from vigie.durations import human
from vigie.i18n import Catalog
from vigie.periods import bucket_label
from vigie.store.claims import VERDICTS
from vigie.ui.acts import act
from vigie.ui.cards import local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "gone": ("Cette affirmation n'existe plus.", "This claim no longer exists."),
    "close": ("Fermer", "Close"),
    "spread": ("Propagation : publications par 10 minutes", "Spread: posts per 10 minutes"),
    "posts": ("Publications liées ({n})", "Linked posts ({n})"),
    "time": ("heure", "time"), "count": ("publications", "posts"),
    "evidence": ("Preuves", "Evidence"),
    "no_evidence": ("Aucune preuve pour l'instant.", "No evidence yet."),
    "ev_kind": ("Type", "Kind"), "note": ("Note", "Note"), "link": ("Lien", "Link"),
    "ev_content": ("Contenu (ce que la preuve montre)", "Content (what the evidence shows)"),
    "ev_url": ("Adresse (pour un lien)", "URL (for a link)"),
    "ev_add": ("Ajouter la preuve", "Add evidence"),
    "ev_done": ("Preuve ajoutée.", "Evidence added."),
    "ev_empty": ("Décrivez la preuve.", "Describe the evidence."),
    "ev_bad_url": ("Une adresse commence par http:// ou https://.",
                   "A URL starts with http:// or https://."),
    "edit": ("Fiche et verdict", "Record and verdict"),
    "title": ("Titre", "Title"),
    "owner": ("Responsable (identifiant)", "Owner (username)"),
    "status": ("Statut", "Status"),
    "verdict_note": ("Note de vérification (interne)", "Verification note (internal)"),
    "public_message": ("Message public (accompagne le verdict sur la carte publique)",
                       "Public message (goes with the verdict on the public map)"),
    "save": ("Enregistrer", "Save"),
    "saved": ("Affirmation n°{id} enregistrée.", "Claim #{id} saved."),
    "take": ("Je m'en occupe", "I'll take it"),
    "taken": ("Vous suivez l'affirmation n°{id}.", "You own claim #{id}."),
    "publication": ("Carte publique", "Public map"),
    "is_published": ("Publiée sur la carte publique.", "Published on the public map."),
    "not_published": ("Non publiée.", "Not published."),
    "publish": ("Publier le verdict sur la carte publique",
                "Publish the verdict on the public map"),
    "unpublish": ("Retirer de la carte publique", "Take off the public map"),
    "published_done": ("Verdict publié sur la carte publique.", "Verdict published."),
    "unpublished_done": ("Retirée de la carte publique.", "Taken off the public map."),
    "coord_only": ("Seul un coordinateur publie un verdict.",
                   "Only a coordinator publishes a verdict."),
    "verdict_in": ("Verdict en {d} après la première publication, par {who} à {at}.",
                   "Verdict {d} after the first post, by {who} at {at}."),
    "open_for": ("Ouverte depuis {d}.", "Open for {d}."),
    "history": ("Historique (qui, quand, quoi)", "History (who, when, what)"),
    "exercise": ("EXERCICE en cours : ce message ne sera publié que dans le cadre de l'exercice.",
                 "EXERCISE running: this message is published within the exercise only."),
})


def render(claim_id: int, user: User | None, incident: dict[str, Any] | None) -> None:
    store = get_store()
    claim = store.get_claim(claim_id)
    st.divider()
    if claim is None:
        st.warning(_("gone"))
        return
    stats = store.claim_stats([claim_id]).get(claim_id, {})
    claim.update(stats)
    head = st.columns([6, 1])
    head[0].subheader(f"n°{claim['id']} — {md_escape(claim['title'])}")
    head[1].button(_("close"), key="bd_close", on_click=_close, width="stretch")
    took = claim_rules.time_to_verdict(claim)
    if took is not None:
        st.caption(_("verdict_in", d=human(took), who=claim.get("verdict_by") or "?",
                     at=local_time(claim["verdict_at"])))
    else:
        st.caption(_("open_for", d=human(claim_rules.open_for(claim))))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        _spread(claim_id)
        _posts(claim_id, claim.get("posts") or 0)
        _evidence(claim)
        _history(claim_id)
    with right:
        _edit_form(claim, user, incident)
        _publication(claim, user, incident)


def _close() -> None:
    st.session_state.pop("board_open", None)


def _spread(claim_id: int) -> None:
    import altair as alt

    buckets = claim_rules.fill_buckets(get_store().claim_spread([claim_id]).get(claim_id, []))
    if not buckets:
        return
    st.caption(_("spread"))
    frame = pd.DataFrame(buckets, columns=["bucket", "n"])
    frame["t"] = (pd.to_datetime(frame["bucket"].map(bucket_label), utc=True)
                  .dt.tz_convert("Europe/Paris").dt.strftime("%H:%M"))
    chart = alt.Chart(frame).mark_bar(color="#7fd1ae").encode(
        x=alt.X("t:O", sort=None, title=_("time"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("n:Q", title=_("count"), axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("t:O", title=_("time")), alt.Tooltip("n:Q", title=_("count"))])
    st.altair_chart(chart, height=150)


def _posts(claim_id: int, n: int) -> None:
    with st.expander(_("posts", n=n)):
        for p in get_store().claim_posts(claim_id, limit=15):
            st.caption(md_escape(f"{local_time(p['created_at'])} · {p.get('author') or '?'}"))
            st.markdown(md_escape(p["text"], max_len=400))


def _evidence(claim: dict[str, Any]) -> None:
    st.markdown(f"**{_('evidence')}**")
    items = get_store().evidence_for([claim["id"]]).get(claim["id"], [])
    if not items:
        st.caption(_("no_evidence"))
    for e in items:
        line = f"{local_time(e['at'])} · {e.get('author') or '?'} · {e['content']}"
        if e.get("url"):
            line += f" · {e['url']}"
        st.markdown("- " + md_escape(line))
    with st.form(f"bd_ev_{claim['id']}", clear_on_submit=True, border=False):
        cols = st.columns([1, 3])
        cols[0].radio(_("ev_kind"), ["note", "link"], format_func=_, key="bd_ev_kind",
                      horizontal=True)
        cols[1].text_input(_("ev_url"), key="bd_ev_url", max_chars=500)
        st.text_area(_("ev_content"), key="bd_ev_content", height=70, max_chars=2000)
        st.form_submit_button(_("ev_add"), on_click=_add_evidence, args=(claim["id"],))


def _add_evidence(claim_id: int) -> None:
    kind = st.session_state.get("bd_ev_kind", "note")
    content = (st.session_state.get("bd_ev_content") or "").strip()
    url = (st.session_state.get("bd_ev_url") or "").strip() or None

    def add(store, user):
        from vigie.acting import Refused

        ensure(user, "volunteer")
        if not content:
            raise Refused(_("ev_empty"))
        if url and not url.lower().startswith(("http://", "https://")):
            raise Refused(_("ev_bad_url"))
        return store.add_evidence(claim_id, "link" if url else kind, content, user.username,
                                  url=url)

    act(add, done=_("ev_done"), unsaved=content)


def _history(claim_id: int) -> None:
    with st.expander(_("history")):
        for a in get_store().audit_entries(entity="claims", entity_id=claim_id, limit=50):
            after = a.get("after") or {}
            what = ", ".join(f"{k} → {v}" for k, v in after.items()
                             if k not in ("status_at", "status_by", "verdict_at", "verdict_by"))
            st.caption(md_escape(f"{local_time(a['at'])} · {a['actor']} · {a['action']} · "
                                 f"{what}", max_len=300))


def _edit_form(claim: dict[str, Any], user: User | None,
               incident: dict[str, Any] | None) -> None:
    st.markdown(f"**{_('edit')}**")
    cid, ver = claim["id"], claim["version"]
    key = f"bd_{cid}_v{ver}"
    if user and claim.get("owner") != user.username:
        st.button(_("take"), key=f"{key}_take", on_click=_take, args=(claim,))
    moves = claim_rules.allowed_moves(claim["status"], user)
    statuses = [claim["status"], *moves]
    locked = bool(claim.get("published")) and not (user and user.can("coordinator"))
    with st.form(f"{key}_form", border=False):
        st.text_input(_("title"), value=claim["title"], key=f"{key}_title", max_chars=200)
        st.text_input(_("owner"), value=claim.get("owner") or "", key=f"{key}_owner",
                      max_chars=60)
        st.selectbox(_("status"), statuses, format_func=claim_rules.status_label,
                     key=f"{key}_status")
        st.text_area(_("verdict_note"), value=claim.get("verdict_note") or "",
                     key=f"{key}_note", height=90, max_chars=4000)
        if incident and incident.get("exercise"):
            st.caption(_("exercise"))
        st.text_area(_("public_message"), value=claim.get("public_message") or "",
                     key=f"{key}_public", height=90, max_chars=1000, disabled=locked)
        st.form_submit_button(_("save"), type="primary", on_click=_save,
                              args=(claim, key, incident["id"] if incident else None))


def _save(claim: dict[str, Any], key: str, incident_id: int | None) -> None:
    ss = st.session_state
    changes = {"title": (ss.get(f"{key}_title") or "").strip(),
               "owner": (ss.get(f"{key}_owner") or "").strip() or None,
               "verdict_note": ss.get(f"{key}_note") or "",
               "public_message": ss.get(f"{key}_public") or ""}
    if changes["owner"] is None:
        changes["owner"] = claim.get("owner")
    act(claim_rules.save, claim, changes, ss.get(f"{key}_status"), incident_id=incident_id,
        done=_("saved", id=claim["id"]),
        unsaved="\n".join(v for v in (changes["verdict_note"], changes["public_message"]) if v))


def _take(claim: dict[str, Any]) -> None:
    def take(store, user):
        ensure(user, "volunteer")
        return store.update_claim(claim["id"], claim["version"], {"owner": user.username},
                                  user.username)

    act(take, done=_("taken", id=claim["id"]))


def _publication(claim: dict[str, Any], user: User | None,
                 incident: dict[str, Any] | None) -> None:
    st.markdown(f"**{_('publication')}**")
    st.caption(_("is_published") if claim.get("published") else _("not_published"))
    if not (user and user.can("coordinator")):
        st.caption(_("coord_only"))
        return
    incident_id = incident["id"] if incident else None
    if claim.get("published"):
        st.button(_("unpublish"), key=f"bd_unpub_{claim['id']}", on_click=_publish,
                  args=(claim, False, incident_id))
    else:
        st.button(_("publish"), key=f"bd_pub_{claim['id']}", type="primary",
                  disabled=claim["status"] not in VERDICTS, on_click=_publish,
                  args=(claim, True, incident_id))


def _publish(claim: dict[str, Any], published: bool, incident_id: int | None) -> None:
    act(claim_rules.publish, claim, published, incident_id=incident_id,
        done=_("published_done") if published else _("unpublished_done"))
