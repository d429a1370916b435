"""iCalendar (RFC 5545) for a conference, one session, or a person's starred sessions.

Times are written in the conference's zone with a VTIMEZONE, so calendar apps show them right
wherever the reader is. Each event carries the session's SEQUENCE, which grows with every
schedule change to it (sessions/recording.py), and LAST-MODIFIED, so a subscribed calendar
updates the event when the programme moves it; a cancelled session is STATUS:CANCELLED.
alarm_minutes adds a reminder (VALARM) that many minutes before each session not cancelled.
"""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from sessions.exports.common import session_guid
from sessions.versions import ScheduleChange

PRODID = "-//hugi//conference schedule//EN"


def _calendar(name: str, zone: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if zone:
        calendar.add("x-wr-timezone", zone)
    return calendar


def _description(session) -> str:
    parts = []
    if session.subtitle:
        parts.append(session.subtitle)
    speakers = ", ".join(link.speaker.name for link in session.session_speakers.all())
    if speakers:
        parts.append(speakers)
    if session.abstract:
        parts.append(session.abstract)
    return "\n\n".join(parts)


def with_last_change(sessions):
    """The sessions (a queryset) with last_changed_at: when a schedule version last changed
    each one, for LAST-MODIFIED (a subquery, no query of its own). Without it LAST-MODIFIED is
    the conference's change stamp, later than the truth but never earlier."""
    latest = ScheduleChange.objects.filter(session=OuterRef("pk")).order_by("-version_id")
    return sessions.annotate(last_changed_at=Subquery(latest.values("version__created_at")[:1]))


def _event(session, conference, url: str, alarm_minutes: int | None) -> Event:
    tz = conference.tz
    event = Event()
    event.add("uid", f"{session_guid(session)}@hugi")
    event.add("dtstamp", conference.changed_at)
    event.add("sequence", session.sequence)
    event.add("last-modified", getattr(session, "last_changed_at", None) or conference.changed_at)
    event.add("dtstart", timezone.localtime(session.starts_at, tz))
    event.add("dtend", timezone.localtime(session.ends_at, tz))
    event.add("summary", session.title)
    description = _description(session)
    if description:
        event.add("description", description)
    if session.room:
        event.add("location", session.room.name)
    if session.track:
        event.add("categories", [session.track.name])
    event.add("url", url)
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    if alarm_minutes is not None and not session.cancelled:
        event.add_component(_alarm(session, alarm_minutes))
    return event


def _alarm(session, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-minutes))
    alarm.add("description", session.title)
    return alarm


def _finish(calendar: Calendar, sessions) -> bytes:
    if sessions:
        first = min(session.starts_at for session in sessions).date() - timedelta(days=1)
        last = max(session.ends_at for session in sessions).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def conference_calendar(
    conference, sessions, *, session_url, alarm_minutes: int | None = None
) -> bytes:
    calendar = _calendar(conference.name, conference.timezone)
    for session in sessions:
        calendar.add_component(_event(session, conference, session_url(session), alarm_minutes))
    return _finish(calendar, sessions)


def starred_calendar(sessions, *, session_url, alarm_minutes: int | None = None) -> bytes:
    """Sessions of any conference; each in its own conference's zone."""
    calendar = _calendar(_("hugi: my starred sessions"))
    for session in sessions:
        event = _event(session, session.conference, session_url(session), alarm_minutes)
        calendar.add_component(event)
    return _finish(calendar, sessions)
