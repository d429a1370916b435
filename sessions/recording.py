"""Recording schedule versions: every writer of the programme (an import, a sync, an admin
save) writes inside recording(), which looks at the conference's sessions before and after, and
when anything an attendee would notice changed (time, day, room, title, speakers, cancelled, a
session new or gone) writes a ScheduleVersion with one ScheduleChange per session and kind, and
bumps each changed session's iCalendar sequence. Old and new values are text people read: a
time as start and end in the conference's zone joined by an en dash, a day as its ISO date, a room by name, speakers
as "A, B".

    with recording(conference, origin=ScheduleVersion.Origin.SYNC, source=url) as recorded:
        plan.apply_writes()
    recorded.version  # the new ScheduleVersion, or None when nothing changed

Locks, in the order every writer takes them (so no two writers deadlock): on PostgreSQL an
advisory lock on the conference (programme writers one at a time), then the conference's
session rows (the snapshot before), then, only when there is a version to write, the
conference's row (a note's save also locks its session, then the conference). The version's
number is counted under that last lock.

A conference's first version is number 1, "published", with no changes. A conference whose
programme was written before versions were recorded gets that version 1 for the programme as it
stood, then version 2 for what changed.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from sessions.models import Conference, Session, SessionSpeaker
from sessions.versions import ScheduleChange, ScheduleVersion

Kind = ScheduleChange.Kind
# The order of a session's changes, and of the kinds in a version's counts.
KINDS = [
    Kind.NEW,
    Kind.CANCELLED,
    Kind.RESTORED,
    Kind.DAY,
    Kind.TIME,
    Kind.ROOM,
    Kind.TITLE,
    Kind.SPEAKERS,
]
# pg_advisory_xact_lock(key, conference id): the first key says "a programme" ("hugi").
ADVISORY_NAMESPACE = 0x68756769
SOURCE_LENGTH = ScheduleVersion._meta.get_field("source").max_length
TEXT_LENGTH = ScheduleChange._meta.get_field("old").max_length
TITLE_LENGTH = ScheduleChange._meta.get_field("session_title").max_length


@dataclass(frozen=True)
class SessionState:
    """What an attendee sees of a session, as recorded before and after a write."""

    title: str
    starts_at: datetime
    ends_at: datetime
    day: date
    room: str  # the room's name, "" for none
    speakers: tuple[str, ...]  # names in billing order
    cancelled: bool


@dataclass
class Recorded:
    """What recording() wrote, filled in when its block ends."""

    version: ScheduleVersion | None = None
    changes: list[ScheduleChange] = field(default_factory=list)


def lock_programme(conference_id: int) -> None:
    """Wait until no other transaction writes this conference's programme (PostgreSQL; SQLite
    has one writer at a time anyway). Held until the transaction ends; taking it twice in one
    transaction is fine."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_programme() outside a transaction would unlock at once")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, conference_id])


def snapshot(conference_id: int, *, lock: bool = False) -> dict[int, SessionState]:
    """{session id: SessionState} of every session of the conference, in two queries; lock:
    and lock the session rows until the transaction ends."""
    sessions = Session.objects.filter(conference_id=conference_id).order_by()
    if lock:
        sessions = sessions.select_for_update(of=("self",))
    rows = list(
        sessions.values_list(
            "pk", "title", "starts_at", "ends_at", "day__date", "room__name", "cancelled"
        )
    )
    speakers = defaultdict(list)
    for session_id, name in (
        SessionSpeaker.objects.filter(session__conference_id=conference_id)
        .order_by("session_id", "order", "pk")
        .values_list("session_id", "speaker__name")
    ):
        speakers[session_id].append(name)
    return {
        pk: SessionState(
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            day=day,
            room=room or "",
            speakers=tuple(speakers.get(pk, ())),
            cancelled=cancelled,
        )
        for pk, title, starts_at, ends_at, day, room, cancelled in rows
    }


@contextmanager
def recording(conference: Conference, *, origin: str, source: str = ""):
    """Run the block's writes in one transaction and record what they changed as a version of
    the conference's programme. conference may be unsaved: the block creates it (a first
    import), and its first version is recorded."""
    with transaction.atomic():
        before = {}
        if conference.pk is not None:
            lock_programme(conference.pk)
            before = snapshot(conference.pk, lock=True)
        recorded = Recorded()
        yield recorded
        if conference.pk is not None:
            _record(recorded, conference, before, origin, source[:SOURCE_LENGTH])


