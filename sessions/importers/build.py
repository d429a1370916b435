"""What both parsers share: reading times, durations, URLs and types, and assembling a Schedule.

A parser walks its format and hands each day, room, person and event to a ScheduleBuilder; the
builder repairs what real files get wrong (missing guids and dates, repeated guids, zone names
that do not match the offsets) in one place, so both formats behave the same.
"""

import re
import unicodedata
import uuid
import zoneinfo
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import count
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from sessions.colours import is_colour
from sessions.importers.errors import ScheduleError, quoted
from sessions.importers.schedule import (
    ConferenceInfo,
    DayInfo,
    LinkInfo,
    RoomInfo,
    Schedule,
    SessionInfo,
    SpeakerInfo,
    TrackInfo,
)
from sessions.importers.text import clean_line
from sessions.models import Conference, Room, Session, Speaker, Track

# Derived guids are uuid5 names in this namespace, so the same file always yields the same ones.
HUGI_NAMESPACE = uuid.UUID("4d0a3c39-1f6e-4b47-9a51-0b6f1b8d8c21")

# Text is cut to what the database columns hold (PostgreSQL refuses longer values).
MAX = {
    "conference": Conference._meta.get_field("name").max_length,
    "acronym": Conference._meta.get_field("acronym").max_length,
    "room": Room._meta.get_field("name").max_length,
    "track": Track._meta.get_field("name").max_length,
    "speaker": Speaker._meta.get_field("name").max_length,
    "title": Session._meta.get_field("title").max_length,
    "subtitle": Session._meta.get_field("subtitle").max_length,
    "language": Session._meta.get_field("language").max_length,
    "guid": Session._meta.get_field("source_guid").max_length,
    "source_id": Session._meta.get_field("source_id").max_length,
    "url": Session._meta.get_field("website_url").max_length,
    "website": Conference._meta.get_field("website").max_length,
}

DURATION = re.compile(r"^(\d{1,3}):([0-5]?\d)(?::([0-5]?\d))?$")
CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")
SLIDES = re.compile(r"\b(?:slides?|folien)\b", re.IGNORECASE)
SHORTEST_SESSION = timedelta(minutes=1)
# The longest session: what the export formats can write as its duration (hh:mm, two digits).
LONGEST_SESSION = timedelta(hours=99, minutes=59)
# Dates outside these years are refused: far from the ends of Python's range, so no time moved
# to UTC or to the conference's zone, or a duration on, can overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# A session's speakers are numbered in a small integer column; no real event has this many.
MOST_PERSONS = 1000

# Free-text event types, matched in this order (first match wins); empty means a talk.
KIND_WORDS = [
    ("keynote", Session.Kind.KEYNOTE),
    ("lightning", Session.Kind.LIGHTNING),
    ("tutorial", Session.Kind.TUTORIAL),
    ("workshop", Session.Kind.WORKSHOP),
    ("hands-on", Session.Kind.WORKSHOP),
    ("hands_on", Session.Kind.WORKSHOP),
    ("panel", Session.Kind.PANEL),
    ("podium", Session.Kind.PANEL),
    ("break", Session.Kind.BREAK),
    ("pause", Session.Kind.BREAK),
    ("lunch", Session.Kind.BREAK),
    ("coffee", Session.Kind.BREAK),
    ("talk", Session.Kind.TALK),
    ("lecture", Session.Kind.TALK),
    ("vortrag", Session.Kind.TALK),
]


def kind_for_type(value: str) -> str:
    text = (value or "").strip().lower()
    if not text:
        return Session.Kind.TALK
    if text in Session.Kind.values:
        return text
    for word, kind in KIND_WORDS:
        if word in text:
            return kind
    return Session.Kind.OTHER


