"""What absurd and hostile input costs: each case in a fresh process, wall time and the process's peak memory.

Cases (issue 21): a GPX zig-zagging between the poles (30, 100 and 2 000 points), a real track with one
``<ele>1e300</ele>``, two points dated year 1 and year 9999, a CSV with a 200 000-character field, and the Tianxiang
route page with 20 areas of 5 000 vertices next to it. The command line runs as a user runs it
(``python -m routes info``); the editor's upload step and the public page run in a process that imports the app
first, so the figure is the growth a server would see. gpxpy reading the same 30-point pole file is printed for scale.

Run: .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"
SEED = ROOT / "data" / "seed" / "tianxiang.gpx"


def pole_file(n: int) -> bytes:
    return (HEAD + "".join(f'<trkpt lat="{89 if i % 2 else -89}" lon="{(i * 7) % 360 - 180}"/>' for i in range(n))
            + TAIL).encode()


def odd_elevation_file() -> bytes:
    text = SEED.read_text(encoding="utf-8")
    first = text.index("<ele>") + len("<ele>")
    return (text[:first] + "1e300" + text[text.index("</ele>", first):]).encode()


def odd_dates_file() -> bytes:
    return (HEAD + '<trkpt lat="30.0" lon="120.85"><time>0001-01-01T00:00:00Z</time></trkpt>'
            '<trkpt lat="30.001" lon="120.851"><time>9999-12-31T23:59:59Z</time></trkpt>' + TAIL).encode()


def long_field_csv() -> bytes:
    return ("name_zh,name_en,lat,lon,category\n" + "茶" * 200_000 + ",Tea,29.99,120.85,food\n").encode()


def measure(argv: list[str], env: dict | None = None) -> tuple[float, float, int, str]:
    """(seconds, peak RSS MB, exit code, last line it printed) of one fresh process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # reaps the child: its rusage is this process's alone
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
    return elapsed, usage.ru_maxrss / 1024, proc.returncode, lines[-1] if lines else ""


SERVER_UPLOAD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from routes.views.editing import prepare_upload
import routes.web.light, routes.views.guide  # what a replica has loaded before the upload
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    prepare_upload(open({path!r}, 'rb').read(), {name!r})
    verdict = 'accepted'
except Exception as exc:
    verdict = type(exc).__name__ + ': ' + exc.message('zh')
print(f'{{time.perf_counter() - start:.3f}} {{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024:.1f}} {{verdict}}')
"""

SERVER_AREAS = """
import resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.web import test_light_area_budget as m
from tests.web.asgi import get
class _Tmp:
    def mktemp(self, name): return Path(tempfile.mkdtemp())
app = next(m.app.__wrapped__(_Tmp()))
get(app, '/r/caoe-riverside')  # the server is warm: templates, imports
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
reply = get(app, '/r/tianxiang')
first = time.perf_counter() - start
start = time.perf_counter()
get(app, '/r/tianxiang')
again = time.perf_counter() - start
grow = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(f'{{first:.2f}} {{again:.3f}} {{len(reply.body)}} {{grow:.1f}}')
"""


def main() -> None:
    py = sys.executable
    tmp = Path(tempfile.mkdtemp())
    files = {
        "pole-30.gpx": pole_file(30), "pole-100.gpx": pole_file(100), "pole-2000.gpx": pole_file(2000),
        "ele-1e300.gpx": odd_elevation_file(), "dates-1-9999.gpx": odd_dates_file(),
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    print(f"{'case':38s} {'seconds':>8s} {'peak MB':>8s}  result")
    for name in files:
        s, mb, rc, line = measure([py, "-m", "routes", "info", str(tmp / name)])
        print(f"{'info ' + name:38s} {s:8.2f} {mb:8.1f}  exit {rc}: {line[:90]}")
    csv = tmp / "long-field.csv"
    csv.write_bytes(long_field_csv())
    db = f"sqlite:///{tmp / 'guide.db'}"
    s, mb, rc, line = measure([py, "-m", "routes", "import-pois", str(csv), "--db", db])
    print(f"{'import-pois 200 000-char field':38s} {s:8.2f} {mb:8.1f}  exit {rc}: {line[:90]}")
    print("server side (growth of a process that has loaded the app):")
    for name in ("pole-2000.gpx", "ele-1e300.gpx"):
        code = SERVER_UPLOAD.format(root=str(ROOT), path=str(tmp / name), name=name)
        out = subprocess.run([py, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        print(f"{'editor upload ' + name:38s} {float(out[0]):8.2f} {float(out[1]):8.1f}  {' '.join(out[2:])[:90]}")
    env = {**os.environ, "GUIDE_DATABASE_URL": f"sqlite:///{tmp / 'areas.db'}"}
    out = subprocess.run([py, "-c", SERVER_AREAS.format(root=str(ROOT))], cwd=ROOT, capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    print(f"{'/r/tianxiang, 20 areas x 5 000 vertices':38s} {float(out[0]):8.2f} {float(out[3]):8.1f}  "
          f"{int(out[2]) / 1000:.0f} kB of HTML; cached repeat {float(out[1]) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
