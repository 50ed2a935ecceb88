"""Load on the public stack: K visitors open the route page at once through nginx, for 1 and 2 replicas.

    .venv/bin/python benchmarks/bench_load.py                       # K = 1, 10, 50, 100; 1 and 2 replicas
    .venv/bin/python benchmarks/bench_load.py --ks 1,10 --replicas 2 --browsers 1
    .venv/bin/python benchmarks/bench_load.py --ks 100 --replicas 2 --browsers-per-round 3   # three Chromium at once
    .venv/bin/python benchmarks/bench_load.py --url http://127.0.0.1:8080 --replicas 2   # a stack already running

Each visitor opens `route?id=tianxiang` and waits for the line: a few are real Chromium contexts (waiting for the
line drawn in the map), the rest a light client that speaks Streamlit's own WebSocket protocol (its protobufs: one
BackMsg rerun_script, then ForwardMsgs until the map element arrives and the script has finished). The time to the
line is from the start of the visit to the ForwardMsg carrying the map element — for the embedded map + profile
viewer (an iframe of /r/<slug>/embed), until that page has been fetched too, as a browser would — or
script_finished when there is none, so the figure does not depend on how the page draws its map.

Bounded: at most --max-k visitors per round, --visit-timeout seconds per visit, loopback only. Without --url it
starts its own stack (deploy/stack.py, private PostgreSQL) in a temp dir on free ports and stops it at the end.
Printed per round: p50/p95/max time to the line, errors, visits/s and HTTP requests/s (nginx access log), memory
per replica (RSS) and per session (RSS growth / sessions), CPU of the replicas (cores busy during the round, and
CPU seconds per visit: the figure for capacity, as it does not depend on what else the machine is doing). The
"browser" column is ok/n:max (Chromium visitors that got the line, of how many, and the slowest one's time to the
drawn line); light95 is the p95 of the light clients alone; nginx-s the proxy's CPU seconds in the round; out the
times the supervisor took a replica out of the proxy during the round; busy the cores the whole machine kept busy
during the round (/proc/stat); repl-s, gen-s and pg-s the CPU seconds of the replicas, of the load generator
(this process, Playwright's driver and Chromium) and of PostgreSQL in the round — on a 2-core machine the load
generator competes with the replicas it measures.

The real browsers: at most one in ten visitors, and by default one per round (--browsers-per-round): a crowd size is
repeated until each has met a full crowd. Several Chromium instances drawing the page at once on the stack's own two
cores slow each other down before any replica is involved (a visitor's phone does not share its CPU with the other
riders'); --browsers-per-round 3 measures that case too. Each browser is timed on its own, and a lone Chromium
visitor (median of three) is the single visitor the issue's 3x target is measured against.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
STACK = ROOT / "deploy" / "stack.py"
PAGE_QUERY = "id=tianxiang&lang=zh"
PAGE_NAME = "route"
#: The map: streamlit-folium's component (older route pages) or the embedded map + profile viewer (/r/<slug>/embed).
MAP_COMPONENT = "st_folium"
VIEWER_PATH = "/embed"
MAP_FRAMES = f'iframe[src*="{VIEWER_PATH}"], iframe[title="streamlit_folium.{MAP_COMPONENT}"]'
#: The issue's knee: the number of visitors at which p95 passes this.
KNEE_P95_S = 5.0
#: The issue's target: with 2 replicas and 100 visitors, p95 of the time to the line within this many times a single
#: visitor's, a lone Chromium visitor (what a person waits for, bundles and drawing included). Checked for every
#: visitor of the crowd and for its real browsers alone; the light clients' time is the replicas' part only.
TARGET_RATIO = 3.0
#: Lone Chromium visits per replica count; their median is the single browser visitor's time.
LONE_BROWSER_RUNS = 3
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _fetch(url: str, cookie: str) -> int:
    import urllib.request

    req = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return len(resp.read())


@dataclass
class Visit:
    ok: bool
    line_s: float | None = None
    finished_s: float | None = None
    error: str = ""
    kind: str = "light"


@dataclass
class Round:
    replicas: int
    k: int
    visits: list[Visit] = field(default_factory=list)
    wall_s: float = 0.0
    http_requests: int = 0
    rss_idle_mb: list[float] = field(default_factory=list)
    rss_loaded_mb: list[float] = field(default_factory=list)
    cpu_cores: float = 0.0
    cpu_s: float = 0.0
    nginx_cpu_s: float = 0.0
    machine_cores: float = 0.0
    gen_cpu_s: float = 0.0
    pg_cpu_s: float = 0.0
    taken_out: int = 0


# --- the light client -------------------------------------------------------------------------------------------------


async def light_visit(ws_url: str, timeout_s: float, hold: asyncio.Event, report) -> None:  # noqa: ANN001
    """One visitor over Streamlit's WebSocket protocol: ``report(visit)`` once it has the line (or failed), then the
    session stays open until ``hold`` is set, so memory is measured with every session alive."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.monotonic()
    visit = Visit(ok=False)
    reported = False
    cookie = f"guide_affinity={os.urandom(8).hex()}"
    http_base = ws_url.replace("ws://", "http://").split("/_stcore/", 1)[0]
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout_s,
                                      # A browser's WebSocket sends no pings; a client that does would count a
                                      # replica busy for 20 s as an error where a browser just waits.
                                      ping_interval=None,
                                      additional_headers={"Cookie": cookie}) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = PAGE_QUERY
            msg.rerun_script.page_name = PAGE_NAME
            await ws.send(msg.SerializeToString())
            deadline = t0 + timeout_s
            while True:
                data = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
                fwd = ForwardMsg()
                fwd.ParseFromString(data)
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    el = fwd.delta.new_element
                    which = el.WhichOneof("type")
                    if which == "exception":
                        visit.error = "exception: " + el.exception.message[:120]
                    elif which == "component_instance" and MAP_COMPONENT in el.component_instance.component_name:
                        visit.line_s = visit.line_s or time.monotonic() - t0
                    elif which == "iframe" and VIEWER_PATH in el.iframe.src and visit.line_s is None:
                        # The route page embeds the map + profile viewer (/r/<slug>/embed): the line is there when
                        # the browser has fetched it, from the same replica (same affinity cookie).
                        await asyncio.to_thread(_fetch, http_base + el.iframe.src, cookie)
                        visit.line_s = time.monotonic() - t0
                elif kind == "script_finished":
                    if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the page asked for a rerun (e.g. the language in the URL); wait for that one
                    visit.finished_s = time.monotonic() - t0
                    if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        visit.error = visit.error or f"script_finished {fwd.script_finished}"
                    break
            visit.line_s = visit.line_s or visit.finished_s
            visit.ok = not visit.error and visit.line_s is not None
            report(visit)
            reported = True
            await hold.wait()
    except Exception as exc:  # noqa: BLE001 - every failure of a visit is counted, whatever it is
        visit.error = visit.error or f"{type(exc).__name__}: {exc}"[:160]
        visit.ok = False
        if not reported:
            report(visit)


