"""The DOCTYPE/ENTITY pre-check of uploaded XML (GPX, TCX, KML) in every encoding the XML parser reads.

A GPX, TCX or KML file never needs a DTD, so any DOCTYPE or ENTITY declaration is refused before parsing. libxml2 reads
UTF-8, UTF-16 and UTF-32 (with or without a byte-order mark), EBCDIC and whatever encoding the declaration names, so
the check decodes the document the way the parser will (byte-order mark, then the first bytes, then the declared
encoding) before looking. A declared encoding this check cannot decode is refused: the parser might read it.
"""

from __future__ import annotations

import codecs
import re

#: Byte-order marks, longest first (UTF-32 LE's mark starts with UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
#: The first four bytes of "<?xm" (or of "<" and NULs) in each encoding family, for documents without a mark (XML 1.0
#: appendix F, as libxml2 implements it).
_SIGNATURES = (
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC "<?xm"
)
#: Bytes decoded to find the XML declaration (it must come first and is short).
PROLOG_BYTES = 1024
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_MARKERS = ("<!DOCTYPE", "<!ENTITY")
_ASCII_MARKERS = tuple(m.encode() for m in _MARKERS)


class UnknownEncoding(ValueError):
    """The document declares an encoding this check cannot decode."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _family(data: bytes) -> tuple[str, int]:
    """(encoding, length of the byte-order mark) from the first bytes alone."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    for sig, name in _SIGNATURES:
        if data.startswith(sig):
            return name, 0
    return "utf-8", 0


def document_encoding(data: bytes) -> tuple[str, int]:
    """(Python codec name, byte-order mark length) the parser will read ``data`` with."""
    family, skip = _family(data)
    prolog = data[skip : skip + PROLOG_BYTES].decode(family, "replace")
    declared = _DECLARED.match(prolog)
    if skip or declared is None:
        return family, skip  # a byte-order mark overrides the declaration, as in libxml2
    name = declared.group(1)
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UnknownEncoding(name) from None
    if family.startswith(("utf-16", "utf-32")) and info.name in ("utf-16", "utf-32"):
        return family, 0  # "UTF-16" declared without a mark: the byte order seen in the first bytes
    return info.name, 0


def declares_dtd(data: bytes) -> bool:
    """True when the document holds a DOCTYPE or ENTITY declaration in the encoding the parser will read it in.

    Raises :class:`UnknownEncoding` for a declared encoding that cannot be checked.
    """
    encoding, skip = document_encoding(data)
    if encoding in ("utf-8", "ascii", "latin-1", "iso8859-1", "cp1252", "gb18030", "gbk", "gb2312"):
        # ASCII-compatible: the markers are the same bytes (fast path for big ordinary files, no copy).
        return any(marker in data for marker in _ASCII_MARKERS)
    text = data[skip:].decode(encoding, "replace")
    return any(marker in text for marker in _MARKERS)
