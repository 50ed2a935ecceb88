"""What every page adds to the browser document: language (Streamlit's own texts and names, and its widgets' locale),
phone menu closing, and the shared style sheet (contrast, skip links, tables that turn into cards on a phone). No
Streamlit here."""

from __future__ import annotations

import json

from routes.text.i18n import t
from routes.web.a11y import HTML_LANG

#: Below this viewport width (CSS px) the sidebar covers the page, so it is closed after each navigation.
#: Streamlit itself treats widths up to 768 px as mobile when it decides the sidebar's initial state.
NARROW_VIEWPORT_PX = 768
#: Below this width tables become one card per row (label above value) instead of cut-off columns.
CARD_TABLE_MAX_PX = 640
#: Captions and secondary text: #5c5b59 on white is 6.6:1, above WCAG AA's 4.5:1 for small text (Streamlit's default
#: faded caption colour measured 3.9:1).
SECONDARY_TEXT_COLOUR = "#5c5b59"

#: Streamlit's own English accessible names and placeholders (aria-label, title and placeholder attributes), given in
#: the page language on Chinese pages (its frontend has no translations). Keys are the names Streamlit 1.67 renders;
#: tests/e2e/test_language_sweep.py reads every page in a browser, so an upgrade that changes them fails there.
_STREAMLIT_NAMES_ZH = {
    "Expand sidebar": "展开侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "Sidebar": "侧边栏",
    "App pages": "页面导航",
    "Main menu": "主菜单",
    "Clear all": "全部清除",
    "Open": "打开",
    "Close": "关闭",
    "Dismiss": "关闭",
    "Show password": "显示密码",
    "Hide password": "隐藏密码",
    "Show password text": "显示密码",
    "Hide password text": "隐藏密码",
    "Running...": "正在运行…",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Decrement": "减少",
    "Increment": "增加",
    "Selected": "已选",
    "Link to heading": "链接到此标题",
    "Help": "说明",
    # a select box's placeholder: shown once its choice is cleared, and read out by some screen readers
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "No options to select": "没有可选的选项",
    "Selectbox options": "选项",
    "Select all": "全选",
    "(index)": "（行号）",
    "Clear value": "清除数值",
    # a table's toolbar
    "Show/hide columns": "显示/隐藏列",
    "Download as CSV": "下载为 CSV 文件",
    "Search": "搜索",
    "Previous Result": "上一个结果",
    "Next Result": "下一个结果",
    "Close Search": "关闭搜索",
    # an editable table's toolbar (rows added and deleted in the table itself)
    "Add row": "添加一行",
    "Delete row(s)": "删除所选行",
    # a date input and its calendar (the field's parts are named in English whatever the locale)
    "Choose date": "选择日期",
    "Previous month": "上个月",
    "Next month": "下个月",
    "Empty": "空",
}
#: Patterns for those attributes only (a text on the page may legitimately read like them).
_STREAMLIT_NAME_PATTERNS_ZH = [
    (r"^Remove (.+)$", "移除 $1"),
    (r"^Fullscreen: (.+)$", "全屏查看：$1"),
    (r"^year, (.+)$", "年，$1"),
    (r"^month, (.+)$", "月，$1"),
    (r"^day, (.+)$", "日，$1"),
    (r"^(\d+) \u2013 (January|February|March|April|May|June|July|August|September|October|November|December)$",
     "$1月"),
]

