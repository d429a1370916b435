"""Reads for the changes page and its feed (a conference's latest schedule versions with what
changed in each, grouped by day and time, in two queries whatever their number) and for a
session's page (what changed of it in the latest version)."""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Subquery
from django.utils import timezone

from notes.change_lines import SessionChanges, count_phrases, session_changes
from sessions.links import session_url_maker
from sessions.timeline_grid import hhmm
from sessions.versions import ScheduleChange, ScheduleVersion

# The versions the page and the feed show, newest first: enough for a conference's days, and a
# page that stays cheap however long a conference syncs.
SHOWN_VERSIONS = 20


@dataclass
class Slot:
    """The changed sessions that (now) start at one time."""

    label: str  # "14:00"
    iso: str
    sessions: list[SessionChanges]


@dataclass
class ChangedDay:
    date: date
    slots: list[Slot]


@dataclass
class VersionChanges:
    version: ScheduleVersion
    days: list[ChangedDay] = field(default_factory=list)
    counts: list[str] = field(default_factory=list)  # "3 moved", "1 cancelled"

    @property
    def number(self):
        return self.version.number

    @property
    def is_first(self):
        return self.version.number == 1

    @property
    def sessions(self) -> list[SessionChanges]:
        return [entry for day in self.days for slot in day.slots for entry in slot.sessions]


def recent_versions(conference, limit=SHOWN_VERSIONS) -> list[VersionChanges]:
    """The conference's latest versions, newest first, each with its changes by day and time
    (in the conference's zone). Two queries."""
    versions = list(
        ScheduleVersion.objects.filter(conference=conference).order_by("-number")[:limit]
    )
    rows = (
        ScheduleChange.objects.filter(version__in=[version.pk for version in versions])
        .select_related("session")
        .only(*CHANGE_FIELDS)
        .order_by("version_id", "starts_at", "session_title", "pk")
    )
    by_version = {version.pk: [] for version in versions}
    for row in rows:
        by_version[row.version_id].append(row)
    url_for = session_url_maker(conference)
    zone = conference.tz
    found = []
    for version in versions:
        entries = session_changes(by_version[version.pk], url_for=url_for)
        counts = {}
        for row in by_version[version.pk]:
            counts[row.kind] = counts.get(row.kind, 0) + 1
        found.append(
            VersionChanges(
                version=version, days=by_day(entries, zone), counts=count_phrases(counts)
            )
        )
    return found


CHANGE_FIELDS = (
    "version_id",
    "session_id",
    "session_title",
    "starts_at",
    "kind",
    "old",
    "new",
    "session__slug",
)


def by_day(entries: list[SessionChanges], zone) -> list[ChangedDay]:
    """Changed sessions by the day and time they (now) start, in the conference's zone."""
    timed = sorted(
        ((timezone.localtime(entry.starts_at, zone), entry) for entry in entries),
        key=lambda pair: (pair[0], pair[1].title),
    )
    days = []
    for day, in_day in groupby(timed, key=lambda pair: pair[0].date()):
        slots = [
            Slot(
                label=hhmm(moment),
                iso=moment.isoformat(timespec="minutes"),
                sessions=[entry for _moment, entry in group],
            )
            for moment, group in groupby(in_day, key=lambda pair: pair[0])
        ]
        days.append(ChangedDay(date=day, slots=slots))
    return days


def latest_session_changes(session) -> SessionChanges | None:
    """What changed of the session in its conference's latest version (one query), or None."""
    latest = ScheduleVersion.objects.filter(conference=session.conference_id).order_by("-number")
    rows = list(
        ScheduleChange.objects.filter(session=session, version=Subquery(latest.values("pk")[:1]))
        .select_related("version")
        .order_by("pk")
    )
    for row in rows:
        row.session = session
    found = session_changes(rows)
    if not found:
        return None
    found[0].version = rows[0].version.number
    return found[0]
