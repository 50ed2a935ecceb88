"""Run the guide for the public: PostgreSQL, N Streamlit replicas and nginx in front, with a small supervisor.

    python deploy/stack.py up        start everything in the background (what `make serve` runs), wait until it answers
    python deploy/stack.py down      stop everything this run directory started (what `make stop` runs)
    python deploy/stack.py run       the same stack in the foreground (containers, systemd, debugging); Ctrl-C stops it
    python deploy/stack.py proxy     nginx and the health watcher only, for replicas started elsewhere (systemd units)
    python deploy/stack.py replica PORT   one Streamlit replica in the foreground, secrets resolved (systemd, compose)
    python deploy/stack.py migrate   bring the database to the current schema (and seed an empty one), then exit
    python deploy/stack.py status    what is running

Settings come from the environment (deploy/README.md lists them). Secrets (GUIDE_DATABASE_URL, GUIDE_TIANDITU_KEY,
GUIDE_COOKIE_SECRET) come from the environment or, with a ``_FILE`` suffix, from a file outside the repository; the
private database's password is generated into the cluster's own folder. Only the standard library is imported here,
so the script runs before the virtual environment has the app's packages.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
#: Debian packages `up` installs when run as root and they are missing (the brotli module is optional for nginx).
APT_PACKAGES = ("nginx", "libnginx-mod-http-brotli-filter", "postgresql")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
#: Defaults of the settings (each overridable by the environment variable named in Settings.from_env).
DEFAULT_HTTP_PORT = 8080
DEFAULT_HTTPS_PORT = 8443
DEFAULT_REPLICAS = 2
DEFAULT_REPLICA_BASE_PORT = 8701
DEFAULT_PG_PORT = 5544
#: SQLAlchemy's default pool lets one replica hold up to 15 connections (5 + 10 overflow); the private cluster allows
#: that many per replica plus room for the command line, backups and psql.
CONNECTIONS_PER_REPLICA = 15
SPARE_CONNECTIONS = 20
#: How often the supervisor looks at each replica, and how long one health request may take: a replica busy with a
#: crowd answers /_stcore/health late, which must not count as dead.
HEALTH_INTERVAL_S = 2.0
HEALTH_TIMEOUT_S = 5.0
#: Consecutive failed health checks (timeouts) before a live process is taken out of the proxy; a refused connection
#: or an exited process takes it out at once.
HEALTH_FAILS_TO_DOWN = 3
#: Passive health in nginx: this many failed requests within FAIL_TIMEOUT_S take a replica out for FAIL_TIMEOUT_S.
NGINX_MAX_FAILS = 2
NGINX_FAIL_TIMEOUT_S = 10
#: A replica that keeps dying is restarted with a growing pause, up to this long.
RESTART_BACKOFF_MAX_S = 30.0
#: A cold replica imports the app and connects to the database before it answers.
REPLICA_START_TIMEOUT_S = 90.0
#: How far above a taken replica port the supervisor looks for a free one: the ports just above the default ones are
#: normally free, and a hundred taken in a row means something else is wrong, which a clear message serves better
#: than a port far away from the one configured.
PORT_SEARCH_SPAN = 100
#: How long nginx gets to listen after it is started: it retries a taken port five times, 0.5 s apart, then exits.
NGINX_LISTEN_TIMEOUT_S = 10.0
#: Memory of one replica, in MiB (systemd's MemoryHigh and MemoryMax; the systemd units and compose.yaml use the
#: same figures). Measured: about 250 MB idle and 264-280 MB with 100 visitors' sessions open at once, 0.1-0.2 MB per
#: further session (docs/performance.md, bench_load); 290 MB after a browser opened every kind of page once (here,
#: `make serve`); reading an editor's largest GPX upload adds 26-43 MB for 15-30 MB of XML. MemoryHigh, about 2.5
#: times the busiest figure, is not reached in normal use; above it the kernel reclaims and slows the replica rather
#: than killing it. MemoryMax is the hard stop for a runaway (a leak, a pathological upload): the kernel kills that
#: replica, it is restarted, and the other replicas, PostgreSQL and nginx keep their memory.
REPLICA_MEMORY_HIGH_MB = 768
REPLICA_MEMORY_MAX_MB = 1024
#: Exists when systemd is the init system (what sd_booted() checks): only then can `systemd-run` make a cgroup.
SYSTEMD_RUNTIME_DIR = Path("/run/systemd/system")
CGROUP_ROOT = Path("/sys/fs/cgroup")
#: Names the proxy answers besides GUIDE_PUBLIC_URL's host: health checks and an operator on the machine itself
#: (compose's healthcheck, curl http://127.0.0.1:8080/_stcore/health) ask for these.
LOCAL_SERVER_NAMES = ("localhost", "127.0.0.1")
#: Time a process gets to stop after SIGTERM before it is killed.
STOP_TIMEOUT_S = 15.0
#: The Content-Security-Policy the proxy sends where the app sent none: the app's own (routes/web/security.py, checked
#: in Chromium on every page) when it can be imported, else the same policy spelled out here. Only this host, plus
#: map tiles from the basemaps in routes/views/maps.py; inline scripts and styles for Streamlit's component iframes.
TILE_HOSTS = "https://tile.openstreetmap.org https://*.tile.opentopomap.org https://*.is.autonavi.com https://*.tianditu.gov.cn"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data: blob: {TILE_HOSTS}; font-src 'self' data:; connect-src 'self'; media-src 'self' data: blob:; "
    "worker-src 'self' blob:; frame-src 'self' blob: data:; frame-ancestors 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
try:
    sys.path.insert(0, str(ROOT))
    from routes.web.security import CONTENT_SECURITY_POLICY as CSP  # noqa: E402
except ImportError:  # the app's packages are not installed yet: the copy above
    pass
finally:
    sys.path.remove(str(ROOT))
#: One year: the HSTS lifetime once TLS is configured (never sent over plain HTTP, where it would be ignored anyway).
HSTS_MAX_AGE_S = 31_536_000
SECRET_VARS = ("GUIDE_DATABASE_URL", "GUIDE_TIANDITU_KEY", "GUIDE_COOKIE_SECRET")


def _replicas(n: int) -> str:
    return f"{n} replica" + ("" if n == 1 else "s")


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def read_secret(name: str) -> str:
    """``$NAME``, else the content of the file named by ``$NAME_FILE`` (Docker/systemd credentials), else ""."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = os.environ.get(name + "_FILE", "").strip()
    return Path(path).read_text().strip() if path else ""


