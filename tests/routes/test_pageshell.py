"""The page script and style sheet every page adds, and the HTML shell rewritten to the page language."""

from __future__ import annotations

import asyncio
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route

from routes.web import build_middleware
from routes.web.a11y import SHELL_PROXY_CACHE_S, ShellLanguageMiddleware, rewrite_shell
from routes.web.pageshell import NARROW_VIEWPORT_PX, shell_script, shell_style

#: The start of Streamlit 1.67's index.html, as served.
INDEX = (
    b'<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>Streamlit</title></head>'
    b"<body></body></html>"
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_script_survives_streamlits_sanitiser(lang):
    script = shell_script(lang, page="route")
    body = script[len("<script>") : -len("</script>")]
    # DOMPurify (SAFE_FOR_XML) drops a script whose text has "<" before a letter or "/": the whole script would vanish
    assert re.search(r"<[/\w]", body) is None
    assert f'"narrowPx": {NARROW_VIEWPORT_PX}' in body


def test_streamlits_own_names_are_given_in_chinese_on_chinese_pages_only():
    assert '"Expand sidebar": "展开侧边栏"' in shell_script("zh", page="")
    assert '"lang": "zh-CN"' in shell_script("zh", page="")
    assert '"names": null' in shell_script("en", page="")
    assert '"lang": "en"' in shell_script("en", page="")


def test_the_page_script_pins_the_widgets_locale_to_the_page_language():
    assert '"locale": "zh-CN"' in shell_script("zh", page="")
    assert '"locale": "en"' in shell_script("en", page="")
    assert '"uploadButton": "Choose file"' in shell_script("en", page="")


def test_no_translation_is_translated_again():
    """The page script translates on every change of the page: a Chinese text that a key or pattern matched again
    would be rewritten (or loop); every pattern is a valid regular expression (JavaScript's are close to Python's)."""
    from routes.web import pageshell as ps

    tables = (ps._STREAMLIT_NAMES_ZH, ps._STREAMLIT_TEXTS_ZH, ps._UPLOADER_TEXTS_ZH)
    patterns = [re.compile(p) for p, _ in
                ps._STREAMLIT_NAME_PATTERNS_ZH + ps._STREAMLIT_PATTERNS_ZH + ps._UPLOADER_PATTERNS_ZH]
    outputs = [zh for table in tables for zh in table.values()]
    outputs += [zh.replace("$1", "X").replace("$2", "Y") for _, zh in
                ps._STREAMLIT_NAME_PATTERNS_ZH + ps._STREAMLIT_PATTERNS_ZH + ps._UPLOADER_PATTERNS_ZH]
    for text in outputs:
        assert not any(text in table for table in tables), text
        assert not any(p.search(text) for p in patterns), text


def test_the_style_sheet_is_style_only():
    css = shell_style()
    assert css.startswith("<style>") and css.endswith("</style>") and css.count("<") == 2
    assert "@media (max-width: 640px)" in css


def test_rewrite_shell_sets_language_and_title():
    zh = rewrite_shell(INDEX, "zh")
    assert b'<html lang="zh-CN">' in zh and "<title>天香骑行导览</title>".encode() in zh
    en = rewrite_shell(INDEX, "en")
    assert b'<html lang="en">' in en and b"<title>Tianxiang Cycling Guide</title>" in en
    assert rewrite_shell(b"<html><title>Streamlit</title>x</html>", "zh").startswith(b'<html lang="zh-CN">')
    own = '<html lang="en"><title>天香骑行线 · Tianxiang</title></html>'.encode()  # a light /r/ page: its own
    assert rewrite_shell(own, "zh") == own


class _Client:
    """GET requests straight through the ASGI interface (no HTTP client library needed)."""

    def __init__(self, app) -> None:
        self.app = app

    def get(self, target: str) -> tuple[dict[bytes, bytes], str]:
        path, _, query = target.partition("?")
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "root_path": "",
                 "query_string": query.encode(), "headers": [], "scheme": "http", "server": ("test", 80),
                 "client": ("test", 1), "http_version": "1.1", "asgi": {"version": "3.0"}}
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(self.app(scope, receive, send))
        headers = dict(sent[0]["headers"])
        body = b"".join(m.get("body", b"") for m in sent[1:])
        return headers, body.decode()


def _client() -> _Client:
    async def index(request):
        return HTMLResponse(INDEX.decode())

    async def text(request):
        return HTMLResponse('<html lang="en"><title>Route</title>not the shell</html>')

    app = Starlette(routes=[Route("/", index), Route("/route", index), Route("/t", text)],
                    middleware=[Middleware(ShellLanguageMiddleware)])
    return _Client(app)


