"""Exports keep up with schedule versions: frab XML and C3VOC JSON carry the version, iCalendar
events a SEQUENCE that grows with each change to the session, LAST-MODIFIED, STATUS:CANCELLED,
and on request a reminder (VALARM). Calendars are read back with the icalendar library."""

from datetime import timedelta

import icalendar
import pytest
from lxml import etree

from sessions.exports import ical
from sessions.models import Session
from sessions.recording import recording
from sessions.versions import ScheduleVersion
from tests.sessions.test_export_schedule import assert_valid_json, assert_valid_xml
from tests.support.factories import ConferenceFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    """Two talks, published (version 1); then the first moved and the second cancelled
    (version 2), and the first moved again (version 3)."""
    conference = ConferenceFactory(slug="versioned", timezone="Asia/Seoul")
    with recording(conference, origin=ScheduleVersion.Origin.IMPORT):
        moved = SessionFactory(conference=conference, title="Moved twice", slug="moved-twice")
        SessionFactory(conference=conference, title="Called off", slug="called-off")
    for number in range(2):
        with recording(conference, origin=ScheduleVersion.Origin.SYNC):
            Session.objects.filter(pk=moved.pk).update(
                starts_at=moved.starts_at + timedelta(hours=number + 1),
                ends_at=moved.ends_at + timedelta(hours=number + 1),
            )
            Session.objects.filter(title="Called off").update(cancelled=True)
    conference.refresh_from_db()
    return conference


def calendar(conference, **options):
    sessions = ical.with_last_change(
        Session.objects.filter(conference=conference).select_related("room", "track")
    ).order_by("title")
    body = ical.conference_calendar(
        conference,
        list(sessions),
        session_url=lambda s: f"https://hugi.example/{s.slug}",
        **options,
    )
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return {str(event["SUMMARY"]): event for event in events}


def test_frab_xml_and_json_carry_the_version_number_and_stamp(client, conference):
    xml = assert_valid_xml(client.get("/versioned/schedule.xml").content)
    data = assert_valid_json(client.get("/versioned/schedule.json").content)

    expected = f"3 ({conference.changed_at.isoformat()})"
    assert xml.findtext("version") == expected
    assert data["schedule"]["version"] == expected


def test_a_conference_without_versions_exports_its_stamp_as_before(client):
    session = SessionFactory()

    xml = etree.fromstring(client.get(f"/{session.conference.slug}/schedule.xml").content)

    assert xml.findtext("version") == session.conference.changed_at.isoformat()


def test_events_carry_their_sequence_last_change_and_status(conference):
    events = calendar(conference)

    moved, called_off = events["Moved twice"], events["Called off"]
    third = conference.versions.get(number=3)
    second = conference.versions.get(number=2)
    assert (moved["SEQUENCE"], called_off["SEQUENCE"]) == (2, 1)
    # iCalendar times are to the second.
    assert moved.decoded("LAST-MODIFIED") == third.created_at.replace(microsecond=0)
    assert called_off.decoded("LAST-MODIFIED") == second.created_at.replace(microsecond=0)
    assert (str(moved["STATUS"]), str(called_off["STATUS"])) == ("CONFIRMED", "CANCELLED")


def test_without_the_annotation_last_modified_is_the_conference_stamp(conference):
    session = Session.objects.get(title="Moved twice")

    body = ical.conference_calendar(conference, [session], session_url=lambda s: "https://x/")

    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("LAST-MODIFIED") == conference.changed_at.replace(microsecond=0)


def test_alarm_minutes_adds_a_display_reminder_to_sessions_not_cancelled(conference):
    events = calendar(conference, alarm_minutes=10)

    alarms = events["Moved twice"].walk("VALARM")
    assert [(str(a["ACTION"]), a.decoded("TRIGGER"), str(a["DESCRIPTION"])) for a in alarms] == [
        ("DISPLAY", timedelta(minutes=-10), "Moved twice")
    ]
    assert "TRIGGER:-PT10M" in alarms[0].to_ical().decode()
    assert events["Called off"].walk("VALARM") == []


def test_no_alarm_unless_asked_for(conference):
    events = calendar(conference)

    assert [event.walk("VALARM") for event in events.values()] == [[], []]


def test_starred_calendar_takes_alarm_minutes_too(conference):
    sessions = Session.objects.filter(conference=conference, cancelled=False).select_related(
        "conference", "room", "track"
    )

    body = ical.starred_calendar(
        list(sessions), session_url=lambda s: "https://x/", alarm_minutes=5
    )

    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-5)
    assert event["SEQUENCE"] == 2
