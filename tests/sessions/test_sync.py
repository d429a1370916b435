"""sync_schedules against a real HTTP server serving successive edits of a real schedule
(DebConf 23, frab XML): each edit becomes exactly one version whose changes are exactly the
edits; a 304 or the same bytes again change nothing; a truncated file is held; an error page, a
timeout or a broken file is recorded and leaves the programme as it was."""

import os
import subprocess
import sys
import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sessions.models import Conference, Session
from sessions.sync import APPLIED, NOT_MODIFIED, sync_source
from sessions.versions import HeldSchedule, ScheduleSource, ScheduleVersion
from tests.sessions.frab_edits import Watched, edit
from tests.support.paths import ROOT, SCHEDULES
from tests.support.schedule_server import ServedFile

pytestmark = pytest.mark.django_db

DEBCONF = SCHEDULES / "debconf23.xml"
SLUG = "debconf23"


def sync(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("sync_schedules", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def changes(number):
    version = ScheduleVersion.objects.get(conference__slug=SLUG, number=number)
    return sorted(
        (change.session_title, change.kind, change.old, change.new)
        for change in version.changes.all()
    )


def programme():
    """What attendees see of every session, to show that nothing changed."""
    return list(
        Session.objects.order_by("pk").values_list(
            "pk", "title", "starts_at", "ends_at", "day__date", "room__name", "cancelled"
        )
    )


def source():
    return ScheduleSource.objects.get(conference__slug=SLUG)


# --- the address is remembered ------------------------------------------------------------------


def test_import_from_an_address_makes_it_the_source_with_its_validators(served):
    remembered = source()

    assert remembered.url == served.url
    assert remembered.enabled is True
    assert remembered.etag.startswith('"') and remembered.last_modified.endswith("GMT")
    assert len(remembered.content_sha256) == 64
    assert (remembered.outcome, remembered.failed) == ("imported", False)
    assert list(ScheduleVersion.objects.values_list("number", "origin", "source")) == [
        (1, "import", served.url)
    ]


def test_import_from_an_address_says_which_version_and_source(served):
    edit(served, lambda schedule: schedule.retitle("Why Debian", "Why Debian?"))
    out = StringIO()

    call_command("import_schedule", served.url, stdout=out)

    assert out.getvalue().splitlines()[-3:] == [
        "Version 2: 1 retitled",
        f"Schedule source: {served.url} (sync_schedules keeps it up to date).",
        "Imported.",
    ]


def test_import_from_a_file_leaves_no_source():
    call_command("import_schedule", str(DEBCONF), stdout=StringIO())

    assert ScheduleSource.objects.count() == 0


# --- versions are the edits -----------------------------------------------------------------------


def test_successive_edits_become_versions_with_exactly_those_changes(served):
    def first(schedule):
        schedule.move("Why Debian", minutes=60)
        schedule.swap_rooms(
            "Teams, newcomers and numbers",
            "State of Stateless - A Talk about Immutability and Reproducibility in Debian",
        )
        schedule.retitle("Opening Ceremony", "Opening Ceremony and Welcome")
        schedule.drop("Continuous Key-Signing Party introduction")
        schedule.add("Why Debian", "Why not Debian")

    edit(served, first)
    out, err, error = sync()

    assert (out, err, error) == (
        "debconf23: version 2 — 1 moved, 2 room changes, 1 retitled, 1 cancelled, 1 new\n",
        "",
        None,
    )
    assert changes(2) == [
        ("Continuous Key-Signing Party introduction", "cancelled", "", ""),
        (
            "Opening Ceremony and Welcome",
            "title",
            "Opening Ceremony",
            "Opening Ceremony and Welcome",
        ),
        (
            "State of Stateless - A Talk about Immutability and Reproducibility in Debian",
            "room",
            "Ponmudi",
            "Kuthiran",
        ),
        ("Teams, newcomers and numbers", "room", "Kuthiran", "Ponmudi"),
        ("Why Debian", "time", "11:30–12:15", "12:30–13:15"),
        ("Why not Debian", "new", "", ""),
    ]
    version = ScheduleVersion.objects.get(number=2)
    assert (version.origin, version.source) == ("sync", served.url)
    assert version.counts == {"new": 1, "cancelled": 1, "time": 1, "room": 2, "title": 1}

    def second(schedule):
        schedule.to_day("Teams, newcomers and numbers", 3)
        schedule.drop_speaker("Digital security with Free Software", "Vignesh")

    edit(served, second)
    out, _err, _error = sync()

    assert out == "debconf23: version 3 — 1 moved to another day, 1 speaker change\n"
    assert changes(3) == [
        (
            "Digital security with Free Software",
            "speakers",
            "Vignesh, Kiran S Kunjumon",
            "Kiran S Kunjumon",
        ),
        ("Teams, newcomers and numbers", "day", "2023-09-10", "2023-09-12"),
    ]
    sequences = dict(Session.objects.filter(sequence__gt=0).values_list("title", "sequence"))
    assert sequences == {
        "Continuous Key-Signing Party introduction": 1,
        "Digital security with Free Software": 1,
        "Opening Ceremony and Welcome": 1,
        "State of Stateless - A Talk about Immutability and Reproducibility in Debian": 1,
        "Teams, newcomers and numbers": 2,
        "Why Debian": 1,
    }
    assert (source().outcome, source().failed) == (
        "version 3 — 1 moved to another day, 1 speaker change",
        False,
    )


def test_an_unchanged_file_is_answered_304_and_makes_no_version(served):
    before = programme()
    changed_at = Conference.objects.get().changed_at

    etag = source().etag

    out, err, error = sync()

    assert (out, err, error) == ("debconf23: not modified\n", "", None)
    assert served.route.seen[-1] == (etag, 304)
    assert ScheduleVersion.objects.count() == 1
    assert programme() == before
    assert Conference.objects.get().changed_at == changed_at
    assert (source().outcome, source().failed, source().etag) == ("not modified", False, etag)


def test_the_same_bytes_without_validators_make_no_version(served):
    served.server.routes["/schedule.xml"] = route = Watched((200, {}, DEBCONF.read_bytes()))
    etag = source().etag

    out, _err, _error = sync()
    again, _err, _error = sync()

    assert out == again == "debconf23: not modified\n"
    # The ETag from the import is sent, and ignored; the answer has none to send next time.
    assert route.seen == [(etag, 200), (None, 200)]
    assert ScheduleVersion.objects.count() == 1
    assert (source().etag, source().last_modified) == ("", "")


def test_a_file_that_changes_only_what_versions_ignore_updates_without_a_version(served):
    edit(served, lambda schedule: schedule.event("Why Debian").find("abstract").set("x", "y"))
    text = served.path.read_text().replace("Welcome to DebConf23", "Welcome to DebConf 23!")
    served.path.write_text(text)

    out, _err, _error = sync()

    assert out == "debconf23: updated; no session moved, changed or was cancelled\n"
    assert ScheduleVersion.objects.count() == 1
    assert Session.objects.get(title="Opening Ceremony").description == "Welcome to DebConf 23!"


# --- held -------------------------------------------------------------------------------------------


def test_a_truncated_file_is_held_and_changes_nothing(served):
    before = programme()
    edit(served, lambda schedule: schedule.keep_days(2))

    out, err, error = sync()
    again, _err, _error = sync()

    line = "debconf23: held — would cancel 68 % of the programme (80 of 117 sessions)\n"
    assert (out, err, error) == (line, "", None)
    assert again == line
    assert programme() == before
    assert ScheduleVersion.objects.count() == 1
    held = HeldSchedule.objects.get()  # held once, however often it is fetched
    assert (held.status, held.source, held.reason) == (
        "held",
        served.url,
        "would cancel 68 % of the programme (80 of 117 sessions)",
    )
    assert held.summary == ["Removed: 80 sessions (marked cancelled, not deleted)"]
    assert bytes(held.data) == served.path.read_bytes()
    # Not remembered as applied: fetched in full next time, and held again.
    assert [status for _sent, status in served.route.seen[-2:]] == [200, 200]
    assert (source().outcome, source().failed) == (line[len("debconf23: ") : -1], False)


def test_a_file_that_empties_a_day_is_held(served):
    edit(served, lambda schedule: schedule.drop_day(4))

    out, _err, _error = sync()

    assert out == "debconf23: held — would leave 2023-09-13 with no sessions\n"
    assert HeldSchedule.objects.get().reason == "would leave 2023-09-13 with no sessions"
    assert Session.objects.filter(cancelled=True).count() == 0


@pytest.mark.parametrize(("share", "held"), [(0.3, True), (0.6, False)])
def test_the_share_that_holds_a_file_is_a_setting(served, settings, share, held):
    settings.SCHEDULE_SYNC_HOLD_SHARE = share
    edit(served, lambda schedule: schedule.drop_every_other())

    out, _err, _error = sync()

    assert HeldSchedule.objects.exists() is held
    assert out == (
        "debconf23: held — would cancel 45 % of the programme (53 of 117 sessions)\n"
        if held
        else "debconf23: version 2 — 53 cancelled\n"
    )


def test_a_newer_file_applied_retires_what_was_held(served):
    original = served.path.read_bytes()
    edit(served, lambda schedule: schedule.keep_days(2))
    sync()
    served.path.write_bytes(original)
    edit(served, lambda schedule: schedule.retitle("Why Debian", "Why Debian?"))

    out, _err, _error = sync()

    assert out == "debconf23: version 2 — 1 retitled\n"
    held = HeldSchedule.objects.get()
    assert (held.status, held.decided_by) == ("rejected", None)


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            (
                200,
                {"Content-Type": "text/html"},
                b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            ),
            "{url}: not a schedule: the root element is not <schedule>",
        ),
        ((503, {}, b"down for maintenance"), "{url}: the server answered 503 Service Unavailable"),
        ((200, {}, b'{"schedule": 1}'), "{url}: schedule: expected an object, got an integer"),
        ((200, {}, b""), "{url}: the file is empty"),
    ],
)
def test_an_error_page_or_a_broken_file_is_recorded_and_changes_nothing(served, answer, message):
    served.server.routes["/schedule.xml"] = answer
    before = programme()
    etag = source().etag

    out, err, error = sync()

    expected = message.format(url=served.url)
    assert (out, err) == ("", f"debconf23: {expected}\n")
    assert str(error) == "1 of 1 sources failed"
    assert error.returncode == 1
    assert programme() == before
    assert ScheduleVersion.objects.count() == HeldSchedule.objects.count() + 1 == 1
    assert (source().outcome, source().failed, source().etag) == (expected, True, etag)
    assert source().fetched_at is not None


