"""Load the illustrative seed content (data/seed/) into a database that has never been seeded and is empty."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routes.store import schema as s
from routes.store.validate import check_poi_fields, check_route_fields

SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "seed"
#: Author recorded on seed records and their first revisions.
SEED_USER = "seed"


def seed_if_empty(session: Session, *, seed_dir: Path = SEED_DIR) -> bool:
    """Load the seed routes and POIs unless the database was seeded before or already holds content."""
    from routes.store.api import Store

    if session.get(s.Meta, s.SEEDED_KEY) is not None:
        return False
    now = datetime.now(UTC)
    has_content = (session.scalar(select(func.count()).select_from(s.Route)) or 0) + (
        session.scalar(select(func.count()).select_from(s.Poi)) or 0
    )
    if not has_content:
        writer = Store(None)  # type: ignore[arg-type] - only its in-session helpers are used here
        meta = json.loads((seed_dir / "routes.json").read_text(encoding="utf-8"))
        for slug, spec in meta["routes"].items():
            gpx = (seed_dir / spec["file"]).read_bytes()
            writer._insert_route(session, slug, gpx=gpx, filename=spec["file"],
                                 fields=check_route_fields(spec["fields"], partial=False), user=SEED_USER,
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
    session.add(s.Meta(key=s.SEEDED_KEY, value=now.isoformat()))
    return not has_content
