"""Property: whatever a programme spreadsheet holds, importing it either succeeds (and a second
import plans nothing) or stops with one line naming the file, never another exception, and an
error leaves the database as it was.

Sheets start as valid rows (odd Unicode in every text) under a header of known, repeated,
Korean and unknown column names; then a few cells are replaced by odd values: dates and times
out of range, huge numbers, control characters, long texts, and for XLSX typed cells (dates,
times, durations, numbers, booleans). CSV is written with any of the separators and encodings
hugi reads. Bounded: a few hundred examples, well under a minute."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sessions.importers import ScheduleError, parse_schedule, plan_import
from sessions.importers.spreadsheet_columns import COLUMNS, KEYS
from tests.sessions.spreadsheet_demo import empty_conference
from tests.sessions.test_import_fuzz import good_clocks, odd_strings, row_counts, text, texts

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

good_dates = st.dates(date(2025, 8, 10), date(2025, 8, 20)).map(date.isoformat)
durations = st.one_of(
    st.integers(1, 600).map(str),
    st.builds("{}:{:02d}".format, st.integers(0, 9), st.integers(0, 59)),
    st.sampled_from(["40 min", "40분", "90m"]),
)
kinds = st.sampled_from(["", "talk", "Keynote", "휴식", "워크숍", "lightning talk", "other", "x"])
names = st.lists(texts, max_size=3).map(", ".join)
OPTIONAL = {
    "id": st.one_of(text, st.sampled_from(["1", "1", "A"])),
    "room": texts,
    "track": texts,
    "speakers": names,
    "abstract": texts,
    "language": st.sampled_from(["ko", "en", "한국어", "English", ""]) | text,
    "kind": kinds,
}
# An end or a duration, as a sheet should have one (both that disagree, or neither, are refused).
good_rows = st.one_of(
    *(
        st.fixed_dictionaries(
            {"date": good_dates, "start": good_clocks, "title": st.builds("T{}".format, texts),
             length: values},
            optional=OPTIONAL,
        )
        for length, values in (("end", good_clocks), ("duration", durations))
    )
)  # fmt: skip
typed_cells = st.one_of(
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)),
    st.times(),
    st.timedeltas(timedelta(0), timedelta(days=5)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
header_names = st.sampled_from(
    [*KEYS, *(column.korean for column in COLUMNS), "Date", " TITLE ", "비고", "notes", ""]
)
headers = st.one_of(
    st.just(KEYS),
    st.just(KEYS),
    st.permutations(KEYS),
    st.lists(header_names, min_size=1, max_size=14),
)


def mutated(rows, header, data, values):
    """The rows as lists in the header's order, a few cells replaced by odd values."""
    table = [[row.get(name.strip().lower(), "") for name in header] for row in rows]
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        if not table:
            break
        line = data.draw(st.sampled_from(table), label="row")
        position = data.draw(st.integers(0, len(header)), label="column")
        value = data.draw(values, label="value")
        if position < len(line):
            line[position] = value
        else:
            line.append(value)  # a cell under no header
    return table


def to_csv(header, table, delimiter, encoding) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue().encode(encoding, "replace" if encoding == "cp949" else "surrogatepass")


def xlsx_value(value):
    if isinstance(value, str):
        # What a workbook cannot hold (control characters, lone surrogates) never reaches one.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "".join(ch for ch in value if not "\ud800" <= ch <= "\udfff")[:32767]
    return value


def to_xlsx(header, table) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([xlsx_value(name) for name in header])
    for line in table:
        sheet.append([xlsx_value(value) for value in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class _Undo(Exception):
    pass


def imports_or_fails_cleanly(data: bytes, name: str):
    try:
        with transaction.atomic():
            conference = empty_conference(slug="fuzz")
            before = row_counts()
            try:
                parsed = parse_schedule(data, name, conference=conference)
                plan_import(parsed, slug="fuzz").apply()
            except ScheduleError as error:
                event("refused")
                message = str(error)
                assert message.startswith(f"{name}: ")
                assert "\n" not in message and len(message) <= 1000
                message.encode()
                assert row_counts() == before
            else:
                event("imported")
                again = plan_import(parse_schedule(data, name, conference=conference), slug="fuzz")
                assert again.is_empty, again.changes[:3]
            raise _Undo
    except _Undo:
        pass


@FUZZ
@given(
    st.lists(good_rows, max_size=6),
    headers,
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp949"]),
    st.data(),
)
def test_csv_sheets_import_or_fail_with_one_line(rows, header, delimiter, encoding, data):
    table = mutated(rows, header, data, odd_strings)
    imports_or_fails_cleanly(to_csv(header, table, delimiter, encoding), "fuzz.csv")


@FUZZ
@given(st.lists(good_rows, max_size=6), headers, st.data())
def test_xlsx_sheets_import_or_fail_with_one_line(rows, header, data):
    table = mutated(rows, header, data, st.one_of(odd_strings, typed_cells))
    imports_or_fails_cleanly(to_xlsx(header, table), "fuzz.xlsx")


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from([b"date,start,duration,title\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b""]),
    st.binary(),
)
@example(start=b"", data=b"\r\x00")  # a lone carriage return once broke the header's reading
def test_any_bytes_after_a_spreadsheet_start_fail_with_one_line(start, data):
    imports_or_fails_cleanly(start + data, "fuzz.bin")
