"""POI photos for the public: renditions (sizes, formats, no metadata, a bounded cache), the credit kept with a photo,
which photos count as public, the <picture> markup and the seed's drawn photos."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from routes.store.errors import ValidationError
from routes.store.photos import PHOTO_CREDIT_MAX_CHARS
from routes.views import photos


def _jpeg_with_gps(width: int = 1600, height: int = 1200) -> bytes:
    """A camera-like JPEG carrying EXIF with a GPS position and a camera name (what must never reach a visitor)."""
    img = Image.new("RGB", (width, height), (40, 120, 60))
    for x in range(0, width, 40):  # some detail, so the encoders have work to do
        img.paste((200, 180, 90), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)}  # GPS IFD
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        assert not im.getexif(), im.getexif()
        assert "exif" not in im.info and "xmp" not in im.info
    assert b"Exif" not in data and b"SecretCam" not in data


@pytest.mark.parametrize("fmt, pil_format", [("webp", "WEBP"), ("jpg", "JPEG")])
def test_each_rendition_has_its_width_the_photos_shape_its_format_and_no_exif(fmt, pil_format):
    source = _jpeg_with_gps()
    assert b"SecretCam" in source  # the test's input really carries the metadata
    for width in photos.RENDITION_WIDTHS_PX:
        data = photos.make_rendition(source, width, fmt)
        with Image.open(io.BytesIO(data)) as im:
            assert (im.format, im.size) == (pil_format, (width, width * 3 // 4))
        _no_metadata(data)
    # Smaller widths are smaller files (the point of offering them).
    sizes = [len(photos.make_rendition(source, w, fmt)) for w in photos.RENDITION_WIDTHS_PX]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1] / 4


def test_a_narrow_photo_is_never_enlarged_and_its_srcset_says_its_real_width():
    small = io.BytesIO()
    Image.new("RGB", (500, 250), (10, 20, 30)).save(small, format="PNG")
    data = photos.make_rendition(small.getvalue(), 1280, "webp")
    assert Image.open(io.BytesIO(data)).size == (500, 250)
    assert photos._srcset("a" * 32, 500, "webp") == (f"/r/photo/{'a' * 32}-320.webp 320w, "
                                                     f"/r/photo/{'a' * 32}-640.webp 500w")


def test_a_transparent_png_gets_a_white_background_as_jpeg_and_keeps_alpha_as_webp():
    buf = io.BytesIO()
    Image.new("RGBA", (400, 200), (255, 0, 0, 0)).save(buf, format="PNG")
    jpg = Image.open(io.BytesIO(photos.make_rendition(buf.getvalue(), 320, "jpg")))
    assert jpg.mode == "RGB" and jpg.getpixel((10, 10)) == (255, 255, 255)
    webp = Image.open(io.BytesIO(photos.make_rendition(buf.getvalue(), 320, "webp")))
    assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0


def test_the_rendition_cache_is_bounded_in_bytes_and_drops_the_least_recently_used():
    cache = photos._ByteLRU(100)
    cache.put(("a",), b"x" * 40)
    cache.put(("b",), b"x" * 40)
    assert cache.get(("a",)) is not None  # "a" is now the most recent
    cache.put(("c",), b"x" * 40)  # 120 bytes > 100: the least recently used ("b") goes
    assert (cache.get(("b",)), len(cache), cache.size_bytes) == (None, 2, 80)
    cache.put(("huge",), b"x" * 101)  # larger than the whole cache: not kept, nothing evicted for it
    assert (cache.get(("huge",)), len(cache)) == (None, 2)


class _CountingStore:
    """The real store, counting how often a photo's bytes are read from the database."""

    def __init__(self, store) -> None:
        self.store, self.reads = store, 0

    def get_photo(self, photo_id: str) -> bytes:
        self.reads += 1
        return self.store.get_photo(photo_id)


def test_a_rendition_is_made_once_then_served_from_the_cache(store):
    photos._RENDITIONS.clear()
    photo_id = store.get_poi("seed-dongjiang-view").photo_id
    counting = _CountingStore(store)
    first = photos.rendition(counting, photo_id, 320, "webp")
    again = photos.rendition(counting, photo_id, 320, "webp")
    assert first == again and counting.reads == 1
    photos.rendition(counting, photo_id, 320, "jpg")  # another format is another rendition
    assert counting.reads == 2 and len(photos._RENDITIONS) == 2


