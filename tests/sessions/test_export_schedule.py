"""Public public: frab XML and C3VOC JSON valid against their schemas, iCalendar with time
zones, a fixed number of queries whatever the size, and nothing private in them."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import jsonschema
import pytest
from lxml import etree

from notes.models import Visibility
from sessions.importers import parse_schedule, plan_import
from sessions.models import Conference
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    NoteFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

SCHEMAS = Path("/work/shared/data/schemas")
FIXTURES = SCHEDULES
XSD = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
JSON_SCHEMA = json.loads((SCHEMAS / "schedule.schema.json").read_text())


def assert_valid_xml(content: bytes):
    document = etree.fromstring(content)
    if not XSD.validate(document):
        raise AssertionError(str(XSD.error_log))
    return document


def assert_valid_json(content: bytes):
    data = json.loads(content)
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    return data


def import_fixture(name):
    data = (FIXTURES / name).read_bytes()
    return plan_import(parse_schedule(data, name)).apply().conference


def korean_conference(sessions=3):
    """A conference typed into the admin: Korean slugs, a break in no room, a cancelled talk."""
    conference = ConferenceFactory(
        name="파이콘 한국 2025", slug="파이콘-2025", acronym="파이콘", timezone="Asia/Seoul",
        start_date=date(2025, 8, 15), end_date=date(2025, 8, 16),
    )  # fmt: skip
    day = DayFactory(conference=conference, index=1, date=date(2025, 8, 15))
    rooms = [RoomFactory(conference=conference, name=f"{n}01호", slug=f"{n}01호") for n in (1, 2)]
    track = TrackFactory(conference=conference, name="웹", slug="웹", color="#0284c7")
    speakers = [SpeakerFactory(conference=conference, name=f"발표자 {n}") for n in range(2)]
    start = datetime(2025, 8, 15, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    made = []
    for number in range(sessions):
        made.append(
            SessionFactory(
                conference=conference,
                day=day,
                room=rooms[number % 2],
                track=track,
                title=f"세션 {number}",
                slug=f"세션-{number}",
                starts_at=start + timedelta(hours=number),
                ends_at=start + timedelta(hours=number, minutes=40),
                speakers=speakers,
                abstract="**굵게** 요약",
                language="ko",
            )
        )
    SessionFactory(
        conference=conference, day=day, room=None, title="점심", slug="점심", kind="break",
        starts_at=datetime(2025, 8, 15, 3, 0, tzinfo=UTC), ends_at=datetime(2025, 8, 15, 4, 0, tzinfo=UTC),
    )  # fmt: skip
    SessionFactory(
        conference=conference,
        day=day,
        room=rooms[0],
        title="취소된 발표",
        slug="취소",
        cancelled=True,
    )
    return conference, made


@pytest.mark.parametrize("name", ["debconf23.xml", "pretalx-democon.json", "frab-camp2019.json"])
def test_imported_real_schedules_export_valid_xml_and_json(client, name):
    conference = import_fixture(name)

    xml = client.get(f"/{conference.slug}/schedule.xml")
    data = client.get(f"/{conference.slug}/schedule.json")

    assert xml["Content-Type"] == "application/xml"
    assert data["Content-Type"] == "application/json"
    document = assert_valid_xml(xml.content)
    exported = assert_valid_json(data.content)
    count = conference.sessions.count()
    assert len(document.findall(".//event")) == count
    days = exported["schedule"]["conference"]["days"]
    assert sum(len(events) for day in days for events in day["rooms"].values()) == count


def test_admin_typed_conference_with_korean_slugs_exports_valid_files(client):
    korean_conference()

    xml = client.get("/파이콘-2025/schedule.xml")
    data = client.get("/파이콘-2025/schedule.json")

    document = assert_valid_xml(xml.content)
    exported = assert_valid_json(data.content)
    head = exported["schedule"]["conference"]
    # The acronym must be ASCII for the schema; a Korean one falls back to "conference".
    assert (head["acronym"], head["title"], head["time_zone_name"]) == (
        "conference", "파이콘 한국 2025", "Asia/Seoul",
    )  # fmt: skip
    events = [e for day in head["days"] for room in day["rooms"].values() for e in room]
    # Cancelled sessions are not in the schedule files; the break in no room is, under "".
    assert sorted(e["title"] for e in events) == ["세션 0", "세션 1", "세션 2", "점심"]
    first = next(e for e in events if e["title"] == "세션 0")
    assert (first["date"], first["start"], first["duration"]) == (
        "2025-08-15T10:00:00+09:00", "10:00", "00:40",
    )  # fmt: skip
    assert first["room"] == "101호"
    assert first["url"] == (
        "http://testserver/%ED%8C%8C%EC%9D%B4%EC%BD%98-2025/sessions/%EC%84%B8%EC%85%98-0/"
    )
    assert first["slug"] == f"conference-{first['id']}-0"  # ASCII, as the schema wants
    assert [p["name"] for p in first["persons"]] == ["발표자 0", "발표자 1"]
    assert [e["room"] for e in events if e["title"] == "점심"] == [""]
    titles = [e.findtext("title") for e in document.iter("event")]
    assert sorted(titles) == ["세션 0", "세션 1", "세션 2", "점심"]


def test_conference_ics_has_vtimezone_and_marks_cancelled_sessions(client):
    korean_conference()

    response = client.get("/파이콘-2025/schedule.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["세션 0", "세션 1", "세션 2", "점심", "취소된 발표"]
    first = events["세션 0"]
    assert first["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert first.decoded("DTSTART") == datetime(2025, 8, 15, 1, 0, tzinfo=UTC)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=40)
    assert str(first["LOCATION"]) == "101호"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["DESCRIPTION"]) == "발표자 0, 발표자 1\n\n**굵게** 요약"
    assert str(events["취소된 발표"]["STATUS"]) == "CANCELLED"


def test_session_ics(client):
    conference, sessions = korean_conference()

    response = client.get(f"/{conference.slug}/sessions/{sessions[1].slug}.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["세션 1"]
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert client.get(f"/{conference.slug}/sessions/nope.ics").status_code == 404
    other = ConferenceFactory(slug="other")
    assert client.get(f"/{other.slug}/sessions/{sessions[1].slug}.ics").status_code == 404


def test_unknown_conference_is_404(client):
    for suffix in ("xml", "json", "ics"):
        assert client.get(f"/nope/schedule.{suffix}").status_code == 404


def test_private_and_public_notes_never_appear_in_exports(client, owner):
    conference, sessions = korean_conference()
    NoteFactory(author=owner, session=sessions[0], body="secret private thought")
    NoteFactory(
        author=owner, session=sessions[1], body="public note text", visibility=Visibility.PUBLIC
    )

    for path in (
        "schedule.xml",
        "schedule.json",
        "schedule.ics",
        f"sessions/{sessions[0].slug}.ics",
    ):
        content = client.get(f"/{conference.slug}/{path}").content.decode()
        assert "secret private thought" not in content
        assert "public note text" not in content


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize(
    ("suffix", "queries"), [("xml", 7), ("json", 7), ("ics", 3)]
)  # fmt: skip
def test_exports_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, size, suffix, queries
):
    conference, _sessions = korean_conference(sessions=size)

    with django_assert_num_queries(queries):
        response = client.get(f"/{conference.slug}/schedule.{suffix}")

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_session_ics_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    conference, sessions = korean_conference(sessions=size)

    with django_assert_num_queries(2):
        client.get(f"/{conference.slug}/sessions/{sessions[0].slug}.ics")


def test_unchanged_export_answers_304_and_a_change_renews_it(client):
    conference, _sessions = korean_conference()
    first = client.get(f"/{conference.slug}/schedule.json")

    again = client.get(f"/{conference.slug}/schedule.json", HTTP_IF_NONE_MATCH=first["ETag"])
    Conference.objects.get(pk=conference.pk).touch()
    changed = client.get(f"/{conference.slug}/schedule.json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"


def test_exports_answer_only_get_and_head(client):
    conference, _sessions = korean_conference()

    assert client.post(f"/{conference.slug}/schedule.xml").status_code == 405
    assert client.head(f"/{conference.slug}/schedule.xml").status_code == 200
