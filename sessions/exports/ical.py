"""iCalendar (RFC 5545) for a conference, one session, or a person's starred sessions.

Times are written in the conference's zone with a VTIMEZONE, so calendar apps show them right
wherever the reader is.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sessions.exports.common import session_guid

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


def _event(session, conference, url: str) -> Event:
    tz = conference.tz
    event = Event()
    event.add("uid", f"{session_guid(session)}@hugi")
    event.add("dtstamp", conference.changed_at)
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
    return event


def _finish(calendar: Calendar, sessions) -> bytes:
    if sessions:
        first = min(session.starts_at for session in sessions).date() - timedelta(days=1)
        last = max(session.ends_at for session in sessions).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def conference_calendar(conference, sessions, *, session_url) -> bytes:
    calendar = _calendar(conference.name, conference.timezone)
    for session in sessions:
        calendar.add_component(_event(session, conference, session_url(session)))
    return _finish(calendar, sessions)


def starred_calendar(sessions, *, session_url) -> bytes:
    """Sessions of any conference; each in its own conference's zone."""
    calendar = _calendar(_("hugi: my starred sessions"))
    for session in sessions:
        calendar.add_component(_event(session, session.conference, session_url(session)))
    return _finish(calendar, sessions)
