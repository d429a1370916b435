"""Bringing a conference in the database in line with a parsed Schedule.

plan_import() compares the Schedule with what is stored and returns an ImportPlan: every object
to create, change or remove, prepared but not written, and a list of Changes to show (the dry
run and the admin preview stop there). ImportPlan.apply() writes it all in one transaction.

Identity across re-imports: sessions by their guid, speakers by their id in the file, rooms by
guid or name, tracks by name, days by date. What the file does not mention:
- a session that disappeared is marked cancelled, never deleted: people's notes, photos and
  stars point at it and stay attached;
- sessions typed into the admin (they have no guid) are left alone;
- rooms, tracks, days and speakers that disappeared are removed only when no remaining session
  uses them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.markdown import render_markdown
from sessions.colours import palette_colour
from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import Schedule
from sessions.models import (
    Conference,
    Day,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
    validate_not_reserved,
)

CREATED, CHANGED, REMOVED = "created", "changed", "removed"
KINDS = ["conference", "day", "room", "track", "speaker", "session"]

# Session fields an import owns; slides_url and video_url only when the file gives them, so a
# link typed into the admin survives re-imports of a file without it.
SESSION_FIELDS = [
    "day", "room", "track", "kind", "title", "subtitle", "abstract", "description", "language",
    "starts_at", "ends_at", "website_url", "slides_url", "video_url", "links", "do_not_record",
    "cancelled", "source_id",
]  # fmt: skip
# A temporary day number far above real ones, so renumbering days never collides.
PARKED_INDEX = 30000
# Day numbers, parked ones too, must fit the small integer column (at most 32767).
MOST_DAYS = 1000


@dataclass
class Change:
    kind: str  # one of KINDS
    action: str  # CREATED, CHANGED or REMOVED
    name: str
    fields: list[str] = field(default_factory=list)


@dataclass
class _Work:
    """The prepared writes for one model."""

    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    fields: set = field(default_factory=set)
    remove: list = field(default_factory=list)  # primary keys


@dataclass
class ImportPlan:
    schedule: Schedule
    conference: Conference  # unsaved when it is new
    changes: list[Change]
    conference_fields: list[str] = field(default_factory=list)
    days: _Work = field(default_factory=_Work)
    parked_days: list = field(default_factory=list)
    rooms: _Work = field(default_factory=_Work)
    tracks: _Work = field(default_factory=_Work)
    speakers: _Work = field(default_factory=_Work)
    sessions: _Work = field(default_factory=_Work)
    relinked: list = field(default_factory=list)  # existing session pks whose speakers change
    links: list = field(default_factory=list)  # SessionSpeaker rows to create

    @property
    def is_new(self) -> bool:
        return self.conference.pk is None

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict:
        """{(kind, action): number}, in KINDS order."""
        counts = defaultdict(int)
        for change in self.changes:
            counts[change.kind, change.action] += 1
        return dict(counts)

    def groups(self) -> list[dict]:
        """The changes grouped for display: [{"title": "Created: 3 sessions", "changes": […]}]."""
        titles = {CREATED: _("Created"), CHANGED: _("Changed"), REMOVED: _("Removed")}
        grouped = defaultdict(list)
        for change in self.changes:
            grouped[change.action, change.kind].append(change)
        return [
            {
                "action": action,
                "kind": kind,
                "title": f"{titles[action]}: {count_phrase(kind, len(grouped[action, kind]))}",
                "changes": grouped[action, kind],
            }
            for action in (CREATED, CHANGED, REMOVED)
            for kind in KINDS
            if grouped.get((action, kind))
        ]

    def summary(self) -> list[str]:
        """One line per action: "Created: 4 days, 92 rooms, …"."""
        if self.is_empty:
            return [_("No changes.")]
        counts = self.counts()
        lines = []
        for action, label in (
            (CREATED, _("Created")),
            (CHANGED, _("Changed")),
            (REMOVED, _("Removed")),
        ):
            parts = [
                count_phrase(kind, counts[kind, action])
                for kind in KINDS
                if kind != "conference" and counts.get((kind, action))
            ]
            if action == REMOVED and counts.get(("session", REMOVED)):
                parts[-1] += " " + _("(marked cancelled, not deleted)")
            if parts:
                lines.append(f"{label}: {', '.join(parts)}")
        return lines

    def apply(self):
        """Write the plan in one transaction: on any error nothing is changed."""
        with transaction.atomic():
            self._write()
        return self

    def _write(self):
        conference = self.conference
        if self.is_new:
            conference.save()
        if self.parked_days:
            # Days that are renumbered or removed step aside first: numbers are unique.
            Day.objects.filter(pk__in=[day.pk for day in self.parked_days]).update(
                index=F("index") + PARKED_INDEX
            )
        _write_model(Day, self.days)
        _write_model(Room, self.rooms)
        _write_model(Track, self.tracks)
        _write_model(Speaker, self.speakers)
        _write_model(Session, self.sessions, batch_size=500)
        if self.relinked:
            SessionSpeaker.objects.filter(session_id__in=self.relinked).delete()
        SessionSpeaker.objects.bulk_create(self.links, batch_size=1000)
        # Removed only if, after all of the above, nothing uses them (never cascade to sessions).
        Speaker.objects.filter(pk__in=self.speakers.remove, speaker_sessions__isnull=True).delete()
        Room.objects.filter(pk__in=self.rooms.remove, sessions__isnull=True).delete()
        Track.objects.filter(pk__in=self.tracks.remove, sessions__isnull=True).delete()
        Day.objects.filter(pk__in=self.days.remove, sessions__isnull=True).delete()
        # The conference's row last, after its sessions' rows, in the order every writer locks
        # them (a public note's save locks its session, then the conference): no deadlock.
        if not self.is_new and self.conference_fields:
            conference.save(update_fields=self.conference_fields)
        if not self.is_empty:
            conference.touch()


def _write_model(model, work: _Work, batch_size=None):
    if work.create:
        model.objects.bulk_create(work.create, batch_size=batch_size)
    if work.update:
        model.objects.bulk_update(work.update, sorted(work.fields), batch_size=batch_size)


def count_phrase(kind: str, count: int) -> str:
    phrases = {
        "day": ngettext("%(count)d day", "%(count)d days", count),
        "room": ngettext("%(count)d room", "%(count)d rooms", count),
        "track": ngettext("%(count)d track", "%(count)d tracks", count),
        "speaker": ngettext("%(count)d speaker", "%(count)d speakers", count),
        "session": ngettext("%(count)d session", "%(count)d sessions", count),
        "conference": ngettext("%(count)d conference", "%(count)d conferences", count),
    }
    return phrases[kind] % {"count": count}


def conference_slug(schedule: Schedule, slug: str = "") -> str:
    """The slug given, or one made from the file's acronym (else its title); checked."""
    info = schedule.conference
    if not slug:
        slug = slugify(info.acronym or info.title, allow_unicode=True)[:100].strip("-")
        if not slug:
            raise ScheduleError(
                _("%(source)s: no conference slug can be made from the acronym; give one")
                % {"source": schedule.source}
            )
    try:
        validate_unicode_slug(slug)
        validate_not_reserved(slug)
    except ValidationError as exc:
        raise ScheduleError(
            _("Conference slug “%(slug)s”: %(problem)s Choose another one.")
            % {"slug": slug, "problem": " ".join(exc.messages)}
        ) from None
    return slug


