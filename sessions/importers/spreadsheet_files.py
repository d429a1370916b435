"""The rows of a CSV file or an XLSX workbook, read within limits whatever the bytes hold.

CSV: UTF-8 (with or without Excel's byte order mark), else cp949, what Excel in Korean saves
as "CSV"; separated by commas, semicolons or tabs (whichever makes the first line a header
row hugi knows). XLSX: a ZIP archive is checked before openpyxl opens it (parts, unpacked
size, number of XML elements, no document type declarations), then read in read-only mode.
"""

import codecs
import csv
import io
import warnings
import zipfile

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError, short
from sessions.importers.spreadsheet_columns import header_key

# A sheet longer than this is not a conference programme (36C3, the largest file in
# tests/fixtures, has 1351 events); it also bounds the time a hostile file can cost.
MOST_ROWS = 5000
MOST_COLUMNS = 50  # cells further right are not read
HEADER_SEARCH_ROWS = 10  # a workbook may have a title or blank rows above its header row
LONGEST_CELL = 32767  # Excel's own limit for a cell
LONGEST_LINE = 1024 * 1024  # one physical CSV line: bounds the cells csv makes of one row
# XLSX: openpyxl takes up to 8 µs of CPU per XML element (empty cells are the slowest), so the
# element count bounds the time to about a second; 150,000 elements are some 2400 rows of eleven
# filled cells. The unpacked size bounds memory (a zip bomb stops here, before unpacking).
MOST_PARTS = 200
MOST_UNPACKED = 30 * 1024 * 1024
MOST_ELEMENTS = 150_000
CHUNK = 1024 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected workbooks
XLSX_TYPES = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
)
ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DELIMITERS = (",", ";", "\t")


def is_workbook(data: bytes) -> bool:
    """A ZIP archive or an OLE file: what Excel and LibreOffice save workbooks as."""
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)


# --- CSV ----------------------------------------------------------------------------------------


def csv_text(data: bytes) -> str | None:
    """The file as text: UTF-8 (a byte order mark dropped), else cp949; None for neither."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_delimiter(text: str) -> str | None:
    """The separator that makes the first line name the most columns hugi knows; None when no
    separator names any (then the text is not a programme spreadsheet)."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    if len(first) > LONGEST_LINE:
        return None
    best, best_count = None, 0
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:  # e.g. a lone carriage return: no header of ours
            continue
        count = len({header_key(cell) for cell in cells} - {""})
        if count > best_count:
            best, best_count = delimiter, count
    return best


