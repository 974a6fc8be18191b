"""The notice a page shows until its issue lands."""

import streamlit as st

from vigie.i18n import Catalog

_ = Catalog({
    "soon": ("Cette page n'est pas encore disponible dans cette version de Vigie.",
             "This page is not available yet in this version of Vigie."),
})


def soon() -> None:
    st.info(_("soon"))


def not_available(page: str) -> None:
    from vigie.ui.shell import _ as titles

    st.title(titles(page))
    soon()
