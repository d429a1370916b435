"""Benchmark: import the 36C3 schedule (1351 events) into a fresh SQLite database, then import it
again unchanged. Prints median times and query counts.

    uv run python bench/import.py [--runs 3] [--file PATH]

Not a test: numbers depend on the machine. Each run imports into a new conference (a fresh slug)
in the same fresh database, then re-imports the same file into it.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = Path("/work/shared/data/schedules/36c3_merged.xml")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="hugi-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.markdown import render_markdown
    from sessions.importers import parse_schedule, plan_import

    call_command("migrate", verbosity=0)
    data = args.file.read_bytes()
    timings = {name: [] for name in ("parse", "plan", "write", "first import", "re-import")}
    cpu = {"first import": [], "re-import": []}
    queries = {}
    for run in range(args.runs):
        slug = f"bench-{run}"
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            schedule = parse_schedule(data, args.file.name)
            parsed = time.perf_counter()
            plan = plan_import(schedule, slug=slug)
            planned = time.perf_counter()
            plan.apply()
            done = time.perf_counter()
        cpu["first import"].append(time.process_time() - started_cpu)
        timings["parse"].append(parsed - started)
        timings["plan"].append(planned - parsed)
        timings["write"].append(done - planned)
        timings["first import"].append(done - started)
        queries["first import"] = len(captured)
        created = len(plan.changes)

        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            again = plan_import(parse_schedule(data, args.file.name), slug=slug).apply()
            timings["re-import"].append(time.perf_counter() - started)
        cpu["re-import"].append(time.process_time() - started_cpu)
        queries["re-import"] = len(captured)
        assert again.changes == [], "re-importing the same file must change nothing"
        print(f"run {run + 1}: {created} objects created; re-import: {again.summary()[0]}")

    texts = [t for s in schedule.sessions for t in (s.abstract, s.description) if t]
    started = time.perf_counter()
    for text in texts:
        render_markdown(text)
    rendering = time.perf_counter() - started

    print(
        f"\n{args.file.name}: {len(schedule.sessions)} events, median of {args.runs} runs, SQLite"
    )
    for name, values in timings.items():
        line = f"  {name:13} {statistics.median(values):6.2f} s"
        if name in cpu:
            line += f" (CPU {statistics.median(cpu[name]):.2f} s), {queries[name]} queries"
        print(line)
    print(
        f"  of which render_markdown of {len(texts)} abstracts and descriptions: {rendering:.2f} s"
    )
    print("  (first import = parse + plan + write; the plan renders the Markdown)")
    folder.cleanup()


if __name__ == "__main__":
    main()
