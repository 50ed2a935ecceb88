"""The public stack (`make serve`): nginx + 2 Streamlit replicas + a private PostgreSQL, all from Debian's packages,
started by deploy/stack.py on free ports in a temp dir; a browser journey through the proxy, consistency between the
replicas, compression and security headers, a replica that dies and comes back, and a clean stop."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import (
    DESKTOP,
    ROOT,
    _free_port,
    main_text,
    open_context,
    screenshot,
    viewer_frame,
    wait_for_app,
    wait_text,
)

pytestmark = pytest.mark.e2e

STACK = ROOT / "deploy" / "stack.py"
PASSWORD = "stack admin password"
#: The stack starts PostgreSQL (initdb on first start), migrates and seeds, then two replicas and nginx.
STACK_START_TIMEOUT_S = 150
#: The supervisor checks every 2 s; a killed replica is back after its restart and first health answer.
RECOVERY_TIMEOUT_S = 60


@dataclass
class Stack:
    url: str
    env: dict[str, str]
    run_dir: Path
    replica_urls: list[str]
    database_url: str

    def status(self) -> dict:
        return json.loads((self.run_dir / "status.json").read_text())


def _require_tools() -> None:
    missing = [t for t in ("nginx", "chromium") if not shutil.which(t) and not Path(f"/usr/sbin/{t}").exists()]
    if not sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    if missing:
        message = f"Debian packages missing: {' '.join(missing)} (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _stack(env: dict[str, str], command: str, timeout_s: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(STACK), command], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout_s)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    _require_tools()
    # A temp dir outside pytest's private one: as root, PostgreSQL (user postgres) and nginx workers (www-data)
    # must be able to reach their folders in it.
    tmp = Path(tempfile.mkdtemp(prefix="guide-stack-"))
    tmp.chmod(0o755)
    http_port, a, b, pg_port = (_free_port() for _ in range(4))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUIDE_", "STREAMLIT_"))}
    env.update({
        "GUIDE_RUN_DIR": str(tmp / "run"), "GUIDE_PG_DIR": str(tmp / "pg"), "GUIDE_HTTP_PORT": str(http_port),
        "GUIDE_REPLICA_PORTS": f"{a},{b}", "GUIDE_PG_PORT": str(pg_port), "GUIDE_LISTEN_ADDRESS": "127.0.0.1",
        "GUIDE_PYTHON": sys.executable,
    })
    up = _stack(env, "up", STACK_START_TIMEOUT_S + 30)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        password = (tmp / "pg" / "password").read_text().strip()
        yield Stack(
            url=f"http://127.0.0.1:{http_port}", env=env, run_dir=tmp / "run",
            replica_urls=[f"http://127.0.0.1:{a}", f"http://127.0.0.1:{b}"],
            database_url=f"postgresql+psycopg://guide:{password}@127.0.0.1:{pg_port}/guide",
        )
    finally:
        _stack(env, "down", 120)
        shutil.rmtree(tmp, ignore_errors=True)


def _get(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        merged: dict[str, list[str]] = {}
        for k, v in resp.headers.items():
            merged.setdefault(k.lower(), []).append(v)
        return resp.status, merged, resp.read()


def _synthetic_gpx(path: Path) -> Path:
    """A 6 km ride with time and elevation near Zurich (outside China: no datum question in the report)."""
    pts = []
    for i in range(300):
        lat, lon = 47.37 + i * 0.00018, 8.54 + i * 0.00003
        ele = 410 + 30 * (i / 300)
        pts.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{ele:.1f}</ele>'
                   f"<time>2026-05-01T08:{i // 60:02d}:{i % 60:02d}Z</time></trkpt>")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>stack ride</name><trkseg>'
        + "".join(pts) + "</trkseg></trk></gpx>"
    )
    return path


# --- the proxy ------------------------------------------------------------------------------------------------------


def test_proxy_compresses_once_and_adds_security_headers(stack):
    status, headers, body = _get(stack.url + "/route?id=tianxiang", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == ["gzip"]
    assert b"<html" in gzip.decompress(body).lower()  # compressed once: one gunzip gives the page
    for name, value in (("x-content-type-options", "nosniff"), ("x-frame-options", "SAMEORIGIN"),
                        ("referrer-policy", "strict-origin-when-cross-origin")):
        assert headers[name] == [value], name  # exactly one, never doubled with the app's own
    (csp,) = headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp
    assert "strict-transport-security" not in headers  # no TLS configured here
    assert any(c.startswith("guide_affinity=") for c in headers["set-cookie"])

    html = gzip.decompress(body).decode()
    bundle = html.split('src="', 1)[1].split('"', 1)[0] if 'src="./static/js/' in html else None
    bundle = bundle or "/static/js/" + html.split("/static/js/", 1)[1].split('"', 1)[0]
    bundle = "/" + bundle.lstrip("./")
    status, headers, body = _get(stack.url + bundle, headers={"Accept-Encoding": "br, gzip"})
    assert headers["content-encoding"] == ["br"]
    assert headers["cache-control"] == ["public, max-age=31536000, immutable"]
    _, _, raw = _get(stack.url + bundle)
    assert len(body) < len(raw) / 2
    # The light viewer's versioned assets are kept at the proxy too: the second request never reaches a replica.
    from routes.web.light import asset_url

    viewer = asset_url("light/viewer.js")
    first = _get(stack.url + viewer, headers={"Accept-Encoding": "gzip"})
    again = _get(stack.url + viewer, headers={"Accept-Encoding": "gzip"})
    assert first[0] == again[0] == 200 and again[1]["x-cache-status"] == ["HIT"]
    assert again[1]["cache-control"] == ["public, max-age=31536000, immutable"]
    # One Vary, whoever compressed: the app says it for a one-machine install, the proxy for itself (issue 21 saw
    # "Accept-Encoding, Accept-Encoding, Accept-Encoding").
    for path in ("/r/tianxiang", "/r/tianxiang.gpx"):
        _, headers, _ = _get(stack.url + path, headers={"Accept-Encoding": "br, gzip"})
        assert headers["vary"] == ["Accept-Encoding"], path


def test_the_page_shell_is_kept_briefly_at_the_proxy_and_nothing_else_from_the_app(stack):
    """Streamlit's page shell (the first request of every visit) is served by the proxy itself on a repeat, with the
    same headers as from a replica; the app's other responses (light pages, the viewer page, health) never are."""
    from routes.web.a11y import SHELL_PROXY_CACHE_S

    url = stack.url + "/pois?lang=en&shell-test=1"  # a URL no other test asks for: the first request is a miss
    first = _get(url, headers={"Accept-Encoding": "gzip"})
    again = _get(url, headers={"Accept-Encoding": "gzip"})
    assert first[0] == again[0] == 200
    assert first[1]["x-cache-status"] == ["MISS"] and again[1]["x-cache-status"] == ["HIT"]
    assert gzip.decompress(again[2]) == gzip.decompress(first[2])
    assert b'<html lang="en"' in gzip.decompress(again[2])
    for name in ("x-frame-options", "content-security-policy", "x-content-type-options"):
        assert len(again[1][name]) == 1, name  # from the cached response, not doubled by the proxy's own
    assert "x-accel-expires" not in again[1]  # the proxy's instruction stays with the proxy
    assert any(c.startswith("guide_affinity=") for c in again[1]["set-cookie"])  # still one per visitor
    assert 0 < SHELL_PROXY_CACHE_S <= 60
    for path in ("/r/tianxiang", "/r/tianxiang/embed", "/_stcore/health"):
        for _ in range(2):
            status, headers, _ = _get(stack.url + path)
            assert status == 200 and headers.get("x-cache-status") != ["HIT"], path


