"""Streamlit helpers every page shares: language, store handle, notices, footer, map rendering."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import streamlit as st

from routes.text.i18n import DEFAULT_LANG, LANGS, resolve_lang, t

#: Session key holding the language, so it survives page switches (st.navigation drops query parameters).
LANG_STATE_KEY = "guide_lang"
_LANG_WIDGET_KEY = "guide_lang_switch"
#: Map heights in CSS pixels: a phone shows the map and the start of the profile on one screen.
MAP_HEIGHT_PX = 460
OVERVIEW_MAP_HEIGHT_PX = 420


def _on_lang_switch() -> None:
    chosen = st.session_state.get(_LANG_WIDGET_KEY) or DEFAULT_LANG
    st.session_state[LANG_STATE_KEY] = chosen
    st.query_params["lang"] = chosen


def apply_language() -> str:
    """The visitor's language: ?lang= first, then this session's choice, then Chinese; kept in the URL."""
    if "lang" in st.query_params:
        lang = resolve_lang(st.query_params.get("lang"))
    else:
        lang = resolve_lang(st.session_state.get(LANG_STATE_KEY, DEFAULT_LANG))
    st.session_state[LANG_STATE_KEY] = lang
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    st.session_state[_LANG_WIDGET_KEY] = lang
    with st.sidebar:
        st.markdown(f"### {t('app.title', lang)}")
        st.caption(t("app.tagline", lang))
        st.segmented_control(
            t("lang.label", lang), LANGS, key=_LANG_WIDGET_KEY, required=True,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code], on_change=_on_lang_switch,
        )
    return lang


#: The frame every page runs inside (app.py at the top of the project).
APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"


def _leave_pages_directory_mode() -> None:
    """Make a page opened by direct URL on a fresh server run through app.py's frame.

    Until some session has run app.py's st.navigation, Streamlit treats the pages/ folder (whose name the design card
    fixes) as an old-style multipage app and runs pages/route.py on its own for /route: no language, no frame, and a
    sidebar listing every file. Streamlit offers no switch for this, so we clear its process-wide flag (the same one
    st.navigation clears) and run the frame right here, in this same script run, rather than asking for a rerun: a
    rerun would drop what the visitor just did (a click, a submitted form). The frame then runs this page for the URL
    (each page's URL path is its file name, so the page is found) and this bare run of the file ends.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()


def current_lang() -> str:
    """The language app.py chose for this run (every page calls this first)."""
    _leave_pages_directory_mode()
    return resolve_lang(st.session_state.get(LANG_STATE_KEY, DEFAULT_LANG))


@st.cache_resource(show_spinner=False)
def _store_for(url: str):
    from routes.store import open_store

    return open_store(url or None)


def get_store():
    """One store per process and database URL (it holds a connection pool); the first call on a new database creates
    and seeds it, so `streamlit run app.py` works on a fresh checkout."""
    return _store_for(os.environ.get("GUIDE_DATABASE_URL", ""))


def store_or_stop(lang: str):
    from routes.core.errors import GuideError

    try:
        return get_store()
    except GuideError as exc:
        st.error(exc.message(lang))
        st.stop()


def illustrative_notice(lang: str, records: object) -> None:
    """A visible notice when any shown record is illustrative seed data."""
    if any(getattr(r, "illustrative", False) for r in records):
        st.warning(t("notice.illustrative", lang), icon=":material/info:")


def page_shell(lang: str, *, page: str, title: str) -> None:
    """The document around the page: its title, language, the phone menu behaviour and the shared style sheet.

    The script sits in the sidebar (an element with a script takes a line of layout there, not in the page); its text
    changes with the page and language, so Streamlit re-runs it after each navigation.
    """
    from routes.web.pageshell import shell_script, shell_style

    st.set_page_config(page_title=f"{title} · {t('app.title', lang)}")
    st.html(shell_style())
    with st.sidebar:
        st.html(shell_script(lang, page=page), unsafe_allow_javascript=True)


def footer(lang: str) -> None:
    st.divider()
    st.caption(t("footer.attribution", lang))


def tianditu_key() -> str:
    """The Tianditu key from GUIDE_TIANDITU_KEY or st.secrets; "" when none is configured."""
    key = os.environ.get("GUIDE_TIANDITU_KEY", "")
    if key:
        return key
    try:
        return str(st.secrets.get("GUIDE_TIANDITU_KEY", "") or st.secrets.get("tianditu_key", ""))
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        return ""


def show_map(m: object, *, key: str, height: int = MAP_HEIGHT_PX, returned_objects: tuple[str, ...] = ()):
    """Render a folium map through streamlit-folium (only the app's own /app/static assets) between a skip link and
    its target; returns what streamlit-folium returns (``returned_objects`` names the events the page needs)."""
    from streamlit_folium import st_folium

    lang = current_lang()
    # A keyboard user otherwise tabs through every marker and control inside the map before reaching the page again.
    target = f"after-{key}".replace("_", "-")
    st.markdown(f'<a class="guide-skip" href="#{target}">{t("a11y.skip_map", lang)}</a>', unsafe_allow_html=True)
    result = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=list(returned_objects))
    st.markdown(
        f'<span id="{target}" tabindex="-1" class="guide-sr-only">{t("a11y.after_map", lang)}</span>',
        unsafe_allow_html=True,
    )
    return result


