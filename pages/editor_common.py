"""Shared by the editor pages (not a page itself): the sign-in gate, sign-out, and small display helpers."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._shared import md_text, store_or_stop
from routes.auth import AuthError, EditorActions, authorise, sign_in, sign_in_oidc
from routes.i18n import t

#: Where this browser session's sign-in lives (st.session_state is per browser session; nothing is module-global).
SESSION_KEY = "editor_session"
#: st.secrets section mapping OIDC e-mail addresses to editor account names.
OIDC_MAPPING_SECRET = "guide_oidc_editors"


def oidc_configured() -> bool:
    """True when st.login has a provider configured in secrets ([auth] with a client id)."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file at all is the normal case
        return False
    if not auth:
        return False
    if auth.get("client_id"):
        return True
    # Named providers: [auth.<name>] sections, each with its own client id.
    return any(hasattr(v, "get") and bool(v.get("client_id")) for v in auth.values())


def _oidc_mapping() -> dict[str, str]:
    try:
        return dict(st.secrets.get(OIDC_MAPPING_SECRET) or {})
    except Exception:  # noqa: BLE001
        return {}


def _signin_form(store: Any, lang: str) -> None:
    st.title(t("ed.signin.heading", lang))
    st.write(t("ed.signin.intro", lang))
    with st.form("editor_signin", clear_on_submit=False):
        name = st.text_input(t("ed.signin.name", lang), key="editor_signin_name", autocomplete="username")
        password = st.text_input(t("ed.signin.password", lang), type="password", key="editor_signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("ed.signin.submit", lang), type="primary")
    if submitted:
        try:
            st.session_state[SESSION_KEY] = sign_in(store, name, password)
        except AuthError as exc:
            st.error(exc.message(lang), icon=":material/lock:")
        else:
            st.session_state.pop("editor_signin_password", None)
            st.rerun()
    if oidc_configured():
        st.caption(t("ed.signin.oidc_hint", lang))
        if st.button(t("ed.signin.oidc", lang), key="editor_oidc_login"):
            st.login()


def _try_oidc(store: Any, lang: str) -> None:
    """After st.login came back, turn the verified identity into an editor session (once)."""
    if not oidc_configured() or SESSION_KEY in st.session_state:
        return
    try:
        logged_in = bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001
        return
    if logged_in:
        try:
            st.session_state[SESSION_KEY] = sign_in_oidc(store, st.user.get("email"), _oidc_mapping())
        except AuthError as exc:
            st.error(exc.message(lang))


def sign_out() -> None:
    sess = st.session_state.pop(SESSION_KEY, None)
    if sess is not None and sess.method == "oidc":
        st.logout()


def signed_in_account(store: Any) -> tuple[Any, Any] | None:
    """(session, account) of the editor signed in on this browser session, or None; shows nothing.

    For pages open to everyone that offer more to editors (the race planner saves plans): the same session and the
    same checks (expiry, disabled account) as editor_gate, without the sign-in form.
    """
    sess = st.session_state.get(SESSION_KEY)
    if sess is None:
        return None
    try:
        return sess, authorise(store, sess)
    except AuthError:
        return None


def editor_gate(lang: str, *, admin: bool = False) -> tuple[Any, EditorActions, Any]:
    """(store, actions, account) for a signed-in editor; otherwise only the sign-in form is shown and the page stops.

    Called first on every editor page, so a direct URL shows nothing else to someone not signed in.
    """
    store = store_or_stop(lang)
    _try_oidc(store, lang)
    sess = st.session_state.get(SESSION_KEY)
    try:
        info = authorise(store, sess, admin=admin)
    except AuthError as exc:
        if exc.key == "forbidden":
            _sidebar_account(sess, lang)
            st.error(exc.message(lang), icon=":material/block:")
            st.stop()
        st.session_state.pop(SESSION_KEY, None)
        if exc.key in ("expired", "account_disabled"):
            st.warning(exc.message(lang))
        _signin_form(store, lang)
        st.stop()
    _sidebar_account(sess, lang, role=info.role)
    return store, EditorActions(store, sess), info


def _sidebar_account(sess: Any, lang: str, *, role: str | None = None) -> None:
    with st.sidebar:
        st.caption(md_text(t("ed.signed_in_as", lang, user=sess.user, role=t(f"ed.role.{role or sess.role}", lang))))
        if st.button(t("ed.signout", lang), key="editor_signout", icon=":material/logout:"):
            sign_out()
            st.rerun()


def show_error(exc: Exception, lang: str) -> None:
    """A GuideError's message in the visitor's language (never a traceback)."""
    message = exc.message(lang) if hasattr(exc, "message") else t("error.generic", lang)
    st.error(message, icon=":material/error:")


def fmt_when(value: Any) -> str:
    """A timestamp as local-free UTC text, minutes precision."""
    try:
        return value.strftime("%Y-%m-%d %H:%M UTC")
    except AttributeError:
        return "–"


def show_field_errors(exc: Any, slots: dict, lang: str) -> None:
    """Each invalid field's message in the slot under that field, and one line saying how many need fixing."""
    errors = getattr(exc, "errors", {exc.field: exc})
    for field, err in errors.items():
        slot = slots.get(field)
        if slot is not None:
            slot.error(err.message(lang))
    st.error(t("ed.form.fix_fields", lang, count=len(errors)))


def remember_conflict(exc: Any, state_key: str, lang: str) -> None:
    """Keep a refused save (the other editor's change won) so it stays on screen on every run until the editor
    reloads; the attempted values are shown next to the current ones, so neither version is lost from view."""
    st.session_state[state_key] = (exc.message(lang), dict(exc.attempted))
    st.rerun()


def render_conflict(state_key: str, load_current: Any, version_key: str, lang: str) -> None:
    """The remembered conflict, if any: message, 'yours vs theirs' per field, and a button to reload theirs."""
    pending = st.session_state.get(state_key)
    if not pending:
        return
    import pandas as pd

    message, attempted = pending
    st.error(message)
    current = load_current()
    if current is not None and attempted:
        rows = [{t("ed.col.field", lang): k, t("ed.conflict.yours", lang): str(v),
                 t("ed.conflict.theirs", lang): str(getattr(current, k, ""))} for k, v in attempted.items()]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if st.button(t("ed.conflict.reload", lang), key=f"{state_key}_reload", type="primary"):
        st.session_state.pop(version_key, None)
        st.session_state.pop(state_key, None)
        st.rerun()


def bilingual_text_fields(form_key: str, values: dict, out: dict, slots: dict, lang: str) -> None:
    """Name and description in Chinese (left) and English (right), each with a slot for its field message."""
    for column, code in zip(st.columns(2), ("zh", "en")):
        with column:
            for kind, widget in (("name", st.text_input), ("desc", st.text_area)):
                field = f"{kind}_{code}"
                out[field] = widget(t(f"ed.form.{field}", lang), value=values.get(field, ""), key=f"{form_key}_{field}")
                slots[field] = st.empty()
