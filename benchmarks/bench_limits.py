"""Load test: every public page with the most content the limits allow, rendered by Streamlit's AppTest.

The database holds the seed routes, a route of ``ROUTE_MAX_POINTS`` points (published) and ``POIS_MAX_TOTAL`` POIs
(imported ``IMPORT_MAX_RECORDS`` at a time, as an editor would). Each page runs cold (first view in this process:
files read and analysed) then warm (analysis cached), and the race planner runs with the most laps of the loop that
``MAX_RACE_M`` allows. Prints wall time per run and the process's peak RSS growth, and fails (exit 1) when a run
exceeds ``--budget-s``.

Usage: .venv/bin/python benchmarks/bench_limits.py [--budget-s 120]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BIG_SLUG = "bench-max-points"
BENCH_PASSWORD = "bench password for the planner"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(folder: Path) -> str:
    from bench_gpx import make_gpx

    from routes.core.limits import IMPORT_MAX_RECORDS, POIS_MAX_TOTAL, ROUTE_MAX_POINTS
    from routes.store import open_store

    url = f"sqlite:///{folder / 'guide.db'}"
    store = open_store(url)
    gpx = folder / "big.gpx"
    make_gpx(gpx, ROUTE_MAX_POINTS)
    store.create_route(BIG_SLUG, gpx=gpx.read_bytes(), filename="big.gpx", user="bench",
                       fields={"name_zh": "最大路线", "name_en": "Largest route", "status": "published"})
    live = len([p for p in store.list_pois() if not p.deleted])
    n = POIS_MAX_TOTAL - live
    rows = [f"点{i},Place {i},{29.95 + (i % 100) * 8e-4:.6f},{120.80 + (i // 100) * 2e-3:.6f},viewpoint"
            for i in range(n)]
    for start in range(0, n, IMPORT_MAX_RECORDS):
        data = ("name_zh,name_en,lat,lon,category\n" + "\n".join(rows[start : start + IMPORT_MAX_RECORDS])).encode()
        store.apply_poi_import(store.preview_poi_import(data, "pois.csv"), user="bench")
    store.add_user("bench", BENCH_PASSWORD, "organiser")  # the race planner is for signed-in organisers
    return url


def run_page(page: str | None, *, state: dict | None = None, **params: str) -> tuple[float, list]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["lang"] = "zh"
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    if page:
        at.switch_page(page)
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0, list(at.exception) + [e.value for e in at.error]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-s", type=float, default=120.0, help="longest acceptable single page run")
    args = parser.parse_args()
    from routes.core.limits import POIS_MAX_TOTAL, ROUTE_MAX_POINTS
    from routes.race.plan import MAX_RACE_M

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        url = prepare(Path(tmp))
        print(f"database: {POIS_MAX_TOTAL} POIs, a {ROUTE_MAX_POINTS:,}-point route ({time.perf_counter() - t0:.0f} s)")
        os.environ["GUIDE_DATABASE_URL"] = url
        os.chdir(ROOT)
        from routes.store import open_store

        loop = open_store(url).get_route("lianghu-loop")
        from routes.views import guide

        loop_m = guide.load_route(open_store(url), "lianghu-loop")[1].distance_m
        max_laps = int(MAX_RACE_M // loop_m)
        from routes.store.auth import sign_in

        organiser = sign_in(open_store(url), "bench", BENCH_PASSWORD)
        runs = [
            ("catalogue", None, {}, {}),
            ("pois", "pages/pois.py", {}, {}),
            ("pois, last page", "pages/pois.py", {"pois_page": -(-POIS_MAX_TOTAL // 50)}, {}),
            (f"route {BIG_SLUG}", "pages/route.py", {}, {"id": BIG_SLUG}),
            (f"race {max_laps} laps", "pages/race.py", {"race_laps": max_laps, "editor_session": organiser}, {}),
        ]
        assert loop is not None
        base = _rss_mb()
        worst = 0.0
        print(f"{'page':28s} {'cold s':>7s} {'warm s':>7s}  problems")
        for label, page, state, params in runs:
            cold, problems = run_page(page, state=state, **params)
            warm, _ = run_page(page, state=state, **params)
            worst = max(worst, cold, warm)
            print(f"{label:28s} {cold:7.1f} {warm:7.1f}  {problems[:1] or ''}")
        print(f"peak RSS growth over the runs: {_rss_mb() - base:.0f} MB (peak {_rss_mb():.0f} MB)")
        print(f"slowest run {worst:.1f} s, budget {args.budget_s:.0f} s, ratio {worst / args.budget_s:.2f}")
        return 0 if worst <= args.budget_s else 1


if __name__ == "__main__":
    sys.exit(main())