#: Streamlit's own English texts anywhere on the page (text nodes, matched exactly), in Chinese on Chinese pages:
#: the skip link, input hints while something typed is not yet applied, a dropdown's empty state and bulk choice,
#: and the status and connection notes in the top bar.
_STREAMLIT_TEXTS_ZH = {
    "Skip to main content": "跳到正文",
    "Press Enter to apply": "按回车键应用",
    "Press Enter to submit form": "按回车键提交表单",
    "No results": "没有匹配的选项",
    "Select all": "全选",
    "(index)": "（行号）",
    "Stop": "停止",
    "Stopping...": "正在停止…",
    "Please wait...": "请稍候…",
    "Connecting": "正在连接",
    "Connecting to Streamlit server": "正在连接服务器",
    "Unable to connect to Streamlit server": "无法连接服务器",
    # the dialog a phone on a weak signal meets when the connection drops (it retries by itself)
    "Connection error": "连接中断",
    "Streamlit server is not responding. Are you connected to the internet?":
        "服务器没有响应。请检查网络连接，页面会自动重试。",
    "Reconnected to server.": "已重新连接服务器。",
    "Connection timed out.": "连接超时。",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.":
        "按方向键切换日期，按回车键选定，按退出键关闭。",
    # a table's search bar
    "Type to search": "输入以搜索",
    # Streamlit's dialog for a page path the app lacks (the proxy of routes/web/a11y.py sends such paths home first;
    # this covers what reaches the frontend anyway, e.g. a path left in the browser's history)
    "Page not found": "找不到页面",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "没有这个页面，已为您打开路线目录。",
    # an emptied date input's parts
    "yyyy": "年",
    "mm": "月",
    "dd": "日",
}
#: Patterns (JavaScript regular expressions, "$1" for what they capture) over every text node and every aria-label,
#: title and placeholder on Chinese pages: names Streamlit builds from our labels, a multi-line input's hint, and
#: what the dropdowns announce to screen readers (react-aria's live region).
_STREAMLIT_PATTERNS_ZH = [
    (r"^Help for (.+)$", "“$1”的说明"),
    (r"^You have requested page /(.+), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$", "没有“/$1”这个页面，已为您打开路线目录。"),
    (r"^(.+) \u2014 start$", "$1 — 起点"),
    (r"^(.+) \u2014 end$", "$1 — 终点"),
    (r"^Press (\u2318|Ctrl)\+Enter to apply$", "按 $1+回车键应用"),
    (r"^Press (\u2318|Ctrl)\+Enter to submit form$", "按 $1+回车键提交表单"),
    (r"^(\d+) options? available\.$", "有 $1 个选项。"),
    (r"^Select (\d+) matches$", "选择全部 $1 个匹配项"),
    (r"^(.+), selected$", "$1，已选中"),
    (r"^Choose date, (.+)$", "选择日期，$1"),
    (r"^(\d+) results?$", "$1 个结果"),
    (r"^over 1000$", "超过 1000 个结果"),
    (r"^(\d+) of (\d+) results?$", "第 $1 个，共 $2 个结果"),
    (r"^(\d+) of over 1000$", "第 $1 个，共超过 1000 个结果"),
]

#: Streamlit's own English texts inside the file uploader (and its error tooltip), in Chinese on Chinese pages:
#: shown while a file is dragged over it, on a file the browser refuses (too big, wrong type) or a failed upload.
#: Exact texts first, then patterns (JavaScript regular expressions, "$1" for what they capture) over texts and the
#: uploader's accessible names. The keys are the texts Streamlit 1.67 renders (a browser test drags a file over an
#: uploader and drops one too big, so an upgrade that changes them fails there).
_UPLOADER_TEXTS_ZH = {
    "Drag and drop a file here": "把文件拖放到这里",
    "Drag and drop files here": "把文件拖放到这里",
    "Drag and drop directories here": "把文件夹拖放到这里",
    "Upload failed": "上传失败",
    "Uploading...": "正在上传…",
    "Click to retry upload": "点击重新上传",
    "Add files": "添加文件",
    "Error: ": "错误：",
    "File size is too small.": "文件太小。",
    "Only one file is allowed.": "只能上传一个文件。",
    "Unexpected error. Please try again.": "出现意外错误，请重试。",
    "Network Error": "网络错误，请检查网络后重试。",
    "file upload": "选择要上传的文件",
}
_UPLOADER_PATTERNS_ZH = [
    (r"^File must be (.+) or smaller\.$", "文件不能超过 $1。"),
    (r"^(.+) files are not allowed\.$", "不接受 $1 类型的文件。"),
    # The upload endpoint refuses a browser whose staff session has lapsed (routes/web/uploadgate.py).
    (r"^Request failed with status code 403$", "上传被拒绝：登录已失效，请重新登录后再试。"),
    (r"^Request failed with status code 413$", "文件太大，上传被拒绝。"),
    (r"^Request failed with status code (\d+)$", "上传失败（服务器返回 $1），请重试。"),
    (r"^Remove (.+)$", "移除 $1"),
    (r"^Cancel upload of (.+)$", "取消上传 $1"),
]

