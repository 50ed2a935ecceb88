"""The guide's app icon (home screen, task switcher): a white bicycle over a hill line on the brand red.

Drawn once with Pillow into ``static/light/icon-<size>.png`` (committed files, served as versioned assets and named by
the web app manifest, routes/web/offline.py); run ``python -m routes.views.appicon`` to draw them again. Everything
sits inside the central circle a launcher keeps when it masks the icon to its own shape ("maskable": 40 % of the size
from the centre), so one picture serves as both the plain and the maskable icon.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

#: The brand red of the light pages' header and theme colour.
BRAND_RED = (0xC0, 0x39, 0x2B)
WHITE = (255, 255, 255)
#: Sizes the manifest offers: 192 px for the home screen, 512 px for the splash screen and install dialogs.
ICON_SIZES_PX = (192, 512)
#: Drawn this many times larger and scaled down, for smooth edges (Pillow draws lines without anti-aliasing).
SUPERSAMPLE = 4
PALETTE_COLOURS = 16
STATIC_LIGHT = Path(__file__).resolve().parents[2] / "static" / "light"


def icon_path(size_px: int) -> Path:
    return STATIC_LIGHT / f"icon-{size_px}.png"


def draw_icon(size_px: int) -> bytes:
    """The icon as PNG bytes, ``size_px`` square. Coordinates are fractions of the side, so every size is the same
    picture."""
    big = size_px * SUPERSAMPLE
    img = Image.new("RGB", (big, big), BRAND_RED)
    d = ImageDraw.Draw(img)

    def p(x: float, y: float) -> tuple[float, float]:
        return (x * big, y * big)

    def line(points: list[tuple[float, float]], width: float) -> None:
        d.line([p(x, y) for x, y in points], fill=WHITE, width=round(width * big), joint="curve")
        for x, y in (points[0], points[-1]):  # round caps
            r = width * big / 2
            d.ellipse([x * big - r, y * big - r, x * big + r, y * big + r], fill=WHITE)

    # A hill line behind the bicycle: the climb to the tea terraces.
    line([(0.16, 0.36), (0.30, 0.27), (0.40, 0.31), (0.52, 0.20), (0.66, 0.30), (0.84, 0.36)], 0.028)
    wheel_r, stroke = 0.145, 0.045
    rear, front = (0.305, 0.635), (0.695, 0.635)
    for cx, cy in (rear, front):
        d.ellipse([p(cx - wheel_r, cy - wheel_r), p(cx + wheel_r, cy + wheel_r)], outline=WHITE,
                  width=round(stroke * big))
    crank, seat, head = (0.475, 0.635), (0.425, 0.445), (0.640, 0.445)
    line([rear, crank, seat, rear], stroke)  # chain stay, seat tube, seat stay
    line([seat, head, crank], stroke)  # top tube, down tube
    line([head, front], stroke)  # fork
    line([(0.375, 0.425), (0.470, 0.425)], stroke)  # saddle
    line([(0.610, 0.400), (0.640, 0.445)], stroke)  # stem
    line([(0.585, 0.400), (0.665, 0.400)], stroke)  # handlebar
    out = io.BytesIO()
    small = img.resize((size_px, size_px), Image.Resampling.LANCZOS)
    # Two colours and their blends: a 16-colour palette keeps the smooth edges at a third of the bytes.
    small.quantize(colors=PALETTE_COLOURS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_icons() -> list[Path]:
    paths = []
    for size in ICON_SIZES_PX:
        path = icon_path(size)
        path.write_bytes(draw_icon(size))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_icons():
        print(written.name, written.stat().st_size, "bytes")
