#!/usr/bin/env python3
"""Subset Noto Sans SC (CFF) to GB2312 + ASCII + punctuation and convert its outlines to TrueType quadratics."""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

src, dst = sys.argv[1], sys.argv[2]
chars = set(range(0x20, 0x7F)) | {0xA0, 0xB0, 0xB7, 0xD7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2191, 0x2193, 0x2192, 0x2190, 0x25B2, 0x25BC, 0x2103}
for b1 in range(0xA1, 0xF8):
    for b2 in range(0xA1, 0xFF):
        try:
            chars.add(ord(bytes([b1, b2]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
font = TTFont(src)
opts = Options()
opts.layout_features = []
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.hinting = False
opts.drop_tables += ["VORG", "vhea", "vmtx", "GSUB", "GPOS", "DSIG"]
ss = Subsetter(opts)
ss.populate(unicodes=chars)
ss.subset(font)
# CFF -> glyf
gs = font.getGlyphSet()
order = font.getGlyphOrder()
glyphs = {}
for name in order:
    pen = TTGlyphPen(gs)
    gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    glyphs[name] = pen.glyph()
del font["CFF "]
font["loca"] = newTable("loca")
glyf = font["glyf"] = newTable("glyf")
glyf.glyphOrder = order
glyf.glyphs = glyphs
font["maxp"] = maxp = newTable("maxp")
maxp.tableVersion = 0x00010000
for a in ("maxZones","maxTwilightPoints","maxStorage","maxFunctionDefs","maxInstructionDefs","maxStackElements","maxSizeOfInstructions","maxComponentElements"):
    setattr(maxp, a, 0)
maxp.maxZones = 1
font["head"].glyphDataFormat = 0
font["post"].formatType = 2.0
font["post"].extraNames = []
font["post"].mapping = {}
font.sfntVersion = "\x00\x01\x00\x00"
font.flavor = None
font.save(dst)
f2 = TTFont(dst)
print(len(f2.getBestCmap()), "codepoints", len(f2.getGlyphOrder()), "glyphs")
