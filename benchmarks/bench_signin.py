"""Benchmark: a burst of parallel sign-ins — passwords checked, wall time and peak memory, argon2 bounded vs not.

Each setting runs in a fresh Python process on a fresh SQLite database: BURST threads sign in at once, half guessing
one account's password, half each trying a different unknown name (which passes the per-name lock-out, so argon2 is
really reached). "checked" counts attempts that reached argon2; peak RSS is the process's high-water mark minus its
level before the burst. The unbounded run sets ARGON2_MAX_CONCURRENT to the burst size (what main did: no limit).

Usage: .venv/bin/python benchmarks/bench_signin.py [--burst 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1])
from routes.store import open_store, passwords
from routes.store.auth import AuthError, sign_in

burst, slots, url = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
passwords._SLOTS = threading.BoundedSemaphore(slots)
store = open_store(url, seed=False)
store.add_user("alice", "correct horse battery", "editor")
passwords._dummy_hash()
base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
barrier = threading.Barrier(burst)

def one(i):
    barrier.wait()
    name = "alice" if i % 2 == 0 else f"nobody{i}"
    try:
        sign_in(store, name, "wrong password!")
    except AuthError as exc:
        return exc.key
    return "ok"

t0 = time.perf_counter()
with ThreadPoolExecutor(max_workers=burst) as pool:
    out = list(pool.map(one, range(burst)))
wall = time.perf_counter() - t0
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"slots": slots, "checked": out.count("bad_credentials"), "locked": out.count("locked"),
                  "busy": out.count("busy"), "wall_s": round(wall, 2), "peak_extra_mb": round((peak_kb - base_kb) / 1024)}))
"""


def run(burst: int, slots: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(burst), str(slots), url],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    from routes.store.passwords import ARGON2_MAX_CONCURRENT

    bounded, unbounded = run(args.burst, ARGON2_MAX_CONCURRENT), run(args.burst, args.burst)
    print(f"burst of {args.burst} sign-ins ({args.burst // 2} for one account, the rest unknown names)")
    print(f"{'argon2 slots':>14} {'checked':>8} {'locked':>7} {'busy':>5} {'wall s':>7} {'peak +MB':>9}")
    for r in (bounded, unbounded):
        print(f"{r['slots']:>14} {r['checked']:>8} {r['locked']:>7} {r['busy']:>5} {r['wall_s']:>7} "
              f"{r['peak_extra_mb']:>9}")
    print(f"peak memory ratio bounded/unbounded: {bounded['peak_extra_mb'] / max(1, unbounded['peak_extra_mb']):.2f}")


if __name__ == "__main__":
    main()
