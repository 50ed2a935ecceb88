"""Every page reads in one language in a real browser: nothing on a Chinese page is English, nothing on an English page
is Chinese -- including what Streamlit's own frontend writes, which the AppTest sweep (tests/app/test_language.py)
cannot see: placeholders, tooltips, accessible names and titles, input hints ("Press Enter to apply"), dropdowns and
their empty states, date, time and number inputs, table toolbars, and the map and profile viewers inside iframes.

What is read on each page, in every same-origin frame: the visible text (the sidebar too; an icon font's ligature
names such as "directions_bike" are pictures, not words), the aria-label, title, placeholder, alt, aria-valuetext and
other accessible-text attributes of visible elements, SVG titles, the cells of tables drawn on a canvas (kept in the
canvas for screen readers), and the document title. Then the page is used a little and read again each time: every
expander and tab opened, the main menu (when there is one), a dropdown and its "nothing found" state, the date
picker, a help tooltip, a table's toolbar buttons (their tooltips, the column chooser, the search bar finding
nothing, the full-screen view), each basemap of a map (its attribution changes), and an input with something typed
but not yet applied.

Allowed, as in the AppTest sweep: its list of Latin words (formats, units, brand and map names), route, place and
account names (data), the values and placeholders of one-language fields (an English name quoted on a Chinese page),
URLs and file names, the key name "Ctrl", and the language switch's "中文" on an English page.

Each page is opened in a browser set to the *other* language (an English-speaking visitor landing on the default
Chinese page, a Chinese browser switched to English): whatever Streamlit takes from the browser's locale must follow
the page, not the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from harness import (
    DESKTOP,
    PHONE,
    GuideServer,
    open_context,
    open_page,
    screenshot,
    start_server,
    stop_server,
    wait_for_app,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from routes.store import open_store
from routes.views.editing import field_label
from tests.app.test_language import ALLOWED_LATIN, LATIN_WORD, ONE_LANGUAGE_INPUTS, _data_names, facts_texts

pytestmark = pytest.mark.e2e

#: The admin account (an account name is data, shown as it is; the AppTest sweep allows "root" the same way).
ADMIN, PASSWORD = "root", "correct horse battery"
#: What a visitor can open: the catalogue, a route, the places, and the sign-in form (the editor desk's URL).
VISITOR_PAGES = ("", "route?id=tianxiang", "pois", "editor")
#: What the admin sees once signed in: every staff page (the sidebar names the account and its role on each), the
#: route editor both for a new route (the uploader) and for a published one (details form, history).
STAFF_PAGES = ("editor", "editor_routes", "editor_routes?slug=tianxiang", "editor_pois", "editor_admin", "race")
#: On a phone: the catalogue, and a route page with its viewer and then its menu opened.
PHONE_PAGES = ("", "route?id=tianxiang")
#: The browser's own language for a page in each language: the other one (see the module's docstring).
BROWSER_LOCALE = {"zh": "en-US", "en": "zh-CN"}
#: CJK ideographs (with extension A and compatibility forms), CJK punctuation and full-width forms.
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
#: What an English page may show in Chinese: the language switch names each language in itself.
ENGLISH_PAGE_CHINESE_OK = {"中文"}
#: Beyond the AppTest sweep's list: the name printed on a key ("按 Ctrl+回车键应用", "按住 Ctrl 键并滚动可缩放地图").
KEY_NAMES = {"Ctrl"}
#: How Streamlit 1.67 draws the download icon of a table's toolbar (its buttons have no test id of their own).
DOWNLOAD_ICON = "M18 15v3H6v-3H4v3"
#: A record's text in one given language (names, descriptions, opening hours): quoted in a change summary
#: ("英文名称：Tea stop"), its value is content in that language, not page text -- the same exception the AppTest sweep
#: makes for the inputs that hold it.
ONE_LANGUAGE_FIELDS = ("name_zh", "name_en", "desc_zh", "desc_en", "hours", "hours_zh", "hours_en")
#: A file's name is data (what the editor uploaded), like a URL.
FILE_NAME = re.compile(r"[\w.-]+\.(?:gpx|fit|tcx|csv|geojson|json|png|jpe?g|webp|pdf)\b", re.IGNORECASE)
#: Typed into a dropdown's search to make it say that nothing matches.
NO_MATCH = "qqqqzzzz"

#: Reads one frame: visible text nodes (skipping icon-font ligatures), accessible-text attributes of visible
#: elements, SVG titles and descriptions. Each item: [kind, text, where (nearest data-testid or tag.class), widget key
#: (Streamlit's st-key-<key> class of the element's container, "" if none)].
COLLECT_JS = r"""
() => {
  const out = [];
  const ATTRS = ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext', 'aria-description',
                 'aria-roledescription', 'aria-placeholder'];
  const ICON_FONT = /Material (Symbols|Icons)/;
  const visible = el => el.checkVisibility({visibilityProperty: true});
  const where = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const id = e.getAttribute('data-testid');
      if (id) { return id; }
    }
    const cls = el && typeof el.className === 'string' ? el.className.split(' ')[0] : '';
    return el ? el.tagName.toLowerCase() + (cls ? '.' + cls : '') : '?';
  };
  const key = el => {
    const holder = el.closest('[class*="st-key-"]');
    const m = holder && / st-key-(\S+)/.exec(' ' + holder.className);
    return m ? m[1] : '';
  };
  if (!document.body) { return out; }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('script, style, noscript, template, textarea')) { continue; }
    if (!visible(el) || ICON_FONT.test(getComputedStyle(el).fontFamily)) { continue; }
    const range = document.createRange();
    range.selectNodeContents(n);
    if (!range.getClientRects().length) { continue; }
    out.push(['text', text, where(el), key(el)]);
  }
  for (const name of ATTRS) {
    document.querySelectorAll('[' + name + ']').forEach(el => {
      const value = (el.getAttribute(name) || '').trim();
      if (value && visible(el)) { out.push([name, value, where(el), key(el)]); }
    });
  }
  // A table drawn on a canvas (st.dataframe) keeps its cells as the canvas's fallback content, for screen readers.
  document.querySelectorAll('canvas').forEach(canvas => {
    if (!visible(canvas)) { return; }
    canvas.querySelectorAll('th, td, [role="columnheader"], [role="gridcell"]').forEach(cell => {
      const value = cell.textContent.trim();
      if (value) { out.push(['table cell', value, where(canvas), key(canvas)]); }
    });
  });
  document.querySelectorAll('svg title, svg desc').forEach(el => {
    const value = el.textContent.trim();
    if (value) { out.push(['svg ' + el.tagName.toLowerCase(), value, where(el.parentElement), '']); }
  });
  return out;
}
"""


@dataclass(frozen=True)
class Seen:
    """One piece of text a reader meets: on which page and in what state, what kind, the text, where."""

    page: str
    kind: str
    text: str
    where: str
    key: str = ""

    def __str__(self) -> str:
        key = f" (key {self.key})" if self.key else ""
        return f"{self.page} | {self.kind} @ {self.where}{key}: {self.text[:160]!r}"


@pytest.fixture(scope="module")
def sweep_server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    """A server of its own with one admin account (the admin sees every staff page)."""
    tmp = tmp_path_factory.mktemp("language-sweep")
    server = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user(ADMIN, PASSWORD, "admin")
    yield server
    stop_server(server)


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _frames(page, base_url: str) -> list:
    """The page and every same-origin frame shown on it (the map, the route viewer, ...)."""
    frames = [page.main_frame]
    for frame in page.frames[1:]:
        if not (frame.url.startswith(base_url) or frame.url.startswith("about:")):
            continue
        try:
            if frame.frame_element().is_visible():
                frames.append(frame)
        except Exception:  # noqa: BLE001 - a frame detached while we looked
            continue
    return frames


def _frame_name(page, frame, base_url: str) -> str:
    return "" if frame is page.main_frame else f" [frame {frame.url.split('?')[0].removeprefix(base_url)}]"


def _read_frame(page, frame, base_url: str, label: str) -> list[Seen]:
    name = label + _frame_name(page, frame, base_url)
    return [Seen(name, kind, text, where, key) for kind, text, where, key in frame.evaluate(COLLECT_JS)]


def _read(page, base_url: str, label: str) -> list[Seen]:
    seen = [Seen(label, "document title", page.title(), "title")]
    for frame in _frames(page, base_url):
        seen += _read_frame(page, frame, base_url, label)
    return seen


def _visible(locator) -> list:
    return [locator.nth(i) for i in range(locator.count()) if locator.nth(i).is_visible()]


#: Every table shown has drawn its cells (a table drawn on a canvas fills it when it first becomes visible).
TABLES_DRAWN_JS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
    .filter(t => t.checkVisibility()).every(t => t.querySelector('canvas th, canvas td'))"""


