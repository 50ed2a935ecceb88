"""POI import files with odd fields: a CSV field longer than Python's csv default (131 072 characters) is read and
judged like any other value, a malformed CSV is one clear line, and names are matched after the same cleaning in the
preview as when the import is applied."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from routes.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
#: The issue's field: past csv.field_size_limit()'s default of 131 072 characters.
LONG_FIELD_CHARS = 200_000
#: One CLI run on a small database; generous for a loaded two-core machine.
CLI_TIMEOUT_S = 120
#: Both spellings are the POI below once cleaned: spaces around and doubled inside, bidi embedding/isolate controls.
EXISTING = {"name_zh": "湖畔茶室", "name_en": "Lakeside Tea", "category": "food", "lat": 30.01, "lon": 120.86}
MESSY_ZH, MESSY_EN = "  湖畔\u2066茶室\u2069 ", "\u202aLakeside  Tea\u202c "


def _long_csv() -> bytes:
    long_text = "长" * LONG_FIELD_CHARS
    return (f"name_zh,name_en,lat,lon,category,note\n"
            f"{long_text},Long name,30.02,120.87,food,\n"
            f"短名,Short name,30.03,120.88,food,{'x' * LONG_FIELD_CHARS}\n").encode()


def test_a_field_over_the_csv_default_is_a_record_problem_not_a_crash(store: Store) -> None:
    preview = store.preview_poi_import(_long_csv(), "long.csv")
    assert [(p.record, p.error.field, p.error.key) for p in preview.problems] == [(1, "name_zh", "too_long")]
    assert [r["name_en"] for r in preview.added] == ["Short name"]  # a long column nobody reads is no problem


def test_a_malformed_csv_is_one_clear_error(store: Store) -> None:
    with pytest.raises(StoreError) as err:
        store.preview_poi_import(b'lat,lon\r1,2\r\n"a\rb",c', "bad.csv")
    assert err.value.key == "import_invalid" and "CSV" in err.value.message("zh")


def _cli(db_url: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "routes", "import-pois", str(path), "--db", db_url], cwd=ROOT,
                          capture_output=True, text=True, timeout=CLI_TIMEOUT_S)


def test_the_command_line_reports_long_fields_and_bad_files_without_a_traceback(
        db_url: str, store: Store, tmp_path: Path) -> None:
    before = len(store.list_pois(include_deleted=True))
    path = tmp_path / "long.csv"
    path.write_bytes(_long_csv())
    run = _cli(db_url, path)
    assert run.returncode == 1, run  # the command's code for a file with invalid records
    assert "Traceback" not in run.stderr and "! #1: name_zh: too long" in run.stdout
    path.write_bytes(b'lat,lon\r1,2\r\n"a\rb",c')
    run = _cli(db_url, path)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run
    assert len(run.stderr.strip().splitlines()) == 1 and "CSV" in run.stderr
    assert len(store.list_pois(include_deleted=True)) == before


def test_preview_and_apply_match_names_after_the_same_cleaning(store: Store) -> None:
    same = store.create_poi(EXISTING, user="ed")
    edited = store.create_poi({**EXISTING, "name_zh": "湖畔小店", "name_en": "Lakeside Shop", "lon": 120.861}, user="ed")
    data = (f"name_zh,name_en,lat,lon,category,desc_en\n"
            f"{MESSY_ZH},{MESSY_EN},30.01,120.86,food,\n"
            f" 湖畔小店,Lakeside\u202e Shop ,30.01,120.861,food,New text\n").encode()
    before = store.dump_canonical()
    preview = store.preview_poi_import(data, "messy.csv")
    assert not preview.problems and not preview.added
    assert [p.id for p in preview.unchanged] == [same.id]
    assert [(c.poi.id, dict(c.changes)) for c in preview.changed] == [(edited.id, {"desc_en": ("", "New text")})]
    counts = store.apply_poi_import(preview, user="ed")
    assert counts == {"added": 0, "changed": 1, "unchanged": 1}
    after = store.dump_canonical()
    assert after["pois"] != before["pois"] and len(after["pois"]) == len(before["pois"])
    assert store.get_poi(same.id).version == same.version  # the unchanged one really is untouched
    # the same file again: nothing left to do, in the preview and in the apply alike
    again = store.preview_poi_import(data, "messy.csv")
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 2)
    assert store.apply_poi_import(again, user="ed") == {"added": 0, "changed": 0, "unchanged": 2}
