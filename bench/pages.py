"""Server time and query count of every public page, at two sizes of conference.

    uv run python bench/pages.py [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi uv run python bench/pages.py

A script, not a test. It builds its data with bench/dataset.py (DebConf 23 and 36C3 imported from
../shared/data/schedules/, with attendees' notes, photos, stars and a write-up), then requests each
page N times in this process with django.test.Client as an anonymous visitor and prints the median
and 95th percentile server time, the query count and the size sent (asking for gzip, as browsers
do), for both conferences side by side so that growth shows. "cached" is the normal case (the page
was asked for before); "not cached" empties the cache before every request. Results go to
bench/results/pages.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset


def measure(client, path, requests, cold=False, **headers):
    """cold: empty the cache before each request, so every one renders the page afresh."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up: template loading, URL resolver, the cache
        response = client.get(path, **headers)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    query_count = len(queries)
    assert response.status_code in (200, 304), (path, response.status_code)
    wall, cpu = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path, **headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "bytes": len(body),
        "queries": query_count,
        # Wall time is what a visitor waits for; CPU time is the same work without the waits
        # for a core on a busy machine.
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(percentile(wall, 0.95), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure_conference(conference, requests):
    from django.contrib.auth import get_user_model
    from django.test import Client

    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")  # as browsers ask
    rows = {}
    for name, path in conference.pages:
        rows[name] = measure(anonymous, path, requests)
        if name not in ("schedule.xml", "schedule.json", "schedule.ics", "search"):
            rows[f"{name}, not cached"] = measure(anonymous, path, requests, cold=True)
    day = dict(conference.pages)["busiest day"]
    etag = anonymous.get(day)["ETag"]
    rows["busiest day, 304"] = measure(anonymous, day, requests, HTTP_IF_NONE_MATCH=etag)
    signed_in = Client()
    signed_in.force_login(get_user_model().objects.get(username=f"{conference.slug}-attendee-1"))
    rows["busiest day, signed in"] = measure(signed_in, day, requests)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()
    database = dataset.configure()
    from django.db import connection

    try:
        results = {}
        for label, filename, slug in dataset.SIZES:
            started = time.perf_counter()
            conference = dataset.build(label, filename, slug)
            print(
                f"{label}: {conference.sessions} sessions, built in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
            results[label] = {
                "sessions": conference.sessions,
                "pages": measure_conference(conference, args.requests),
            }
    finally:
        dataset.drop_database()

    small, large = (results[label] for label, _file, _slug in dataset.SIZES)
    names = list(large["pages"])
    print(f"\n{'':<28}{'DebConf 23':>26}{'36C3':>32}")
    print(
        f"{'page':<28}{'median':>9}{'p95':>8}{'queries':>9}"
        f"{'median':>9}{'p95':>8}{'queries':>9}{'KB sent':>9}"
    )
    for name in names:
        a, b = small["pages"][name], large["pages"][name]
        print(
            f"{name:<28}{a['median_ms']:>9.1f}{a['p95_ms']:>8.1f}{a['queries']:>9}"
            f"{b['median_ms']:>9.1f}{b['p95_ms']:>8.1f}{b['queries']:>9}"
            f"{b['bytes'] / 1024:>9.0f}"
        )
    grown = [n for n in names if small["pages"][n]["queries"] != large["pages"][n]["queries"]]
    print("query counts that grow with the conference:", ", ".join(grown) or "none")
    dataset.RESULTS.mkdir(parents=True, exist_ok=True)
    out = dataset.RESULTS / "pages.json"
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "requests_per_page": args.requests,
                "load_average": os.getloadavg(),
                "python": sys.version.split()[0],
                "conferences": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten to {out.relative_to(dataset.ROOT)}; database {database} (throwaway)")


if __name__ == "__main__":
    main()