def test_a_timeout_is_recorded_and_changes_nothing(served, monkeypatch):
    from sessions.importers import sources

    monkeypatch.setattr(sources, "TIMEOUT_SECONDS", 1)

    def slow(handler):
        time.sleep(1.5)
        return 200, {}, DEBCONF.read_bytes()

    served.server.routes["/schedule.xml"] = slow
    before = programme()

    _out, err, error = sync()

    assert err == f"debconf23: {served.url}: the download took longer than 1 seconds\n"
    assert error.returncode == 1
    assert programme() == before
    assert source().failed is True


def test_after_a_failure_the_next_good_fetch_applies(served):
    served.server.routes["/schedule.xml"] = (500, {}, b"oops")
    sync()
    served.server.routes["/schedule.xml"] = ServedFile(served.path)
    edit(served, lambda schedule: schedule.retitle("Why Debian", "Why Debian?"))

    out, _err, error = sync()

    assert (out, error) == ("debconf23: version 2 — 1 retitled\n", None)
    assert source().failed is False


# --- which conferences --------------------------------------------------------------------------


def test_every_enabled_source_one_line_each_and_failures_in_the_exit_status(served):
    call_command("import_schedule", str(SCHEDULES / "pretalx-democon.json"), stdout=StringIO())
    democon = Conference.objects.get(slug="democon")
    ScheduleSource.objects.create(conference=democon, url=served.server.url + "/gone.json")
    off = Conference.objects.create(
        name="Off", slug="off", start_date="2024-01-01", end_date="2024-01-01"
    )
    ScheduleSource.objects.create(conference=off, url=served.url, enabled=False)

    out, err, error = sync()

    assert out == "debconf23: not modified\n"
    assert err == f"democon: {served.server.url}/gone.json: the server answered 404 Not Found\n"
    assert (str(error), error.returncode) == ("1 of 2 sources failed", 1)
    assert ScheduleSource.objects.get(conference=off).fetched_at is None


