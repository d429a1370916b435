"""The cells of a programme spreadsheet as values: text, a date, a clock time, a duration, a
kind, a language.

A CSV cell is text; an XLSX cell may also be a number, a date, a time or a duration as openpyxl
reads it. Each reader takes either and raises a ScheduleError naming the row and the column.
"""

import re
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError, quoted
from sessions.importers.spreadsheet_columns import KIND_WORDS, LANGUAGE_WORDS
from sessions.importers.spreadsheet_files import LONGEST_CELL
from sessions.importers.times import LONGEST_SESSION, check_year
from sessions.importers.values import kind_for_type
from sessions.models import Session

DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
# 09:30, 9:30, 09:30:00, and with AM/PM or 오전/오후 before or after (Excel writes them so).
CLOCK = re.compile(
    r"^(?:(am|pm|오전|오후)\s*)?(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?:\s*(am|pm|오전|오후))?$",
    re.IGNORECASE,
)
MINUTES = re.compile(r"^(\d{1,5})\s*(?:m|min|mins|minutes|분)?$", re.IGNORECASE)
HOURS_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")
AFTERNOON = ("pm", "오후")
# Excel keeps a time without a date as a time on its first day (openpyxl shows 1899-12-30).
EXCEL_EPOCHS = (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1))


def cell_text(value, where: str) -> str:
    """A cell as the text it shows: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    else:
        text = str(value)
    if len(text) > LONGEST_CELL:
        raise ScheduleError(
            _("%(where)s: a cell longer than %(limit)d characters")
            % {"where": where, "limit": LONGEST_CELL}
        )
    return text.strip()


def cell_date(value, where: str) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return check_year(value, value.isoformat(), where)
    text = cell_text(value, where)
    match = DATE.match(text)
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a date like 2025-08-15")
            % {"where": where, "value": quoted(text)}
        )
    return check_year(day, text, where)


def cell_clock(value, where: str, day: date) -> time:
    """A time of day; an XLSX date and time is taken if its date is the row's (or none)."""
    if isinstance(value, datetime):
        if value.date() not in (*EXCEL_EPOCHS, day):
            raise ScheduleError(
                _(
                    "%(where)s: %(value)s is a date and a time: give the time only (the date has "
                    "its own column)"
                )
                % {"where": where, "value": quoted(value.isoformat(sep=" "))}
            )
        value = value.time()
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, timedelta) and value < timedelta(days=1):
        return (datetime.min + value).time()
    text = cell_text(value, where)
    match = CLOCK.match(text)
    clock = _clock(match) if match else None
    if clock is None:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a time like 09:30")
            % {"where": where, "value": quoted(text)}
        )
    return clock


def _clock(match) -> time | None:
    before, hours, minutes, seconds, after = match.groups()
    hours, half = int(hours), (before or after or "").lower()
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half in AFTERNOON else 0)
    if hours > 23:
        return None
    return time(hours, int(minutes), int(seconds or 0))


def cell_duration(value, where: str) -> timedelta:
    """Minutes (40, "40 min", "40분"), or hours and minutes (1:30, an XLSX time)."""
    duration = None
    if isinstance(value, timedelta):
        duration = value
    elif isinstance(value, time):
        duration = timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 0 <= value <= 10**6:
            duration = timedelta(minutes=int(value))
    else:
        text = cell_text(value, where)
        if match := MINUTES.match(text):
            duration = timedelta(minutes=int(match.group(1)))
        elif match := HOURS_MINUTES.match(text):
            hours, minutes, seconds = (int(part or 0) for part in match.groups())
            duration = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if duration is None or duration <= timedelta(0):
        raise ScheduleError(
            _("%(where)s: %(value)s is not a duration like 40 (minutes) or 1:30")
            % {"where": where, "value": quoted(cell_text(value, where))}
        )
    if duration > LONGEST_SESSION:
        raise ScheduleError(
            _("%(where)s: the session lasts longer than %(longest)s hours")
            % {"where": where, "longest": "99:59"}
        )
    return duration


def cell_kind(text: str, where: str) -> str:
    """A kind hugi has: its value, a word the other formats use, or a Korean word."""
    word = " ".join(text.split()).lower()
    if not word:
        return Session.Kind.TALK
    kind = KIND_WORDS.get(word) or kind_for_type(word)
    if kind == Session.Kind.OTHER and word not in ("other", "기타"):
        raise ScheduleError(
            _("%(where)s: %(value)s is not a kind: use one of %(kinds)s")
            % {"where": where, "value": quoted(text), "kinds": ", ".join(Session.Kind.values)}
        )
    return kind


def cell_language(text: str) -> str:
    return LANGUAGE_WORDS.get(" ".join(text.split()).lower(), text)
