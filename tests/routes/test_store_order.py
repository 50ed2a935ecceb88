"""Editor-set catalogue order of routes: validated, kept, listed in order, set from the CLI, migrated and backed up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from routes.store import Store, ValidationError, open_store
from routes.store.backup import restore_backup, write_backup

ROOT = Path(__file__).resolve().parents[2]


def test_seed_lists_the_flagship_first(store: Store) -> None:
    assert [r.slug for r in store.list_routes()] == ["tianxiang", "caoe-riverside", "lianghu-loop"]
    assert [r.sort_order for r in store.list_routes()] == [0, 10, 20]


def test_an_editor_moves_a_route_up(store: Store) -> None:
    r = store.get_route("lianghu-loop")
    store.update_route("lianghu-loop", {"sort_order": 5}, user="ed", expected_version=r.version)
    assert [r.slug for r in store.list_routes()] == ["tianxiang", "lianghu-loop", "caoe-riverside"]
    assert store.get_route("lianghu-loop").version == r.version + 1  # an edit like any other (ETags change)


@pytest.mark.parametrize("bad", [-1, 10_000, 2.5, "first", True])
def test_bad_sort_keys_are_refused(store: Store, bad: object) -> None:
    r = store.get_route("tianxiang")
    with pytest.raises(ValidationError) as exc:
        store.update_route("tianxiang", {"sort_order": bad}, user="ed", expected_version=r.version)
    assert exc.value.field == "sort_order"
    assert store.get_route("tianxiang").sort_order == 0


def test_new_routes_come_after_placed_ones(store: Store) -> None:
    from tests.routes.test_store import small_gpx

    store.create_route(
        "aaa-new",
        gpx=small_gpx(),
        filename="a.gpx",
        user="ed",
        fields={"name_zh": "新", "name_en": "New", "status": "published"},
    )
    assert [r.slug for r in store.list_routes()][-1] == "aaa-new"
    assert store.get_route("aaa-new").sort_order == 100


def test_cli_sets_the_order(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the CLI run is the same on every backend; once on SQLite is enough")
    open_store(db_url)
    out = subprocess.run(
        [sys.executable, "-m", "routes", "route-order", "caoe-riverside", "0", "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["0:caoe-riverside", "0:tianxiang", "20:lianghu-loop"]
    bad = subprocess.run(
        [sys.executable, "-m", "routes", "route-order", "caoe-riverside", "-3", "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "0 to 9999" in bad.stderr


def test_order_survives_backup_and_restore(store: Store, other_db_url: str, tmp_path: Path) -> None:
    r = store.get_route("lianghu-loop")
    store.update_route("lianghu-loop", {"sort_order": 1}, user="ed", expected_version=r.version)
    write_backup(store.engine, tmp_path / "b.zip")
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, tmp_path / "b.zip")
    assert [(r.slug, r.sort_order) for r in target.list_routes()] == [
        ("tianxiang", 0),
        ("lianghu-loop", 1),
        ("caoe-riverside", 10),
    ]


def test_upgrading_from_0002_puts_the_seed_routes_in_order(store: Store, db_url: str) -> None:
    from routes.store.db import dispose_engine
    from tests.routes.test_store_sources import _migrate

    _migrate(store, "0002", down=True)
    dispose_engine(db_url)
    upgraded = open_store(db_url)
    assert [(r.slug, r.sort_order) for r in upgraded.list_routes()] == [
        ("tianxiang", 0),
        ("caoe-riverside", 10),
        ("lianghu-loop", 20),
    ]
