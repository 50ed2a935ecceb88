"""Reader and analysis notes in the page's language: every sentence the code writes is recognised, English plurals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routes.views.notes import note_text

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_spikes_in_chinese_and_english_plurals():
    assert note_text("1 elevation spikes ignored", "zh") == "已忽略 1 处海拔突变"
    assert note_text("1 elevation spikes ignored", "en") == "1 elevation spike was ignored"
    assert note_text("3 elevation spikes ignored", "en") == "3 elevation spikes were ignored"
    assert note_text("1 points with impossible coordinates were dropped", "en") == (
        "1 point with impossible coordinates was dropped"
    )
    assert note_text("12 of 40 points have no elevation", "zh") == "40 个点中有 12 个没有海拔"


@pytest.mark.parametrize(
    "note",
    [
        "2 unreadable timestamps ignored",
        "5 times have no time zone and were read as UTC",
        "4 times could not be read and were ignored",
        "7 missing elevations filled from the DEM",
        "elevation replaced from the DEM at 10 of 12 points",
        "time goes backwards at 3 points; those steps are not counted",
        "all elevations in the file are 0; ignored as missing",
        "elevation taken from the DEM",
        "missing elevations filled from the DEM",
        "unexpected GPX namespace http://example.com/x",
        "the file declares no GPX namespace",
        "the file has no track or route points, only waypoints",
        "the file has no track or route points",
        "converted from GCJ-02 to WGS-84",
        "something nobody wrote a pattern for",
    ],
)
def test_every_note_reads_in_chinese_on_a_chinese_page(note):
    zh = note_text(note, "zh")
    assert CJK.search(zh) and not re.search(
        r"[A-Za-z]{3,}", zh.replace("GPX", "").replace("WGS", "").replace("UTC", "").replace("GCJ", "")
    ), zh
    assert not CJK.search(note_text(note, "en"))


def test_the_code_writes_no_note_without_a_pattern():
    """Every English note sentence in routes/ is one that note_text knows (a new one needs its translation)."""
    from routes.views.notes import _PATTERNS

    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "routes").rglob("*.py"))
    written = re.findall(r'warnings\.append\(f?"([^"]+)"', sources)
    assert len(written) >= 10
    for text in written:
        sample = re.sub(r"\{[^}]+\}", "3", text)
        if sample.endswith('" + (", only waypoints'):
            continue
        assert any(p.match(sample) for p, _ in _PATTERNS), text
