"""Every real schedule file imports, with the right counts, and the real-world quirks are handled."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from sessions.importers import ScheduleError, parse_schedule, plan_import
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES
SHARED = Path("/work/shared/data/schedules")


def run_import(data: bytes, name="schedule", slug=""):
    return plan_import(parse_schedule(data, name), slug=slug).apply()


def counts(conference):
    return {
        "days": Day.objects.filter(conference=conference).count(),
        "rooms": Room.objects.filter(conference=conference).count(),
        "tracks": Track.objects.filter(conference=conference).count(),
        "speakers": Speaker.objects.filter(conference=conference).count(),
        "sessions": Session.objects.filter(conference=conference).count(),
    }


def events_in(path: Path) -> int:
    """The number of events, counted independently of the importer."""
    if path.suffix == ".xml":
        return len(etree.parse(str(path)).findall(".//event"))
    days = json.loads(path.read_bytes())["schedule"]["conference"]["days"]
    return sum(len(events) for day in days for events in day["rooms"].values())


@pytest.mark.parametrize(
    ("name", "slug", "expected"),
    [
        ("debconf23.xml", "debconf23",
         {"days": 8, "rooms": 5, "tracks": 12, "speakers": 87, "sessions": 117}),
        ("pretalx-democon.json", "democon",
         {"days": 3, "rooms": 2, "tracks": 2, "speakers": 27, "sessions": 36}),
        ("frab-camp2019.json", "camp2019",
         {"days": 5, "rooms": 2, "tracks": 7, "speakers": 90, "sessions": 79}),
    ],
)  # fmt: skip
def test_real_file_imports_with_its_counts_and_again_without_changes(name, slug, expected):
    path = FIXTURES / name
    assert expected["sessions"] == events_in(path)

    plan = run_import(path.read_bytes(), name)

    conference = Conference.objects.get(slug=slug)
    assert plan.conference == conference
    assert counts(conference) == expected
    again = plan_import(parse_schedule(path.read_bytes(), name))
    assert again.changes == []
    assert again.summary() == ["No changes."]


def test_36c3_imports_all_1351_events_reimports_without_changes_and_exports_valid_xml(client):
    path = SHARED / "36c3_merged.xml"
    assert events_in(path) == 1351
    schedule = parse_schedule(path.read_bytes(), path.name)

    plan_import(schedule).apply()

    conference = Conference.objects.get(slug="36c3")
    # 923 speakers: the merged file reuses person ids for different people (see the warning).
    assert counts(conference) == {
        "days": 4, "rooms": 92, "tracks": 30, "speakers": 923, "sessions": 1351,
    }  # fmt: skip
    assert conference.timezone == "Etc/GMT-1"  # no zone name: from the +01:00 offsets
    assert [w.split(": ", 1)[1][:22] for w in schedule.warnings].count(
        "guid 81f5f0c4-3d35-522"
    ) == 1
    assert plan_import(parse_schedule(path.read_bytes(), path.name)).changes == []
    # The one test that reads this big file also checks its export against the schema.
    schema = etree.XMLSchema(etree.parse("/work/shared/data/schemas/schedule.xml.xsd"))
    exported = etree.fromstring(client.get("/36c3/schedule.xml").content)
    assert schema.validate(exported), schema.error_log
    assert len(exported.findall(".//event")) == 1351


def test_invalid_example_fails_with_the_path_of_the_wrong_field_and_changes_nothing():
    data = (FIXTURES / "invalid-example.json").read_bytes()

    with pytest.raises(ScheduleError) as error:
        run_import(data, "invalid-example.json")

    assert str(error.value) == (
        'invalid-example.json: schedule.conference.days[0].rooms["Winterchaos"][0].id: '
        "expected an integer, got the string '2814'"
    )
    assert Conference.objects.count() == 0


def test_conference_fields_come_from_the_file():
    run_import((FIXTURES / "debconf23.xml").read_bytes(), "debconf23.xml")

    conference = Conference.objects.get()
    assert (conference.name, conference.slug, conference.acronym, conference.timezone) == (
        "DebConf 23", "debconf23", "debconf23", "Asia/Kolkata",
    )  # fmt: skip
    # wafer writes each day's UTC date; the days are the local dates 10 to 17 September.
    assert (conference.start_date, conference.end_date) == (date(2023, 9, 10), date(2023, 9, 17))
    assert list(conference.days.values_list("date", "index")) == [
        (date(2023, 9, day), day - 9) for day in range(10, 18)
    ]
    assert conference.website == "https://debconf23.debconf.org"


def test_session_fields_map_from_frab_xml():
    run_import((FIXTURES / "debconf23.xml").read_bytes(), "debconf23.xml")

    session = Session.objects.get(source_guid="794a4f27-5ac4-6129-3c2c-459fdeed5ad7")
    assert session.title == "Continuous Key-Signing Party introduction"
    assert session.slug == "debconf23-211-continuous-key-signing-party-introduction"
    assert session.source_id == "211"
    assert session.kind == Session.Kind.TALK  # "Short talk (20 minutes)"
    assert session.starts_at == datetime(2023, 9, 10, 5, 30, tzinfo=UTC)
    assert session.ends_at == datetime(2023, 9, 10, 5, 50, tzinfo=UTC)
    assert session.day.date == date(2023, 9, 10)
    assert (session.room.name, session.track.name) == ("Anamudi", "Other")
    assert session.do_not_record is True
    assert session.website_url == (
        "https://debconf23.debconf.org/talks/103-continuous-key-signing-party-introduction/"
    )
    assert session.description.startswith("One of DebConf’s recurring activities")
    assert (
        "<li>Explain how keysigning is done in a DebConf setting</li>" in session.description_html
    )
    assert [speaker.name for speaker in session.speakers.all()] == ["Jonathan McDowell"]


def test_session_fields_map_from_c3voc_json():
    run_import((FIXTURES / "frab-camp2019.json").read_bytes(), "camp.json")

    session = Session.objects.get(title="Fomu - an FPGA inside your USB port!")
    assert session.kind == Session.Kind.TALK  # "lecture"
    assert session.language == "en"
    assert session.links == [
        {"title": "Fomu Website", "url": "https://fomu.im"},
        {"title": "Fomu Github", "url": "https://github.com/im-tomu"},
        {"title": "Tomu Website", "url": "https://tomu.im"},
    ]
    attachments = Session.objects.get(title="Hacking Containers and Kubernetes").links
    # Relative attachment paths are resolved against the schedule's base_url.
    assert attachments == [
        {
            "title": "Slides",
            "url": "https://fahrplan.events.ccc.de/system/event_attachments/attachments/000/003/"
            "792/original/Hacking_Containers_and_Kubernetes.pdf?1566398735",
            "attachment": True,
        }
    ]
    assert (
        Session.objects.get(title="Hacking Containers and Kubernetes").slides_url
        == (attachments[0]["url"])
    )


def test_speakers_keep_their_order_and_their_id():
    run_import((FIXTURES / "frab-camp2019.json").read_bytes(), "camp.json")

    session = Session.objects.get(title="Opening Ceremony")
    links = SessionSpeaker.objects.filter(session=session).order_by("order")
    assert [(link.speaker.name, link.speaker.source_id) for link in links] == [
        ("jinxx", "7797"),
        ("smtw", "4827"),
    ]


def test_pretalx_duplicate_room_guids_make_two_rooms_in_file_order():
    run_import((FIXTURES / "pretalx-democon.json").read_bytes(), "democon.json")

    rooms = Room.objects.order_by("order")
    # Both rooms carry the same guid in the file: it identifies neither, so it is not kept.
    assert [(room.name, room.slug, room.order, room.source_guid) for room in rooms] == [
        ("Gray Room", "gray-room", 0, ""),
        ("Tan Room", "tan-room", 1, ""),
    ]


def test_zone_name_that_disagrees_with_the_offsets_keeps_the_instants_and_the_name():
    # DemoCon says "UTC" but its times are +01:00: instants follow the offsets.
    run_import((FIXTURES / "pretalx-democon.json").read_bytes(), "democon.json")

    conference = Conference.objects.get()
    assert conference.timezone == "UTC"
    session = Session.objects.get(source_guid="8079583e-8321-506c-95af-fd2903a5f075")
    assert session.starts_at == datetime(2020, 12, 14, 8, 0, tzinfo=UTC)
    assert list(conference.days.values_list("date", flat=True)) == [
        date(2020, 12, 14), date(2020, 12, 15), date(2020, 12, 16),
    ]  # fmt: skip


def test_person_biography_becomes_the_speaker_bio():
    run_import((FIXTURES / "pretalx-democon.json").read_bytes(), "democon.json")

    speaker = Speaker.objects.get(source_id="26")
    assert speaker.name == "Brian Robinson"
    assert speaker.bio.startswith("Break through direction.")
    assert speaker.bio_html.startswith("<p>Break through direction.")


XML_QUIRKS = """<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1</version>
  <conference>
    <acronym>quirkcon</acronym>
    <title>QuirkCon</title>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2024-03-01" start="2024-03-01T04:00:00+01:00" end="2024-03-02T03:59:00+01:00">
    <room name="Hall" guid="11111111-1111-1111-1111-111111111111">
      <event id="1">
        <start>23:30</start><duration>00:50</duration><title>Late talk</title>
        <type>Lightning Talk</type>
        <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;br&gt;and &lt;a href="javascript:alert(1)"&gt;this&lt;/a&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;&lt;script&gt;alert(2)&lt;/script&gt;</description>
        <persons><person id="7">Ada</person><person id="8">Grace</person></persons>
      </event>
      <event id="2" guid="22222222-2222-2222-2222-222222222222">
        <start>01:00</start><duration>00:05:00</duration><title>After midnight</title>
        <type>workshop</type>
      </event>
      <event id="3" guid="33333333-3333-3333-3333-333333333333">
        <date>2024-03-01T10:00:00+01:00</date><duration>1:30</duration><title>Twice</title>
        <slug>twice</slug>
      </event>
    </room>
    <room name="Hall" guid="11111111-1111-1111-1111-111111111111">
      <event id="3" guid="44444444-4444-4444-4444-444444444444">
        <date>2024-03-01T15:00:00+01:00</date><duration>1:30</duration><title>Twice</title>
        <slug>twice</slug>
      </event>
    </room>
  </day>
