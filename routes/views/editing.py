"""What the editor pages compute without a screen: prepared uploads, the editor map, history tables, form values."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from routes.analysis.quality import QualityReport, convert_to_wgs84, quality_report
from routes.core.errors import GuideError

# UPLOAD_MAX_BYTES: the largest upload (pages repeat it in the uploader label); one number for the app.
from routes.core.limits import ROUTE_MAX_POINTS, UPLOAD_MAX_BYTES
from routes.core.model import Track
from routes.io.fileio import LoadedTrack, read_track_file
from routes.io.gpxio import write_gpx
from routes.store.publishing import PlaceCheck, group_digits, place_check

#: Decimals of degrees shown and stored for a clicked position: 6 decimals is 0.1 m.
CLICK_DECIMALS = 6
#: Fields of a route an editor edits in the details form (slug is fixed once created).
ROUTE_TEXT_FIELDS = ("name_zh", "name_en", "desc_zh", "desc_en", "difficulty", "surface", "season", "tags",
                     "illustrative")
#: Fields a text restore puts back: the details form's, and the route facts (kept by the same route edit).
ROUTE_RESTORE_FIELDS = (*ROUTE_TEXT_FIELDS, "facts")
#: How the stored GPX was made from the upload, in the words kept in the revision's derivation note (English, the
#: store's neutral language; :func:`derivation_label` shows them in the reader's language).
DERIVATION_STEPS = {
    "fit": "converted from FIT",
    "tcx": "converted from TCX",
    "kml": "converted from KML",
    "kmz": "converted from KMZ",
    "gcj": "converted from GCJ-02",
    "bd09": "converted from BD-09",
    "dem": "elevation filled from DEM",
    "spikes": "elevation spikes removed",
}
#: Separator between the steps of a derivation note.
DERIVATION_SEP = "; "
#: Audit actions that raise a route's version by one (routes.store.api: create starts at 1, the others ``_bump``);
#: routes.views.compare counts versions with them.
VERSION_ACTIONS = ("route.create", "route.update", "route.revision", "route.restore_revision")
#: Fields of a POI in the edit form.
POI_FORM_FIELDS = ("name_zh", "name_en", "desc_zh", "desc_en", "category", "lat", "lon", "hours", "hours_en", "phone",
                   "url", "radius_m")


@dataclass(frozen=True, eq=False)
class PreparedUpload:
    """An uploaded file after reading, optional fixes and the quality report; ``gpx`` is what the guide will use
    and ``original`` the uploaded bytes, both stored (see :meth:`store_kwargs`)."""

    filename: str
    format: str
    track: Track
    gpx: bytes
    sha256: str
    report: QualityReport
    converted_gcj: bool
    filled_dem: bool
    #: The file exactly as uploaded.
    original: bytes = b""
    #: Heights of spikes and of points inside jumps were removed (routes.analysis.quality.remove_elevation_spikes).
    removed_spikes: bool = False
    #: Where the line lies against the guide's region (None when it has no points): a far one needs confirming.
    place: PlaceCheck | None = None

    @property
    def verbatim(self) -> bool:
        """True when the stored bytes are the uploaded file itself (a GPX that needed no fix)."""
        return self.format == "gpx" and not self.converted_gcj and not self.filled_dem and not self.removed_spikes

    @property
    def converted_datum(self) -> str:
        """"gcj02" or "bd09" when the coordinates were converted to WGS-84 (the datum the upload was found in, kept
        in the report), else ""."""
        return self.report.gcj.datum if self.converted_gcj else ""

    @property
    def derivation(self) -> str:
        """How ``gpx`` was made from the upload ("converted from FIT; elevation filled from DEM"); "" if verbatim."""
        steps = [DERIVATION_STEPS[self.format]] if self.format in ("fit", "tcx", "kml", "kmz") else []
        steps += [DERIVATION_STEPS["bd09" if self.converted_datum == "bd09" else "gcj"]] if self.converted_gcj else []
        steps += [DERIVATION_STEPS["dem"]] if self.filled_dem else []
        steps += [DERIVATION_STEPS["spikes"]] if self.removed_spikes else []
        return DERIVATION_SEP.join(steps)

    def store_kwargs(self) -> dict[str, Any]:
        """The arguments that keep the original next to the GPX in ``create_route`` / ``add_route_revision``."""
        if self.verbatim:
            return {"source": None, "source_format": "gpx", "derivation": ""}
        return {"source": self.original, "source_format": self.format, "derivation": self.derivation}


def prepare_upload(data: bytes, filename: str, *, references: Sequence[tuple[np.ndarray, np.ndarray]] = (),
                   convert_gcj: bool = False, fill_dem: bool = False, dem_folder: Any = None,
                   max_bytes: int = UPLOAD_MAX_BYTES, remove_spikes: bool = False) -> PreparedUpload:
    """Read the file, apply the fixes the editor asked for, and report on the result.

    The report is made on the track as it would be saved, except that the datum verdict is always judged on the
    file as uploaded (so the page can keep offering "undo" after converting). ``convert_gcj`` converts from the
    datum that verdict found: GCJ-02, or BD-09 for a line traced on Baidu Maps.
    """
    loaded: LoadedTrack = read_track_file(data, filename=filename, max_bytes=max_bytes, max_points=ROUTE_MAX_POINTS)
    original = loaded.track
    report = quality_report(original, references=references, raw=bytes(data[:4096]), filename=filename,
                            dem_folder=dem_folder)
    track = convert_to_wgs84(original, report.gcj.datum) if convert_gcj else original
    if fill_dem:
        from routes.io.dem import fill_elevation

        track = fill_elevation(track, dem_folder)
    if remove_spikes:
        from routes.analysis.quality import remove_elevation_spikes

        track = remove_elevation_spikes(track)
    verbatim = loaded.format == "gpx" and not convert_gcj and not fill_dem and not remove_spikes
    name = track.name or filename.rsplit(".", 1)[0]
    gpx = bytes(data) if verbatim else write_gpx(track, name=name)
    if convert_gcj or fill_dem or remove_spikes:
        fixed = quality_report(track, references=references, dem_folder=dem_folder)
        # Keep the datum finding of the original upload; everything else describes the track to be saved.
        report = _merge_gcj(fixed, report)
    return PreparedUpload(filename=filename, format=loaded.format, track=track, gpx=gpx,
                          sha256=hashlib.sha256(gpx).hexdigest(), report=report, converted_gcj=convert_gcj,
                          filled_dem=fill_dem, original=bytes(data), removed_spikes=remove_spikes,
                          place=place_check(track.lat, track.lon) if track.n_points else None)


#: Place checks of stored GPX files by SHA-256: a PlaceCheck is two floats, so keeping one for every route an editor
#: opens costs nothing, while reading the GPX again on every rerun of the page would cost up to a second.
_STORED_PLACES: dict[tuple[str, Any], PlaceCheck | None] = {}
#: Most entries kept (the oldest go first).
STORED_PLACES_MAX = 512


def gpx_place(gpx: bytes) -> PlaceCheck | None:
    """Where a stored route's GPX lies against the guide's region (None if it has no readable points)."""
    from routes.core.region import guide_region
    from routes.io.gpxio import read_gpx

    sha = (hashlib.sha256(gpx).hexdigest(), guide_region())  # a changed region setting checks again
    if sha not in _STORED_PLACES:
        try:
            track = read_gpx(bytes(gpx))
            place = place_check(track.lat, track.lon) if track.n_points else None
        except GuideError:
            place = None
        while len(_STORED_PLACES) >= STORED_PLACES_MAX:
            _STORED_PLACES.pop(next(iter(_STORED_PLACES)))
        _STORED_PLACES[sha] = place
    return _STORED_PLACES[sha]


def far_label(key: str, place: PlaceCheck, lang: str) -> str:
    """A place-check line ("此路线不在上虞两湖一带（距中心 11 700 公里）…") in ``lang``."""
    from routes.text.i18n import t

    return t(key, lang, distance_km=group_digits(place.distance_km), radius_km=group_digits(place.radius_km))


@dataclass(frozen=True, eq=False)
class UploadPreview:
    """What the upload step draws: the folium map and the elevation-profile figure, each None when there is nothing
    to draw (no track, one point, all points in one place; no elevation for the profile)."""

    map: Any | None
    profile: Any | None


def build_upload_preview(prep: PreparedUpload, *, lang: str, analysis: Any = None,
                         profile: bool = True) -> UploadPreview:
    """Map and profile of an upload as the editor sees them before saving; never raises on an odd but readable file.

    ``analysis`` is the guide's analysis of ``prep.gpx`` when the caller already has it (the page caches it).
    ``profile=False`` leaves the profile out, so the page can send the map first and build the profile after it
    (:func:`upload_profile`).
    """
    from routes.analysis.quality import TRACK_MIN_LENGTH_M
    from routes.text.i18n import t
    from routes.views import guide
    from routes.views.maps import MapLine, MapMarker, build_map

    if prep.report.points < 2 or prep.report.distance_m < TRACK_MIN_LENGTH_M:
        return UploadPreview(None, None)
    ra = analysis if analysis is not None else guide.analyse_gpx(prep.sha256, lambda: prep.gpx)
    if len(ra.map_lat) < 2:
        return UploadPreview(None, None)
    line = MapLine("upload", prep.track.name or prep.filename, ra.map_lat, ra.map_lon,
                   grade_pct=ra.map_step_grade_pct)
    marks = shown_marks(prep.report.marks)
    legend = mark_legend(prep.report.marks, lang)
    markers = [MapMarker(m.lat, m.lon, t(f"mark.{m.kind}", lang), m.kind,
                         title=t("mark.at", lang, what=t(f"mark.{m.kind}", lang), km=f"{m.distance_m / 1000:.2f}"))
               for m in marks]
    folium_map = build_map(lang=lang, lines=[line], legend=True, markers=markers, mark_legend=legend)
    return UploadPreview(folium_map, upload_profile(prep, lang=lang, analysis=ra) if profile else None)


def upload_profile(prep: PreparedUpload, *, lang: str, analysis: Any) -> Any | None:
    """The upload's elevation profile with the findings marked, or None without elevation."""
    from routes.views.profile import build_profile_figure

    ra = analysis
    if not ra.track.has_elevation or len(ra.profile_distance_m) < 2:
        return None
    fig = build_profile_figure(ra.profile_distance_m, ra.profile_ele_m, ra.profile_grade_pct, lang=lang)
    _mark_profile(fig, shown_marks(prep.report.marks), mark_legend(prep.report.marks, lang), ra, lang)
    return fig