@dataclass
class Settings:
    run_dir: Path
    pg_dir: Path
    http_port: int
    replica_ports: list[int]
    pg_port: int
    database_url: str  # "" means: run the private cluster in pg_dir
    listen_address: str = "0.0.0.0"
    server_name: str = "_"
    tls_cert: str = ""
    tls_key: str = ""
    https_port: int = DEFAULT_HTTPS_PORT
    public_url: str = ""  # GUIDE_PUBLIC_URL: "" answers any Host name, as before it existed
    replica_memory_high_mb: int = REPLICA_MEMORY_HIGH_MB  # 0: no limit
    replica_memory_max_mb: int = REPLICA_MEMORY_MAX_MB  # 0: no limit
    python: str = sys.executable
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        replicas = int(env.get("REPLICAS") or DEFAULT_REPLICAS)
        if env.get("GUIDE_REPLICA_PORTS"):
            ports = [int(p) for p in env["GUIDE_REPLICA_PORTS"].split(",") if p.strip()]
        else:
            base = int(env.get("GUIDE_REPLICA_BASE_PORT") or DEFAULT_REPLICA_BASE_PORT)
            ports = [base + i for i in range(replicas)]
        return cls(
            run_dir=Path(env.get("GUIDE_RUN_DIR") or ROOT / "data" / "run").resolve(),
            pg_dir=Path(env.get("GUIDE_PG_DIR") or ROOT / "data" / "pg").resolve(),
            http_port=int(env.get("GUIDE_HTTP_PORT") or DEFAULT_HTTP_PORT),
            replica_ports=ports,
            pg_port=int(env.get("GUIDE_PG_PORT") or DEFAULT_PG_PORT),
            database_url=read_secret("GUIDE_DATABASE_URL"),
            listen_address=env.get("GUIDE_LISTEN_ADDRESS") or "0.0.0.0",
            server_name=env.get("GUIDE_SERVER_NAME") or "_",
            tls_cert=env.get("GUIDE_TLS_CERT", ""),
            tls_key=env.get("GUIDE_TLS_KEY", ""),
            https_port=int(env.get("GUIDE_HTTPS_PORT") or DEFAULT_HTTPS_PORT),
            public_url=env.get("GUIDE_PUBLIC_URL", "").strip(),
            replica_memory_high_mb=int(env.get("GUIDE_REPLICA_MEMORY_HIGH_MB") or REPLICA_MEMORY_HIGH_MB),
            replica_memory_max_mb=int(env.get("GUIDE_REPLICA_MEMORY_MAX_MB") or REPLICA_MEMORY_MAX_MB),
            python=env.get("GUIDE_PYTHON") or _venv_python(),
        )

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert and self.tls_key)

    @property
    def server_names(self) -> str:
        """nginx's server_name. Without GUIDE_PUBLIC_URL, GUIDE_SERVER_NAME as before (default `_`; the only server
        answers every name). With it: its host, any GUIDE_SERVER_NAME aliases and the local names; every other Host
        then meets the default server, which closes the connection (render_nginx)."""
        if not self.public_url:
            return self.server_name
        names = [public_host(self.public_url)]
        names += [n for n in self.server_name.split() if n != "_"]
        names += LOCAL_SERVER_NAMES
        return " ".join(dict.fromkeys(names))

    def reserved_ports(self) -> set[int]:
        """Ports a replica must never take: the proxy's, and the private database's when it runs here."""
        ports = {self.http_port}
        if self.tls:
            ports.add(self.https_port)
        if not self.database_url:
            ports.add(self.pg_port)
        return ports


