"""Illustrative seed photos: simple landscapes drawn by code at seed time (never downloaded, never a real place's
photograph), each labelled "示意图 · illustrative" in the picture and marked illustrative in its credit."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from routes.store.photos import CleanPhoto, clean_photo

#: Size drawn: wide enough that every public rendition width (320, 640, 1280 px) exists.
SEED_PHOTO_W_PX, SEED_PHOTO_H_PX = 1440, 960
#: The label drawn in the corner of every seed picture, and its type size.
SEED_PHOTO_LABEL = "示意图 · illustrative"
SEED_LABEL_PX = 40
#: The guide's own CJK font (static/fonts), so the label's Chinese is drawn without any system font.
FONT_PATH = Path(__file__).resolve().parents[2] / "static" / "fonts" / "NotoSansSC-Regular-GB2312.ttf"


def _sky(draw, top: tuple[int, int, int], bottom: tuple[int, int, int], height: int) -> None:
    for y in range(height):
        f = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * f) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SEED_PHOTO_W_PX, y)], fill=colour)


def _ridge(draw, base_y: int, amp: int, waves: float, phase: float, colour: tuple[int, int, int]) -> None:
    pts = [(x, base_y - amp * (0.6 * math.sin(waves * x / SEED_PHOTO_W_PX * math.tau + phase)
                                + 0.4 * math.sin(2.3 * waves * x / SEED_PHOTO_W_PX * math.tau + 2 * phase)))
           for x in range(0, SEED_PHOTO_W_PX + 16, 16)]
    draw.polygon([*pts, (SEED_PHOTO_W_PX, SEED_PHOTO_H_PX), (0, SEED_PHOTO_H_PX)], fill=colour)


def _tea_terraces(draw) -> None:
    _sky(draw, (150, 196, 232), (226, 238, 244), 420)
    _ridge(draw, 330, 60, 1.2, 0.4, (120, 150, 130))
    for i, y in enumerate(range(360, SEED_PHOTO_H_PX + 60, 52)):  # rows of tea bushes following the slope
        shade = (54 + 8 * (i % 2), 120 + 6 * i % 40, 60)
        _ridge(draw, y, 26, 0.8, 0.7 + i * 0.15, shade)
        _ridge(draw, y + 30, 24, 0.8, 0.7 + i * 0.15, (120, 98, 64))


def _lake_view(draw) -> None:
    _sky(draw, (120, 170, 220), (235, 228, 210), 520)
    _ridge(draw, 430, 90, 0.9, 1.1, (96, 128, 150))
    _ridge(draw, 500, 70, 1.4, 2.0, (70, 112, 96))
    draw.rectangle([0, 540, SEED_PHOTO_W_PX, SEED_PHOTO_H_PX], fill=(64, 120, 150))
    for y in range(560, SEED_PHOTO_H_PX, 36):  # ripples
        draw.line([(80 + (y * 7) % 300, y), (380 + (y * 7) % 300, y)], fill=(120, 170, 196), width=3)
    _ridge(draw, 900, 40, 0.5, 0.3, (58, 88, 52))


def _bamboo_homes(draw) -> None:
    _sky(draw, (170, 206, 230), (236, 240, 230), 600)
    _ridge(draw, 520, 80, 1.0, 0.2, (98, 140, 96))
    for x in range(60, SEED_PHOTO_W_PX, 90):  # bamboo stems
        draw.line([(x, 180 + (x * 13) % 120), (x + 10, SEED_PHOTO_H_PX)], fill=(72, 132, 70), width=14)
    for i, x in enumerate((420, 760)):  # two white-walled houses with dark roofs
        y = 560 + 30 * i
        draw.rectangle([x, y, x + 280, y + 200], fill=(238, 234, 226))
        draw.polygon([(x - 30, y), (x + 140, y - 110), (x + 310, y)], fill=(62, 64, 72))
        draw.rectangle([x + 110, y + 90, x + 170, y + 200], fill=(110, 80, 56))
    draw.rectangle([0, 840, SEED_PHOTO_W_PX, SEED_PHOTO_H_PX], fill=(110, 150, 160))  # the stream


#: Seed POI id → the drawing shown as its photo (three places along the Tianxiang line).
SEED_DRAWINGS: dict[str, Callable] = {
    "seed-tea-terraces": _tea_terraces,
    "seed-dongjiang-view": _lake_view,
    "seed-bamboo-homes": _bamboo_homes,
}


@lru_cache(maxsize=len(SEED_DRAWINGS))
def seed_photo(poi_id: str) -> CleanPhoto:
    """The drawing for ``poi_id``, labelled and cleaned like an upload; drawn once per process (seeding a test
    database should not redraw it)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (SEED_PHOTO_W_PX, SEED_PHOTO_H_PX))
    draw = ImageDraw.Draw(img)
    SEED_DRAWINGS[poi_id](draw)
    font = ImageFont.truetype(str(FONT_PATH), SEED_LABEL_PX)
    left, top, right, bottom = draw.textbbox((0, 0), SEED_PHOTO_LABEL, font=font)
    pad = SEED_LABEL_PX // 2
    x0, y0 = pad, pad
    draw.rectangle([x0, y0, x0 + right - left + 2 * pad, y0 + bottom - top + 2 * pad], fill=(255, 255, 255))
    draw.text((x0 + pad - left, y0 + pad - top), SEED_PHOTO_LABEL, font=font, fill=(40, 40, 40))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return clean_photo(buf.getvalue())
