"""Strings of POI photos on public pages (route and place pages, light and Streamlit) and of the editor's credit field."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "photo.gallery": ("沿途照片", "Photos along the route"),
    "photo.credit": ("摄影：{credit}", "Photo: {credit}"),
    "photo.illustrative": ("示意图，由程序绘制，并非实景照片", "Illustrative drawing made by code, not a photograph"),
    "photo.at_km": ("{km} 公里处", "at km {km}"),
    "ed.pois.photo_credit": ("照片署名（拍摄者或来源，可不填）", "Photo credit (photographer or source, optional)"),
    "ed.pois.photo_credit_help": (
        "显示在公开页面的照片下方。请只上传自己拍摄或已获授权的照片。",
        "Shown under the photo on public pages. Upload only photos you took or may use.",
    ),
}
