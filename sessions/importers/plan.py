"""Comparing a parsed Schedule with what is stored for its conference: plan_import() returns an
ImportPlan (apply.py) with every object to create, change or remove, prepared but not written,
and the Changes to show (the dry run and the admin preview stop there).

Identity across re-imports: sessions by their guid, speakers by their id in the file, rooms by
guid or name, tracks by name, days by date. What the file does not mention:
- a session that disappeared is marked cancelled, never deleted: people's notes, photos and
  stars point at it and stay attached;
- sessions typed into the admin (they have no guid) are left alone;
- rooms, tracks, days and speakers that disappeared are removed only when no remaining session
  uses them.
"""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from core.markdown import render_markdown
from sessions.colours import palette_colour
from sessions.importers.apply import CHANGED, CREATED, REMOVED, Change, ImportPlan, Writes
from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import Schedule
from sessions.importers.slugs import SlugMaker, conference_slug
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track

# Day numbers, parked ones too, must fit the small integer column (at most 32767).
MOST_DAYS = 1000


def plan_import(schedule: Schedule, *, slug: str = "") -> ImportPlan:
    """Compare the schedule with the database; nothing is written."""
    slug = conference_slug(schedule, slug)
    conference = Conference.objects.filter(slug=slug).first()
    return _Planner(schedule, conference, slug).plan()


