"""The C3VOC schedule JSON (as pretalx and frab write it), valid against schedule.schema.json."""

from django.utils import timezone

from sessions.colours import is_colour
from sessions.exports.common import (
    GENERATOR,
    JSON_ZONE,
    SLUG,
    Programme,
    day_bounds,
    event_ids,
    event_slug,
    export_acronym,
    hours_minutes,
    is_http_url,
    links_of,
    room_guids,
    session_guid,
    speaker_identity,
)

SCHEMA = "https://c3voc.de/schedule/schema.json"


def build(programme: Programme, *, urls) -> dict:
    """urls: absolute URLs, with .site, .export and .session(session)."""
    conference = programme.conference
    acronym = export_acronym(conference)
    head = {
        "acronym": acronym,
        "title": conference.name,
        "start": conference.start_date.isoformat(),
        "end": conference.end_date.isoformat(),
        "daysCount": len(programme.days),
        "timeslot_duration": "00:05",
        "url": conference.website if is_http_url(conference.website) else urls.conference,
        "rooms": _rooms(programme.rooms),
        "tracks": _tracks(programme.tracks),
        "days": _days(programme, acronym, urls),
    }
    if JSON_ZONE.search(conference.timezone):
        head["time_zone_name"] = conference.timezone
    if conference.description:
        head["description"] = conference.description
    return {
        "$schema": SCHEMA,
        "generator": {"name": GENERATOR},
        "schedule": {
            "version": programme.version_text,
            "base_url": urls.site,
            "conference": head,
        },
    }


def _rooms(rooms) -> list[dict]:
    guids = room_guids(rooms)
    listed = []
    for room in rooms:
        item = {"name": room.name, "guid": guids[room.pk]}
        if SLUG.search(room.slug):
            item["slug"] = room.slug
        listed.append(item)
    return listed


def _tracks(tracks) -> list[dict]:
    listed = []
    for track in tracks:
        item = {"name": track.name}
        if is_colour(track.color):
            item["color"] = track.color.lower()
        if SLUG.search(track.slug):
            item["slug"] = track.slug
        listed.append(item)
    return listed


def _days(programme: Programme, acronym: str, urls) -> list[dict]:
    tz = programme.conference.tz
    ids = event_ids(programme.sessions)
    room_names = {room.pk: room.name for room in programme.rooms}
    by_day = programme.sessions_by_day()
    days = []
    for index, day in enumerate(programme.days, start=1):
        sessions = by_day[day.pk]
        start, end = day_bounds(day, sessions, tz)
        # Rooms in their order, each with its sessions in time order; "" holds roomless ones.
        day_rooms = {room.name: [] for room in programme.rooms}
        for session in sessions:
            name = room_names.get(session.room_id, "")
            day_rooms.setdefault(name, []).append(
                _event(session, name, ids[session.pk], acronym, urls, tz)
            )
        days.append(
            {
                "index": index,
                "date": day.date.isoformat(),
                "day_start": start.isoformat(),
                "day_end": end.isoformat(),
                "rooms": day_rooms,
            }
        )
    return days


def _person(speaker) -> dict:
    # frab style ({"id", "public_name"}) or pretalx style ({"name"}): the schema wants exactly one.
    identity = speaker_identity(speaker)
    if "id" in identity:
        person = {"id": identity["id"], "public_name": speaker.name}
    else:
        person = {"guid": identity["guid"], "name": speaker.name}
    if speaker.bio:
        person["biography"] = speaker.bio
    return person


def _event(session, room_name, event_id, acronym, urls, tz) -> dict:
    starts_at = timezone.localtime(session.starts_at, tz)
    links, attachments = links_of(session)
    for item in links + attachments:
        if item["url"] == session.slides_url:
            item["type"] = "slides"
    event = {
        "guid": session_guid(session),
        "id": event_id,
        "date": starts_at.isoformat(),
        "start": starts_at.strftime("%H:%M"),
        "duration": hours_minutes(session.ends_at - session.starts_at),
        "room": room_name,
        "slug": event_slug(session, acronym, event_id),
        "url": urls.session(session),
        "title": session.title,
        "subtitle": session.subtitle,
        "track": session.track.name if session.track else None,
        "type": session.kind,
        "language": session.language or None,
        "abstract": session.abstract,
        "description": session.description,
        "do_not_record": session.do_not_record,
        "persons": [_person(link.speaker) for link in session.session_speakers.all()],
        "links": links,
        "attachments": attachments,
    }
    if is_http_url(session.website_url):
        event["origin_url"] = session.website_url
    return event
