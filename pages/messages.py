"""Messages: safety instructions, solidarity relays and debunks; drafts, approval, sends."""

import streamlit as st

from vigie.i18n import Catalog
from vigie.ui import message_compose, message_queue
from vigie.ui.session import require

_ = Catalog({
    "title": ("Messages à la population", "Messages to the public"),
    "compose": ("Nouveau message", "New message"),
    "queue": ("Brouillons et validation", "Drafts and approval"),
    "log": ("Journal des diffusions", "Sent log"),
})

user = require("messages")
st.title(_("title"))
if flash := st.session_state.pop("msg_flash", None):
    st.success(flash)
if error := st.session_state.pop("msg_error", None):
    st.error(error)
compose, queue, log = st.tabs([_("compose"), _("queue"), _("log")])
with compose:
    message_compose.render(user)
with queue:
    message_queue.render(user)
with log:
    message_queue.sent_log()
