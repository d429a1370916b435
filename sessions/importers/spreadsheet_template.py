"""The programme template the import page offers: the header row in the admin's language, two
example rows, and (in the XLSX) a second sheet saying what each column means."""

import csv
import io
from datetime import date, time

import openpyxl
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from sessions.importers.spreadsheet_columns import COLUMNS, KEYS, header_names

WIDTHS = {"title": 40, "speakers": 28, "abstract": 50, "room": 14, "track": 14}


def example_rows(conference) -> list[dict]:
    """Two rows that import as they are: a talk with an end, a break with a duration."""
    day = conference.start_date if conference is not None else date.today()
    return [
        {
            "id": "T1",
            "date": day,
            "start": time(10, 0),
            "end": time(10, 40),
            "room": _("Room 1"),
            "track": _("Web"),
            "title": _("Example talk: replace or delete this row"),
            "speakers": "Ada Lovelace, 김파이",
            "abstract": _("What the talk is about, in *Markdown*."),
            "language": "ko",
            "kind": "talk",
        },
        {
            "date": day,
            "start": time(12, 0),
            "duration": 60,
            "title": _("Lunch"),
            "kind": "break",
        },
    ]


def _text(value) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


def template_csv(conference) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens Korean text correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header_names(_language()))
    for row in example_rows(conference):
        writer.writerow([_text(row.get(key)) for key in KEYS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(conference) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Programme")[:31]
    sheet.append(header_names(_language()))
    for row in example_rows(conference):
        sheet.append([row.get(key) for key in KEYS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, key in enumerate(KEYS, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDTHS.get(key, 12)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
            if key == "date":
                cell.number_format = "yyyy-mm-dd"
            elif key in ("start", "end"):
                cell.number_format = "hh:mm"
            elif key == "id":
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    _add_column_notes(workbook.create_sheet(_("Columns")[:31]), conference)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_column_notes(sheet, conference):
    """What each column means; the import reads only the first sheet."""
    sheet.append([_("Column"), _("What it holds")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    names = header_names(_language())
    for name, column in zip(names, COLUMNS, strict=True):
        sheet.append([name, str(column.meaning)])
    sheet.append([])
    sheet.append([zone_note(conference)])
    sheet.append(
        [_("Only the first sheet is imported. One row per session; blank rows are skipped.")]
    )
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 100


def zone_note(conference) -> str:
    if conference is None:
        return _("Dates and times are in the time zone of the conference they are imported into.")
    return _("Dates and times are in the conference's time zone, %(zone)s.") % {
        "zone": conference.timezone
    }


def _language() -> str:
    return (get_language() or "en").split("-")[0]