def test_one_conference_by_its_slug(served):
    ScheduleSource.objects.filter(conference__slug=SLUG).update(enabled=False)

    out, _err, error = sync("--conference", SLUG)
    assert (out, error) == ("debconf23: sync is off\n", None)

    with pytest.raises(CommandError) as unknown:
        call_command("sync_schedules", "--conference", "nothing-here")
    assert str(unknown.value) == (
        "nothing-here: no schedule source (import it from an address first)"
    )


# --- two machines at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time: there is no race to lose",
)
def test_two_syncs_at_once_make_one_version(served):
    def changed(schedule):
        schedule.add("Why Debian", "Why not Debian")  # a new row: both inserting it would fail
        schedule.retitle("Why Debian", "Why Debian?")

    edit(served, changed)
    both_asked = threading.Barrier(2, timeout=20)

    def answer_both_at_once(handler):
        both_asked.wait()  # neither answer goes out before both requests are in
        return ServedFile(served.path)(handler)

    served.server.routes["/schedule.xml"] = answer_both_at_once
    results, errors = [], []

    def run():
        try:
            results.append(sync_source(ScheduleSource.objects.select_related("conference").get()))
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(result.status for result in results) == sorted([APPLIED, NOT_MODIFIED])
    assert list(ScheduleVersion.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert changes(2) == [
        ("Why Debian?", "title", "Why Debian", "Why Debian?"),
        ("Why not Debian", "new", "", ""),
    ]


# --- the setting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "share"), [("", 0.3), ("0.5", 0.5), ("1", 1.0), ("2", None), ("lots", None)]
)
def test_the_hold_share_comes_from_the_environment_and_bad_values_are_refused(value, share):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.SCHEDULE_SYNC_HOLD_SHARE)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SCHEDULE_SYNC_HOLD_SHARE": value,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    if share is None:
        assert (
            "ImproperlyConfigured: SCHEDULE_SYNC_HOLD_SHARE must be a share between 0 and 1"
            in result.stderr
        )
    else:
        assert (result.returncode, result.stdout) == (0, f"{share}\n")
