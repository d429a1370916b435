"""Every mistake in a programme spreadsheet is one line naming the file, the row (numbered as
the spreadsheet shows it, the header being row 1) and the column, and nothing is written."""

from datetime import datetime

import pytest

from sessions.importers import ScheduleError, parse_schedule, plan_import
from sessions.importers.spreadsheet_files import MOST_ROWS
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track
from tests.sessions.spreadsheet_demo import empty_conference, to_xlsx

pytestmark = pytest.mark.django_db

HEADER = "id,date,start,end,duration,room,track,title,speakers,abstract,language,kind"
GOOD = "{id},2025-08-15,11:00,11:40,,101,Web,Talk {id},Ada,,en,talk"
# Rows 2 to 6 are good; the row under test is row 7.
GOOD_ROWS = [GOOD.format(id=f"T{number}") for number in range(1, 6)]


def sheet(*lines, header=HEADER) -> bytes:
    return "\n".join([header, *lines]).encode()


def row_counts():
    models = (Conference, Day, Room, Track, Speaker, Session, SessionSpeaker)
    return [model.objects.count() for model in models]


def error_of(data: bytes, name="sheet.csv", conference="default") -> str:
    if conference == "default":
        conference = empty_conference()
    before = row_counts()
    with pytest.raises(ScheduleError) as error:
        plan_import(parse_schedule(data, name, conference=conference), slug="sheet")
    assert row_counts() == before
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


