"""The Streamlit route page shows the descent figures next to the climbing ones (issue 23), in both languages."""

from __future__ import annotations

import pytest

from tests.app.test_cyclists_pages import _app


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('descents') / 'guide.db'}"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["最陡 100 米下坡", "−9.9\u00a0%", "最长下坡", "2.2 公里，下降 89 米，平均 −4.1\u00a0%（第 10.3–12.4 公里）"]),
        ("en", ["Steepest 100 m downhill", "−9.9\u00a0%", "Longest descent", "2.2 km, 89 m down at −4.1\u00a0% (km 10.3–12.4)"]),
    ],
)
def test_route_page_shows_descents(db_url, monkeypatch, lang, words):
    at = _app(db_url, monkeypatch, lang=lang, page="pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    facts = next(m.value for m in at.markdown if ("最陡 100 米" if lang == "zh" else "Steepest 100 m") in m.value)
    for word in words:
        assert word in facts, word
    assert facts.index("最陡 100 米" if lang == "zh" else "Steepest 100 m") < facts.index(words[0])
