"""Benchmark: an editor's upload until the quality report shows, and until the preview map has drawn the track.

Runs the real app (`streamlit run app.py`) on a fresh seeded database with one editor account, signs in in Debian's
Chromium (every foreign host blocked, so no map tiles: only the app's own line is waited for), opens the route
editor and uploads each file. Times start when the file is handed to the uploader; "report" is when the quality
report's heading is on the page, "map frame" when the map's frame is in the page, "map" when the preview map's frame has drawn the track's line (a Leaflet path), and
"marks" when the findings' marks are on it (files with findings only). Each file is uploaded in a fresh browser
context (a fresh session, so nothing of the previous upload is reused).

Usage: .venv/bin/python benchmarks/bench_editor_preview.py [FILE ...]
Without files: the seed's Tianxiang line and three corpus files (../shared/gpx-corpus) of 900, 3 500 and 8 000 points.
Writes benchmarks/out/bench_editor_preview.json.
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
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    MAP_FRAME_SELECTOR,
    open_context,
    start_server,
    stop_server,
    wait_for_app,
)

OUT = ROOT / "benchmarks" / "out"
CORPUS = ROOT.parent / "shared" / "gpx-corpus"
DEFAULT_FILES = (
    ROOT / "data" / "seed" / "tianxiang.gpx",
    CORPUS / "gpxpy__korita-zbevnica.gpx",
    CORPUS / "georust__garmin_with_extensions.gpx",
    CORPUS / "dougfales__link2gps_big_8k.gpx",
)
USER, PASSWORD = "bench-editor", "correct horse battery"
#: Longest wait for one step (a slow shared machine): the figure is the point, not a pass/fail.
STEP_TIMEOUT_MS = 180_000


def measure(browser, base_url: str, path: Path) -> dict:
    ctx, traffic = open_context(browser, DESKTOP)
    page = ctx.new_page()
    page.goto(f"{base_url}/editor?lang=zh")
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill(USER)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="路线编辑").click()
    page.get_by_role("heading", name="路线编辑").first.wait_for()
    wait_for_app(page)
    t0 = time.perf_counter()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_text("质量报告", exact=True).first.wait_for(timeout=STEP_TIMEOUT_MS)
    t_report = time.perf_counter() - t0
    page.locator(MAP_FRAME_SELECTOR).first.wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    t_frame = time.perf_counter() - t0
    frame = page.frame_locator(MAP_FRAME_SELECTOR).first
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    t_map = time.perf_counter() - t0
    marks = frame.locator(".finding-mark")
    t_marks = None
    try:
        marks.first.wait_for(state="attached", timeout=5_000)
        t_marks = round(time.perf_counter() - t0, 2)
    except Exception:  # noqa: BLE001 - a clean file has no marks
        pass
    wait_for_app(page)
    t_idle = time.perf_counter() - t0
    result = {"report_s": round(t_report, 2), "map_frame_s": round(t_frame, 2), "map_drawn_s": round(t_map, 2), "marks_s": t_marks,
              "marks": marks.count(), "script_finished_s": round(t_idle, 2),
              "foreign_non_tile_requests": len(traffic.foreign_non_tile())}
    ctx.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [f for f in DEFAULT_FILES if f.exists()]
    if not Path(CHROMIUM).exists():
        print(f"needs Debian chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from routes.store import open_store

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        open_store(f"sqlite:///{folder / 'guide.db'}").add_user(USER, PASSWORD, "editor")
        server = start_server(folder)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for path in files:
                    results[path.name] = measure(browser, server.url, path)
                    print(path.name, results[path.name], flush=True)
                browser.close()
        finally:
            stop_server(server)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_editor_preview.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
