"""The route's share picture and phone poster (PNG, drawn with Pillow): line, profile, name, figures and a QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from routes.analysis.graderuns import MIN_RUN_PX, merge_runs
from routes.analysis.grades import GRADE_BANDS
from routes.text.i18n import fmt_km, fmt_m, pick, t

ROOT = Path(__file__).resolve().parents[2]
#: Fonts tried in order. Noto Sans CJK (Debian fonts-noto-cjk) has a bold face; the project's own GB2312 subset of
#: Noto Sans SC (static/fonts) is always there. Index 2 of the CJK collection is Simplified Chinese.
BOLD_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    (str(ROOT / "static/fonts/NotoSansSC-Regular-GB2312.ttf"), 0),
)
REGULAR_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    (str(ROOT / "static/fonts/NotoSansSC-Regular-GB2312.ttf"), 0),
)
BACKGROUND = (250, 247, 240)
MAP_BACKGROUND = (236, 231, 218)
INK = (34, 34, 34)
MUTED = (95, 95, 95)
ACCENT = (192, 57, 43)
#: Line width of the route on the picture, in pixels, with a white casing this much wider.
LINE_PX = 9
CASING_EXTRA_PX = 6


@dataclass(frozen=True)
class Layout:
    """Boxes (left, top, right, bottom) of each part of a picture."""

    size: tuple[int, int]
    map_box: tuple[int, int, int, int]
    profile_box: tuple[int, int, int, int]
    qr_box: tuple[int, int, int, int]
    title_xy: tuple[int, int]
    title_px: int
    title_width: int
    stats_xy: tuple[int, int]
    stats_px: int


#: Open Graph's recommended 1.91:1 picture (chats crop anything else).
SHARE = Layout(
    (1200, 630), (30, 30, 530, 600), (570, 420, 1170, 600), (960, 170, 1170, 380), (570, 60), 54, 600, (570, 200), 34
)
#: A phone-screen poster (9:16), the size WeChat moments show full-screen.
POSTER = Layout(
    (1080, 1920),
    (40, 330, 1040, 1230),
    (40, 1270, 1040, 1560),
    (760, 1600, 1040, 1880),
    (40, 80),
    80,
    1000,
    (40, 1610),
    44,
)


@lru_cache(maxsize=16)
def _font(size: int, bold: bool):
    from PIL import ImageFont

    for path, index in BOLD_FONTS if bold else REGULAR_FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def _fit_text(draw, text: str, size: int, width: int, *, bold: bool = True):
    """The largest font ≤ ``size`` at which ``text`` fits in ``width`` (down to 60 %, then it is cut with …)."""
    for s in range(size, int(size * 0.6) - 1, -2):
        font = _font(s, bold)
        if draw.textlength(text, font=font) <= width:
            return text, font
    font = _font(int(size * 0.6), bold)
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…", font


def _project(
    lat: np.ndarray, lon: np.ndarray, box: tuple[int, int, int, int], pad: int
) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular projection (scaled by cos latitude) fitted into ``box`` keeping the aspect ratio."""
    x = (lon - lon.min()) * np.cos(np.radians(lat.mean()))
    y = lat.max() - lat
    w, h = box[2] - box[0] - 2 * pad, box[3] - box[1] - 2 * pad
    k = min(w / max(float(x.max()), 1e-12), h / max(float(y.max()), 1e-12))
    ox = box[0] + pad + (w - float(x.max()) * k) / 2
    oy = box[1] + pad + (h - float(y.max()) * k) / 2
    return ox + x * k, oy + y * k


def _draw_line(draw, ra: object, box: tuple[int, int, int, int]) -> None:
    lat, lon = np.asarray(ra.map_lat, float), np.asarray(ra.map_lon, float)
    if len(lat) < 2:
        return
    px, py = _project(lat, lon, box, pad=30)
    pts = list(zip(px.tolist(), py.tolist(), strict=True))
    draw.line(pts, fill=(255, 255, 255), width=LINE_PX + CASING_EXTRA_PX, joint="curve")
    path_px = float(np.sum(np.hypot(np.diff(px), np.diff(py))))
    m_per_px = float(ra.map_distance_m[-1]) / max(path_px, 1.0)
    runs = merge_runs(np.diff(ra.map_distance_m), ra.map_step_grade_pct, min_run_m=MIN_RUN_PX * m_per_px)
    for r in runs:
        draw.line(pts[r.start : r.end + 1], fill=GRADE_BANDS[r.band].colour, width=LINE_PX, joint="curve")
    for (x, y), colour in ((pts[0], (26, 150, 65)), (pts[-1], INK)):
        draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=colour, outline=(255, 255, 255), width=4)


