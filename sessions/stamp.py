"""A conference's change stamp, read with one small query: all a cached public page costs.

Conference.changed_at changes whenever anything the public sees of the conference changes (see
Conference.touch), so an anonymous visitor's page can be answered from the page cache, or with a
304, knowing only the stamp; a session's page reads its session's notes stamp in the same query
(Session.notes_changed_at: its public notes and photos). These are plain SELECTs, not ORM
querysets, on purpose: building a queryset takes about a millisecond of Python here, longer than
everything else a cached page does (bench/throughput.py measures it), while the database answers
in a tenth of that.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.http import Http404
from django.utils.dateparse import parse_date, parse_datetime

from sessions.models import Conference, Session

STAMP_FIELDS = ("id", "changed_at", "notes_changed_at", "start_date", "end_date", "timezone")


@dataclass(frozen=True)
class Stamp:
    """What the pages of a conference need to know before they are drawn or found in the cache
    (the names match Conference's, so is_live() and friends take either)."""

    pk: int
    changed_at: datetime
    notes_changed_at: datetime
    start_date: date
    end_date: date
    tz: ZoneInfo

    @property
    def with_notes(self) -> tuple[datetime, list]:
        """(changed_at, extra) for conditional.validators_for on a page that shows the
        conference's public notes and photos as well as the programme."""
        return self.with_notes_at(self.notes_changed_at)

    def with_notes_at(self, notes_changed_at: datetime) -> tuple[datetime, list]:
        """The same for a page that shows some of them: one session's (see session_stamp_or_404)."""
        latest = max(self.changed_at, notes_changed_at)
        return latest, [self.changed_at.isoformat(), notes_changed_at.isoformat()]


# The statements hold names only, never values.
@functools.cache
def _select_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Conference._meta.get_field(name).column) for name in STAMP_FIELDS)
    return f"SELECT {columns} FROM {quote(Conference._meta.db_table)}"


@functools.cache
def _session_sql() -> str:
    quote = connection.ops.quote_name
    conference, session = Conference._meta, Session._meta
    columns = ", ".join(f"c.{quote(conference.get_field(name).column)}" for name in STAMP_FIELDS)
    return (
        f"SELECT {columns}, s.{quote(session.get_field('notes_changed_at').column)}"
        f" FROM {quote(session.db_table)} s JOIN {quote(conference.db_table)} c"
        f" ON c.{quote('id')} = s.{quote(session.get_field('conference').column)}"
        f" WHERE c.{quote('slug')} = %s AND s.{quote('slug')} = %s"
    )


def conference_stamp(slug: str) -> Stamp | None:
    """The stamp of the conference with this slug, or None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(f"{_select_sql()} WHERE {connection.ops.quote_name('slug')} = %s", [slug])
        row = cursor.fetchone()
    return None if row is None else as_stamp(row)


def all_stamps() -> list[Stamp]:
    """The stamps of every conference (for the pages that list them all: home, search, sitemap)."""
    with connection.cursor() as cursor:
        cursor.execute(_select_sql())
        return [as_stamp(row) for row in cursor.fetchall()]


def as_stamp(row) -> Stamp:
    pk, changed_at, notes_changed_at, start_date, end_date, zone = row
    return Stamp(
        pk=pk,
        changed_at=as_datetime(changed_at),
        notes_changed_at=as_datetime(notes_changed_at),
        start_date=as_date(start_date),
        end_date=as_date(end_date),
        tz=ZoneInfo(zone),
    )


def session_stamp_or_404(conference_slug: str, session_slug: str) -> tuple[Stamp, datetime]:
    """The stamp of a conference and the notes stamp of one of its sessions, found by slugs."""
    with connection.cursor() as cursor:
        cursor.execute(_session_sql(), [conference_slug, session_slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such session.")
    return as_stamp(row[:-1]), as_datetime(row[-1])


def stamp_or_404(slug: str) -> Stamp:
    stamp = conference_stamp(slug)
    if stamp is None:
        raise Http404("No such conference.")
    return stamp


def as_datetime(value) -> datetime:
    """SQLite gives text in UTC; PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def as_date(value) -> date:
    return parse_date(value) if isinstance(value, str) else value
