"""Steepest 100 m and climb maxima of every shared-corpus file, before and after joins, gaps and jumps are removed.

Run: python benchmarks/corpus_grades.py [CORPUS_DIR]   (default: ../shared/gpx-corpus or ../../shared/gpx-corpus)
Prints the markdown table quoted in docs/analysis.md. "Before" is ``analyse(track, clean_artefacts=False)``: the
method of the guide before issue 14 (spikes over 25 m dropped, nothing else).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routes.analysis.summary import analyse  # noqa: E402
from routes.core.errors import GuideError  # noqa: E402
from routes.io.gpxio import read_gpx  # noqa: E402


def corpus_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    for p in (ROOT.parent / "shared" / "gpx-corpus", ROOT.parent.parent / "shared" / "gpx-corpus"):
        if p.is_dir():
            return p
    raise SystemExit("no corpus folder: pass it as the first argument")


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def climbs(an) -> str:  # noqa: ANN001
    """The three steepest climb maxima, steepest first, and how many climbs there are."""
    top = sorted((c.max_grade_pct for c in an.climbs), reverse=True)[:3]
    return f"{', '.join(f'{g:.0f}' for g in top)} ({len(an.climbs)})" if top else "–"


def removed(an) -> str:  # noqa: ANN001
    """Spikes / jumps / join-or-gap steps the analysis removed."""
    count = {key: params.get("count", 0) for key, params in an.notes}
    return " / ".join(str(count.get(f"analysis.note.{k}", 0)) for k in ("spikes", "jumps", "steps"))


def main() -> None:
    print(
        "| file | km | steepest 100 m before (%) | after (%) | steepest climb maxima before (%) (climbs) | after |"
        " spikes / jumps / steps removed |"
    )
    print("|---|---|---|---|---|---|---|")
    for path in sorted(corpus_dir().glob("*.gpx")):
        try:
            track = read_gpx(path)
        except GuideError:
            continue
        before = analyse(track, clean_artefacts=False)
        after = analyse(track)
        if before.max_grade_100m_pct is None:
            continue
        print(
            f"| {path.name} | {after.distance_m / 1000:.1f} | {fmt(before.max_grade_100m_pct)} | "
            f"{fmt(after.max_grade_100m_pct)} | {climbs(before)} | {climbs(after)} | {removed(after)} |"
        )


if __name__ == "__main__":
    main()
