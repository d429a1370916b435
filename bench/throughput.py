"""Requests per second of every public page against the floor, under gunicorn and wrk.

    uv run python bench/throughput.py [--seconds 10] [--connections 16]
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi CACHE_URL=redis://127.0.0.1:6379/9 \
        uv run python bench/throughput.py --production

A script, not a test. It builds 36C3 with bench/dataset.py (1351 sessions with notes, photos and a
write-up), starts gunicorn on loopback plus one trivial template page through the same settings
and middleware (the floor, bench/floor_urls.py), and runs wrk (Debian's package; installed when
missing), asking for gzip as browsers do, against the floor and each page for a bounded time.

Two configurations, as people run them:
- the default, the README's: SQLite in a file and the local-memory cache, one sync worker per
  core. (The scratch file is named by DATABASE_URL=sqlite:///…, which gives exactly the settings
  of no DATABASE_URL at all but for the file's name: tests/site/test_settings.py holds them equal.)
- --production, deploy.md's: PostgreSQL and Redis from DATABASE_URL and CACHE_URL, gunicorn with
  deploy.md's flags (3 workers, 2 threads each, --max-requests).

Visitors: an anonymous first visit (no cookie), an anonymous returning visitor (the csrftoken
cookie a browser got on its first page), a signed-in attendee (/me/, the note editor, a session
page and the busiest day with their session cookie), all against one server with the cache;
then every page again on a server that caches nothing (CACHE_URL=dummy://): "not cached" is
every request drawing its page. Each ratio is requests/s over the floor's in the same server
run (the floor measured before and after the pages; their mean). Every answer must be 2xx: the
script exits non-zero otherwise. Results: bench/results/throughput.json.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset

COUNT_LUA = dataset.ROOT / "bench" / "count.lua"  # counts non-2xx answers
BROWSER = "Accept-Encoding: gzip, deflate, br, zstd"  # what Chromium and Firefox send
FLOOR = "/bench/floor/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk():
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip


# deploy.md's gunicorn flags (one unit); the default runs one sync worker per core.
PRODUCTION_FLAGS = ["--workers", "3", "--max-requests", "2000",
                    "--max-requests-jitter", "200"]  # fmt: skip
RETURNING = "Cookie: csrftoken=" + "k" * 32  # a well-formed CSRF cookie, as a browser keeps it


class Server:
    """gunicorn serving hugi plus the floor, with the given cache."""

    def __init__(self, database_url, cache_url, log, flags):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             *flags, "--access-logfile", "/dev/null",
             "--error-logfile", log],
            cwd=dataset.ROOT, env=env,
        )  # fmt: skip
        for _ in range(150):
            try:
                self.get(FLOOR)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start; see {log}")

    def get(self, path, header=None):
        name, _, value = (header or "").partition(": ")
        request = urllib.request.Request(self.base + path, headers={name: value} if header else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def load(server, path, seconds, connections, script, header=None):
    for _ in range(4):  # every worker has the page (and its templates) ready
        server.get(path, header)
    extra = ["-H", header] if header else []
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
         "-H", BROWSER, *extra, server.base + path],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    rps, p50, p99, requests, bad, errors = line.split()[1:]
    return {
        "rps": float(rps), "p50_ms": float(p50), "p99_ms": float(p99),
        "requests": int(requests), "non_2xx": int(bad), "socket_errors": int(errors),
    }  # fmt: skip


def run(server, visitors, seconds, connections, script):
    """The floor, every page for each kind of visitor, the floor again; each page with its
    ratio to the floor. visitors: {kind: (header or None, [(name, path)])}."""
    load(server, FLOOR, 2, connections, script)  # a new server's first seconds are slower
    first = load(server, FLOOR, seconds, connections, script)
    kinds = {
        kind: {name: load(server, path, seconds, connections, script, header)
               for name, path in pages}
        for kind, (header, pages) in visitors.items()
    }  # fmt: skip
    last = load(server, FLOOR, seconds, connections, script)
    floor = (first["rps"] + last["rps"]) / 2
    for rows in kinds.values():
        for row in rows.values():
            row["ratio"] = round(row["rps"] / floor, 3)
    return {"floor": {"rps": round(floor, 1), "runs": [first, last]}, "kinds": kinds}


def signed_in_visitor(conference):
    """The Cookie header of a signed-in attendee, and the pages they use most."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    attendee = get_user_model().objects.get(username=f"{conference.slug}-attendee-1")
    client = Client()
    client.force_login(attendee)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    header = f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; csrftoken={'k' * 32}"
    pages = dict(conference.pages)
    featured = conference.featured_session
    return header, [
        ("/me/", "/me/"),
        ("note editor", f"/notes/{featured}/"),
        ("session", pages["session"]),
        ("busiest day", pages["busiest day"]),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--production", action="store_true",
        help="deploy.md's configuration: PostgreSQL and Redis (DATABASE_URL, CACHE_URL)",
    )  # fmt: skip
    args = parser.parse_args()
    ensure_wrk()
    if args.production:
        cache_url = os.environ.get("CACHE_URL", "")
        if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and cache_url):
            raise SystemExit("--production needs DATABASE_URL=postgres://… and CACHE_URL=redis://…")
        flags = PRODUCTION_FLAGS
    else:
        os.environ.pop("DATABASE_URL", None)
        cache_url = "locmem://"
        flags = ["--workers", str(os.cpu_count())]
    database_url = dataset.configure(host="127.0.0.1")
    work = Path(tempfile.mkdtemp(prefix="hugi-throughput-"))
    script = str(COUNT_LUA)
    log = str(work / "gunicorn.log")
    try:
        label, filename, slug = dataset.SIZES[-1]
        conference = dataset.build(label, filename, slug)
        visitors = {
            "first visit": (None, conference.pages),
            "returning visitor": (RETURNING, conference.pages),
            "signed in": signed_in_visitor(conference),
        }
        from django.db import connections

        connections.close_all()
        results = {}
        for mode, cache, kinds in (
            ("cached", cache_url, visitors),
            ("not cached", "dummy://", {"first visit": visitors["first visit"]}),
        ):
            print(f"{mode}: gunicorn {' '.join(flags)}, cache {cache}…", flush=True)
            server = Server(database_url, cache, log, flags)
            try:
                results[mode] = run(server, kinds, args.seconds, args.connections, script)
            finally:
                server.stop()
    finally:
        dataset.drop_database()

    configuration = "deploy.md's production" if args.production else "the README's default"
    print(
        f"\n36C3 ({conference.sessions} sessions); {configuration}: gunicorn {' '.join(flags)}; "
        f"database {database_url.split(':', 1)[0]}, cache {cache_url}; wrk 2 threads, "
        f"{args.connections} connections, {args.seconds} s a page\n"
    )
    bad = 0
    for mode, result in results.items():
        print(f"{mode:<28}{'req/s':>9}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        print(f"{'floor':<28}{result['floor']['rps']:>9.0f}{1:>8.2f}")
        for kind, rows in result["kinds"].items():
            for name, row in rows.items():
                print(
                    f"{kind + ': ' + name:<28}{row['rps']:>9.0f}{row['ratio']:>8.2f}"
                    f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['non_2xx']:>9}"
                )
                bad += row["non_2xx"] + row["socket_errors"]
        print()
    dataset.RESULTS.mkdir(parents=True, exist_ok=True)
    out = dataset.RESULTS / "throughput.json"
    out.write_text(
        json.dumps(
            {
                "sessions": conference.sessions,
                "configuration": "production" if args.production else "default",
                "gunicorn": flags,
                "connections": args.connections,
                "seconds": args.seconds,
                "database": database_url.split(":", 1)[0],
                "cache": cache_url,
                "load_average": os.getloadavg(),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {out.relative_to(dataset.ROOT)}")
    if bad:
        raise SystemExit(f"FAILED: {bad} answers were not 2xx or failed; see {log}")


if __name__ == "__main__":
    main()