def _settle(page) -> None:
    """Let the page script's observer translate what just appeared (it runs on the next animation frame), and tables
    that just became visible draw their cells."""
    page.wait_for_function(TABLES_DRAWN_JS, timeout=10_000)
    page.wait_for_timeout(150)


def _open_dropdown(page, box) -> None:
    """Open a select box's or multiselect's list (a second try by keyboard if the click did not open it)."""
    listbox = page.locator('[role="listbox"]:visible').first
    box.click()
    try:
        listbox.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        box.focus()
        page.keyboard.press("ArrowDown")
        listbox.wait_for(timeout=10_000)
    _settle(page)


def _escape(page) -> None:
    page.keyboard.press("Escape")
    _settle(page)


def _read_popup(page, base_url: str, label: str, test_id: str, *, close) -> list[Seen]:
    """What the page says once the popup just asked for (the element with ``test_id``) is open; then ``close(page)``."""
    page.locator(f'[data-testid="{test_id}"]').first.wait_for()
    _settle(page)
    seen = _read(page, base_url, label)
    close(page)
    return seen


def _sweep_basemaps(page, base_url: str, label: str) -> list[Seen]:
    """Every basemap of every map on the page, chosen in turn: the layer list and each attribution."""
    seen: list[Seen] = []
    for frame in _frames(page, base_url)[1:]:
        control = frame.locator(".leaflet-control-layers")
        if not control.count():
            continue
        radios = frame.locator(".leaflet-control-layers-base input")
        for i in range(radios.count()):
            control.first.hover()
            radios.nth(i).check(force=True)
            _settle(page)
            seen += _read_frame(page, frame, base_url, f"{label} [basemap {i + 1}]")
        control.first.hover()
        radios.first.check(force=True)
        page.mouse.move(0, 0)
    return seen


