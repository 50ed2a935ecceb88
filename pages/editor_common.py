"""Shared by the editor pages (not a page itself): the sign-in gate and cookie session glue, sign-out, display helpers.

The session lives in the database behind an HttpOnly cookie (routes/store/auth.py, routes/web/session.py); this module
only reads the cookie on each run, shows the sign-in form, and sends the browser to the routes that set or clear it.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from pages._shared import md_text, store_or_stop
from routes.core.roles import EDITOR_ROLES, RACE_PLAN_ROLES
from routes.store.auth import (
    AuthError,
    EditorActions,
    EditorSession,
    authorise,
    end_session,
    resolve_session,
    sign_in,
    sign_in_oidc,
)
from routes.text.i18n import fmt_datetime, t
from routes.web.session import COOKIE_NAME, DEFAULT_NEXT, EXCHANGE_PATH, nonce_cookie, safe_next

#: This tab's sign-in until the browser comes back with the cookie (and the only one under AppTest, which has no
#: cookies). It holds a session token resolved in the database on every run like the cookie, never a role.
SESSION_KEY = "editor_session"
#: The page path (with ?lang=) a sign-in returns to; set by the frame on every run.
NEXT_KEY = "guide_signin_next"
#: Per role, the page path a sign-in on this page lands on (this page, or the role's first page when the role may not
#: use this one); set by the frame on every run (app.landing_page).
LANDING_KEY = "guide_signin_landing"
#: A redirect to one of our HTTP routes, asked for by the run before (see _hand_over).
REDIRECT_KEY = "guide_pending_redirect"
#: The sign-in's browser nonce, put in a cookie by the same script that follows REDIRECT_KEY (see _hand_over).
REDIRECT_NONCE_KEY = "guide_pending_nonce"
#: Why this run found a session no longer valid (an AuthError key), so the sign-in form can say so.
LAPSED_KEY = "guide_session_lapsed"
_LAPSED = {"idle": "expired", "expired": "expired", "disabled": "account_disabled"}
#: st.secrets section mapping OIDC e-mail addresses to editor account names.
OIDC_MAPPING_SECRET = "guide_oidc_editors"
#: Set to 1 when a reverse proxy on another host stands in front: the client address for the per-address lock-out is
#: then the last X-Forwarded-For entry (the one the proxy added). From loopback (our own proxy) that is always so.
TRUST_FORWARDED_FOR_ENV = "GUIDE_TRUST_FORWARDED_FOR"
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


def oidc_configured() -> bool:
    """True when st.login has a provider configured in secrets ([auth] with a client id)."""
    # Without any secrets file Streamlit looks for one again on every call, under a process-wide lock and ending in
    # an exception: every page view of every visitor asks this, so first see whether there is a file at all.
    # (Secrets already in memory — loaded once, or given by AppTest — count as present; "_secrets" is Streamlit's
    # cache of the parsed files, read with a default so that a rename only costs this shortcut.)
    loaded = getattr(st.secrets, "_secrets", None) is not None
    if not loaded and not any(os.path.exists(path) for path in st.get_option("secrets.files")):
        return False
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


def _cookie_token() -> str | None:
    try:
        return st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no browser connection (bare script run)
        return None


def client_address() -> str | None:
    """The visitor's address, for the per-address lock-out (None when unknown, e.g. under AppTest).

    A request from loopback came through our own reverse proxy (deploy/: the replicas listen on 127.0.0.1 only), so the
    last X-Forwarded-For hop — the one the proxy added — is the visitor; without that every visitor would share the
    proxy's address and 20 wrong guesses by anyone would lock everyone out. From any other peer the header is ignored
    (anyone can send one) unless GUIDE_TRUST_FORWARDED_FOR=1 says a proxy on another host stands in front.
    """
    try:
        peer = st.context.ip_address
        if peer in LOOPBACK_ADDRESSES or os.environ.get(TRUST_FORWARDED_FOR_ENV) == "1":
            hops = [h.strip() for h in (st.context.headers.get("X-Forwarded-For") or "").split(",") if h.strip()]
            if hops:
                return hops[-1][:64]
        return peer
    except Exception:  # noqa: BLE001
        return None


def _app_path(path: str) -> str:
    """A path on this server, under Streamlit's server.baseUrlPath when one is set."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def current_session(store: Any | None = None) -> EditorSession | None:
    """The live session of this browser (cookie) or tab (just signed in), read from the database; None otherwise."""
    store = store or store_or_stop(st.session_state.get("guide_lang", "zh"))
    for token in (_cookie_token(), getattr(st.session_state.get(SESSION_KEY), "token", None)):
        if token:
            sess, why = resolve_session(store, token)
            if sess is not None:
                st.session_state.pop(LAPSED_KEY, None)
                return sess
            if why in _LAPSED:
                st.session_state[LAPSED_KEY] = _LAPSED[why]
    st.session_state.pop(SESSION_KEY, None)
    return None


