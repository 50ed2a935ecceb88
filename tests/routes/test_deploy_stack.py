"""deploy/stack.py without the whole stack: its port checks (a taken port is a clear message or the next free port,
never a replica restarting forever), the replicas' start report, the memory limit it can set, and GUIDE_PUBLIC_URL in
the replicas' environment and nginx's configuration (made-up Host names are closed at the proxy).

Sockets are bound on loopback ports here; the one nginx test starts nginx alone in front of a tiny HTTP server."""

from __future__ import annotations

import http.client
import http.server
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("guide_stack", ROOT / "deploy" / "stack.py")
stack = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = stack  # dataclasses look their module up there
_spec.loader.exec_module(stack)

#: A stand-in for a Streamlit replica: answers /_stcore/health on the port it is given, fails to start when that
#: port is taken (as Streamlit does).
FAKE_REPLICA = """
import http.server, sys
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
"""
#: Seconds the replica tests give a fake replica to answer (it needs a Python start, well under a second).
FAKE_START_TIMEOUT_S = 20.0


def _listener(address: str = "127.0.0.1", port: int = 0, *, reuse: bool = False) -> socket.socket:
    """A socket listening on address:port (0: any free port), as another program holding a port would; `reuse`
    sets SO_REUSEADDR first, as nginx, Tornado and most servers do."""
    s = socket.socket()
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen()
    return s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(tmp_path: Path, **kw) -> stack.Settings:
    values = {
        "run_dir": tmp_path / "run", "pg_dir": tmp_path / "pg", "http_port": _free_port(), "replica_ports": [],
        "pg_port": _free_port(), "database_url": "postgresql+psycopg://guide:x@127.0.0.1:1/guide",
        "listen_address": "127.0.0.1",
    }
    values.update(kw)
    return stack.Settings(**values)


# --- port checks ----------------------------------------------------------------------------------------------------


def test_a_free_port_has_no_problem():
    assert stack.port_problem(_free_port()) is None


def test_a_port_another_program_listens_on_is_in_use_and_its_holder_named():
    with _listener() as held:
        port = held.getsockname()[1]
        problem = stack.port_problem(port)
        assert problem is not None and problem.startswith("in use by ")
        assert f"(pid {os.getpid()})" in problem  # this test's own process holds it, and /proc says so
    assert stack.port_problem(port) is None  # and once it is closed, the port is free again


def test_a_listener_on_every_address_takes_the_loopback_port_too_and_the_reverse():
    with _listener("0.0.0.0") as held:
        assert stack.port_problem(held.getsockname()[1], "127.0.0.1").startswith("in use")
    with _listener("127.0.0.1") as held:
        assert stack.port_problem(held.getsockname()[1], "0.0.0.0").startswith("in use")  # nginx's default address
    with _listener(reuse=True) as held:  # SO_REUSEADDR on both sides still never lets two servers listen
        assert stack.port_problem(held.getsockname()[1]).startswith("in use")


def test_connections_left_in_time_wait_do_not_count_as_taken():
    """A stop and start leaves the old connections in TIME_WAIT on the port; nginx and Tornado bind with
    SO_REUSEADDR and start anyway, so the check must not call the port taken."""
    with _listener(reuse=True) as server:  # a server's connections inherit SO_REUSEADDR from its listener
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first: its end (on `port`) goes to TIME_WAIT
        time.sleep(0.1)
        client.close()
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # without SO_REUSEADDR the port does look taken: the case is real
    assert stack.port_problem(port) is None


def test_a_replica_whose_port_is_taken_moves_to_the_next_free_one_and_says_so():
    with _listener() as held:
        port = held.getsockname()[1]
        chosen, note = stack.replica_port(port, avoid={port + 1})
    assert chosen >= port + 2  # port + 1 belongs to the proxy or another replica
    assert stack.port_problem(chosen) is None
    assert note.startswith(f"port {port} is in use by ") and note.endswith(f"the replica uses {chosen} instead")


def test_a_replica_on_a_free_port_stays_there_and_a_reserved_one_moves():
    port = _free_port()
    assert stack.replica_port(port, avoid=set()) == (port, "")
    chosen, note = stack.replica_port(port, avoid={port})
    assert chosen > port and "reserved for the proxy" in note


