"""A tiny in-memory stand-in for routes.store, for tests of the page-facing helpers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from routes.core.facts import EMPTY_FACTS, RouteFacts
from routes.core.model import make_track
from routes.io.gpxio import write_gpx


@dataclass(frozen=True)
class FakeRoute:
    slug: str
    name_zh: str
    name_en: str
    desc_zh: str = ""
    desc_en: str = ""
    difficulty: str = "easy"
    surface: str = "paved"
    tags: tuple = ()
    season: str = ""
    status: str = "published"
    illustrative: bool = True
    revision_id: int | None = 1
    sha256: str | None = None
    version: int = 1
    #: As RouteInfo.facts: none unless a test gives some.
    facts: RouteFacts = EMPTY_FACTS


@dataclass(frozen=True)
class FakePoi:
    id: str
    name_zh: str
    name_en: str
    category: str
    lat: float
    lon: float
    desc_zh: str = ""
    desc_en: str = ""
    photo_id: str | None = None
    hours: str = ""
    phone: str = ""
    url: str = ""
    status: str = "published"
    illustrative: bool = True
    deleted: bool = False


def hill_gpx(n: int = 400, *, lat0: float = 30.0, lon0: float = 120.82, length_deg: float = 0.05) -> bytes:
    """A straight line eastwards with one smooth 60 m hill in the middle."""
    lon = lon0 + np.linspace(0, length_deg, n)
    lat = np.full(n, lat0)
    ele = 20 + 60 * np.exp(-(((np.arange(n) - n / 2) / (n / 8)) ** 2))
    return write_gpx(make_track(lat, lon, ele, name="hill"))


@dataclass
class FakeStore:
    routes: dict = field(default_factory=dict)
    gpx: dict = field(default_factory=dict)
    pois: list = field(default_factory=list)
    photos: dict = field(default_factory=dict)
    gpx_reads: int = 0

    def add_route(self, slug: str, data: bytes, **kw) -> FakeRoute:
        sha = hashlib.sha256(data).hexdigest()
        r = FakeRoute(slug=slug, sha256=sha, **kw)
        self.routes[slug] = r
        self.gpx[slug] = data
        return r

    def list_routes(self, *, status: str | None = "published"):
        return [r for r in self.routes.values() if status is None or r.status == status]

    def get_route(self, slug: str):
        return self.routes.get(slug)

    def get_route_gpx(self, slug: str, revision_id: int | None = None) -> bytes:
        self.gpx_reads += 1
        return self.gpx[slug]

    def list_pois(self, *, include_deleted: bool = False, status: str | None = None):
        return list(self.pois)

    def published_pois(self):
        return [p for p in self.pois if getattr(p, "status", "published") == "published" and not p.deleted]

    def get_photo(self, photo_id: str) -> bytes:
        return self.photos[photo_id]
