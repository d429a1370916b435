"""Schedule versions and their changes, written as sessions/recording.py writes them.

The helpers change a session the way an import or an admin save would and return the change
row that recording would make of it (old and new values in the same text: "14:00-14:40" in the
conference's zone for a time, an ISO date for a day, names for a room and the speakers);
new_version() then stores those rows as the conference's next version and bumps the
conference's stamp, as recording does.

    publish(conference)                                   # version 1, "published"
    new_version(conference, [moved(talk, hours=2), cancelled(other)])
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import factory
from django.db.models import Max
from django.utils import timezone

from sessions.models import Conference, Session
from sessions.versions import ScheduleChange, ScheduleVersion
from tests.support.factories import ConferenceFactory, SessionFactory
from tests.support.public_programme import build_programme, seoul

Kind = ScheduleChange.Kind


def next_number(conference) -> int:
    latest = ScheduleVersion.objects.filter(conference=conference).aggregate(n=Max("number"))
    return (latest["n"] or 0) + 1


class ScheduleVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleVersion

    conference = factory.SubFactory(ConferenceFactory)
    number = factory.LazyAttribute(lambda v: next_number(v.conference))
    origin = ScheduleVersion.Origin.SYNC
    source = "https://example.org/schedule.xml"


class ScheduleChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleChange

    version = factory.SubFactory(ScheduleVersionFactory)
    session = factory.SubFactory(SessionFactory)
    session_title = factory.LazyAttribute(lambda c: c.session.title)
    starts_at = factory.LazyAttribute(lambda c: c.session.starts_at)
    kind = Kind.TIME


def publish(conference, *, at=None, origin=ScheduleVersion.Origin.IMPORT) -> ScheduleVersion:
    """Version 1: the programme as first published (no changes)."""
    return new_version(conference, [], at=at, origin=origin)


def new_version(
    conference, changes, *, at=None, origin=ScheduleVersion.Origin.SYNC, source=None
) -> ScheduleVersion:
    """The conference's next version with these (unsaved) changes, its counts by kind, and the
    conference's stamp moved on, as sessions/recording.py writes them."""
    at = at or timezone.now()
    counts = Counter(change.kind for change in changes)
    version = ScheduleVersionFactory(
        conference=conference,
        created_at=at,
        origin=origin,
        source="https://example.org/schedule.xml" if source is None else source,
        counts={kind: counts[kind] for kind in Kind.values if counts[kind]},
    )
    for change in changes:
        change.version = version
    ScheduleChange.objects.bulk_create(changes)
    Conference.objects.filter(pk=conference.pk).update(changed_at=timezone.now())
    conference.refresh_from_db(fields=["changed_at"])
    return version


def change(session, kind, old="", new="") -> ScheduleChange:
    """A change row for the session as it is now (unsaved, without a version)."""
    return ScheduleChange(
        session=session,
        session_title=session.title,
        starts_at=session.starts_at,
        kind=kind,
        old=old,
        new=new,
    )


def time_range(session) -> str:
    """ "14:00-14:40" in the session's conference's zone, as recording writes a time."""
    zone = session.conference.tz
    start = timezone.localtime(session.starts_at, zone)
    end = timezone.localtime(session.ends_at, zone)
    return f"{start:%H:%M}–{end:%H:%M}"


def moved(session, *, hours=0, minutes=0) -> ScheduleChange:
    """Move the session later (or earlier) on its day; the TIME change."""
    before = time_range(session)
    shift = timedelta(hours=hours, minutes=minutes)
    Session.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + shift, ends_at=session.ends_at + shift
    )
    session.refresh_from_db()
    return change(session, Kind.TIME, before, time_range(session))


def moved_to_day(session, day) -> list[ScheduleChange]:
    """Move the session to the same clock time on another day: the DAY change."""
    before = session.day.date
    shift = timedelta(days=(day.date - before).days)
    Session.objects.filter(pk=session.pk).update(
        day=day, starts_at=session.starts_at + shift, ends_at=session.ends_at + shift
    )
    session.refresh_from_db()
    return [change(session, Kind.DAY, before.isoformat(), day.date.isoformat())]


