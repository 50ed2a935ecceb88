"""POI photos on the light pages over HTTP (in-process ASGI, real seeded database): the public rendition URL (who
gets a photo, type, caching) and the route and place pages' <picture> markup in both languages."""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image

from routes.store import open_store
from routes.views import photos
from routes.web.photos import PHOTO_CACHE_CONTROL
from tests.web.asgi import get


@pytest.fixture(scope="module")
def store(app, db_url):
    return open_store(db_url)


def _png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("width", [320, 640, 1280])
@pytest.mark.parametrize("fmt, mime, pil_format", [("webp", "image/webp", "WEBP"), ("jpg", "image/jpeg", "JPEG")])
def test_a_published_pois_photo_is_served_resized_typed_and_cacheable(app, store, width, fmt, mime, pil_format):
    photo_id = store.get_poi("seed-dongjiang-view").photo_id
    r = get(app, f"/r/photo/{photo_id}-{width}.{fmt}", {"accept-encoding": "gzip"})
    assert r.status == 200 and r.headers["content-type"] == mime
    assert r.headers["cache-control"] == PHOTO_CACHE_CONTROL and "immutable" in PHOTO_CACHE_CONTROL
    assert "content-encoding" not in r.headers  # an image is not gzipped again
    with Image.open(io.BytesIO(r.content)) as im:
        assert (im.format, im.size) == (pil_format, (width, round(width * 2 / 3))) and not im.getexif()
    again = get(app, f"/r/photo/{photo_id}-{width}.{fmt}", {"if-none-match": r.headers["etag"]})
    assert again.status == 304 and again.content == b""


def test_a_photo_of_a_draft_or_deleted_poi_or_an_old_one_is_not_found(app, store):
    poi = store.get_poi("seed-xinhuapu-noodles")
    poi = store.set_poi_photo(poi.id, _png((200, 100, 0)), user="ed", expected_version=poi.version)
    url = f"/r/photo/{poi.photo_id}-320.webp"
    assert get(app, url).status == 200
    poi = store.update_poi(poi.id, {"status": "draft"}, user="ed", expected_version=poi.version)
    r = get(app, url)
    assert r.status == 404 and r.headers["cache-control"] == "no-store" and r.content == b""
    poi = store.update_poi(poi.id, {"status": "published"}, user="ed", expected_version=poi.version)
    assert get(app, url).status == 200
    old = url
    poi = store.set_poi_photo(poi.id, _png((0, 100, 200)), user="ed", expected_version=poi.version)
    assert get(app, old).status == 404  # replaced: the old photo is no longer anyone's public photo
    url = f"/r/photo/{poi.photo_id}-320.webp"
    assert get(app, url).status == 200
    store.delete_poi(poi.id, user="ed", expected_version=poi.version)
    assert get(app, url).status == 404


@pytest.mark.parametrize("path", ["/r/photo/" + "0" * 32 + "-320.webp", "/r/photo/abc-320.webp",
                                  "/r/photo/{id}-300.webp", "/r/photo/{id}-320.png", "/r/photo/{id}-320.webp.exe",
                                  "/r/photo/{id}-99999.jpg"])
def test_unknown_ids_widths_and_formats_are_not_found(app, store, path):
    photo_id = store.get_poi("seed-dongjiang-view").photo_id
    assert get(app, path.format(id=photo_id)).status == 404


def _gallery(page: str) -> str:
    m = re.search(r'<h2 id="photos">[^<]*</h2>\s*<div class="photo-grid">(.*?)</div>', page, re.S)
    assert m, "no photo grid"
    return m.group(1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_route_page_shows_its_places_photos_lazily_with_srcset_alt_and_credit(app, store, lang):
    page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
    heading = "沿途照片" if lang == "zh" else "Photos along the route"
    assert f'<h2 id="photos">{heading}</h2>' in page
    grid = _gallery(page)
    figures = re.findall(r'<figure class="photo-card">.*?</figure>', grid, re.S)
    # The three seed drawings of the Tianxiang line, in route order.
    names = (["天香茶园梯田", "东江湖观景台", "溪边竹林人家（天香骑行线终点）"] if lang == "zh"
             else ["Tianxiang tea-garden terraces", "Dongjiang Lake viewpoint",
                   "Bamboo-grove homes by the stream (end of the Tianxiang line)"])
    assert [html.unescape(re.search(r'alt="([^"]*)"', f).group(1)) for f in figures] == names
    credit = "示意图，由程序绘制，并非实景照片" if lang == "zh" else "Illustrative drawing made by code, not a photograph"
    q = "?lang=en" if lang == "en" else ""
    for f, poi_id in zip(figures, ["seed-tea-terraces", "seed-dongjiang-view", "seed-bamboo-homes"], strict=True):
        photo_id = store.get_poi(poi_id).photo_id
        assert re.search(rf'<source type="image/webp" srcset="/r/photo/{photo_id}-320\.webp 320w, '
                         rf'/r/photo/{photo_id}-640\.webp 640w, /r/photo/{photo_id}-1280\.webp 1280w" sizes="', f)
        assert f'srcset="/r/photo/{photo_id}-320.jpg 320w' in f
        assert 'width="1440" height="960"' in f and 'loading="lazy"' in f and 'decoding="async"' in f
        assert f'<small class="credit">{credit}</small>' in f
        assert f'<a href="/r/poi/{poi_id}{q}">' in f
    assert ("公里处" if lang == "zh" else "at km ") in grid


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_place_page_shows_its_photo_in_the_first_screen_not_lazy(app, store, lang):
    q = "?lang=en" if lang == "en" else ""
    page = get(app, f"/r/poi/seed-tea-terraces{q}").text
    photo_id = store.get_poi("seed-tea-terraces").photo_id
    m = re.search(r'<figure class="place-photo">(.*?)</figure>', page, re.S)
    assert m
    fig = m.group(1)
    assert f'<img class="photo" src="/r/photo/{photo_id}-640.jpg"' in fig
    assert f'sizes="{photos.PLACE_SIZES}"' in fig and "loading=" not in fig
    assert f'alt="{"天香茶园梯田" if lang == "zh" else "Tianxiang tea-garden terraces"}"' in fig
    credit = "示意图，由程序绘制，并非实景照片" if lang == "zh" else "Illustrative drawing made by code, not a photograph"
    assert f'<figcaption class="credit">{credit}</figcaption>' in fig
    # A place without a photo has no figure at all.
    assert "<figure" not in get(app, f"/r/poi/seed-lake-toilet{q}").text
