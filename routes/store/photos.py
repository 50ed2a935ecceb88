"""POI photos: check the format, cap the size, and re-encode the pixels alone so no EXIF/GPS metadata survives."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from routes.store.errors import ValidationError

#: Largest upload accepted: a phone photo is 3–8 MB.
PHOTO_MAX_BYTES = 12 * 1024 * 1024
#: Most pixels accepted before decoding (a decompression bomb is a tiny file that decodes to gigabytes).
PHOTO_MAX_PIXELS = 50_000_000
#: Longest edge kept: plenty for a popup or a page, and keeps the database small.
PHOTO_MAX_EDGE_PX = 2048
#: JPEG quality for the re-encoded copy: visually lossless for photos.
JPEG_QUALITY = 88
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    mime: str
    width: int
    height: int


def clean_photo(data: bytes, *, max_bytes: int = PHOTO_MAX_BYTES, max_pixels: int = PHOTO_MAX_PIXELS) -> CleanPhoto:
    """A re-encoded copy without metadata, turned upright by its EXIF orientation first; raises ValidationError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > max_bytes:
        raise ValidationError("photo_too_big", field="photo", size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in ACCEPTED_FORMATS:
                raise ValidationError("photo_format", field="photo")
            if img.width * img.height > max_pixels:
                raise ValidationError(
                    "photo_pixels", field="photo", mpx=img.width * img.height / 1e6, limit_mpx=max_pixels / 1e6
                )
            img.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError("photo_format", field="photo") from None
    img = ImageOps.exif_transpose(img)
    img.thumbnail((PHOTO_MAX_EDGE_PX, PHOTO_MAX_EDGE_PX))
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    out = io.BytesIO()
    if has_alpha:
        # A fresh image carries no info dict, so nothing of the original's text chunks or EXIF is written.
        clean = Image.new("RGBA", img.size)
        clean.paste(img.convert("RGBA"))
        clean.save(out, format="PNG", optimize=True)
        mime = "image/png"
    else:
        clean = Image.new("RGB", img.size)
        clean.paste(img.convert("RGB"))
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        mime = "image/jpeg"
    return CleanPhoto(data=out.getvalue(), mime=mime, width=clean.width, height=clean.height)


# --- credits ---------------------------------------------------------------------------------------------------------
# A photo's credit lives in the meta table (key "credit.<photo id>", a JSON value) rather than in a new column of
# photos: a photo row is written once and never changed, and this needs no schema migration. The key is 39
# characters, inside meta.key's 40.

#: Longest credit accepted ("摄影：张三 · CC BY 4.0"): one line under a picture.
PHOTO_CREDIT_MAX_CHARS = 120
#: Prefix of a photo credit's key in the meta table.
CREDIT_KEY_PREFIX = "credit."


def credit_key(photo_id: str) -> str:
    return f"{CREDIT_KEY_PREFIX}{photo_id}"


def credit_value(credit: str, *, illustrative: bool = False) -> str:
    import json

    return json.dumps({"credit": credit, "illustrative": bool(illustrative)}, ensure_ascii=False, sort_keys=True)


def read_credit(value: str | None) -> tuple[str, bool]:
    """(credit text, drawn-by-code flag) from a meta value; ("", False) for none or an unreadable one."""
    import json

    try:
        data = json.loads(value) if value else {}
    except ValueError:
        return "", False
    if not isinstance(data, dict):
        return "", False
    return str(data.get("credit") or ""), bool(data.get("illustrative"))