#: Most marks of one kind drawn on the preview (each is a map element twice, once per coordinate frame): a file
#: with thousands of too-fast steps says so in the report and its legend, and the map stays quick to draw.
MARKS_PER_KIND_MAX = 100


def shown_marks(marks: Sequence[Any]) -> list[Any]:
    """The marks drawn: the first MARKS_PER_KIND_MAX of each kind along the track."""
    seen: dict[str, int] = {}
    out = []
    for m in marks:
        seen[m.kind] = seen.get(m.kind, 0) + 1
        if seen[m.kind] <= MARKS_PER_KIND_MAX:
            out.append(m)
    return out


def mark_legend(marks: Sequence[Any], lang: str) -> list[tuple[str, str]]:
    """(kind, label with its count) for the legend of the preview map and profile, in MARK_KINDS' order. The count
    is the report's (one mark per counted item); when not all are drawn, the label says how many are."""
    from routes.analysis.quality import MARK_KINDS
    from routes.text.i18n import t

    out = []
    for kind in MARK_KINDS.values():
        count = sum(1 for m in marks if m.kind == kind)
        if count:
            key = "mark.legend_item" if count <= MARKS_PER_KIND_MAX else "mark.legend_item_capped"
            out.append((kind, t(key, lang, what=t(f"mark.{kind}", lang), count=count, shown=MARKS_PER_KIND_MAX)))
    return out