def show_static_map(m: object, *, key: str, height: int = MAP_HEIGHT_PX) -> None:
    """Render a folium map that returns nothing to the page as a plain iframe (srcdoc) between a skip link and its
    target. It draws as soon as it arrives: streamlit-folium's component first boots a script bundle of its own in
    its frame, which kept the editor's upload preview blank for 15 s after the report (docs/performance.md). The
    map's HTML is the app's own (routes.views.maps escapes every text taken from a file)."""
    from routes.views.maps import map_html

    lang = current_lang()
    target = f"after-{key}".replace("_", "-")
    st.markdown(f'<a class="guide-skip" href="#{target}">{t("a11y.skip_map", lang)}</a>', unsafe_allow_html=True)
    st.iframe(map_html(m), height=height)
    st.markdown(
        f'<span id="{target}" tabindex="-1" class="guide-sr-only">{t("a11y.after_map", lang)}</span>',
        unsafe_allow_html=True,
    )


def show_map_clicks(m: object, *, key: str, height: int = MAP_HEIGHT_PX) -> tuple[float, float] | None:
    """Like show_map, but returns a new click on the map as (lat, lon) once; None when nothing new was clicked.

    st_folium keeps returning the last click on every rerun, so the click already acted on is remembered in the
    session and not returned again (a rerun for another widget must not move the marker back).
    """
    got = show_map(m, key=key, height=height, returned_objects=("last_clicked",))
    click = (got or {}).get("last_clicked")
    if not click:
        return None
    point = (float(click["lat"]), float(click["lng"]))
    seen_key = f"{key}__seen_click"
    if st.session_state.get(seen_key) == point:
        return None
    st.session_state[seen_key] = point
    return point


#: Streamlit counts upload limits in megabytes of 2**20 bytes (the app's limits are whole multiples of it).
UPLOAD_MB = 1024 * 1024
#: The uploader's own texts ("Upload", "50MB per file") are English with no option to change them; this replaces the
#: button's word with ours and hides the size line (every label of ours says its limit). The word drawn here is kept
#: out of the button's accessible name (content: "..." / ""): the page script (routes/web/pageshell.py) writes the same
#: word into the button, so a screen reader says it once. The selectors are Streamlit 1.67's test ids, pinned with it
#: in requirements.txt. (The texts shown while a file is dragged over or refused are the page script's too.)
_UPLOADER_CSS = """<style>
section[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{font-size:0}}
section[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after
  {{content:"{button}" / "";font-size:1rem}}
[data-testid="stFileUploaderDropzoneInstructions"] {{display:none}}
</style>"""


def _css_text(text: str) -> str:
    return text.replace("\\", "").replace('"', "").replace("<", "").replace("\n", " ")


def file_uploader(label: str, *, lang: str, key: str, max_bytes: int, help: str | None = None,
                  type: list[str] | None = None):
    """st.file_uploader speaking the page's language, refusing files over ``max_bytes`` in the browser already
    (the same limit the app enforces, so the two never disagree)."""
    st.html(_UPLOADER_CSS.format(button=_css_text(t("upload.button", lang))))
    return st.file_uploader(label, key=key, help=help, type=type, max_upload_size=max(1, max_bytes // UPLOAD_MB))


def route_page_link(slug: str, label: str, lang: str, *, icon: str | None = None) -> None:
    st.page_link("pages/route.py", label=label, icon=icon, query_params={"id": slug, "lang": lang})


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_text(text: str) -> str:
    """Editor-written text made literal for st.markdown/st.subheader (no Markdown, no HTML, no links)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def facts_grid_html(facts: list[tuple[str, str]], *, min_col_px: int | None = None) -> str:
    """Label/value pairs in a grid that never truncates (st.metric cuts values in narrow columns and stacks them one
    per row on a phone). Fixed two columns, or as many ``min_col_px``-wide columns as fit."""
    import html

    cols = f"repeat(auto-fill,minmax({min_col_px}px,1fr))" if min_col_px else "1fr 1fr"
    cells = "".join(
        f'<div><div class="guide-secondary" style="font-size:.8rem">{html.escape(label)}</div>'
        f'<div style="font-size:1.15rem;font-weight:600">{html.escape(value)}</div></div>'
        for label, value in facts
    )
    return f'<div class="route-facts" style="display:grid;grid-template-columns:{cols};gap:6px 12px">{cells}</div>'


#: st.dataframe row height and header in CSS pixels, to size a table so all its rows show without inner scrolling.
TABLE_ROW_PX = 35
TABLE_MAX_PX = 600


def table_height(rows: int) -> int:
    return min(TABLE_MAX_PX, (rows + 1) * TABLE_ROW_PX + 3)
