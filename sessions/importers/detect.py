"""Which format a schedule is in, from its content (never its name)."""

from django.utils.translation import gettext as _

from sessions.importers import c3voc_json, frab_xml, spreadsheet
from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import Schedule


def parse_schedule(data: bytes, source: str, *, conference=None) -> Schedule:
    """The schedule in data. conference (a stored Conference) is what a spreadsheet is read
    for: it names no conference or time zone itself (the other formats ignore it)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return frab_xml.parse(data, source)
    if head in (b"{", b"["):
        return c3voc_json.parse(data, source)
    schedule = spreadsheet.read(data, source, conference)
    if schedule is not None:
        return schedule
    # What it starts with is not shown: what a server answered is never echoed back.
    raise ScheduleError(
        _(
            "%(source)s: not a schedule: neither frab XML nor C3VOC JSON, nor a spreadsheet "
            "(CSV whose first row names the columns date, start, title and end or duration; "
            "XLSX)"
        )
        % {"source": source}
    )
