"""`python -m routes route-facts export|import` (issue #23): the JSON file round trip, a warning added by hand, and bad
files refused in one line with nothing changed. On SQLite, and on PostgreSQL when GUIDE_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from routes.cli.main import main
from routes.core.facts import EMPTY_FACTS
from routes.store import open_store
from routes.store.api import Store
from tests.routes.test_store import ROUTE_FIELDS, small_gpx

ROOT = Path(__file__).resolve().parents[2]
DESCENT = {"from_km": 6.6, "to_km": 7.3,
           "warning": {"kind": "steep_descent", "zh": "观景台下坡，弯急", "en": "Descent from the viewpoint, sharp bends"}}


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_export_writes_the_documented_shape_in_readable_utf8(db_url: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tianxiang.json"
    assert main(["route-facts", "export", "tianxiang", str(out), "--db", db_url]) == 0
    text = out.read_text(encoding="utf-8")
    assert "南穴村" in text and "\\u" not in text  # Chinese as Chinese, not escapes
    assert text.startswith('{\n  "getting_there": {\n    "zh": ')  # indented
    data = json.loads(text)
    assert list(data) == ["getting_there", "season", "checked_on", "stretches"]
    assert data == open_store(db_url).get_route("tianxiang").facts.to_json()
    assert "7 stretches" in capsys.readouterr().out


def test_export_of_a_route_without_facts_writes_the_empty_shape(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    store.create_route("bare", gpx=small_gpx(), filename="b.gpx", fields=ROUTE_FIELDS, user="ed")
    out = tmp_path / "bare.json"
    assert main(["route-facts", "export", "bare", str(out), "--db", db_url]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "getting_there": {"zh": "", "en": ""}, "season": {"zh": "", "en": ""}, "checked_on": None, "stretches": []}


def test_round_trip_then_a_warning_added_by_hand_is_stored(db_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(db_url)
    before = store.get_route("tianxiang")
    out = tmp_path / "f.json"
    assert main(["route-facts", "export", "tianxiang", str(out), "--db", db_url]) == 0
    # importing what was exported changes nothing, not even the version
    assert main(["route-facts", "import", "tianxiang", str(out), "--db", db_url]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert store.get_route("tianxiang") == before
    data = json.loads(out.read_text(encoding="utf-8"))
    data["stretches"].append(DESCENT)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert main(["route-facts", "import", "tianxiang", str(out), "--db", db_url, "--as", "lin"]) == 0
    after = store.get_route("tianxiang")
    assert after.version == before.version + 1 and after.updated_by == "lin"
    added = [w for w in after.facts.warnings if (w.from_km, w.to_km) == (6.6, 7.3)]
    assert [(w.warning.kind, w.warning.text.en) for w in added] == [("steep_descent",
                                                                      "Descent from the viewpoint, sharp bends")]
    assert after.facts.getting_there == before.facts.getting_there
    entry = store.route_history("tianxiang")[-1]
    assert (entry.action, entry.user, list(entry.detail["changes"])) == ("route.update", "lin", ["facts"])


def test_the_cli_user_is_recorded_by_default(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "f.json"
    f.write_text(json.dumps({"season": {"zh": "四季", "en": "All year"}}), encoding="utf-8")
    assert main(["route-facts", "import", "caoe-riverside", str(f), "--db", db_url]) == 0
    info = open_store(db_url).get_route("caoe-riverside")
    assert info.updated_by == "cli" and info.facts.season.en == "All year" and not info.facts.stretches


@pytest.mark.parametrize(("content", "message"), [
    ('{"stretches": [{"from_km": 9, "to_km": 3, "surface": "asphalt"}]}',
     "error: stretch 1: from 9 km must be less than to 3 km"),
    ('{"stretches": [{"from_km": 12, "to_km": 14, "surface": "asphalt"}]}',
     "error: stretch 1: ends at 14 km, past the route's end at 12.59 km"),
    ('{"getting_there": {"zh": "x", "en": "y"},\n "stretches": [\n', "error: not a valid JSON file (line 3)"),
    ("[1, 2]", "error: route facts must be a JSON object"),
    ('{"surfaces": []}', "error: unknown field 'surfaces' in the route facts"),
])
def test_a_bad_file_is_refused_in_one_line_and_changes_nothing(db_url: str, tmp_path: Path, content: str,
                                                               message: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    store: Store = open_store(db_url)
    before = store.get_route("tianxiang")
    entries = len(store.audit_log(limit=None))
    f = tmp_path / "bad.json"
    f.write_text(content, encoding="utf-8")
    assert main(["route-facts", "import", "tianxiang", str(f), "--db", db_url]) == 2
    assert _one_line_error(capsys.readouterr().err) == message
    assert store.get_route("tianxiang") == before and len(store.audit_log(limit=None)) == entries


def test_a_file_that_is_not_utf8_is_refused(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "gbk.json"
    f.write_bytes('{"season": {"zh": "春天"}}'.encode("gbk"))
    assert main(["route-facts", "import", "tianxiang", str(f), "--db", db_url]) == 2
    assert _one_line_error(capsys.readouterr().err) == "error: not a valid JSON file (line 1)"


def test_unknown_route_and_missing_file(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route-facts", "export", "nowhere", str(tmp_path / "x.json"), "--db", db_url]) == 2
    assert _one_line_error(capsys.readouterr().err) == "error: route 'nowhere' not found"
    assert main(["route-facts", "import", "tianxiang", str(tmp_path / "missing.json"), "--db", db_url]) == 2
    assert "missing.json" in _one_line_error(capsys.readouterr().err)
    assert open_store(db_url).get_route("nowhere") is None


def test_as_a_real_command_on_the_default_database(tmp_path: Path) -> None:
    """`python -m routes` in a shell, on GUIDE_DATABASE_URL: exit status and stderr as a script sees them."""
    env = {"GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'guide.db'}", "PATH": "/usr/bin:/bin"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"stretches": [{"from_km": 9, "to_km": 3, "surface": "asphalt"}]}', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "routes", "route-facts", "import", "tianxiang", str(bad)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip() == "error: stretch 1: from 9 km must be less than to 3 km"
    store = open_store(env["GUIDE_DATABASE_URL"])
    assert store.get_route("tianxiang").facts != EMPTY_FACTS  # the seed's facts are still there
    assert [e.action for e in store.route_history("tianxiang")] == ["route.create"]
