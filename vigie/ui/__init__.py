"""Streamlit helpers shared by pages: session, access, shell, safe rendering, widgets."""
