"""The route editor keeps an uploaded FIT file as it came: saved next to its GPX, listed and offered for download."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routes.store import open_store
from routes.store.auth import sign_in
from tests.routes.test_fileio import fit_file

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90
SLUG = "caoe-riverside"
T0 = 1_750_000_000
#: A ride of 80 points along the Cao'e river path, about 1 km, recorded by a bike computer.
RIDE = [(29.99 + i * 0.0001, 120.84 + i * 0.0001, 10.0 + i * 0.1, T0 + 5 * i, 120) for i in range(80)]


@pytest.fixture()
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'guide.db'}"
    open_store(url).add_user("alice", "correct horse battery", "editor")
    return url


def _routes_page(db_url, monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = "zh"
    at.session_state["editor_session"] = sign_in(open_store(db_url), "alice", "correct horse battery")
    at.run()
    at.switch_page("pages/editor_routes.py")
    at.run()
    return at.selectbox(key="ed_route_pick").select(SLUG).run()


def test_fit_revision_keeps_the_original_and_offers_it_for_download(db_url, monkeypatch):
    data = fit_file(RIDE)
    at = _routes_page(db_url, monkeypatch)
    at.file_uploader(key=f"ed_up_rev_{SLUG}").set_value(("码表 ride.fit", data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert any("原始文件也会原样保存" in c.value for c in at.caption)
    at.button(key=f"ed_rev_save_{SLUG}").click().run()
    assert not at.exception, at.exception

    store = open_store(db_url)
    assert store.get_route_source(SLUG) == (data, "fit", "码表 ride.fit")
    rev = store.route_revisions(SLUG)[-1]
    assert rev.number == 2 and rev.uploaded_by == "alice" and rev.derivation == "converted from FIT"
    assert rev.source_sha256 == hashlib.sha256(data).hexdigest()

    # The revisions table is the one with the originals' column (the route facts tab has a table before it)
    (table,) = [df.value for df in at.dataframe if "原始文件" in df.value.columns]
    assert table["原始文件"].tolist() == [f"FIT · {len(data) / 1024:.0f} KB", "即此 GPX"]
    assert table["GPX 的来源"].tolist() == ["由 FIT 转换", ""]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载此版本的 GPX", "下载原始上传文件（FIT）"]
    # the seed revision's GPX is its own original: only the GPX is offered
    seed = store.route_revisions(SLUG)[0]
    at.selectbox(key=f"ed_rev_dl_pick_{SLUG}_{rev.id}").select(seed).run()
    assert [b.label for b in at.get("download_button")] == ["下载此版本的 GPX"]
