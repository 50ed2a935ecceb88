"""Reader errors wholly in the page's language: a Chinese message carries none of the parser's English, the English
one keeps it (issue 24: "不是 GPX 文件：内容不是 XML（Start tag expected）")."""

from __future__ import annotations

import io
import re
import zipfile
from functools import partial

import pytest

from routes.core.errors import GuideError
from routes.io.fileio import read_track_file
from routes.io.gpxio import read_gpx
from routes.io.kml import read_kml
from routes.io.xmlerrors import GENERAL_PHRASE_ZH, phrase_zh, xml_problem
from tests.routes.test_fileio import POINTS, TCX, fit_file

#: File-format names a Chinese message may name (they are written so in Chinese too).
FORMAT_NAMES = re.compile(r"GPX|TCX|FIT|KML|KMZ|XML")
CJK = re.compile(r"[\u4e00-\u9fff]")
GPX_HEAD = b'<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n'
KML_HEAD = b'<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'


def _kmz(doc: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", doc)
    data = bytearray(out.getvalue())
    data[40:48] = b"\xff" * 8  # damage the compressed document
    return bytes(data)


#: name: (reader, file, words of the parser's English the English message keeps)
BROKEN = {
    "not_xml": (partial(read_track_file, filename="points.gpx"), (b"name,lat,lon\nA,30,120\n",), "Start tag expected"),
    "gpx_malformed_line_4": (read_gpx, (GPX_HEAD + b"<trk><trkseg>\n<trkpt lat='1' lon='2'></trk></gpx>",),
                             "Opening and ending tag mismatch"),
    "gpx_cut_short": (read_gpx, (GPX_HEAD + b"<trk><trkseg><trkpt lat='1' lon='2'>",), "Premature end of data"),
    "gpx_bad_ampersand": (read_gpx, (GPX_HEAD + b"<metadata><name>A & B</name></metadata></gpx>",), "EntityRef"),
    "gpx_wrong_root": (read_gpx, (KML_HEAD + b"<Document/></kml>",), "<kml>"),
    "gpx_wrong_root_unknown": (read_gpx, (b"<routebook><leg/></routebook>",), "<routebook>"),
    "gpx_undeclared_prefix": (read_gpx, (b"<gpx>\n<trk>\n<gpxpx:Power>1</gpxpx:Power></trk></gpx>",), "'gpxpx'"),
    "tcx_cut_short": (read_track_file, (TCX[:400],), "expected '>'"),
    "tcx_undeclared_prefix": (read_track_file, (TCX.replace(b"<Cadence>85</Cadence>", b"<x:Cadence>85</x:Cadence>"),),
                              "Namespace prefix x"),
    "fit_bad_crc": (read_track_file, (fit_file(POINTS, corrupt_crc=True),), "FitCRCError"),
    "fit_cut_short": (read_track_file, (fit_file(POINTS)[:60],), "Fit"),
    "kml_malformed": (read_track_file, (KML_HEAD + b"<Document><Placemark>\n<name>A</Document></kml>",),
                      "Opening and ending tag mismatch"),
    "kml_undeclared_gx": (read_track_file, (KML_HEAD + b"<Placemark>\n<gx:Track/></Placemark></kml>",),
                          "'gx'"),
    "kml_wrong_root": (read_kml, (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>',), "<gpx>"),
    "kml_not_xml": (read_kml, (b"120.8,29.9 120.9,30.0",), "Start tag expected"),
    "kmz_damaged": (partial(read_track_file, filename="x.kmz"), (_kmz(KML_HEAD + b"<Document/></kml>" + b" " * 500),),
                    "cannot read the KMZ file"),
}


def _without_format_names(text: str) -> str:
    return FORMAT_NAMES.sub("", text)


@pytest.mark.parametrize("name", list(BROKEN))
def test_the_chinese_message_has_no_english_and_the_english_keeps_the_detail(name):
    reader, args, english = BROKEN[name]
    with pytest.raises(GuideError) as err:
        reader(*args)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert CJK.search(zh) and "\n" not in zh, zh
    assert not re.search(r"[A-Za-z]", _without_format_names(zh)), (name, zh)
    assert english in en, (name, en)
    assert not CJK.search(en), en


def test_the_chinese_message_says_what_and_where():
    with pytest.raises(GuideError) as err:
        read_gpx(GPX_HEAD + b"<trk><trkseg>\n<trkpt lat='1' lon='2'></trk></gpx>")
    assert err.value.message("zh") == "不是 GPX 文件：第 4 行 XML 格式错误（开始标记与结束标记不配对）"
    with pytest.raises(GuideError) as err:
        read_gpx(KML_HEAD + b"<Document/></kml>")
    assert err.value.message("zh") == "不是 GPX 文件：最外层的元素不是 GPX 的根元素（看起来是KML 文件）"
    with pytest.raises(GuideError) as err:
        read_track_file(b"name,lat,lon\nA,30,120\n", filename="points.gpx")
    assert err.value.message("zh") == "不是 GPX 文件：内容不是 XML（文件开头不是 XML 标记）"


@pytest.mark.parametrize(
    "message",
    [
        "Start tag expected, '<' not found, line 1, column 1",
        "Opening and ending tag mismatch: trk line 3 and gpx, line 9, column 7",
        "Premature end of data in tag gpx line 2, line 5, column 1",
        "Extra content at the end of the document, line 4, column 1",
        "AttValue: \" or ' expected, line 1, column 6",
        "Specification mandates value for attribute x, line 1, column 5",
        "Attribute lat redefined, line 1, column 15",
        "xmlParseEntityRef: no name, line 1, column 5",
        "Invalid bytes in character encoding, line 1, column 4",
        "PCDATA invalid Char value 1, line 1, column 4",
        "StartTag: invalid element name, line 1, column 5",
        "Comment not terminated, line 1, column 15",
        "XML declaration allowed only at the start of the document, line 1, column 7",
        "Namespace prefix p on b is not defined, line 1, column 8",
        "Unescaped '<' not allowed in attributes values, line 1, column 7",
        "attributes construct error, line 1, column 9",
    ],
)
def test_each_common_parser_message_has_its_own_chinese_phrase(message):
    phrase = phrase_zh(message)
    assert phrase != GENERAL_PHRASE_ZH and CJK.search(phrase)
    assert not re.search(r"[A-Za-z]", _without_format_names(phrase))
    problem = xml_problem(message, 3)
    assert ", column" not in problem.detail and problem.line == 3  # the position is said once, by us


def test_an_unknown_parser_message_gets_the_general_phrase():
    assert phrase_zh("something libxml2 may say one day") == GENERAL_PHRASE_ZH