def parse_duration(value, where: str) -> timedelta:
    """00:50 (hours:minutes) or 00:05:00 (hours:minutes:seconds); a bare number is minutes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        if value > LONGEST_SESSION // timedelta(minutes=1):
            raise too_long(where)  # before timedelta() overflows on a huge number
        return timedelta(minutes=value)
    match = DURATION.match(str(value or "").strip())
    if not match:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a duration like 00:50 or 00:05:00")
            % {"where": where, "value": quoted(value)}
        )
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    duration = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if duration > LONGEST_SESSION:
        raise too_long(where)
    return duration


def too_long(where: str) -> ScheduleError:
    return ScheduleError(
        _("%(where)s: the event lasts longer than %(longest)s hours")
        % {"where": where, "longest": "99:59"}
    )


def parse_clock(value, where: str) -> timedelta:
    """A wall-clock time like 09:30 as the time since midnight."""
    match = CLOCK.match(str(value or "").strip())
    if not match:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a time like 09:30")
            % {"where": where, "value": quoted(value)}
        )
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def parse_instant(value, where: str, tz) -> datetime:
    """An ISO 8601 date and time; one without an offset is read in the conference's zone."""
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a date and time like 2024-08-15T10:00:00+09:00")
            % {"where": where, "value": quoted(value)}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return check_year(moment, value, where)


def first_offset_sample(value, tz) -> datetime | None:
    """A time read only to learn the file's UTC offset; None if it cannot be read (reading the
    day or event that holds it names the problem and where it is)."""
    try:
        return parse_instant(value, "", tz) if value else None
    except ScheduleError:
        return None


def parse_date(value, where: str) -> date:
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ScheduleError(
            _("%(where)s: %(value)s is not a date like 2024-08-15")
            % {"where": where, "value": quoted(value)}
        ) from None
    return check_year(day, value, where)


