"""Editor desk (url editor): sign-in for anyone not signed in; for editors the steps, links and recent changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._shared import current_lang
from pages.editor_common import editor_gate, fmt_when
from routes.text.i18n import t
from routes.views.editing import action_label, audit_names, audit_target, user_label

#: Recent audit entries shown on the desk.
RECENT_CHANGES = 15

lang = current_lang()
store, acts, me = editor_gate(lang)

st.title(t("ed.home.heading", lang))
st.markdown(t("ed.home.steps", lang))
cols = st.columns(3)
with cols[0]:
    st.page_link("pages/editor_routes.py", label=t("page.editor_routes", lang), icon=":material/route:",
                 query_params={"lang": lang})
with cols[1]:
    st.page_link("pages/editor_pois.py", label=t("page.editor_pois", lang), icon=":material/add_location:",
                 query_params={"lang": lang})
if me.role == "admin":
    with cols[2]:
        st.page_link("pages/editor_admin.py", label=t("page.editor_admin", lang), icon=":material/group:",
                     query_params={"lang": lang})

st.subheader(t("ed.home.recent", lang))
entries = acts.audit_log(RECENT_CHANGES)
if not entries:
    st.info(t("ed.home.none", lang))
else:
    names = audit_names(store, lang)
    st.dataframe(
        pd.DataFrame([{t("ed.col.when", lang): fmt_when(e.at), t("ed.col.who", lang): user_label(e.user, lang),
                       t("ed.col.action", lang): action_label(e.action, lang),
                       t("ed.col.target", lang): audit_target(e.target, names, lang)} for e in entries]),
        hide_index=True, width="stretch",
    )
