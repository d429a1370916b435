"""Where hugi's CPU goes during a capacity step: py-spy samples every gunicorn worker.

run.py --profile starts `py-spy record` (through uvx: a sampling profiler that reads the
workers' stacks from outside, so the code under test is unchanged) on each app server's master
with --subprocesses for the measured seconds, then sums the samples two ways: by the view that
was running (which endpoint costs the CPU) and by the part of the work (Markdown, templates, the
database, compression, photos, exports …). Only running threads are sampled, not idle ones.
"""

import subprocess
import threading
from collections import Counter
from pathlib import Path

PY_SPY = ["uvx", "py-spy@0.4.3"]
HUGI = str(Path(__file__).resolve().parents[2])
RATE = 50  # samples a second per process: enough for shares, cheap for the workers

# The view a sample belongs to: the first frame that is one of these functions in that file
# (py-spy writes a frame as "function (path:line)").
VIEWS = [
    ("save (", "notes/views.py", "note save"),
    ("upload (", "notes/photos/views.py", "photo upload"),
    ("editor (", "notes/views.py", "editor"),
    ("me (", "notes/views.py", "/me/"),
    ("star (", "notes/views.py", "star"),
    ("day (", "public/views/programme.py", "day timeline"),
    ("session (", "public/views/programme.py", "session page"),
    ("conference (", "public/views/programme.py", "conference"),
    ("speaker (", "public/views/speakers.py", "speaker page"),
    ("speakers (", "public/views/speakers.py", "speakers"),
    ("home (", "public/views/home.py", "home"),
    ("schedule_ics (", "public/views/exports.py", "schedule.ics"),
    ("starred_calendar (", "public/views/exports.py", "calendar feed (starred)"),
    ("import_schedule_view (", "sessions/admin_import.py", "staff import"),
]
# The part of the work: the deepest frame that names one of these decides.
PARTS = [
    ("PIL/", "photos (Pillow)"),
    ("notes/photos/processing.py", "photos (Pillow)"),
    ("icalendar/", "iCalendar"),
    ("cmarkgfm", "Markdown (cmark-gfm, nh3)"),
    ("nh3", "Markdown (cmark-gfm, nh3)"),
    ("core/markdown", "Markdown (cmark-gfm, nh3)"),
    ("gzip.py", "compression"),
    ("zlib", "compression"),
    ("core/gzip_pieces", "compression"),
    ("django/template/", "templates"),
    ("sqlite3/", "database driver (SQLite, psycopg)"),
    ("psycopg/", "database driver (SQLite, psycopg)"),
    ("django/db/backends/", "database driver (SQLite, psycopg)"),
    ("django/db/models/", "ORM (building queries, making objects)"),
    ("django/core/cache/", "cache"),
    ("redis/", "cache"),
    ("django/contrib/sessions/", "sessions and sign-in"),
    ("django/contrib/auth/", "sessions and sign-in"),
    ("axes/", "sessions and sign-in"),
    ("django/http/multipartparser", "reading the request"),
    ("django/core/handlers/", "request handling"),
    ("django/middleware/", "request handling"),
    ("gunicorn/", "gunicorn"),
]


class Recording:
    """py-spy on each master from `delay` seconds on, for `seconds`."""

    def __init__(self, masters: list[int], out: Path, delay: float, seconds: int):
        self.files = [out / f"py-spy-{pid}.txt" for pid in masters]
        self.processes: list[subprocess.Popen] = []
        self.log = open(out / "py-spy.log", "w")  # noqa: SIM115 (closed in wait)
        self.timer = threading.Timer(delay, self.start, args=(masters, seconds))
        self.timer.start()

    def start(self, masters, seconds) -> None:
        for pid, file in zip(masters, self.files, strict=True):
            command = [*PY_SPY, "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
                       "--rate", str(RATE), "--duration", str(seconds), "--format", "raw",
                       "-o", str(file)]  # fmt: skip
            self.processes.append(
                subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
            )

    def wait(self) -> list[Path]:
        self.timer.join()
        for process in self.processes:
            process.wait(timeout=120)
        self.log.close()
        return [file for file in self.files if file.exists()]


def view_of(stack: str) -> str:
    for frame in stack.split(";"):
        for function, file, label in VIEWS:
            if frame.startswith(function) and file in frame:
                return label
    return "outside any view (gunicorn, middleware, WSGI)"


def part_of(stack: str) -> str:
    """What the deepest frame that a rule names, or that is hugi's own code, belongs to."""
    for frame in reversed(stack.split(";")):
        for needle, label in PARTS:
            if needle in frame:
                return label
        if is_hugi(frame):
            return "hugi's own Python (views, layout, tags)"
    return "other (Python's library)"


def is_hugi(frame: str) -> bool:
    path = frame.rpartition("(")[2]
    return path.startswith(HUGI) and "/.venv/" not in path


def summary(files: list[Path]) -> dict:
    by_view, by_part, total = Counter(), Counter(), 0
    for file in files:
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            total += int(count)
            by_view[view_of(stack)] += int(count)
            by_part[part_of(stack)] += int(count)
    return {"samples": total, "by_view": dict(by_view), "by_part": dict(by_part)}


def table(profile: dict) -> str:
    total = profile["samples"] or 1
    lines = [f"py-spy: {profile['samples']} samples of running worker threads"]
    for title in ("by_view", "by_part"):
        lines.append(f"  {'endpoint' if title == 'by_view' else 'part of the work'}:")
        for label, count in sorted(profile[title].items(), key=lambda item: -item[1]):
            lines.append(f"    {label:<44}{count / total:>7.1%}")
    return "\n".join(lines)
