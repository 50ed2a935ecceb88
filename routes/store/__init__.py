"""The content store: routes with every GPX revision, bilingual POIs with history, users, audit log, race plans.

``open_store()`` gives a :class:`Store` on GUIDE_DATABASE_URL (or the SQLite file under data/), creating, migrating
and seeding the database on first use. Sign-in rules (``auth``) and what a route needs before it is published
(``publishing``) live here too, next to the tables they guard.

Layer 4: may import ``routes.core``, ``routes.text``, ``routes.io`` and ``routes.analysis``.
"""

from __future__ import annotations

from routes.core.roles import ROLES
from routes.store.api import Store
from routes.store.db import DATABASE_URL_ENV, default_url, get_engine, normalize_url
from routes.store.errors import ConflictError, StoreError, ValidationError
from routes.store.records import (
    DIFFICULTIES,
    POI_CATEGORIES,
    SOURCE_FORMATS,
    STATUSES,
    SURFACES,
    AuditEntry,
    HistoryEntry,
    PhotoInfo,
    PoiInfo,
    PoiRevision,
    RacePlanInfo,
    RacePlanRevision,
    RouteInfo,
    RouteRevision,
    UserInfo,
)


def open_store(url: str | None = None, *, seed: bool = True) -> Store:
    """The store on ``url`` (default: GUIDE_DATABASE_URL, else data/guide.db), ready to use.

    The first call in a process for a URL migrates the database and, if it has never been seeded and is empty,
    loads the illustrative seed content (``seed=False`` skips that, for tests and restores).
    """
    from routes.store.db import is_marked_ready, mark_ready
    from routes.store.migrate import ensure_ready

    engine = get_engine(url)
    if not is_marked_ready(engine, seed=seed):
        ensure_ready(engine, seed=seed)
        mark_ready(engine, seed=seed)
    return Store(engine)


__all__ = [
    "open_store", "Store", "StoreError", "ConflictError", "ValidationError", "RouteInfo", "RouteRevision",
    "HistoryEntry", "PoiInfo", "PoiRevision", "UserInfo", "AuditEntry", "RacePlanInfo", "RacePlanRevision",
    "PhotoInfo", "SOURCE_FORMATS", "DIFFICULTIES", "SURFACES", "STATUSES", "POI_CATEGORIES", "ROLES", "DATABASE_URL_ENV",
    "default_url", "normalize_url", "get_engine",
]
