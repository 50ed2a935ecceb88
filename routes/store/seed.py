"""Load the illustrative seed content (data/seed/) into a database that has never been seeded and is empty."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routes.store import schema as s
from routes.store.validate import check_facts, check_poi_fields, check_route_fields

SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "seed"
#: Author recorded on seed records and their first revisions.
SEED_USER = "seed"
#: The seed routes' facts (getting there, season, surfaces and warnings by km), keyed by slug.
SEED_FACTS_FILE = "facts.json"


def seed_if_empty(session: Session, *, seed_dir: Path = SEED_DIR) -> bool:
    """Load the seed routes and POIs unless the database was seeded before or already holds content."""
    from routes.store.api import Store, gpx_length_km

    if session.get(s.Meta, s.SEEDED_KEY) is not None:
        return False
    now = datetime.now(UTC)
    has_content = (session.scalar(select(func.count()).select_from(s.Route)) or 0) + (
        session.scalar(select(func.count()).select_from(s.Poi)) or 0
    )
    if not has_content:
        writer = Store(None)  # type: ignore[arg-type] - only its in-session helpers are used here
        meta = json.loads((seed_dir / "routes.json").read_text(encoding="utf-8"))
        facts = _seed_facts(seed_dir)
        for slug, spec in meta["routes"].items():
            gpx = (seed_dir / spec["file"]).read_bytes()
            fields = check_route_fields(spec["fields"], partial=False)
            if slug in facts:  # checked against the seed track's own length, as an editor's save would be
                fields["facts"] = check_facts(facts[slug], route_length_km=gpx_length_km(gpx))
            writer._insert_route(session, slug, gpx=gpx, filename=spec["file"], fields=fields, user=SEED_USER,
                                 note="illustrative seed track", at=now)
        for feature in json.loads((seed_dir / "pois.geojson").read_text(encoding="utf-8"))["features"]:
            props = {k: v for k, v in feature["properties"].items() if k != "id"}
            geometry = feature["geometry"]
            if geometry["type"] == "Point":  # an area's marker is in its properties, its outline is the geometry
                props["lon"], props["lat"] = geometry["coordinates"]
            else:
                props["area"] = geometry
            clean = check_poi_fields(props, partial=False)
            writer._insert_poi(session, clean, user=SEED_USER, poi_id=feature["id"], at=now)
        _seed_photos(session, writer)
    session.add(s.Meta(key=s.SEEDED_KEY, value=now.isoformat()))
    return not has_content


def _seed_facts(seed_dir: Path) -> dict[str, dict]:
    """The seed routes' facts by slug (data/seed/facts.json, written by hand and marked illustrative in its text);
    none when the seed directory has no such file (tests seed small directories)."""
    path = seed_dir / SEED_FACTS_FILE
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["routes"])


def _seed_photos(session: Session, writer: object) -> None:
    """Give a few seed POIs a picture drawn by code (routes/store/seedphotos.py), marked illustrative, attached the way
    an editor attaches one (a "photo" revision after the POI's first)."""
    from routes.store.seedphotos import SEED_DRAWINGS, seed_photo

    for poi_id in SEED_DRAWINGS:
        if session.get(s.Poi, poi_id) is None:  # a seed directory without that POI (tests use small ones)
            continue
        photo_id = writer._add_photo(session, seed_photo(poi_id), user=SEED_USER, credit="", illustrative=True)
        writer._change_poi(session, poi_id, user=SEED_USER, expected_version=1, action="photo",
                           attempted={"photo": "new"}, apply=lambda row, pid=photo_id: setattr(row, "photo_id", pid))