def _sweep(page, base_url: str, path: str, *, basemaps: bool = True, use: bool = True) -> list[Seen]:
    """Everything a reader meets on the page at ``path``, as it opens and while it is used a little (``use``; without
    it only the expanders and tabs are opened)."""
    label = f"/{path}"
    seen: list[Seen] = []
    main = page.locator('[data-testid="stMain"]')
    # Expanders open (client-side only: the page does not run again). One at a time, the first closed one each time:
    # an opened expander leaves the ":not([open])" list, so positions taken before the first click move.
    closed = main.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for _ in range(closed.count()):
        still = _visible(closed)
        if not still:
            break
        still[0].click()
    _settle(page)
    seen += _read(page, base_url, label)
    # Every tab after the first.
    tabs = _visible(main.get_by_role("tab"))
    for tab in tabs[1:]:
        tab.click()
        _settle(page)
        seen += _read(page, base_url, f"{label} [tab {tab.inner_text().strip()}]")
    if tabs:
        tabs[0].click()
    if not use:
        return seen
    # The main menu (top right), when the toolbar mode shows one.
    menu = page.locator('[data-testid="stMainMenu"] button')
    if menu.count() and menu.first.is_visible():
        menu.first.click()
        seen += _read_popup(page, base_url, f"{label} [main menu]", "stMainMenuList", close=_escape)
    # A dropdown, open, and the same dropdown searching for something it does not have.
    for widget in ("stSelectbox", "stMultiSelect"):
        boxes = _visible(main.locator(f'[data-testid="{widget}"] input'))
        if not boxes:
            continue
        _open_dropdown(page, boxes[0])
        seen += _read(page, base_url, f"{label} [{widget} open]")
        page.keyboard.type(NO_MATCH)
        _settle(page)
        seen += _read(page, base_url, f"{label} [{widget} no match]")
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        _settle(page)
    # The date picker's calendar.
    calendars = _visible(main.locator('[data-testid="stDateInputCalendarButton"]'))
    if calendars:
        calendars[0].click()
        seen += _read_popup(page, base_url, f"{label} [calendar]", "stDateInputCalendar", close=_escape)
    # A help tooltip (the "?" beside a label).
    helps = _visible(main.locator('[data-testid="stTooltipIcon"] [data-testid="stTooltipHoverTarget"]'))
    if helps:
        helps[0].hover()
        seen += _read_popup(page, base_url, f"{label} [tooltip]", "stTooltipContent",
                            close=lambda p: p.mouse.move(0, 0))
    # A table's toolbar (shown while the pointer is over the table): each button's tooltip, and what it opens (the
    # column chooser, the search bar finding nothing, the full-screen view). Not the CSV download: a file, not text.
    tables = _visible(main.locator('[data-testid="stDataFrame"]'))
    if tables:
        buttons = tables[0].locator('[data-testid="stElementToolbar"] button')
        tables[0].hover()
        buttons.first.wait_for()
        for i in range(buttons.count()):
            tables[0].hover()
            button = buttons.nth(i)
            button.hover()
            page.locator('[data-testid="stTooltipContent"]').first.wait_for()
            _settle(page)
            name = f"{label} [table button {i + 1}]"
            seen += _read(page, base_url, name)
            if button.locator(f'path[d^="{DOWNLOAD_ICON}"]').count():
                continue
            button.click()
            _settle(page)
            if page.evaluate("() => document.activeElement?.getAttribute('data-testid') === 'search-input'"):
                page.keyboard.type(NO_MATCH)
                _settle(page)
            seen += _read(page, base_url, f"{name} clicked")
            page.keyboard.press("Escape")
            _settle(page)
        page.mouse.move(0, 0)
    if basemaps:
        seen += _sweep_basemaps(page, base_url, label)
    # What an input says while something typed in it is not yet applied; then its value is put back as it was.
    for widget in ("stTextInput", "stTextArea", "stNumberInput"):
        inputs = _visible(main.locator(f'[data-testid="{widget}"] input:not([type="password"]), '
                                       f'[data-testid="{widget}"] textarea'))
        if not inputs:
            continue
        before = inputs[0].input_value()
        inputs[0].click()
        page.keyboard.type("7")
        _settle(page)
        seen += _read(page, base_url, f"{label} [{widget} typing]")
        inputs[0].fill(before)
        _settle(page)
    return seen


