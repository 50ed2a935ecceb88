"""Benchmark: reading a 100 000-point GPX with routes.io.gpxio against gpxpy, each in a fresh process.

Run: python benchmarks/bench_gpx.py [--points N]
Prints wall time and peak memory (peak RSS above the RSS after imports; Linux /proc) for each reader and the ratios,
then the whole command a user runs, `python -m routes info FILE`, against a script that only calls `gpxpy.parse`
(gpxpy reads with lxml when it is installed, as here): each a fresh process timed from start to exit, with the
process's peak resident memory (interpreter and imports included on both sides).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "benchmarks" / "out"
POINTS_PER_LAP = 5_000  # a 25 km loop at 5 m a point
REPEATS = 3  # best of three: the machine may be busy with something else


def make_gpx(path: Path, n_points: int, *, sensors: bool = False) -> None:
    """A 1 Hz ride around Lianghu with elevation and time, laid out as common exporters write it (≈16 MB for
    100 000 points); with sensors, Garmin TrackPointExtension heart rate and cadence on every point as well."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        "<trk><name>benchmark ride</name><trkseg>\n"
    ]
    t0 = 1_714_550_400  # 2024-05-01T08:00:00Z
    # Laps of a 25 km loop at 18 km/h (5 m a second), rolling hills, a little GPS noise on the position.
    for i in range(n_points):
        a = i / POINTS_PER_LAP * 2 * math.pi
        lat = 29.99 + 0.0225 * math.sin(a) + 2e-6 * math.sin(i * 1.7)
        lon = 120.85 + 0.026 * math.cos(a) + 2e-6 * math.cos(i * 2.3)
        ele = 60 + 40 * math.sin(3 * a) + 15 * math.sin(11 * a) + 0.8 * math.sin(i * 0.9)
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t0 + i)) + ".000Z"
        ext = (
            f"        <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{120 + i % 40}</gpxtpx:hr>"
            f"<gpxtpx:cad>{80 + i % 15}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>\n"
            if sensors
            else ""
        )
        lines.append(
            f'      <trkpt lat="{lat:.15f}" lon="{lon:.15f}">\n        <ele>{ele:.3f}</ele>\n'
            f"        <time>{ts}</time>\n{ext}      </trkpt>\n"
        )
    lines.append("</trkseg></trk>\n</gpx>\n")
    path.write_text("".join(lines), encoding="utf-8")


def _child(reader: str, path: str) -> None:
    """Runs in a fresh interpreter: import, note the baseline, read, report."""
    sys.path.insert(0, str(ROOT))
    if reader == "gpxpy":
        import gpxpy

        def read() -> int:
            with open(path, encoding="utf-8") as fh:
                g = gpxpy.parse(fh)
            return sum(len(s.points) for t in g.tracks for s in t.segments)
    elif reader == "routes":
        import lxml.etree  # noqa: F401  (gpxpy's own imports are done before its clock starts too)

        from routes.io.gpxio import read_gpx

        def read() -> int:
            return read_gpx(path).n_points
    elif reader == "routes-analysis":
        from routes.analysis.summary import analyse
        from routes.io.gpxio import read_gpx

        def read() -> int:
            track = read_gpx(path)
            start = time.perf_counter()
            analyse(track)
            print(json.dumps({"analysis_s": time.perf_counter() - start}), file=sys.stderr)
            return track.n_points
    else:  # lxml floor: parse the whole tree and do nothing with it
        from lxml import etree

        def read() -> int:
            return len(etree.parse(path).getroot())
    # The kernel's high-water mark is reset after the imports, so the peak is the reader's own, not an import's.
    Path("/proc/self/clear_refs").write_text("5")
    base_kb = _status_kb("VmRSS")
    start = time.perf_counter()
    n = read()
    elapsed = time.perf_counter() - start
    peak_kb = _status_kb("VmHWM")
    print(json.dumps({"points": n, "seconds": elapsed, "peak_mb": (peak_kb - base_kb) / 1024}))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status (Linux only)")


def run(reader: str, path: Path) -> dict:
    best = None
    for _ in range(REPEATS):
        res = subprocess.run(
            [sys.executable, __file__, "--child", reader, str(path)], capture_output=True, text=True, check=True
        )
        result = json.loads(res.stdout.strip().splitlines()[-1])
        for line in res.stderr.splitlines():
            if line.startswith("{"):
                result.update(json.loads(line))
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def whole_command(argv: list[str]) -> dict:
    """Best of REPEATS: wall seconds from spawn to exit and the process's peak RSS in MB (wait4's ru_maxrss)."""
    best = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{argv} failed: {proc.stderr.read().decode()}")
        proc.stderr.close()
        result = {"seconds": elapsed, "peak_mb": usage.ru_maxrss / 1024}
        if best is None or elapsed < best["seconds"]:
            best = result
    return best


def compare_info(path: Path) -> None:
    gpxpy_script = (
        "import sys, gpxpy\n"
        "with open(sys.argv[1], encoding='utf-8') as fh:\n"
        "    g = gpxpy.parse(fh)\n"
    )
    g = whole_command([sys.executable, "-c", gpxpy_script, str(path)])
    o = whole_command([sys.executable, "-m", "routes", "info", str(path)])
    print(f"whole command, fresh process (best of {REPEATS}):")
    print(f"  python -c 'gpxpy.parse(...)'     {g['seconds']:7.3f} s  peak RSS {g['peak_mb']:7.1f} MB")
    print(f"  python -m routes info FILE       {o['seconds']:7.3f} s  peak RSS {o['peak_mb']:7.1f} MB")
    print(f"  info vs gpxpy.parse: {g['seconds'] / o['seconds']:.1f}x faster, "
          f"{o['peak_mb'] / g['peak_mb']:.2f} of its peak memory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--analysis", action="store_true", help="also time the full analysis of the track")
    parser.add_argument("--sensors", action="store_true", help="Garmin-style file with heart rate and cadence too")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"bench_{args.points}{'_sensors' if args.sensors else ''}.gpx"
    if not path.exists():
        make_gpx(path, args.points, sensors=args.sensors)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path.name}, {args.points} points, {size_mb:.1f} MB")
    results = {name: run(name, path) for name in ("gpxpy", "routes", "lxml-tree")}
    for name, r in results.items():
        print(f"{name:10s} {r['seconds']:7.3f} s  peak {r['peak_mb']:7.1f} MB  ({r['points']} points)")
    g, o = results["gpxpy"], results["routes"]
    print(f"speed-up vs gpxpy: {g['seconds'] / o['seconds']:.1f}x")
    print(f"peak memory vs gpxpy: {o['peak_mb'] / g['peak_mb']:.2f} ({g['peak_mb'] / o['peak_mb']:.1f}x less)")
    if args.analysis:
        a = run("routes-analysis", path)
        print(f"full analysis of the track (read excluded): {a['analysis_s']:.3f} s")
    compare_info(path)


if __name__ == "__main__":
    main()