def _mark_profile(fig: Any, marks: Sequence[Any], legend: Sequence[tuple[str, str]], ra: Any, lang: str) -> None:
    """The findings on the preview's elevation profile: one trace per kind at the profile's height there."""
    import plotly.graph_objects as go

    from routes.text.i18n import t
    from routes.views.maps import FINDING_MARK_COLOURS

    x_m = np.asarray(ra.profile_distance_m, dtype=np.float64)
    y_m = np.asarray(ra.profile_ele_m, dtype=np.float64)
    finite = np.isfinite(y_m)
    if not finite.any() or not legend:
        return
    for kind, label in legend:
        at = np.array([m.distance_m for m in marks if m.kind == kind], dtype=np.float64)
        fig.add_trace(go.Scatter(
            x=at / 1000.0, y=np.interp(at, x_m[finite], y_m[finite]), mode="markers", name=label,
            marker={"size": 10, "color": "white", "line": {"color": FINDING_MARK_COLOURS[kind], "width": 3}},
            hovertemplate=t("mark.at", lang, what=t(f"mark.{kind}", lang), km="%{x:.2f}") + "<extra></extra>",
            showlegend=True, legendgroup="marks"))
    fig.for_each_trace(lambda tr: tr.update(showlegend=False) if tr.legendgroup == "bands" else None)
    fig.update_layout(showlegend=True)


