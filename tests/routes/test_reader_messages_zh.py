"""Issue 24: a broken POI file is refused with a message entirely in the page's language. The JSON, CSV and XML
readers say what is wrong in English; the Chinese message says it in Chinese, with the line and column, and carries
no word of the reader's (format names and the file's own name aside). The English message keeps the reader's words."""

from __future__ import annotations

import re

import pytest

from routes.core.errors import GuideError
from routes.store.importers import parse_poi_file

#: Latin words a Chinese message may hold: format and encoding names.
ALLOWED = {"GeoJSON", "CSV", "GPX", "KML", "KMZ", "UTF", "GB18030", "XML", "DOCTYPE"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{3,}")

BROKEN = [
    ("places.geojson", b'{"type": "FeatureCollection", "features": [', "GeoJSON：第 1 行第 44 列：此处应有一个值"),
    ("places.geojson", b'{"type": "FeatureCollection"\n "features": []}', "GeoJSON：第 2 行第 2 列：缺少逗号"),
    ("places.geojson", b"{'type': 'FeatureCollection'}", "GeoJSON：第 1 行第 2 列：属性名必须用双引号括起来"),
    ("places.geojson", b'{"type": "FeatureCollection", "features": []} extra', "内容结束之后还有多余的数据"),
    ("places.geojson", b'{"a": "\xff\xfe"}', "GeoJSON：不是 UTF-8 编码的文本"),
    ("places.geojson", b"[" * 100_000 + b"]" * 100_000, "GeoJSON：嵌套层数过多"),
    ("places.geojson", b'{"type": "Topology"}', "GeoJSON：应为一组要素（点或面）的集合"),
    ("places.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                       b'{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "properties": {}}]}',
     "GeoJSON：第 1 个要素不是带坐标的点或面"),
    ("places.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                       b'{"type": "Point", "coordinates": [120.8, 30.0]}, "properties": [1]}]}',
     "GeoJSON：第 1 个要素缺少属性表"),
    ("places.csv", b"name,a,b\nWater,1,2\n", "CSV：需要纬度（lat）和经度（lon）两列"),
    ("places.csv", b"name,lat,lon\n\xff\xff\xff\xff\n", "CSV：无法识别字符编码（应为 UTF-8 或 GB18030）"),
    ("places.csv", b"name,lat,lon\n", "CSV：没有数据行"),
    ("places.gpx", b"", "不是 GPX 文件"),
    ("places.gpx", b"<gpx><wpt lat='30' lon='120'></gpx>", "开始标记与结束标记不配对"),
    ("places.gpx", b"hello world, not xml", "不是 GPX 文件"),
    ("places.gpx", b'<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"><trk><trkseg>'
                   b'<trkpt lat="30" lon="120.8"/></trkseg></trk></gpx>', "GPX：文件里没有航点"),
    ("places.kml", b"<kml><Document><Placemark></Document></kml>", "开始标记与结束标记不配对"),
]


@pytest.mark.parametrize(("filename", "data", "expected_zh"), BROKEN)
def test_broken_poi_files_are_refused_in_chinese(filename: str, data: bytes, expected_zh: str):
    with pytest.raises(GuideError) as err:
        parse_poi_file(data, filename)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert expected_zh in zh
    words = set(LATIN_WORD.findall(zh.replace(filename, ""))) - ALLOWED
    assert not words, f"English in the Chinese message: {zh!r}"
    # the English message is English (and keeps the reader's own words where there are any)
    assert not re.search(r"[\u4e00-\u9fff]", en), en


def test_english_keeps_the_readers_words():
    with pytest.raises(GuideError) as err:
        parse_poi_file(b'{"type": "FeatureCollection"\n "features": []}', "p.geojson")
    assert err.value.message("en") == "cannot read the import file: GeoJSON: Expecting ',' delimiter: line 2 column 2 (char 30)"
    assert err.value.message("zh") == "导入文件无法读取：GeoJSON：第 2 行第 2 列：缺少逗号"


def test_csv_reader_errors_in_chinese():
    import csv

    from routes.store.readermessages import csv_problem_zh

    with pytest.raises(csv.Error) as err:
        list(csv.reader(['name,"Water'], strict=True))
    assert csv_problem_zh(err.value) == "文件在字段结束之前中断"
    assert csv_problem_zh(csv.Error("line 4: something new")) == "第 4 行：格式有误"