_SCRIPT = """
(function () {
  var cfg = %(cfg)s;
  var w = window, d = document;
  var st = w.__guideShell || (w.__guideShell = {page: null});
  function compile(patterns) { return patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; }); }
  cfg.patternsRe = compile(cfg.patterns);
  cfg.uploaderRe = compile(cfg.uploaderPatterns);
  cfg.namePatternsRe = compile(cfg.namePatterns).concat(cfg.patternsRe);
  st.cfg = cfg;
  function narrow() { return w.innerWidth < cfg.narrowPx; }
  function closeMenu() {
    var bar = d.querySelector('[data-testid="stSidebar"]');
    if (!bar || bar.getAttribute('data-collapsed') !== 'false') { return false; }
    var btn = d.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (btn) { btn.click(); return true; }
    return false;
  }
  function closeSoon() {
    // Streamlit re-renders the sidebar while it switches page: try a few times until it is closed.
    var tries = 0;
    (function again() { if (!narrow()) { return; } closeMenu(); if (++tries < 10) { setTimeout(again, 150); } })();
  }
  function lookup(table, patterns, text) {
    if (!text) { return null; }
    if (table && Object.prototype.hasOwnProperty.call(table, text)) { return table[text]; }
    for (var i = 0; i !== patterns.length; i++) {
      if (patterns[i][0].test(text)) { return text.replace(patterns[i][0], patterns[i][1]); }
    }
    return null;
  }
  var LATIN = /[A-Za-z]/;
  var NAMED = ['aria-label', 'title', 'placeholder', 'aria-valuetext'];
  var TOOLTIP = '[data-baseweb="tooltip"], [role="tooltip"]';
  var UPLOADER = '[data-testid="stFileUploader"], ' + TOOLTIP;
  function zhText(node) {
    var c = st.cfg, text = node.nodeValue, el = node.parentElement, zh = null;
    if (el && el.closest(UPLOADER)) { zh = lookup(c.uploaderTexts, c.uploaderRe, text); }
    // A tooltip repeats the name of the button it belongs to (a table's toolbar).
    if (zh === null && el && el.closest(TOOLTIP)) { zh = lookup(c.names, [], text); }
    return zh !== null ? zh : lookup(c.texts, c.patternsRe, text);
  }
  function zhName(el, value) {
    var c = st.cfg;
    var zh = el.closest(UPLOADER) ? lookup(c.uploaderTexts, c.uploaderRe, value) : null;
    return zh !== null ? zh : lookup(c.names, c.namePatternsRe, value);
  }
  function translate() {
    var walker = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (!LATIN.test(node.nodeValue)) { continue; }
      var parent = node.parentElement;
      if (!parent || parent.tagName === 'SCRIPT' || parent.tagName === 'STYLE') { continue; }
      var zh = zhText(node);
      if (zh !== null && zh !== node.nodeValue) { node.nodeValue = zh; }
    }
    d.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext]').forEach(function (el) {
      NAMED.forEach(function (name) {
        var value = el.getAttribute(name);
        if (value === null || !LATIN.test(value) || (name === 'title' && el.tagName === 'IFRAME')) { return; }
        var zh = zhName(el, value);
        if (zh !== null && zh !== value) { el.setAttribute(name, zh); }
      });
    });
  }
  function uploadButtons() {
    // The uploader's "Upload" button says our word (the style sheet of pages/_shared.py shows it too, before this).
    d.querySelectorAll('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p')
      .forEach(function (p) {
        var node = p.firstChild, word = st.cfg.uploadButton;
        if (node && node.nodeType === 3 && node.nodeValue !== word) { node.nodeValue = word; }
      });
  }
  function pinLocale() {
    // Streamlit's widgets take their locale from the browser (navigator.language, read on each render) and its
    // react-aria parts from a global they read first: the time input's parts, the calendar's months and days follow
    // the page's language, not the browser's.
    var locale = st.cfg.locale, changed = false;
    var key = Symbol.for('react-aria.i18n.locale');
    if (w[key] !== locale) { w[key] = locale; changed = true; }
    if (navigator.language !== locale) {
      try {
        Object.defineProperty(navigator, 'language', {configurable: true,
                                                      get: function () { return st.cfg.locale; }});
        Object.defineProperty(navigator, 'languages', {configurable: true,
                                                       get: function () { return [st.cfg.locale]; }});
      } catch (e) { /* a browser that will not have it keeps its own */ }
      changed = true;
    }
    if (changed) { w.dispatchEvent(new Event('languagechange')); }
  }
  function tidy() {
    var c = st.cfg;
    uploadButtons();
    if (c.names) { translate(); }
    var root = d.documentElement;
    if (root.getAttribute('lang') !== c.lang) { root.setAttribute('lang', c.lang); }
    // The page menu: Streamlit puts section DIVs straight inside the UL; give the lists the structure they claim.
    d.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach(function (ul) {
      var sections = Array.prototype.filter.call(ul.children, function (el) { return el.tagName === 'DIV'; });
      if (!sections.length) { return; }
      if (ul.getAttribute('role') !== 'none') { ul.setAttribute('role', 'none'); }
      sections.forEach(function (s) { if (s.getAttribute('role') !== 'list') { s.setAttribute('role', 'list'); } });
    });
    d.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(function (f) {
      f.setAttribute('title', c.mapTitle);
      f.setAttribute('data-guide-map', '1');
    });
  }
  if (!st.installed) {
    st.installed = true;
    d.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('[data-testid="stSidebar"] a');
      if (a && narrow()) { closeSoon(); }
    }, true);
    var pending = false;
    new MutationObserver(function () {
      if (pending) { return; }
      pending = true;
      w.requestAnimationFrame(function () { pending = false; tidy(); });
    }).observe(d.body, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ['title', 'aria-label', 'placeholder', 'aria-valuetext']});
  }
  if (st.page !== null && st.page !== cfg.page && narrow()) { closeSoon(); }
  st.page = cfg.page;
  pinLocale();
  tidy();
})();
"""

