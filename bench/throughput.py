"""Requests per second of every public page against the floor, under gunicorn and wrk.

    uv run python bench/throughput.py [--seconds 10] [--connections 16]
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi uv run python bench/throughput.py
    CACHE_URL=redis://127.0.0.1:6379/9 uv run python bench/throughput.py

A script, not a test. It builds 36C3 with bench/dataset.py (1351 sessions with notes, photos and a
write-up), starts gunicorn on loopback with one worker per core and production settings plus one
trivial template page (the floor, bench/floor_urls.py), and runs wrk (Debian's package; installed
when missing), asking for gzip as browsers do, against the floor and each public page for a bounded
time: first with the cache (local memory, or CACHE_URL), then again with a server that caches
nothing (CACHE_URL=dummy://), so "not cached" is every request rendering its page. Each ratio is
the page's requests/s over the floor's in the same server run (the floor is measured before and
after the pages; their mean). Every answer must be 2xx: the script exits non-zero otherwise.
Results: bench/results/throughput.json.
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


class Server:
    """gunicorn serving hugi plus the floor, with the given cache."""

    def __init__(self, database_url, cache_url, log):
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
             "--workers", str(os.cpu_count()), "--access-logfile", "/dev/null",
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

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def load(server, path, seconds, connections, script):
    for _ in range(4):  # every worker has the page (and its templates) ready
        server.get(path)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
         "-H", BROWSER, server.base + path],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    rps, p50, p99, requests, bad, errors = line.split()[1:]
    return {
        "rps": float(rps), "p50_ms": float(p50), "p99_ms": float(p99),
        "requests": int(requests), "non_2xx": int(bad), "socket_errors": int(errors),
    }  # fmt: skip


def run(server, pages, seconds, connections, script):
    """The floor, every page, the floor again; each page with its ratio to the floor."""
    load(server, FLOOR, 2, connections, script)  # a new server's first seconds are slower
    first = load(server, FLOOR, seconds, connections, script)
    rows = [(name, load(server, path, seconds, connections, script)) for name, path in pages]
    last = load(server, FLOOR, seconds, connections, script)
    floor = (first["rps"] + last["rps"]) / 2
    for _name, row in rows:
        row["ratio"] = round(row["rps"] / floor, 3)
    return {"floor": {"rps": round(floor, 1), "runs": [first, last]}, "pages": dict(rows)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time per page")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    ensure_wrk()
    cache_url = os.environ.get("CACHE_URL", "locmem://")
    database_url = dataset.configure(host="127.0.0.1")
    work = Path(tempfile.mkdtemp(prefix="hugi-throughput-"))
    script = COUNT_LUA
    log = str(work / "gunicorn.log")
    try:
        label, filename, slug = dataset.SIZES[-1]
        conference = dataset.build(label, filename, slug)
        from django.db import connections

        connections.close_all()
        results = {}
        for mode, cache in (("cached", cache_url), ("not cached", "dummy://")):
            print(f"{mode}: gunicorn with {os.cpu_count()} workers, cache {cache}…", flush=True)
            server = Server(database_url, cache, log)
            try:
                results[mode] = run(server, conference.pages, args.seconds, args.connections,
                                    str(script))  # fmt: skip
            finally:
                server.stop()
    finally:
        dataset.drop_database()

    print(
        f"\n36C3 ({conference.sessions} sessions); gunicorn {os.cpu_count()} sync workers; wrk 2 "
        f"threads, {args.connections} connections, {args.seconds} s a page; database "
        f"{database_url.split(':', 1)[0]}\n"
    )
    bad = 0
    for mode, result in results.items():
        print(f"{mode:<16}{'req/s':>9}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        print(f"{'floor':<16}{result['floor']['rps']:>9.0f}{1:>8.2f}")
        for name, row in result["pages"].items():
            print(
                f"{name:<16}{row['rps']:>9.0f}{row['ratio']:>8.2f}{row['p50_ms']:>9.1f}"
                f"{row['p99_ms']:>9.1f}{row['non_2xx']:>9}"
            )
            bad += row["non_2xx"] + row["socket_errors"]
        print()
    dataset.RESULTS.mkdir(parents=True, exist_ok=True)
    out = dataset.RESULTS / "throughput.json"
    out.write_text(
        json.dumps(
            {
                "sessions": conference.sessions,
                "workers": os.cpu_count(),
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