def public_host(url: str) -> str:
    """The host name nginx matches for GUIDE_PUBLIC_URL: "https://Ride.example.cn:8443/x" -> "ride.example.cn"."""
    parts = urllib.parse.urlsplit(url.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        host = parts.hostname or ""
        host = host.encode("idna").decode("ascii")  # nginx compares the Host header, which browsers send in punycode
    except (ValueError, UnicodeError) as exc:
        raise ValueError(f"GUIDE_PUBLIC_URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise ValueError(f"GUIDE_PUBLIC_URL must be the guide's address as visitors type it, like "
                         f"https://ride.example.cn; {url!r} is not")
    return f"[{host}]" if ":" in host else host




def _venv_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def is_root() -> bool:
    return os.geteuid() == 0


# --- packages ------------------------------------------------------------------------------------------------------


def ensure_packages(*, need_postgres: bool) -> None:
    """Install the Debian packages that are missing, when running as root (as .ci/run does); otherwise say what to
    install."""
    missing = []
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    if not BROTLI_MODULE.exists():
        missing.append("libnginx-mod-http-brotli-filter")
    if need_postgres and not pg_bin_dir():
        missing.append("postgresql")
    if not missing:
        return
    if is_root() and shutil.which("apt-get"):
        log(f"installing {' '.join(missing)} from Debian's packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)
        return
    hard = [m for m in missing if m != "libnginx-mod-http-brotli-filter"]
    if hard:
        sys.exit(f"missing: {' '.join(hard)} (as root: apt-get install {' '.join(missing)})")
    log("no brotli module for nginx: gzip only (apt-get install libnginx-mod-http-brotli-filter adds it)")


def nginx_bin() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


# --- PostgreSQL: a private cluster under data/pg when no GUIDE_DATABASE_URL is given ---------------------------------


def pg_bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def _as_postgres(cmd: list[str], *, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user."""
    if is_root():
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=check, **kw)


class PrivatePostgres:
    """One PostgreSQL cluster in ``pg_dir`` on a loopback port, password-protected; the password never leaves it."""

    def __init__(self, settings: Settings) -> None:
        self.dir = settings.pg_dir
        self.port = settings.pg_port
        self.cluster = self.dir / "cluster"
        self.password_file = self.dir / "password"
        self.max_connections = max(100, CONNECTIONS_PER_REPLICA * len(settings.replica_ports) + SPARE_CONNECTIONS)
        self.bin = pg_bin_dir()
        if self.bin is None:
            sys.exit("PostgreSQL is not installed (apt-get install postgresql), and GUIDE_DATABASE_URL is not set")

    def url(self) -> str:
        password = self.password_file.read_text().strip()
        return f"postgresql+psycopg://guide:{password}@127.0.0.1:{self.port}/guide"

    def _prepare(self) -> None:
        if (self.cluster / "PG_VERSION").exists():
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        self.password_file.write_text(secrets.token_urlsafe(24) + "\n")
        os.chmod(self.password_file, 0o600)
        if is_root():
            pg = pwd.getpwnam("postgres")
            for p in (self.dir, self.password_file):
                os.chown(p, pg.pw_uid, pg.pw_gid)
        log(f"creating the PostgreSQL cluster in {self.cluster}")
        _as_postgres([
            str(self.bin / "initdb"), "-D", str(self.cluster), "-U", "guide", f"--pwfile={self.password_file}",
            "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        ], stdout=subprocess.DEVNULL)

    def running(self) -> bool:
        if not (self.cluster / "PG_VERSION").exists():
            return False
        return _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.cluster), "status"], check=False,
                            capture_output=True).returncode == 0

    def start(self) -> None:
        self._prepare()
        if not self.running():
            log(f"starting PostgreSQL on 127.0.0.1:{self.port}")
            opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections={self.max_connections}"
            _as_postgres([
                str(self.bin / "pg_ctl"), "-D", str(self.cluster), "-l", str(self.dir / "postgresql.log"), "-w",
                "-o", opts, "start",
            ], stdout=subprocess.DEVNULL)
        self._create_database()

    def _create_database(self) -> None:
        env = {**os.environ, "PGPASSWORD": self.password_file.read_text().strip()}
        psql = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "guide", "-d", "postgres", "-tAq"]
        have = subprocess.run([*psql, "-c", "SELECT 1 FROM pg_database WHERE datname = 'guide'"], env=env,
                              capture_output=True, text=True, check=True).stdout.strip()
        if have != "1":
            subprocess.run([*psql, "-c", "CREATE DATABASE guide"], env=env, check=True)

    def pid(self) -> int | None:
        pidfile = self.cluster / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.running():
            log("stopping PostgreSQL")
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.cluster), "-m", "fast", "-w", "stop"],
                         stdout=subprocess.DEVNULL)


# --- ports: checked before anything listens, so a taken port is a message and not a replica restarting forever ------


class PortError(RuntimeError):
    """A port the stack needs cannot be used; the message names it and says what to do."""


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on TCP `port` (any address, IPv4 and IPv6), from /proc/net."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            f = row.split()
            if len(f) > 9 and f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f[9])
    return inodes


def _socket_inodes(pid: int) -> set[str] | None:
    """The socket inodes a process holds; None when its descriptors cannot be read (another user's, or gone)."""
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return None
    inodes = set()
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def port_holder(port: int) -> str:
    """Who listens on `port`, as "nginx (pid 812)", when /proc tells (every process's as root, only one's own
    otherwise); "" when it does not."""
    inodes = _listening_inodes(port)
    if not inodes:
        return ""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (_socket_inodes(int(entry.name)) or set()) & inodes:
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                name = "a process"
            return f"{name} (pid {entry.name})"
    return ""


def owns_port(pid: int, port: int) -> bool | None:
    """Whether process `pid` is the one listening on `port` (so a health answer there is its own, not from another
    program that holds the port); None when /proc cannot tell."""
    mine = _socket_inodes(pid)
    if mine is None:
        return None
    return bool(mine & _listening_inodes(port))


def port_problem(port: int, address: str = "127.0.0.1") -> str | None:
    """None when a server could listen on address:port now, else why not: "in use by nginx (pid 812)", or "not
    usable (Permission denied)" (below 1024 without root; an address this machine does not have is another). The test
    binds as nginx and Tornado do, with SO_REUSEADDR, so connections of an earlier run still in TIME_WAIT do not
    count as taken while a program listening on the port, on this address or on all of them, does."""
    host = address.strip("[]")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return "in use by " + (port_holder(port) or "another program")
        return f"not usable ({exc.strerror or exc})"
    return None


def check_proxy_ports(settings: Settings) -> None:
    """The proxy's ports must be free: a proxy on another port than the one asked for would be a guide nobody finds,
    so a taken one stops the start with a message naming it and what to do."""
    wanted = [(settings.http_port, "GUIDE_HTTP_PORT")]
    if settings.tls:
        wanted.append((settings.https_port, "GUIDE_HTTPS_PORT"))
    for port, var in wanted:
        problem = port_problem(port, settings.listen_address)
        if problem is None:
            continue
        suggestion = next((p for p in range(port + 1, port + PORT_SEARCH_SPAN)
                           if p not in settings.reserved_ports() and port_problem(p, settings.listen_address) is None),
                          None)
        other = f"{var}={suggestion} make serve" if suggestion else f"another {var}"
        todo = ("Stop that program (`make stop` if it is a guide started earlier from this checkout), or choose "
                "another port" if problem.startswith("in use") else "Choose another port")
        raise PortError(f"the proxy cannot listen on {settings.listen_address}:{port} ({var}): port {port} is "
                        f"{problem}. {todo}: {other}")


def check_database_port(settings: Settings) -> None:
    """The private cluster's port must be free unless that cluster is what holds it (left running by a killed run)."""
    if settings.database_url or not pg_bin_dir() or PrivatePostgres(settings).running():
        return
    problem = port_problem(settings.pg_port)
    if problem:
        raise PortError(f"the private PostgreSQL cannot listen on 127.0.0.1:{settings.pg_port} (GUIDE_PG_PORT): "
                        f"{problem}. Choose another port, e.g. GUIDE_PG_PORT={settings.pg_port + 1} make serve, "
                        f"or give your own database in GUIDE_DATABASE_URL")


def replica_port(port: int, avoid: set[int], address: str = "127.0.0.1") -> tuple[int, str]:
    """The port a replica configured for `port` uses now: `port` when it is free, else the next free one above it,
    skipping `avoid` (the proxy's, the database's and the other replicas' ports). The note says what happened, for
    the log and `make serve`'s report ("" when nothing moved); nginx's replica list is written from the ports
    chosen here. PortError when none of the next PORT_SEARCH_SPAN ports is free."""
    reserved = "reserved for the proxy, the database or another replica"
    problem = reserved if port in avoid else port_problem(port, address)
    if problem is None:
        return port, ""
    for candidate in range(port + 1, min(port + PORT_SEARCH_SPAN, 65536)):
        if candidate not in avoid and port_problem(candidate, address) is None:
            return candidate, f"port {port} is {problem}: the replica uses {candidate} instead"
    raise PortError(f"port {port} is {problem}, and none of the next {PORT_SEARCH_SPAN - 1} ports is free: set "
                    f"GUIDE_REPLICA_BASE_PORT (or GUIDE_REPLICA_PORTS) to free ports")


def replica_summary(up: int, total: int, problems: list[str]) -> str:
    """What `make serve` reports: "2 of 2 replicas up", "1 of 2 replicas up: replica 2 on :8602 did not answer"."""
    text = f"{up} of {_replicas(total)} up"
    return text + (": " + "; ".join(problems) if problems else "")


# --- nginx ---------------------------------------------------------------------------------------------------------


def _indent(lines: list[str], pad: str = "    ") -> str:
    return "\n".join(pad + line for line in lines)


def default_servers(settings: Settings) -> str:
    """With GUIDE_PUBLIC_URL, a default server on each of the proxy's ports that closes the connection without an
    answer (nginx's 444) for every Host name not in server_name: scanners and pages of other sites (DNS rebinding)
    asking for made-up names never reach the app, and no page, cached or not, is ever made for such a name. Without
    GUIDE_PUBLIC_URL there is none, and the guide's own server answers every name, as before."""
    if not settings.public_url:
        return ""
    lines = [
        "    # Any Host name not listed in the guide's server_name: closed without an answer, never passed to the app.",
        "    server {",
        f"        listen {settings.listen_address}:{settings.http_port} default_server;",
        "        server_name _;",
        "        return 444;",
        "    }",
    ]
    if settings.tls:
        # No certificate is shown to a name that is not the guide's: the TLS handshake itself is refused.
        lines += [
            "    server {",
            f"        listen {settings.listen_address}:{settings.https_port} ssl default_server;",
            "        server_name _;",
            "        ssl_reject_handshake on;",
            "        return 444;",
            "    }",
        ]
    return "\n".join(lines)


def render_nginx(settings: Settings) -> dict[str, str]:
    """The rendered nginx.conf and locations.conf (upstreams.conf is written by the supervisor)."""
    run = settings.run_dir
    headers = [
        "add_header X-Frame-Options $guide_xfo always;",
        "add_header X-Content-Type-Options $guide_xcto always;",
        "add_header Referrer-Policy $guide_referrer always;",
        "add_header Permissions-Policy $guide_permissions always;",
        "add_header Content-Security-Policy $guide_csp always;",
        "add_header Set-Cookie $guide_affinity_cookie;",
    ]
    if settings.tls:
        headers.append(f'add_header Strict-Transport-Security "max-age={HSTS_MAX_AGE_S}" always;')
    upstream_headers = [
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Real-IP $remote_addr;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        'proxy_set_header Accept-Encoding "";',
        # The replicas' own "Vary: Accept-Encoding" (for a one-machine install without this proxy) would stand next to
        # the one gzip_vary adds here; behind the proxy the compression, and so the Vary, is the proxy's alone.
        "proxy_hide_header Vary;",
    ]
    brotli = ""
    modules = ""
    if BROTLI_MODULE.exists():
        modules = f"load_module {BROTLI_MODULE};"
        brotli = _indent([
            "# Brotli (Debian's libnginx-mod-http-brotli-filter) where the browser offers it; gzip otherwise.",
            "brotli on;",
            "brotli_comp_level 5;",
            "brotli_min_length 500;",
            "brotli_types text/plain text/css text/xml text/javascript application/javascript application/json",
            "             application/xml application/gpx+xml application/vnd.garmin.tcx+xml application/geo+json",
            "             image/svg+xml font/ttf application/x-font-ttf application/wasm;",
        ])
    tls_server = tls_redirect = ""
    if settings.tls:
        tls_redirect = _indent(["return 301 https://$host:" + str(settings.https_port) + "$request_uri;"], " " * 8)
        tls_server = "\n".join([
            "    server {",
            f"        listen {settings.listen_address}:{settings.https_port} ssl;",
            f"        server_name {settings.server_names};",
            f"        ssl_certificate {settings.tls_cert};",
            f"        ssl_certificate_key {settings.tls_key};",
            "        ssl_protocols TLSv1.2 TLSv1.3;",
            f"        include {run}/nginx/locations.conf;",
            "    }",
        ])
    values = {
        "RUN_DIR": str(run),
        "LOAD_MODULES": modules,
        "USER_LINE": "user www-data;" if is_root() else "",
        "BROTLI": brotli,
        "COOKIE_SECURE": "; Secure" if settings.tls else "",
        "CSP": CSP,
        "LISTEN_ADDRESS": settings.listen_address,
        "HTTP_PORT": str(settings.http_port),
        "SERVER_NAME": settings.server_names,
        "DEFAULT_SERVERS": default_servers(settings),
        "TLS_REDIRECT": tls_redirect,
        "TLS_SERVER": tls_server,
    }
    loc_values = {"HEADERS": _indent(headers), "UPSTREAM_HEADERS": _indent(upstream_headers)}

    def fill(text: str, vals: dict[str, str]) -> str:
        for k, v in vals.items():
            text = text.replace("{{" + k + "}}", v)
        if "{{" in text:
            raise ValueError("unfilled placeholder in nginx template: " + text[text.index("{{"):][:40])
        return text

    return {
        "nginx.conf": fill((DEPLOY / "nginx.conf.template").read_text(), values),
        "locations.conf": fill((DEPLOY / "nginx-locations.conf.template").read_text(), loc_values),
    }


def upstreams_conf(ports: list[int], down: set[int]) -> str:
    lines = ["# Written by deploy/stack.py: one line per replica; `down` while its health check fails."]
    for port in ports:
        mark = " down" if port in down else ""
        lines.append(f"server 127.0.0.1:{port} max_fails={NGINX_MAX_FAILS} fail_timeout={NGINX_FAIL_TIMEOUT_S}s{mark};")
    return "\n".join(lines) + "\n"


class Nginx:
    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.dir = settings.run_dir / "nginx"
        self.conf = self.dir / "nginx.conf"
        self.proc: subprocess.Popen | None = None
        self.down: set[int] = set()
        self.ports: list[int] = []  # the replica ports upstreams.conf was last written with

    def write_config(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.s.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        for name, text in render_nginx(self.s).items():
            (self.dir / name).write_text(text)
        self._write_upstreams()
        if is_root():
            # Workers run as www-data and write the bundle cache and temp files here; the run directory itself
            # must be traversable (a private temp dir is not, by default).
            www = pwd.getpwnam("www-data")
            for sub in ("cache", "shell", "client_body", "proxy"):
                (self.dir / sub).mkdir(exist_ok=True)
                os.chown(self.dir / sub, www.pw_uid, www.pw_gid)
            for p in (self.s.run_dir, self.dir):
                os.chmod(p, 0o755)

    def _cmd(self, *extra: str) -> list[str]:
        return [nginx_bin(), "-p", str(self.dir), "-c", str(self.conf), "-e", str(self.s.run_dir / "logs" / "nginx-error.log"), *extra]

    def _write_upstreams(self) -> None:
        self.ports = list(self.s.replica_ports)
        (self.dir / "upstreams.conf").write_text(upstreams_conf(self.ports, self.down))

    def start(self, *, wait: bool = False) -> None:
        """Start nginx; with `wait`, return only once it listens (RuntimeError if it exits instead: a port taken
        since the check, a certificate it cannot read)."""
        self.write_config()
        subprocess.run(self._cmd("-t", "-q"), check=True)
        log(f"starting nginx on {self.s.listen_address}:{self.s.http_port}")
        self.proc = subprocess.Popen(self._cmd("-g", "daemon off;"), stdin=subprocess.DEVNULL)
        if not wait:
            return
        host = self.s.listen_address.strip("[]")
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # a wildcard listener answers on loopback
        deadline = time.monotonic() + NGINX_LISTEN_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode} instead of listening on "
                                   f"{self.s.listen_address}:{self.s.http_port}; see "
                                   f"{self.s.run_dir / 'logs' / 'nginx-error.log'}")
            try:
                socket.create_connection((host, self.s.http_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"nginx did not listen on {self.s.listen_address}:{self.s.http_port} within "
                           f"{NGINX_LISTEN_TIMEOUT_S:.0f} s")

    def set_down(self, down: set[int]) -> None:
        """Rewrite the replica list and reload: new workers use it, open WebSockets stay where they are. Also after a
        replica moved to another port (Replicas._spawn)."""
        if down == self.down and self.s.replica_ports == self.ports:
            return
        self.down = set(down)
        self._write_upstreams()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGHUP)
        log(f"proxy replica set: up {sorted(set(self.s.replica_ports) - self.down)}, down {sorted(self.down)}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            log("stopping nginx")
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- replicas ------------------------------------------------------------------------------------------------------


def cookie_secret(settings: Settings) -> str:
    """GUIDE_COOKIE_SECRET(_FILE), else one generated once into the run directory (readable by its owner only)."""
    value = read_secret("GUIDE_COOKIE_SECRET") or os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET", "")
    if value:
        return value
    path = settings.run_dir / "cookie-secret"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        os.chmod(path, 0o600)
    return path.read_text().strip()


def replica_env(settings: Settings, database_url: str) -> dict[str, str]:
    env = {**os.environ, "GUIDE_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    for name in SECRET_VARS[1:]:
        value = read_secret(name)
        if value:
            env[name] = value
    # Every replica signs cookies with the same secret, so a cookie one replica set is valid on another.
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(settings)
    # The address visitors use (canonical links, og: tags, share links, QR codes): the same on every replica, and
    # never taken from a Host header.
    if settings.public_url:
        env["GUIDE_PUBLIC_URL"] = settings.public_url
    else:
        env.pop("GUIDE_PUBLIC_URL", None)  # an empty one would only be a second spelling of "unset"
    return env


def replica_command(settings: Settings, port: int, *, address: str = "127.0.0.1") -> list[str]:
    return [
        settings.python, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]


def memory_limit(settings: Settings, *, systemd_dir: Path = SYSTEMD_RUNTIME_DIR,
                 cgroup_root: Path = CGROUP_ROOT) -> tuple[list[str], str]:
    """The command prefix that starts a replica in its own cgroup with MemoryHigh/MemoryMax (a transient systemd
    scope: `systemd-run --scope` execs the command, so the supervisor's pid is the replica's), and a line for the log.
    Only a cgroup limits a Python process fairly: RLIMIT_AS (ulimit -v, prlimit) counts address space, which the
    threads' stacks and the libraries' mappings fill long before memory is used, so a replica would fail to start
    threads while far from any real limit. Without systemd (a container, a plain shell) the prefix is empty and the
    line says where the limit is set instead."""
    high, limit = settings.replica_memory_high_mb, settings.replica_memory_max_mb
    if not limit:
        return [], "no memory limit per replica (GUIDE_REPLICA_MEMORY_MAX_MB=0)"
    elsewhere = "the systemd units and compose.yaml set one (deploy/README.md)"
    if not systemd_dir.is_dir() or not shutil.which("systemd-run"):
        return [], f"no memory limit per replica: systemd is not running here; {elsewhere}"
    uid = os.geteuid()
    # MemoryMax needs the unified cgroup hierarchy, and for a user's own scope the memory controller delegated to
    # that user's systemd: without them systemd-run succeeds and silently limits nothing.
    controllers = cgroup_root / ("cgroup.controllers" if uid == 0 else
                                 f"user.slice/user-{uid}.slice/user@{uid}.service/cgroup.controllers")
    try:
        delegated = "memory" in controllers.read_text().split()
    except OSError:
        delegated = False
    if not delegated:
        return [], f"no memory limit per replica: no cgroup v2 memory controller for this user; {elsewhere}"
    prefix = ["systemd-run", *([] if uid == 0 else ["--user"]), "--scope", "--quiet", "--collect",
              "-p", f"MemoryMax={limit}M", *(["-p", f"MemoryHigh={high}M"] if high else [])]
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or [f"exit {probe.returncode}"])[-1]
        return [], f"no memory limit per replica: systemd-run failed ({reason}); {elsewhere}"
    note = f"each replica in its own systemd scope: MemoryMax={limit}M" + (f", MemoryHigh={high}M" if high else "")
    return prefix, note


def health_ok(port: int) -> bool | None:
    """True healthy, False refused (nothing listens), None no answer in time (busy or hung)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=HEALTH_TIMEOUT_S) as resp:
            return resp.status == 200
    except ConnectionRefusedError:
        return False
    except OSError as exc:
        if isinstance(getattr(exc, "reason", None), ConnectionRefusedError):
            return False
        return None


@dataclass
class Replica:
    number: int  # 1, 2, ...: how the report names it ("replica 2 on :8702")
    port: int
    proc: subprocess.Popen | None = None
    restarts: int = 0
    fails: int = 0
    healthy: bool = False
    next_start: float = 0.0
    started_at: float = 0.0


class Replicas:
    def __init__(self, settings: Settings, env: dict[str, str]) -> None:
        self.s = settings
        self.env = env
        self.items = [Replica(i + 1, p) for i, p in enumerate(settings.replica_ports)]
        self.notes: list[str] = []  # what `make serve` reports besides the count: ports moved, the memory limit
        (settings.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.memory_prefix, memory_note = memory_limit(settings)
        log(memory_note)
        self.notes.append(memory_note)

    def logfile(self, r: Replica) -> Path:
        return self.s.run_dir / "logs" / f"replica-{r.port}.log"

    def _spawn(self, r: Replica) -> None:
        # The port is checked at every start, not only the first: a program may have taken it while the replica was
        # down, and a replica that cannot bind would otherwise be restarted forever while another program answers.
        avoid = self.s.reserved_ports() | {o.port for o in self.items if o is not r}
        try:
            port, moved = replica_port(r.port, avoid)
        except PortError as exc:
            log(f"replica {r.number}: {exc}; trying again in {RESTART_BACKOFF_MAX_S:.0f} s")
            r.next_start = time.monotonic() + RESTART_BACKOFF_MAX_S
            return
        if moved:
            note = f"replica {r.number}: {moved}"
            log(note)
            self.notes.append(note)
            r.port = self.s.replica_ports[r.number - 1] = port  # nginx's list follows (Nginx.set_down)
        prefix = self.memory_prefix and [*self.memory_prefix, f"--description=guide replica {r.number} on :{r.port}"]
        with self.logfile(r).open("ab") as logfile:
            r.proc = subprocess.Popen(
                [*prefix, *replica_command(self.s, r.port)],
                cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        r.started_at = time.monotonic()
        r.fails = 0
        log(f"replica {r.number} on :{r.port} started (pid {r.proc.pid})")

    def _answers(self, r: Replica) -> bool:
        """Its health endpoint answers, and the answer is its own: a program holding the port answers too, until
        the replica fails to bind it and exits."""
        return health_ok(r.port) is True and owns_port(r.proc.pid, r.port) is not False

    def start_all(self) -> list[str]:
        """Start every replica and wait until each answers /_stcore/health, exits, or REPLICA_START_TIMEOUT_S
        passes; returns a line for each one that is not up. The supervisor restarts those afterwards."""
        for r in self.items:
            self._spawn(r)
        deadline = time.monotonic() + REPLICA_START_TIMEOUT_S
        while True:
            pending = [r for r in self.items if r.proc and r.proc.poll() is None and not r.healthy]
            for r in pending:
                r.healthy = self._answers(r)
            if all(r.healthy for r in pending) or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        problems = []
        for r in self.items:
            where = f"replica {r.number} on :{r.port}"
            if r.proc is None:
                problems.append(f"{where} was not started (no free port)")
            elif r.proc.poll() is not None:
                r.healthy = False
                taken = port_problem(r.port)
                because = f" (the port is {taken})" if taken else ""
                problems.append(f"{where} exited with {r.proc.returncode}{because}; see {self.logfile(r)}")
            elif not r.healthy:
                problems.append(f"{where} did not answer /_stcore/health within {REPLICA_START_TIMEOUT_S:.0f} s")
        return problems

    def check(self) -> set[int]:
        """One supervision round: restart dead replicas, probe live ones; returns the ports to keep out of the proxy."""
        now = time.monotonic()
        for r in self.items:
            if r.proc is not None and r.proc.poll() is not None:
                log(f"replica {r.number} on :{r.port} exited with {r.proc.returncode}")
                r.proc, r.healthy = None, False
                pause = min(RESTART_BACKOFF_MAX_S, 2.0**r.restarts) if now - r.started_at < 60 else 0.0
                r.next_start = now + pause
            if r.proc is None:
                if now >= r.next_start:
                    r.restarts += 1
                    self._spawn(r)
                continue
            state = health_ok(r.port)
            if state is True:
                r.fails, r.healthy = 0, True
            elif state is False and now - r.started_at > 1.0:
                r.fails, r.healthy = HEALTH_FAILS_TO_DOWN, False
            else:
                r.fails += 1
                if r.fails >= HEALTH_FAILS_TO_DOWN:
                    r.healthy = False
        return {r.port for r in self.items if not r.healthy}

    def stop(self) -> None:
        live = [r for r in self.items if r.proc and r.proc.poll() is None]
        for r in live:
            r.proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for r in live:
            try:
                r.proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                r.proc.kill()
                r.proc.wait()
        if live:
            log(f"stopped {len(live)} replica(s)")


# --- the supervisor ------------------------------------------------------------------------------------------------


def migrate(settings: Settings, database_url: str) -> None:
    """Migrations and first seeding run once, here, before any replica starts (replicas then find the work done)."""
    log("applying database migrations")
    code = "from routes.store import open_store; open_store()"
    subprocess.run([settings.python, "-c", code], cwd=ROOT, env={**os.environ, "GUIDE_DATABASE_URL": database_url},
                   check=True)


class Stack:
    def __init__(self, settings: Settings, *, with_replicas: bool = True) -> None:
        self.s = settings
        self.with_replicas = with_replicas
        self.pg: PrivatePostgres | None = None
        self.nginx = Nginx(settings)
        self.replicas: Replicas | None = None
        self.stopping = False
        self.summary = ""  # "2 of 2 replicas up", as the start found it
        self.error = ""

    def status_path(self) -> Path:
        return self.s.run_dir / "status.json"

    def write_status(self, state: str) -> None:
        data = {
            "state": state,
            "supervisor_pid": os.getpid(),
            "http_port": self.s.http_port,
            "nginx_pid": self.nginx.proc.pid if self.nginx.proc else None,
            "postgres_pid": self.pg.pid() if self.pg else None,
            "replicas": [
                {"port": r.port, "pid": r.proc.pid if r.proc else None, "healthy": r.healthy, "restarts": r.restarts}
                for r in (self.replicas.items if self.replicas else [])
            ],
            "down": sorted(self.nginx.down),
            "summary": self.summary,
            "notes": self.replicas.notes if self.replicas else [],
            "public_url": self.s.public_url,
            "error": self.error,
        }
        tmp = self.status_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        tmp.replace(self.status_path())

    def _on_signal(self, signum, frame) -> None:  # noqa: ANN001 - signal handler signature
        self.stopping = True

    def run(self) -> int:
        self.s.run_dir.mkdir(parents=True, exist_ok=True)
        (self.s.run_dir / "stack.pid").write_text(str(os.getpid()))
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            check_proxy_ports(self.s)
            if self.with_replicas:
                url = self.s.database_url
                if not url:
                    check_database_port(self.s)
                    self.pg = PrivatePostgres(self.s)
                    self.pg.start()
                    url = self.pg.url()
                migrate(self.s, url)
                self.replicas = Replicas(self.s, replica_env(self.s, url))
                self.write_status("starting")
                problems = self.replicas.start_all()
                up = sum(r.healthy for r in self.replicas.items)
                self.summary = replica_summary(up, len(self.replicas.items), problems)
                log(self.summary)
                if not up:
                    raise RuntimeError(f"no replica is up: {'; '.join(problems)}")
                # The others stay out of the proxy until they answer (the loop below restarts them).
                self.nginx.down = {r.port for r in self.replicas.items if not r.healthy}
            self.nginx.start(wait=True)
            self.write_status("ready")
            address = f" (visitors: {self.s.public_url})" if self.s.public_url else ""
            log(f"the guide is at http://127.0.0.1:{self.s.http_port}/{address}"
                + (f": {self.summary}" if self.summary else ""))
            while not self.stopping:
                time.sleep(HEALTH_INTERVAL_S)
                if self.stopping:
                    break
                if self.nginx.proc.poll() is not None:
                    log(f"nginx exited with {self.nginx.proc.returncode}; starting it again")
                    self.nginx.start()
                if self.replicas:
                    down = self.replicas.check()
                else:
                    down = {p for p in self.s.replica_ports if health_ok(p) is not True}
                # Never take every replica out: with all of them down nginx would answer 502 to everyone, while its
                # passive check can still reach one that is merely slow.
                if down == set(self.s.replica_ports):
                    down = set()
                self.nginx.set_down(down)
                self.write_status("ready")
        except Exception as exc:  # noqa: BLE001 - report, then stop what was started
            log(f"error: {exc}")
            self.error = str(exc)
            self.write_status("failed")
            self.shutdown()
            return 1
        self.shutdown()
        return 0

    def shutdown(self) -> None:
        self.write_status("stopping")
        self.nginx.stop()
        if self.replicas:
            self.replicas.stop()
        if self.pg:
            self.pg.stop()
        self.write_status("stopped")
        (self.s.run_dir / "stack.pid").unlink(missing_ok=True)
        log("stopped")


# --- commands ------------------------------------------------------------------------------------------------------


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def read_status(settings: Settings) -> dict:
    try:
        return json.loads((settings.run_dir / "status.json").read_text())
    except (OSError, ValueError):
        return {}


def supervisor_pid(settings: Settings) -> int | None:
    try:
        pid = int((settings.run_dir / "stack.pid").read_text())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def cmd_up(settings: Settings, *, timeout_s: float) -> int:
    if supervisor_pid(settings):
        print(f"already running (run directory {settings.run_dir}); `make stop` first")
        return 1
    ensure_packages(need_postgres=not settings.database_url)
    # Here too, not only in the supervisor: a taken port is then one line on the terminal, not a log to read.
    try:
        check_proxy_ports(settings)
        check_database_port(settings)
    except PortError as exc:
        print(f"not started: {exc}", file=sys.stderr)
        return 1
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    (settings.run_dir / "status.json").unlink(missing_ok=True)
    logf = (settings.run_dir / "stack.log").open("ab")
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "run"], stdout=logf, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + timeout_s
    status: dict = {}
    while time.monotonic() < deadline:
        status = read_status(settings)
        if status.get("state") == "ready":
            public = f" (visitors: {settings.public_url})" if settings.public_url else ""
            print(f"the guide is at http://127.0.0.1:{settings.http_port}/{public} — {status.get('summary')}; "
                  f"logs in {settings.run_dir / 'logs'}; `make stop` stops it")
            for note in status.get("notes", []):
                print("  " + note)
            return 0
        if proc.poll() is not None or status.get("state") in ("failed", "stopped"):
            break
        time.sleep(0.5)
    print(f"the stack did not come up: {status.get('error') or 'see the log'}", file=sys.stderr)
    print(f"the end of {settings.run_dir / 'stack.log'}:", file=sys.stderr)
    print((settings.run_dir / "stack.log").read_text(errors="replace")[-3000:], file=sys.stderr)
    if proc.poll() is None:
        proc.terminate()
        proc.wait(60)
    return 1


def _reap_orphans(settings: Settings) -> bool:
    """After a supervisor that was killed outright: stop what its last status lists as still running."""
    status = read_status(settings)
    pids = [r.get("pid") for r in status.get("replicas", [])] + [status.get("nginx_pid")]
    # Only our own processes: a pid from an old status file may belong to something else by now.
    live = [p for p in pids if _pid_alive(p) and _cmdline(p) and ("streamlit" in _cmdline(p) or "nginx" in _cmdline(p))]
    for p in live:
        os.kill(p, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and any(_pid_alive(p) for p in live):
        time.sleep(0.2)
    for p in live:
        if _pid_alive(p):
            os.kill(p, signal.SIGKILL)
    stopped_pg = False
    if not settings.database_url and pg_bin_dir() and _pid_alive(status.get("postgres_pid")):
        PrivatePostgres(settings).stop()
        stopped_pg = True
    return bool(live) or stopped_pg


def cmd_down(settings: Settings) -> int:
    pid = supervisor_pid(settings)
    if pid is None:
        print("stopped what a killed supervisor left running" if _reap_orphans(settings) else "not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 4 * STOP_TIMEOUT_S
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.2)
    if _pid_alive(pid):
        print("the supervisor did not stop in time; killing it", file=sys.stderr)
        os.kill(pid, signal.SIGKILL)
        return 1
    print("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("up", "down", "run", "proxy", "replica", "migrate", "status", "render"))
    parser.add_argument("port", nargs="?", type=int, help="the replica's port (replica only)")
    parser.add_argument("--address", default="127.0.0.1", help="the replica's address (replica only; 0.0.0.0 in a "
                        "container, where the proxy is another container)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds `up` waits for the stack to answer")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if settings.public_url and args.command in ("up", "run", "proxy", "replica", "render"):
        try:
            public_host(settings.public_url)  # a mistyped address: a message now, not a config nginx refuses later
        except ValueError as exc:
            print(f"not started: {exc}", file=sys.stderr)
            return 2
    if args.command == "up":
        return cmd_up(settings, timeout_s=args.timeout)
    if args.command == "down":
        return cmd_down(settings)
    if args.command == "run":
        ensure_packages(need_postgres=not settings.database_url)
        return Stack(settings).run()
    if args.command == "proxy":
        return Stack(settings, with_replicas=False).run()
    if args.command == "replica":
        if not args.port or not settings.database_url:
            parser.error("replica needs PORT and GUIDE_DATABASE_URL (or GUIDE_DATABASE_URL_FILE)")
        problem = port_problem(args.port, args.address)
        if problem:
            # systemd restarts the unit; its journal then says why, instead of Streamlit's start-up noise.
            print(f"replica not started: port {args.port} is {problem}; free it, or use another port (the unit "
                  f"instance and GUIDE_REPLICA_PORTS)", file=sys.stderr)
            return 1
        settings.run_dir.mkdir(parents=True, exist_ok=True)
        env = replica_env(settings, settings.database_url)
        os.chdir(ROOT)
        os.execvpe(settings.python, replica_command(settings, args.port, address=args.address), env)
    if args.command == "migrate":
        if settings.database_url:
            migrate(settings, settings.database_url)
        else:
            pg = PrivatePostgres(settings)
            was_running = pg.running()
            pg.start()
            try:
                migrate(settings, pg.url())
            finally:
                if not was_running:
                    pg.stop()
        return 0
    if args.command == "render":
        for name, text in render_nginx(settings).items():
            print(f"# ---- {name}\n{text}")
        return 0
    status = read_status(settings)
    status["running"] = supervisor_pid(settings) is not None
    print(json.dumps(status, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