def csv_rows(text: str, delimiter: str, source: str):
    """(row number, cells) for each record: row 1 is the header, as a spreadsheet numbers it."""
    reader = csv.reader(_short_lines(io.StringIO(text), source), delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise too_long_cell(source, number + 1) from None
            raise ScheduleError(
                _("%(source)s: row %(row)d: not readable as CSV (%(problem)s)")
                % {"source": source, "row": number + 1, "problem": exc}
            ) from None
        number += 1
        yield number, row


def _short_lines(lines, source):
    for number, line in enumerate(lines, start=1):
        if len(line) > LONGEST_LINE:
            raise ScheduleError(
                _("%(source)s: line %(line)d is longer than %(limit)s")
                % {"source": source, "line": number, "limit": filesizeformat(LONGEST_LINE)}
            )
        yield line


def too_long_cell(source: str, row: int, column: str = "") -> ScheduleError:
    where = where_of(source, row, column)
    return ScheduleError(
        _("%(where)s: a cell longer than %(limit)d characters")
        % {"where": where, "limit": LONGEST_CELL}
    )


def where_of(source: str, row: int, column: str = "") -> str:
    """How messages name a row, or a cell: "f.csv: row 7, column start"."""
    if column:
        return _("%(source)s: row %(row)d, column %(column)s") % {
            "source": source,
            "row": row,
            "column": short(column),
        }
    return _("%(source)s: row %(row)d") % {"source": source, "row": row}


# --- XLSX ---------------------------------------------------------------------------------------


def check_workbook(data: bytes, source: str):
    """Refuse what is not a safe XLSX workbook before openpyxl unpacks anything."""
    if data.startswith(OLE_MAGIC):
        raise ScheduleError(
            _(
                "%(source)s: an old Excel .xls file or a password-protected workbook: save it "
                "as .xlsx (without a password) or as CSV"
            )
            % {"source": source}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ScheduleError(
            _("%(source)s: a damaged ZIP archive, not a readable XLSX workbook")
            % {"source": source}
        ) from None
    if len(parts) > MOST_PARTS:
        raise ScheduleError(
            _("%(source)s: the workbook has more than %(count)d parts")
            % {"source": source, "count": MOST_PARTS}
        )
    if sum(part.file_size for part in parts) > MOST_UNPACKED:
        raise ScheduleError(
            _("%(source)s: the workbook unpacks to more than %(limit)s")
            % {"source": source, "limit": filesizeformat(MOST_UNPACKED)}
        )
    with archive:
        _check_content_types(archive, source)
        elements = sum(_count_elements(archive, part, source) for part in parts)
    if elements > MOST_ELEMENTS:
        raise ScheduleError(
            _(
                "%(source)s: the workbook holds more than %(count)d XML elements (cells and their values), more than a programme needs"
            )
            % {"source": source, "count": MOST_ELEMENTS}
        )


def _check_content_types(archive, source):
    names = set(archive.namelist())
    if "mimetype" in names and _read_part(archive, "mimetype", source).startswith(ODS_TYPE):
        raise ScheduleError(
            _("%(source)s: an OpenDocument spreadsheet (.ods): save it as .xlsx or as CSV")
            % {"source": source}
        )
    types = (
        _read_part(archive, "[Content_Types].xml", source)
        if ("[Content_Types].xml" in names)
        else b""
    )
    if not any(kind in types for kind in XLSX_TYPES):
        raise ScheduleError(
            _("%(source)s: a ZIP archive, but not an XLSX workbook") % {"source": source}
        )


def _read_part(archive, name, source) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, OSError, EOFError):
        raise _damaged(source) from None


def _count_elements(archive, part, source) -> int:
    """How many XML elements a part holds (its "<"); a document type declaration refuses it."""
    count, tail = 0, b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                count += chunk.count(b"<")
                window = (tail + chunk).upper()
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise ScheduleError(
                        _(
                            "%(source)s: the workbook contains a document type declaration "
                            "(<!DOCTYPE …>); workbooks have none, so it is refused"
                        )
                        % {"source": source}
                    )
                tail = chunk[-16:]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, OSError, EOFError):
        raise _damaged(source) from None
    return count


def _damaged(source) -> ScheduleError:
    return ScheduleError(
        _("%(source)s: a damaged or encrypted part in the workbook") % {"source": source}
    )


def xlsx_rows(data: bytes, source: str):
    """(row number, values) of the workbook's first sheet; check_workbook() first."""
    # openpyxl raises many kinds of exception for broken workbooks (KeyError, TypeError,
    # lxml's and defusedxml's errors…), and warns about features it drops: all are one line here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise _unreadable(source, exc) from None
        try:
            if not workbook.worksheets:
                raise ScheduleError(_("%(source)s: the workbook has no sheet") % {"source": source})
            rows = workbook.worksheets[0].iter_rows(
                max_col=MOST_COLUMNS, max_row=HEADER_SEARCH_ROWS + MOST_ROWS + 1, values_only=True
            )
            number = 0
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except Exception as exc:
                    raise _unreadable(source, exc) from None
                number += 1
                yield number, row
        finally:
            workbook.close()


def _unreadable(source, exc) -> ScheduleError:
    # The exception's name, not its text: that can quote the file at length.
    return ScheduleError(
        _("%(source)s: the workbook cannot be read (%(problem)s)")
        % {"source": source, "problem": type(exc).__name__}
    )