class _Planner:
    def __init__(self, schedule: Schedule, conference: Conference | None, slug: str):
        self.schedule = schedule
        self.changes: list[Change] = []
        info = schedule.conference
        if conference is None:
            conference = Conference(
                slug=slug,
                name=info.title,
                acronym=info.acronym,
                timezone=info.timezone,
                start_date=info.start,
                end_date=info.end,
                website=info.url,
            )
            self.changes.append(Change("conference", CREATED, info.title))
        self.result = ImportPlan(schedule=schedule, conference=conference, changes=self.changes)
        self.conference = conference
        self._load()

    def _load(self):
        """Everything stored for this conference, in one query per model."""
        conference = self.conference
        if conference.pk is None:
            self.days, self.rooms, self.tracks, self.speakers, self.sessions = [], [], [], [], []
            self.speaker_ids = {}
            return
        self.days = list(Day.objects.filter(conference=conference))
        self.rooms = list(Room.objects.filter(conference=conference))
        self.tracks = list(Track.objects.filter(conference=conference))
        self.speakers = list(Speaker.objects.filter(conference=conference))
        self.sessions = list(Session.objects.filter(conference=conference))
        self.speaker_ids = defaultdict(list)
        for session_id, speaker_id in (
            SessionSpeaker.objects.filter(session__conference=conference)
            .order_by("session_id", "order", "id")
            .values_list("session_id", "speaker_id")
        ):
            self.speaker_ids[session_id].append(speaker_id)

    def plan(self) -> ImportPlan:
        guids = {session.guid for session in self.schedule.sessions}
        # Sessions the file does not mention stay (cancelled, or typed into the admin), and so
        # do the days, rooms, tracks and speakers they use.
        self.kept = [s for s in self.sessions if s.source_guid not in guids]
        self._plan_conference()
        self._plan_days()
        self._plan_rooms()
        self._plan_tracks()
        self._plan_speakers()
        self._plan_sessions()
        return self.result

    # One change each, listed in the order they are planned.

    def _create(self, kind, obj, name, work: Writes):
        work.create.append(obj)
        self.changes.append(Change(kind, CREATED, name))

    def _change(self, kind, obj, name, fields, work: Writes):
        if fields:
            work.update.append(obj)
            work.fields.update(fields)
            self.changes.append(Change(kind, CHANGED, name, list(fields)))

    def _remove(self, kind, obj, name, work: Writes):
        work.remove.append(obj.pk)
        self.changes.append(Change(kind, REMOVED, name))

    def _plan_conference(self):
        if self.conference.pk is None:
            return
        info = self.schedule.conference
        wanted = {
            "name": info.title,
            "acronym": info.acronym,
            "start_date": info.start,
            "end_date": info.end,
        }
        if info.timezone_named:
            wanted["timezone"] = info.timezone
        if info.url:
            wanted["website"] = info.url
        fields = _assign(self.conference, wanted)
        if fields:
            self.result.conference_fields = fields
            self.changes.append(Change("conference", CHANGED, info.title, fields))

    def _plan_days(self):
        work = self.result.days
        stored = {day.date: day for day in self.days}
        kept_ids = {session.day_id for session in self.kept}
        dates = {day.date for day in self.schedule.days}
        dates |= {day.date for day in self.days if day.pk in kept_ids}
        if len(dates) > MOST_DAYS:
            raise ScheduleError(
                _("%(source)s: the schedule has %(count)d days; a conference has at most %(most)d")
                % {"source": self.schedule.source, "count": len(dates), "most": MOST_DAYS}
            )
        self.day_for = {}
        # Days are numbered 1…n in date order, whatever the file says.
        for index, date in enumerate(sorted(dates), start=1):
            day = stored.get(date)
            if day is None:
                day = Day(conference=self.conference, date=date, index=index)
                self._create("day", day, date.isoformat(), work)
            elif day.index != index:
                day.index = index
                self.result.parked_days.append(day)
                self._change("day", day, date.isoformat(), ["index"], work)
            self.day_for[date] = day
        for day in self.days:
            if day.date not in dates:
                self._remove("day", day, day.date.isoformat(), work)
                self.result.parked_days.append(day)  # out of the way of the new numbers

    def _plan_rooms(self):
        work = self.result.rooms
        file_guids = Counter(room.guid for room in self.schedule.rooms if room.guid)
        unique_guids = {guid for guid, count in file_guids.items() if count == 1}
        by_guid = {room.source_guid: room for room in self.rooms if room.source_guid}
        by_name = {room.name: room for room in self.rooms}
        slugs = SlugMaker((room.slug for room in self.rooms), "room", 100)
        matched = set()
        self.room_for = {}
        for order, info in enumerate(self.schedule.rooms):
            guid = info.guid if info.guid in unique_guids else ""
            room = by_guid.get(guid) if guid else None
            if room is None or room.pk in matched:
                room = by_name.get(info.name)
            if room is None or room.pk in matched:
                room = Room(
                    conference=self.conference,
                    name=info.name,
                    order=order,
                    source_guid=guid,
                    slug=slugs.make(info.name),
                )
                self._create("room", room, info.name, work)
            else:
                matched.add(room.pk)
                fields = _assign(room, {"name": info.name, "order": order, "source_guid": guid})
                self._change("room", room, info.name, fields, work)
            self.room_for[info.name] = room
        kept = {session.room_id for session in self.kept}
        for room in self.rooms:
            if room.pk not in matched and room.pk not in kept:
                self._remove("room", room, room.name, work)

    def _plan_tracks(self):
        work = self.result.tracks
        by_name = {track.name: track for track in self.tracks}
        slugs = SlugMaker((track.slug for track in self.tracks), "track", 100)
        self.track_for = {}
        for order, info in enumerate(self.schedule.tracks):
            track = by_name.get(info.name)
            if track is None:
                track = Track(
                    conference=self.conference,
                    name=info.name,
                    order=order,
                    color=info.color or palette_colour(info.name),
                    slug=slugs.make(info.name),
                )
                self._create("track", track, info.name, work)
            else:
                # A colour chosen in the admin stays unless the file sets one.
                wanted = {"order": order, "color": info.color or track.color}
                self._change("track", track, info.name, _assign(track, wanted), work)
            self.track_for[info.name] = track
        names = {info.name for info in self.schedule.tracks}
        kept = {session.track_id for session in self.kept}
        for track in self.tracks:
            if track.name not in names and track.pk not in kept:
                self._remove("track", track, track.name, work)

    def _plan_speakers(self):
        work = self.result.speakers
        by_key = {speaker.source_id: speaker for speaker in self.speakers if speaker.source_id}
        slugs = SlugMaker((speaker.slug for speaker in self.speakers), "speaker", 100)
        self.speaker_for = {}
        for info in self.schedule.speakers:
            speaker = by_key.get(info.key)
            if speaker is None:
                speaker = Speaker(
                    conference=self.conference,
                    name=info.name,
                    source_id=info.key,
                    bio=info.bio,
                    bio_html=render_markdown(info.bio),
                    slug=slugs.make(info.name),
                )
                self._create("speaker", speaker, info.name, work)
            else:
                # A biography typed into the admin stays unless the file has one.
                wanted = {"name": info.name, "bio": info.bio or speaker.bio}
                fields = _assign(speaker, wanted)
                if "bio" in fields:
                    speaker.bio_html = render_markdown(speaker.bio)
                    fields.append("bio_html")
                self._change("speaker", speaker, info.name, fields, work)
            self.speaker_for[info.key] = speaker
        keys = set(self.speaker_for)
        kept = {speaker_id for s in self.kept for speaker_id in self.speaker_ids.get(s.pk, [])}
        for speaker in self.speakers:
            if speaker.source_id and speaker.source_id not in keys and speaker.pk not in kept:
                self._remove("speaker", speaker, speaker.name, work)

    def _plan_sessions(self):
        by_guid = {session.source_guid: session for session in self.sessions if session.source_guid}
        slugs = SlugMaker((session.slug for session in self.sessions), "session", 120)
        for info in self.schedule.sessions:
            wanted = self._session_values(info)
            speakers = [self.speaker_for[key] for key in info.speakers]
            session = by_guid.get(info.guid)
            if session is None:
                session = Session(
                    conference=self.conference,
                    source_guid=info.guid,
                    slug=slugs.make(info.slug or info.title),
                )
                _assign(session, wanted)
                session.render_html()
                self._create("session", session, info.title, self.result.sessions)
            elif not self._plan_session_update(session, info.title, wanted, speakers):
                continue  # its speakers stay as they are
            self.result.links += [
                SessionSpeaker(session=session, speaker=speaker, order=order)
                for order, speaker in enumerate(speakers)
            ]
        self._cancel_missing_sessions()

    def _session_values(self, info) -> dict:
        """The fields an import owns, as the file gives them."""
        wanted = {
            "day": self.day_for[info.day],
            "room": self.room_for.get(info.room),
            "track": self.track_for.get(info.track),
            "kind": info.kind,
            "title": info.title,
            "subtitle": info.subtitle,
            "abstract": info.abstract,
            "description": info.description,
            "language": info.language,
            "starts_at": info.starts_at,
            "ends_at": info.ends_at,
            "website_url": info.url,
            "links": [item.as_json() for item in info.links],
            "do_not_record": info.do_not_record,
            "cancelled": False,
            "source_id": info.source_id,
        }
        # Only when the file gives them: a link typed into the admin survives re-imports of a
        # file without it.
        if info.slides_url:
            wanted["slides_url"] = info.slides_url
        if info.video_url:
            wanted["video_url"] = info.video_url
        return wanted

    def _plan_session_update(self, session, title, wanted, speakers) -> bool:
        """Plan the changes to a stored session; whether its speakers change."""
        fields = _assign(session, wanted)
        if "abstract" in fields or "description" in fields:
            session.render_html()
            fields += ["abstract_html", "description_html"]
        if self.speaker_ids.get(session.pk, []) != [speaker.pk for speaker in speakers]:
            self.result.relinked.append(session.pk)
            fields.append("speakers")
        if fields:
            self.changes.append(Change("session", CHANGED, title, fields))
            model_fields = [name for name in fields if name != "speakers"]
            if model_fields:
                self.result.sessions.update.append(session)
                self.result.sessions.fields.update(model_fields)
        return "speakers" in fields

    def _cancel_missing_sessions(self):
        """Imported sessions the file no longer has are cancelled, never deleted."""
        work = self.result.sessions
        for session in self.kept:
            if session.source_guid and not session.cancelled:
                session.cancelled = True
                work.update.append(session)
                work.fields.add("cancelled")
                self.changes.append(Change("session", REMOVED, session.title, ["cancelled"]))


def _assign(obj, wanted: dict) -> list[str]:
    """Set the wanted values on obj; return the names of the fields that changed.

    Related objects compare by primary key, so a new (unsaved) one is always a change.
    """
    changed = []
    for name, value in wanted.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            current = getattr(obj, model_field.attname)
            if value is None and current is None:
                continue
            if value is not None and value.pk is not None and value.pk == current:
                continue
        elif getattr(obj, name) == value:
            continue
        setattr(obj, name, value)
        changed.append(name)
    return changed