def _redirect(path: str, *, nonce: str = "") -> None:
    """Send the browser to one of our own HTTP routes (a script run cannot set or clear an HttpOnly cookie itself);
    with ``nonce``, first give this browser the sign-in's nonce cookie, which binds the exchange to it."""
    url = _app_path(path)
    cookie = ""
    if nonce:
        value = json.dumps(nonce_cookie(nonce, path=_app_path(EXCHANGE_PATH)))
        cookie = f'document.cookie = {value} + (location.protocol === "https:" ? "; Secure" : "");'
    st.html(f"<script>{cookie}window.location.replace({json.dumps(url)});</script>", unsafe_allow_javascript=True)
    st.caption(t("ed.signin.redirecting", st.session_state.get("guide_lang", "zh")))


def _hand_over(sess: EditorSession) -> None:
    """Keep the session for this tab, and (on the next run, after the form's password is gone from the session
    state) send the browser to swap the one-time token for the cookie."""
    st.session_state[SESSION_KEY] = sess
    landing = (st.session_state.get(LANDING_KEY) or {}).get(sess.role)
    target = safe_next(landing or st.session_state.get(NEXT_KEY), default=DEFAULT_NEXT)
    st.session_state[REDIRECT_KEY] = f"{EXCHANGE_PATH}?" + urlencode({"t": sess.exchange, "next": target})
    st.session_state[REDIRECT_NONCE_KEY] = sess.exchange_nonce
    st.session_state.pop("editor_signin_password", None)
    st.rerun()


def pending_redirect() -> None:
    """The frame calls this on every run: a redirect a sign-in asked for in the run before."""
    path = st.session_state.pop(REDIRECT_KEY, None)
    nonce = st.session_state.pop(REDIRECT_NONCE_KEY, "")
    if path:
        _redirect(path, nonce=nonce)


