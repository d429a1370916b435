"""Bad input fails with one clear line naming the file, the place and the problem, and changes
nothing: malformed, truncated, wrong-format, entity-expanding and oversized files. (Downloads:
test_import_download.py; values out of range: test_import_limits.py.)"""

import pytest

from sessions.importers import ScheduleError, parse_schedule, plan_import, read_source
from sessions.models import Conference, Session
from tests.support.paths import SCHEDULES
from tests.support.schedule_documents import json_schedule

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES
DEBCONF = FIXTURES / "debconf23.xml"
DEMOCON = FIXTURES / "pretalx-democon.json"


def import_error(data: bytes, name="bad") -> str:
    """The one-line message an import of data fails with; and it must have changed nothing."""
    before = (Conference.objects.count(), Session.objects.count())
    with pytest.raises(ScheduleError) as error:
        plan_import(parse_schedule(data, name)).apply()
    assert (Conference.objects.count(), Session.objects.count()) == before
    message = str(error.value)
    assert "\n" not in message
    return message


@pytest.fixture
def democon():
    plan_import(parse_schedule(DEMOCON.read_bytes(), "democon.json")).apply()
    return Conference.objects.get()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<schedule><conference><title>&lol3;</title></conference></schedule>
"""


REFUSED = (
    "{name}: the XML has a document type declaration (<!DOCTYPE …>); schedules have none, and "
    "it could declare entities that expand without end or read other files, so it is refused"
)


def test_billion_laughs_is_refused_before_any_expansion():
    assert import_error(BILLION_LAUGHS, "laughs.xml") == REFUSED.format(name="laughs.xml")


def test_external_entity_is_refused():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<schedule><conference><title>&xxe;</title></conference></schedule>"""
    assert import_error(data, "xxe.xml") == REFUSED.format(name="xxe.xml")


def test_external_dtd_is_refused():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE schedule SYSTEM "http://example.org/evil.dtd">
<schedule><conference><title>x</title></conference></schedule>"""
    assert import_error(data, "dtd.xml") == REFUSED.format(name="dtd.xml")


def test_truncated_xml_names_the_line(democon):
    data = DEBCONF.read_bytes()[:5000]
    assert import_error(data, "debconf23.xml") == (
        "debconf23.xml: not well-formed XML: unclosed token: line 152, column 51"
    )


def test_truncated_json_names_the_line(democon):
    data = DEMOCON.read_bytes()[:3000]
    message = import_error(data, "democon.json")
    assert message.startswith("democon.json: not valid JSON: ")
    assert " at line " in message


def test_malformed_xml():
    assert import_error(b"<schedule><conference></schedule>", "x.xml") == (
        "x.xml: not well-formed XML: mismatched tag: line 1, column 24"
    )


def test_wrong_format_is_named():
    # What it is instead is not shown: what a server answered is never echoed back.
    assert import_error(b"\x89PNG\r\n\x1a\n....", "photo.png") == (
        "photo.png: not a schedule: neither frab XML nor C3VOC JSON, nor a spreadsheet (CSV "
        "whose first row names the columns date, start, title and end or duration; XLSX)"
    )
    assert import_error(b"<html><body>Schedule</body></html>", "page.html") == (
        "page.html: not a schedule: the root element is not <schedule>"
    )
    assert import_error(b'{"data": []}', "api.json") == "api.json: schedule: missing"
    assert import_error(b"[1, 2]", "list.json") == (
        "list.json: (top level): expected an object, got a list"
    )


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"  \n")
    with pytest.raises(ScheduleError, match=r"^empty.xml: the file is empty$"):
        read_source(str(path))


def test_missing_file_is_named():
    with pytest.raises(ScheduleError, match=r"^/nowhere/schedule.xml: no such file$"):
        read_source("/nowhere/schedule.xml")


def test_bad_field_values_name_the_event_and_field():
    xml = DEBCONF.read_bytes().replace(
        b"<duration>00:20</duration>", b"<duration>20 min</duration>", 1
    )
    assert import_error(xml, "debconf23.xml") == (
        "debconf23.xml: <event id=\"35\"> <duration>: '20 min' is not a duration like 00:50 "
        "or 00:05:00"
    )
    xml = DEBCONF.read_bytes().replace(
        b"<date>2023-09-10T05:00:00+00:00</date>", b"<date>tomorrow</date>", 1
    )
    assert import_error(xml, "debconf23.xml") == (
        "debconf23.xml: <event id=\"35\"> <date>: 'tomorrow' is not a date and time like "
        "2024-08-15T10:00:00+09:00"
    )
    text = DEMOCON.read_text().replace('"persons": [', '"persons": "Brian"', 1)
    text = text.replace('"persons": "Brian"\n', '"persons": "Brian", "x": [\n', 1)
    assert import_error(text.encode(), "democon.json") == (
        'democon.json: schedule.conference.days[0].rooms["Gray Room"][0].persons: expected a '
        "list, got the string 'Brian'"
    )


def test_event_without_title_is_named():
    xml = DEBCONF.read_bytes().replace(b"<title>Opening Ceremony</title>", b"<title> </title>", 1)
    assert import_error(xml, "debconf23.xml") == 'debconf23.xml: <event id="35"> has no <title>'


def test_oversized_file_is_refused_before_reading(tmp_path, settings):
    settings.SCHEDULE_IMPORT_MAX_BYTES = 10_000
    with pytest.raises(ScheduleError) as error:
        read_source(str(DEBCONF))
    assert str(error.value) == "debconf23.xml: larger than the limit of 9.8\xa0KB"


def test_default_limit_is_20_mb(tmp_path):
    from sessions.importers.sources import max_bytes

    assert max_bytes() == 20 * 1024 * 1024


def test_wrong_type_of_a_text_field_is_named():
    data = json_schedule({"title": ["Opening"]}, conference={"url": {"href": "x"}})

    assert import_error(data, "f.json") == (
        "f.json: schedule.conference.url: expected a string, got an object"
    )
    assert import_error(json_schedule({"title": 1.5, "subtitle": []}), "f.json") == (
        'f.json: schedule.conference.days[0].rooms["Hall"][0].subtitle: expected a string, '
        "got a list"
    )
