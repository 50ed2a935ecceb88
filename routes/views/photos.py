"""Public POI photos: renditions resized on the server (WebP and a JPEG fallback, a few widths, no metadata) and the
``<picture>`` markup that lets the browser pick one (srcset + sizes, lazy below the first screen, explicit size, alt
text and credit in the page's language).

A photo's bytes never change under its id (every upload gets a new id, see Store.set_poi_photo), so a rendition is
fixed by (photo id, width, format): that is the cache key here and why its URL may be cached as immutable.
"""

from __future__ import annotations

import html
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from routes.text.i18n import pick, t

#: Widths served, in CSS pixels of a 1× screen: a phone column (320), a phone at 2× or a page column (640), a wide
#: screen or a phone at 3–4× (1280). Never more than the stored photo's own width (no upscaling).
RENDITION_WIDTHS_PX = (320, 640, 1280)
#: The format every browser since 2020 reads, and the fallback for the rest. Extension in the URL → content type.
FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}
#: Encoder qualities: WebP at 70 looks like JPEG at about 80 for about two thirds of the bytes.
WEBP_QUALITY = 70
JPEG_QUALITY = 80
#: Resize in two steps when shrinking by more than this factor (a box reduction, then Lanczos): same look, less work.
RESIZE_REDUCING_GAP = 3.0
#: Renditions kept in this process, in bytes. Measured (docs/performance.md): the six renditions of one photo take
#: 60 kB (a seed drawing) to 380 kB (a textured 2048 px photo), and making one costs 0.1–1.6 s on a busy two-core
#: machine, so 24 MB keeps at least 60 photos' full sets warm; browsers and proxies keep them too (immutable URLs).
RENDITION_CACHE_BYTES = 24 * 1024 * 1024
#: How wide a picture is drawn on a route page's photo grid and on a place page, for the browser's choice before
#: it has laid out the page (``sizes``): one column less the page padding on a phone, a grid cell or a capped
#: column on wider screens.
GALLERY_SIZES = "(max-width: 599px) calc(100vw - 32px), (max-width: 959px) calc(50vw - 24px), 300px"
PLACE_SIZES = "(max-width: 671px) calc(100vw - 32px), 640px"
#: The width a place page's picture is shown at most, in CSS pixels (light.css caps it the same).
PLACE_MAX_W_PX = 640


# --- renditions ------------------------------------------------------------------------------------------------------


def rendition_width(photo_width_px: int, requested_px: int) -> int:
    """The width actually produced: the requested one, or the photo's own when that is narrower."""
    return min(int(requested_px), int(photo_width_px))


