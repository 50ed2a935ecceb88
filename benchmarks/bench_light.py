"""Benchmark: the light route page (/r/<slug>) and the Streamlit route page side by side, as a phone on a weak signal.

Runs the real app (`streamlit run app.py`, gzip middleware included) on a fresh seeded database and opens both pages
in Debian's Chromium at 390×844, every non-loopback host unresolvable (map tiles too: the figures exclude tiles).
For each page: a first visit in a new browser profile (empty cache) and a repeat visit (same profile, reload), both
unthrottled (loopback) and throttled with CDP Network.emulateNetworkConditions to 1.6 Mbit/s down, 0.75 Mbit/s up and
150 ms latency. Bytes are CDP encodedDataLength of every HTTP response (what crossed the wire, compressed) plus the
WebSocket frames Streamlit sends; "line" is the first gradient run of the route line in the DOM, "profile" the
server-drawn <svg class="elevation-profile">, both timed from the start of navigation. What the light page's service
worker fetches for itself once the page has loaded (docs/offline.md) is measured apart, after the page's figures.

Foreign hosts are blocked with --host-resolver-rules rather than request interception, because Playwright turns the
HTTP cache off for intercepted contexts and the repeat visit must use it.

Usage: .venv/bin/python benchmarks/bench_light.py [--slug tianxiang] [--lang zh]
Writes benchmarks/out/bench_light.json. Figures and the date they were taken: docs/performance.md.
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

from harness import BLOCK_FOREIGN_ARG as BLOCK_FOREIGN  # noqa: E402
from harness import CHROMIUM, CHROMIUM_ARGS, PHONE, start_server, stop_server, wait_async_true  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
#: The issue's weak mobile signal: 1.6 Mbit/s down, 150 ms round trip (upload a typical half of download).
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TIMEOUT_MS = 300_000
#: How long a light page's service worker may take, after the load event, to save what the page named.
WORKER_WAIT_MS = 30_000
#: Targets from issue #10.
LIGHT_FIRST_MAX_BYTES = 300_000
LIGHT_FIRST_MAX_S = 2.5
LIGHT_REPEAT_MAX_S = 1.0
STREAMLIT_BEFORE_BYTES = 9_500_000


class Meter:
    """Counts what the page received over CDP."""

    def __init__(self, cdp) -> None:
        self.bytes = 0
        self.ws_bytes = 0
        self.requests = 0
        self.failed = 0
        self.from_cache = 0
        self.decoded = 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _sent(self, event) -> None:
        if not event["request"]["url"].startswith("data:"):
            self.requests += 1

    def _cached(self, event) -> None:
        self.from_cache += 1

    def _data(self, event) -> None:
        self.decoded += int(event.get("dataLength", 0))

    def _finished(self, event) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def _failed(self, event) -> None:
        self.failed += 1  # blocked tiles: never resolved, nothing received

    def _frame(self, event) -> None:
        self.ws_bytes += len(event["response"].get("payloadData", ""))


class WorkerMeter:
    """What the light page's service worker fetched for itself (docs/offline.md: the offline pages, the GPX and TCX,
    the page and assets again through the HTTP cache): after the line, in the background, so apart from the page's
    bytes. Playwright reports a worker's requests with ``service_worker`` set; the page's CDP session never sees them
    (nor throttles them: their bytes are what counts here, not their time)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.bytes = 0
        self.requests = 0
        ctx.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        if request.service_worker is None:
            return
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 (the context closed before Playwright answered: a request of the next page)
            return
        self.requests += 1
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def wait_saved(self, page, url: str) -> None:
        """Until the worker controls the page and keeps the route's GPX (it saves it last), then a moment more."""
        try:
            # Polled from here: page.wait_for_function takes an async predicate's Promise for a true answer.
            wait_async_true(
                page, "async (gpx) => !!navigator.serviceWorker.controller && !!(await caches.match(gpx))",
                url.split("?")[0] + ".gpx" + ("?lang=en" if "lang=en" in url else ""), timeout_ms=WORKER_WAIT_MS,
            )
        except Exception:  # noqa: BLE001 (a browser without the worker still gets its page figures)
            print("  (the service worker did not save the GPX in time)", flush=True)
        page.wait_for_timeout(1000)

    def stop(self) -> None:
        self.ctx.remove_listener("requestfinished", self._finished)


def visit(page, cdp, url: str, *, streamlit: bool, throttled: bool) -> dict:
    meter = Meter(cdp)
    worker = WorkerMeter(page.context)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE if throttled else {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    scope = page.frame_locator('iframe[src*="/embed"]') if streamlit else page
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    scope.locator("svg.elevation-profile").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    t_profile = time.perf_counter() - t0
    scope.locator("path.route-line").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    t_line = time.perf_counter() - t0
    page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)  # late requests (Streamlit's fonts, the WebSocket's first frames) still count
    if not streamlit:
        worker.wait_saved(page, url)
    worker.stop()
    return {
        "bytes": meter.bytes + meter.ws_bytes, "http_bytes": meter.bytes, "ws_bytes": meter.ws_bytes,
        "decoded_bytes": meter.decoded,
        # Blocked tiles are not counted; answers from the browser cache are counted apart.
        "requests": meter.requests - meter.failed - meter.from_cache, "from_cache": meter.from_cache,
        "blocked_tiles": meter.failed,
        "line_s": round(t_line, 2), "profile_s": round(t_profile, 2),
        "worker_bytes": worker.bytes, "worker_requests": worker.requests,
    }