def test_the_proxy_port_taken_stops_the_start_with_one_message_naming_it(tmp_path):
    with _listener() as held:
        port = held.getsockname()[1]
        settings = _settings(tmp_path, http_port=port)
        with pytest.raises(stack.PortError) as err:
            stack.check_proxy_ports(settings)
    message = str(err.value)
    assert f"127.0.0.1:{port} (GUIDE_HTTP_PORT)" in message
    assert f"port {port} is in use by " in message and "`make stop`" in message
    assert "GUIDE_HTTP_PORT=" in message.split("choose another port: ", 1)[1]  # a free port to use instead
    stack.check_proxy_ports(_settings(tmp_path))  # a free one passes


def test_the_https_port_is_checked_when_tls_is_configured(tmp_path):
    with _listener() as held:
        settings = _settings(tmp_path, https_port=held.getsockname()[1], tls_cert="c.pem", tls_key="k.pem")
        with pytest.raises(stack.PortError, match="GUIDE_HTTPS_PORT"):
            stack.check_proxy_ports(settings)
        stack.check_proxy_ports(_settings(tmp_path, https_port=held.getsockname()[1]))  # no TLS: not needed


def test_the_summary_counts_the_replicas_that_answer():
    assert stack.replica_summary(2, 2, []) == "2 of 2 replicas up"
    assert stack.replica_summary(1, 2, ["replica 2 on :8602 did not answer"]) == (
        "1 of 2 replicas up: replica 2 on :8602 did not answer"
    )
    assert stack.replica_summary(1, 1, []) == "1 of 1 replica up"


# --- the replicas' start ---------------------------------------------------------------------------------------------


@pytest.fixture
def fake_replicas(monkeypatch, tmp_path) -> Iterator[callable]:
    """Replicas whose command is FAKE_REPLICA (or, for the ports in `broken`, a given command)."""
    made = []

    def make(ports: list[int], broken: dict[int, list[str]] | None = None, timeout_s: float = FAKE_START_TIMEOUT_S):
        broken = broken or {}
        monkeypatch.setattr(stack, "replica_command", lambda s, port, **kw: broken.get(
            port, [sys.executable, "-c", FAKE_REPLICA, str(port)]))
        monkeypatch.setattr(stack, "memory_limit", lambda s: ([], "no memory limit (test)"))
        monkeypatch.setattr(stack, "REPLICA_START_TIMEOUT_S", timeout_s)
        settings = _settings(tmp_path, replica_ports=list(ports))
        replicas = stack.Replicas(settings, dict(os.environ))
        made.append(replicas)
        return replicas

    yield make
    for replicas in made:
        replicas.stop()


def test_replicas_that_answer_are_up_and_one_that_exits_is_reported(fake_replicas):
    a, b = _free_port(), _free_port()
    replicas = fake_replicas([a, b], broken={b: [sys.executable, "-c", "raise SystemExit(3)"]})
    problems = replicas.start_all()
    assert [r.healthy for r in replicas.items] == [True, False]
    assert len(problems) == 1 and problems[0].startswith(f"replica 2 on :{b} exited with 3; see ")
    assert stack.replica_summary(1, 2, problems).startswith(f"1 of 2 replicas up: replica 2 on :{b} exited")


def test_a_replica_that_never_answers_is_reported_after_the_timeout(fake_replicas):
    a, b = _free_port(), _free_port()
    replicas = fake_replicas([a, b], broken={b: [sys.executable, "-c", "import time; time.sleep(60)"]}, timeout_s=3)
    problems = replicas.start_all()
    assert [r.healthy for r in replicas.items] == [True, False]
    assert problems == [f"replica 2 on :{b} did not answer /_stcore/health within 3 s"]