def _merge_gcj(fixed: QualityReport, original: QualityReport) -> QualityReport:
    import dataclasses

    findings = [f for f in fixed.findings if not f.key.startswith("gcj_")]
    findings += [f for f in original.findings if f.key.startswith("gcj_")]
    if any(f.severity in ("error", "warning") for f in findings):
        findings = [f for f in findings if f.key != "all_good"]
    return dataclasses.replace(fixed, gcj=original.gcj, findings=tuple(findings))


def derivation_label(derivation: str, lang: str) -> str:
    """A revision's derivation note in the reader's language (steps this module did not write stay as they are)."""
    from routes.text.i18n import t

    words = {text: key for key, text in DERIVATION_STEPS.items()}
    steps = [s.strip() for s in derivation.split(DERIVATION_SEP.strip()) if s.strip()]
    sep = "；" if lang == "zh" else DERIVATION_SEP
    return sep.join(t(f"ed.derivation.{words[s]}", lang) if s in words else s for s in steps)


#: Revision notes the program writes itself, in English (the store's neutral language; the seed's, and a restore's in
#: routes/store/api.py): :func:`note_label` shows them in the reader's language. An editor's own note is shown as is.
PROGRAM_NOTES = {"illustrative seed track": "ed.note.seed"}
RESTORED_NOTE = re.compile(r"restored from revision (\d+)")


def note_label(note: str | None, lang: str) -> str | None:
    """A revision's note as shown: the program's own notes in ``lang``, an editor's as written."""
    from routes.text.i18n import t

    if note in PROGRAM_NOTES:
        return t(PROGRAM_NOTES[note], lang)
    restored = RESTORED_NOTE.fullmatch(note or "")
    return t("ed.note.restored", lang, number=restored.group(1)) if restored else note


def revision_rows(revisions: Sequence[Any], *, current_id: int | None, lang: str,
                  when: Callable[[datetime], str] = str,
                  versions: Mapping[int, int] | None = None) -> list[dict[str, Any]]:
    """The revision history table, newest first: number, when (formatted by ``when``), who, file, note, the GPX's
    size and the original's format, size and how the GPX was made from it (keys are column headings in ``lang``).

    With ``versions`` (track file number → the route version it made current, routes.views.compare.track_versions)
    the first column is that version, the number a person reads everywhere, and the track file's own number follows.
    """
    from routes.text.i18n import t

    rows = []
    for r in reversed(revisions):
        current = " " + t("ed.history.current", lang) if r.id == current_id else ""
        original = f"{r.source_format.upper()} · {_kb(r.source_size_bytes)}"
        head: dict[str, Any]
        if versions is None:
            head = {t("ed.col.revision", lang): f"#{r.number}" + current}
        else:
            version = versions.get(r.number)
            head = {t("ver.col.version", lang): (t("ver.version", lang, number=version) if version else "–") + current,
                    t("ver.col.track", lang): t("ver.track", lang, number=r.number)}
        rows.append({
            **head, t("ed.col.when", lang): when(r.uploaded_at),
            t("ed.col.who", lang): user_label(r.uploaded_by, lang), t("ed.col.file", lang): r.filename,
            t("ed.col.note", lang): note_label(r.note, lang), t("ed.col.size", lang): _kb(r.size_bytes),
            t("ed.col.original", lang): original if r.derived else t("ed.history.original_is_gpx", lang),
            t("ed.col.derivation", lang): derivation_label(r.derivation, lang),
        })
    return rows


