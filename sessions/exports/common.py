"""What the schedule exports share: one fixed set of queries, and the identifiers the formats
demand (positive integer ids, UUIDs, ASCII slugs and acronyms) made from what hugi stores.

Only public programme data is exported: never notes, photos, stars or anything of a person.
"""

import re
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from sessions.importers.build import HUGI_NAMESPACE
from sessions.models import Conference, Day, Room, Session, Track, speakers_prefetch
from sessions.versions import ScheduleVersion

GENERATOR = "hugi"
# The JSON schema's patterns (it applies them with re.search, so does this module).
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
XML_EVENT_SLUG = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$")
XML_TRACK_SLUG = re.compile(r"^[a-z][a-z0-9-]+$")
JSON_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


@dataclass
class Programme:
    """A conference's public programme, read in a fixed number of queries."""

    conference: Conference
    days: list
    rooms: list
    tracks: list
    sessions: list  # not cancelled ones unless asked for, by start time, with speakers
    version: int = 0  # the number of the programme's latest schedule version (0: none yet)

    @property
    def version_text(self) -> str:
        """The formats' version string: the schedule version and the conference's change
        stamp, "4 (2019-12-27T10:00:00+00:00)", which changes with every edit (the number
        changes only with sessions' times, rooms, titles, speakers or cancellations)."""
        stamp = self.conference.changed_at.isoformat()
        return f"{self.version} ({stamp})" if self.version else stamp

    def sessions_by_day(self):
        by_day = {day.pk: [] for day in self.days}
        for session in self.sessions:
            by_day[session.day_id].append(session)
        return by_day


def load_programme(conference: Conference, *, cancelled=False) -> Programme:
    sessions = Session.objects.filter(conference=conference).select_related("room", "track")
    if not cancelled:
        sessions = sessions.filter(cancelled=False)
    sessions = sessions.prefetch_related(speakers_prefetch()).order_by(
        "starts_at", "room__order", "id"
    )
    return Programme(
        conference=conference,
        days=list(Day.objects.filter(conference=conference).order_by("date")),
        rooms=list(Room.objects.filter(conference=conference).order_by("order", "name", "id")),
        tracks=list(Track.objects.filter(conference=conference).order_by("order", "name", "id")),
        sessions=list(sessions),
        version=_latest_version(conference),
    )


def _latest_version(conference) -> int:
    versions = ScheduleVersion.objects.filter(conference=conference)
    return versions.aggregate(number=Max("number"))["number"] or 0


def derived_uuid(*parts) -> str:
    return str(uuid.uuid5(HUGI_NAMESPACE, ":".join(str(part) for part in parts)))


def session_guid(session) -> str:
    if UUID.match(session.source_guid):
        return session.source_guid.lower()
    return derived_uuid("session", session.pk)


def room_guids(rooms) -> dict:
    """{room pk: uuid}: the imported guid when it is a unique UUID (pretalx repeats them)."""
    counts = Counter(room.source_guid.lower() for room in rooms if UUID.match(room.source_guid))
    return {
        room.pk: room.source_guid.lower()
        if counts.get(room.source_guid.lower()) == 1
        else derived_uuid("room", room.pk)
        for room in rooms
    }


def speaker_identity(speaker) -> dict:
    """{"id": int} for a speaker imported with a numeric id, else {"guid": uuid}."""
    if speaker.source_id.isdigit() and int(speaker.source_id) > 0:
        return {"id": int(speaker.source_id)}
    if UUID.match(speaker.source_id):
        return {"guid": speaker.source_id.lower()}
    return {"guid": derived_uuid("speaker", speaker.pk)}


def event_ids(sessions) -> dict:
    """{session pk: positive int}, unique: the imported id when it is one and not repeated
    (the same talk in two slots shares an id), else the next free number."""
    wanted = {s.pk: int(s.source_id) for s in sessions if s.source_id.isdigit()}
    counts = Counter(wanted.values())
    ids, taken = {}, set()
    for session in sessions:
        value = wanted.get(session.pk)
        if value and counts[value] == 1:
            ids[session.pk] = value
            taken.add(value)
    next_id = max(taken, default=0) + 1
    for session in sessions:
        if session.pk not in ids:
            ids[session.pk] = next_id
            next_id += 1
    return ids


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")


def export_acronym(conference) -> str:
    """The conference's acronym as the schemas want it: lower-case ASCII, four or more."""
    if ACRONYM.search(conference.acronym):
        return conference.acronym
    text = ascii_slug(conference.acronym or conference.slug).replace("-", "_") or "conference"
    return text if len(text) >= 4 else f"{text}_conf"


def event_slug(session, acronym: str, event_id: int) -> str:
    """An ASCII slug (the JSON format requires one): the session's own when it is ASCII."""
    if SLUG.search(session.slug):
        return session.slug
    title = ascii_slug(session.title)
    return f"{acronym}-{event_id}" + (f"-{title}" if title else "")


def hours_minutes(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_bounds(day, sessions, tz) -> tuple[datetime, datetime]:
    """When a day starts and ends, for formats that need it: its date's midnight (or its first
    session, when that starts on the same date) to the end of its last session (at least the
    end of the date)."""
    midnight = datetime.combine(day.date, time(), tzinfo=tz)
    start = midnight
    if sessions:
        first = min(timezone.localtime(s.starts_at, tz) for s in sessions)
        if first.date() == day.date:
            start = first
    end = datetime.combine(day.date, time(23, 59, 59), tzinfo=tz)
    if sessions:
        end = max(end, max(timezone.localtime(s.ends_at, tz) for s in sessions))
    return start, end


def is_http_url(url: str) -> bool:
    """Whether a stored address may be exported as a link (javascript: and the like may not)."""
    return url.startswith(("http://", "https://"))


def links_of(session) -> tuple[list, list]:
    """(links, attachments) as [{"title", "url"}], with the admin's slides and video links."""
    links, attachments = [], []
    for item in session.links or []:
        if isinstance(item, dict) and is_http_url(str(item.get("url", ""))):
            target = attachments if item.get("attachment") else links
            target.append({"title": str(item.get("title") or item["url"]), "url": item["url"]})
    known = {item["url"] for item in links + attachments}
    for title, url in (("Slides", session.slides_url), ("Video", session.video_url)):
        if url and url not in known:
            links.append({"title": title, "url": url})
    return links, attachments