# --- real browsers ----------------------------------------------------------------------------------------------------


def browser_visits(url: str, n: int, timeout_s: float, out: list[Visit], started: threading.Event,
                   hold: threading.Event) -> None:
    """``n`` Chromium contexts open the page at once, each timed on its own (Playwright's async API, in this thread's
    own event loop). Foreign hosts are kept out by the resolver, not by routing requests through the driver: a
    visitor's browser has no driver, and in a crowd that round trip through this (busy) process would be counted as
    the page's time."""
    asyncio.run(_browser_visits(url, n, timeout_s, out, started, hold))


async def _browser_visits(url: str, n: int, timeout_s: float, out: list[Visit], started: threading.Event,
                          hold: threading.Event) -> None:
    from harness import BLOCK_FOREIGN_ARG, CHROMIUM, CHROMIUM_ARGS, DESKTOP
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_FOREIGN_ARG])
        pages = []
        for _ in range(n):
            ctx = await browser.new_context(viewport=DESKTOP, locale="zh-CN")
            ctx.set_default_timeout(timeout_s * 1000)
            pages.append(await ctx.new_page())
        started.set()
        t0 = time.monotonic()

        async def visit(page) -> Visit:  # noqa: ANN001
            try:
                await page.goto(f"{url}/{PAGE_NAME}?{PAGE_QUERY}", wait_until="commit")
            except Exception as exc:  # noqa: BLE001 - the page did not even start: an error like any other
                return Visit(ok=False, error=f"browser: {type(exc).__name__} opening the page", kind="browser")
            try:
                await page.frame_locator(MAP_FRAMES).first.locator("path.route-line").first.wait_for()
            except Exception as exc:  # noqa: BLE001
                return Visit(ok=False, error=f"browser: {type(exc).__name__}"[:160], kind="browser")
            return Visit(ok=True, line_s=time.monotonic() - t0, kind="browser")

        out.extend(await asyncio.gather(*(visit(page) for page in pages)))
        await asyncio.to_thread(hold.wait, timeout_s)
        await browser.close()


