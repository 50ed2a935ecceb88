"""The HTML shell in the visitor's language: `<html lang>` and `<title>` of Streamlit's index page follow ?lang=."""

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

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path", "").startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        lang = resolve_lang(query.get("lang"))
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
                    headers.append((b"x-accel-expires", str(SHELL_PROXY_CACHE_S).encode()))
                body = rewrite_shell(body, lang)
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            passthrough = True
            await send({"type": "http.response.body", "body": body, "more_body": message.get("more_body", False)})

        await self.app(scope, receive, wrapped)
