"""One headless Locust run of the scenario against a running stack, and what it measured."""

import csv
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
P95_LIMIT_MS = 300
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    note_takers: int
    users: int
    seconds: int
    rows: dict  # endpoint -> {requests, failures, p50, p95, p99, rps}
    total: dict
    failures: list
    acks: list
    rss_mb: float = 0.0  # the largest gunicorn worker seen during the run
    server_cpu: float = 0.0  # CPU seconds of every gunicorn worker over the measured seconds
    locust_cpu: float = 0.0  # and of Locust itself, on the same cores
    load: tuple = ()
    problems: list = field(default_factory=list)  # lost acknowledged saves, photo leftovers
    profile: dict = field(default_factory=dict)  # cpu_profile.summary, with --profile

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu / max(1, self.total["requests"])

    @property
    def passed(self) -> bool:
        return (self.total["failures"] == 0 and self.total["p95"] < P95_LIMIT_MS
                and not self.problems and self.total["requests"] > 0)  # fmt: skip


def users_for(note_takers: int, sync: bool = True) -> int:
    """N note-takers, 3N readers, N calendar apps, and the staff member."""
    return 5 * note_takers + (1 if sync else 0)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process (/proc/<pid>/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Sampler(threading.Thread):
    """Every second: the gunicorn workers' memory, and the CPU they and Locust used since
    `measure_from` (a worker started later counts from its first sighting)."""

    def __init__(self, worker_pids, measure_from: float):
        super().__init__(daemon=True)
        self.worker_pids, self.measure_from = worker_pids, measure_from
        self.locust_pid = None
        self.stop = threading.Event()
        self.rss = []
        self.first, self.last = {}, {}  # pid -> CPU seconds

    def run(self) -> None:
        while not self.stop.wait(1.0):
            workers = self.worker_pids()
            for pid in workers:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                rss = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")]
                if rss:  # a worker that just died has none
                    self.rss.append(int(rss[0]) / 1024)
            if time.monotonic() < self.measure_from:
                continue
            for pid in [*workers, *([self.locust_pid] if self.locust_pid else [])]:
                cpu = cpu_seconds(pid)
                if cpu is not None:
                    self.first.setdefault(pid, cpu)
                    self.last[pid] = cpu

    def cpu(self, pids) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in pids if pid in self.last)


def run_locust(base, roster, out: Path, note_takers, seconds, *, pace=1.0, sync_at=None,
               spawn_seconds=10.0, worker_pids=lambda: [], smoke=False, env=None) -> Result:  # fmt: skip
    """Spawn the users over spawn_seconds, then measure for `seconds` (stats reset after the
    spawn, so what the users do when they arrive is not counted). smoke: every user does each
    of its tasks once as it arrives, nothing is reset, long timeouts (a loaded CI machine)."""
    out.mkdir(parents=True, exist_ok=True)
    sync = sync_at is not None
    users = users_for(note_takers, sync)
    env = {
        **os.environ,
        "CAPACITY_ROSTER": str(roster),
        "CAPACITY_PACE": str(pace),
        "CAPACITY_SYNC_AT": str(spawn_seconds + sync_at if sync else -1),
        "CAPACITY_OUT": str(out),
        "CAPACITY_NOTE_TAKERS": str(note_takers),
        "CAPACITY_TOUR": "1" if smoke else "0",
        "CAPACITY_TIMEOUT": "120" if smoke else "20",
        **(env or {}),
    }
    rate = max(1.0, users / spawn_seconds)
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(users), "-r", f"{rate:.1f}", "-t", f"{int(spawn_seconds + seconds)}s",
        "--host", base, "--csv", str(out / "locust"), "--only-summary",
        "--loglevel", "WARNING", "--csv-full-history", *([] if smoke else ["--reset-stats"]),
    ]  # fmt: skip
    sampler = Sampler(worker_pids, time.monotonic() + (0 if smoke else spawn_seconds))
    sampler.start()
    with open(out / "locust.log", "w") as log:
        locust = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=HERE)
        sampler.locust_pid = locust.pid
        try:
            locust.wait(timeout=spawn_seconds + seconds + 300)
        finally:
            locust.kill()
            locust.wait()
    sampler.stop.set()
    sampler.join()
    rows, total = read_stats(out / "locust_stats.csv")
    return Result(
        note_takers=note_takers, users=users, seconds=seconds, rows=rows, total=total,
        failures=json.loads((out / "failures.json").read_text()),
        acks=json.loads((out / "acks.json").read_text()),
        rss_mb=round(max(sampler.rss, default=0.0), 1), load=os.getloadavg(),
        server_cpu=sampler.cpu(set(sampler.last) - {locust.pid}),
        locust_cpu=sampler.cpu([locust.pid]),
    )  # fmt: skip


def read_stats(path: Path) -> tuple[dict, dict]:
    rows, total = {}, {}
    with open(path, newline="") as file:
        for line in csv.DictReader(file):
            row = {
                "requests": int(line["Request Count"]),
                "failures": int(line["Failure Count"]),
                "p50": float(line["50%"] if line["50%"] != "N/A" else 0),
                "p95": float(line["95%"] if line["95%"] != "N/A" else 0),
                "p99": float(line["99%"] if line["99%"] != "N/A" else 0),
                "rps": float(line["Requests/s"]),
            }
            if line["Name"] == "Aggregated":
                total = row
            else:
                rows[line["Name"]] = row
    return rows, total or {"requests": 0, "failures": 0, "p50": 0, "p95": 0, "p99": 0, "rps": 0}


def check(stack, result: Result) -> None:
    """Compare the acknowledged notes with the database, and the photo files with their rows."""
    ack_file = stack.work / "acks-to-check.json"
    ack_file.write_text(json.dumps(result.acks, ensure_ascii=False))
    done = subprocess.run(
        [sys.executable, str(HERE / "check.py"), str(ack_file)],
        env=stack.env,
        capture_output=True,
        text=True,
        check=False,
    )
    result.problems = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode not in (0, 1):
        result.problems.append(f"check.py failed: {done.stderr.strip()[-300:]}")


def table(result: Result) -> str:
    lines = [
        f"{'endpoint':<28}{'requests':>9}{'share':>7}{'fail':>6}{'p50':>7}{'p95':>7}{'p99':>7}"
    ]
    total = result.total["requests"] or 1
    for name, row in sorted(result.rows.items(), key=lambda item: -item[1]["requests"]):
        lines.append(
            f"{name:<28}{row['requests']:>9}{row['requests'] / total:>7.1%}{row['failures']:>6}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}"
        )
    t = result.total
    lines.append(f"{'all':<28}{t['requests']:>9}{1:>7.0%}{t['failures']:>6}"
                 f"{t['p50']:>7.0f}{t['p95']:>7.0f}{t['p99']:>7.0f}   {t['rps']:.1f} req/s")  # fmt: skip
    return "\n".join(lines)