def test_websocket_upload_and_sign_in_through_the_proxy(stack, chromium, tmp_path):
    """A visitor opens a route page, an admin (made with the CLI) signs in and uploads a GPX, all through nginx with
    two replicas: the upload reaches the replica that holds the session (affinity)."""
    env = {**stack.env, "GUIDE_DATABASE_URL": stack.database_url}
    added = subprocess.run([sys.executable, "-m", "routes", "users", "add", "stackadmin", "--role", "admin"],
                           input=PASSWORD + "\n" + PASSWORD + "\n", env=env, cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    ctx, traffic = open_context(chromium, DESKTOP)
    page = ctx.new_page()
    refused: list[str] = []
    ctx.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(stack.url + "/route?id=tianxiang&lang=zh")
        wait_for_app(page)
        # The route page embeds the map + profile viewer from /r/<slug>/embed, through the proxy too.
        viewer_frame(page).locator("path.route-line").first.wait_for(state="attached")
        assert any(c["name"] == "guide_affinity" for c in ctx.cookies())

        page.goto(stack.url + "/editor?lang=zh")
        wait_for_app(page)
        page.get_by_role("textbox", name="用户名", exact=True).fill("stackadmin")
        page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="编辑工作台").wait_for()
        wait_for_app(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="路线编辑").click()
        page.get_by_role("heading", name="路线编辑").first.wait_for()
        wait_for_app(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(_synthetic_gpx(tmp_path / "stack-ride.gpx"))
        )
        wait_text(page, "质量报告")
        wait_for_app(page)
        page.get_by_role("textbox", name="网址名（英文小写，例如 tianxiang-east）", exact=True).fill("stack-ride")
        page.get_by_role("textbox", name="中文名称", exact=True).fill("多副本测试路线")
        page.get_by_role("textbox", name="英文名称", exact=True).fill("Replica test ride")
        page.get_by_role("button", name="保存为草稿").click()
        wait_text(page, "已创建路线“多副本测试路线”（草稿）")
        wait_for_app(page)
        # The synthetic ride lies far from Lianghu: publishing it needs the editor's explicit confirmation.
        page.locator('[data-testid="stCheckbox"]').filter(has_text="仍要发布").locator("label").click()
        wait_for_app(page)
        page.get_by_role("button", name="发布（骑行者可见）").click()
        wait_text(page, "已发布")
        wait_for_app(page)
        screenshot(page, "stack-upload-published-desktop-zh")
        assert traffic.foreign_non_tile() == []
        assert refused == []  # the proxy's Content-Security-Policy blocked nothing the pages use
    finally:
        ctx.close()


