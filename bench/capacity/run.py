"""How many note-takers one box carries: the Locust scenario at growing sizes until it breaks.

    uv run python bench/capacity/run.py                        # the README's default (SQLite)
    uv run python bench/capacity/run.py --config production    # PostgreSQL + Redis, 2 app servers
    uv run python bench/capacity/run.py --config production --workers 3   # deploy.md's workers
    uv run python bench/capacity/run.py --proxy   # the default behind nginx, as served over TLS
    uv run python bench/capacity/run.py --steps 50,100,150 --seconds 60   # chosen sizes
    uv run python bench/capacity/run.py --steps 200 --profile   # where the CPU goes (py-spy)

Builds its own world in a scratch folder (bench/capacity/stacks.py: a SQLite file, or its own
PostgreSQL cluster on 5434 and Redis on 6390 — never the machine's own), imports 36C3 and makes
the attendees with `manage.py capacity_setup`, starts gunicorn (and nginx), then runs Locust
(locustfile.py: N note-takers, 3N readers, N calendar apps, one staff sync half-way) for each
size: doubling from --start until a step fails, then halving the gap --refine times. A step
passes when p95 over all requests is under 300 ms, no request failed, and after it every note in
the database is what its note-taker was last told was saved and every photo has all its files.
Prints each step, then the largest passing one in full: per-endpoint p50/p95/p99 and request mix,
the largest gunicorn worker's RSS, the database's growth, the load average. Results in
bench/results/capacity-<config>.json. Locust runs on the same cores as the server: on a 2-core
machine it takes a share of them, so each step prints the CPU that hugi's workers and Locust
used over the measured seconds, and hugi's CPU per request, which does not depend on Locust.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cpu_profile
from locust_run import check, run_locust, table
from stacks import ROOT, Embedded, Production

RESULTS = ROOT / "bench" / "results"


def gunicorn_flags(args) -> list[str]:
    flags = ["--workers", str(args.workers), "--timeout", "30"]
    if args.threads > 1:
        flags += ["--worker-class", "gthread", "--threads", str(args.threads)]
        if args.worker_connections:
            flags += ["--worker-connections", str(args.worker_connections)]
    if args.max_requests:
        flags += ["--max-requests", str(args.max_requests), "--max-requests-jitter", "200"]
    return flags


def sizes(args, run_step):
    """Run steps; returns every result, in order."""
    if args.steps:
        return [run_step(int(n)) for n in args.steps.split(",")]
    results, n, passed, failed = [], args.start, None, None
    while n <= args.max:
        result = run_step(n)
        results.append(result)
        if not result.passed:
            failed = n
            break
        passed, n = n, n * 2
    for _ in range(args.refine if failed else 0):
        low = passed or 0
        middle = (low + failed) // 2
        if middle <= low or failed - low <= max(2, low // 10):
            break
        result = run_step(middle)
        results.append(result)
        if result.passed:
            passed = middle
        else:
            failed = middle
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=("embedded", "production"), default="embedded")
    parser.add_argument("--proxy", action="store_true",
                        help="embedded: nginx in front of gunicorn, as a one-box site has for TLS")  # fmt: skip
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="gunicorn workers per app server (cores; deploy.md's 3 in production)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument("--max-requests", type=int, default=0)
    parser.add_argument("--worker-connections", type=int, default=0,
                        help="gthread: connections a worker takes before it stops accepting")  # fmt: skip
    parser.add_argument("--start", type=int, default=25, help="note-takers of the first step")
    parser.add_argument("--max", type=int, default=2000)
    parser.add_argument("--refine", type=int, default=2, help="halvings after the first failure")
    parser.add_argument("--steps", default="", help="comma-separated sizes instead of a search")
    parser.add_argument("--seconds", type=int, default=60, help="measured time per step")
    parser.add_argument("--spawn", type=float, default=0,
                        help="seconds to bring the users in (default: N/10, at least 15)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--profile", action="store_true",
                        help="sample the workers with py-spy (uvx) over each measured step")  # fmt: skip
    args = parser.parse_args()
    largest = max([int(n) for n in args.steps.split(",")] if args.steps else [args.max])
    work = Path(tempfile.mkdtemp(prefix="hugi-capacity-"))
    flags = gunicorn_flags(args)
    if args.config == "production":
        stack = Production(work, flags)
    else:
        stack = Embedded(work, flags, proxied=args.proxy)
    roster = work / "roster.json"
    print(f"{args.config}: gunicorn {' '.join(flags)}; preparing {largest} attendees in {work}…",
          flush=True)  # fmt: skip
    stack.prepare(largest, roster)
    base = stack.start()
    started = time.time()

    def run_step(n):
        stack.setup(largest, roster)
        before = stack.database_bytes()
        load_before = os.getloadavg()
        out = work / f"step-{n}"
        out.mkdir(parents=True, exist_ok=True)
        masters = [server.pid for server in stack.servers]
        # A hall fills over a minute, not at once: each note-taker's arrival opens My hugi and
        # the editor, and a step that brought them all in faster would measure that queue.
        spawn = args.spawn or max(15.0, n / 10)
        recording = args.profile and cpu_profile.Recording(masters, out, spawn, args.seconds)
        result = run_locust(base, roster, out, n, args.seconds,
                            sync_at=args.seconds / 2, spawn_seconds=spawn,
                            worker_pids=stack.worker_pids)  # fmt: skip
        if recording:
            result.profile = cpu_profile.summary(recording.wait())
        check(stack, result)
        result.database_growth = stack.database_bytes() - before
        result.load_before = load_before
        t = result.total
        print(f"{n:>5} note-takers ({result.users} users): {t['rps']:7.1f} req/s, "
              f"p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms, p99 {t['p99']:.0f} ms, "
              f"{t['failures']} failed, {len(result.problems)} lost/half-written "
              f"({len(result.acks)} note-takers checked); "
              f"worker RSS ≤ {result.rss_mb:.0f} MB; CPU: hugi {result.server_cpu / args.seconds:.2f} "
              f"cores ({result.cpu_ms_per_request:.1f} ms a request), Locust "
              f"{result.locust_cpu / args.seconds:.2f}; load {load_before[0]:.2f} → "
              f"{result.load[0]:.2f}: {'PASS' if result.passed else 'FAIL'}", flush=True)  # fmt: skip
        return result

    try:
        results = sizes(args, run_step)
    finally:
        stack.stop()
    report(args, flags, results, time.time() - started)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def report(args, flags, results, elapsed):
    passing = [r for r in results if r.passed]
    best = max(passing, key=lambda r: r.note_takers) if passing else None
    shown = best or results[0]
    print(f"\n{args.config}, gunicorn {' '.join(flags)}, {os.cpu_count()} cores, "
          f"{elapsed / 60:.0f} min; load average now {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("capacity: " + (f"{best.note_takers} note-takers ({best.users} users) with p95 < 300 ms "
                          "and no failure" if best else "no step passed"))  # fmt: skip
    print(
        f"\n{'the largest passing step' if best else 'the first step'} "
        f"({shown.note_takers} note-takers, {shown.seconds} s measured):"
    )
    print(table(shown))
    print(
        f"largest gunicorn worker RSS {shown.rss_mb:.0f} MB; database grew "
        f"{shown.database_growth / 1e6:.1f} MB in {shown.seconds} s; CPU: hugi's workers "
        f"{shown.server_cpu / shown.seconds:.2f} cores, {shown.cpu_ms_per_request:.1f} ms a "
        f"request; Locust {shown.locust_cpu / shown.seconds:.2f} cores"
    )
    if shown.profile:
        print(cpu_profile.table(shown.profile))
    for problem in shown.problems[:10]:
        print("  problem:", problem)
    failed = [r for r in results if not r.passed]
    if failed:
        first = failed[0]
        print(f"\nfirst failing step ({first.note_takers} note-takers):")
        print(table(first))
        for failure in first.failures[:5]:
            print("  failure:", failure)
    RESULTS.mkdir(parents=True, exist_ok=True)
    proxy = "-nginx" if args.proxy and args.config == "embedded" else ""
    name = f"capacity-{args.config}{proxy}-{'gthread' if args.threads > 1 else 'sync'}.json"
    (RESULTS / name).write_text(json.dumps({
        "config": args.config, "gunicorn": flags, "cores": os.cpu_count(),
        "capacity": best.note_takers if best else 0,
        "steps": [{"note_takers": r.note_takers, "users": r.users, "passed": r.passed,
                   "total": r.total, "rows": r.rows, "rss_mb": r.rss_mb,
                   "server_cpu_seconds": r.server_cpu, "locust_cpu_seconds": r.locust_cpu,
                   "cpu_ms_per_request": r.cpu_ms_per_request, "profile": r.profile,
                   "database_growth": r.database_growth, "load_before": r.load_before,
                   "load_after": r.load, "problems": r.problems[:20],
                   "failures": r.failures[:20]} for r in results],
    }, indent=1, ensure_ascii=False) + "\n")  # fmt: skip
    print(f"\nwritten to bench/results/{name}")


if __name__ == "__main__":
    main()
