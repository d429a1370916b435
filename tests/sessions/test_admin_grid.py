"""The programme grid in the admin (the public timeline's layout, boxes to change forms, empty
slots to "add session") and the clashes on the conference's admin page."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from sessions.models import Session
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def at(clock, day=15):
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 8, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def world():
    """Rooms A and B with a talk each, room C empty, a break across all rooms at noon."""
    conference = ConferenceFactory(name="PyCon Grid")
    day = DayFactory(conference=conference, index=1)
    DayFactory(conference=conference, index=2)
    a, b, c = (
        RoomFactory(conference=conference, name=name, order=i) for i, name in enumerate("ABC")
    )
    track = TrackFactory(conference=conference, name="Web")
    talk = SessionFactory(
        conference=conference, day=day, room=a, track=track, title="Long talk",
        starts_at=at("10:00"), ends_at=at("11:00"),
    )  # fmt: skip
    short = SessionFactory(
        conference=conference, day=day, room=b, title="Short talk",
        starts_at=at("10:30"), ends_at=at("11:00"),
    )  # fmt: skip
    lunch = SessionFactory(
        conference=conference, day=day, room=None, kind=Session.Kind.BREAK, title="Lunch",
        starts_at=at("12:00"), ends_at=at("12:30"),
    )  # fmt: skip
    return conference, day, (a, b, c), (talk, short, lunch)


def grid(staff, conference, date_text=""):
    url = f"/admin/program/conference/{conference.pk}/grid/"
    response = staff.get(url + (f"{date_text}/" if date_text else ""))
    assert response.status_code == 200
    return response, lxml_html.fromstring(response.text)


def add_slots(tree, rooms):
    """{(room name, "HH:MM")} of every empty-slot link."""
    names = {str(room.pk): room.name for room in rooms}
    found = set()
    for link in tree.xpath("//a[@class='tl-add']"):
        query = parse_qs(urlsplit(link.get("href")).query)
        found.add((names[query["room"][0]], query["starts_at"][0][-5:]))
    return found


def test_boxes_link_to_their_change_forms(staff, world):
    conference, _day, _rooms, sessions = world
    _response, tree = grid(staff, conference)
    links = {a.text_content(): a.get("href") for a in tree.xpath("//article//h4/a")}
    talk, short, lunch = sessions
    assert links == {
        "Long talk": f"/admin/program/session/{talk.pk}/change/",
        "Short talk": f"/admin/program/session/{short.pk}/change/",
    }
    (edit,) = tree.xpath("//a[@class='tl-edit']")  # the break, which the public grid leaves
    assert edit.get("href") == f"/admin/program/session/{lunch.pk}/change/"


def test_each_empty_room_and_half_hour_links_to_add_a_session_there(staff, world):
    conference, day, rooms, _sessions = world
    _response, tree = grid(staff, conference)
    after = {"12:30", "13:00", "13:30", "14:00"}  # two hours after the last session
    assert add_slots(tree, rooms) == {
        ("A", "11:00"), ("A", "11:30"),
        ("B", "10:00"), ("B", "11:00"), ("B", "11:30"),
        ("C", "10:00"), ("C", "10:30"), ("C", "11:00"), ("C", "11:30"),
        *{(room, clock) for room in "ABC" for clock in after},
    }  # fmt: skip
    link = tree.xpath("//a[@class='tl-add'][contains(@aria-label, 'in C at 10:30')]")[0]
    query = parse_qs(urlsplit(link.get("href")).query)
    assert query == {
        "conference": [str(conference.pk)],
        "day": [str(day.pk)],
        "room": [str(rooms[2].pk)],
        "starts_at": ["2025-08-15T10:30"],
    }
    # Room C has nothing on the day but still gets its column.
    assert [r.text_content() for r in tree.xpath("//div[@class='tl-room']")] == ["A", "B", "C"]


def test_an_empty_day_offers_a_day_of_half_hours(staff, world):
    conference, _day, rooms, _sessions = world
    response, tree = grid(staff, conference, "2025-08-16")
    slots = add_slots(tree, rooms)
    assert len(slots) == 3 * 18
    assert ("A", "09:00") in slots and ("C", "17:30") in slots
    assert "Day 2 · Sat 16 Aug" in response.text


def test_the_grid_of_an_unknown_day_is_404(staff, world):
    conference = world[0]
    url = f"/admin/program/conference/{conference.pk}/grid/"
    assert staff.get(url + "2025-08-20/").status_code == 404
    assert staff.get(url + "yesterday/").status_code == 404
    assert staff.get("/admin/program/conference/999999/grid/").status_code == 404


def test_the_conference_page_links_to_its_grid_and_to_adding_a_session(staff, world):
    conference = world[0]
    response = staff.get(f"/admin/program/conference/{conference.pk}/change/")
    tree = lxml_html.fromstring(response.text)
    tools = {a.text_content(): a.get("href") for a in tree.xpath("//ul[@class='object-tools']//a")}
    assert tools["Programme grid"] == f"/admin/program/conference/{conference.pk}/grid/"
    assert tools["Add session"] == f"/admin/program/session/add/?conference={conference.pk}"
    assert "hugi-clashes" not in response.text


def clash_lines(response):
    tree = lxml_html.fromstring(response.text)
    return [
        " ".join(li.text_content().split()) for li in tree.xpath("//div[@class='hugi-clashes']//li")
    ]


def test_clashes_are_listed_at_the_top_of_the_conference_page(staff, world):
    conference, day, (a, _b, _c), (talk, short, _lunch) = world
    speaker = SpeakerFactory(conference=conference, name="Kim")
    talk.speakers.add(speaker)
    short.speakers.add(speaker)
    SessionFactory(
        conference=conference, day=day, room=a, title="Double booked",
        starts_at=at("10:40"), ends_at=at("11:10"),
    )  # fmt: skip
    SessionFactory(
        conference=conference, day=day, room=a, title="Cancelled, so no clash", cancelled=True,
        starts_at=at("10:00"), ends_at=at("10:30"),
    )  # fmt: skip
    response = staff.get(f"/admin/program/conference/{conference.pk}/change/")
    assert clash_lines(response) == [
        "Room A: Long talk (Fri 15 Aug 10:00–11:00) overlaps Double booked (Fri 15 Aug 10:40–11:10)",
        "Speaker Kim: Long talk (Fri 15 Aug 10:00–11:00) overlaps Short talk (Fri 15 Aug 10:30–11:00)",
    ]
    # The grid of that day lists them too.
    response, _tree = grid(staff, conference)
    assert len(clash_lines(response)) == 2


def fill(conference, day, rooms, count):
    """count talks of 30 minutes per room with two speakers each, from 09:00."""
    speakers = [SpeakerFactory(conference=conference) for _ in range(2)]
    start = at("09:00")
    for room in rooms:
        for index in range(count):
            starts_at = start + timedelta(minutes=30 * index)
            SessionFactory(
                conference=conference, day=day, room=room, speakers=speakers,
                starts_at=starts_at, ends_at=starts_at + timedelta(minutes=30),
            )  # fmt: skip


def count_queries(staff, url):
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_grid_runs_a_fixed_number_of_queries(staff):
    conference = ConferenceFactory(start_date=date(2025, 8, 15))
    day = DayFactory(conference=conference, index=1)
    rooms = [RoomFactory(conference=conference) for _ in range(2)]
    fill(conference, day, rooms, 1)
    url = f"/admin/program/conference/{conference.pk}/grid/"
    small = count_queries(staff, url)
    fill(conference, day, [*rooms, *(RoomFactory(conference=conference) for _ in range(3))], 6)
    large = count_queries(staff, url)
    assert small == large == 11


def test_after_a_session_ending_off_the_half_hour_the_slots_catch_up_with_the_clock(staff):
    conference = ConferenceFactory()
    day = DayFactory(conference=conference, index=1)
    room = RoomFactory(conference=conference, name="Solo")
    SessionFactory(
        conference=conference, day=day, room=room, starts_at=at("10:00"), ends_at=at("11:10")
    )
    _response, tree = grid(staff, conference)
    assert sorted(add_slots(tree, [room])) == [
        ("Solo", clock) for clock in ("11:10", "11:30", "12:00", "12:30", "13:00")
    ]
    labels = [t.text_content() for t in tree.xpath("//div[@class='tl-time']//time")]
    assert labels == ["10:00", "10:30", "11:00", "11:10", "11:30", "12:00", "12:30", "13:00"]


def test_a_programme_full_of_clashes_lists_the_first_fifty(staff):
    conference = ConferenceFactory()
    day = DayFactory(conference=conference, index=1)
    room = RoomFactory(conference=conference, name="Crowded")
    for index in range(11):  # all at once: 55 pairs
        SessionFactory(
            conference=conference, day=day, room=room, title=f"Talk {index:02d}",
            starts_at=at("10:00"), ends_at=at("10:30"),
        )  # fmt: skip
    response = staff.get(f"/admin/program/conference/{conference.pk}/change/")
    lines = clash_lines(response)
    assert len(lines) == 51
    assert lines[-1] == "… and 5 more clashes."
    assert "55 clashes in the programme" in response.text


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-45", "9999-99-99"])
def test_a_date_that_does_not_exist_is_404(staff, world, text):
    response = staff.get(f"/admin/program/conference/{world[0].pk}/grid/{text}/")
    assert response.status_code == 404


def test_the_grid_only_reads(staff, world):
    response = staff.post(f"/admin/program/conference/{world[0].pk}/grid/")
    assert response.status_code == 405


def test_the_free_end_of_a_half_hour_is_a_slot_of_its_own(staff):
    conference = ConferenceFactory()
    day = DayFactory(conference=conference, index=1)
    room = RoomFactory(conference=conference, name="Solo")
    for start, end in (("10:00", "10:40"), ("11:00", "11:20"), ("11:25", "12:00")):
        SessionFactory(
            conference=conference, day=day, room=room, starts_at=at(start), ends_at=at(end)
        )
    _response, tree = grid(staff, conference)
    # 10:40-11:00 is free; 11:20-11:25 is too short to offer.
    assert sorted(add_slots(tree, [room])) == [
        ("Solo", clock) for clock in ("10:40", "12:00", "12:30", "13:00", "13:30")
    ]
    (gap,) = tree.xpath("//a[@class='tl-add'][contains(@href, 'T10:40')]")
    assert parse_qs(urlsplit(gap.get("href")).query)["ends_at"] == ["2025-08-15T11:00"]


def test_a_conference_without_days_says_what_to_add_first(staff):
    conference = ConferenceFactory()
    response, tree = grid(staff, conference)
    assert [p.text_content() for p in tree.xpath("//div[@id='content-main']/p")] == [
        "This conference has no days yet: add them on its page, then its rooms."
    ]
    assert 'id="tl"' not in response.text
