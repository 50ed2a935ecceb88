"""Streamlit entry: page config, language, navigation with the three sections, and the frame every page shares."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # `streamlit run` from another folder, and AppTest, still find routes/ and pages/
    sys.path.insert(0, str(HERE))

from pages._shared import LANG_STATE_KEY, apply_language, footer, page_shell  # noqa: E402
from routes.core.roles import ACCOUNT_ROLES, EDITOR_ROLES, RACE_PLAN_ROLES, SIGNIN_ROLES  # noqa: E402
from routes.text.i18n import t  # noqa: E402

#: Who may open a page; an empty tuple means everyone (role rules: routes/core/roles.py and docs/accounts.md).
PUBLIC: tuple[str, ...] = ()
SIGNED_IN = SIGNIN_ROLES
EDITORS = EDITOR_ROLES
ADMINS = ACCOUNT_ROLES


@dataclass(frozen=True)
class PageSpec:
    section: str  # "cyclists", "editors" or "organisers" (nav.<section> is the heading)
    script: str  # path relative to this file
    url_path: str  # "" only for the default page
    title_key: str
    icon: str
    default: bool = False
    roles: tuple[str, ...] = PUBLIC


#: Every page of the app. A new page is one line here (its strings go in routes/strings_<area>.py).
PAGES: tuple[PageSpec, ...] = (
    PageSpec("cyclists", "pages/catalogue.py", "catalogue", "page.catalogue", ":material/directions_bike:", default=True),
    PageSpec("cyclists", "pages/route.py", "route", "page.route", ":material/route:"),
    PageSpec("cyclists", "pages/pois.py", "pois", "page.pois", ":material/place:"),
    PageSpec("editors", "pages/editor.py", "editor", "page.editor_home", ":material/edit_note:", roles=EDITORS),
    PageSpec("editors", "pages/editor_routes.py", "editor_routes", "page.editor_routes", ":material/edit_road:",
             roles=EDITORS),
    PageSpec("editors", "pages/editor_pois.py", "editor_pois", "page.editor_pois", ":material/add_location_alt:",
             roles=EDITORS),
    PageSpec("editors", "pages/editor_admin.py", "editor_admin", "page.editor_admin", ":material/manage_accounts:",
             roles=ADMINS),
    PageSpec("organisers", "pages/race.py", "race", "race.page.title", ":material/sports_score:",
             roles=RACE_PLAN_ROLES),
)
SECTIONS = ("cyclists", "editors", "organisers")
#: The one entry visitors see of the editors' and organisers' pages: the editor desk, which shows the sign-in form.
SIGNIN_URL_PATH = "editor"


@dataclass(frozen=True)
class MenuEntry:
    spec: PageSpec
    title: str
    visible: bool


def menu_plan(lang: str, role: str | None = None) -> dict[str, list[MenuEntry]]:
    """The menu for a visitor (``role`` None) or a signed-in account, by section heading.

    Every page is listed for everyone, so a deep link never meets "Page not found"; pages the visitor may not
    open are hidden from the menu (and the frame shows the sign-in form instead of them). Visitors see one discreet
    "sign in" entry in place of the editors' and organisers' sections.
    """
    plan: dict[str, list[MenuEntry]] = {}
    for section in SECTIONS:
        entries = []
        for p in PAGES:
            if p.section != section:
                continue
            signin_entry = role is None and p.url_path == SIGNIN_URL_PATH
            visible = not p.roles or (role in p.roles) or signin_entry
            entries.append(MenuEntry(p, t("page.signin" if signin_entry else p.title_key, lang), visible))
        if entries:
            plan[t("nav.staff" if role is None and section == "editors" else f"nav.{section}", lang)] = entries
    return plan


def build_navigation(lang: str, role: str | None = None) -> dict[str, list]:
    """:func:`menu_plan` as st.Page objects for st.navigation."""
    return {
        heading: [
            st.Page(str(HERE / e.spec.script), title=e.title, icon=e.spec.icon, url_path=e.spec.url_path or None,
                    default=e.spec.default, visibility="visible" if e.visible else "hidden")
            for e in entries
        ]
        for heading, entries in menu_plan(lang, role).items()
    }


def landing_page(spec: PageSpec | None, role: str) -> PageSpec | None:
    """Where a sign-in started on ``spec`` lands for an account with ``role``: that page when the role may use it,
    otherwise the first staff page (menu order) the role may use -- so an organiser who signed in on the editor desk's
    form opens the race planner, not "this page needs an editor account"."""
    if spec is None or not spec.roles or role in spec.roles:
        return spec
    return next((p for p in PAGES if p.roles and role in p.roles), spec)


def _spec_for(page: object) -> PageSpec | None:
    url_path = getattr(page, "url_path", "") or ""
    return next((p for p in PAGES if p.url_path == url_path), None)


def run_frame() -> None:
    """One run of the Streamlit script: the frame around whichever page the URL names."""
    from pages._shared import store_or_stop
    from pages.editor_common import (
        LANDING_KEY,
        NEXT_KEY,
        account_sidebar,
        current_session,
        finish_oidc_sign_in,
        pending_redirect,
        signin_form,
    )
    from routes.web.a11y import NOT_FOUND_PARAM

    st.set_page_config(page_title="天香骑行导览 · Tianxiang Cycling Guide", page_icon="🚴", layout="wide")
    lang = apply_language()
    st.session_state[LANG_STATE_KEY] = lang
    store = store_or_stop(lang)
    pending_redirect()
    sess = current_session(store)
    page = st.navigation(build_navigation(lang, sess.role if sess else None), position="sidebar")
    page_shell(lang, page=page.url_path or "", title=page.title)
    spec = _spec_for(page)
    st.session_state[NEXT_KEY] = f"/{spec.url_path if spec else ''}?lang={lang}"
    st.session_state[LANDING_KEY] = {role: f"/{getattr(landing_page(spec, role), 'url_path', '')}?lang={lang}"
                                     for role in SIGNIN_ROLES}
    if sess is None:
        finish_oidc_sign_in(store, lang)  # back from st.login on whatever page: into the same cookie session
    if sess is not None:
        account_sidebar(sess, lang)
    if st.query_params.get(NOT_FOUND_PARAM):
        # Sent here from a path that names no page (routes/web/a11y.py): say so once, in the page's language.
        st.info(t("page.not_found", lang), icon=":material/explore_off:")
        del st.query_params[NOT_FOUND_PARAM]
    if spec is not None and spec.roles and sess is None:
        # A visitor's deep link to a staff page: the sign-in form, which returns to that page afterwards.
        signin_form(store, lang)
    else:
        page.run()
    footer(lang)


if __name__ == "__main__":
    # Streamlit runs this file as __main__ for every session rerun (and AppTest does the same).
    run_frame()
else:
    # Imported by `streamlit run app.py` (which finds this st.App and serves it with uvicorn) or by any ASGI server:
    # the app's own HTTP routes (light public pages, sign-in cookie, ...) and middleware sit next to Streamlit's.
    from pages._safety import on_script_error
    from routes.web import build_middleware, build_routes

    # The page paths let a path naming no page reach the home page with a note in its language, not Streamlit's
    # English "Page not found" dialog over it.
    middleware = build_middleware(page_paths=frozenset(p.url_path for p in PAGES if not p.default),
                                  home_paths=frozenset(p.url_path for p in PAGES if p.default),
                                  base_path=st.get_option("server.baseUrlPath") or "")
    app = st.App(str(HERE / "app.py"), routes=build_routes(), middleware=middleware, on_script_error=on_script_error)