def check_year(moment, value, where: str):
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ScheduleError(
            _("%(where)s: %(value)s is not between the years %(first)d and %(last)d")
            % {"where": where, "value": quoted(value), "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return moment


def clean_url(value, base_url: str = "", max_length: int = MAX["url"]) -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, too long, garbage)."""
    url = clean_line(value)
    if not url:
        return ""
    try:
        if url.startswith("/") and base_url:
            url = urljoin(base_url, url)
        elif "://" not in url and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
            url = "https://" + url  # "example.org/page", as people type it
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed [ in an IPv6 host
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > max_length:
        return ""
    return url


def clean_id(value, max_length: int) -> str:
    """An identifier from the file, as one line with ASCII digits: exports write an id made of
    digits as an integer, and "²" is a digit to str.isdigit() but not to int()."""
    text = clean_line(value, max_length)
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)


def link(url, title, base_url, *, attachment=False) -> LinkInfo | None:
    url = clean_url(url, base_url)
    if not url:
        return None
    return LinkInfo(url=url, title=clean_line(title, 300), attachment=attachment)


def _offset_zone(moment: datetime) -> str:
    """An IANA zone with the UTC offset this moment has: Etc/GMT±N for whole hours, else the
    first zone that had that offset then; used only when the file names no usable zone."""
    seconds = int(moment.utcoffset().total_seconds())
    if seconds == 0:
        return "UTC"
    if seconds % 3600 == 0:
        return f"Etc/GMT{-seconds // 3600:+d}"  # the Etc names have the sign turned round
    for name in sorted(zoneinfo.available_timezones()):
        offset = moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
        if offset is not None and offset.total_seconds() == seconds:
            return name
    return "UTC"


def resolve_zone(name, sample: datetime | None, source: str, warnings: list) -> tuple[str, bool]:
    """The zone to show times in, and whether the file named it: the file's IANA name, or
    else one derived from the UTC offset of a time in the file ("" if there is none)."""
    name = str(name or "").strip()
    if name:
        # The zones the admin accepts too (ZoneInfo() would also open "America", a folder).
        if name in zoneinfo.available_timezones():
            return name, True
        warnings.append(
            _("%(source)s: time zone %(zone)s is unknown; using the offsets in the times")
            % {"source": source, "zone": quoted(name)}
        )
    if sample is None or sample.utcoffset() is None:
        return "", False
    return _offset_zone(sample), False


class ScheduleBuilder:
    """Collects what a parser reads and assembles the Schedule, repairing real-world quirks."""

    def __init__(self, *, source: str, format: str, conference: ConferenceInfo, base_url=""):
        self.source = source
        self.format = format
        self.conference = conference
        self.base_url = base_url
        self.tz = zoneinfo.ZoneInfo("UTC")  # until set_zone() knows better
        self.warnings: list[str] = []
        self.days: dict[date, DayInfo] = {}
        self.rooms: dict[str, RoomInfo] = {}
        self.tracks: dict[str, TrackInfo] = {}
        self.person_names: dict[str, set] = defaultdict(set)  # person id → names seen
        self.person_bios: dict[tuple, str] = {}
        self.sessions: list[SessionInfo] = []

    def set_zone(self, zone_name: str, *, named: bool):
        self.conference.timezone = zone_name or "UTC"
        self.conference.timezone_named = named
        self.tz = zoneinfo.ZoneInfo(self.conference.timezone)

    # --- days, rooms, tracks, people ---

    def add_day(self, *, where, date_value, start, end) -> DayInfo:
        start = parse_instant(start, where, self.tz) if start else None
        end = parse_instant(end, where, self.tz) if end else None
        if start is not None and self.conference.timezone_named:
            # The date the day starts on where the conference is: some generators write the UTC
            # date of a day that starts at 03:00 local time.
            day_date = start.astimezone(self.tz).date()
        elif date_value:
            day_date = parse_date(date_value, where)
        elif start is not None:
            day_date = start.date()
        else:
            raise ScheduleError(_("%(where)s: the day has no date") % {"where": where})
        day = self.days.get(day_date)
        if day is None:
            day = self.days[day_date] = DayInfo(date=day_date, start=start, end=end)
        return day

    def add_room(self, name, guid="") -> str:
        name = clean_line(name, MAX["room"])
        if name and name not in self.rooms:
            self.rooms[name] = RoomInfo(name=name, guid=clean_line(guid, MAX["guid"]))
        return name

    def add_track(self, name, color="") -> str:
        name = clean_line(name, MAX["track"])
        color = (color or "").strip()
        if name:
            track = self.tracks.setdefault(name, TrackInfo(name=name))
            if is_colour(color) and not track.color:
                track.color = color.lower()
        return name

    def add_speaker(self, *, where, person_id=None, guid="", code="", name="", bio="") -> tuple:
        """A person of an event, as a reference the session keeps; build() turns references
        into speaker keys."""
        name = clean_line(name, MAX["speaker"])
        if person_id not in (None, ""):
            base = clean_id(str(person_id), 80)
        elif guid or code:
            base = clean_id(guid or code, 80)
        elif name:
            base = "name:" + name.lower()[:80]
        else:
            raise ScheduleError(_("%(where)s: a person has neither id nor name") % {"where": where})
        self.person_names[base].add(name)
        ref = (base, name)
        if bio and not self.person_bios.get(ref):
            self.person_bios[ref] = bio
        return ref

    # --- events ---

    def start_of(self, *, where, day: DayInfo, date_value, start_value) -> datetime:
        if date_value:
            moment = parse_instant(date_value, where, self.tz)
            # Some generators write only the day's date in <date>; the clock is in <start>.
            if len(str(date_value).strip()) <= 10 and start_value:
                moment = datetime.combine(moment.date(), time(), tzinfo=self.tz) + parse_clock(
                    start_value, where
                )
            return moment
        if not start_value:
            raise ScheduleError(
                _("%(where)s: the event has neither date nor start") % {"where": where}
            )
        # No <date>: the clock time on the day, and after midnight when the day starts later
        # (a 01:00 talk on a day that starts at 04:00 is the night after).
        moment = datetime.combine(day.date, time(), tzinfo=self.tz) + parse_clock(
            start_value, where
        )
        if day.start is not None and moment < day.start:
            moment += timedelta(days=1)
        return moment

    def end_of(self, *, where, start: datetime, duration_value, end_value) -> datetime:
        if duration_value not in (None, ""):
            end = start + parse_duration(duration_value, where)
        elif end_value:
            end = parse_instant(end_value, where, self.tz)
        else:
            raise ScheduleError(_("%(where)s: the event has no duration") % {"where": where})
        if end - start > LONGEST_SESSION:
            raise too_long(where)
        return max(end, start + SHORTEST_SESSION)

    def add_session(self, session: SessionInfo, *, where):
        if len(session.speakers) > MOST_PERSONS:
            raise ScheduleError(
                _("%(where)s: more than %(count)d persons")
                % {"where": where, "count": MOST_PERSONS}
            )
        if not session.guid:
            identity = (
                f"{self.conference.acronym}/{session.source_id}"
                if session.source_id
                else f"{self.conference.acronym}/{session.room}/"
                f"{session.starts_at.isoformat()}/{session.title}"
            )
            session.guid = str(uuid.uuid5(HUGI_NAMESPACE, identity))
        if not session.slides_url:
            session.slides_url = next(
                (item.url for item in session.links if SLIDES.search(item.title)), ""
            )
        self.sessions.append(session)

    # --- the result ---

    def build(self) -> Schedule:
        self._split_repeated_guids()
        conference = self.conference
        if self.days:
            # The days are the truth about when it happens (files disagree on whether <end> is
            # the last day or the day after).
            conference.start, conference.end = min(self.days), max(self.days)
        elif conference.start is None:
            raise ScheduleError(
                _("%(source)s: the schedule has no days and no start date")
                % {"source": self.source}
            )
        conference.end = max(conference.end or conference.start, conference.start)
        speakers = self._speakers()
        return Schedule(
            source=self.source,
            format=self.format,
            conference=conference,
            days=sorted(self.days.values(), key=lambda day: day.date),
            rooms=list(self.rooms.values()),
            tracks=list(self.tracks.values()),
            speakers=speakers,
            sessions=self.sessions,
            warnings=self.warnings,
        )

    def _speakers(self) -> list[SpeakerInfo]:
        """Speakers are matched by their id in the file. Merged files (36C3's) reuse ids for
        different people, so an id seen with several names is told apart by name."""
        shared = sorted(base for base, names in self.person_names.items() if len(names) > 1)
        if shared:
            self.warnings.append(
                _("%(source)s: %(count)d person ids are used for different names (%(ids)s); "
                  "those people are told apart by name")
                % {"source": self.source, "count": len(shared), "ids": ", ".join(shared[:5])
                   + (", …" if len(shared) > 5 else "")}
            )  # fmt: skip
        shared = set(shared)
        speakers: dict[str, SpeakerInfo] = {}
        for session in self.sessions:
            keys = []
            for ref in session.speakers:
                base, name = ref
                key = f"{base}:{name.lower()}"[:100] if base in shared else base
                if key not in speakers:
                    speakers[key] = SpeakerInfo(key=key, name=name or base)
                speaker = speakers[key]
                speaker.bio = speaker.bio or self.person_bios.get(ref, "")
                keys.append(key)
            session.speakers = list(dict.fromkeys(keys))  # each person once
        return list(speakers.values())

    def _split_repeated_guids(self):
        """The same guid in several slots (a workshop held twice): the earliest slot keeps it,
        the later ones get guids derived from it, so each slot is its own session."""
        by_guid = defaultdict(list)
        for session in self.sessions:
            by_guid[session.guid].append(session)
        taken = set(by_guid)
        for guid, copies in by_guid.items():
            if len(copies) < 2:
                continue
            copies.sort(key=lambda s: (s.starts_at, s.room, s.title))
            numbers = (str(uuid.uuid5(HUGI_NAMESPACE, f"{guid}#{n}")) for n in count(2))
            for session in copies[1:]:
                # Not one the file already uses for another event: guids are unique.
                session.guid = next(derived for derived in numbers if derived not in taken)
                taken.add(session.guid)
            self.warnings.append(
                _(
                    "%(source)s: guid %(guid)s is used by %(count)d events; each is kept as its own session"
                )
                % {"source": self.source, "guid": guid, "count": len(copies)}
            )