def test_a_port_held_by_another_health_answering_program_is_not_mistaken_for_the_replica(fake_replicas):
    """The issue: another program held a replica's port and answered there, so the start counted the replica as up
    while it could not bind and restarted forever. Now it moves to a free port, and nginx's list follows."""

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    other = http.server.HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    held = other.server_address[1]
    try:
        replicas = fake_replicas([held])
        assert replicas.start_all() == []
        (r,) = replicas.items
        assert r.healthy and r.port != held
        assert replicas.s.replica_ports == [r.port]  # what upstreams.conf is written from
        assert stack.owns_port(r.proc.pid, r.port) is True
        assert any(f"port {held} is in use by " in n and f"uses {r.port} instead" in n for n in replicas.notes)
        assert f"127.0.0.1:{r.port} " in stack.upstreams_conf(replicas.s.replica_ports, set())
    finally:
        other.shutdown()
        other.server_close()


# --- memory limit ----------------------------------------------------------------------------------------------------


def test_without_systemd_no_limit_is_set_and_the_log_says_where_it_is(tmp_path):
    prefix, note = stack.memory_limit(_settings(tmp_path), systemd_dir=tmp_path / "absent")
    assert prefix == [] and "systemd is not running here" in note and "compose.yaml" in note


def test_with_systemd_and_a_memory_controller_replicas_get_a_scope_with_the_limits(tmp_path, monkeypatch):
    (tmp_path / "systemd").mkdir()
    uid = os.geteuid()
    controllers = tmp_path / "cg" / ("cgroup.controllers" if uid == 0 else
                                     f"user.slice/user-{uid}.slice/user@{uid}.service/cgroup.controllers")
    controllers.parent.mkdir(parents=True)
    controllers.write_text("cpuset cpu io memory pids\n")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "systemd-run").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "systemd-run").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    kw = {"systemd_dir": tmp_path / "systemd", "cgroup_root": tmp_path / "cg"}

    prefix, note = stack.memory_limit(_settings(tmp_path), **kw)
    assert prefix[0] == "systemd-run" and "--scope" in prefix
    assert f"MemoryMax={stack.REPLICA_MEMORY_MAX_MB}M" in prefix
    assert f"MemoryHigh={stack.REPLICA_MEMORY_HIGH_MB}M" in prefix
    assert ("--user" in prefix) == (uid != 0)
    assert "MemoryMax=" in note

    assert stack.memory_limit(_settings(tmp_path, replica_memory_max_mb=0), **kw)[0] == []
    controllers.write_text("cpu pids\n")  # cgroup v2 without the memory controller: systemd-run would limit nothing
    prefix, note = stack.memory_limit(_settings(tmp_path), **kw)
    assert prefix == [] and "memory controller" in note


# --- GUIDE_PUBLIC_URL ------------------------------------------------------------------------------------------------


def test_the_public_host_is_what_nginx_matches():
    assert stack.public_host("https://Ride.Example.cn:8443/guide/") == "ride.example.cn"
    assert stack.public_host("http://骑行.example.cn").startswith("xn--")  # browsers send the punycode form
    for bad in ("ride.example.cn", "ftp://ride.example.cn", "https://", "https://user:pw@ride.example.cn"):
        with pytest.raises(ValueError, match="GUIDE_PUBLIC_URL"):
            stack.public_host(bad)