def _first_places(seen: list[Seen]) -> list[tuple[Seen, int]]:
    """Each distinct (kind, text, where, key) once, where it was first met, with how many more times it was met."""
    first: dict[tuple[str, str, str, str], list] = {}
    for s in seen:
        entry = first.setdefault((s.kind, s.text, s.where, s.key), [s, -1])
        entry[1] += 1
    return [(s, more) for s, more in first.values()]


def _describe(s: Seen, more: int, detail: str = "") -> str:
    return f"{s}{detail}" + (f"  (and {more} more time(s))" if more else "")


def _is_content(s: Seen) -> bool:
    """The placeholder of an input for text in one given language (a Chinese name field on an English page, a web
    name): content in that language, not page text -- the same exception as the AppTest sweep's."""
    return s.kind == "placeholder" and bool(ONE_LANGUAGE_INPUTS.search(s.key))


def _without_content(text: str, lang: str) -> str:
    """``text`` without what is data rather than page text: URLs, colour codes, file names, and the quoted values of
    one-language fields in a change summary ("label：value；" in Chinese, "label: value; " in English)."""
    labels = "|".join(re.escape(field_label(f, lang)) for f in ONE_LANGUAGE_FIELDS)
    quoted = rf"(?:{labels})：[^；]*" if lang == "zh" else rf"(?:{labels}): [^;]*"
    text = re.sub(quoted, " ", text)
    return FILE_NAME.sub(" ", re.sub(r"https?://\S+|#[0-9a-fA-F]{3,6}\b", " ", text))


def _chinese_page_offenders(seen: list[Seen], allowed: set[str]) -> list[str]:
    offenders = []
    for s, more in _first_places(seen):
        if _is_content(s):
            continue
        plain = _without_content(s.text, "zh")
        bad = [w for w in LATIN_WORD.findall(plain) if not all(part in allowed for part in w.strip("-").split("-"))]
        if bad:
            offenders.append(_describe(s, more, f" -> {bad}"))
    return offenders


