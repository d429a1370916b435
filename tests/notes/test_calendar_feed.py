"""The personal calendar: starred sessions at a secret address, no sign-in needed; resettable."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.test import Client

from notes.models import CalendarFeed, Visibility
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    NoteFactory,
    SessionFactory,
    StarFactory,
)

pytestmark = pytest.mark.django_db


def starred(user, count=2):
    """count sessions starred by user, across two conferences in different zones."""
    seoul = ConferenceFactory(slug="seoul", timezone="Asia/Seoul")
    berlin = ConferenceFactory(
        slug="berlin",
        timezone="Europe/Berlin",
        start_date=date(2025, 9, 1),
        end_date=date(2025, 9, 2),
    )
    sessions = []
    for number in range(count):
        conference = (seoul, berlin)[number % 2]
        day = (
            DayFactory(conference=conference, index=1, date=conference.start_date)
            if number < 2
            else conference.days.get()
        )
        start = datetime.combine(
            conference.start_date, datetime.min.time(), tzinfo=UTC
        ) + timedelta(hours=number + 1)
        session = SessionFactory(
            conference=conference,
            day=day,
            title=f"Starred {number}",
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
        )
        StarFactory(user=user, session=session)
        sessions.append(session)
    return sessions


def test_feed_lists_my_starred_sessions_without_signing_in(client, owner, other_user):
    sessions = starred(owner)
    StarFactory(user=other_user, session=SessionFactory(title="Someone else's"))
    feed = CalendarFeed.objects.create(user=owner)

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Starred 0", "Starred 1"]
    assert sorted(tz["TZID"] for tz in calendar.walk("VTIMEZONE")) == [
        "Asia/Seoul",
        "Europe/Berlin",
    ]
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert events[0].decoded("DTSTART") == sessions[0].starts_at
    assert str(events[1]["URL"]) == f"http://testserver/berlin/sessions/{sessions[1].slug}/"


def test_unknown_token_is_404(client, owner):
    CalendarFeed.objects.create(user=owner)

    assert client.get("/calendar/not-the-token.ics").status_code == 404


def test_notes_never_appear_in_the_feed(client, owner):
    sessions = starred(owner)
    NoteFactory(author=owner, session=sessions[0], body="my private musings")
    NoteFactory(
        author=owner, session=sessions[1], body="my public musings", visibility=Visibility.PUBLIC
    )
    feed = CalendarFeed.objects.create(user=owner)

    content = client.get(f"/calendar/{feed.token}.ics").content.decode()

    assert "musings" not in content


def test_reset_gives_a_new_address_and_the_old_one_stops_working(owner_client, owner):
    starred(owner)
    old = CalendarFeed.objects.create(user=owner).token

    response = owner_client.post("/me/calendar/reset/")

    new = CalendarFeed.objects.get(user=owner).token
    assert response.status_code == 302
    assert response["Location"] == "/me/#calendar"
    assert new != old
    anonymous = Client()
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{new}.ics").status_code == 200


def test_first_post_creates_the_address(owner_client, owner):
    owner_client.post("/me/calendar/reset/")

    assert CalendarFeed.objects.filter(user=owner).count() == 1


def test_reset_is_post_only_and_for_signed_in_people(owner_client, owner):
    assert owner_client.get("/me/calendar/reset/").status_code == 405
    response = Client().post("/me/calendar/reset/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CalendarFeed.objects.exists()


def test_my_page_offers_to_create_the_address_without_creating_it(owner_client, owner):
    page = owner_client.get("/me/")

    assert "Create my calendar link" in page.text
    assert not CalendarFeed.objects.exists()


def test_my_page_shows_the_address_and_a_reset_button(owner_client, owner):
    feed = CalendarFeed.objects.create(user=owner)

    page = owner_client.get("/me/")

    assert f'value="http://testserver/calendar/{feed.token}.ics"' in page.text
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in page.text
    assert "Make a new address" in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_feed_runs_a_fixed_number_of_queries(client, owner, django_assert_num_queries, count):
    starred(owner, count)
    feed = CalendarFeed.objects.create(user=owner)

    with django_assert_num_queries(3):
        response = client.get(f"/calendar/{feed.token}.ics")

    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == count
