"""manage.py import_schedule: its output, --dry-run, --conference, and its exit status."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sessions.models import Conference, Session
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES
DEMOCON = FIXTURES / "pretalx-democon.json"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_schedule", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_what_it_created():
    out, err = run(str(DEMOCON))

    lines = out.splitlines()
    assert lines[:3] == [
        "pretalx-democon.json: C3VOC JSON, 3 days, 2 rooms, 27 speakers, 36 sessions.",
        "New conference “DemoCon” (democon).",
        "  + conference “DemoCon”",
    ]
    assert "  + room “Gray Room”" in lines
    assert "  + session “Focused 5thgeneration hardware”" in lines
    assert "  … and 26 more (session, created); -v 2 lists all" in lines
    assert lines[-3:] == [
        "Created: 3 days, 2 rooms, 2 tracks, 27 speakers, 36 sessions",
        "Version 1: published",
        "Imported.",
    ]
    assert err == ""
    assert Session.objects.count() == 36


def test_second_import_says_no_changes():
    run(str(DEMOCON))

    out, _err = run(str(DEMOCON))

    assert out.splitlines()[-2:] == ["Conference “DemoCon” (democon).", "No changes."]


def test_dry_run_shows_the_plan_and_writes_nothing():
    out, _err = run(str(DEMOCON), "--dry-run", "-v", "2")

    assert Conference.objects.count() == 0
    lines = out.splitlines()
    assert sum(line.startswith("  + session “") for line in lines) == 36
    assert lines[-2:] == [
        "Created: 3 days, 2 rooms, 2 tracks, 27 speakers, 36 sessions",
        "Dry run: nothing was written.",
    ]


def test_changed_file_lists_changes_and_cancellations(tmp_path):
    run(str(DEMOCON))
    text = DEMOCON.read_text().replace(
        '"title": "Focused 5thgeneration hardware"', '"title": "Focused sixth generation"'
    )
    path = tmp_path / "democon-v2.json"
    path.write_text(text)

    out, _err = run(str(path), "--conference", "democon")

    assert out.splitlines()[2:] == [
        "  ~ session “Focused sixth generation” (title)",
        "Changed: 1 session",
        "Version 2: 1 retitled",
        "Imported.",
    ]


def test_conference_option_picks_the_slug():
    run(str(DEMOCON), "--conference", "데모콘-2020")

    assert list(Conference.objects.values_list("slug", flat=True)) == ["데모콘-2020"]


def test_reserved_slug_is_refused():
    with pytest.raises(CommandError) as error:
        run(str(DEMOCON), "--conference", "admin")

    assert str(error.value) == (
        "Conference slug “admin”: “admin” is reserved for the site. Choose another one."
    )
    assert Conference.objects.count() == 0


def test_bad_file_is_a_command_error_naming_the_file():
    with pytest.raises(CommandError) as error:
        run(str(FIXTURES / "invalid-example.json"))

    assert str(error.value) == (
        'invalid-example.json: schedule.conference.days[0].rooms["Winterchaos"][0].id: '
        "expected an integer, got the string '2814'"
    )


def test_exit_status_is_non_zero_with_one_line_on_stderr(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<schedule><conference>")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_schedule", str(path)],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr == (
        "CommandError: broken.xml: not well-formed XML: no element found: line 1, column 22\n"
    )
    assert result.stdout == ""