def _kb(size_bytes: int) -> str:
    return f"{size_bytes / 1024:.0f} KB" if size_bytes >= 1024 else f"{size_bytes} B"


def source_download_name(slug: str, number: int, fmt: str) -> str:
    """Download name of a revision's original upload: "<slug>-r<n>-original.<fmt>" keeps the format visible and
    never collides with the GPX download ("<slug>-r<n>.gpx"); the uploaded name is shown in the table."""
    return f"{slug}-r{number}-original.{fmt}"


def slug_suggestion(name_en: str) -> str:
    """A web name from an English name: "Tianxiang East Loop" → "tianxiang-east-loop"."""
    import re

    words = re.findall(r"[a-z0-9]+", name_en.lower())
    return "-".join(words)[:60].strip("-")


def route_form_values(info: Any) -> dict[str, Any]:
    """The details form's starting values for a route (tags as one comma-separated line)."""
    values = {k: getattr(info, k) for k in ROUTE_TEXT_FIELDS}
    values["tags"] = ", ".join(values["tags"])
    return values


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``after`` that differ from ``before`` (tags compared as lists of words)."""
    def norm(key: str, value: Any) -> Any:
        if key == "tags":
            items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value or ())
            return [w.strip() for w in items if w.strip()]
        if key == "radius_m":  # empty, None and 0 all mean "a point"
            return round(float(value or 0.0), 1)
        if isinstance(value, str):
            return value.strip()
        return value

    return {k: v for k, v in after.items() if norm(k, v) != norm(k, before.get(k))}


def poi_extent_changes(changes: Mapping[str, Any], *, has_area: bool) -> dict[str, Any]:
    """The changes of the POI form, with the imported outline dropped when the editor sets a radius instead."""
    out = dict(changes)
    if has_area and float(out.get("radius_m") or 0.0) > 0:
        out["area"] = None
    return out


def action_label(action: str, lang: str) -> str:
    """An audit action ("poi.update") in words; unknown actions as they are."""
    from routes.text.i18n import has_key, t

    return t(f"ed.action.{action}", lang) if has_key(f"ed.action.{action}") else action


def user_label(user: str | None, lang: str) -> str:
    """Who made a change, as shown: an account's name as it is; the program itself (the import that seeded a new
    database, a command-line change) in words -- its stored names "seed" and "system" are not the page's language."""
    from routes.store.api import SYSTEM_USER
    from routes.store.seed import SEED_USER
    from routes.text.i18n import t

    if user == SEED_USER:
        return t("ed.who.seed", lang)
    return t("ed.who.system", lang) if user == SYSTEM_USER else user


def target_label(target: str, names: Mapping[str, str]) -> str:
    """"route:tianxiang" / "poi:<id>" as the record's name when known (``names`` maps targets to names)."""
    return names.get(target, target)


# --- history ------------------------------------------------------------------------------------------------------


def _short(value: Any, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Fields whose values are codes shown through a translation table (key prefix + value).
CODED_VALUES = {"difficulty": "difficulty.", "surface": "surface.", "status": "ed.routes.status.", "role": "ed.role."}
#: Fields that are yes/no.
FLAG_FIELDS = frozenset({"illustrative", "deleted", "active"})


def field_label(field: str, lang: str) -> str:
    """A record field's name in the page's language ("hours" → "开放时间"); an unknown field as it is."""
    from routes.text.i18n import has_key, t

    return t(f"ed.field.{field}", lang) if has_key(f"ed.field.{field}") else field


def value_text(field: str, value: Any, lang: str, *, full: bool = False) -> str:
    """A stored value as a reader sees it: translated codes, yes/no, photo present or not, lists joined; a long text
    is shortened for a table cell unless ``full`` (a restore or a comparison shows every word)."""
    from routes.text.i18n import has_key, t

    if value is None or value == "" or value == [] or value == ():
        return t("ed.value.empty", lang)
    if field == "photo_id":
        return t("ed.value.photo", lang)
    if field == "facts":  # getting there, season, stretches: what is there, not the JSON
        from routes.views.factsedit import facts_summary

        return facts_summary(value, lang)
    if field == "area" and isinstance(value, Mapping):  # a GeoJSON polygon: how big it is, not its coordinates
        from routes.analysis.areas import outline_rings

        try:
            return t("ed.value.area", lang, points=sum(len(r) for r in outline_rings(value)))
        except (KeyError, IndexError, TypeError, ValueError):
            return t("ed.value.area_unreadable", lang)
    if field == "category":
        from routes.views.maps import category_label

        return category_label(str(value), lang)
    if field in FLAG_FIELDS:
        return t("ed.yes" if value else "ed.no", lang)
    prefix = CODED_VALUES.get(field)
    if prefix and has_key(f"{prefix}{value}"):
        return t(f"{prefix}{value}", lang)
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, Mapping):  # never a Python dict on screen
        return describe_fields(value, lang)
    return str(value) if full else _short(value)


