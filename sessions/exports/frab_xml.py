"""The frab schedule XML that Giggity, ConfClerk, EventFahrplan and the C3VOC tools read,
valid against the C3VOC schema (schedule.xml.xsd)."""

import re
from datetime import datetime, time
from xml.etree import ElementTree as ET

from django.utils import timezone

from sessions.colours import is_colour
from sessions.exports.common import (
    GENERATOR,
    XML_EVENT_SLUG,
    XML_TRACK_SLUG,
    Programme,
    day_bounds,
    event_ids,
    export_acronym,
    hours_minutes,
    is_http_url,
    links_of,
    room_guids,
    session_guid,
    speaker_identity,
)

# Characters XML 1.0 cannot carry at all (text from a JSON import might hold them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _add(parent, tag, text=None, **attributes):
    element = ET.SubElement(
        parent, tag, {key: NOT_XML.sub("", str(value)) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = NOT_XML.sub("", str(text))
    return element


def render(programme: Programme, *, urls) -> bytes:
    """urls: absolute URLs, with .site, .export and .session(session)."""
    conference = programme.conference
    root = ET.Element("schedule")
    _add(root, "generator", name=GENERATOR)
    _add(root, "url", urls.export)
    _add(root, "version", programme.version_text)
    _add_conference(root, programme, urls)
    if programme.days:
        _add_days(root, programme, urls)
    else:
        # The schema wants at least one day.
        start = datetime.combine(conference.start_date, time(), tzinfo=conference.tz)
        end = start.replace(hour=23, minute=59)
        _add(
            root,
            "day",
            index=1,
            date=conference.start_date.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _add_conference(root, programme: Programme, urls):
    conference = programme.conference
    head = _add(root, "conference")
    _add(head, "acronym", export_acronym(conference))
    _add(head, "title", conference.name)
    _add(head, "start", conference.start_date.isoformat())
    _add(head, "end", conference.end_date.isoformat())
    _add(head, "days", len(programme.days))
    _add(head, "timeslot_duration", "00:05")
    _add(head, "base_url", urls.site)
    if is_http_url(conference.website):
        _add(head, "url", conference.website)
    _add(head, "time_zone_name", conference.timezone)
    for track in programme.tracks:
        attributes = {"name": track.name}
        if is_colour(track.color):
            attributes["color"] = track.color.lower()
        if XML_TRACK_SLUG.match(track.slug):
            attributes["slug"] = track.slug
        _add(head, "track", **attributes)


def _add_days(root, programme: Programme, urls):
    tz = programme.conference.tz
    ids = event_ids(programme.sessions)
    guids = room_guids(programme.rooms)
    by_day = programme.sessions_by_day()
    # Every day lists every room, so the room order survives days where a room is empty.
    rooms = [(room.pk, room.name) for room in programme.rooms]
    if any(session.room_id is None for session in programme.sessions):
        rooms.append((None, ""))  # sessions in no room (breaks for everyone)
    for index, day in enumerate(programme.days, start=1):
        sessions = by_day[day.pk]
        start, end = day_bounds(day, sessions, tz)
        day_element = _add(
            root,
            "day",
            index=index,
            date=day.date.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
        for room_pk, room_name in rooms:
            attributes = {"name": room_name}
            if room_pk is not None:
                attributes["guid"] = guids[room_pk]
            room_element = _add(day_element, "room", **attributes)
            for session in sessions:
                if session.room_id == room_pk:
                    _event(room_element, session, room_name, ids[session.pk], urls, tz)


def _event(parent, session, room_name, event_id, urls, tz):
    starts_at = timezone.localtime(session.starts_at, tz)
    event = _add(parent, "event", id=event_id, guid=session_guid(session))
    _add(event, "date", starts_at.isoformat())
    _add(event, "start", starts_at.strftime("%H:%M"))
    _add(event, "duration", hours_minutes(session.ends_at - session.starts_at))
    _add(event, "room", room_name)
    if XML_EVENT_SLUG.match(session.slug):
        _add(event, "slug", session.slug)
    _add(event, "url", urls.session(session))
    _add(event, "title", session.title)
    _add(event, "subtitle", session.subtitle)
    _add(event, "track", session.track.name if session.track else "")
    _add(event, "type", session.kind)
    _add(event, "language", session.language)
    _add(event, "abstract", session.abstract)
    _add(event, "description", session.description)
    if is_http_url(session.website_url):
        _add(event, "origin_url", session.website_url)
    recording = _add(event, "recording")
    _add(recording, "license", "")
    _add(recording, "optout", "true" if session.do_not_record else "false")
    persons = _add(event, "persons")
    for link in session.session_speakers.all():
        _add(persons, "person", link.speaker.name, **speaker_identity(link.speaker))
    links, attachments = links_of(session)
    links_element = _add(event, "links")
    for item in links:
        _add(links_element, "link", item["title"], href=item["url"])
    attachments_element = _add(event, "attachments")
    for item in attachments:
        _add(attachments_element, "attachment", item["title"], href=item["url"])