def room_changed(session, room) -> ScheduleChange:
    before = session.room.name if session.room else ""
    Session.objects.filter(pk=session.pk).update(room=room)
    session.refresh_from_db()
    return change(session, Kind.ROOM, before, room.name if room else "")


def retitled(session, title) -> ScheduleChange:
    before = session.title
    Session.objects.filter(pk=session.pk).update(title=title)
    session.refresh_from_db()
    return change(session, Kind.TITLE, before, title)


def speakers_changed(session, old_names, new_names) -> ScheduleChange:
    """The SPEAKERS change (the session's speaker rows are left as they are)."""
    return change(session, Kind.SPEAKERS, ", ".join(old_names), ", ".join(new_names))


def cancelled(session) -> ScheduleChange:
    Session.objects.filter(pk=session.pk).update(cancelled=True)
    session.refresh_from_db()
    return change(session, Kind.CANCELLED)


def restored(session) -> ScheduleChange:
    Session.objects.filter(pk=session.pk).update(cancelled=False)
    session.refresh_from_db()
    return change(session, Kind.RESTORED)


def added(session) -> ScheduleChange:
    return change(session, Kind.NEW)


def removed(session) -> ScheduleChange:
    """Delete the session: recording keeps a CANCELLED change without a session."""
    row = ScheduleChange(
        session=None,
        session_title=session.title,
        starts_at=session.starts_at,
        kind=Kind.CANCELLED,
    )
    session.delete()
    return row


# --- a programme that changed -------------------------------------------------------------

PUBLISHED_AT = datetime(2025, 8, 10, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
SYNCED_AT = datetime(2025, 8, 14, 5, 30, tzinfo=UTC)  # 14:30 in Seoul


@dataclass
class ChangedProgramme:
    conference: object
    moved: object  # talk-0: 10:00–10:40 → 14:00–14:40
    rehoused: object  # talk-1: 102호 → 101호
    cancelled: object  # talk-2
    retitled: object  # talk-3
    added: object  # a new talk at 15:00
    version: object  # version 2, with the five changes


def changed_programme(size=4, *, slug="pycon-kr") -> ChangedProgramme:
    """build_programme(size) published as version 1, then synced as version 2: talk-0 moved
    from 10:00 to 14:00, talk-1 from room 102호 to 101호, talk-2 cancelled, talk-3 retitled,
    and one talk added at 15:00 (then size - 4 more talks moved by an hour each)."""
    conference = build_programme(size, slug=slug)
    publish(conference, at=PUBLISHED_AT)
    talks = {session.slug: session for session in Session.objects.filter(conference=conference)}
    room_101 = conference.rooms.get(slug="room-101")
    day1 = conference.days.get(index=1)
    new = SessionFactory(
        conference=conference,
        day=day1,
        room=conference.rooms.get(slug="room-102"),
        title="새로 추가된 라이트닝 토크",
        slug="new-lightning",
        starts_at=seoul(day1.date, 15),
        ends_at=seoul(day1.date, 15, 20),
    )
    changes = [
        moved(talks["talk-0"], hours=4),
        room_changed(talks["talk-1"], room_101),
        cancelled(talks["talk-2"]),
        retitled(talks["talk-3"], "타입 힌트로 레거시 코드 길들이기 (개정판)"),
        added(new),
    ]
    changes += [moved(talks[f"talk-{index}"], hours=1) for index in range(4, size)]
    version = new_version(conference, changes, at=SYNCED_AT)
    return ChangedProgramme(
        conference=conference,
        moved=talks["talk-0"],
        rehoused=talks["talk-1"],
        cancelled=talks["talk-2"],
        retitled=talks["talk-3"],
        added=new,
        version=version,
    )
