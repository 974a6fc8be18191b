"""Names of the enrichment's categories, for code that runs outside Streamlit too (the
collectors' main-courante lines) as well as the wall."""

from __future__ import annotations

from vigie.i18n import Catalog

CATEGORIES = Catalog({
    "help_request": ("Demande d'aide", "Help request"),
    "missing_or_found": ("Disparu / retrouvé", "Missing or found"),
    "casualties": ("Victimes", "Casualties"),
    "infrastructure": ("Réseaux, infrastructures", "Infrastructure"),
    "roads_traffic": ("Routes", "Roads and traffic"),
    "evacuation_shelter": ("Évacuation, hébergement", "Evacuation, shelter"),
    "caution_advice": ("Consignes", "Caution and advice"),
    "solidarity": ("Solidarité", "Solidarity"),
    "sympathy": ("Soutien", "Sympathy"),
    "other_relevant": ("Autre information utile", "Other relevant"),
    "not_relevant": ("Hors sujet", "Not relevant"),
})


def category_label(category: str, lang: str | None = None) -> str:
    return CATEGORIES(category, lang)
