"""Vigie's dashboard: `streamlit run app.py`.

Streamlit imports this file as a module to find `app` (an `st.App`, served by its
ASGI server with our routes and lifespan), and runs it as a script (`__main__`) for
every browser session to draw the pages.
"""

import streamlit as st

if __name__ == "__main__":
    from vigie.ui.shell import run

    run()
else:
    from vigie.web import lifespan, routes

    app = st.App(__file__, lifespan=lifespan, routes=routes())
