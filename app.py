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
from routes.i18n import t  # noqa: E402


@dataclass(frozen=True)
class PageSpec:
    section: str  # "cyclists", "editors" or "organisers" (nav.<section> is the heading)
    script: str  # path relative to this file
    url_path: str  # "" only for the default page
    title_key: str
    icon: str
    default: bool = False


#: Every page of the app. A new page is one line here (its strings go in routes/strings_<area>.py).
PAGES: tuple[PageSpec, ...] = (
    PageSpec("cyclists", "pages/catalogue.py", "catalogue", "page.catalogue", ":material/directions_bike:", default=True),
    PageSpec("cyclists", "pages/route.py", "route", "page.route", ":material/route:"),
    PageSpec("cyclists", "pages/pois.py", "pois", "page.pois", ":material/place:"),
    PageSpec("editors", "pages/editor.py", "editor", "page.editor_home", ":material/edit_note:"),
    PageSpec("editors", "pages/editor_routes.py", "editor_routes", "page.editor_routes", ":material/edit_road:"),
    PageSpec("editors", "pages/editor_pois.py", "editor_pois", "page.editor_pois", ":material/add_location_alt:"),
    PageSpec("editors", "pages/editor_admin.py", "editor_admin", "page.editor_admin", ":material/manage_accounts:"),
    PageSpec("organisers", "pages/race.py", "race", "race.page.title", ":material/sports_score:"),
)
SECTIONS = ("cyclists", "editors", "organisers")


def build_navigation(lang: str) -> dict[str, list]:
    nav: dict[str, list] = {}
    for section in SECTIONS:
        pages = [
            st.Page(
                str(HERE / p.script), title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path or None,
                default=p.default,
            )
            for p in PAGES
            if p.section == section
        ]
        if pages:
            nav[t(f"nav.{section}", lang)] = pages
    return nav


def run_frame() -> None:
    """One run of the Streamlit script: the frame around whichever page the URL names."""
    st.set_page_config(page_title="天香骑行导览 · Tianxiang Cycling Guide", page_icon="🚴", layout="wide")
    lang = apply_language()
    st.session_state[LANG_STATE_KEY] = lang
    page = st.navigation(build_navigation(lang), position="sidebar")
    page_shell(lang, page=page.url_path or "", title=page.title)
    page.run()
    footer(lang)


if __name__ == "__main__":
    # Streamlit runs this file as __main__ for every session rerun (and AppTest does the same).
    run_frame()
else:
    # Imported by `streamlit run app.py` (which finds this st.App and serves it with uvicorn) or by any ASGI server:
    # the app's own HTTP routes (light public pages, sign-in cookie, ...) and middleware sit next to Streamlit's.
    from routes.web import build_middleware, build_routes

    app = st.App(str(HERE / "app.py"), routes=build_routes(), middleware=build_middleware())
