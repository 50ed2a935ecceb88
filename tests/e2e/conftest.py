"""Browser-test fixtures: a fresh Streamlit server on a free port and Debian's Chromium with every foreign host
blocked. Helpers live in harness.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    STAFF_PASSWORD,
    STAFF_USER,
    GuideServer,
    open_context,
    require_chromium,
    start_server,
    stop_server,
)


@pytest.fixture(scope="session")
def guide_server(tmp_path_factory) -> Iterator[GuideServer]:
    require_chromium()
    server = start_server(tmp_path_factory.mktemp("guide-e2e"))
    from routes.store import open_store

    open_store(server.db_url).add_user(STAFF_USER, STAFF_PASSWORD, "organiser")  # for the race planner's pages
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module: Playwright's sync API allows one running instance per thread, and other modules
    may start their own."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def desktop(chromium):
    ctx, traffic = open_context(chromium, DESKTOP)
    page = ctx.new_page()
    yield page, traffic
    ctx.close()


@pytest.fixture
def phone(chromium):
    ctx, traffic = open_context(chromium, PHONE)
    page = ctx.new_page()
    yield page, traffic
    ctx.close()


