"""What the store hands out: frozen records, detached from the database session that read them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from routes.core.facts import EMPTY_FACTS, RouteFacts

DIFFICULTIES = ("easy", "moderate", "hard")
SURFACES = ("paved", "cycle_path", "mixed", "gravel")
STATUSES = ("draft", "published")
POI_CATEGORIES = (
    "viewpoint", "tea_garden", "lake", "village", "culture", "food", "water", "toilet", "repair", "parking",
    "accommodation", "hazard", "start_finish", "hospital", "clinic",
)


@dataclass(frozen=True)
class RouteInfo:
    id: int
    slug: str
    name_zh: str
    name_en: str
    desc_zh: str
    desc_en: str
    difficulty: str
    surface: str
    tags: tuple[str, ...]
    season: str
    status: str
    illustrative: bool
    #: The revision cyclists see, and the sha256 of its GPX bytes (the cache key for derived analysis).
    revision_id: int | None
    sha256: str | None
    #: Optimistic lock: pass it back as ``expected_version`` when saving a change.
    version: int
    updated_at: datetime
    updated_by: str
    #: Catalogue position set by editors: lower comes first, ties by slug.
    sort_order: int = 100
    #: Getting there, season, last checked, surfaces and warnings by km; EMPTY_FACTS (falsy) when none were written.
    facts: RouteFacts = EMPTY_FACTS

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def desc(self, lang: str = "zh") -> str:
        return self.desc_zh if lang == "zh" else self.desc_en


#: Formats an original upload may have (the GPX the guide uses is always GPX).
SOURCE_FORMATS = ("gpx", "fit", "tcx", "kml", "kmz")


@dataclass(frozen=True)
class RouteRevision:
    """One revision: ``sha256``/``size_bytes`` describe the GPX the guide uses, ``source_*`` the file the editor
    uploaded (the same file when ``derived`` is False)."""

    id: int
    number: int
    sha256: str
    size_bytes: int
    filename: str
    uploaded_by: str
    uploaded_at: datetime
    note: str
    source_format: str = "gpx"
    source_sha256: str = ""
    source_size_bytes: int = 0
    #: How the GPX was made from the original ("converted from FIT; converted from GCJ-02"); "" when verbatim.
    derivation: str = ""

    @property
    def derived(self) -> bool:
        """True when the GPX was generated and the original upload is kept as a separate file."""
        return self.source_sha256 != self.sha256


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: str
    action: str
    summary: str
    #: The audit detail (for routes: the fields before and after, so an editor can put old values back).
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PoiInfo:
    id: str
    name_zh: str
    name_en: str
    desc_zh: str
    desc_en: str
    category: str
    lat: float
    lon: float
    photo_id: str | None
    #: Chinese or language-neutral opening hours; ``hours_en`` the English text (see routes.views.display.poi_hours).
    hours: str
    phone: str
    url: str
    status: str
    illustrative: bool
    deleted: bool
    version: int
    updated_at: datetime
    updated_by: str
    #: The place's extent when it is an area: a radius (m) around (lat, lon), or a GeoJSON Polygon/MultiPolygon
    #: (WGS-84) with (lat, lon) a representative point inside; both None for a point.
    radius_m: float | None = None
    area: Mapping[str, Any] | None = None
    hours_en: str = ""

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def desc(self, lang: str = "zh") -> str:
        return self.desc_zh if lang == "zh" else self.desc_en

    @property
    def is_area(self) -> bool:
        return bool(self.radius_m) or bool(self.area)


@dataclass(frozen=True)
class PoiRevision:
    number: int
    at: datetime
    user: str
    #: The whole POI after this change (editable fields plus photo_id and deleted).
    fields: Mapping[str, Any]
    action: str


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    action: str
    target: str
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class RacePlanInfo:
    slug: str
    version: int
    plan: Mapping[str, Any]
    updated_at: datetime
    updated_by: str
    #: When the public race page was published; None while unpublished.
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        return self.published_at is not None


@dataclass(frozen=True)
class RacePlanRevision:
    number: int
    at: datetime
    user: str
    plan: Mapping[str, Any]


@dataclass(frozen=True)
class PhotoInfo:
    id: str
    mime: str
    width: int
    height: int
    size_bytes: int
    sha256: str
    #: Who took the photo, shown under it on public pages ("" when the editor gave none).
    credit: str = ""
    #: Drawn by code for the seed (shown as "illustrative"), not a photograph of the place.
    illustrative: bool = False