def test_an_edit_on_one_replica_is_seen_on_the_other(stack, chromium):
    """Both replicas have the route page and POI list cached in memory; a route published through the proxy (above)
    and a POI renamed in the database are what each replica shows on the next page load."""
    from routes.store import open_store
    from routes.store.db import dispose_engine

    ctx, _ = open_context(chromium, DESKTOP)
    try:
        pages = []
        for base in stack.replica_urls:  # warm each replica's caches with the POI page first
            page = ctx.new_page()
            page.goto(base + "/pois?lang=zh")
            wait_for_app(page)
            pages.append(page)
        store = open_store(stack.database_url, seed=False)
        poi = next(p for p in store.list_pois() if not p.deleted)
        store.update_poi(poi.id, {"name_zh": "副本一致性测试点"}, user="stackadmin", expected_version=poi.version)
        dispose_engine(stack.database_url)
        for page, base in zip(pages, stack.replica_urls, strict=True):
            page.goto(base + "/pois?lang=zh")
            wait_for_app(page)
            wait_text(page, "副本一致性测试点")  # the list comes after the map, which takes a while under load
            page.goto(base + "/?lang=zh")
            wait_for_app(page)
            assert "多副本测试路线" in main_text(page), base  # published through the proxy, on whichever replica
            page.goto(base + "/route?id=stack-ride&lang=zh")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "多副本测试路线"
    finally:
        ctx.close()


def test_a_dead_replica_is_restarted_and_taken_back_without_restarting_nginx(stack):
    before = stack.status()
    victim = before["replicas"][0]
    os.kill(victim["pid"], signal.SIGKILL)
    codes = []
    deadline = time.monotonic() + RECOVERY_TIMEOUT_S
    back = False
    while time.monotonic() < deadline:
        for i in range(4):  # different visitors: some of them hash to the dead replica
            status, _, _ = _get(stack.url + "/_stcore/health", headers={"Cookie": f"guide_affinity=v{i}{time.time()}"})
            codes.append(status)
        now = stack.status()
        r = now["replicas"][0]
        if r["restarts"] >= 1 and r["healthy"] and not now["down"] and r["pid"] != victim["pid"]:
            back = True
            break
        time.sleep(0.5)
    assert back, stack.status()
    assert set(codes) == {200}  # nobody saw an error while it was gone
    assert stack.status()["nginx_pid"] == before["nginx_pid"]
    # Both replicas serve again: spread visitors over them and read the access log.
    log = stack.run_dir / "logs" / "nginx-access.log"
    mark = log.stat().st_size
    for i in range(40):
        _get(stack.url + "/_stcore/health", headers={"Cookie": f"guide_affinity=after{i}"})
    served = log.read_text()[mark:]
    for base in stack.replica_urls:
        assert "upstream=" + base.removeprefix("http://") in served


def test_stop_leaves_no_process(stack):
    status = stack.status()
    pids = [status["supervisor_pid"], status["nginx_pid"], status["postgres_pid"]]
    pids += [r["pid"] for r in status["replicas"]]
    down = _stack(stack.env, "down", 120)
    assert down.returncode == 0, down.stdout + down.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    assert [p for p in pids if _alive(p)] == []
    assert stack.status()["state"] == "stopped"


def test_with_tls_the_rendered_config_is_valid_and_sends_hsts(tmp_path, monkeypatch):
    """The HTTPS variant (no certificate authority needed: nginx -t only reads the files)."""
    _require_tools()
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                           str(cert), "-days", "1", "-subj", "/CN=localhost"], capture_output=True)
    assert made.returncode == 0, made.stderr
    run_dir = Path(tempfile.mkdtemp(prefix="guide-tls-"))
    try:
        for name, value in (("GUIDE_RUN_DIR", str(run_dir)), ("GUIDE_TLS_CERT", str(cert)),
                            ("GUIDE_TLS_KEY", str(key)), ("GUIDE_HTTP_PORT", str(_free_port())),
                            ("GUIDE_HTTPS_PORT", str(_free_port()))):
            monkeypatch.setenv(name, value)
        sys.path.insert(0, str(STACK.parent))
        import stack as stack_module

        nginx = stack_module.Nginx(stack_module.Settings.from_env())
        nginx.write_config()
        checked = subprocess.run(nginx._cmd("-t"), capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        conf = (run_dir / "nginx" / "nginx.conf").read_text()
        assert "ssl_certificate " + str(cert) in conf and "return 301 https://" in conf
        assert "Strict-Transport-Security" in (run_dir / "nginx" / "locations.conf").read_text()
        assert "; Secure" in conf  # the affinity cookie is HTTPS-only
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        sys.path.remove(str(STACK.parent))
