"""What a spreadsheet file may be made of: encodings and separators for CSV; for XLSX, archives
checked before openpyxl unpacks them (zip bombs, XML bombs, too many elements, documents that
are not workbooks), each refused in one line, quickly, in bounded memory."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest

from sessions.importers import ScheduleError, parse_schedule
from sessions.importers.spreadsheet_files import MOST_ELEMENTS, MOST_UNPACKED
from tests.sessions.spreadsheet_demo import empty_conference

pytestmark = pytest.mark.django_db

CSV = "날짜,시작,길이,제목,발표자\n2025-08-15,10:00,40,파이썬 발표,김파이\n"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parsed(data: bytes, name="sheet"):
    return parse_schedule(data, name, conference=empty_conference())


def error_of(data: bytes, name="sheet.xlsx") -> str:
    with pytest.raises(ScheduleError) as error:
        parsed(data, name)
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


@pytest.mark.parametrize(
    "data",
    [
        CSV.encode("utf-8"),
        CSV.encode("utf-8-sig"),
        CSV.encode("cp949"),  # what Excel in Korean saves as "CSV"
        CSV.replace(",", ";").encode("utf-8-sig"),
        CSV.replace(",", "\t").encode("cp949"),
        CSV.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "cp949", "semicolons", "tabs-cp949", "crlf"],
)
def test_csv_encodings_and_separators(data):
    schedule = parsed(data)

    assert schedule.format == "CSV"
    assert [(s.title, s.speakers) for s in schedule.sessions] == [("파이썬 발표", ["name:김파이"])]


def workbook_bytes(sheet_xml: str | bytes | None = None, extra: dict | None = None) -> bytes:
    """A real workbook from openpyxl, its first sheet's XML replaced, parts added."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["date", "start", "duration", "title"])
    workbook.active.append(["2025-08-15", "10:00", 40, "Talk"])
    out = io.BytesIO()
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                data = sheet_xml
            archive.writestr(part.filename, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return result.getvalue()


def sheet_of(rows: str) -> str:
    return f'<worksheet xmlns="{SHEET_NS}"><sheetData>{rows}</sheetData></worksheet>'


def test_a_plain_workbook_reads():
    schedule = parsed(workbook_bytes())

    assert (schedule.format, [s.title for s in schedule.sessions]) == ("XLSX", ["Talk"])


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = workbook_bytes(extra={"xl/media/zeros.bin": b"\0" * (MOST_UNPACKED + 1)})
    assert len(bomb) < 100_000

    tracemalloc.start()
    started = time.process_time()
    message = error_of(bomb)
    seconds = time.process_time() - started
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert message == "sheet.xlsx: the workbook unpacks to more than 30.0\xa0MB"
    assert seconds < 1 and peak < 5_000_000


def test_too_many_xml_elements_are_refused_before_openpyxl_reads_them():
    cells = "<c/>" * 1000
    rows = "".join(f'<row r="{n}">{cells}</row>' for n in range(1, MOST_ELEMENTS // 1000 + 2))

    started = time.process_time()
    message = error_of(workbook_bytes(sheet_of(rows)))

    assert message == (
        f"sheet.xlsx: the workbook holds more than {MOST_ELEMENTS} XML elements (cells and their "
        "values), more than a programme needs"
    )
    assert time.process_time() - started < 1


def test_the_worst_workbook_within_the_limits_costs_about_a_second():
    """Empty cells in wide rows are what openpyxl reads slowest per element."""
    budget = MOST_ELEMENTS - 2000  # the rest of the workbook's parts
    header = (
        '<row r="1">'
        + "".join(
            f'<c t="inlineStr"><is><t>{name}</t></is></c>'
            for name in ("date", "start", "duration", "title")
        )
        + "</row>"
    )
    cells = "<c/>" * 4000
    rows = "".join(f'<row r="{n}">{cells}</row>' for n in range(2, budget // 4001 + 2))
    data = workbook_bytes(sheet_of(header + rows))

    started = time.process_time()
    message = error_of(data)
    seconds = time.process_time() - started

    assert message == "sheet.xlsx: no sessions: nothing under the header row"
    assert seconds < 2  # 1.2 s on the development machine


def test_a_document_type_declaration_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + sheet_of('<row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row>')
    )

    assert error_of(workbook_bytes(laughs)) == (
        "sheet.xlsx: the workbook contains a document type declaration (<!DOCTYPE …>); "
        "workbooks have none, so it is refused"
    )


def zip_of(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


OTHER_FILES = [
    (zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
     "sheet.xlsx: an OpenDocument spreadsheet (.ods): save it as .xlsx or as CSV"),
    (zip_of({"[Content_Types].xml": '<Types><Override ContentType="application/vnd.'
             'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'}),
     "sheet.xlsx: a ZIP archive, but not an XLSX workbook"),
    (zip_of({"readme.txt": "hello"}), "sheet.xlsx: a ZIP archive, but not an XLSX workbook"),
    (b"PK\x03\x04" + b"\x00" * 100, "sheet.xlsx: a damaged ZIP archive, not a readable XLSX workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "sheet.xlsx: an old Excel .xls file or a password-protected workbook: save it as .xlsx "
     "(without a password) or as CSV"),
    (zip_of({f"part{n}.xml": "<x/>" for n in range(201)}),
     "sheet.xlsx: the workbook has more than 200 parts"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), OTHER_FILES, ids=range(len(OTHER_FILES)))
def test_files_that_are_not_xlsx_workbooks_are_named(data, message):
    assert error_of(data) == message


def test_a_broken_workbook_part_is_one_line():
    broken = workbook_bytes(sheet_of('<row r="1"><c t="s"><v>99</v></c></row>'))

    assert error_of(broken).startswith("sheet.xlsx: the workbook cannot be read (")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("date,start,duration,title\n" + "," * 2_000_000, "sheet.csv: line 2 is longer than 1.0\xa0MB"),
        ("date,start,duration,title\n" + "\n" * 10_000_000, "sheet.csv: more than 5000 rows below the header row"),
    ],
    ids=["one-long-line", "many-blank-lines"],
)  # fmt: skip
def test_hostile_csv_is_quick(data, message):
    started = time.process_time()
    assert error_of(data.encode(), "sheet.csv") == message
    assert time.process_time() - started < 1.5