def run_page(browser, url: str, *, streamlit: bool, throttled: bool, workers: str = "allow") -> dict[str, dict]:
    ctx = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN", service_workers=workers)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    out = {"first": visit(page, cdp, url, streamlit=streamlit, throttled=throttled)}
    cdp.detach()
    cdp = ctx.new_cdp_session(page)
    out["repeat"] = visit(page, cdp, url, streamlit=streamlit, throttled=throttled)
    ctx.close()
    return out


def _kb(n: int) -> str:
    return f"{n / 1000:.0f} kB" if n < 1_000_000 else f"{n / 1e6:.2f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="tianxiang")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--light-only", action="store_true", help="the light page alone (no Streamlit page)")
    parser.add_argument("--block-service-workers", action="store_true",
                        help="as a browser without the light pages' service worker (docs/offline.md), for comparison")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"needs Debian chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    q = "?lang=en" if args.lang == "en" else ""
    pages = {
        "light": (f"/r/{args.slug}{q}", False),
        "streamlit": (f"/route?id={args.slug}&lang={args.lang}", True),
    }
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_FOREIGN])
                # Warm the server once (reading and analysing the GPX is not what this measures).
                warm = browser.new_context()
                wp = warm.new_page()
                wp.goto(server.url + pages["light"][0], timeout=TIMEOUT_MS)
                wp.goto(server.url + pages["streamlit"][0], timeout=TIMEOUT_MS)
                wp.frame_locator('iframe[src*="/embed"]').locator("path.route-line").first.wait_for(
                    state="attached", timeout=TIMEOUT_MS)
                warm.close()
                for network in ("unthrottled", "throttled"):
                    for name, (path, streamlit) in pages.items():
                        key = f"{name}/{network}"
                        if args.light_only and streamlit:
                            continue
                        results[key] = run_page(browser, server.url + path, streamlit=streamlit,
                                                throttled=network == "throttled",
                                                workers="block" if args.block_service_workers else "allow")
                        print(key, json.dumps(results[key]), flush=True)
                browser.close()
        finally:
            stop_server(server)

    print()
    print("| page | network | visit | bytes (compressed) | bytes (uncompressed) | requests (+ from cache) "
          "| line visible | profile visible | service worker, after load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key, by_visit in results.items():
        name, network = key.split("/")
        for v, r in by_visit.items():
            sw = f"{_kb(r['worker_bytes'])} in {r['worker_requests']}" if r["worker_requests"] else "–"
            print(f"| {name} | {network} | {v} | {_kb(r['bytes'])} | {_kb(r['decoded_bytes'] + r['ws_bytes'])} "
                  f"| {r['requests']} (+{r['from_cache']}) | {r['line_s']:.2f} s | {r['profile_s']:.2f} s | {sw} |")
    lt, st_ = results["light/throttled"], results.get("streamlit/throttled")
    print()
    print(f"light first visit, throttled: {_kb(lt['first']['bytes'])} (target ≤ {_kb(LIGHT_FIRST_MAX_BYTES)}), "
          f"line {lt['first']['line_s']:.2f} s, profile {lt['first']['profile_s']:.2f} s (target ≤ {LIGHT_FIRST_MAX_S} s)")
    print(f"light first visit, throttled: the service worker then fetched {_kb(lt['first']['worker_bytes'])} "
          f"in {lt['first']['worker_requests']} requests (offline pages, GPX, TCX, the page again; docs/offline.md)")
    print(f"light repeat visit, throttled: line {lt['repeat']['line_s']:.2f} s (target ≤ {LIGHT_REPEAT_MAX_S} s), "
          f"{_kb(lt['repeat']['bytes'])}")
    if st_:
        print(f"streamlit first visit, throttled: {_kb(st_['first']['bytes'])} = "
              f"{st_['first']['bytes'] / STREAMLIT_BEFORE_BYTES:.2f} of the 9.5 MB measured before (target ≤ 0.5); "
              f"uncompressed {_kb(st_['first']['decoded_bytes'] + st_['first']['ws_bytes'])} = "
              f"{(st_['first']['decoded_bytes'] + st_['first']['ws_bytes']) / STREAMLIT_BEFORE_BYTES:.2f}")
        print(f"light / streamlit bytes, first visit throttled: {lt['first']['bytes'] / st_['first']['bytes']:.3f}")
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_light.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