def _record(recorded, conference, before, origin, source):
    after = snapshot(conference.pk)
    changes = diff(before, after, conference.tz)
    if not changes and (before or not after):
        return  # nothing an attendee sees changed (or there is still no programme)
    # A new session starts at sequence 0; a revised one counts up (RFC 5545 SEQUENCE).
    revised = sorted({c.session_id for c in changes if c.session_id and c.kind != Kind.NEW})
    if revised:
        # Session rows before the conference's row: the order every writer locks them.
        Session.objects.filter(pk__in=revised).update(sequence=F("sequence") + 1)
    now = timezone.now()
    if not Conference.objects.filter(pk=conference.pk).update(changed_at=now):  # locks the row
        return  # the block deleted the conference
    conference.changed_at = now
    latest = ScheduleVersion.objects.filter(conference_id=conference.pk).aggregate(
        number=Max("number")
    )["number"]
    number = latest or 0
    if not number:
        # The programme as first published (or as it stood before versions were recorded).
        number = 1
        recorded.version = ScheduleVersion.objects.create(
            conference_id=conference.pk, number=number, created_at=now, origin=origin, source=source
        )
        if not before:
            return
    counts = Counter(change.kind for change in changes)
    version = ScheduleVersion.objects.create(
        conference_id=conference.pk,
        number=number + 1,
        created_at=now,
        origin=origin,
        source=source,
        counts={kind.value: counts[kind] for kind in KINDS if counts[kind]},
    )
    for change in changes:
        change.version = version
    recorded.version = version
    recorded.changes = ScheduleChange.objects.bulk_create(changes)


def diff(before: dict, after: dict, tz) -> list[ScheduleChange]:
    """The changes from one snapshot to the other, unsaved and without a version: by session,
    in KINDS order. Changes to a session that was and stays cancelled are nobody's concern."""
    changes = []
    for pk in sorted(before.keys() | after.keys()):
        old, new = before.get(pk), after.get(pk)
        if old is None:
            if not new.cancelled:
                changes.append(_change(pk, new, Kind.NEW))
        elif new is None:
            # Deleted (or moved to another conference): gone from this programme.
            if not old.cancelled:
                changes.append(_change(None, old, Kind.CANCELLED))
        elif new.cancelled:
            if not old.cancelled:
                changes.append(_change(pk, new, Kind.CANCELLED))
        else:
            if old.cancelled:
                changes.append(_change(pk, new, Kind.RESTORED))
            changes += _moves(pk, old, new, tz)
    return changes


def _moves(pk, old: SessionState, new: SessionState, tz) -> list[ScheduleChange]:
    changes = []
    if old.day != new.day:
        changes.append(_change(pk, new, Kind.DAY, old.day.isoformat(), new.day.isoformat()))
    old_times, new_times = time_range(old, tz), time_range(new, tz)
    if old_times != new_times:
        changes.append(_change(pk, new, Kind.TIME, old_times, new_times))
    elif old.day == new.day and (old.starts_at, old.ends_at) != (new.starts_at, new.ends_at):
        # The same clock times on another date within the same day (after midnight, say).
        old_times, new_times = time_range(old, tz, dated=True), time_range(new, tz, dated=True)
        changes.append(_change(pk, new, Kind.TIME, old_times, new_times))
    if old.room != new.room:
        changes.append(_change(pk, new, Kind.ROOM, old.room, new.room))
    if old.title != new.title:
        changes.append(_change(pk, new, Kind.TITLE, old.title, new.title))
    if old.speakers != new.speakers:
        changes.append(
            _change(pk, new, Kind.SPEAKERS, ", ".join(old.speakers), ", ".join(new.speakers))
        )
    return changes


def time_range(state: SessionState, tz, *, dated: bool = False) -> str:
    """Start and end in the conference's zone, HH:MM joined by an en dash; dated: after the
    start's ISO date and a space."""
    start = timezone.localtime(state.starts_at, tz)
    end = timezone.localtime(state.ends_at, tz)
    text = f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d} {text}" if dated else text


def _change(pk, state: SessionState, kind, old="", new="") -> ScheduleChange:
    return ScheduleChange(
        session_id=pk,
        session_title=state.title[:TITLE_LENGTH],
        starts_at=state.starts_at,
        kind=kind,
        old=old[:TEXT_LENGTH],
        new=new[:TEXT_LENGTH],
    )
