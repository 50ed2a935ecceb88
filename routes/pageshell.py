"""What every page adds to the browser document: language, phone menu closing, names for Streamlit's own controls,
and the shared style sheet (contrast, skip links, tables that turn into cards on a phone). No Streamlit here."""

from __future__ import annotations

import json

from routes.i18n import t
from routes.web.a11y import HTML_LANG

#: Below this viewport width (CSS px) the sidebar covers the page, so it is closed after each navigation.
#: Streamlit itself treats widths up to 768 px as mobile when it decides the sidebar's initial state.
NARROW_VIEWPORT_PX = 768
#: Below this width tables become one card per row (label above value) instead of cut-off columns.
CARD_TABLE_MAX_PX = 640
#: Captions and secondary text: #5c5b59 on white is 6.6:1, above WCAG AA's 4.5:1 for small text (Streamlit's default
#: faded caption colour measured 3.9:1).
SECONDARY_TEXT_COLOUR = "#5c5b59"

#: Streamlit's own English accessible names, given in the page language on Chinese pages (its frontend has no
#: translations). Keys are the names Streamlit 1.67 renders.
_STREAMLIT_NAMES_ZH = {
    "Expand sidebar": "展开侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "Sidebar": "侧边栏",
    "App pages": "页面导航",
    "Main menu": "主菜单",
    "Clear all": "全部清除",
    "Open": "打开",
    "Close": "关闭",
    "Show password text": "显示密码",
    "Hide password text": "隐藏密码",
    "Running...": "正在运行…",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Decrement": "减少",
    "Increment": "增加",
    "Selected": "已选",
}

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
  function zhText(text) {
    var c = st.cfg;
    if (!c.texts || !text) { return null; }
    if (Object.prototype.hasOwnProperty.call(c.texts, text)) { return c.texts[text]; }
    for (var i = 0; i !== c.patterns.length; i++) {
      var re = new RegExp(c.patterns[i][0]);
      if (re.test(text)) { return text.replace(re, c.patterns[i][1]); }
    }
    return null;
  }
  function tidyUploaders() {
    d.querySelectorAll('[data-testid="stFileUploader"], [data-baseweb="tooltip"]').forEach(function (root) {
      var walker = d.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var zh = zhText(node.nodeValue);
        if (zh !== null && zh !== node.nodeValue) { node.nodeValue = zh; }
      }
      root.querySelectorAll('[aria-label], [title]').forEach(function (el) {
        ['aria-label', 'title'].forEach(function (name) {
          var zh = zhText(el.getAttribute(name));
          if (zh !== null) { el.setAttribute(name, zh); }
        });
      });
    });
  }
  function tidy() {
    var c = st.cfg;
    if (c.texts) { tidyUploaders(); }
    var root = d.documentElement;
    if (root.getAttribute('lang') !== c.lang) { root.setAttribute('lang', c.lang); }
    // The page menu: Streamlit puts section DIVs straight inside the UL; give the lists the structure they claim.
    d.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach(function (ul) {
      var sections = Array.prototype.filter.call(ul.children, function (el) { return el.tagName === 'DIV'; });
      if (!sections.length) { return; }
      if (ul.getAttribute('role') !== 'none') { ul.setAttribute('role', 'none'); }
      sections.forEach(function (s) { if (s.getAttribute('role') !== 'list') { s.setAttribute('role', 'list'); } });
    });
    if (c.names) {
      d.querySelectorAll('[aria-label]').forEach(function (el) {
        var zh = c.names[el.getAttribute('aria-label')];
        if (zh) { el.setAttribute('aria-label', zh); }
      });
      d.querySelectorAll('[title]').forEach(function (el) {
        var zh = c.names[el.getAttribute('title')];
        if (zh && el.tagName !== 'IFRAME') { el.setAttribute('title', zh); }
      });
    }
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
                        attributeFilter: ['title', 'aria-label']});
  }
  if (st.page !== null && st.page !== cfg.page && narrow()) { closeSoon(); }
  st.page = cfg.page;
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
        "names": _STREAMLIT_NAMES_ZH if lang == "zh" else None,
        "texts": _UPLOADER_TEXTS_ZH if lang == "zh" else None,
        "patterns": _UPLOADER_PATTERNS_ZH if lang == "zh" else [],
    }
    # Streamlit's sanitiser drops a script whose text holds "<" before a letter or "/": escape every "<".
    payload = json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c")
    return "<script>" + _SCRIPT % {"cfg": payload} + "</script>"


def shell_style() -> str:
    """The shared style sheet (a <style> element, so Streamlit keeps it out of the page layout)."""
    return "<style>" + _STYLE % {
        "secondary": SECONDARY_TEXT_COLOUR, "card_px": CARD_TABLE_MAX_PX,
    } + "</style>"
