"""The demo programme (ops/demo.py) as spreadsheet rows, and those rows as CSV or XLSX bytes,
for the spreadsheet import tests: the files are made here, from the database, not kept."""

import csv
import io
from datetime import date

import openpyxl

from ops.demo import SLUG, build_demo
from sessions.importers.spreadsheet_columns import KEYS
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track


def demo_conference() -> Conference:
    build_demo()
    return Conference.objects.get(slug=SLUG)


def empty_conference(slug="sheet", like: Conference | None = None) -> Conference:
    """A conference as typed into the admin before its programme: name, zone and dates."""
    return Conference.objects.create(
        slug=slug,
        name=like.name if like else "Sheet Conference",
        acronym=like.acronym if like else "",
        timezone=like.timezone if like else "Asia/Seoul",
        start_date=like.start_date if like else date(2025, 8, 15),
        end_date=like.end_date if like else date(2025, 8, 16),
    )


def programme_rows(conference: Conference, *, ids=False) -> list[dict]:
    """One dict per session, keyed by column, with typed values (date, time, minutes)."""
    rows = []
    sessions = (
        Session.objects.filter(conference=conference)
        .select_related("room", "track")
        .prefetch_related("session_speakers__speaker")
        .order_by("starts_at", "room__order", "pk")
    )
    for session in sessions:
        starts = session.starts_at.astimezone(conference.tz)
        ends = session.ends_at.astimezone(conference.tz)
        speakers = [link.speaker.name for link in session.session_speakers.all()]
        rows.append(
            {
                "id": f"S{session.pk}" if ids else "",
                "date": starts.date(),
                "start": starts.time(),
                "end": ends.time(),
                "duration": "",
                "room": session.room.name if session.room else "",
                "track": session.track.name if session.track else "",
                "title": session.title,
                "speakers": ", ".join(speakers),
                "abstract": session.abstract,
                "language": session.language,
                "kind": session.kind,
            }
        )
    return rows


def as_text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M")
    return str(value)


def to_csv(rows, *, header=KEYS, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([as_text(row.get(key, "")) for key in KEYS])
    return out.getvalue().encode(encoding)


def to_xlsx(rows, *, header=KEYS, typed=True, above=()) -> bytes:
    """An XLSX workbook: dates and times as Excel date and time cells (typed), or as text;
    `above` are rows put above the header (a title, a blank line)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(list(line))
    sheet.append(list(header))
    for row in rows:
        sheet.append(
            [(row.get(key) if typed else as_text(row.get(key, ""))) or None for key in KEYS]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def snapshot(conference: Conference):
    """Everything an import writes for a conference, to compare before and after."""
    return (
        Conference.objects.filter(pk=conference.pk).values().get(),
        list(Day.objects.filter(conference=conference).order_by("pk").values()),
        list(Room.objects.filter(conference=conference).order_by("pk").values()),
        list(Track.objects.filter(conference=conference).order_by("pk").values()),
        list(Speaker.objects.filter(conference=conference).order_by("pk").values()),
        list(Session.objects.filter(conference=conference).order_by("pk").values()),
        list(SessionSpeaker.objects.filter(session__conference=conference).order_by("pk").values()),
    )