def describe_fields(fields: Mapping[str, Any], lang: str) -> str:
    """"name: value; …" for a record's fields, names and values as a reader sees them."""
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{field_label(k, lang)}{colon}{value_text(k, v, lang)}" for k, v in fields.items()
                    if v not in (None, "", [], ()))


def describe_changes(changes: Mapping[str, Any], lang: str = "zh") -> str:
    """"field: before → after; …" from an audit entry's ``changes`` (field names and values in ``lang``)."""
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    parts = []
    for k, (a, b) in changes.items():
        if k == "photo_id":  # ids mean nothing to a reader: say what happened to the photo
            key = "ed.value.photo_added" if not a else "ed.value.photo_removed" if not b else "ed.value.photo_changed"
            from routes.text.i18n import t

            parts.append(f"{field_label(k, lang)}{colon}{t(key, lang)}")
        else:
            parts.append(f"{field_label(k, lang)}{colon}{value_text(k, a, lang)} → {value_text(k, b, lang)}")
    return sep.join(parts)


def poi_history_rows(revisions: Sequence[Any], lang: str = "zh") -> list[dict[str, Any]]:
    """One row per POI revision, newest first: number, when, who, action and what it changed (old → new)."""
    from routes.text.i18n import t

    rows = []
    previous: Mapping[str, Any] = {}
    for rev in revisions:
        fields = dict(rev.fields)
        if previous:
            changes = {k: (previous.get(k), fields.get(k)) for k in fields if fields.get(k) != previous.get(k)}
            text = describe_changes(changes, lang) or t("ed.value.no_change", lang)
        else:
            text = t("ed.value.first_version", lang)
        rows.append({"number": rev.number, "at": rev.at, "user": user_label(rev.user, lang), "action": rev.action,
                     "changes": text})
        previous = fields
    return rows[::-1]


def describe_detail(action: str, detail: Mapping[str, Any], lang: str) -> str:
    """An audit entry's detail in words: changed fields old → new, revision numbers, roles, counts; never a dict."""
    from routes.text.i18n import t

    detail = dict(detail or {})
    far = detail.pop("confirm_far", None)
    if far:  # the editor confirmed publishing a line outside the guide's region
        text = describe_detail(action, detail, lang)
        note = t("ed.value.confirm_far", lang, distance_km=group_digits(int(far.get("distance_km", 0))))
        return f"{text}{'；' if lang == 'zh' else '; '}{note}" if text else note
    if detail.get("changes"):
        return describe_changes(detail["changes"], lang)
    if action == "user.active" or "active" in detail and len(detail) == 1:
        return t("ed.value.enabled" if detail.get("active") else "ed.value.disabled", lang)
    if "role" in detail and len(detail) == 1:
        return f"{field_label('role', lang)}{'：' if lang == 'zh' else ': '}{value_text('role', detail['role'], lang)}"
    if "revision" in detail:
        # Track files have their own numbers ("轨迹第 n 份"): "第 n 版" is the route's version, shown beside.
        text = t("ver.track", lang, number=detail["revision"])
        if detail.get("restored_from"):
            text += " ← " + t("ver.track", lang, number=detail["restored_from"])
        if detail.get("filename"):
            text += f" · {detail['filename']}"
        return text
    if "fields" in detail:
        return describe_fields(dict(detail["fields"]), lang)
    if {"added", "changed"} <= set(detail):
        return t("ed.value.import_counts", lang, added=detail.get("added", 0), changed=detail.get("changed", 0),
                 unchanged=detail.get("unchanged", 0))
    if "status" in detail:
        return value_text("status", detail["status"], lang)
    if "attempted" in detail or action == "conflict.rejected":
        return t("ed.value.conflict", lang)
    return describe_fields({k: v for k, v in detail.items() if not isinstance(v, Mapping)}, lang)


