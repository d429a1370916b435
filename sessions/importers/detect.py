"""Which format a schedule is in, from its content (never its name)."""

from django.utils.translation import gettext as _

from sessions.importers import c3voc_json, frab_xml
from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import Schedule


def parse_schedule(data: bytes, source: str) -> Schedule:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return frab_xml.parse(data, source)
    if head in (b"{", b"["):
        return c3voc_json.parse(data, source)
    # What it starts with is not shown: what a server answered is never echoed back.
    raise ScheduleError(
        _("%(source)s: not a schedule: neither frab XML nor C3VOC JSON") % {"source": source}
    )
