"""Numbers, dates, durations and texts out of what Python or the database can hold: each is one
line naming the event at preview time (so the admin's confirmation, or the command's real run,
never fails halfway), or it is cut to fit. On PostgreSQL an over-long value would be refused by
the column (SQLite does not check), so these run on both."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import escape

from sessions.importers import ScheduleError, parse_schedule, plan_import
from sessions.importers.slugs import SlugMaker
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track
from tests.support.factories import UserFactory
from tests.support.schedule_documents import json_schedule, with_raw, xml_schedule

pytestmark = pytest.mark.django_db

JSON_EVENT = 'f.json: schedule.conference.days[0].rooms["Hall"][0]'
XML_EVENT = 'f.xml: <event id="1">'
YEARS = "is not between the years 1900 and 2999"
TOO_LONG = "the event lasts longer than 99:59 hours"


def row_counts():
    models = (Conference, Day, Room, Track, Speaker, Session, SessionSpeaker)
    return [model.objects.count() for model in models]


def preview_error(data: bytes, name: str) -> str:
    """The error the preview (parse and plan, nothing written) stops at: one line."""
    before = row_counts()
    with pytest.raises(ScheduleError) as error:
        plan_import(parse_schedule(data, name))
    assert row_counts() == before
    message = str(error.value)
    assert "\n" not in message
    return message


def imported(data: bytes, name: str) -> Session:
    plan_import(parse_schedule(data, name)).apply()
    return Session.objects.select_related("conference", "room").get()


# --- refused: one line naming the event -----------------------------------------------------

REPORTED = [
    (
        with_raw(json_schedule({"id": "@ID@"}), "@ID@", "9" * 5000),
        "f.json",
        f"{JSON_EVENT}.id: expected an integer, got a number with 5000 digits",
    ),
    (
        json_schedule({"date": "9999-12-31T23:30:00-12:00", "duration": "02:00"}),
        "f.json",
        f"{JSON_EVENT}.date: '9999-12-31T23:30:00-12:00' {YEARS}",
    ),
    (
        json_schedule({"date": "0001-01-01T00:10:00+14:00"}),
        "f.json",
        f"{JSON_EVENT}.date: '0001-01-01T00:10:00+14:00' {YEARS}",
    ),
    (
        xml_schedule({"date": "9999-12-31T23:30:00-12:00", "duration": "02:00"}),
        "f.xml",
        f"{XML_EVENT} <date>: '9999-12-31T23:30:00-12:00' {YEARS}",
    ),
    (
        xml_schedule({"date": "0001-01-01T00:10:00+14:00"}),
        "f.xml",
        f"{XML_EVENT} <date>: '0001-01-01T00:10:00+14:00' {YEARS}",
    ),
]


@pytest.mark.parametrize(("data", "name", "message"), REPORTED)
def test_reported_500s_are_one_line_at_preview(data, name, message):
    assert preview_error(data, name) == message


@pytest.mark.parametrize(("data", "name", "message"), REPORTED)
def test_reported_500s_in_the_admin_preview(data, name, message):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")

    page = client.post("/admin/program/conference/import/", {"file": file})

    assert page.status_code == 400
    assert f'<p class="errornote">{escape(message)}</p>' in page.text
    assert row_counts() == [0] * 7


@pytest.mark.parametrize("dry_run", [["--dry-run"], []])
@pytest.mark.parametrize(("data", "name", "message"), REPORTED)
def test_reported_500s_in_the_command(tmp_path, data, name, message, dry_run):
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(CommandError) as error:
        call_command("import_schedule", str(path), *dry_run, stdout=io.StringIO())

    assert str(error.value) == message
    assert row_counts() == [0] * 7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (json_schedule({"id": 10**25}), f"{JSON_EVENT}.id: expected an integer, got a number with 26 digits"),
        (json_schedule({"duration": 10**30}), f"{JSON_EVENT}.duration: expected a string or an integer, got a number with 31 digits"),
        (json_schedule({"duration": 6000}), f"{JSON_EVENT}.duration: {TOO_LONG}"),
        (json_schedule({"duration": -5}), f"{JSON_EVENT}.duration: '-5' is not a duration like 00:50 or 00:05:00"),
        (json_schedule({"duration": "99999:00"}), f"{JSON_EVENT}.duration: '99999:00' is not a duration like 00:50 or 00:05:00"),
        (json_schedule({"duration": "100:00"}), f"{JSON_EVENT}.duration: {TOO_LONG}"),
        (json_schedule({"duration": "-01:00"}), f"{JSON_EVENT}.duration: '-01:00' is not a duration like 00:50 or 00:05:00"),
        (json_schedule({"duration": None, "end": "2124-05-01T10:00:00+02:00"}), f"{JSON_EVENT}.duration: {TOO_LONG}"),
        (json_schedule(day={"date": "3000-01-01"}), f"f.json: schedule.conference.days[0]: '3000-01-01' {YEARS}"),
        (json_schedule(conference={"days": [], "start": "1899-12-31"}), f"f.json: schedule.conference.start: '1899-12-31' {YEARS}"),
        (json_schedule({"title": "x" * 5000, "duration": "1" * 5000}), f"{JSON_EVENT}.duration: '{'1' * 39}…' is not a duration like 00:50 or 00:05:00"),
        (json_schedule(persons=[{"id": n, "name": "P"} for n in range(1, 1002)]), f"{JSON_EVENT}: more than 1000 persons"),
        (xml_schedule({"duration": "100:00"}), f"{XML_EVENT} <duration>: {TOO_LONG}"),
        (xml_schedule({"duration": "-0:30"}), f"{XML_EVENT} <duration>: '-0:30' is not a duration like 00:50 or 00:05:00"),
        (xml_schedule(day={"date": "0999-05-01"}), f"f.xml: <day index=\"1\">: '0999-05-01' {YEARS}"),
        (xml_schedule({"id": "7" * 500, "duration": "x"}), f"f.xml: <event id=\"{'7' * 39}…\"> <duration>: 'x' is not a duration like 00:50 or 00:05:00"),
    ],
)  # fmt: skip
def test_out_of_range_values_are_named(data, message):
    name = "f.json" if data.startswith(b"{") else "f.xml"
    assert preview_error(data, name) == message


def test_more_days_than_a_conference_has_are_refused():
    days = [
        {"date": f"{year}-{month:02d}-01", "rooms": {}}
        for year in range(1990, 2074)
        for month in range(1, 13)
    ][:1001]

    assert preview_error(json_schedule(conference={"days": days}), "f.json") == (
        "f.json: the schedule has 1001 days; a conference has at most 1000"
    )


# --- repaired: imported, cut to fit or cleaned --------------------------------------------


def test_over_long_texts_are_cut_to_their_columns():
    session = imported(
        json_schedule(
            {
                "title": "T" * 400,
                "subtitle": "S" * 400,
                "language": "L" * 30,
                "guid": "G" * 150,
                "slug": "s" * 300,
                "url": "https://example.org/" + "u" * 600,
                "track": "K" * 300,
            },
            conference={"title": "C" * 300, "acronym": "A" * 80, "url": "https://x.org/" + "w" * 300},
            persons=[{"guid": "P" * 150, "public_name": "N" * 300}],
            room="R" * 300,
        ),
        "f.json",
    )  # fmt: skip

    assert (len(session.title), session.title[-1]) == (300, "…")
    assert (len(session.subtitle), len(session.language), len(session.source_guid)) == (
        300,
        20,
        100,
    )
    assert session.slug == "s" * 114
    assert session.website_url == ""  # an address longer than its column is dropped, not cut
    assert (len(session.room.name), len(session.track.name)) == (200, 200)
    speaker = session.speakers.get()
    assert (len(speaker.name), len(speaker.source_id), speaker.slug) == (200, 80, "n" * 94)
    conference = session.conference
    assert (len(conference.name), len(conference.acronym), conference.website) == (200, 50, "")


def test_frab_event_id_is_cut_and_its_digits_made_ascii():
    """Exports write an id of digits as an integer: "²" is a digit to isdigit(), not to int()."""
    session = imported(xml_schedule({"id": "²" + "1" * 200}), "f.xml")

    assert session.source_id == "2" + "1" * 98 + "…"


def test_lone_surrogates_and_nul_are_removed():
    data = json_schedule(
        {"title": "Talk \ud800about\x00 it", "abstract": "Body \udfff\x00 text"}, room="Hall\ud83d"
    )

    session = imported(data, "f.json")

    assert (session.title, session.abstract, session.room.name) == (
        "Talk about it",
        "Body  text",
        "Hall",
    )


def test_a_folder_or_a_long_name_as_time_zone_is_an_unknown_zone():
    for zone, shown in (
        ("America", "America"),
        ("Europe/" + "x" * 300, "Europe/" + "x" * 32 + "…"),
    ):
        data = json_schedule(
            conference={"time_zone_name": zone}, day={"day_start": "2024-05-01T09:00:00+02:00"}
        )

        schedule = parse_schedule(data, "f.json")

        assert schedule.conference.timezone == "Etc/GMT-2"
        assert schedule.warnings == [
            f"f.json: time zone '{shown}' is unknown; using the offsets in the times"
        ]


def test_frab_day_index_is_only_a_label():
    session = imported(xml_schedule(day={"index": "²" + "9" * 5000}), "f.xml")

    assert session.day.index == 1


def test_broken_html_in_descriptions_is_converted_in_linear_time():
    """Python's HTMLParser raises on "<![>" and takes quadratic time on "</</…" and "<!--x->"."""
    start = time.process_time()
    session = imported(
        json_schedule({"description": "<p>a</p><![>" + "</" * 100_000 + "<!--x->" * 20_000}),
        "f.json",
    )

    assert time.process_time() - start < 5
    assert session.description == "a\n\n" + "\\</" * 100_000


def test_slugs_of_many_equal_titles_take_linear_time():
    slugs = SlugMaker(["talk"], "session", 120)

    made = [slugs.make("Talk") for _ in range(3)]
    start = time.process_time()
    for _ in range(20_000):
        slugs.make("Talk")

    assert made == ["talk-2", "talk-3", "talk-4"]
    assert time.process_time() - start < 2


def test_numbered_slugs_fit_their_column():
    taken = ["xxxx"] + [f"xxxx-{number}" for number in range(2, 100_000)]

    assert SlugMaker([], "session", 10).make("x" * 50) == "xxxx"
    assert SlugMaker(taken, "session", 10).make("x" * 50) == "xxx-100000"