</schedule>
"""


def test_missing_date_is_computed_from_the_day_and_its_day_change_hour():
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    late = Session.objects.get(title="Late talk")
    after = Session.objects.get(title="After midnight")
    assert late.starts_at == datetime(2024, 3, 1, 22, 30, tzinfo=UTC)
    # 01:00 on a day that starts at 04:00 is the night after, and still belongs to that day.
    assert after.starts_at == datetime(2024, 3, 2, 0, 0, tzinfo=UTC)
    assert after.day.date == date(2024, 3, 1)
    assert Day.objects.count() == 1


def test_durations_in_both_notations():
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    assert Session.objects.get(title="Late talk").duration.total_seconds() == 50 * 60
    assert Session.objects.get(title="After midnight").duration.total_seconds() == 5 * 60
    assert Session.objects.get(slug="twice").duration.total_seconds() == 90 * 60


def test_event_without_guid_gets_a_stable_derived_one():
    run_import(XML_QUIRKS.encode(), "quirks.xml")
    first = Session.objects.get(title="Late talk").source_guid

    Session.objects.all().delete()
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    assert Session.objects.get(title="Late talk").source_guid == first
    assert len(first) == 36


def test_repeated_session_same_id_different_guid_is_two_sessions_with_distinct_slugs():
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    twice = Session.objects.filter(title="Twice").order_by("starts_at")
    assert [(s.slug, s.source_id, s.source_guid) for s in twice] == [
        ("twice", "3", "33333333-3333-3333-3333-333333333333"),
        ("twice-2", "3", "44444444-4444-4444-4444-444444444444"),
    ]


def test_the_same_guid_in_two_slots_is_two_sessions():
    data = XML_QUIRKS.replace(
        "44444444-4444-4444-4444-444444444444", "33333333-3333-3333-3333-333333333333"
    )

    schedule = parse_schedule(data.encode(), "quirks.xml")
    run_import(data.encode(), "quirks.xml")

    twice = Session.objects.filter(title="Twice").order_by("starts_at")
    assert twice.count() == 2
    assert twice[0].source_guid == "33333333-3333-3333-3333-333333333333"
    assert twice[1].source_guid != twice[0].source_guid
    assert schedule.warnings == [
        "quirks.xml: guid 33333333-3333-3333-3333-333333333333 is used by 2 events; each is "
        "kept as its own session"
    ]


def test_html_description_becomes_markdown_and_renders_sanitized():
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    session = Session.objects.get(title="Late talk")
    assert session.description == "Hello **world**  \nand this\n\n- one\n- two"
    assert session.description_html == (
        "<p>Hello <strong>world</strong><br>\nand this</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_type_maps_to_kind_and_speakers_keep_file_order():
    run_import(XML_QUIRKS.encode(), "quirks.xml")

    late = Session.objects.get(title="Late talk")
    assert late.kind == Session.Kind.LIGHTNING
    assert Session.objects.get(title="After midnight").kind == Session.Kind.WORKSHOP
    assert Session.objects.get(slug="twice").kind == Session.Kind.TALK  # no type at all
    assert late.ordered_speakers == [
        Speaker.objects.get(name="Ada"),
        Speaker.objects.get(name="Grace"),
    ]


def test_korean_titles_make_unicode_slugs():
    data = XML_QUIRKS.replace(
        "<title>Late talk</title>", "<title>파이썬으로 엮는 나만의 레거시</title>"
    )

    run_import(data.encode(), "quirks.xml")

    assert Session.objects.filter(slug="파이썬으로-엮는-나만의-레거시").exists()


def test_reserved_acronym_is_refused_with_a_clear_message():
    data = XML_QUIRKS.replace("<acronym>quirkcon</acronym>", "<acronym>admin</acronym>")

    with pytest.raises(ScheduleError) as error:
        run_import(data.encode(), "quirks.xml")

    assert str(error.value) == (
        "Conference slug “admin”: “admin” is reserved for the site. Choose another one."
    )
    assert Conference.objects.count() == 0


def test_given_slug_wins_over_the_acronym():
    run_import(XML_QUIRKS.encode(), "quirks.xml", slug="my-quirks")

    assert list(Conference.objects.values_list("slug", flat=True)) == ["my-quirks"]