def make_rendition(data: bytes, width_px: int, fmt: str) -> bytes:
    """The photo ``data`` resized to ``width_px`` wide (never enlarged) as ``fmt`` ("webp" or "jpg"), written from a
    fresh image so that no metadata (EXIF, XMP, ICC text) of the stored file can ride along."""
    from PIL import Image

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with Image.open(io.BytesIO(data)) as src:
        w = rendition_width(src.width, width_px)
        h = max(1, round(src.height * w / src.width))
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale directly (draft keeps at least twice the target, so the
        # final resampling still has pixels to average): most of the cost of a small rendition is the full decode.
        if src.format == "JPEG":
            src.draft("RGB", (2 * w, 2 * h))
        src.load()
        has_alpha = src.mode in ("RGBA", "LA", "PA") or (src.mode == "P" and "transparency" in src.info)
        mode = "RGBA" if has_alpha and fmt == "webp" else "RGB"
        resized = src.convert("RGBA" if has_alpha else "RGB").resize((w, h), Image.Resampling.LANCZOS,
                                                                     reducing_gap=RESIZE_REDUCING_GAP)
    if mode == "RGBA":  # WebP keeps the transparency: every channel copied as it is
        clean = Image.new("RGBA", (w, h))
        clean.paste(resized)
    else:  # a JPEG of a transparent PNG gets a white background
        clean = Image.new("RGB", (w, h), (255, 255, 255))
        clean.paste(resized, mask=resized.getchannel("A") if has_alpha else None)
    out = io.BytesIO()
    if fmt == "webp":
        clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


class _ByteLRU:
    """Least recently used first out, bounded by the total bytes held; safe from the server's worker threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._items[key] = value
            self._bytes += len(value)
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_RENDITIONS = _ByteLRU(RENDITION_CACHE_BYTES)


def rendition(store: object, photo_id: str, width_px: int, fmt: str) -> bytes:
    """A rendition of a stored photo, made once per process while it stays in the bounded cache."""
    key = (photo_id, int(width_px), fmt)
    hit = _RENDITIONS.get(key)
    if hit is not None:
        return hit
    data = make_rendition(store.get_photo(photo_id), width_px, fmt)
    _RENDITIONS.put(key, data)
    return data


def photo_url(photo_id: str, width_px: int, fmt: str) -> str:
    """The public URL of one rendition (served by routes/web/photos.py)."""
    return f"/r/photo/{photo_id}-{int(width_px)}.{fmt}"


# --- markup ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """One photo as a page shows it: every field already in the page's language."""

    photo_id: str
    alt: str
    width: int
    height: int
    webp_srcset: str
    jpeg_srcset: str
    src: str
    sizes: str
    lazy: bool
    credit: str
    #: Where the picture links (the place page), or "" for none.
    href: str = ""
    #: A line under the name ("at km 6.6"), or "".
    caption: str = ""

    def html(self) -> str:
        return picture_html(self)


def credit_text(info: object, lang: str) -> str:
    """The credit line under a photo: "illustrative" for a drawing made by code, the editor's credit, or ""."""
    if getattr(info, "illustrative", False):
        return t("photo.illustrative", lang)
    credit = getattr(info, "credit", "")
    return t("photo.credit", lang, credit=credit) if credit else ""


def _srcset(photo_id: str, photo_width_px: int, fmt: str) -> str:
    """Candidates "URL 320w, …" with each candidate's true width; widths the photo cannot fill collapse into one."""
    seen: dict[int, str] = {}
    for w in RENDITION_WIDTHS_PX:
        real = rendition_width(photo_width_px, w)
        seen.setdefault(real, photo_url(photo_id, w, fmt))
    return ", ".join(f"{url} {w}w" for w, url in seen.items())


def picture(info: object, alt: str, lang: str, *, sizes: str, lazy: bool, href: str = "",
            caption: str = "", fallback_px: int = RENDITION_WIDTHS_PX[1]) -> Picture:
    """The picture of photo ``info`` (a PhotoInfo); ``alt`` is the POI's name in the page's language."""
    w, h = int(info.width), int(info.height)
    return Picture(
        photo_id=info.id,
        alt=alt,
        width=w,
        height=h,
        webp_srcset=_srcset(info.id, w, "webp"),
        jpeg_srcset=_srcset(info.id, w, "jpg"),
        src=photo_url(info.id, fallback_px, "jpg"),
        sizes=sizes,
        lazy=lazy,
        credit=credit_text(info, lang),
        href=href,
        caption=caption,
    )


def picture_html(p: Picture, *, css_class: str = "photo") -> str:
    """``<picture>`` with a WebP source and a JPEG fallback; width/height give the box its shape before any byte
    arrives (no layout shift), lazy ones wait until they are near the screen."""
    e = html.escape
    loading = ' loading="lazy"' if p.lazy else ""
    return (
        f'<picture><source type="image/webp" srcset="{e(p.webp_srcset)}" sizes="{e(p.sizes)}">'
        f'<img class="{e(css_class)}" src="{e(p.src)}" srcset="{e(p.jpeg_srcset)}" sizes="{e(p.sizes)}" '
        f'width="{p.width}" height="{p.height}" alt="{e(p.alt)}"{loading} decoding="async"></picture>'
    )


def figure_html(p: Picture) -> str:
    """A picture with its name (a link when ``href``), caption and credit: one card of a photo grid."""
    e = html.escape
    name = f'<a href="{e(p.href)}">{e(p.alt)}</a>' if p.href else e(p.alt)
    caption = f' <span class="photo-km">{e(p.caption)}</span>' if p.caption else ""
    credit = f'<small class="credit">{e(p.credit)}</small>' if p.credit else ""
    return (f'<figure class="photo-card">{picture_html(p)}'
            f'<figcaption><span class="photo-name">{name}</span>{caption}{credit}</figcaption></figure>')


def route_pictures(store: object, stops: Iterable[tuple[object, str]], lang: str, *,
                   href: object = None) -> list[Picture]:
    """Pictures of the POIs with a public photo along a route, in route order, each POI once.

    ``stops`` are (PoiInfo, km along the route as shown in the page's table); ``href(poi_id)`` gives the place page's URL. All lazy: the photo
    grid sits below the map, profile and tables, far from a phone's first screen.
    """
    out: list[Picture] = []
    seen: set[str] = set()
    for poi, km in stops:
        if poi.id in seen or not poi.photo_id:
            continue
        seen.add(poi.id)
        info = store.public_photo(poi.photo_id)
        if info is None:
            continue
        out.append(picture(info, pick(poi.name_zh, poi.name_en, lang), lang, sizes=GALLERY_SIZES, lazy=True,
                           href=href(poi.id) if href else "",
                           caption=t("photo.at_km", lang, km=km)))
    return out


def place_picture(store: object, poi: object, lang: str, *, lazy: bool = False) -> Picture | None:
    """The picture of a place page's POI, or None when it has no public photo. Not lazy by default: on a place page
    it sits in the first screen."""
    if not poi.photo_id:
        return None
    info = store.public_photo(poi.photo_id)
    if info is None:
        return None
    return picture(info, pick(poi.name_zh, poi.name_en, lang), lang, sizes=PLACE_SIZES, lazy=lazy)


def gallery_html(pictures: Sequence[Picture]) -> str:
    return '<div class="photo-grid">' + "".join(figure_html(p) for p in pictures) + "</div>"


#: The same look as static/light/light.css gives photos, for pages that do not load it (the Streamlit pages).
PHOTO_CSS = (
    ".photo{display:block;max-width:100%;height:auto;border-radius:6px;background:#e9e3d6}"
    ".credit{display:block;font-size:.8rem;color:#555;margin-top:.25em}"
    ".photo-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px}"
    ".photo-card{margin:0;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);overflow:hidden}"
    ".photo-card .photo{width:100%;border-radius:0}"
    ".photo-card figcaption{padding:6px 10px 8px}"
    ".photo-name{font-weight:600}.photo-km{display:block;color:#555;font-size:.9rem}"
    ".place-photo{margin:.4em 0;max-width:480px}.place-photo .photo{width:100%}"
)


def place_html(p: Picture) -> str:
    """A place's picture with its credit line under it."""
    credit = f'<figcaption class="credit">{html.escape(p.credit)}</figcaption>' if p.credit else ""
    return f'<figure class="place-photo">{picture_html(p)}{credit}</figure>'


def standalone_html(body: str) -> str:
    """``body`` with the photo style in front, for a page that does not load light.css."""
    return f"<style>{PHOTO_CSS}</style>{body}"