def audit_names(store: Any, lang: str) -> dict[str, str]:
    """Audit targets → the record's name in ``lang`` (routes and POIs, deleted ones included)."""
    from routes.text.i18n import pick

    names = {f"route:{r.slug}": pick(r.name_zh, r.name_en, lang) for r in store.list_routes(status=None)}
    names.update({f"poi:{p.id}": pick(p.name_zh, p.name_en, lang) for p in store.list_pois(include_deleted=True)})
    return names


def audit_target(target: str, names: Mapping[str, str], lang: str) -> str:
    """"route:tianxiang" / "poi:<id>" / "user:lin" as "<kind> · <name>" in ``lang``; never a bare id."""
    from routes.text.i18n import has_key, t

    kind, _, ident = target.partition(":")
    kind_text = t(f"ed.target.{kind}", lang) if has_key(f"ed.target.{kind}") else kind
    if not ident:
        return kind_text
    name = names.get(target) or (ident if kind in ("route", "user", "race_plan") else t("ed.value.unknown", lang))
    return f"{kind_text} · {name}"


@dataclass(frozen=True)
class TextRestore:
    """A route text change an editor can undo: the fields as they were before it, the version it made, and the
    whole change ({field: (before, after)}) to show in full."""

    at: datetime
    user: str
    fields: Mapping[str, Any]
    summary: str
    version: int | None = None
    changes: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def route_text_restores(history: Sequence[Any], lang: str = "zh", *,
                        current_version: int | None = None) -> list[TextRestore]:
    """Route updates that changed texts/settings, newest first, each with the values from before the change (and,
    given the route's ``current_version``, the version each change made: routes.views.compare.route_versions)."""
    numbers: dict[int, int] = {}
    if current_version is not None:
        counted = [i for i, e in enumerate(history) if e.action in VERSION_ACTIONS]
        numbers = {i: current_version - len(counted) + 1 + n for n, i in enumerate(counted)}
    out = []
    for i, entry in enumerate(history):
        if entry.action != "route.update":
            continue
        changes = dict(entry.detail.get("changes") or {})
        before = {k: v for k, (v, _new) in changes.items() if k in ROUTE_RESTORE_FIELDS}
        if before:
            out.append(TextRestore(at=entry.at, user=entry.user, fields=before, summary=describe_changes(changes, lang),
                                   version=numbers.get(i),
                                   changes={k: tuple(v) for k, v in changes.items() if k in ROUTE_RESTORE_FIELDS}))
    return out[::-1]


# --- the editor map -----------------------------------------------------------------------------------------------


#: Radius (CSS px) of the ring around the selected POI's position: wider than a marker pin's base (about 14 px), so
#: the ring stands clear of the pin and its neighbours while the point is being edited.
SELECTED_RING_RADIUS_PX = 22
#: Line width (CSS px) of that ring and of the mark where a new point will go: thick enough to see on any basemap.
EDITOR_MARK_WEIGHT_PX = 4
#: Colours of the two marks: the selected point (the map's highlight colour, used by no category) and a new point's
#: place (the guide's red, as the route lines: "yours, not saved yet").
SELECTED_RING_COLOUR = "#00b8d4"
PENDING_MARK_COLOUR = "#c0392b"
#: Radius (CSS px) of the mark where a new point will go (a clicked spot not saved yet).
PENDING_MARK_RADIUS_PX = 9