def lone_browser_s(url: str, timeout_s: float, runs: int = LONE_BROWSER_RUNS) -> float | None:
    """A single visitor in a real browser, alone on the stack: the median time to the drawn line over ``runs``
    visits, each in a new context (an empty cache, as the browsers in the crowds have)."""
    times = []
    for _ in range(runs):
        out: list[Visit] = []
        started, hold = threading.Event(), threading.Event()
        hold.set()
        browser_visits(url, 1, timeout_s, out, started, hold)
        times += [v.line_s for v in out if v.ok and v.line_s is not None]
    return sorted(times)[len(times) // 2] if times else None


def first_visit_bytes(url: str) -> tuple[int, int, int]:
    """(bytes over the wire, of which the largest single response, requests) for a first visit with an empty cache,
    from Chromium's CDP encodedDataLength."""
    from harness import CHROMIUM, CHROMIUM_ARGS, DESKTOP, open_context
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ctx, _ = open_context(browser, DESKTOP)
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: list[int] = []
        cdp.on("Network.loadingFinished", lambda e: sizes.append(int(e["encodedDataLength"])))
        page.goto(f"{url}/{PAGE_NAME}?{PAGE_QUERY}")
        page.frame_locator(MAP_FRAMES).first.locator(
            "path.route-line"
        ).first.wait_for(timeout=120_000)
        page.wait_for_timeout(2000)  # late fonts and images
        browser.close()
    return sum(sizes), max(sizes), len(sizes)


# --- the stack and its processes --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return out


def rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e6


def machine_busy_s() -> float:
    """CPU seconds all cores of this machine have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLK_TCK


def generator_cpu_s() -> float:
    """CPU seconds of the load generator so far: this process (the light clients, Playwright's thread) and the
    children it has reaped (Playwright's driver and its Chromium, which end with each round's browsers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def cpu_s(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(") ", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


class OwnStack:
    def __init__(self, tmp: Path, replicas: int) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GUIDE_", "STREAMLIT_"))}
        self.http_port = _free_port()
        self.env.update({
            "GUIDE_RUN_DIR": str(tmp / f"run{replicas}"), "GUIDE_PG_DIR": str(tmp / "pg"),
            "GUIDE_HTTP_PORT": str(self.http_port), "GUIDE_PG_PORT": str(self.pg_port(tmp)),
            "GUIDE_REPLICA_PORTS": ",".join(str(_free_port()) for _ in range(replicas)),
            "GUIDE_LISTEN_ADDRESS": "127.0.0.1", "GUIDE_PYTHON": sys.executable,
        })
        self.run_dir = tmp / f"run{replicas}"

    @staticmethod
    def pg_port(tmp: Path) -> int:
        f = tmp / "pg-port"
        if not f.exists():
            f.write_text(str(_free_port()))
        return int(f.read_text())

    def up(self) -> None:
        r = subprocess.run([sys.executable, str(STACK), "up"], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stdout + r.stderr)

    def down(self) -> None:
        subprocess.run([sys.executable, str(STACK), "down"], env=self.env, cwd=ROOT, capture_output=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def replica_pids(self) -> list[int]:
        status = json.loads((self.run_dir / "status.json").read_text())
        return [r["pid"] for r in status["replicas"] if r["pid"]]

    def nginx_pid(self) -> int | None:
        return json.loads((self.run_dir / "status.json").read_text()).get("nginx_pid")

    def pg_pid(self) -> int | None:
        try:
            return int((Path(self.env["GUIDE_PG_DIR"]) / "cluster" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def supervisor_log(self) -> Path:
        return self.run_dir / "stack.log"

    def replica_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.env["GUIDE_REPLICA_PORTS"].split(",")]

    def access_log(self) -> Path:
        return self.run_dir / "logs" / "nginx-access.log"


# --- a round ----------------------------------------------------------------------------------------------------------


async def _crowd(ws_url: str, n: int, timeout_s: float, pids: list[int], rnd: Round, browser_out: list[Visit],
                 n_browsers: int) -> list[Visit]:
    """Start ``n`` light visitors at once; once each has its line (or failed) and the browsers are done, measure RSS
    with every session still open, then let them all go."""
    import concurrent.futures

    # One thread per visitor for the viewer page's fetch: the default pool (a few threads) would queue a crowd's
    # fetches in the load generator and count that queue as the replicas' time.
    asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=max(1, n)))
    hold = asyncio.Event()
    results: list[Visit] = []
    tasks = [asyncio.create_task(light_visit(ws_url, timeout_s, hold, results.append)) for _ in range(n)]
    deadline = time.monotonic() + timeout_s + 10
    while (len(results) < n or len(browser_out) < n_browsers) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    rnd.rss_loaded_mb = [rss_mb(p) for p in pids]
    hold.set()
    await asyncio.wait(tasks, timeout=30)
    for t in tasks:
        if not t.done():
            t.cancel()
    missing = n - len(results)
    return results + [Visit(ok=False, error="no answer in time")] * missing


def light_page_round(url: str, k: int, timeout_s: float) -> tuple[list[float], int, float]:
    """K visitors fetch the light route page /r/tianxiang at once (plain HTTP through the proxy, each with its own
    affinity cookie, as many browsers would): (seconds per fetch, errors, wall seconds)."""

    def one() -> float | None:
        t0 = time.monotonic()
        try:
            _fetch(f"{url}/r/tianxiang", f"guide_affinity={os.urandom(8).hex()}")
        except OSError:
            return None
        return time.monotonic() - t0

    async def crowd() -> list[float | None]:
        return await asyncio.wait_for(asyncio.gather(*(asyncio.to_thread(one) for _ in range(k))), timeout_s)

    import concurrent.futures

    t0 = time.monotonic()
    loop = asyncio.new_event_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=k))
    try:
        times = loop.run_until_complete(crowd())
    finally:
        loop.close()
    wall = time.monotonic() - t0
    ok = [x for x in times if x is not None]
    return ok, len(times) - len(ok), wall


def warm_up(url: str, replica_urls: list[str]) -> None:
    """One visit on each replica (directly) so the rounds measure a warm guide: the route's analysis is computed
    once per process and GPX revision, which a crowd on a race weekend never pays for."""

    async def visits() -> list[Visit]:
        out: list[Visit] = []
        hold = asyncio.Event()
        hold.set()
        for base in replica_urls or [url, url]:
            await light_visit(base.replace("http://", "ws://") + "/_stcore/stream", 120, hold, out.append)
        return out

    bad = [v.error for v in asyncio.run(visits()) if not v.ok]
    if bad:
        raise SystemExit(f"warm-up failed: {bad}")


def run_round(url: str, k: int, browsers: int, timeout_s: float, pids: list[int], log: Path | None,
              replicas: int, stack: OwnStack | None = None) -> Round:
    rnd = Round(replicas=replicas, k=k)
    rnd.rss_idle_mb = [rss_mb(p) for p in pids]
    cpu0 = sum(cpu_s(p) for p in pids)
    busy0, busy_t0 = machine_busy_s(), time.monotonic()
    nginx = stack.nginx_pid() if stack else None
    nginx0 = cpu_s(nginx) if nginx else 0.0
    pg = stack.pg_pid() if stack else None
    pg0 = cpu_s(pg) if pg else 0.0
    gen0 = generator_cpu_s()
    sup_mark = stack.supervisor_log().stat().st_size if stack else 0
    log_mark = log.stat().st_size if log and log.exists() else 0
    n_browsers = min(browsers, k)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    browser_out: list[Visit] = []
    b_started, b_hold = threading.Event(), threading.Event()
    thread = None
    if n_browsers:
        thread = threading.Thread(
            target=browser_visits, args=(url, n_browsers, timeout_s, browser_out, b_started, b_hold), daemon=True
        )
        thread.start()
        b_started.wait(120)
    t0 = time.monotonic()
    visits = asyncio.run(_crowd(ws_url, k - n_browsers, timeout_s, pids, rnd, browser_out, n_browsers))
    rnd.wall_s = time.monotonic() - t0
    if thread:
        b_hold.set()
        thread.join(60)
    rnd.visits = visits + browser_out
    rnd.cpu_s = sum(cpu_s(p) for p in pids) - cpu0
    rnd.machine_cores = (machine_busy_s() - busy0) / max(time.monotonic() - busy_t0, 1e-9)
    # Cores used over the whole round (browsers' start included), the same window as the machine's busy cores.
    rnd.cpu_cores = rnd.cpu_s / max(time.monotonic() - busy_t0, 1e-9)
    if nginx:
        rnd.nginx_cpu_s = cpu_s(nginx) - nginx0
    if pg:
        rnd.pg_cpu_s = cpu_s(pg) - pg0
    rnd.gen_cpu_s = generator_cpu_s() - gen0
    if stack:
        with stack.supervisor_log().open("rb") as f:
            f.seek(sup_mark)
            rnd.taken_out = sum(1 for line in f if b"proxy replica set" in line and not line.rstrip().endswith(b"[]"))
    if log and log.exists():
        with log.open("rb") as f:
            f.seek(log_mark)
            rnd.http_requests = sum(1 for _ in f)
    return rnd


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def report(rnd: Round) -> str:
    lines = [v.line_s for v in rnd.visits if v.ok and v.line_s is not None]
    errors = [v for v in rnd.visits if not v.ok]
    grown = sum(rnd.rss_loaded_mb) - sum(rnd.rss_idle_mb)
    per_session = grown / rnd.k if rnd.k else 0.0
    browsers = [v.line_s for v in rnd.visits if v.kind == "browser" and v.ok]
    n_br = sum(1 for v in rnd.visits if v.kind == "browser")
    br = f"{len(browsers)}/{n_br}:{max(browsers):.1f}" if browsers else (f"0/{n_br}" if n_br else "-")
    light = [v.line_s for v in rnd.visits if v.kind == "light" and v.ok]
    return (
        f"{rnd.replicas:>8} {rnd.k:>4} {br:>7} {pct(lines, 0.5):>7.2f} {pct(lines, 0.95):>7.2f} "
        f"{max(lines) if lines else float('nan'):>7.2f} {len(errors):>6} {len(lines) / rnd.wall_s:>8.1f} "
        f"{rnd.http_requests / rnd.wall_s:>7.1f} {'/'.join(f'{m:.0f}' for m in rnd.rss_loaded_mb):>11} "
        f"{per_session:>8.2f} {rnd.cpu_cores:>5.2f} {rnd.cpu_s / rnd.k:>7.2f} {pct(light, 0.95):>8.2f} "
        f"{rnd.nginx_cpu_s:>7.2f} {rnd.taken_out:>4} {rnd.machine_cores:>5.2f} {rnd.cpu_s:>6.1f} "
        f"{rnd.gen_cpu_s:>6.1f} {rnd.pg_cpu_s:>5.1f}"
    )


HEADER = (
    "replicas    K browser  p50(s)  p95(s)  max(s) errors visits/s  req/s  RSS/repl MB  MB/sess  CPU  s/visit light95 nginx-s out  busy repl-s  gen-s  pg-s\n"
    "-------- ---- ------- ------- ------- ------- ------ -------- ------- ----------- -------- ----- ------- -------- ------- ---- ----- ------ ------ -----"
)


def browsers_per_round(k: int, browsers: int, per_round: int) -> list[int]:
    """How many Chromium visitors each round of crowd size ``k`` has: one round with none for the smallest crowds, else
    as many rounds as it takes to send min(browsers, k // 10) of them, at most ``per_round`` in each."""
    n = min(browsers, k // 10)
    per_round = max(1, per_round)
    return [min(per_round, n - i) for i in range(0, n, per_round)] or [0]


def summary(replicas: int, mine: list[Round], lone: float | None) -> None:
    """The knee and the issue's targets for one replica count, the rounds of one crowd size taken together."""
    by_k: dict[int, list[Visit]] = {}
    for r in mine:
        by_k.setdefault(r.k, []).extend(r.visits)
    knee = next((k for k, visits in by_k.items() if pct([v.line_s for v in visits if v.ok], 0.95) > KNEE_P95_S), None)
    single_light = pct([v.line_s for v in by_k.get(1, []) if v.ok], 0.5) if 1 in by_k else None
    k_max = max(by_k)
    visits = by_k[k_max]
    n_rounds = sum(1 for r in mine if r.k == k_max)
    every = [v.line_s for v in visits if v.ok]
    errors = sum(not v.ok for v in visits)
    print(f"{replicas} replica(s): knee (p95 > {KNEE_P95_S:.0f} s) at K = {knee or 'none up to ' + str(k_max)}; "
          f"K = {k_max} ({n_rounds} round(s)): {errors} errors (target: none: {'met' if not errors else 'not met'})")

    def verdict(r: float) -> str:
        return f"target {TARGET_RATIO:.0f}x: {'met' if r <= TARGET_RATIO else 'not met'}"

    browsers = [v.line_s for v in visits if v.ok and v.kind == "browser"]
    if lone:
        r = pct(every, 0.95) / lone
        print(f"  every visitor: p95 {pct(every, 0.95):.2f} s / {lone:.2f} s for a single visitor in Chromium = "
              f"{r:.1f}x ({verdict(r)})")
    if lone and browsers:
        # A few browsers: their p95 is their slowest.
        r = pct(browsers, 0.95) / lone
        print(f"  Chromium visitors in the crowd: slowest {pct(browsers, 0.95):.2f} s of {len(browsers)} / "
              f"{lone:.2f} s alone = {r:.1f}x ({verdict(r)})")
    light = [v.line_s for v in visits if v.ok and v.kind == "light"]
    if single_light and light:
        r = pct(light, 0.95) / single_light
        print(f"  light clients (the replicas' part alone, no page drawn): p95 {pct(light, 0.95):.2f} s / "
              f"{single_light:.2f} s alone = {r:.0f}x: K visits arriving in one instant queue for the replicas' "
              f"cores, however fast each is")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ks", default="1,10,50,100", help="crowd sizes, comma-separated")
    ap.add_argument("--replicas", default="1,2", help="replica counts to run (own stack), comma-separated")
    ap.add_argument("--browsers", type=int, default=3,
                    help="real Chromium visitors per crowd size of 10 or more (at most one in ten visitors)")
    ap.add_argument("--browsers-per-round", type=int, default=1,
                    help="at most this many of them in one round: the crowd size is repeated until each has met a "
                         "full crowd (several Chromium instances on the stack's own cores slow each other down "
                         "before any replica is involved; a visitor's phone does not share its CPU)")
    ap.add_argument("--visit-timeout", type=float, default=90.0, help="seconds one visit may take before it fails")
    ap.add_argument("--max-k", type=int, default=100, help="upper bound on a crowd")
    ap.add_argument("--url", help="measure a stack that is already running here (loopback only)")
    ap.add_argument("--light-page", action="store_true",
                    help="only the light page /r/tianxiang (plain HTTP GETs through the proxy), no Streamlit session")
    args = ap.parse_args()
    ks = [min(int(k), args.max_k) for k in args.ks.split(",")]
    if args.url and not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("loopback only")
    rounds: list[Round] = []
    lone_browser: dict[int, float | None] = {}
    print(f"route page {PAGE_NAME}?{PAGE_QUERY}; {os.cpu_count()} CPUs on this machine, shared with the load generator;"
          f" load average before: {os.getloadavg()[0]:.1f}")
    tmp = Path(tempfile.mkdtemp(prefix="guide-bench-"))
    tmp.chmod(0o755)
    try:
        for replicas in [int(r) for r in args.replicas.split(",")]:
            stack = None
            if args.url:
                url, pids, log = args.url, [], None
            else:
                stack = OwnStack(tmp, replicas)
                stack.up()
                url, pids, log = stack.url, stack.replica_pids(), stack.access_log()
            try:
                if args.light_page:
                    print(f"\n{replicas} replica(s): light page /r/tianxiang, K simultaneous GETs through the proxy")
                    for i in range(4):  # warm: the page's analysis on each replica (different cookies spread them)
                        _fetch(f"{url}/r/tianxiang", f"guide_affinity=warm{i}")
                    for k in ks:
                        times, errors, wall = light_page_round(url, k, args.visit_timeout)
                        print(f"  K = {k:>3}: p50 {pct(times, 0.5):.2f} s  p95 {pct(times, 0.95):.2f} s  "
                              f"max {max(times, default=float('nan')):.2f} s  errors {errors}  "
                              f"{len(times) / wall:.1f} pages/s  (load {os.getloadavg()[0]:.1f})", flush=True)
                    continue
                warm_up(url, stack.replica_urls() if stack else [])
                total, largest, n = first_visit_bytes(url)
                print(f"\n{replicas} replica(s): first visit through the proxy {total / 1e6:.2f} MB in {n} responses "
                      f"(largest {largest / 1e6:.2f} MB), Chromium CDP encodedDataLength")
                if stack and replicas == 1:
                    direct, _, _ = first_visit_bytes(stack.replica_urls()[0])
                    print(f"  the same visit straight to the replica (no proxy): {direct / 1e6:.2f} MB")
                if args.browsers:
                    lone = lone_browser_s(url, args.visit_timeout)
                    lone_browser[replicas] = lone
                    print(f"  a single visitor in Chromium, alone: {lone:.2f} s to the drawn line "
                          f"(median of {LONE_BROWSER_RUNS}, new context each)" if lone else "  lone browser: failed")
                print(HEADER)
                for k in ks:
                    for n_browsers in browsers_per_round(k, args.browsers, args.browsers_per_round):
                        rnd = run_round(url, k, n_browsers, args.visit_timeout, pids, log, replicas, stack)
                        rounds.append(rnd)
                        print(report(rnd) + f"  (load {os.getloadavg()[0]:.1f})", flush=True)
                        for err in sorted({v.error for v in rnd.visits if not v.ok})[:3]:
                            print("         error:", err)
                        time.sleep(3)  # let the sessions of the last round close
            finally:
                if stack:
                    stack.down()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    for replicas in sorted({r.replicas for r in rounds}):
        summary(replicas, [r for r in rounds if r.replicas == replicas], lone_browser.get(replicas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
