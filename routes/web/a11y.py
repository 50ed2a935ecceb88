"""The HTML shell in the visitor's language: `<html lang>` and `<title>` of Streamlit's index page follow ?lang=; a
page path the app does not have is sent to the home page, which says so in that language."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from routes.text.i18n import resolve_lang, t

#: BCP 47 tags screen readers and browsers use to pick a voice, a font and hyphenation for the page.
HTML_LANG = {"zh": "zh-CN", "en": "en"}
#: Streamlit's index.html is a few kB; anything much larger is not the shell and passes through unread.
MAX_SHELL_BYTES = 64_000
_HTML_TAG = re.compile(rb"<html([^>]*?)\slang=\"[^\"]*\"", re.IGNORECASE)
_TITLE = re.compile(rb"<title>[^<]*</title>", re.IGNORECASE)
#: Paths that are not Streamlit's shell: its own endpoints, and the light pages (/r/...), which set their own
#: language and per-page title.
SKIP_PREFIXES = ("/_stcore", "/r/")


#: Seconds the proxy may keep the shell (nginx honours X-Accel-Expires, and keeps it from the browser). The shell is
#: the first request of every visit and the same few kB for everyone reading a page in one language, but a replica
#: busy with a crowd's page scripts answers it late (its event loop waits for the GIL): kept at the proxy, a crowd's
#: first requests cost the replicas nothing. Short, so that after an upgrade the new shell is out within seconds.
SHELL_PROXY_CACHE_S = 10

#: What tells Streamlit's own index page from the app's other HTML (the light /r/ pages set their own lang and title).
STREAMLIT_SHELL_MARK = b"<title>Streamlit</title>"
#: Query parameter (=1) with which an unknown page path arrives at the home page, which then says there was no such
#: page (app.py). Streamlit itself would run the home page under an English "Page not found" dialog.
NOT_FOUND_PARAM = "notfound"
#: What may be Streamlit's page shell: the root or a page's path, one segment without a dot (below the base URL path;
#: the same rule as the proxy's shell cache in deploy/nginx.conf.template). Streamlit's own files never look like this.
PAGE_SHAPED = re.compile(r"^/[A-Za-z0-9_-]*/?$")


def _below_base(path: str, base_path: str) -> str | None:
    """``path`` relative to the base URL path ("/route"), or None when it is not under it."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    if path != base and not path.startswith(base + "/"):
        return None
    return path[len(base):] or "/"


def unknown_page_target(path: str, lang: str, *, page_paths: frozenset[str], home_paths: frozenset[str] = frozenset(),
                        base_path: str = "") -> str | None:
    """Where a request for Streamlit's shell at ``path`` is sent instead: None for the root and the app's pages; the
    home page for ``home_paths`` (the default page's own name, e.g. /catalogue); the home page with
    ?notfound=1 for any other page-shaped path (a typo, an old bookmark). ``base_path`` is Streamlit's
    server.baseUrlPath. Paths of other shapes are not judged (not under the base, or several segments)."""
    inner = _below_base(path, base_path)
    if inner is None or not PAGE_SHAPED.match(inner):
        return None
    name = inner.strip("/")
    if not name or name in page_paths:
        return None
    home = f"{path[: len(path) - len(inner)]}/?lang={lang}"
    return home if name in home_paths else f"{home}&{NOT_FOUND_PARAM}=1"


def rewrite_shell(body: bytes, lang: str) -> bytes:
    """The index page with its document language and title set for ``lang`` (unchanged if it is not the shell)."""
    if STREAMLIT_SHELL_MARK not in body:
        return body
    tag = HTML_LANG[lang].encode()
    out, n = _HTML_TAG.subn(rb'<html\1 lang="' + tag + rb'"', body, count=1)
    if n == 0:
        out = re.sub(rb"<html(?=[\s>])", rb'<html lang="' + tag + rb'"', body, count=1, flags=re.IGNORECASE)
    title = t("app.title", lang).encode()
    return _TITLE.sub(b"<title>" + title + b"</title>", out, count=1)


class ShellLanguageMiddleware:
    """Pure ASGI middleware: rewrites HTML responses to GET requests (Streamlit's index page for every page path).

    It must sit inside any compression middleware (listed after it) so it sees the plain HTML.
    """

    def __init__(self, app, *, page_paths: frozenset[str] | None = None, home_paths: frozenset[str] = frozenset(),
                 base_path: str = "") -> None:
        self.app = app
        # The app's page paths (app.py); None: every path is a page (tests of the language rewrite alone).
        self.page_paths = page_paths
        self.home_paths = home_paths
        self.base_path = base_path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path", "").startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        lang = resolve_lang(query.get("lang"))
        inner = _below_base(scope.get("path", ""), self.base_path)
        if inner is not None and PAGE_SHAPED.match(inner):
            # Streamlit gzips its shell itself when the browser accepts it, which would hide it from the rewrite
            # (behind the proxy it never does: nginx asks uncompressed). Asked plain here; the GZip middleware
            # around this one compresses the few kB for the browser.
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        start: dict | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def wrapped(message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                is_html = headers.get(b"content-type", b"").startswith(b"text/html")
                plain = headers.get(b"content-encoding") in (None, b"identity")
                if not (is_html and plain):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if passthrough or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False) and sum(map(len, chunks)) <= MAX_SHELL_BYTES:
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if not message.get("more_body", False):
                if start.get("status") == 200 and STREAMLIT_SHELL_MARK in body:
                    target = None if self.page_paths is None else unknown_page_target(
                        scope.get("path", ""), lang, page_paths=self.page_paths, home_paths=self.home_paths,
                        base_path=self.base_path)
                    if target is not None:
                        await _redirect(send, target)
                        passthrough = True
                        return
                    headers.append((b"x-accel-expires", str(SHELL_PROXY_CACHE_S).encode()))
                body = rewrite_shell(body, lang)
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            passthrough = True
            await send({"type": "http.response.body", "body": body, "more_body": message.get("more_body", False)})

        await self.app(scope, receive, wrapped)


async def _redirect(send, target: str) -> None:
    """A temporary redirect (the path may become a page one day), kept by no cache."""
    headers = [(b"location", target.encode("latin-1")), (b"cache-control", b"no-store"), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 307, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
