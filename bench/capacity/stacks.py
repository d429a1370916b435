"""The two configurations the capacity benchmark runs, started and stopped from Python.

embedded: the README's default — SQLite in a file, the local-memory cache, one gunicorn.
production: deploy.md's — PostgreSQL and Redis, two gunicorn app servers behind nginx, all on this
    machine. It never touches the machine's own PostgreSQL (5432) or Redis (6379): it makes its
    own PostgreSQL cluster `capacity` on port 5434 (pg_createcluster, trust on loopback as
    Debian's default cluster) and its own redis-server on 6390, so that the fault drill may
    restart and stop them.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEDULE = ROOT.parent / "shared" / "data" / "schedules" / "36c3_merged.xml"
if not SCHEDULE.exists():
    SCHEDULE = Path("/work/shared/data/schedules/36c3_merged.xml")
PG_VERSION, PG_CLUSTER, PG_PORT, REDIS_PORT = "15", "capacity", 5434, 6390


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


class Stack:
    """Settings, the database, the app servers; base is the address Locust talks to."""

    def __init__(self, work: Path, gunicorn_flags: list[str], media_root: Path | None = None):
        self.work = work
        self.flags = gunicorn_flags
        self.servers: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self.nginx: Path | None = None
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": str(media_root or work / "media"),
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
        }

    def manage(self, *args, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, **kwargs)  # fmt: skip

    def prepare(self, users: int, roster: Path, schedule=SCHEDULE, slug="36c3") -> None:
        self.manage("migrate", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.setup(users, roster, schedule, slug)

    def setup(self, users: int, roster: Path, schedule=SCHEDULE, slug="36c3") -> None:
        """The attendees (made once), with new sessions and their notes as stored now."""
        self.manage("capacity_setup", "--users", str(users), "--roster", str(roster),
                    "--schedule", str(schedule), "--conference", slug,
                    stdout=subprocess.DEVNULL)  # fmt: skip

    def start_app(self, port: int) -> subprocess.Popen:
        log = self.work / f"gunicorn-{port}.log"
        with open(log, "ab") as stderr:  # Django's own error log too (its console handler)
            process = self.popen_app(port, log, stderr)
        wait_for(f"http://127.0.0.1:{port}/robots.txt")
        return process

    def popen_app(self, port, log, stderr) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             *self.flags, "--no-control-socket", "--access-logfile", "/dev/null",
             "--error-logfile", str(log)],
            cwd=ROOT, env=self.env, start_new_session=True,
            stderr=stderr,
        )  # fmt: skip

    def worker_pids(self) -> list[int]:
        """Every gunicorn worker of every app server (children of each master)."""
        pids = []
        for server in self.servers:
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
            if children.exists():
                pids += [int(pid) for pid in children.read_text().split()]
        return pids

    def serve(self, ports: list[int], proxied: bool) -> str:
        """Start the app servers on these ports, behind nginx when proxied; returns the address
        Locust talks to."""
        self.ports = ports
        if not proxied:
            self.servers = [self.start_app(port) for port in ports]
            return f"http://127.0.0.1:{ports[0]}"
        proxy_port = free_port()
        # The site's own origin, as deploy.md sets it: the page cache keeps only pages asked for
        # under the site's names, and behind nginx the port in Host is nginx's, not gunicorn's.
        self.env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{proxy_port}"
        self.env["TRUSTED_PROXY_COUNT"] = "1"
        self.servers = [self.start_app(port) for port in ports]
        base = start_nginx(self.work, ports, proxy_port)
        self.nginx = self.work / "nginx"
        wait_for(base + "/robots.txt")
        return base

    def stop(self) -> None:
        self.stop_apps()
        if self.nginx:
            subprocess.run(["nginx", "-p", str(self.nginx), "-c", "nginx.conf", "-s", "stop"],
                           check=False, capture_output=True)  # fmt: skip
            self.nginx = None

    def stop_apps(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
        for server in self.servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        self.servers = []


class Embedded(Stack):
    name = "embedded"

    def __init__(self, work, flags, media_root=None, proxied=False):
        super().__init__(work, flags, media_root)
        self.proxied = proxied  # one gunicorn behind nginx, as a one-box site serves TLS
        self.database = work / "capacity.sqlite3"
        self.env["DATABASE_URL"] = f"sqlite:///{self.database}"
        self.env["CACHE_URL"] = "locmem://"

    def start(self) -> str:
        self.base = self.serve([free_port()], self.proxied)
        return self.base

    def database_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.work.glob("capacity.sqlite3*"))


class Production(Stack):
    name = "production"

    def __init__(self, work, flags, media_root=None, app_servers=2):
        super().__init__(work, flags, media_root)
        self.app_servers = app_servers
        self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/hugi_capacity"
        self.env["CACHE_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
        ensure_postgres()
        ensure_redis()
        psql("DROP DATABASE IF EXISTS hugi_capacity WITH (FORCE)")
        psql("CREATE DATABASE hugi_capacity")

    def start(self) -> str:
        self.base = self.serve([free_port() for _ in range(self.app_servers)], proxied=True)
        return self.base

    def database_bytes(self) -> int:
        out = psql("SELECT pg_database_size('hugi_capacity')", capture=True)
        return int(out.strip())


def psql(sql: str, capture=False) -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres",
         "-tAc", sql], check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout


def ensure_postgres() -> None:
    """The benchmark's own cluster, made once and started when it is down."""
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == [PG_VERSION, PG_CLUSTER] for line in listed.splitlines()):
        subprocess.run(["pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--",
                        "--auth-local=trust", "--auth-host=trust"], check=True,
                       capture_output=True)  # fmt: skip
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"], capture_output=True)
    for _ in range(50):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT)],
                          capture_output=True).returncode == 0:  # fmt: skip
            return
        time.sleep(0.2)
    raise SystemExit(f"PostgreSQL cluster {PG_CLUSTER} on {PG_PORT} did not start")


def ensure_redis() -> None:
    ping = subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True)
    if ping.stdout.strip() != b"PONG":
        subprocess.run(["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
                        "--appendonly", "no", "--daemonize", "yes"], check=True)  # fmt: skip
        time.sleep(0.5)


NGINX = """{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_max_body_size 25m;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    # deploy.md § 6's nginx, without TLS: least_conn over the app servers; nginx's defaults
    # try the other one when one refuses a connection, and leave a failed one alone 10 s.
    upstream hugi {{
        least_conn;
        {servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://hugi;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


def start_nginx(work: Path, ports: list[int], port: int) -> str:
    if shutil.which("nginx") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    folder = work / "nginx"
    folder.mkdir(exist_ok=True)
    servers = "\n        ".join(f"server 127.0.0.1:{p};" for p in ports)
    # Its workers buffer request bodies in the scratch folder, which only its owner may enter.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = NGINX.format(user=user, work=folder, servers=servers, port=port)
    (folder / "nginx.conf").write_text(config)
    subprocess.run(["nginx", "-p", str(folder), "-c", "nginx.conf"], check=True)
    return f"http://127.0.0.1:{port}"