def _english_page_offenders(seen: list[Seen], data_zh: set[str]) -> list[str]:
    return [_describe(s, more) for s, more in _first_places(seen)
            if CJK.search(_without_content(s.text, "en")) and not _is_content(s)
            and s.text not in ENGLISH_PAGE_CHINESE_OK and s.text not in data_zh]


def _check(seen: list[Seen], lang: str, server: GuideServer) -> None:
    assert len(seen) > 100, [str(s) for s in seen]  # the sweep read the pages, not an empty shell
    if lang == "zh":
        assert any(CJK.search(s.text) for s in seen if s.kind == "text")
        offenders = _chinese_page_offenders(seen, ALLOWED_LATIN | KEY_NAMES | _data_names(server.db_url))
    else:
        assert any(LATIN_WORD.search(s.text) for s in seen if s.kind == "text")
        store = open_store(server.db_url)
        routes = store.list_routes(status=None)
        data_zh = ({r.name_zh for r in routes} | {p.name_zh for p in store.list_pois()}
                   | {text for r in routes for text in facts_texts(r.facts, "zh")})
        offenders = _english_page_offenders(seen, data_zh)
    assert not offenders, f"{len(offenders)} texts in the wrong language:\n" + "\n".join(offenders)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_visitor_pages_speak_one_language(sweep_server, chromium, lang):
    ctx, _ = open_context(chromium, DESKTOP, locale=BROWSER_LOCALE[lang])
    page = ctx.new_page()
    seen: list[Seen] = []
    try:
        for path in VISITOR_PAGES:
            page.goto(f"{sweep_server.url}/{_with_lang(path, lang)}")
            wait_for_app(page)
            seen += _sweep(page, sweep_server.url, path)
        screenshot(page, f"language-sweep-signin-desktop-{lang}")
    finally:
        ctx.close()
    _check(seen, lang, sweep_server)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_pages_speak_one_language(sweep_server, chromium, lang):
    ctx, _ = open_context(chromium, DESKTOP, locale=BROWSER_LOCALE[lang])
    page = ctx.new_page()
    seen: list[Seen] = []
    try:
        open_page(page, sweep_server.url, _with_lang("race", lang), user=ADMIN, password=PASSWORD)
        for path in STAFF_PAGES:
            page.goto(f"{sweep_server.url}/{_with_lang(path, lang)}")
            wait_for_app(page)
            assert page.locator('[data-testid="stSidebar"]').get_by_text(ADMIN).count(), path
            seen += _sweep(page, sweep_server.url, path)
            if path == "editor_pois":
                # A place chosen: its edit form, delete confirmation, history and the bin.
                _open_dropdown(page, page.locator(".st-key-ed_poi_pick input"))
                page.locator('[role="listbox"]:visible [role="option"]').nth(1).click()
                wait_for_app(page)
                seen += _sweep(page, sweep_server.url, f"{path} [a place chosen]", use=False)
            screenshot(page, f"language-sweep-{re.sub(r'[^a-z_]+', '-', path)}-desktop-{lang}")
    finally:
        ctx.close()
    _check(seen, lang, sweep_server)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_pages_speak_one_language(sweep_server, chromium, lang):
    ctx, _ = open_context(chromium, PHONE, locale=BROWSER_LOCALE[lang], has_touch=True, is_mobile=True,
                          device_scale_factor=2)
    page = ctx.new_page()
    seen: list[Seen] = []
    try:
        for path in PHONE_PAGES:
            page.goto(f"{sweep_server.url}/{_with_lang(path, lang)}")
            wait_for_app(page)
            seen += _sweep(page, sweep_server.url, path, basemaps=False)
            screenshot(page, f"language-sweep-{path.split('?')[0] or 'catalogue'}-phone-{lang}")
        # The menu, opened with its own button.
        page.locator('[data-testid="stExpandSidebarButton"]').tap()
        page.locator('[data-testid="stSidebarNav"]').wait_for()
        _settle(page)
        seen += _read(page, sweep_server.url, "/route [phone menu open]")
    finally:
        ctx.close()
    _check(seen, lang, sweep_server)