def test_settings_read_the_public_url_and_a_mistyped_one_stops_the_start_not_the_stop(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GUIDE_PUBLIC_URL", "https://ride.example.cn")
    monkeypatch.setenv("GUIDE_SERVER_NAME", "www.ride.example.cn")
    assert stack.Settings.from_env().server_names == "ride.example.cn www.ride.example.cn localhost 127.0.0.1"
    monkeypatch.setenv("GUIDE_PUBLIC_URL", "ride.example.cn")
    monkeypatch.setenv("GUIDE_RUN_DIR", str(tmp_path / "run"))
    assert stack.main(["up"]) == 2
    assert "like https://ride.example.cn" in capsys.readouterr().err
    assert stack.main(["down"]) == 0  # `make stop` still stops what runs


def test_the_replicas_get_the_public_url_when_it_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_COOKIE_SECRET", "s" * 64)
    url = "postgresql+psycopg://guide:x@127.0.0.1:1/guide"
    env = stack.replica_env(_settings(tmp_path, public_url="https://ride.example.cn"), url)
    assert env["GUIDE_PUBLIC_URL"] == "https://ride.example.cn"
    monkeypatch.setenv("GUIDE_PUBLIC_URL", "")
    assert "GUIDE_PUBLIC_URL" not in stack.replica_env(_settings(tmp_path), url)


def test_with_a_public_url_nginx_answers_its_names_and_closes_others_and_without_it_any_name(tmp_path):
    conf = stack.render_nginx(_settings(tmp_path, public_url="https://ride.example.cn"))["nginx.conf"]
    assert "server_name ride.example.cn localhost 127.0.0.1;" in conf
    default = conf.split("default_server;", 1)[1].split("}", 1)[0]
    assert "return 444;" in default
    tls = stack.render_nginx(_settings(tmp_path, public_url="https://ride.example.cn", tls_cert="c", tls_key="k"))
    assert "ssl default_server;" in tls["nginx.conf"] and "ssl_reject_handshake on;" in tls["nginx.conf"]
    assert tls["nginx.conf"].count("server_name ride.example.cn localhost 127.0.0.1;") == 2  # HTTP and HTTPS

    conf = stack.render_nginx(_settings(tmp_path))["nginx.conf"]
    assert "server_name _;" in conf and "default_server" not in conf and "444" not in conf


def _nginx_installed() -> bool:
    return bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())


def _status(port: int, host: str) -> int | None:
    """The proxy's status for `host`, or None when it closed the connection without an answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/_stcore/health", headers={"Host": host})
        return conn.getresponse().status
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None
    finally:
        conn.close()


@pytest.mark.skipif(not _nginx_installed(), reason="nginx is not installed (apt-get install nginx)")
def test_nginx_passes_the_public_host_and_local_names_and_closes_made_up_ones():
    # A temp dir outside pytest's private one: as root, nginx's workers (www-data) must reach their folders in it.
    tmp = Path(tempfile.mkdtemp(prefix="guide-host-"))
    tmp.chmod(0o755)
    replica = subprocess.Popen([sys.executable, "-c", FAKE_REPLICA, str(port := _free_port())])
    settings = _settings(tmp, replica_ports=[port], public_url="https://ride.example.cn:8443/")
    nginx = stack.Nginx(settings)
    try:
        deadline = time.monotonic() + FAKE_START_TIMEOUT_S
        while stack.health_ok(port) is not True and time.monotonic() < deadline:
            time.sleep(0.1)
        nginx.start(wait=True)
        for host in ("ride.example.cn", "RIDE.example.cn:8443", "localhost", f"127.0.0.1:{settings.http_port}"):
            assert _status(settings.http_port, host) == 200, host
        for host in ("evil.example", "ride.example.cn.evil.example", "1.2.3.4", "localhost.evil.example"):
            assert _status(settings.http_port, host) is None, host
        closed = [line for line in (tmp / "run" / "logs" / "nginx-access.log").read_text().splitlines()
                  if '" 444 ' in line]
        assert len(closed) == 4 and all("upstream=- " in line for line in closed)  # none reached the replica
    finally:
        nginx.stop()
        replica.terminate()
        replica.wait()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.skipif(not _nginx_installed() or not shutil.which("openssl"), reason="nginx or openssl is not installed")
def test_with_tls_and_a_public_url_nginx_accepts_the_configuration(tmp_path):
    """The HTTPS default server refuses the handshake for unknown names (ssl_reject_handshake, nginx 1.19.4+)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                           str(cert), "-days", "1", "-subj", "/CN=ride.example.cn"], capture_output=True)
    assert made.returncode == 0, made.stderr
    run = Path(tempfile.mkdtemp(prefix="guide-tls-host-"))
    try:
        settings = _settings(run, replica_ports=[_free_port()], https_port=_free_port(), tls_cert=str(cert),
                             tls_key=str(key), public_url="https://ride.example.cn")
        nginx = stack.Nginx(settings)
        nginx.write_config()
        checked = subprocess.run(nginx._cmd("-t"), capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    finally:
        shutil.rmtree(run, ignore_errors=True)
