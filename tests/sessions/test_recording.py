"""Recording schedule versions (sessions/recording.py): what a writer changed of its sessions
becomes one version with exactly those changes, in words people read, and each changed session's
iCalendar sequence grows; nothing changed, no version."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.importers import parse_schedule, plan_import
from sessions.models import Conference, Session, SessionSpeaker
from sessions.recording import recording
from sessions.versions import ScheduleChange, ScheduleVersion
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

ADMIN = ScheduleVersion.Origin.ADMIN
TEN = datetime(2025, 8, 15, 1, 0, tzinfo=UTC)  # 10:00 in Seoul


def rows(version):
    return [
        (change.session_id, change.kind, change.old, change.new)
        for change in version.changes.order_by("session_id", "pk")
    ]


@pytest.fixture
def programme():
    """A published programme in Seoul: four talks in two rooms on one day, a second day."""
    conference = ConferenceFactory(slug="pyconkr", timezone="Asia/Seoul")
    day = DayFactory(conference=conference, index=1, date=date(2025, 8, 15))
    DayFactory(conference=conference, index=2, date=date(2025, 8, 16))
    hall, room = (RoomFactory(conference=conference, name=name) for name in ("Hall A", "101"))
    ada, bo = (SpeakerFactory(conference=conference, name=name) for name in ("Ada", "Bo"))
    talks = [
        SessionFactory(
            conference=conference,
            day=day,
            room=hall if number % 2 else room,
            title=f"Talk {number}",
            starts_at=TEN + timedelta(hours=number),
            ends_at=TEN + timedelta(hours=number, minutes=40),
            speakers=[ada, bo] if number == 0 else [],
        )
        for number in range(4)
    ]
    with recording(conference, origin=ADMIN):
        pass  # the programme as it stood, before versions: nothing changed, nothing recorded
    ScheduleVersion.objects.create(conference=conference, number=1, origin="import")
    return SimpleNamespace(conference=conference, talks=talks, hall=hall, room=room, bo=bo)


def test_each_kind_of_change_is_one_row_with_old_and_new_in_words(programme):
    conference, hall, room = programme.conference, programme.hall, programme.room
    moved, rehoused, retitled, cancelled = programme.talks
    other_day = conference.days.get(index=2)

    with recording(conference, origin=ADMIN, source="") as recorded:
        Session.objects.filter(pk=moved.pk).update(
            starts_at=TEN + timedelta(hours=4), ends_at=TEN + timedelta(hours=4, minutes=30)
        )
        SessionSpeaker.objects.filter(session=moved, speaker=programme.bo).delete()
        Session.objects.filter(pk=rehoused.pk).update(room=room, day=other_day)
        Session.objects.filter(pk=retitled.pk).update(title="Talk 2, renamed")
        Session.objects.filter(pk=cancelled.pk).update(cancelled=True)
        added = SessionFactory(conference=conference, day=other_day, room=hall, title="New")

    version = recorded.version
    assert (version.number, version.origin, version.source) == (2, "admin", "")
    assert version.counts == dict.fromkeys(
        ["new", "cancelled", "day", "time", "room", "title", "speakers"], 1
    )
    assert rows(version) == [
        (moved.pk, "time", "10:00–10:40", "14:00–14:30"),
        (moved.pk, "speakers", "Ada, Bo", "Ada"),
        (rehoused.pk, "day", "2025-08-15", "2025-08-16"),
        (rehoused.pk, "room", "Hall A", "101"),
        (retitled.pk, "title", "Talk 2", "Talk 2, renamed"),
        (cancelled.pk, "cancelled", "", ""),
        (added.pk, "new", "", ""),
    ]
    change = version.changes.get(kind="title")
    assert (change.session_title, change.starts_at) == ("Talk 2, renamed", retitled.starts_at)
    sequences = dict(Session.objects.values_list("title", "sequence"))
    assert sequences == {"Talk 0": 1, "Talk 1": 1, "Talk 2, renamed": 1, "Talk 3": 1, "New": 0}


def test_nothing_attendees_see_changed_makes_no_version(programme):
    conference, talks = programme.conference, programme.talks

    with recording(conference, origin=ADMIN) as recorded:
        Session.objects.filter(pk=talks[0].pk).update(abstract="Now with an abstract")

    assert recorded.version is None
    assert ScheduleVersion.objects.count() == 1
    assert Session.objects.get(pk=talks[0].pk).sequence == 0


def test_restored_session_and_what_moved_while_it_was_off(programme):
    conference, talks, hall = programme.conference, programme.talks, programme.hall
    Session.objects.filter(pk=talks[0].pk).update(cancelled=True)

    with recording(conference, origin=ADMIN) as recorded:
        Session.objects.filter(pk=talks[0].pk).update(cancelled=False, room=hall)

    assert rows(recorded.version) == [
        (talks[0].pk, "restored", "", ""),
        (talks[0].pk, "room", "101", "Hall A"),
    ]


def test_changes_to_a_cancelled_session_are_not_recorded(programme):
    conference, talks = programme.conference, programme.talks
    Session.objects.filter(pk=talks[0].pk).update(cancelled=True)

    with recording(conference, origin=ADMIN) as recorded:
        Session.objects.filter(pk=talks[0].pk).update(title="Still off")

    assert recorded.version is None


def test_deleted_session_is_cancelled_without_a_session(programme):
    conference, talks = programme.conference, programme.talks

    with recording(conference, origin=ADMIN) as recorded:
        talks[3].delete()

    change = recorded.version.changes.get()
    assert (change.session_id, change.kind, change.session_title) == (None, "cancelled", "Talk 3")


def test_same_clock_times_on_another_date_within_the_day_show_the_dates(programme):
    conference, talks = programme.conference, programme.talks

    with recording(conference, origin=ADMIN) as recorded:
        Session.objects.filter(pk=talks[0].pk).update(
            starts_at=TEN + timedelta(days=1), ends_at=TEN + timedelta(days=1, minutes=40)
        )

    assert rows(recorded.version) == [
        (talks[0].pk, "time", "2025-08-15 10:00–10:40", "2025-08-16 10:00–10:40")
    ]


def test_a_changed_time_zone_moves_nothing(programme):
    conference = programme.conference

    with recording(conference, origin=ADMIN) as recorded:
        Conference.objects.filter(pk=conference.pk).update(timezone="Europe/Berlin")

    assert recorded.version is None


def test_a_failed_write_records_nothing(programme):
    conference, talks = programme.conference, programme.talks

    with pytest.raises(ZeroDivisionError), recording(conference, origin=ADMIN):
        Session.objects.filter(pk=talks[0].pk).update(title="Half done")
        1 / 0  # noqa: B018

    assert Session.objects.get(pk=talks[0].pk).title == "Talk 0"
    assert ScheduleVersion.objects.count() == 1


def test_first_import_is_version_one_published_without_changes():
    data = (SCHEDULES / "pretalx-democon.json").read_bytes()

    plan = plan_import(parse_schedule(data, "democon.json")).apply()

    version = plan.recorded.version
    assert (version.number, version.origin, version.source, version.counts) == (
        1,
        "import",
        "democon.json",
        {},
    )
    assert ScheduleChange.objects.count() == 0
    assert set(Session.objects.values_list("sequence", flat=True)) == {0}
    assert plan.conference.versions.count() == 1


def test_a_programme_from_before_versions_gets_version_one_then_two():
    session = SessionFactory(title="Typed in before versions")

    with recording(session.conference, origin=ADMIN) as recorded:
        Session.objects.filter(pk=session.pk).update(title="Retitled")

    versions = list(session.conference.versions.order_by("number"))
    assert [(v.number, v.counts) for v in versions] == [(1, {}), (2, {"title": 1})]
    assert recorded.version == versions[1]
    assert rows(versions[1]) == [(session.pk, "title", "Typed in before versions", "Retitled")]


def test_a_conference_typed_into_the_admin_is_published_by_its_first_session():
    conference = ConferenceFactory()

    with recording(conference, origin=ADMIN) as first:
        SessionFactory(conference=conference, title="One")
    with recording(conference, origin=ADMIN) as second:
        two = SessionFactory(conference=conference, title="Two")

    assert (first.version.number, first.version.changes.count()) == (1, 0)
    assert (second.version.number, rows(second.version)) == (2, [(two.pk, "new", "", "")])


def test_version_numbers_count_up_per_conference(programme):
    conference, talks = programme.conference, programme.talks
    elsewhere = SessionFactory(title="Elsewhere")
    for title in ("A", "B"):
        with recording(conference, origin=ADMIN):
            Session.objects.filter(pk=talks[0].pk).update(title=title)
    with recording(elsewhere.conference, origin=ADMIN):
        Session.objects.filter(pk=elsewhere.pk).update(title="C")

    assert list(conference.versions.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert list(elsewhere.conference.versions.values_list("number", flat=True)) == [2, 1]
    assert Session.objects.get(pk=talks[0].pk).sequence == 2


def recording_queries(name) -> int:
    """Queries of recording one retitled session in the conference of a real schedule."""
    data = (SCHEDULES / name).read_bytes()
    conference = plan_import(parse_schedule(data, name)).apply().conference
    session = conference.sessions.order_by("pk").first()
    with CaptureQueriesContext(connection) as queries, recording(conference, origin=ADMIN):
        Session.objects.filter(pk=session.pk).update(title="Retitled")
    return len(queries) - 1  # but the write itself


def test_recording_runs_a_fixed_number_of_queries_whatever_the_size():
    small = recording_queries("pretalx-democon.json")  # 36 sessions
    large = recording_queries("debconf23.xml")  # 117 sessions

    # A savepoint and its release; the snapshot before and after (sessions, speakers); the
    # sequence, the conference's row, the latest number, the version and its changes; and on
    # PostgreSQL the advisory lock.
    assert small == large == (12 if connection.vendor == "postgresql" else 11)