def editor_map(*, lang: str, pois: Sequence[Any], basemap: str, lines: Sequence[Any] = (),
               selected_id: str | None = None, pending: tuple[float, float] | None = None,
               tianditu_key: str = "", draw_area: bool = False) -> Any:
    """The POI editor's map drawn on ONE basemap, so a click's frame is known (see :func:`click_to_wgs84`).

    The selected POI gets a ring (class ``poi-selected``) so the editor sees which point the form edits; ``pending``
    (WGS-84) is a clicked spot where a new point will be added (class ``poi-pending``). With ``draw_area`` the map
    has the polygon/rectangle tools, and the selected POI's outline is loaded into them to edit its vertices
    (routes.views.drawing).
    """
    import folium

    from routes.text.i18n import pick, t
    from routes.views.maps import MapPoi, basemaps, build_map, map_poi_extent

    # The selected place's extent is drawn, so the editor sees the radius or outline being edited.
    mpois = [MapPoi(p.id, p.lat, p.lon, ("▶ " if p.id == selected_id else "") + pick(p.name_zh, p.name_en, lang),
                    p.category, text=pick(p.desc_zh, p.desc_en, lang),
                    **(map_poi_extent(p) if p.id == selected_id and not draw_area else {})) for p in pois]
    m = build_map(lang=lang, pois=mpois, lines=lines, basemap=basemap, tianditu_key=tianditu_key)
    # build_map offers every basemap; drop the others and the switcher so the click frame cannot change under us.
    keep_name = None
    for b in basemaps(lang, tianditu_key=tianditu_key):
        if b.key == basemap:
            keep_name = b.tiles
    for key, child in list(m._children.items()):
        if isinstance(child, folium.TileLayer) and keep_name is not None and child.tiles != keep_name:
            del m._children[key]
        elif isinstance(child, folium.LayerControl):
            del m._children[key]
    # The marks go straight on the map in the one basemap's frame (build_map draws both frames of its own overlays).
    selected = next((p for p in pois if p.id == selected_id), None)
    if selected is not None:
        folium.CircleMarker(_in_frame(selected.lat, selected.lon, basemap, lang), radius=SELECTED_RING_RADIUS_PX,
                            color=SELECTED_RING_COLOUR, weight=EDITOR_MARK_WEIGHT_PX, fill=False,
                            class_name="poi-selected", tooltip=t("ed.pois.selected_mark", lang)).add_to(m)
    if pending is not None:
        folium.CircleMarker(_in_frame(pending[0], pending[1], basemap, lang), radius=PENDING_MARK_RADIUS_PX,
                            color=PENDING_MARK_COLOUR, weight=EDITOR_MARK_WEIGHT_PX, fill=True, fill_opacity=0.3,
                            dash_array="4 3", class_name="poi-pending", tooltip=t("ed.pois.pending_mark", lang)).add_to(m)
    if draw_area:
        from routes.views.drawing import add_draw_tools

        # The outline being edited is the editable shape itself (not also drawn as the selected place's extent).
        add_draw_tools(m, lang=lang, area=selected.area if selected is not None else None,
                       to_frame=lambda lat, lon: _in_frame(lat, lon, basemap, lang))
    return m


def _in_frame(lat: float, lon: float, basemap: str, lang: str) -> list[float]:
    """A WGS-84 position in the basemap's frame (GCJ-02 for the Chinese road maps), as folium wants it."""
    from routes.io.chinacoords import wgs84_to_gcj02

    if basemap_is_gcj(basemap, lang):
        lat, lon = wgs84_to_gcj02(float(lat), float(lon))
    return [float(lat), float(lon)]


def basemap_is_gcj(basemap: str, lang: str) -> bool:
    from routes.views.maps import basemaps

    return any(b.key == basemap and b.gcj02 for b in basemaps(lang, tianditu_key="x"))


def click_to_wgs84(lat: float, lon: float, *, basemap: str, lang: str) -> tuple[float, float]:
    """A map click in the basemap's frame as WGS-84, rounded to 0.1 m (GCJ-02 basemaps are converted back)."""
    from routes.io.chinacoords import gcj02_to_wgs84

    if basemap_is_gcj(basemap, lang):
        lat, lon = gcj02_to_wgs84(float(lat), float(lon))
    return round(float(lat), CLICK_DECIMALS), round(float(lon), CLICK_DECIMALS)


def reference_lines(analyses: Sequence[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    """WGS-84 lines of existing routes for the GCJ-02 check (their simplified map lines are exact enough)."""
    return [(np.asarray(ra.map_lat), np.asarray(ra.map_lon)) for ra in analyses if len(ra.map_lat) >= 2]
