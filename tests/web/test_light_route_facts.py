"""Route facts on the public pages over HTTP (in-process ASGI, real seeded SQLite database, the real CLI): the seed
Tianxiang page shows getting there and the surface by stretch in both languages; `route-facts export` then `import`
of the same file plus a warning at km 6.6–7.3 puts that warning on the page (zh and en), on the SVG profile and in
the GPX and TCX downloads; a stretch from km 9 to km 3 is refused in one line and changes nothing."""

from __future__ import annotations

import html
import json
import re

import gpxpy
import pytest

from routes.cli.main import main
from routes.core.geo import geodesic_m
from routes.io.gpxio import read_gpx
from routes.store import open_store
from tests.web.asgi import get

#: A warning's waypoint sits on the track point nearest its start: within half the seed track's point spacing (plus
#: the difference between this plain sum of geodesic steps and the analysis's distances).
WAYPOINT_TOLERANCE_M = 30.0
WARNING = {"from_km": 6.6, "to_km": 7.3,
           "warning": {"kind": "busy_crossing", "zh": "观景台前横穿公路，注意来车", "en": "Road crossing at the viewpoint: watch for cars"}}


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}".*?</section>', page, re.S)
    assert m, f"no #{sid} section"
    return html.unescape(m.group(0))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seed_page_shows_getting_there_and_surfaces(app, lang):
    page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
    assert page.count('id="getting-there"') == 1
    gt = _section(page, "getting-there")
    assert ("南穴村" if lang == "zh" else "Nanxue village") in gt
    road = _section(page, "road")
    assert ("核实于 2026-11-20" if lang == "zh" else "Last checked 20 Nov 2026") in road
    rows = re.findall(r'<tr data-surface="(\w+)"><td class="km">([^<]+)</td>', road)
    km = (lambda a, b: f"{a}–{b} 公里") if lang == "zh" else (lambda a, b: f"km {a}–{b}")
    assert rows == [("concrete", km("0", "1.2")), ("asphalt", km("1.2", "6.6")), ("asphalt", km("6.6", "10")),
                    ("concrete", km("10", "12")), ("cobbles", km("12", "12.59"))]
    assert ("石板路" if lang == "zh" else "Cobbles") in road
    # The warnings are plain text; their "show on the map" buttons wait hidden for the viewer script.
    buttons = re.findall(r'<button type="button" class="warn-show"[^>]*>', road)
    assert len(buttons) == 2 and all(b.endswith(" hidden>") for b in buttons)
    if lang == "en":  # nothing in Chinese on the English sections
        assert not re.search(r"[\u4e00-\u9fff]", gt + road)
    assert len(re.findall(r'<rect class="surface"[^>]* data-surface="', page)) == 5


def test_export_import_with_a_warning_shows_it_everywhere(app, db_url, tmp_path, capsys):
    get(app, "/r/tianxiang")  # the store is seeded on first use
    store = open_store(db_url)
    before = store.get_route("tianxiang")
    exported = tmp_path / "tianxiang-facts.json"
    assert main(["route-facts", "export", "tianxiang", str(exported), "--db", db_url]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data == before.facts.to_json()

    # A stretch from km 9 to km 3 is refused in one line, nothing changes.
    bad = dict(data, stretches=[*data["stretches"], {"from_km": 9, "to_km": 3, "surface": "asphalt"}])
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["route-facts", "import", "tianxiang", str(bad_file), "--db", db_url]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "9" in err and "3" in err, err
    assert store.get_route("tianxiang").version == before.version
    assert store.get_route("tianxiang").facts == before.facts

    data["stretches"].append(WARNING)
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["route-facts", "import", "tianxiang", str(exported), "--db", db_url]) == 0
    assert store.get_route("tianxiang").version > before.version

    for lang, label, text in (("zh", "繁忙路口", WARNING["warning"]["zh"]), ("en", "Busy crossing",
                                                                            WARNING["warning"]["en"])):
        page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
        road = _section(page, "road")
        items = re.findall(r'<li data-warning="(\w+)" data-warn="(\d+)">(.*?)</li>', road, re.S)
        assert [(k, n) for k, n, _ in items] == [("traffic", "0"), ("busy_crossing", "1"), ("steep_descent", "2")]
        assert label in items[1][2] and text in items[1][2]
        assert ("6.6–7.3 公里" if lang == "zh" else "km 6.6–7.3") in items[1][2]
        marks = re.findall(r'<g class="warning-mark" data-warning="(\w+)" data-warn="\d" data-from-km="([\d.]+)" '
                           r'data-to-km="([\d.]+)"><title>([^<]*)</title>', page)
        assert marks[1][:3] == ("busy_crossing", "6.6", "7.3") and html.unescape(marks[1][3]).endswith(text)
        assert len(re.findall(r'<rect class="surface"[^>]* data-surface="', page)) == 5
        assert '"warn":[[5100,6000],[6600,7300],[10900,11500]]' in page

    track = read_gpx(store.get_route_gpx("tianxiang"))
    for lang, text in (("zh", WARNING["warning"]["zh"]), ("en", WARNING["warning"]["en"])):
        gpx = gpxpy.parse(get(app, "/r/tianxiang.gpx" + ("?lang=en" if lang == "en" else "")).text)
        (w,) = [w for w in gpx.waypoints if w.type == "busy_crossing"]
        assert w.name == ("观景台前横穿公路，注意来车" if lang == "zh" else "Road crossing at the viewpoint: watch…")
        assert w.description.endswith(text)
        # On the line: the track's own point at km 6.6 (cumulative distance along the track, within a point spacing).
        (i,) = [i for i, (a, b) in enumerate(zip(track.lat, track.lon, strict=True))
                if abs(w.latitude - a) < 1e-9 and abs(w.longitude - b) < 1e-9]
        along_m = sum(geodesic_m(track.lat[k], track.lon[k], track.lat[k + 1], track.lon[k + 1]) for k in range(i))
        assert abs(along_m - 6600) < WAYPOINT_TOLERANCE_M, along_m
        tcx = get(app, "/r/tianxiang.tcx" + ("?lang=en" if lang == "en" else "")).text
        assert tcx.count("<PointType>Danger</PointType>") == 3
        assert ("<Name>Crossing</Name>" if lang == "en" else "<Name>繁忙路口</Name>") in tcx
