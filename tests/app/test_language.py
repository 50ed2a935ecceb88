"""Every page reads in one language: no stray English on a Chinese page, no Chinese on an English page (AppTest).

What is scanned: titles, headings, text, captions, messages, every widget's label, placeholder, help and options as
shown, and table headings. Allowed on a Chinese page: file formats, standards and units that have no Chinese form
(GPX, WGS-84, MB, ...), the app's English brand line, and names that are data (English route and place names).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routes.store import open_store
from routes.store.auth import sign_in  # a real stored session (AppTest has no cookie)

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 120
PASSWORD = "correct horse battery"
#: Latin words a Chinese page may show: formats, standards, units without a Chinese form, brand and map names.
ALLOWED_LATIN = {
    "GPX",
    "FIT",
    "TCX",
    "KML",
    "KMZ",
    "BD",
    "PDF",
    "PNG",
    "CSV",
    "GeoJSON",
    "JPEG",
    "WebP",
    "MB",
    "KB",
    "WGS",
    "GCJ",
    "UTC",
    "URL",
    "OpenStreetMap",
    "OSM",
    "Tianxiang",
    "Cycling",
    "Guide",
    "English",
    "QR",
    "HC",
    "KOM",
    "DEM",
    "SRTM",
    "OIDC",
    "http",
    "https",
    "Strava",
    "Garmin",
    "Leaflet",
    "Amap",
    "Tianditu",
    "Cat",
    "ODbL",
    "OpenTopoMap",
    "CC",
    "BY",
    "SA",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
CJK = re.compile(r"[\u4e00-\u9fff]")
PAGES = (
    "pages/catalogue.py",
    "pages/pois.py",
    "pages/race.py",
    "pages/editor.py",
    "pages/editor_routes.py",
    "pages/editor_pois.py",
    "pages/editor_admin.py",
)


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('language') / 'guide.db'}"
    open_store(url).add_user("root", PASSWORD, "admin")
    return url


def _run(db_url, monkeypatch, page: str, lang: str) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    at.session_state["editor_session"] = sign_in(open_store(db_url), "root", PASSWORD)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


#: Inputs for text in one given language (a Chinese name field on an English page): their values and placeholders
#: are content in that language, not page text; web names (slugs) are Latin by design.
ONE_LANGUAGE_INPUTS = re.compile(r"(_zh|_en|^race_name|_slug)$")


def _shown_texts(at: AppTest) -> list[str]:
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
        "latex",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "time_input",
        "selectbox",
        "multiselect",
        "radio",
        "select_slider",
        "slider",
        "color_picker",
    ):
        for w in getattr(at, kind):
            texts.append(str(getattr(w, "label", "") or ""))
            texts.append(str(getattr(w, "help", "") or ""))
            proto = getattr(w, "proto", None)
            if ONE_LANGUAGE_INPUTS.search(str(getattr(w, "key", "") or "")):
                continue
            if proto is not None and hasattr(proto, "placeholder"):
                texts.append(str(proto.placeholder))
            if kind in ("selectbox", "multiselect", "radio") and proto is not None:
                texts += [str(o) for o in proto.options]
    for df in (*at.dataframe, *at.table):
        texts += [str(c) for c in df.value.columns]
    for e in at.get("download_button"):
        texts.append(str(e.proto.label))
    for e in at.get("file_uploader"):
        texts.append(str(e.proto.label))
    return [t for t in texts if t.strip()]


def facts_texts(facts, lang: str) -> list[str]:
    """The route facts' texts in ``lang`` (the editor's table shows both languages' side by side: they are data)."""
    texts = [facts.getting_there.get(lang), facts.season.get(lang)]
    for s in facts.stretches:
        texts.append(s.road.get(lang))
        if s.warning is not None:
            texts.append(s.warning.text.get(lang))
    return [x for x in texts if x]


def _data_names(db_url: str) -> set[str]:
    """Names that are data, shown as they are in both languages (route and place names, account names)."""
    store = open_store(db_url)
    words: set[str] = {"root"}
    for r in store.list_routes(status=None):
        words.update(LATIN_WORD.findall(r.name_en))
        words.add(r.slug)
        words.update(r.slug.split("-"))
        for word in LATIN_WORD.findall(" ".join(facts_texts(r.facts, "en"))):
            words.update(word.strip("-").split("-"))  # checked part by part ("tea-picking")
    for p in store.list_pois(include_deleted=True):
        words.update(LATIN_WORD.findall(p.name_en))
    return words


@pytest.mark.parametrize("page", PAGES)
def test_chinese_page_has_no_stray_english(db_url, monkeypatch, page):
    at = _run(db_url, monkeypatch, page, "zh")
    allowed = ALLOWED_LATIN | _data_names(db_url)
    stray = {}
    for text in _shown_texts(at):
        # URLs, colour codes and Markdown escapes are not words a reader reads
        plain = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", text, flags=re.S)  # markup is not read, its text is
        plain = re.sub(r"https?://\S+|#[0-9a-fA-F]{3,6}|:material/[a-z_]+:|\\", " ", plain)
        bad = [w for w in LATIN_WORD.findall(plain) if not all(part in allowed for part in w.strip("-").split("-"))]
        if bad:
            stray[text[:80]] = bad
    assert not stray, stray


@pytest.mark.parametrize("page", PAGES)
def test_english_page_has_no_chinese(db_url, monkeypatch, page):
    at = _run(db_url, monkeypatch, page, "en")
    store = open_store(db_url)
    data_zh = {r.name_zh for r in store.list_routes(status=None)} | {p.name_zh for p in store.list_pois()}
    leaks = []
    for text in _shown_texts(at):
        if text in ("中文",) or text in data_zh:  # the language switch offers Chinese by its own name
            continue
        if CJK.search(text):
            leaks.append(text[:120])
    assert not leaks, leaks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamlit_widgets_never_show_their_own_english(db_url, monkeypatch, lang):
    """An empty placeholder makes Streamlit show "Choose options"; an uploader without its own limit shows the
    server's "50MB per file" next to our "at most 20 MB"."""
    uploaders = 0
    for page in PAGES:
        at = _run(db_url, monkeypatch, page, lang)
        for w in at.multiselect:
            assert w.proto.placeholder, (page, w.label)
        for w in at.selectbox:
            if w.index is None:
                assert w.proto.placeholder, (page, w.label)
            # an option shown as "" looks like nothing chosen, and Streamlit writes "Choose an option" there
            assert all(str(o).strip() for o in w.proto.options), (page, w.label, list(w.proto.options))
        for e in at.get("file_uploader"):
            uploaders += 1
            limit = re.search(r"(\d+) MB", e.proto.label)
            assert limit and int(limit.group(1)) == e.proto.max_upload_size_mb, (page, e.proto.label)
    assert uploaders >= 1