class SlugMaker:
    """Slugs unique among one model's rows in a conference: the text's slug, else -2, -3…

    Each base goes on from the last number it took, so a thousand sessions with one title cost
    a thousand tries, not half a million."""

    def __init__(self, used, fallback: str, max_length: int):
        self.used = set(used)
        self.fallback = fallback
        self.max_length = max_length
        self.last_number = {}

    def make(self, text: str) -> str:
        base = slugify(text, allow_unicode=True)[: self.max_length - 6].strip("-_")
        base = base or self.fallback
        number = self.last_number.get(base, 1)
        slug = base if number == 1 else self._numbered(base, number)
        while slug in self.used:
            number += 1
            slug = self._numbered(base, number)
        self.last_number[base] = number
        self.used.add(slug)
        return slug

    def _numbered(self, base: str, number: int) -> str:
        suffix = f"-{number}"
        return base[: self.max_length - len(suffix)] + suffix


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
                slug=slug, name=info.title, acronym=info.acronym, timezone=info.timezone,
                start_date=info.start, end_date=info.end, website=info.url,
            )  # fmt: skip
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

    def _change(self, kind, obj, name, fields, work: _Work):
        if fields:
            work.update.append(obj)
            work.fields.update(fields)
            self.changes.append(Change(kind, CHANGED, name, list(fields)))

    def _plan_conference(self):
        if self.conference.pk is None:
            return
        info = self.schedule.conference
        wanted = {"name": info.title, "acronym": info.acronym, "start_date": info.start,
                  "end_date": info.end}  # fmt: skip
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
                work.create.append(day)
                self.changes.append(Change("day", CREATED, date.isoformat()))
            elif day.index != index:
                day.index = index
                self.result.parked_days.append(day)
                work.update.append(day)
                work.fields.add("index")
                self.changes.append(Change("day", CHANGED, date.isoformat(), ["index"]))
            self.day_for[date] = day
        for day in self.days:
            if day.date not in dates:
                work.remove.append(day.pk)
                self.result.parked_days.append(day)  # out of the way of the new numbers
                self.changes.append(Change("day", REMOVED, day.date.isoformat()))

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
                    conference=self.conference, name=info.name, order=order, source_guid=guid,
                    slug=slugs.make(info.name),
                )  # fmt: skip
                work.create.append(room)
                self.changes.append(Change("room", CREATED, info.name))
            else:
                matched.add(room.pk)
                fields = _assign(room, {"name": info.name, "order": order, "source_guid": guid})
                self._change("room", room, info.name, fields, work)
            self.room_for[info.name] = room
        kept = {session.room_id for session in self.kept}
        for room in self.rooms:
            if room.pk not in matched and room.pk not in kept:
                work.remove.append(room.pk)
                self.changes.append(Change("room", REMOVED, room.name))

    def _plan_tracks(self):
        work = self.result.tracks
        by_name = {track.name: track for track in self.tracks}
        slugs = SlugMaker((track.slug for track in self.tracks), "track", 100)
        self.track_for = {}
        for order, info in enumerate(self.schedule.tracks):
            track = by_name.get(info.name)
            if track is None:
                track = Track(
                    conference=self.conference, name=info.name, order=order,
                    color=info.color or palette_colour(info.name),
                    slug=slugs.make(info.name),
                )  # fmt: skip
                work.create.append(track)
                self.changes.append(Change("track", CREATED, info.name))
            else:
                # A colour chosen in the admin stays unless the file sets one.
                wanted = {"order": order, "color": info.color or track.color}
                self._change("track", track, info.name, _assign(track, wanted), work)
            self.track_for[info.name] = track
        names = {info.name for info in self.schedule.tracks}
        kept = {session.track_id for session in self.kept}
        for track in self.tracks:
            if track.name not in names and track.pk not in kept:
                work.remove.append(track.pk)
                self.changes.append(Change("track", REMOVED, track.name))

    def _plan_speakers(self):
        work = self.result.speakers
        by_key = {speaker.source_id: speaker for speaker in self.speakers if speaker.source_id}
        slugs = SlugMaker((speaker.slug for speaker in self.speakers), "speaker", 100)
        self.speaker_for = {}
        for info in self.schedule.speakers:
            speaker = by_key.get(info.key)
            if speaker is None:
                speaker = Speaker(
                    conference=self.conference, name=info.name, source_id=info.key, bio=info.bio,
                    bio_html=render_markdown(info.bio),
                    slug=slugs.make(info.name),
                )  # fmt: skip
                work.create.append(speaker)
                self.changes.append(Change("speaker", CREATED, info.name))
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
                work.remove.append(speaker.pk)
                self.changes.append(Change("speaker", REMOVED, speaker.name))

    def _plan_sessions(self):
        work = self.result.sessions
        by_guid = {session.source_guid: session for session in self.sessions if session.source_guid}
        slugs = SlugMaker((session.slug for session in self.sessions), "session", 120)
        for info in self.schedule.sessions:
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
            if info.slides_url:
                wanted["slides_url"] = info.slides_url
            if info.video_url:
                wanted["video_url"] = info.video_url
            speakers = [self.speaker_for[key] for key in info.speakers]
            session = by_guid.get(info.guid)
            if session is None:
                session = Session(
                    conference=self.conference, source_guid=info.guid,
                    slug=slugs.make(info.slug or info.title),
                )  # fmt: skip
                _assign(session, wanted)
                session.render_html()
                work.create.append(session)
                self.changes.append(Change("session", CREATED, info.title))
            else:
                fields = _assign(session, wanted)
                if "abstract" in fields or "description" in fields:
                    session.render_html()
                    fields += ["abstract_html", "description_html"]
                current = self.speaker_ids.get(session.pk, [])
                if current != [speaker.pk for speaker in speakers]:
                    self.result.relinked.append(session.pk)
                    fields.append("speakers")
                if fields:
                    self.changes.append(Change("session", CHANGED, info.title, fields))
                    model_fields = [name for name in fields if name != "speakers"]
                    if model_fields:
                        work.update.append(session)
                        work.fields.update(model_fields)
                if "speakers" not in fields:
                    continue
            self.result.links += [
                SessionSpeaker(session=session, speaker=speaker, order=order)
                for order, speaker in enumerate(speakers)
            ]
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
