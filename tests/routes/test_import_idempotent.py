"""POI imports add each record once: a preview applied twice, threads and processes importing the same file at once,
on SQLite and PostgreSQL; and imports are bounded in records and in the guide's total."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from routes.core.limits import IMPORT_MAX_RECORDS, POIS_MAX_TOTAL
from routes.store import Store, StoreError, open_store

ROOT = Path(__file__).resolve().parents[2]
#: Concurrent importers: as many as the issue's report (three CLI runs of one file) plus one.
WORKERS = 4
#: Each process imports a few hundred rows; even on a loaded two-core machine this ends well within the bound.
PROCESS_TIMEOUT_S = 180
ROWS = 300


def _csv(rows: int, *, prefix: str = "补水点") -> bytes:
    lines = ["name_zh,name_en,lat,lon,category"]
    lines += [f"{prefix}{i},Water {i},{29.95 + i * 1e-3:.6f},{120.80 + i * 1e-3:.6f},water" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _live_names(store: Store) -> list[str]:
    return sorted(p.name_zh for p in store.list_pois() if not p.deleted and p.name_zh.startswith("补水点"))


def test_the_same_preview_applied_twice_adds_once(store: Store) -> None:
    preview = store.preview_poi_import(_csv(5), "water.csv")
    assert store.apply_poi_import(preview, user="ed") == {"added": 5, "changed": 0, "unchanged": 0}
    with pytest.raises(StoreError) as err:
        store.apply_poi_import(preview, user="ed")  # the double click
    assert err.value.key == "import_done"
    assert len(_live_names(store)) == 5


def test_two_previews_of_one_file_add_once(store: Store) -> None:
    first = store.preview_poi_import(_csv(5), "water.csv")
    second = store.preview_poi_import(_csv(5), "water.csv")  # made before the first was applied
    store.apply_poi_import(first, user="ed")
    assert store.apply_poi_import(second, user="ed") == {"added": 0, "changed": 0, "unchanged": 5}
    assert len(_live_names(store)) == 5


def test_a_record_repeated_in_one_file_is_added_once(store: Store) -> None:
    data = _csv(3) + "补水点1,Water 1,29.951000,120.801000,water\n".encode()
    preview = store.preview_poi_import(data, "water.csv")
    assert store.apply_poi_import(preview, user="ed")["added"] == 3


def test_concurrent_threads_applying_one_preview(db_url: str, store: Store) -> None:
    preview = store.preview_poi_import(_csv(50), "water.csv")
    outcomes: list[str] = []

    def run() -> None:
        try:
            open_store(db_url).apply_poi_import(preview, user="ed")
            outcomes.append("applied")
        except StoreError as exc:
            outcomes.append(exc.key)

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=PROCESS_TIMEOUT_S)
    assert sorted(outcomes) == ["applied"] + ["import_done"] * (WORKERS - 1)
    assert len(_live_names(store)) == 50


def test_concurrent_cli_imports_of_one_file(db_url: str, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "water.csv"
    path.write_bytes(_csv(ROWS))
    cmd = [sys.executable, "-m", "routes", "import-pois", str(path), "--db", db_url]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(WORKERS)
    ]
    results = [p.communicate(timeout=PROCESS_TIMEOUT_S) for p in procs]
    assert [p.returncode for p in procs] == [0] * WORKERS, results
    assert len(_live_names(store)) == ROWS  # not ROWS × WORKERS


def test_too_many_records_in_one_file_are_refused(store: Store) -> None:
    with pytest.raises(StoreError) as err:
        store.preview_poi_import(_csv(IMPORT_MAX_RECORDS + 1), "big.csv")
    assert err.value.key == "import_too_many"
    assert str(IMPORT_MAX_RECORDS) in err.value.message("zh")


def test_the_guide_total_is_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import routes.store.importers as importers

    live = len([p for p in store.list_pois() if not p.deleted])
    monkeypatch.setattr(importers, "POIS_MAX_TOTAL", live + 3)  # the real limit needs thousands of rows
    with pytest.raises(StoreError) as err:
        store.preview_poi_import(_csv(4), "water.csv")
    assert err.value.key == "pois_total"
    store.apply_poi_import(store.preview_poi_import(_csv(3), "water.csv"), user="ed")
    with pytest.raises(StoreError):
        store.create_poi(
            {"name_zh": "多", "name_en": "One more", "lat": 30.0, "lon": 120.8, "category": "food"}, user="ed"
        )
    assert POIS_MAX_TOTAL >= 1000  # the real limit leaves room for a county's places


def test_bringing_a_deleted_poi_back_counts_against_the_total(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import routes.store.importers as importers

    fields = {"name_zh": "回来", "name_en": "Back again", "lat": 30.0, "lon": 120.8, "category": "food"}
    p = store.create_poi(fields, user="ed")
    gone = store.delete_poi(p.id, user="ed", expected_version=p.version)
    live = len(store.list_pois())
    monkeypatch.setattr(importers, "POIS_MAX_TOTAL", live)  # full: the deleted one has no room to come back
    for restore in (lambda: store.restore_poi(p.id, user="ed", expected_version=gone.version),
                    lambda: store.restore_poi_revision(p.id, 1, user="ed", expected_version=gone.version)):
        with pytest.raises(StoreError) as err:
            restore()
        assert err.value.key == "pois_total"
    assert store.get_poi(p.id).deleted and store.get_poi(p.id).version == gone.version  # nothing changed
    monkeypatch.setattr(importers, "POIS_MAX_TOTAL", live + 1)
    assert not store.restore_poi(p.id, user="ed", expected_version=gone.version).deleted
