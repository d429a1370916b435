"""Reminders in the calendars: the personal feed reminds its owner as long before each starred
session as they chose on My hugi (none, 5, 10, 15 or 30 minutes; 10 unless they chose), a
session's own .ics 10 minutes before; cancelled sessions remind nobody. Read back with icalendar."""

from datetime import timedelta

import icalendar
import pytest
from django.test import Client

from notes.models import CalendarFeed
from sessions.models import Session
from tests.support.factories import StarFactory
from tests.support.public_programme import build_programme, page

pytestmark = pytest.mark.django_db


def alarms(content: bytes) -> dict[str, list[tuple[str, timedelta, str]]]:
    """{event summary: [(action, trigger, description)]} of a calendar."""
    calendar = icalendar.Calendar.from_ical(content)
    return {
        str(event["SUMMARY"]): [
            (str(alarm["ACTION"]), alarm.decoded("TRIGGER"), str(alarm["DESCRIPTION"]))
            for alarm in event.walk("VALARM")
        ]
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def starred_feed(owner):
    build_programme(2)
    talk_0, talk_1 = Session.objects.filter(slug__in=["talk-0", "talk-1"]).order_by("slug")
    talk_1.cancelled = True
    talk_1.save()
    for session in (talk_0, talk_1):
        StarFactory(user=owner, session=session)
    return CalendarFeed.objects.create(user=owner)


def feed_url(feed):
    return f"/calendar/{feed.token}.ics"


def test_the_feed_reminds_ten_minutes_before_each_session_that_is_on(client, starred_feed):
    assert starred_feed.reminder_minutes == 10
    assert alarms(client.get(feed_url(starred_feed)).content) == {
        "선 넘지 않는 윤리적인 LLM 솔루션 구축": [
            ("DISPLAY", timedelta(minutes=-10), "선 넘지 않는 윤리적인 LLM 솔루션 구축")
        ],
        "Python과 함께하는 AI 플랫폼": [],  # cancelled
    }


def test_the_reminder_is_a_trigger_calendar_apps_read(client, starred_feed):
    content = client.get(feed_url(starred_feed)).content.decode()
    assert "BEGIN:VALARM\r\nACTION:DISPLAY\r\n" in content
    assert "TRIGGER:-PT10M\r\n" in content


@pytest.mark.parametrize(("minutes", "trigger"), [("5", -5), ("15", -15), ("30", -30), ("10", -10)])
def test_the_owner_chooses_how_long_before(owner_client, client, starred_feed, minutes, trigger):
    response = owner_client.post("/me/calendar/reminder/", {"minutes": minutes})
    assert (response.status_code, response["Location"]) == (302, "/me/#calendar")
    starred_feed.refresh_from_db()
    assert starred_feed.reminder_minutes == int(minutes)
    found = alarms(client.get(feed_url(starred_feed)).content)
    assert [alarm[1] for alarm in found["선 넘지 않는 윤리적인 LLM 솔루션 구축"]] == [
        timedelta(minutes=trigger)
    ]


def test_no_reminder_means_no_alarm(owner_client, client, starred_feed):
    owner_client.post("/me/calendar/reminder/", {"minutes": "0"})
    content = client.get(feed_url(starred_feed)).content
    assert b"VALARM" not in content
    assert len(icalendar.Calendar.from_ical(content).walk("VEVENT")) == 2


@pytest.mark.parametrize("minutes", ["7", "", "ten", "-10"])
def test_only_the_offered_times_are_taken(owner_client, starred_feed, minutes):
    response = owner_client.post("/me/calendar/reminder/", {"minutes": minutes})
    assert response.status_code == 400
    starred_feed.refresh_from_db()
    assert starred_feed.reminder_minutes == 10


def test_choosing_is_post_only_and_for_signed_in_people(owner_client, starred_feed):
    assert owner_client.get("/me/calendar/reminder/").status_code == 405
    response = Client().post("/me/calendar/reminder/", {"minutes": "30"})
    assert response["Location"].startswith("/accounts/login/")
    starred_feed.refresh_from_db()
    assert starred_feed.reminder_minutes == 10


def test_my_hugi_offers_the_choice_with_mine_selected(owner_client, starred_feed):
    starred_feed.reminder_minutes = 15
    starred_feed.save()
    form = page(owner_client.get("/me/")).xpath("//form[contains(@class, 'reminder-form')]")[0]
    assert form.get("method") == "post"
    assert form.xpath(".//option/text()") == [
        "No reminder",
        "5 minutes before",
        "10 minutes before",
        "15 minutes before",
        "30 minutes before",
    ]
    assert form.xpath(".//option[@selected]/@value") == ["15"]


def test_a_sessions_own_calendar_file_reminds_ten_minutes_before(client):
    build_programme(1)
    response = client.get("/pycon-kr/sessions/talk-0.ics")
    assert alarms(response.content) == {
        "선 넘지 않는 윤리적인 LLM 솔루션 구축": [
            ("DISPLAY", timedelta(minutes=-10), "선 넘지 않는 윤리적인 LLM 솔루션 구축")
        ]
    }


def test_the_whole_programme_has_no_reminders(client):
    build_programme(2)
    assert b"VALARM" not in client.get("/pycon-kr/schedule.ics").content