def test_the_seed_gives_three_tianxiang_places_a_drawn_photo_marked_illustrative(store):
    from routes.store.seedphotos import SEED_DRAWINGS, SEED_PHOTO_H_PX, SEED_PHOTO_W_PX

    assert set(SEED_DRAWINGS) == {"seed-tea-terraces", "seed-dongjiang-view", "seed-bamboo-homes"}
    for poi_id in SEED_DRAWINGS:
        poi = store.get_poi(poi_id)
        info = store.photo_info(poi.photo_id)
        assert (info.width, info.height, info.mime) == (SEED_PHOTO_W_PX, SEED_PHOTO_H_PX, "image/jpeg")
        assert (info.credit, info.illustrative) == ("", True)
        assert [r.action for r in store.poi_revisions(poi_id)] == ["create", "photo"]
    assert photos.credit_text(info, "zh") == "示意图，由程序绘制，并非实景照片"
    assert photos.credit_text(info, "en") == "Illustrative drawing made by code, not a photograph"


def _png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buf, format="PNG")
    return buf.getvalue()


def test_a_photo_keeps_its_credit_and_a_too_long_credit_changes_nothing(store):
    poi = store.get_poi("seed-caoe-view")
    poi = store.set_poi_photo(poi.id, _png(), user="ed", expected_version=poi.version, credit="  张三   · CC BY 4.0 ")
    info = store.photo_info(poi.photo_id)
    assert (info.credit, info.illustrative) == ("张三 · CC BY 4.0", False)
    assert photos.credit_text(info, "zh") == "摄影：张三 · CC BY 4.0"
    assert photos.credit_text(info, "en") == "Photo: 张三 · CC BY 4.0"
    with pytest.raises(ValidationError) as err:
        store.set_poi_photo(poi.id, _png((0, 0, 255)), user="ed", expected_version=poi.version,
                            credit="x" * (PHOTO_CREDIT_MAX_CHARS + 1))
    assert err.value.field == "credit"
    assert err.value.message("zh") == f"太长：最多 {PHOTO_CREDIT_MAX_CHARS} 个字符"
    after = store.get_poi(poi.id)
    assert (after.version, after.photo_id) == (poi.version, poi.photo_id)
    # Without a credit: none shown.
    bare = store.set_poi_photo(poi.id, _png((0, 90, 0)), user="ed", expected_version=poi.version)
    assert photos.credit_text(store.photo_info(bare.photo_id), "en") == ""


def test_only_a_photo_a_published_live_poi_shows_now_is_public(store):
    poi = store.get_poi("seed-panjiadou-hall")
    poi = store.set_poi_photo(poi.id, _png(), user="ed", expected_version=poi.version)
    first = poi.photo_id
    assert store.public_photo(first).id == first
    poi = store.update_poi(poi.id, {"status": "draft"}, user="ed", expected_version=poi.version)
    assert store.public_photo(first) is None  # a draft's photo
    poi = store.update_poi(poi.id, {"status": "published"}, user="ed", expected_version=poi.version)
    poi = store.set_poi_photo(poi.id, _png((1, 2, 3)), user="ed", expected_version=poi.version)
    assert store.public_photo(first) is None  # replaced by a newer one
    assert store.public_photo(poi.photo_id).id == poi.photo_id
    poi = store.delete_poi(poi.id, user="ed", expected_version=poi.version)
    assert store.public_photo(poi.photo_id) is None  # a deleted POI's
    assert store.public_photo("0" * 32) is None


def test_picture_markup_offers_webp_and_jpeg_at_every_width_with_size_alt_and_lazy():
    from routes.store.records import PhotoInfo

    info = PhotoInfo(id="b" * 32, mime="image/jpeg", width=1440, height=960, size_bytes=1, sha256="0" * 64,
                     credit="李四")
    pic = photos.picture(info, 'Tea & "terraces"', "en", sizes=photos.GALLERY_SIZES, lazy=True)
    markup = pic.html()
    base = f"/r/photo/{'b' * 32}"
    assert (f'<source type="image/webp" srcset="{base}-320.webp 320w, {base}-640.webp 640w, {base}-1280.webp 1280w"'
            in markup)
    assert f'src="{base}-640.jpg" srcset="{base}-320.jpg 320w, {base}-640.jpg 640w, {base}-1280.jpg 1280w"' in markup
    assert markup.count(f'sizes="{photos.GALLERY_SIZES}"') == 2
    assert 'width="1440" height="960" alt="Tea &amp; &quot;terraces&quot;" loading="lazy" decoding="async"' in markup
    assert pic.credit == "Photo: 李四"
    eager = photos.picture(info, "x", "zh", sizes=photos.PLACE_SIZES, lazy=False).html()
    assert "loading=" not in eager and 'decoding="async"' in eager