_STYLE = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: %(secondary)s; opacity: 1; }
.guide-secondary { color: %(secondary)s; }
.guide-skip { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.guide-skip:focus { position: static; width: auto; height: auto; display: inline-block; padding: 4px 8px;
  background: #fff; border: 2px solid #c0392b; border-radius: 4px; }
.guide-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
table.guide-table { border-collapse: collapse; width: 100%%; font-size: .9rem; }
table.guide-table caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
table.guide-table th, table.guide-table td { border-bottom: 1px solid #e4e1dc; padding: 4px 8px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
table.guide-table th { background: #f6f4f0; font-weight: 600; }
table.guide-table td.num { text-align: right; white-space: nowrap; }
@media (max-width: %(card_px)dpx) {
  table.guide-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
  table.guide-table, table.guide-table caption, table.guide-table tbody, table.guide-table tr { display: block; }
  table.guide-table tr { border: 1px solid #e4e1dc; border-radius: 6px; margin-bottom: 8px; padding: 4px 8px; }
  table.guide-table td, table.guide-table tbody th { display: grid; grid-template-columns: minmax(5.5em, 38%%) 1fr;
    gap: 8px; border: 0; padding: 2px 0; text-align: left; background: none; white-space: normal; }
  table.guide-table tbody th { font-weight: 600; }
  table.guide-table td.num, table.guide-table th.num { text-align: left; }
  table.guide-table td.empty { display: none; }
  table.guide-table td::before, table.guide-table tbody th::before { content: attr(data-label);
    color: %(secondary)s; font-weight: 400; }
}
"""


def shell_script(lang: str, *, page: str) -> str:
    """The inline script (wrapped in <script>) every page run adds; idempotent across reruns and pages.

    Streamlit's sanitiser silently drops a script whose text contains "<" followed by a letter or "/" (even in a
    comment), so _SCRIPT must never contain one (tests/routes/test_pageshell.py checks)."""
    cfg = {
        "lang": HTML_LANG[lang],
        "page": page,
        "narrowPx": NARROW_VIEWPORT_PX,
        "mapTitle": t("a11y.map_frame", lang),
        "locale": HTML_LANG[lang],
        "uploadButton": t("upload.button", lang),
        "names": _STREAMLIT_NAMES_ZH if lang == "zh" else None,
        "namePatterns": _STREAMLIT_NAME_PATTERNS_ZH if lang == "zh" else [],
        "texts": _STREAMLIT_TEXTS_ZH if lang == "zh" else None,
        "patterns": _STREAMLIT_PATTERNS_ZH if lang == "zh" else [],
        "uploaderTexts": _UPLOADER_TEXTS_ZH if lang == "zh" else None,
        "uploaderPatterns": _UPLOADER_PATTERNS_ZH if lang == "zh" else [],
    }
    # Streamlit's sanitiser drops a script whose text holds "<" before a letter or "/": escape every "<".
    payload = json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c")
    return "<script>" + _SCRIPT % {"cfg": payload} + "</script>"


def shell_style() -> str:
    """The shared style sheet (a <style> element, so Streamlit keeps it out of the page layout)."""
    return "<style>" + _STYLE % {
        "secondary": SECONDARY_TEXT_COLOUR, "card_px": CARD_TABLE_MAX_PX,
    } + "</style>"
