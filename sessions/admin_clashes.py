"""Clashes in a conference's programme, for its admin pages: two sessions in one room at the
same time, and a speaker billed in two sessions at once. Cancelled sessions clash with nothing.
Two queries, whatever the size of the programme."""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sessions.models import Session, SessionSpeaker

# A page lists this many; a programme with more needs fixing before it needs reading in full.
SHOWN = 50


@dataclass(frozen=True)
class Booking:
    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    zone: object

    @property
    def when(self) -> str:
        """Its day and times in the conference's zone and the page's language."""
        return time_span(self.starts_at, self.ends_at, self.zone)

    @property
    def html(self):
        """A link to its change form, and when."""
        url = reverse("admin:program_session_change", args=[self.session_id])
        return format_html(
            '<a href="{}">{}</a> <span class="help">({})</span>', url, self.title, self.when
        )


@dataclass(frozen=True)
class Clash:
    kind: str  # "room" or "speaker"
    name: str  # the room's or the speaker's
    first: Booking
    second: Booking


def find_clashes(conference, *, day=None) -> list[Clash]:
    """Every pair of overlapping sessions in one room or with one speaker, by start time."""
    sessions = Session.objects.filter(conference=conference, cancelled=False)
    if day is not None:
        sessions = sessions.filter(day=day)
    rooms = sessions.filter(room__isnull=False).order_by("room_id", "starts_at", "pk")
    zone = conference.tz
    clashes = _overlaps(
        zone,
        "room",
        rooms.values_list("room__name", "room_id", "pk", "title", "starts_at", "ends_at"),
    )
    speakers = SessionSpeaker.objects.filter(session__in=sessions).order_by(
        "speaker_id", "session__starts_at", "session_id"
    )
    clashes += _overlaps(
        zone,
        "speaker",
        speakers.values_list(
            "speaker__name",
            "speaker_id",
            "session_id",
            "session__title",
            "session__starts_at",
            "session__ends_at",
        ),
    )
    return sorted(clashes, key=lambda c: (c.first.starts_at, c.kind, c.name, c.second.starts_at))


def _overlaps(zone, kind, rows) -> list[Clash]:
    """rows: (name, group id, session id, title, start, end), ordered by group and start."""
    found = []
    for (name, _group), group in groupby(rows, key=lambda row: (row[0], row[1])):
        running: list[Booking] = []  # what is still going on when the next one starts
        for _name, _id, pk, title, starts_at, ends_at in group:
            booking = Booking(pk, title, starts_at, ends_at, zone)
            running = [other for other in running if other.ends_at > starts_at]
            found += [Clash(kind, name, other, booking) for other in running]
            running.append(booking)
    return found


def time_span(starts_at, ends_at, zone) -> str:
    """ "Sat 15 Aug 10:00-10:40", the date as the page's language writes it."""
    start, end = dj_timezone.localtime(starts_at, zone), dj_timezone.localtime(ends_at, zone)
    return f"{date_format(start, _('D j M'))} {start:%H:%M}–{end:%H:%M}"


def clashes_context(conference, *, day=None) -> dict:
    """What _clashes.html shows: the first SHOWN clashes and how many there are."""
    clashes = find_clashes(conference, day=day)
    return {
        "clashes": clashes[:SHOWN],
        "clash_count": len(clashes),
        "more_clashes": len(clashes) - SHOWN,
    }