ROW_7 = [
    ("T9,2025-08-15,25:00,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column start: '25:00' is not a time like 09:30"),
    ("T9,2025-08-15,9시,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column start: '9시' is not a time like 09:30"),
    ("T9,2025-02-30,11:00,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column date: '2025-02-30' is not a date like 2025-08-15"),
    ("T9,15.08.2025,11:00,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column date: '15.08.2025' is not a date like 2025-08-15"),
    ("T9,3000-01-01,11:00,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column date: '3000-01-01' is not between the years 1900 and 2999"),
    ("T9,2025-08-15,11:00,,forty,101,Web,Late,Ada,,en,talk",
     "row 7, column duration: 'forty' is not a duration like 40 (minutes) or 1:30"),
    ("T9,2025-08-15,11:00,,0,101,Web,Late,Ada,,en,talk",
     "row 7, column duration: '0' is not a duration like 40 (minutes) or 1:30"),
    ("T9,2025-08-15,11:00,,6000,101,Web,Late,Ada,,en,talk",
     "row 7, column duration: the session lasts longer than 99:59 hours"),
    ("T9,2025-08-15,11:00,11:40,,101,Web,,Ada,,en,talk", "row 7, column title: empty"),
    ("T9,2025-08-15,,11:40,,101,Web,Late,Ada,,en,talk", "row 7, column start: empty"),
    ("T9,,11:00,11:40,,101,Web,Late,Ada,,en,talk", "row 7, column date: empty"),
    ("T9,2025-08-15,11:00,,,101,Web,Late,Ada,,en,talk", "row 7: neither an end nor a duration"),
    ("T9,2025-08-15,11:00,10:00,30,101,Web,Late,Ada,,en,talk",
     "row 7: the end '10:00' and the duration '30' disagree"),
    ("T9,2025-08-15,11:00,11:00,,101,Web,Late,Ada,,en,talk",
     "row 7, column end: the session ends when it starts"),
    ("T9,2025-08-15,11:00,11:40,,101,Web,Late,Ada,,en,tlak",
     "row 7, column kind: 'tlak' is not a kind: use one of talk, keynote, tutorial, workshop, "
     "lightning, panel, break, other"),
    ("T1,2025-08-15,11:00,11:40,,101,Web,Late,Ada,,en,talk",
     "row 7, column id: 'T1' is also the id of row 2"),
    ("T9,2025-08-15,11:00,11:40,,101,Web,Late, with a comma,Ada,,en,talk",
     "row 7: a cell under no column name (a comma in a text without quotes?)"),
    ("T9,2025-08-15,11:00,11:40,,101,Web,Late,Ada," + "x" * 40_000 + ",en,talk",
     "row 7, column abstract: a cell longer than 32767 characters"),
    ('T9,2025-08-15,11:00,11:40,,101,Web,Late,Ada,"' + "x" * 200_000 + '",en,talk',
     "row 7: a cell longer than 32767 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "problem"), ROW_7, ids=range(len(ROW_7)))
def test_a_malformed_row_is_named_by_its_number_and_column(line, problem):
    assert error_of(sheet(*GOOD_ROWS, line)) == f"sheet.csv: {problem}"


def test_the_column_is_named_as_the_header_writes_it():
    header = "날짜,시작,길이,제목"
    assert error_of(sheet("2025-08-15,25:00,40,발표", header=header)) == (
        "sheet.csv: row 2, column 시작: '25:00' is not a time like 09:30"
    )


def test_xlsx_rows_are_numbered_as_excel_shows_them():
    rows = [{"date": "2025-08-15", "start": "10:00", "duration": 30, "title": "A"}] * 3 + [
        {"date": "2025-08-15", "start": datetime(2025, 8, 16, 10, 0), "duration": 30, "title": "B"}
    ]
    data = to_xlsx(rows, above=[["Programme"], []])  # the header is row 3

    assert error_of(data, "sheet.xlsx") == (
        "sheet.xlsx: row 7, column start: '2025-08-16 10:00:00' is a date and a time: give the "
        "time only (the date has its own column)"
    )


HEADERS = [
    ("date,end,title", "sheet.csv: row 1: the header row has no column start"),
    ("date,start,title,room", "sheet.csv: row 1: the header row has no column end or duration"),
    ("date,start,end,title,Date", "sheet.csv: row 1: the header row names the column Date twice"),
]


@pytest.mark.parametrize(("header", "message"), HEADERS)
def test_the_header_row_must_name_the_required_columns(header, message):
    assert error_of(sheet("2025-08-15,10:00,10:30,A", header=header)) == message


def test_a_sheet_with_only_a_header_has_no_sessions():
    assert error_of(sheet("", ",,,,,", "")) == (
        "sheet.csv: no sessions: nothing under the header row"
    )


def test_more_rows_than_the_limit_are_refused():
    lines = [f"2025-08-15,10:00,30,Talk {number}" for number in range(MOST_ROWS + 1)]

    assert error_of(sheet(*lines, header="date,start,duration,title")) == (
        f"sheet.csv: more than {MOST_ROWS} rows below the header row"
    )


def test_a_spreadsheet_needs_a_conference_that_exists():
    assert error_of(sheet(GOOD.format(id="T1")), conference=None) == (
        "sheet.csv: a spreadsheet names no conference and no time zone: import it into a "
        "conference that exists (Import schedule on its admin page, or --conference SLUG)"
    )


@pytest.mark.parametrize(
    "data",
    [b"hello world\nthis is text", b"name,email\nAda,ada@example.org", b"\xff\xfe\x00garbage"],
)
def test_text_that_names_no_known_column_is_not_a_schedule(data):
    assert error_of(data, "notes.txt") == (
        "notes.txt: not a schedule: neither frab XML nor C3VOC JSON, nor a spreadsheet (CSV "
        "whose first row names the columns date, start, title and end or duration; XLSX)"
    )


def test_more_xlsx_rows_than_the_limit_are_refused_not_cut():
    rows = [{"date": "2025-08-15", "start": "10:00", "duration": 30, "title": "T"}] * (
        MOST_ROWS + 1
    )
    data = to_xlsx(rows, above=[["Programme"], []])  # the header is row 3

    assert error_of(data, "sheet.xlsx") == (
        f"sheet.xlsx: more than {MOST_ROWS} rows below the header row"
    )
