"""Follow me on the light route page (issue 22), over HTTP: the button and its note in the HTML, and the compact
ride data (times per rider, climbs, places by kind) the browser computes from, in the page's language only."""

from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest

from routes.store import open_store
from routes.web.pagedata import RIDE_POI_KINDS, RIDE_STRING_KEYS, RIDE_TIME_STEP_M
from tests.web.asgi import get

#: The ride block of the viewer data, gzipped, for the 12.6 km flagship: small next to the page's ≈ 80 kB.
RIDE_DATA_MAX_GZIP_BYTES = 1_000
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _page(app, lang: str) -> tuple[str, dict]:
    page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
    data = json.loads(re.search(r'<script type="application/json" class="viewer-data">(.*?)</script>', page, re.S)[1])
    return page, data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_button_is_in_the_page_hidden_until_the_script_finds_geolocation(app, lang):
    from routes.text.i18n import t
    from routes.web.light import asset_url

    page, _ = _page(app, lang)
    assert '<div class="ride" hidden>' in page
    assert re.search(r'<button type="button" id="ride-start"[^>]*aria-pressed="false"', page)
    assert t("light.ride_note", lang) in page
    assert re.search(r'<section id="ride-position"[^>]*hidden>', page)
    assert f'<script defer src="{asset_url("light/ride.js")}"></script>' in page
    # After the viewer's script, so the viewer it reads is there.
    assert page.index(asset_url("light/viewer.js")) < page.index(asset_url("light/ride.js"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ride_data_is_compact_and_in_the_basemaps_frame(app, db_url, lang):
    from routes.views import guide

    _, data = _page(app, lang)
    ride = data["ride"]
    assert ride["gcj"] == (1 if lang == "zh" else 0)  # Amap on the Chinese page, OpenStreetMap on the English one
    _, ra = guide.load_route(open_store(db_url), "tianxiang")
    total = ra.distance_m
    assert ride["end"] == round(total) == data["d"][-1]
    assert ride["step"] == RIDE_TIME_STEP_M
    assert len(ride["riders"]) == len(ra.estimates) == len(ride["t"]) >= 2
    at = np.append(np.arange(0.0, total, RIDE_TIME_STEP_M), total)
    for deltas, (_, est) in zip(ride["t"], ra.estimates, strict=True):
        cum = np.cumsum(deltas)
        assert len(cum) == len(at)
        assert abs(cum[-1] - est.total_s) <= 1  # whole seconds, no drift from the differences
        # Time to go from 40 % of the way, as the page computes it, against the estimate itself.
        km40 = 0.4 * total
        assert abs((cum[-1] - np.interp(km40, at, cum)) - (est.total_s - est.time_at(km40))) <= 5
    climbs = ra.analysis.climbs
    assert [c[0] for c in ride["climbs"]] == [round(c.start_m) for c in climbs] and climbs
    assert [c[2] for c in ride["climbs"]] == [round(c.avg_grade_pct * 10) for c in climbs]
    assert [k for k, _ in ride["kinds"]] == list(RIDE_POI_KINDS)
    # Every viewer POI says its kind; the passages point at POIs of the kinds that matter on a bike, in order.
    assert all("k" in p for p in data["pois"])
    kinds = {data["pois"][i]["k"] for i, _ in ride["next"]}
    assert kinds <= set(RIDE_POI_KINDS) and {"water", "toilet"} <= kinds
    assert [m for _, m in ride["next"]] == sorted(m for _, m in ride["next"])
    packed = json.dumps(ride, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(gzip.compress(packed)) <= RIDE_DATA_MAX_GZIP_BYTES, len(gzip.compress(packed))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_panels_words_are_in_the_pages_language_only(app, lang):
    from routes.text.i18n import t

    page, data = _page(app, lang)
    words = [data["s"][name] for name in RIDE_STRING_KEYS] + list(data["ride"]["riders"])
    words += [label for _, label in data["ride"]["kinds"]]
    panel = re.search(r'<div class="ride" hidden>(.*?)</div>\n<script', page, re.S)[1]
    words.append(re.sub(r"<[^>]+>", " ", panel))
    for text in words:
        plain = re.sub(r"\{\w+\}", "", text)  # placeholders the script fills
        if lang == "zh":
            assert not LATIN_WORD.search(plain), text
        else:
            assert not CJK.search(plain), text
    assert data["s"]["rideStart"] == t("light.ride_start", lang) and "{dist}" in data["s"]["rideOff"]
    assert len(data["s"]["rideDirs"].split(" ")) == 8
