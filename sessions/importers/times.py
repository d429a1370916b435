"""Dates, clock times, instants, durations and zones as schedule files write them, each read
or refused with a ScheduleError naming where it stood in the file."""

import re
import zoneinfo
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError, quoted

DURATION = re.compile(r"^(\d{1,3}):([0-5]?\d)(?::([0-5]?\d))?$")
CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")
# The longest session: what the export formats can write as its duration (hh:mm, two digits).
LONGEST_SESSION = timedelta(hours=99, minutes=59)
# Dates outside these years are refused: far from the ends of Python's range, so no time moved
# to UTC or to the conference's zone, or a duration on, can overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_duration(value, where: str) -> timedelta:
    """00:50 (hours:minutes) or 00:05:00 (hours:minutes:seconds); a bare number is minutes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        if value > LONGEST_SESSION // timedelta(minutes=1):
            raise too_long(where)  # before timedelta() overflows on a huge number
        return timedelta(minutes=value)
    duration = _hours_minutes_seconds(DURATION, value)
    if duration is None:
        raise _misshapen(
            _("%(where)s: %(value)s is not a duration like 00:50 or 00:05:00"), value, where
        )
    if duration > LONGEST_SESSION:
        raise too_long(where)
    return duration


def too_long(where: str) -> ScheduleError:
    return ScheduleError(
        _("%(where)s: the event lasts longer than %(longest)s hours")
        % {"where": where, "longest": "99:59"}
    )


def parse_clock(value, where: str) -> timedelta:
    """A wall-clock time like 09:30 as the time since midnight."""
    clock = _hours_minutes_seconds(CLOCK, value)
    if clock is None:
        raise _misshapen(_("%(where)s: %(value)s is not a time like 09:30"), value, where)
    return clock


def _hours_minutes_seconds(pattern, value) -> timedelta | None:
    """value as pattern reads it (hours, minutes and maybe seconds); None if it does not match."""
    match = pattern.match(str(value or "").strip())
    if not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _misshapen(message: str, value, where: str) -> ScheduleError:
    """The error for a value not written as message says it should be."""
    return ScheduleError(message % {"where": where, "value": quoted(value)})


def parse_instant(value, where: str, tz) -> datetime:
    """An ISO 8601 date and time; one without an offset is read in the conference's zone."""
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise _misshapen(
            _("%(where)s: %(value)s is not a date and time like 2024-08-15T10:00:00+09:00"),
            value,
            where,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return check_year(moment, value, where)


def first_offset_sample(value, tz) -> datetime | None:
    """A time read only to learn the file's UTC offset; None if it cannot be read (reading the
    day or event that holds it names the problem and where it is)."""
    try:
        return parse_instant(value, "", tz) if value else None
    except ScheduleError:
        return None


def parse_date(value, where: str) -> date:
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise _misshapen(
            _("%(where)s: %(value)s is not a date like 2024-08-15"), value, where
        ) from None
    return check_year(day, value, where)


def check_year(moment, value, where: str):
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ScheduleError(
            _("%(where)s: %(value)s is not between the years %(first)d and %(last)d")
            % {"where": where, "value": quoted(value), "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return moment


def _offset_zone(moment: datetime) -> str:
    """An IANA zone with the UTC offset this moment has: Etc/GMT±N for whole hours, else the
    first zone that had that offset then; used only when the file names no usable zone."""
    seconds = int(moment.utcoffset().total_seconds())
    if seconds == 0:
        return "UTC"
    if seconds % 3600 == 0:
        return f"Etc/GMT{-seconds // 3600:+d}"  # the Etc names have the sign turned round
    for name in sorted(zoneinfo.available_timezones()):
        offset = moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
        if offset is not None and offset.total_seconds() == seconds:
            return name
    return "UTC"


def resolve_zone(name, sample: datetime | None, source: str, warnings: list) -> tuple[str, bool]:
    """The zone to show times in, and whether the file named it: the file's IANA name, or
    else one derived from the UTC offset of a time in the file ("" if there is none)."""
    name = str(name or "").strip()
    if name:
        # The zones the admin accepts too (ZoneInfo() would also open "America", a folder).
        if name in zoneinfo.available_timezones():
            return name, True
        warnings.append(
            _("%(source)s: time zone %(zone)s is unknown; using the offsets in the times")
            % {"source": source, "zone": quoted(name)}
        )
    if sample is None or sample.utcoffset() is None:
        return "", False
    return _offset_zone(sample), False