def _draw_profile(draw, ra: object, box: tuple[int, int, int, int]) -> None:
    d = np.asarray(ra.profile_distance_m, float)
    e = np.nan_to_num(
        np.asarray(ra.profile_ele_m, float),
        nan=float(np.nanmin(ra.profile_ele_m)) if np.isfinite(ra.profile_ele_m).any() else 0.0,
    )
    if len(d) < 2:
        return
    lo, hi = float(e.min()), float(e.max())
    pad = max(10.0, (hi - lo) * 0.15)
    lo = lo - pad
    x0, y0, x1, y1 = box
    xs = x0 + (d / max(float(d[-1]), 1e-9)) * (x1 - x0)
    ys = y1 - (e - lo) / max(hi - lo, 1e-9) * (y1 - y0)
    runs = merge_runs(
        np.diff(d), np.asarray(ra.profile_grade_pct)[:-1], min_run_m=MIN_RUN_PX * float(d[-1]) / (x1 - x0)
    )
    for r in runs:
        poly = [(float(xs[r.start]), y1)] + [(float(xs[i]), float(ys[i])) for i in range(r.start, r.end + 1)]
        poly.append((float(xs[r.end]), y1))
        draw.polygon(poly, fill=GRADE_BANDS[r.band].colour)
    draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=INK, width=3, joint="curve")


def _qr_image(url: str, size: int):
    import segno
    from PIL import Image

    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=10, border=2)
    buf.seek(0)
    return Image.open(buf).convert("RGB").resize((size, size), Image.NEAREST)


def draw_share_picture(info: object, ra: object, *, lang: str, url: str, poster: bool = False) -> bytes:
    """The route's picture as PNG bytes: 1200×630 for chat previews, or a 1080×1920 poster for phones."""
    from PIL import Image, ImageDraw

    lay = POSTER if poster else SHARE
    img = Image.new("RGB", lay.size, BACKGROUND)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle(lay.map_box, radius=18, fill=MAP_BACKGROUND)
    _draw_line(draw, ra, lay.map_box)
    _draw_profile(draw, ra, lay.profile_box)

    brand_font = _font(int(lay.title_px * 0.45), False)
    bx, by = lay.title_xy
    draw.text((bx, by - int(lay.title_px * 0.75)), t("app.title", lang), font=brand_font, fill=ACCENT)
    name = pick(info.name_zh, info.name_en, lang)
    text, font = _fit_text(draw, name, lay.title_px, lay.title_width)
    draw.text((bx, by), text, font=font, fill=INK)

    an = ra.analysis
    sx, sy = lay.stats_xy
    label_font, value_font = _font(int(lay.stats_px * 0.6), False), _font(lay.stats_px, True)
    col = 0
    for label, value in (
        (t("light.pic_distance", lang), fmt_km(an.distance_m, lang)),
        (t("light.pic_ascent", lang), fmt_m(an.ascent_m, lang)),
    ):
        draw.text((sx + col, sy), label, font=label_font, fill=MUTED)
        draw.text((sx + col, sy + int(lay.stats_px * 0.8)), value, font=value_font, fill=INK)
        col += max(int(draw.textlength(value, font=value_font)) + 50, int(lay.stats_px * 5))

    q = lay.qr_box
    side = min(q[2] - q[0], q[3] - q[1] - 36)
    img.paste(_qr_image(url, side), (q[0], q[1]))
    scan_font = _font(max(16, int(lay.stats_px * 0.55)), False)
    draw.text((q[0] + side / 2, q[1] + side + 6), t("light.pic_scan", lang), font=scan_font, fill=MUTED, anchor="mt")
    if info.illustrative:
        note_font = _font(max(14, int(lay.stats_px * 0.45)), False)
        draw.text(
            (lay.map_box[0] + 14, lay.map_box[3] - 14),
            t("light.pic_illustrative", lang),
            font=note_font,
            fill=MUTED,
            anchor="lb",
        )
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


__all__ = ["POSTER", "SHARE", "draw_share_picture"]
