"""Browser journey: an organiser plans three laps of lianghu-loop with a feed zone, reads the timetable, downloads
the race book."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A cold Streamlit process imports the app and seeds the database before it answers.
SERVER_START_TIMEOUT_S = 60
#: Laying out the race and building the race book and device files on first view.
PAGE_TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    port = _free_port()
    db = tmp_path_factory.mktemp("race-e2e") / "guide.db"
    env = {**os.environ, "GUIDE_DATABASE_URL": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not become healthy")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(PAGE_TIMEOUT_MS)
        yield pg
        browser.close()


def _wait_idle(page) -> None:
    """Streamlit shows a running indicator while the script runs; wait until it is gone."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=PAGE_TIMEOUT_MS)


def test_plan_three_laps_with_a_feed_zone_and_download_the_race_book(server, page):
    page.goto(server + "/race?lang=zh")
    page.get_by_role("heading", name="赛事规划").wait_for()
    _wait_idle(page)

    laps = page.get_by_label("圈数")
    laps.fill("3")
    laps.press("Enter")
    _wait_idle(page)

    # a feed zone at km 12 of the lap, repeated on every lap
    page.get_by_label("位置（第 1 圈的公里数）").fill("12")
    page.get_by_label("名称", exact=True).fill("一号补给")
    page.get_by_role("button", name="添加").click()
    _wait_idle(page)

    timetable = page.locator('[data-testid="stTable"]').first
    timetable.get_by_text("补给区 · 一号补给").first.wait_for()
    assert timetable.get_by_text("补给区 · 一号补给").count() == 3
    assert timetable.get_by_text("终点").count() == 1
    assert page.get_by_text("40 公里/时").first.is_visible()
    assert page.get_by_text("交通管制时段").first.is_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="下载赛事手册（PDF）").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 4
    assert "两湖环线" in text and "时间表" in text and "一号补给" in text
