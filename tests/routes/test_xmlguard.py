"""The DOCTYPE/ENTITY pre-check finds a declaration in every encoding libxml2 reads, in GPX and TCX uploads."""

from __future__ import annotations

import codecs

import pytest

from routes.core.errors import GpxError
from routes.io.fileio import TrackFileError, read_track_file
from routes.io.gpxio import _validate, read_gpx
from routes.io.xmlguard import UnknownEncoding, declares_dtd

GPX = (
    '<?xml version="1.0" encoding="{enc}"?>{dtd}<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
    'creator="t"><wpt lat="30" lon="120.8"><name>{name}</name></wpt></gpx>'
)
TCX = (
    '<?xml version="1.0" encoding="{enc}"?>{dtd}<TrainingCenterDatabase '
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Courses><Course><Name>{name}</Name>'
    "<Track><Trackpoint><Position><LatitudeDegrees>30</LatitudeDegrees><LongitudeDegrees>120.8</LongitudeDegrees>"
    "</Position></Trackpoint><Trackpoint><Position><LatitudeDegrees>30.01</LatitudeDegrees>"
    "<LongitudeDegrees>120.81</LongitudeDegrees></Position></Trackpoint></Track></Course></Courses>"
    "</TrainingCenterDatabase>"
)
DTD = '<!DOCTYPE x [<!ENTITY e "expanded">]>'
#: (declared name, Python codec, byte-order mark): every family libxml2 detects, with and without a mark.
ENCODINGS = [
    ("UTF-8", "utf-8", b""),
    ("UTF-8", "utf-8", codecs.BOM_UTF8),
    ("UTF-16", "utf-16-le", codecs.BOM_UTF16_LE),
    ("UTF-16", "utf-16-be", codecs.BOM_UTF16_BE),
    ("UTF-16LE", "utf-16-le", b""),
    ("UTF-16BE", "utf-16-be", b""),
    ("UTF-32", "utf-32-le", codecs.BOM_UTF32_LE),
    ("UTF-32", "utf-32-be", codecs.BOM_UTF32_BE),
    ("UTF-32LE", "utf-32-le", b""),
    ("UTF-32BE", "utf-32-be", b""),
    ("IBM037", "cp037", b""),
    ("IBM500", "cp500", b""),
    ("ISO-8859-1", "latin-1", b""),
    ("GB18030", "gb18030", b""),
]


def _doc(template: str, enc: str, codec: str, bom: bytes, *, dtd: bool) -> bytes:
    return bom + template.format(enc=enc, dtd=DTD if dtd else "", name="&e;" if dtd else "ok").encode(codec)


@pytest.mark.parametrize(("enc", "codec", "bom"), ENCODINGS)
def test_gpx_with_a_dtd_is_refused_in_every_encoding(enc, codec, bom):
    data = _doc(GPX, enc, codec, bom, dtd=True)
    assert declares_dtd(data)
    with pytest.raises(GpxError) as err:
        read_gpx(data)
    assert err.value.key == "dtd"


@pytest.mark.parametrize(("enc", "codec", "bom"), ENCODINGS)
def test_tcx_with_a_dtd_is_refused_in_every_encoding(enc, codec, bom):
    with pytest.raises((TrackFileError, GpxError)) as err:
        read_track_file(_doc(TCX, enc, codec, bom, dtd=True), filename="x.tcx")
    assert err.value.key in ("dtd", "unknown_format")  # refused either way, never parsed with its DTD


@pytest.mark.parametrize(("enc", "codec", "bom"), ENCODINGS)
def test_the_same_files_without_a_dtd_are_not_refused(enc, codec, bom):
    assert not declares_dtd(_doc(GPX, enc, codec, bom, dtd=False))


def test_an_encoding_the_check_cannot_decode_is_refused():
    data = b'<?xml version="1.0" encoding="X-UNHEARD-OF"?><gpx/>'
    with pytest.raises(UnknownEncoding):
        declares_dtd(data)
    with pytest.raises(GpxError) as err:
        read_gpx(data)
    assert err.value.key == "encoding"


def test_the_parser_itself_refuses_a_doctype_the_pre_check_missed():
    with pytest.raises(GpxError) as err:
        _validate(b'<?xml version="1.0"?><!DOCTYPE gpx><gpx/>')
    assert err.value.key == "dtd"
