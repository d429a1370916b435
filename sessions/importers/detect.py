"""Which format a schedule is in, from its content (never its name)."""

from django.utils.translation import gettext as _

from . import c3voc_json, frab_xml
from .errors import ScheduleError
from .schedule import Schedule


def parse_schedule(data: bytes, source: str) -> Schedule:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return frab_xml.parse(data, source)
    if head in (b"{", b"["):
        return c3voc_json.parse(data, source)
    raise ScheduleError(
        _("%(source)s: neither frab XML nor C3VOC JSON (it starts with %(start)r)")
        % {"source": source, "start": data[:20].decode("utf-8", "replace")}
    )
