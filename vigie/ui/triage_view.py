"""The triage page's frame: title, queue size, keyboard legend, queue beside its panel."""

from __future__ import annotations

import streamlit as st

from vigie.i18n import Catalog
from vigie.triage import CATEGORY_KEYS
from vigie.ui import triage_holds, triage_panel, triage_queue
from vigie.ui.acts import show_flash
from vigie.ui.cards import category_label
from vigie.ui.session import get_store

QUEUE_HEIGHT = 1250  # px: the queue scrolls in its own box, the panel stays in view

_ = Catalog({
    "title": ("Tri", "Triage"),
    "waiting": ("{clusters} groupes en attente ({posts} publications), les plus urgents "
                "d'abord. Une carte = un groupe de publications presque identiques.",
                "{clusters} groups waiting ({posts} posts), most urgent first. One card = one "
                "group of near-identical posts."),
    "keys": ("Raccourcis clavier", "Keyboard shortcuts"),
    "legend": ("**J** / **K** carte suivante / précédente · **X** cocher la carte active · "
               "**P** pertinent · **N** hors sujet · **E** remonter à la cellule · "
               "**Z** annuler la dernière de ces trois actions · "
               "**L** placer dans la commune choisie · **F** enregistrer la note de fiabilité · "
               "**S** rattacher à la 1re affirmation suggérée · **Maj+A** nouvelle affirmation · "
               "**Maj+D** signaler une personne · **Tab** / **Entrée** pour tout le reste "
               "(Entrée dans un champ envoie son formulaire). "
               "Les actions portent sur les cartes cochées, sinon sur la carte active.",
               "**J** / **K** next / previous card · **X** select the active card · "
               "**P** relevant · **N** not relevant · **E** escalate to the cell · "
               "**Z** undo the last of these three · "
               "**L** set the chosen commune · **F** save the reliability rating · "
               "**S** attach to the first suggested claim · **Shift+A** new claim · "
               "**Shift+D** flag a person · **Tab** / **Enter** for everything else "
               "(Enter in a field submits its form). "
               "Actions apply to the selected cards, else to the active card."),
    "cats": ("Catégories : {keys}", "Categories: {keys}"),
})


def page() -> None:
    store = get_store()
    incident = store.active_incident()
    incident_id = incident["id"] if incident else None
    st.title(_("title"))
    clusters, posts = store.triage_queue_size(incident_id=incident_id)
    st.caption(_("waiting", clusters=clusters, posts=posts))
    with st.expander(_("keys")):
        st.markdown(_("legend"))
        st.markdown(_("cats", keys=" · ".join(
            f"**{k}** {category_label(c)}" for k, c in CATEGORY_KEYS.items())))
    show_flash()
    cards = triage_queue.load(incident_id)
    held = triage_holds.settle(cards)
    left, right = st.columns([3, 2], gap="medium")
    with right, st.container(border=True, key="tq_panel"):
        triage_panel.render(incident)
    with left:
        with st.container(height=QUEUE_HEIGHT, border=False, key="tq_queue"):
            triage_queue.render(cards, held)
        triage_queue.pager(clusters)
