"""Benchmark: time until a route page shows its line and its profile, and bytes sent to the browser.

Runs the real app (`streamlit run app.py`) on a fresh database that holds the seed routes plus a 100 000-point route
(20 laps of a 25 km loop, from bench_gpx.make_gpx), and opens each route page in Debian's Chromium with every foreign
host blocked. "Cold" is the first view after the server started (the GPX is read and analysed), "warm" a second
visit in a new browser context (analysis cached by sha256). Bytes are HTTP response bodies plus WebSocket frames the
browser received from the app; static assets are counted on every visit because each visit is a fresh context.

Usage: .venv/bin/python benchmarks/bench_page.py [--points 100000]
Writes benchmarks/out/bench_page.json.

Measured 2026-11-26 on the 2-core build machine (shared with other jobs, so ±1.5 s), Chromium headless, loopback,
with the Plotly profile and folium map the page had then (bench_light.py measures the page with the shared viewer):

    route              visit  line visible  line+profile  HTTP bytes  WebSocket bytes
    tianxiang (seed)   cold   6.2 s         6.2 s         6.9 MB      0.20 MB
    tianxiang (seed)   warm   4.4 s         4.4 s         7.5 MB      0.20 MB
    100 000 points     cold   5.5 s         5.6 s         8.3 MB      0.52 MB
    100 000 points     warm   7.3 s         7.3 s         6.7 MB      0.52 MB

HTTP bytes are almost all Streamlit's own front end (served uncompressed; a gzip/brotli proxy cuts them ~4x) plus
≈1 MB of map assets from static/; a returning visitor's browser caches both. What the route itself costs is the
WebSocket column: the map line is capped at 2 500 points (×2 frames: WGS-84 and GCJ-02), the profile at 1 500. Before
the line was sent as compact gradient runs and the profile's climb shading went in one layout update, the 100 000-point
page sent 1.9 MB and took 12 s to show the profile.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from bench_gpx import make_gpx  # noqa: E402
from harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    open_context,
    start_server,
    stop_server,
    viewer_frame,
    wait_for_app,
)

OUT = ROOT / "benchmarks" / "out"
BIG_SLUG = "bench-100k"


def prepare_database(folder: Path, n_points: int) -> None:
    """Seed the database the server will use and add the big route to it."""
    from routes.store import open_store

    gpx_path = folder / "big.gpx"
    make_gpx(gpx_path, n_points)
    store = open_store(f"sqlite:///{folder / 'guide.db'}")
    store.create_route(
        BIG_SLUG, gpx=gpx_path.read_bytes(), filename="big.gpx", user="bench",
        fields={"name_zh": "基准测试路线", "name_en": "Benchmark route", "status": "published", "illustrative": True},
    )


def measure(browser, url: str) -> dict:
    ctx, traffic = open_context(browser, DESKTOP)
    page = ctx.new_page()
    received = {"http": 0, "ws": 0}

    def on_finished(request) -> None:
        try:
            received["http"] += request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - an aborted request has no sizes
            pass

    page.on("requestfinished", on_finished)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: received.__setitem__(
        "ws", received["ws"] + len(data))))
    t0 = time.perf_counter()
    page.goto(url)
    viewer_frame(page).locator("path.route-line").first.wait_for(state="attached", timeout=300_000)
    t_line = time.perf_counter() - t0
    viewer_frame(page).locator("svg.elevation-profile path.band").first.wait_for(state="attached", timeout=300_000)
    t_both = time.perf_counter() - t0
    wait_for_app(page)
    t_idle = time.perf_counter() - t0
    result = {
        "line_visible_s": round(t_line, 2),
        "line_and_profile_visible_s": round(t_both, 2),
        "script_finished_s": round(t_idle, 2),
        "http_bytes": received["http"],
        "websocket_bytes": received["ws"],
        "foreign_non_tile_requests": len(traffic.foreign_non_tile()),
    }
    ctx.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"needs Debian chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare_database(folder, args.points)
        server = start_server(folder)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for slug in ("tianxiang", BIG_SLUG):
                    for visit in ("cold", "warm"):
                        key = f"{slug}/{visit}"
                        results[key] = measure(browser, f"{server.url}/route?id={slug}&lang=zh")
                        print(key, results[key], flush=True)
                browser.close()
        finally:
            stop_server(server)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_page.json").write_text(json.dumps({"points": args.points, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