def test_the_middleware_follows_the_lang_parameter_and_defaults_to_chinese():
    client = _client()
    assert '<html lang="zh-CN">' in client.get("/")[1]
    assert '<html lang="en">' in client.get("/route?id=x&lang=en")[1]
    assert '<html lang="zh-CN">' in client.get("/route?lang=zh")[1]
    assert '<html lang="zh-CN">' in client.get("/?lang=%3Cscript%3E")[1]  # anything unknown: the default
    headers, body = client.get("/route?lang=en")
    assert int(headers[b"content-length"]) == len(body.encode())


def test_the_middleware_leaves_other_responses_alone():
    headers, body = _client().get("/t?lang=zh")
    assert body == '<html lang="en"><title>Route</title>not the shell</html>'
    assert b"x-accel-expires" not in headers


def test_only_the_shell_may_be_kept_by_the_proxy_and_briefly():
    headers, _ = _client().get("/route?id=x&lang=en")
    assert headers[b"x-accel-expires"] == str(SHELL_PROXY_CACHE_S).encode()
    assert 0 < SHELL_PROXY_CACHE_S <= 60


def test_it_sits_inside_gzip():
    names = [m.cls.__name__ for m in build_middleware()]
    assert names.index("ShellLanguageMiddleware") > names.index("GZipMiddleware")


def _app_client(base_path: str = "") -> _Client:
    """Streamlit serves its shell at every path; the middleware knows which are the app's pages."""
    async def index(request):
        return HTMLResponse(INDEX.decode())

    async def text(request):
        return HTMLResponse('<html lang="en"><title>Route</title>not the shell</html>')

    app = Starlette(routes=[Route("/t", text), Route("/{path:path}", index)],
                    middleware=[Middleware(ShellLanguageMiddleware, page_paths=frozenset({"route", "pois", "race"}),
                                           home_paths=frozenset({"catalogue"}), base_path=base_path)])
    return _Client(app)


def test_a_path_naming_no_page_goes_home_with_a_note_in_its_language():
    client = _app_client()
    for target, location in (("/catalogue?lang=zh", "/?lang=zh"),  # the home page's own name: home, no note
                             ("/catalogue", "/?lang=zh"),
                             ("/nowhere?lang=en", "/?lang=en&notfound=1"),
                             ("/no_such-page/", "/?lang=zh&notfound=1")):
        headers, body = client.get(target)
        assert headers.get(b"location") == location.encode(), target
        assert headers[b"cache-control"] == b"no-store" and body == ""
    for page in ("/", "/?lang=en", "/route?id=tianxiang", "/pois", "/race/",
                 "/route/extra", "/index.html"):  # not page-shaped: never judged (Streamlit's files look like this)
        headers, body = client.get(page)
        assert b"location" not in headers and "<title>" in body, page
    assert b"location" not in client.get("/t?lang=zh")[0]  # not the shell: not judged


def test_under_a_base_url_path_only_paths_below_it_are_judged():
    client = _app_client(base_path="/guide/")
    assert client.get("/guide/nowhere?lang=en")[0][b"location"] == b"/guide/?lang=en&notfound=1"
    assert b"location" not in client.get("/guide/")[0] and b"location" not in client.get("/guide/route")[0]
    assert b"location" not in client.get("/elsewhere")[0]



def test_the_shell_is_asked_for_plain_so_that_it_can_be_rewritten():
    """Streamlit gzips its shell for a browser that accepts it; for page-shaped paths the middleware asks it plain
    (the GZip middleware around compresses), and leaves Streamlit's own files (bundles, components) as asked."""
    seen: dict[str, bytes | None] = {}

    async def inner(scope, receive, send):
        seen[scope["path"]] = dict(scope["headers"]).get(b"accept-encoding")
        await HTMLResponse(INDEX.decode())(scope, receive, send)

    middleware = ShellLanguageMiddleware(inner, page_paths=frozenset({"route"}))
    client = _Client(middleware)
    for path in ("/route", "/", "/static/js/index.js", "/component/x/index.html"):
        scope_headers = [(b"accept-encoding", b"gzip, br")]
        client.app = _with_headers(middleware, scope_headers)
        client.get(path)
    assert seen == {"/route": None, "/": None, "/static/js/index.js": b"gzip, br",
                    "/component/x/index.html": b"gzip, br"}


def _with_headers(app, headers):
    async def call(scope, receive, send):
        await app({**scope, "headers": headers}, receive, send)
    return call
