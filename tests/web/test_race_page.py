"""The public race page /r/race/<slug> and its closure notice (page, PDF, CSV): 404 for visitors until an organiser
publishes the plan, a private, unindexed draft preview for signed-in organisers, then cached and revalidated like
the route pages; zh and en."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from routes.store import open_store
from routes.store.auth import sign_in
from routes.web import light
from routes.web.session import COOKIE_NAME
from tests.routes.test_race_publish import lianghu_plan
from tests.web.asgi import get

PASSWORD = "correct horse battery"
SLUG = "lianghu-gp"
PAGE = f"/r/race/{SLUG}"
URLS = (PAGE, f"{PAGE}?lang=en", f"{PAGE}/closures", f"{PAGE}/closures?lang=en", f"{PAGE}/closures.csv",
        f"{PAGE}/closures.pdf?size=A4&lang=zh", f"{PAGE}/closures.pdf?size=A3&lang=en", f"{PAGE}.png")


@pytest.fixture(scope="module")
def store(app, db_url):
    store = open_store(db_url)
    store.add_user("olga", PASSWORD, "organiser")
    store.save_race_plan(SLUG, lianghu_plan().to_dict(), user="olga", expected_version=None)
    return store


def _cookie(store) -> dict[str, str]:
    return {"cookie": f"{COOKIE_NAME}={sign_in(store, 'olga', PASSWORD).token}"}


def _publish(store, on: bool) -> None:
    store.set_race_plan_published(SLUG, on, user="olga")


def test_unpublished_race_is_404_for_visitors_and_a_draft_for_its_organiser(app, store):
    _publish(store, False)
    unknown = get(app, "/r/race/no-such-race")
    for url in URLS:
        r = get(app, url)
        assert r.status == 404 and r.body == unknown.body, url  # the same page as an unknown race: no hint
        assert r.headers["cache-control"] == "no-store"
    cookie = _cookie(store)
    cached_before = len(light._BODIES)
    for url in URLS:
        r = get(app, url, cookie)
        assert r.status == 200, url
        assert r.headers["cache-control"] == "private, no-store" and "etag" not in r.headers, url
    assert len(light._BODIES) == cached_before
    page = get(app, PAGE, cookie).text
    assert "<h1>两湖环湖赛 · 草稿</h1>" in page and '<meta name="robots" content="noindex">' in page
    assert "草稿预览：此赛事尚未发布" in page
    english = get(app, f"{PAGE}?lang=en", cookie).text
    assert "<h1>Two Lakes Race · draft</h1>" in english and "Draft preview: this race is not published" in english


def test_published_race_page_has_map_profile_timetable_and_share_in_zh_and_en(app, store):
    _publish(store, True)
    r = get(app, PAGE)
    assert r.status == 200 and r.headers["cache-control"] == "public, no-cache" and r.headers["etag"]
    assert "accept-encoding" in r.headers["vary"].lower()
    page = r.text
    assert "<h1>两湖环湖赛</h1>" in page and "noindex" not in page
    assert 'class="viewer-map"' in page and 'class="viewer-data"' in page  # the light viewer, its own Leaflet
    assert '<svg class="elevation-profile"' in page
    assert "/r/s/" in page and "leaflet.js" in page and "https://unpkg" not in page
    # facts, points and the timetable at the planned speeds, with cut-offs
    assert "2026-05-01 08:00" in page and "71.3 公里" in page and "3 圈 × 23.8 公里" in page
    for text in ("补给区 · 南穴村", "爬坡点（4 级）", "冲刺点", "36 公里/时", "40 公里/时", "44 公里/时", "关门"):
        assert text in page, text
    rows = re.findall(r"<tr>(.*?)</tr>", page.split('id="timetable"', 1)[1].split('id="closures"', 1)[0], re.S)
    cells = [c for c in (re.findall(r"<span>(.*?)</span></td>", row) for row in rows) if c]  # header has no cells
    # 1 start + 3 laps × (feed, KOM, sprint) + 2 lap lines + finish
    assert len(cells) == 13 and cells[0][:4] == ["0.0", "71.3", "1", "起点"] and cells[-1][3] == "终点"
    assert cells[0][4:] == ["08:00", "08:00", "08:00", "08:00"] and cells[-1][-1] == "11:34"
    assert f'href="{PAGE}/closures"' in page and "<svg" in page.split('id="share"', 1)[1]  # the QR code
    english = get(app, f"{PAGE}?lang=en").text
    assert "<h1>Two Lakes Race</h1>" in english and "3 laps × 23.8 km" in english and "Cut-off" in english
    assert "Feed zone" in english and "KOM" in english and f'href="{PAGE}/closures?lang=en"' in english
    png = get(app, f"{PAGE}.png")
    assert png.status == 200 and png.body.startswith(b"\x89PNG")


def test_published_pages_revalidate_with_their_etag(app, store):
    _publish(store, True)
    first = get(app, f"{PAGE}/closures")
    again = get(app, f"{PAGE}/closures", {"if-none-match": first.headers["etag"]})
    assert again.status == 304 and again.body == b""
    assert get(app, f"{PAGE}/closures?lang=en").headers["etag"] != first.headers["etag"]


def test_closure_page_csv_and_pdf_have_the_same_rows(app, store):
    _publish(store, True)
    page = get(app, f"{PAGE}/closures").text
    assert "<h1 class=\"notice-title\">交通管制通告</h1>" in page and "两湖体育协会" in page and "0571-12345678" in page
    body = page.split('class="stack closures"', 1)[1].split("</table>", 1)[0]
    page_rows = [re.findall(r"<span>(.*?)</span></td>", row)
                 for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)]
    csv_reply = get(app, f"{PAGE}/closures.csv")
    assert csv_reply.headers["content-type"].startswith("text/csv") and csv_reply.body.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv_reply.headers["content-disposition"]
    head, *csv_rows = list(csv.reader(io.StringIO(csv_reply.body.decode("utf-8-sig"))))
    assert head[0] == "序号" and csv_rows == [[v.replace("&amp;", "&") for v in r] for r in page_rows]
    assert len(csv_rows) == 4 and csv_rows[0][6] == "2026-05-01 07:45" and csv_rows[-1][7] == "2026-05-01 11:44"
    pdf = get(app, f"{PAGE}/closures.pdf?size=A3&lang=zh")
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(841.9, abs=0.5)  # A3
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))
    for row in csv_rows:
        assert row[6] in text and row[7] in text
    odd = get(app, f"{PAGE}/closures.pdf?size=letter")
    assert odd.status == 200 and float(PdfReader(io.BytesIO(odd.body)).pages[0].mediabox.width) == pytest.approx(
        595.3, abs=0.5)  # an unknown size is the A4 notice, not an error page


def test_unpublishing_takes_the_pages_down_again(app, store):
    _publish(store, True)
    assert get(app, PAGE).status == 200
    _publish(store, False)
    assert get(app, PAGE).status == 404 and get(app, f"{PAGE}/closures.csv").status == 404
