"""The fault drill: faults one after another under load, and a table of what attendees saw.

    uv run python bench/capacity/drill.py [--note-takers 12] [--gap 25]

deploy.md's production on this machine (bench/capacity/stacks.py): its own PostgreSQL cluster
(5434) and Redis (6390) — never the machine's own 5432 and 6379 — two gunicorn app servers
(3 sync workers) behind nginx, and MEDIA_ROOT on a 2 GB tmpfs (room for the run's photos
until it is filled on purpose). Locust runs the day's scenario at four times its pace with five
times the photos, while, --gap seconds apart:
  1. one gunicorn worker is killed (kill -9);
  2. one whole app server is killed (kill -9 of its master and workers), and started again
     10 s later, as systemd's Restart=always does;
  3. PostgreSQL is stopped, and started again 10 s later (pg_ctlcluster);
  4. Redis is stopped for 30 s, then started;
  5. the media disk is filled (a file takes all its room) for 30 s, during photo uploads.
For each fault the table gives the failed requests inside its window (from the fault until 10 s
after it ended: what a client retrying with back-off still meets) and outside any window, how
many note saves and photo uploads were retried and ended saved, and the requests/s before and
after. After the run: every note in the database must be what its note-taker was last told was
saved, every photo row must have its files and every file its row. Exits 1 otherwise.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from locust_run import check, run_locust
from stacks import PG_CLUSTER, PG_VERSION, REDIS_PORT, Production, ensure_redis

SETTLE = 10  # seconds after a fault's end that still count as its window


def kill_worker(stack, log):
    victim = stack.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    log(f"killed gunicorn worker {victim}")


def kill_app_server(stack, log, down):
    server = stack.servers[1]
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    log(f"killed app server :{stack.ports[1]} (master {server.pid} and its workers)")
    time.sleep(down)
    stack.servers[1] = stack.start_app(stack.ports[1])
    log(f"app server :{stack.ports[1]} started again")


def restart_postgres(_stack, log, down):
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "stop", "-m", "fast"], check=True)
    log("PostgreSQL stopped")
    time.sleep(down)
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"], check=True)
    log("PostgreSQL started")


def stop_redis(_stack, log, down):
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False,
                   capture_output=True)  # fmt: skip
    log("Redis stopped")
    time.sleep(down)
    ensure_redis()
    log("Redis started")


def fill_disk(stack, log, down):
    filler = Path(stack.env["MEDIA_ROOT"]) / "filler"
    with open(filler, "wb") as file:
        try:
            while True:
                file.write(b"\0" * (1 << 20))
                file.flush()
        except OSError:
            pass
    log("media disk full")
    time.sleep(down)
    filler.unlink()
    log("media disk has room again")


FAULTS = [
    ("kill -9 one gunicorn worker", lambda s, log: kill_worker(s, log)),
    ("kill -9 one app server (back after 10 s)", lambda s, log: kill_app_server(s, log, 10)),
    ("PostgreSQL stopped 10 s", lambda s, log: restart_postgres(s, log, 10)),
    ("Redis stopped 30 s", lambda s, log: stop_redis(s, log, 30)),
    ("media disk full 30 s", lambda s, log: fill_disk(s, log, 30)),
]


def mount_media(work: Path) -> Path:
    media = work / "media"
    media.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2g", "tmpfs", str(media)], check=True)
    return media


def rps_series(path: Path) -> list[tuple[float, float]]:
    rows = []
    with open(path, newline="") as file:
        for line in csv.DictReader(file):
            if line["Name"] == "Aggregated":
                rows.append((float(line["Timestamp"]), float(line["Requests/s"])))
    return rows


def mean_rps(series, start, end):
    values = [rps for t, rps in series if start <= t < end]
    return sum(values) / len(values) if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--note-takers", type=int, default=12)
    parser.add_argument("--gap", type=int, default=25, help="seconds between faults")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hugi-drill-"))
    media = mount_media(work)
    flags = ["--workers", "3", "--timeout", "30"]  # deploy.md § 5: sync workers
    stack = Production(work, flags, media_root=media)
    windows, events = [], []
    try:
        roster = work / "roster.json"
        print(f"preparing {args.note_takers} attendees in {work}…", flush=True)
        stack.prepare(args.note_takers, roster)
        base = stack.start()
        spawn = 10
        # Every gap, the faults' own time (10 + 10 + 30 + 30 s), and room for slow restarts.
        total = spawn + args.gap * (len(FAULTS) + 1) + 80 + 90

        def log(text):
            events.append((time.time(), text))
            print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)

        def faults():
            time.sleep(spawn + args.gap)
            for name, fault in FAULTS:
                start = time.time()
                fault(stack, log)
                windows.append((name, start, time.time()))
                time.sleep(args.gap)

        thread = threading.Thread(target=faults, daemon=True)
        thread.start()
        result = run_locust(base, roster, work / "run", args.note_takers, total - spawn,
                            pace=0.25, spawn_seconds=spawn, worker_pids=stack.worker_pids,
                            env={"CAPACITY_PHOTO_WEIGHT": "5"})  # fmt: skip
        thread.join()
        check(stack, result)
        series = rps_series(work / "run" / "locust_stats_history.csv")
    finally:
        stack.stop()
        subprocess.run(["umount", str(media)], check=False)
    report(result, windows, series)


def report(result, windows, series):
    in_any = lambda t: any(s <= t <= e + SETTLE for _, s, e in windows)  # noqa: E731
    print(f"\n{'fault':<42}{'secs':>6}{'failed':>8}  {'which':<36}"
          f"{'rps before':>10}{'after':>7}")  # fmt: skip
    for name, start, end in windows:
        failed = [f for f in result.failures if start <= f["t"] <= end + SETTLE]
        kinds = {f["name"] for f in failed}
        before = mean_rps(series, start - 15, start)
        after = mean_rps(series, end + SETTLE, end + SETTLE + 15)
        which = ", ".join(sorted(kinds))
        which = which if len(which) <= 36 else f"{len(kinds)} kinds"
        print(f"{name:<42}{end - start:>6.0f}{len(failed):>8}  {which:<36}"
              f"{before:>10.1f}{after:>7.1f}")  # fmt: skip
    outside = [f for f in result.failures if not in_any(f["t"])]
    retried = sum(ack["retries"] for ack in result.acks)
    stuck = [ack for ack in result.acks if ack["retries"] and ack["pending"]]
    print(f"\nfailed outside the fault windows: {len(outside)}")
    print(f"note saves retried after a failure: {retried}; every note-taker's last save "
          f"acknowledged or on its way at the end: {len(result.acks) - len(stuck)}/"
          f"{len(result.acks)}")  # fmt: skip
    print(f"requests {result.total['requests']}, failed {result.total['failures']}; "
          f"{len(result.acks)} note-takers")  # fmt: skip
    lost = [p for p in result.problems if "acknowledged" in p]
    print(f"lost acknowledged saves: {len(lost)}; photo files without their row or rows without "
          f"their files: {len(result.problems) - len(lost)}")  # fmt: skip
    for problem in result.problems[:20]:
        print("  ", problem)
    for failure in outside[:10]:
        print("   outside:", failure)
    raise SystemExit(1 if result.problems or outside else 0)


if __name__ == "__main__":
    main()
