"""Benchmark: import the 36C3 schedule (1351 events) into a fresh SQLite database, then import it
again unchanged; then keep it in sync from a local HTTP server (sync_schedules' work for one
conference): unchanged (the server answers 304) and with 20 changes (5 talks moved, 5 pairs of
rooms swapped, 3 retitled, 1 dropped, 1 added: one version of 20 changes). Prints median times
and query counts.

    uv run python bench/import.py [--runs 3] [--syncs 20] [--file PATH]
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi_bench uv run python bench/import.py

Not a test: numbers depend on the machine. Each run imports into a new conference (a fresh slug)
in the same database, then re-imports the same file into it. The syncs serve the file from a
thread of this process over HTTP on 127.0.0.1 (tests/support/schedule_server.py: ETags and 304
as a real server does), so they include the download; a sync with changes is followed by an
untimed one that puts the original file back.
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
    parser.add_argument("--syncs", type=int, default=20, help="unchanged syncs to time")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="hugi-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder.name}/bench.sqlite3")
    os.environ["SCHEDULE_IMPORT_ALLOW_PRIVATE"] = "true"  # the schedule server is on 127.0.0.1
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

    sync_timings, sync_queries = bench_sync(args, data, slug)

    database = connection.vendor
    print(
        f"\n{args.file.name}: {len(schedule.sessions)} events, median of {args.runs} runs, {database}"
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
    for name, values in sync_timings.items():
        print(
            f"  {name:24} {statistics.median(values) * 1000:7.1f} ms median of {len(values)},"
            f" {sync_queries[name]} queries"
        )
    folder.cleanup()


def bench_sync(args, data: bytes, slug: str):
    """Sync the imported conference from a local server: unchanged, then with 20 changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions.importers import Source
    from sessions.models import Conference
    from sessions.sync import APPLIED, NOT_MODIFIED, remember_source, sync_source
    from sessions.versions import ScheduleSource
    from tests.sessions.frab_edits import FrabFile
    from tests.support.schedule_server import ServedFile, running_server

    timings = {"sync, unchanged (304)": [], "sync, 20 changes": []}
    queries = {}
    with (
        tempfile.TemporaryDirectory(prefix="hugi-bench-served-") as served,
        running_server() as server,
    ):
        path = Path(served) / args.file.name
        path.write_bytes(data)
        server.routes["/schedule.xml"] = ServedFile(path)
        # As import_schedule URL leaves it (without the validators: the first sync gets them).
        source = remember_source(
            Conference.objects.get(slug=slug), Source(name=server.url + "/schedule.xml", data=data)
        )

        def sync():
            # What sync_schedules does for each source: read it, then sync it.
            return sync_source(
                ScheduleSource.objects.select_related("conference").get(pk=source.pk)
            )

        assert sync().status == NOT_MODIFIED  # the same bytes as imported: keeps the ETag

        for _ in range(args.syncs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = sync()
                timings["sync, unchanged (304)"].append(time.perf_counter() - started)
            assert result.status == NOT_MODIFIED, result.line
        queries["sync, unchanged (304)"] = len(captured)

        edited = twenty_changes(FrabFile(path)).bytes()
        for _ in range(args.runs):
            path.write_bytes(edited)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = sync()
                timings["sync, 20 changes"].append(time.perf_counter() - started)
            assert result.status == APPLIED and sum(result.version.counts.values()) == 20, (
                result.line
            )
            queries["sync, 20 changes"] = len(captured)
            print(f"sync: {result.line}")
            path.write_bytes(data)
            assert sync().status == APPLIED  # back as it was, for the next run
    return timings, queries


def twenty_changes(schedule):
    """5 moved, 5 pairs of rooms swapped, 3 retitled, 1 dropped, 1 added: 20 changes."""
    titles = schedule.titles()
    unique = [title for title in titles if titles.count(title) == 1]
    first_day = [
        event.findtext("title")
        for event in schedule.root.iterfind("day[@index='1']/room/event")
        if event.findtext("title") in unique
    ]
    # Pairs of talks on the second day in different rooms.
    second_day = {}
    for room in schedule.root.iterfind("day[@index='2']/room"):
        for event in room.iterfind("event"):
            if event.findtext("title") in unique:
                second_day.setdefault(room.get("name"), event.findtext("title"))
    rooms = list(second_day.values())
    for title in first_day[:5]:
        schedule.move(title, minutes=15)
    for first, second in zip(rooms[0:10:2], rooms[1:10:2], strict=True):
        schedule.swap_rooms(first, second)
    for title in first_day[5:8]:
        schedule.retitle(title, title + " (updated)")
    schedule.drop(first_day[8])
    schedule.add(first_day[9], "A talk added at the last minute")
    return schedule


if __name__ == "__main__":
    main()
