"""An ImportPlan: what an import will change, listed as Changes for people to read, and the
prepared rows, written in one transaction by ImportPlan.apply(). plan.py makes the plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.importers.schedule import Schedule
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track
from sessions.recording import Recorded, recording
from sessions.versions import ScheduleVersion

CREATED, CHANGED, REMOVED = "created", "changed", "removed"
KINDS = ["conference", "day", "room", "track", "speaker", "session"]
# A temporary day number far above real ones, so renumbering days never collides.
PARKED_INDEX = 30000


@dataclass
class Change:
    kind: str  # one of KINDS
    action: str  # CREATED, CHANGED or REMOVED
    name: str
    fields: list[str] = field(default_factory=list)


@dataclass
class Writes:
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
    days: Writes = field(default_factory=Writes)
    parked_days: list = field(default_factory=list)
    rooms: Writes = field(default_factory=Writes)
    tracks: Writes = field(default_factory=Writes)
    speakers: Writes = field(default_factory=Writes)
    sessions: Writes = field(default_factory=Writes)
    relinked: list = field(default_factory=list)  # existing session pks whose speakers change
    links: list = field(default_factory=list)  # SessionSpeaker rows to create
    recorded: Recorded | None = None  # the version apply() wrote, if any

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
        titles = _action_titles()
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
        counts, titles = self.counts(), _action_titles()
        lines = []
        for action in (CREATED, CHANGED, REMOVED):
            parts = [
                count_phrase(kind, counts[kind, action])
                for kind in KINDS
                if kind != "conference" and counts.get((kind, action))
            ]
            if action == REMOVED and counts.get(("session", REMOVED)):
                parts[-1] += " " + _("(marked cancelled, not deleted)")
            if parts:
                lines.append(f"{titles[action]}: {', '.join(parts)}")
        return lines

    def apply(self, *, origin: str = ScheduleVersion.Origin.IMPORT, source: str | None = None):
        """Write the plan in one transaction: on any error nothing is changed. What attendees
        see change becomes a schedule version (sessions/recording.py) from origin and source
        (by default the schedule's file name or URL)."""
        name = self.schedule.source if source is None else source
        with recording(self.conference, origin=origin, source=name) as recorded:
            self._write()
        self.recorded = recorded
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


def _write_model(model, work: Writes, batch_size=None):
    if work.create:
        model.objects.bulk_create(work.create, batch_size=batch_size)
    if work.update:
        model.objects.bulk_update(work.update, sorted(work.fields), batch_size=batch_size)


def _action_titles() -> dict:
    return {CREATED: _("Created"), CHANGED: _("Changed"), REMOVED: _("Removed")}


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
