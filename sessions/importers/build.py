"""Assembling a Schedule: what both parsers share beyond single values (values.py, times.py).

A parser walks its format and hands each day, room, person and event to a ScheduleBuilder; the
builder repairs what real files get wrong (missing guids and dates, repeated guids, zone names
that do not match the offsets) in one place, so both formats behave the same.
"""

import re
import uuid
import zoneinfo
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import count

from django.utils.translation import gettext as _

from sessions.colours import is_colour
from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import (
    ConferenceInfo,
    DayInfo,
    RoomInfo,
    Schedule,
    SessionInfo,
    SpeakerInfo,
    TrackInfo,
)
from sessions.importers.text import clean_line
from sessions.importers.times import (
    LONGEST_SESSION,
    parse_clock,
    parse_date,
    parse_duration,
    parse_instant,
    resolve_zone,
    too_long,
)
from sessions.importers.values import MAX, clean_id, clean_url

# Derived guids are uuid5 names in this namespace, so the same file always yields the same ones.
HUGI_NAMESPACE = uuid.UUID("4d0a3c39-1f6e-4b47-9a51-0b6f1b8d8c21")

SLIDES = re.compile(r"\b(?:slides?|folien)\b", re.IGNORECASE)
SHORTEST_SESSION = timedelta(minutes=1)
# A session's speakers are numbered in a small integer column; no real event has this many.
MOST_PERSONS = 1000


def conference_info(title: str, acronym: str, url, base_url: str) -> ConferenceInfo:
    """The conference as both formats describe it: named by its title, else its acronym; its
    page, else the schedule's base URL."""
    return ConferenceInfo(
        title=title or acronym,
        acronym=acronym,
        url=clean_url(url, max_length=MAX["website"])
        or clean_url(base_url, max_length=MAX["website"]),
    )


class ScheduleBuilder:
    """Collects what a parser reads and assembles the Schedule, repairing real-world quirks."""

    def __init__(self, *, source: str, format: str, conference: ConferenceInfo, base_url=""):
        self.source = source
        self.format = format
        self.conference = conference
        self.base_url = base_url
        self.tz = zoneinfo.ZoneInfo("UTC")  # until use_zone() knows better
        self.warnings: list[str] = []
        self.days: dict[date, DayInfo] = {}
        self.rooms: dict[str, RoomInfo] = {}
        self.tracks: dict[str, TrackInfo] = {}
        self.person_names: dict[str, set] = defaultdict(set)  # person id → names seen
        self.person_bios: dict[tuple, str] = {}
        self.sessions: list[SessionInfo] = []

    def use_zone(self, name, sample: datetime | None):
        """The zone the file names, else one with the UTC offset of sample (a time in the file)."""
        zone_name, named = resolve_zone(name, sample, self.source, self.warnings)
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
            ids = ", ".join(shared[:5]) + (", …" if len(shared) > 5 else "")
            self.warnings.append(
                _(
                    "%(source)s: %(count)d person ids are used for different names (%(ids)s); "
                    "those people are told apart by name"
                )
                % {"source": self.source, "count": len(shared), "ids": ids}
            )
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
