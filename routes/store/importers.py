"""Bulk POI import from GeoJSON, CSV (lat/lon columns), GPX waypoints or KML/KMZ placemarks (points, and polygons as
areas), with a preview of what would change."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from routes.core.limits import IMPORT_MAX_RECORDS, POIS_MAX_TOTAL, UPLOAD_MAX_BYTES
from routes.core.textsafety import restore_formula_text
from routes.store.errors import StoreError, ValidationError
from routes.store.records import POI_CATEGORIES, PoiInfo
from routes.store.validate import POI_FIELDS, check_poi_fields

#: An imported record without an id is the same POI as an existing one with the same Chinese or English name
#: within this distance (re-importing a corrected file must not duplicate everything).
MATCH_RADIUS_M = 100.0
#: Two coordinates closer than this (degrees, ≈ 1 cm) are the same position: files round differently.
SAME_POSITION_DEG = 1e-7
#: Largest import file accepted: the app's one upload limit (tens of thousands of POIs fit in a few MB).
IMPORT_MAX_BYTES = UPLOAD_MAX_BYTES
#: Longest CSV field read. Python's csv module stops at 131 072 characters, which one POI outline at the vertex
#: limit can pass in our own CSV export; a field cannot be longer than the file, so the file limit is the bound and
#: an over-long value is refused by its field's own check, with the record's number.
CSV_FIELD_MAX_CHARS = IMPORT_MAX_BYTES
#: Ids a file may give its records (our own exports use them; anything else gets a fresh id).
ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

# Words found in GPX <type>/<sym>, GeoJSON or CSV files, mapped to our categories.
CATEGORY_SYNONYMS = {
    "scenic area": "viewpoint", "scenic": "viewpoint", "view": "viewpoint", "vista": "viewpoint",
    "summit": "viewpoint", "观景台": "viewpoint", "景点": "viewpoint",
    "tea": "tea_garden", "tea garden": "tea_garden", "茶园": "tea_garden",
    "湖": "lake", "reservoir": "lake",
    "村": "village", "村庄": "village", "town": "village",
    "museum": "culture", "heritage": "culture", "temple": "culture", "文化": "culture",
    "restaurant": "food", "cafe": "food", "餐饮": "food", "餐馆": "food",
    "drinking water": "water", "water source": "water", "补水": "water", "补水点": "water",
    "restroom": "toilet", "wc": "toilet", "toilets": "toilet", "厕所": "toilet", "公厕": "toilet",
    "bike shop": "repair", "bike repair": "repair", "维修": "repair",
    "parking area": "parking", "car park": "parking", "停车场": "parking",
    "lodging": "accommodation", "hotel": "accommodation", "guesthouse": "accommodation", "住宿": "accommodation",
    "民宿": "accommodation",
    "danger area": "hazard", "danger": "hazard", "caution": "hazard", "危险": "hazard",
    "start": "start_finish", "finish": "start_finish", "flag, blue": "start_finish", "起点": "start_finish",
    "终点": "start_finish",
    "medical facility": "hospital", "医院": "hospital", "急诊": "hospital",
    "clinic": "clinic", "卫生院": "clinic", "卫生服务中心": "clinic", "诊所": "clinic",
}

_BORROWED = "_borrowed_name"
_ALIASES = {
    "lat": ("lat", "latitude", "y", "纬度"),
    "lon": ("lon", "lng", "long", "longitude", "x", "经度"),
    "name_zh": ("name_zh", "名称", "中文名"),
    "name_en": ("name_en", "english_name"),
    "desc_zh": ("desc_zh", "描述", "简介"),
    "desc_en": ("desc_en",),
    "category": ("category", "type", "sym", "类别"),
    "hours": ("hours", "hours_zh", "opening_hours", "开放时间"),
    "hours_en": ("hours_en", "opening_hours_en"),
    "phone": ("phone", "tel", "电话"),
    "url": ("url", "link", "website", "链接"),
    "status": ("status",),
    "illustrative": ("illustrative",),
    "radius_m": ("radius_m", "radius", "半径"),
    "area": ("area", "outline", "范围"),
}


@dataclass(frozen=True)
class PoiChange:
    poi: PoiInfo
    #: field -> (current value, imported value)
    changes: Mapping[str, tuple[Any, Any]]


@dataclass(frozen=True)
class ImportProblem:
    #: 1-based record number in the file (data row for CSV, feature for GeoJSON, waypoint for GPX).
    record: int
    error: ValidationError


def new_import_token() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class ImportPreview:
    """What applying the import would do. ``added`` holds cleaned fields (with ``id`` when the file gave one).

    ``token`` names this preview: applying it is recorded under the token, so applying the same preview twice (a
    double click, a resubmitted form) changes nothing the second time.
    """

    added: tuple[Mapping[str, Any], ...] = ()
    changed: tuple[PoiChange, ...] = ()
    unchanged: tuple[PoiInfo, ...] = ()
    problems: tuple[ImportProblem, ...] = ()
    source_format: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    token: str = field(default_factory=new_import_token)

    @property
    def ok(self) -> bool:
        return not self.problems


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _category(value: Any) -> Any:
    if value is None:
        return None
    text = str(value).strip()
    key = text.lower().replace("-", "_")
    if key in POI_CATEGORIES:
        return key
    return CATEGORY_SYNONYMS.get(text.lower(), CATEGORY_SYNONYMS.get(text, text))


def _normalise(props: Mapping[str, Any]) -> dict[str, Any]:
    """Our field names from whatever a file calls them; a single 'name'/'desc' fills the missing language."""
    # Our own exports guard formula-like text with a leading apostrophe; it is not part of the value.
    lower = {str(k).strip().lower(): restore_formula_text(v) for k, v in props.items()}
    out: dict[str, Any] = {}
    for key, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in lower and lower[alias] not in (None, ""):
                out[key] = lower[alias]
                break
    for plain, zh, en in (("name", "name_zh", "name_en"), ("desc", "desc_zh", "desc_en"),
                          ("description", "desc_zh", "desc_en")):
        text = lower.get(plain)
        if text not in (None, ""):
            text = str(text)
            if _has_cjk(text):
                out.setdefault(zh, text)
            else:
                out.setdefault(en, text)
    # A new POI needs both names: borrow the other language's. For an existing POI the borrowed name is not an edit.
    if "name_zh" in out and "name_en" not in out:
        out["name_en"] = out["name_zh"]
        out[_BORROWED] = "name_en"
    if "name_en" in out and "name_zh" not in out:
        out["name_zh"] = out["name_en"]
        out[_BORROWED] = "name_zh"
    if "category" in out:
        out["category"] = _category(out["category"])
    if "id" in lower and lower["id"] not in (None, ""):
        out["id"] = str(lower["id"])
    return out


def _invalid(detail: str, detail_zh: str) -> StoreError:
    """The import_invalid error: ``detail`` in English (the reader's own words, for the CLI and logs), ``detail_zh``
    saying the same in Chinese with no word of the parser's (routes.store.readermessages)."""
    return StoreError("import_invalid", detail=detail, detail_zh=detail_zh)


def _geojson(data: bytes) -> list[dict[str, Any]]:
    from routes.store.readermessages import json_problem_zh

    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _invalid(f"GeoJSON: {exc}", "GeoJSON：不是 UTF-8 编码的文本") from None
    except json.JSONDecodeError as exc:
        raise _invalid(f"GeoJSON: {exc}", f"GeoJSON：{json_problem_zh(exc)}") from None
    except RecursionError:  # thousands of nested arrays or objects: no POI file looks like that
        raise _invalid("GeoJSON: nested too deeply", "GeoJSON：嵌套层数过多") from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _invalid("GeoJSON: expected a FeatureCollection of Point features",
                       "GeoJSON：应为一组要素（点或面）的集合")
    records = []
    for n, feat in enumerate(doc["features"], start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind not in ("Point", "Polygon", "MultiPolygon") or not isinstance(coords, list) or (
                kind == "Point" and len(coords) < 2):
            raise _invalid(f"GeoJSON: feature {n} is not a Point or Polygon with coordinates",
                           f"GeoJSON：第 {n} 个要素不是带坐标的点或面")
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            raise _invalid(f"GeoJSON: feature {n} has no properties object", f"GeoJSON：第 {n} 个要素缺少属性表")
        rec = _normalise(props)
        if feat.get("id") not in (None, ""):
            rec["id"] = str(feat["id"])
        if kind == "Point":
            rec["lon"], rec["lat"] = coords[0], coords[1]
        else:
            _area_record(rec, geom)
        records.append(rec)
    return records


def _area_record(rec: dict[str, Any], geom: Mapping[str, Any]) -> None:
    """A polygon feature is an area POI: the outline is its extent and its marker goes to the file's lat/lon
    properties when given (our own export writes them), else to a representative point inside it. An outline that
    cannot be used is left as it is, so the record is listed with the reason instead of stopping the whole file."""
    from routes.analysis.areas import AreaError, normalise_area, representative_point

    try:
        area = normalise_area(geom)
    except AreaError:
        rec["area"] = dict(geom)  # checked again with the record: the problem is listed against "area"
        first = geom.get("coordinates")
        while isinstance(first, list) and first and isinstance(first[0], list):
            first = first[0]
        if isinstance(first, list) and len(first) >= 2:
            rec.setdefault("lon", first[0])
            rec.setdefault("lat", first[1])
        return
    rec["area"] = area
    rec.pop("radius_m", None)
    if "lat" not in rec or "lon" not in rec:
        rec["lat"], rec["lon"] = representative_point(area)


def _csv(data: bytes) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # spreadsheets saved on Chinese Windows
        except UnicodeDecodeError as exc:
            raise _invalid(f"CSV: {exc}", "CSV：无法识别字符编码（应为 UTF-8 或 GB18030）") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    if csv.field_size_limit() < CSV_FIELD_MAX_CHARS:  # process-wide: only ever raised, never lowered here
        csv.field_size_limit(CSV_FIELD_MAX_CHARS)
    try:
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    except csv.Error as exc:
        from routes.store.readermessages import csv_problem_zh

        raise _invalid(f"CSV: {exc}", f"CSV：{csv_problem_zh(exc)}") from None
    if not rows:
        raise _invalid("CSV: no data rows", "CSV：没有数据行")
    headers = {str(h).strip().lower() for h in rows[0].keys() if h is not None}
    if not headers & set(_ALIASES["lat"]) or not headers & set(_ALIASES["lon"]):
        raise _invalid("CSV: needs lat and lon columns", "CSV：需要纬度（lat）和经度（lon）两列")
    return [_normalise({k: v for k, v in row.items() if k is not None}) for row in rows]


def _gpx(data: bytes) -> list[dict[str, Any]]:
    from routes.io.gpxio import read_gpx

    track = read_gpx(data)
    if not track.waypoints:
        raise _invalid("GPX: the file has no waypoints", "GPX：文件里没有航点")
    records = []
    for w in track.waypoints:
        rec = _normalise({"name": w.name, "desc": w.desc, "category": w.type or w.sym or None})
        rec["lat"], rec["lon"] = w.lat, w.lon
        records.append(rec)
    return records


def _kml(data: bytes) -> list[dict[str, Any]]:
    """Placemarks of a KML or KMZ: points become POIs, polygons POIs with an area outline (named by the placemark).
    ExtendedData fields are read like GeoJSON properties; without a category, a folder named like one ("补水点",
    "Toilets") gives it."""
    from routes.io.kml import read_kml_document

    doc = read_kml_document(data, max_bytes=IMPORT_MAX_BYTES)
    if not doc.places:
        raise StoreError("import_no_places")
    records = []
    for place in doc.places:
        props: dict[str, Any] = dict(place.data)
        props.setdefault("name", place.name)
        props.setdefault("description", place.desc)
        rec = _normalise(props)
        folder_category = _category(place.folder) if place.folder else None
        if "category" not in rec and folder_category in POI_CATEGORIES:
            rec["category"] = folder_category
        if math.isfinite(place.lat) and math.isfinite(place.lon):
            rec["lat"], rec["lon"] = place.lat, place.lon
        if place.area is not None:
            _area_record(rec, place.area)
        records.append(rec)
    return records


def parse_poi_file(data: bytes, filename: str = "") -> tuple[str, list[dict[str, Any]]]:
    """The records of a GeoJSON, CSV, GPX, KML or KMZ file (format from the name, else from the content)."""
    from routes.io.fileio import sniff_format

    if len(data) > IMPORT_MAX_BYTES:
        limit_mb = IMPORT_MAX_BYTES // (1024 * 1024)
        raise _invalid(f"file larger than {limit_mb} MB", f"文件大于 {limit_mb} MB")
    name = filename.lower()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    sniffed = sniff_format(data)
    # By content only when the file starts like one: a GeoJSON or CSV may quote "<kml" in a text.
    if name.endswith((".kml", ".kmz")) or sniffed == "kmz" or (sniffed == "kml" and head == b"<"):
        fmt, records = (sniffed if sniffed in ("kml", "kmz") else name[-3:]), _kml(data)
    elif name.endswith((".geojson", ".json")) or (not name.endswith((".csv", ".gpx")) and head in (b"{", b"[")):
        fmt, records = "geojson", _geojson(data)
    elif name.endswith(".gpx") or (not name.endswith(".csv") and head == b"<"):
        fmt, records = "gpx", _gpx(data)
    else:
        fmt, records = "csv", _csv(data)
    if len(records) > IMPORT_MAX_RECORDS:
        raise StoreError("import_too_many", count=len(records), limit=IMPORT_MAX_RECORDS)
    return fmt, records


def check_total(live: int, adding: int) -> None:
    """Refuse an import or a new POI that would take the guide past :data:`POIS_MAX_TOTAL` live POIs."""
    if live + adding > POIS_MAX_TOTAL:
        raise StoreError("pois_total", live=live, adding=adding, limit=POIS_MAX_TOTAL)


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular: exact enough for a 100 m matching radius.
    dy = (lat2 - lat1) * 111_195.0
    dx = (lon2 - lon1) * 111_195.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


class StableIndex:
    """Existing POIs by id and by name, to find the POI an imported record means in O(1) per record: the same id,
    or the same Chinese or English name within :data:`MATCH_RADIUS_M`. Used for the preview and again inside the
    import's transaction, so records added meanwhile (a double click, a concurrent run) are matched, not duplicated.
    Both look up records cleaned by :func:`check_poi_fields`, so the two steps can never disagree on a name.
    """

    def __init__(self, pois: Iterable[Any]) -> None:
        self.by_id: dict[str, Any] = {}
        self._by_name: dict[str, list[Any]] = {}
        for poi in pois:
            self.add(poi)

    def add(self, poi: Any) -> None:
        self.by_id[str(poi.id)] = poi
        for name in {poi.name_zh, poi.name_en}:
            if name:
                self._by_name.setdefault(name, []).append(poi)

    def find(self, rec: Mapping[str, Any], *, skip: set[str] = frozenset()) -> Any:  # type: ignore[assignment]
        rec_id = rec.get("id")
        if rec_id and str(rec_id) in self.by_id:
            return self.by_id[str(rec_id)]
        try:
            lat, lon = float(rec["lat"]), float(rec["lon"])
        except (KeyError, TypeError, ValueError):
            return None
        seen: set[str] = set()
        for name in (rec.get("name_zh"), rec.get("name_en")):
            for poi in self._by_name.get(name, ()) if name else ():
                if poi.id in skip or poi.id in seen:
                    continue
                seen.add(poi.id)
                if _distance_m(lat, lon, float(poi.lat), float(poi.lon)) <= MATCH_RADIUS_M:
                    return poi
        return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < SAME_POSITION_DEG
        except (TypeError, ValueError):
            return False
    return a == b


def preview_import(existing: list[PoiInfo], records: list[dict[str, Any]], *,
                   default_category: str | None = None, source_format: str = "") -> ImportPreview:
    """Compare file records with the current POIs: which would be added, changed or left alone, and which are bad."""
    by_id = {p.id: p for p in existing if not p.deleted}
    index = StableIndex(by_id.values())
    added, changed, unchanged, problems = [], [], [], []
    seen: set[str] = set()
    for n, rec in enumerate(records, start=1):
        rec = dict(rec)
        rec_id = rec.pop("id", None)
        borrowed = rec.pop(_BORROWED, None)
        if rec.get("category") in (None, "") and default_category:
            rec["category"] = default_category
        fields = {k: v for k, v in rec.items() if k in POI_FIELDS}
        try:
            # Matched on the cleaned names and position, as apply_poi_import matches the cleaned records again: a
            # name with stray spaces or bidi controls is the same POI in the preview as when it is applied.
            cleaned: dict[str, Any] | None = check_poi_fields(fields, partial=True)
        except ValidationError:
            cleaned = None  # an invalid record: listed below with every bad field
        match = by_id.get(rec_id) if rec_id else None
        if match is None and cleaned is not None:
            match = index.find(cleaned, skip=seen)
        try:
            if match is None:
                clean = check_poi_fields(rec, partial=False)
                if rec_id and ID_RE.match(rec_id) and rec_id not in by_id:
                    clean["id"] = rec_id
                added.append(clean)
            else:
                seen.add(match.id)
                clean = ({k: v for k, v in cleaned.items() if k != borrowed} if cleaned is not None else
                         check_poi_fields({k: v for k, v in fields.items() if k != borrowed}, partial=True))
                diff = {k: (getattr(match, k), v) for k, v in clean.items() if not _same(getattr(match, k), v)}
                (changed.append(PoiChange(poi=match, changes=diff)) if diff else unchanged.append(match))
        except ValidationError as exc:
            problems.append(ImportProblem(record=n, error=exc))
    return ImportPreview(added=tuple(added), changed=tuple(changed), unchanged=tuple(unchanged),
                         problems=tuple(problems), source_format=source_format)


def format_preview(preview: ImportPreview, lang: str = "en") -> str:
    """Plain-text summary for the command line."""
    zh = lang == "zh"
    lines = [
        (f"新增 {len(preview.added)}，修改 {len(preview.changed)}，不变 {len(preview.unchanged)}，"
         f"有误 {len(preview.problems)}") if zh else
        (f"added {len(preview.added)}, changed {len(preview.changed)}, unchanged {len(preview.unchanged)}, "
         f"invalid {len(preview.problems)}")
    ]
    for rec in preview.added:
        lines.append(f"  + {rec['name_zh']} / {rec['name_en']} ({rec['category']}, {rec['lat']:.6f}, {rec['lon']:.6f})")
    for ch in preview.changed:
        parts = "; ".join(f"{k}: {old!r} → {new!r}" for k, (old, new) in ch.changes.items())
        lines.append(f"  ~ {ch.poi.name_zh} / {ch.poi.name_en}: {parts}")
    for pr in preview.problems:
        lines.append(f"  ! #{pr.record}: {pr.error.field}: {pr.error.message(lang)}")
    return "\n".join(lines)
