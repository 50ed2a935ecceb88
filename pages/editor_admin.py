"""Accounts (url editor_admin): administrators add editors, change roles, disable accounts and set passwords."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._shared import current_lang
from pages.editor_common import editor_gate, fmt_when, show_error
from routes.core.errors import GuideError
from routes.core.roles import ROLES
from routes.store.auth import LOCKOUT_WINDOW_S
from routes.store.validate import PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS
from routes.text.i18n import t
from routes.views.editing import action_label, audit_names, audit_target, describe_detail, user_label

#: Audit entries listed at the bottom of the page.
AUDIT_ROWS = 200

lang = current_lang()
store, acts, me = editor_gate(lang, admin=True)

st.title(t("ed.admin.heading", lang))
role_label = lambda r: t(f"ed.role.{r}", lang)  # noqa: E731

#: A message to show once after the rerun that follows a write (so the lists below are read after the write).
FLASH_KEY = "admin_flash"
if st.session_state.get(FLASH_KEY):
    st.success(st.session_state.pop(FLASH_KEY))

st.subheader(t("ed.admin.users", lang))
users = acts.list_users()
locks = acts.locked_users()
st.dataframe(
    pd.DataFrame([{t("ed.signin.name", lang): u.name, t("ed.admin.role", lang): role_label(u.role),
                   t("ed.admin.active", lang): t("ed.yes" if u.active else "ed.no", lang),
                   t("ed.admin.locked", lang): (t("ed.admin.locked_until", lang, until=fmt_when(locks[u.name]))
                                                if u.name in locks else t("ed.no", lang)),
                   t("ed.admin.last_login", lang): fmt_when(u.last_login_at)} for u in users]),
    hide_index=True, width="stretch",
)

with st.expander(t("ed.admin.add", lang), expanded=False, icon=":material/person_add:"):
    with st.form("admin_add_user", clear_on_submit=True):
        name = st.text_input(t("ed.signin.name", lang), key="admin_new_name")
        password = st.text_input(t("ed.admin.new_password", lang, limit=PASSWORD_MIN_CHARS, max=PASSWORD_MAX_CHARS),
                                 type="password", key="admin_new_password", max_chars=PASSWORD_MAX_CHARS)
        role = st.selectbox(t("ed.admin.role", lang), ROLES, index=ROLES.index("editor"), format_func=role_label,
                            key="admin_new_role")
        if st.form_submit_button(t("ed.admin.create", lang), type="primary"):
            try:
                acts.add_user(name, password, role)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                # rerun so the account list above (drawn before this form) shows the new account at once
                st.session_state[FLASH_KEY] = t("ed.admin.created", lang, name=name)
                st.rerun()

st.subheader(t("ed.admin.manage", lang))
names = [u.name for u in users]
chosen = st.selectbox(t("ed.admin.pick", lang), names, key="admin_pick")
user = next((u for u in users if u.name == chosen), None)
if user is not None:
    c1, c2 = st.columns(2)
    with c1:
        new_role = st.selectbox(t("ed.admin.role", lang), ROLES, index=ROLES.index(user.role), format_func=role_label,
                                key=f"admin_role_{user.name}")
        if st.button(t("ed.admin.set_role", lang), key=f"admin_set_role_{user.name}"):
            try:
                acts.set_role(user.name, new_role)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                st.session_state[FLASH_KEY] = t("ed.admin.done", lang)
                st.rerun()
        label = "ed.admin.disable" if user.active else "ed.admin.enable"
        if st.button(t(label, lang), key=f"admin_active_{user.name}"):
            try:
                acts.set_active(user.name, not user.active)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                st.rerun()
        if st.button(t("ed.admin.unlock", lang), key=f"admin_unlock_{user.name}", icon=":material/lock_open:",
                     help=t("ed.admin.unlock_help", lang, minutes=LOCKOUT_WINDOW_S // 60)):
            try:
                was_locked = acts.unlock_user(user.name)
            except GuideError as exc:
                show_error(exc, lang)
            else:
                st.success(t("ed.admin.unlocked" if was_locked else "ed.admin.not_locked", lang))
    with c2:
        with st.form(f"admin_pw_{user.name}", clear_on_submit=True):
            pw = st.text_input(t("ed.admin.change_password", lang, limit=PASSWORD_MIN_CHARS, max=PASSWORD_MAX_CHARS),
                               type="password", key=f"admin_pw_value_{user.name}", max_chars=PASSWORD_MAX_CHARS)
            if st.form_submit_button(t("ed.admin.reset_password", lang)):
                try:
                    acts.set_password(user.name, pw)
                except GuideError as exc:
                    show_error(exc, lang)
                else:
                    st.success(t("ed.admin.done", lang))

st.subheader(t("ed.admin.audit", lang))
names = audit_names(store, lang)
st.dataframe(
    pd.DataFrame([{t("ed.col.when", lang): fmt_when(e.at), t("ed.col.who", lang): user_label(e.user, lang),
                   t("ed.col.action", lang): action_label(e.action, lang),
                   t("ed.col.target", lang): audit_target(e.target, names, lang),
                   t("ed.col.changes", lang): describe_detail(e.action, e.detail, lang)[:300]}
                  for e in acts.audit_log(AUDIT_ROWS)]),
    hide_index=True, width="stretch",
)
