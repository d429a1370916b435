"""The capacity scenario (bench/capacity/) run for a few seconds, so that it cannot rot.

A real gunicorn on a free port with its own scratch SQLite database (DebConf 23 and three
attendees made by `manage.py capacity_setup`), Locust headless against it for about 20 s at ten
times the day's pace, every user doing each of its tasks once as it arrives. Nothing about
speed is asserted (a loaded CI machine may be slow): only that every endpoint of the scenario
was asked for, nothing failed, and every note is what its note-taker was last told was saved.
"""

import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "capacity"
sys.path.insert(0, str(BENCH))

from locust_run import check, run_locust  # noqa: E402
from stacks import Embedded  # noqa: E402

from tests.support.paths import SCHEDULES  # noqa: E402

ENDPOINTS = {
    "note save", "editor", "/me/", "day timeline (signed in)", "session page (signed in)",
    "star", "photo upload", "day timeline", "session page", "conference", "speaker page",
    "home", "speakers", "calendar feed (starred)", "schedule.ics",
    "staff: import preview", "staff: import confirm",
}  # fmt: skip


@pytest.mark.skipif(shutil.which("nproc") is None, reason="needs a POSIX machine")
def test_capacity_scenario_runs_without_failure_and_loses_no_save(tmp_path):
    stack = Embedded(tmp_path, ["--workers", "2", "--timeout", "120"])
    roster = tmp_path / "roster.json"
    stack.prepare(3, roster, schedule=SCHEDULES / "debconf23.xml", slug="debconf23")
    base = stack.start()
    try:
        result = run_locust(base, roster, tmp_path / "run", 3, 20, pace=0.1, sync_at=3,
                            spawn_seconds=2, worker_pids=stack.worker_pids, smoke=True)  # fmt: skip
    finally:
        stack.stop()
    check(stack, result)

    asked = {name for name, row in result.rows.items() if row["requests"]}
    assert asked == ENDPOINTS
    assert result.failures == []
    assert result.total["failures"] == 0
    assert result.problems == []
    assert len(result.acks) == 3
    assert all(ack["version"] >= 1 for ack in result.acks)
    assert result.rows["note save"]["requests"] >= 3
