"""The one plain representation every schedule format is parsed into.

Parsers (frab_xml, c3voc_json) produce a Schedule; plan.py compares it with the database.
Nothing here knows about files or models.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class ConferenceInfo:
    title: str
    acronym: str = ""
    # An IANA zone for display; instants in the file carry their own offsets.
    timezone: str = ""
    # False when the file named no (usable) zone and `timezone` was derived from its offsets.
    timezone_named: bool = False
    start: date | None = None
    end: date | None = None
    url: str = ""


@dataclass
class DayInfo:
    date: date
    start: datetime | None = None
    end: datetime | None = None


@dataclass
class RoomInfo:
    name: str
    guid: str = ""


@dataclass
class TrackInfo:
    name: str
    color: str = ""  # "#rrggbb" when the file gives one, else ""


@dataclass
class SpeakerInfo:
    key: str  # the person's id in the file (or another stable identity): Speaker.source_id
    name: str
    bio: str = ""


@dataclass
class LinkInfo:
    url: str
    title: str = ""
    attachment: bool = False

    def as_json(self):
        item = {"title": self.title, "url": self.url}
        if self.attachment:
            item["attachment"] = True
        return item


@dataclass
class SessionInfo:
    guid: str
    source_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    day: date
    room: str = ""  # a RoomInfo name; empty for sessions in no room
    track: str = ""  # a TrackInfo name
    slug: str = ""  # the file's slug, if any
    subtitle: str = ""
    kind: str = "talk"
    language: str = ""
    abstract: str = ""  # Markdown
    description: str = ""  # Markdown
    url: str = ""
    slides_url: str = ""
    video_url: str = ""
    links: list[LinkInfo] = field(default_factory=list)
    do_not_record: bool = False
    # SpeakerInfo keys in billing order (while parsing: the builder's person references)
    speakers: list = field(default_factory=list)


@dataclass
class Schedule:
    source: str  # the file name or URL, for messages
    format: str  # "frab XML" or "C3VOC JSON"
    conference: ConferenceInfo
    days: list[DayInfo] = field(default_factory=list)
    rooms: list[RoomInfo] = field(default_factory=list)  # in display order
    tracks: list[TrackInfo] = field(default_factory=list)
    speakers: list[SpeakerInfo] = field(default_factory=list)
    sessions: list[SessionInfo] = field(default_factory=list)
    # Things the parser repaired or ignored, shown with the plan.
    warnings: list[str] = field(default_factory=list)