def signin_form(store: Any, lang: str) -> None:
    st.title(t("ed.signin.heading", lang))
    lapsed = st.session_state.get(LAPSED_KEY)
    if lapsed:
        st.warning(AuthError(lapsed).message(lang))
    st.write(t("ed.signin.intro", lang))
    with st.form("editor_signin", clear_on_submit=False):
        name = st.text_input(t("ed.signin.name", lang), key="editor_signin_name", autocomplete="username")
        password = st.text_input(t("ed.signin.password", lang), type="password", key="editor_signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("ed.signin.submit", lang), type="primary")
    if submitted:
        try:
            sess = sign_in(store, name, password, client=client_address())
        except AuthError as exc:
            st.error(exc.message(lang), icon=":material/lock:")
        else:
            _hand_over(sess)
    if oidc_configured():
        st.caption(t("ed.signin.oidc_hint", lang))
        if st.button(t("ed.signin.oidc", lang), key="editor_oidc_login"):
            st.login()


_signin_form = signin_form  # the name the first version used


def finish_oidc_sign_in(store: Any, lang: str) -> None:
    """After st.login came back, turn the verified identity into the same cookie session as a password (once)."""
    if not oidc_configured() or current_session(store) is not None:
        return
    try:
        logged_in = bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001
        return
    if logged_in:
        try:
            _hand_over(sign_in_oidc(store, st.user.get("email"), _oidc_mapping()))
        except AuthError as exc:
            st.error(exc.message(lang))


def sign_out(store: Any | None = None) -> None:
    """End the session on the server (the cookie is worthless from now on), then let the browser drop the cookie."""
    store = store or store_or_stop(st.session_state.get("guide_lang", "zh"))
    st.session_state.pop(LAPSED_KEY, None)
    sess = st.session_state.pop(SESSION_KEY, None)
    method = getattr(sess, "method", "password")
    for token in (_cookie_token(), getattr(sess, "token", None)):
        if token:
            live, _why = resolve_session(store, token)
            method = live.method if live is not None else method
            end_session(store, token)
    if method == "oidc":
        st.logout()
    target = safe_next(st.session_state.get(NEXT_KEY), default="/")
    _redirect("/auth/signout?" + urlencode({"next": target}))


def account_sidebar(sess: EditorSession, lang: str) -> None:
    """Who is signed in, and the sign-out button, in the sidebar of every page."""
    with st.sidebar:
        st.caption(md_text(t("ed.signed_in_as", lang, user=sess.user, role=t(f"ed.role.{sess.role}", lang))))
        if st.button(t("ed.signout", lang), key="editor_signout", icon=":material/logout:"):
            sign_out()
            st.stop()


def editor_gate(lang: str, *, admin: bool = False,
                roles: tuple[str, ...] = EDITOR_ROLES) -> tuple[Any, EditorActions, Any]:
    """(store, actions, account) for a signed-in account with one of ``roles``; otherwise only the sign-in form (or
    a "not allowed" message) is shown and the page stops.

    Called first on every editor page, so a direct URL shows nothing else to someone not signed in.
    """
    store = store_or_stop(lang)
    finish_oidc_sign_in(store, lang)
    sess = current_session(store)
    try:
        info = authorise(store, sess, admin=admin, roles=roles)
    except AuthError as exc:
        if exc.key in ("forbidden", "editor_only"):
            st.error(exc.message(lang), icon=":material/block:")
            st.stop()
        if exc.key in ("expired", "account_disabled"):
            st.session_state[LAPSED_KEY] = exc.key
        signin_form(store, lang)
        st.stop()
    return store, EditorActions(store, sess), info


def may_preview_drafts(store: Any) -> bool:
    """Whether this browser's account (its role as stored now) may open draft routes on the route page: editors and
    admins, who are about to publish them. Organisers and visitors are told "not found", as for an unknown route."""
    sess = current_session(store)
    return sess is not None and sess.role in EDITOR_ROLES


def race_plan_actions(store: Any) -> EditorActions | None:
    """Actions for the race planner when the signed-in account may save race plans; None otherwise."""
    sess = current_session(store)
    if sess is None or sess.role not in RACE_PLAN_ROLES:
        return None
    return EditorActions(store, sess)


def show_error(exc: Exception, lang: str) -> None:
    """A GuideError's message in the visitor's language (never a traceback)."""
    message = exc.message(lang) if hasattr(exc, "message") else t("error.generic", lang)
    st.error(message, icon=":material/error:")


def fmt_when(value: Any, lang: str | None = None) -> str:
    """A stored timestamp as staff read it: the guide's time zone, to the minute (routes.text.i18n.fmt_datetime)."""
    return fmt_datetime(value, lang or st.session_state.get("guide_lang", "zh"))


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
        from routes.views.editing import field_label, value_text

        rows = [{t("ed.col.field", lang): field_label(k, lang), t("ed.conflict.yours", lang): value_text(k, v, lang),
                 t("ed.conflict.theirs", lang): value_text(k, getattr(current, k, None), lang)}
                for k, v in attempted.items()]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if st.button(t("ed.conflict.reload", lang), key=f"{state_key}_reload", type="primary"):
        st.session_state.pop(version_key, None)
        st.session_state.pop(state_key, None)
        st.rerun()


def bilingual_text_fields(form_key: str, values: dict, out: dict, slots: dict, lang: str) -> None:
    """Name and description in Chinese (left) and English (right), each with a slot for its field message."""
    for column, code in zip(st.columns(2), ("zh", "en"), strict=True):
        with column:
            for kind, widget in (("name", st.text_input), ("desc", st.text_area)):
                field = f"{kind}_{code}"
                out[field] = widget(t(f"ed.form.{field}", lang), value=values.get(field, ""), key=f"{form_key}_{field}")
                slots[field] = st.empty()
