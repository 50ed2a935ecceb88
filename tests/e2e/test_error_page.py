"""An uncaught error in a served page: the visitor sees a bilingual message with an error id and no traceback; the
server log has the traceback under that id (st.App's on_script_error with pages/_safety.py, showErrorDetails none)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROOT,
    SERVER_START_TIMEOUT_S,
    _free_port,
    open_context,
    require_chromium,
)

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st

if __name__ == "__main__":
    st.title("boom")
    raise RuntimeError("secret detail {marker}")
else:
    from pages._safety import on_script_error

    app = st.App(__file__, on_script_error=on_script_error)
"""
MARKER = "/srv/private/path.py"


@pytest.fixture()
def failing_server(tmp_path):
    require_chromium()
    script = tmp_path / "boom_app.py"
    script.write_text(SCRIPT.format(root=str(ROOT), marker=MARKER), encoding="utf-8")
    port = _free_port()
    log = tmp_path / "server.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    yield url, log
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_visitor_sees_an_error_id_and_the_log_has_the_traceback(failing_server):
    from playwright.sync_api import sync_playwright

    url, log = failing_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx, _ = open_context(browser, DESKTOP)
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
            page.wait_for_timeout(1000)
            text = page.locator('[data-testid="stMain"]').inner_text()
        finally:
            browser.close()
    assert "RuntimeError" not in text and MARKER not in text and "Traceback" not in text
    match = re.search(r"错误编号 ([0-9a-f]{8})", text)
    assert match, text
    server_log = log.read_text(errors="replace")
    assert f"error id {match.group(1)}" in server_log and MARKER in server_log and "Traceback" in server_log


def test_a_dropped_connection_is_explained_in_the_page_language(tmp_path, chromium):
    """A phone on a weak signal loses the server: Streamlit's own "Connection error" dialog reads in Chinese on a
    Chinese page (and no word of it is English), and tells the rider the page retries by itself."""
    from harness import start_server, stop_server, wait_for_app

    server = start_server(tmp_path)
    ctx, _ = open_context(chromium, DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/?lang=zh")
        wait_for_app(page)
        stop_server(server)
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=60_000)
        page.wait_for_function("() => document.querySelector('[role=dialog]').innerText.includes('连接中断')",
                               timeout=20_000)
        said = dialog.inner_text()
        assert "服务器没有响应" in said and "自动重试" in said, said
        assert not re.search(r"[A-Za-z]{2,}", said), said
    finally:
        ctx.close()
        stop_server(server)
