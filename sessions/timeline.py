"""A day's timeline: its sessions as the page shows them (boxes in the grid and, on phones, a
list by start time), what is on now and next, and what changed in the programme's latest
version (a badge on each changed box). Where each box sits in the grid is timeline_grid.py's job.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import groupby

from django.db.models import Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions.colours import DEFAULT_COLOUR, is_colour
from sessions.models import Session, SessionSpeaker
from sessions.timeline_grid import (
    Column,
    Row,
    grid_template,
    hhmm,
    make_columns,
    make_rows,
    placement_css,
    room_order,
    row_bounds,
)
from sessions.versions import ScheduleChange, ScheduleVersion

# How long before the first session a day counts as live ("up next" is worth showing).
LIVE_BEFORE = timedelta(hours=3)
# What a box on the timeline shows; the long texts stay in the database.
SESSION_FIELDS = (
    "conference_id",
    "day_id",
    "room_id",
    "track_id",
    "kind",
    "title",
    "slug",
    "starts_at",
    "ends_at",
    "cancelled",
)


@dataclass
class Item:
    """One session as the timeline shows it."""

    session: object
    css_id: str
    url: str
    starts_at: datetime  # in the conference's zone
    ends_at: datetime
    speakers: list[str]  # names
    all_rooms: bool
    lane: int = 0
    lane_end: int | None = None  # first lane it does not cover; None: to the room's last
    column: tuple[int, int] = (2, -1)  # grid column lines; breaks span all rooms
    is_now: bool = False
    starred: bool = False
    changes: list[str] = field(default_factory=list)  # its change kinds in the latest version

    @property
    def minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    # Formatted here rather than in the template: a busy day has hundreds of these.
    @property
    def start_iso(self):
        return self.starts_at.isoformat(timespec="minutes")

    @property
    def end_iso(self):
        return self.ends_at.isoformat(timespec="minutes")

    @property
    def start_label(self):
        return hhmm(self.starts_at)

    @property
    def end_label(self):
        return hhmm(self.ends_at)

    @property
    def end_time_html(self):
        """<time> for "until 10:40", so that the switch to local time changes it too."""
        return format_html('<time datetime="{}">{}</time>', self.end_iso, self.end_label)

    @property
    def speaker_names(self):
        return ", ".join(self.speakers)


@dataclass
class Slot:
    """The sessions that start at one moment: a heading in the list view."""

    starts_at: datetime
    items: list[Item]

    @property
    def iso(self):
        return self.starts_at.isoformat(timespec="minutes")

    @property
    def label(self):
        return hhmm(self.starts_at)


@dataclass
class Timeline:
    day: object
    zone: object
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    tracks: list = field(default_factory=list)
    now: list[Item] = field(default_factory=list)
    next: list[Item] = field(default_factory=list)
    live: bool = False
    version: "LatestVersion | None" = None
    css: str = ""
    grid_html: str = ""  # the grid's cells and boxes, from timeline_html.render_grid

    @property
    def is_empty(self):
        return not self.slots

    @property
    def zone_label(self):
        return zone_label(self.zone, self.day.date)


def zone_label(zone, on_date):
    """The zone's name and its offset on that date: "Asia/Seoul (UTC+09:00)"."""
    offset = datetime.combine(on_date, time(12), tzinfo=zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"


def load_day(conference, day):
    """One day's sessions, with their rooms and tracks attached, and speaker names by session.

    Four queries. Rooms and tracks come once each rather than joined to every session, and
    speaker names as plain tuples: a busy day then builds a few hundred model objects, not
    thousands, which is most of the time a page like this takes.
    """
    rooms = {room.pk: room for room in conference.rooms.all()}
    tracks = {track.pk: track for track in conference.tracks.all()}
    sessions = list(Session.objects.filter(day=day).only(*SESSION_FIELDS))
    for session in sessions:
        session.room = rooms.get(session.room_id)
        session.track = tracks.get(session.track_id)
    speakers = {}
    for session_id, name in (
        SessionSpeaker.objects.filter(session__day=day)
        .order_by("session_id", "order", "pk")
        .values_list("session_id", "speaker__name")
    ):
        speakers.setdefault(session_id, []).append(name)
    return sessions, speakers


def build_timeline(day, sessions, *, zone, url_for, speakers, now=None, version=None) -> Timeline:
    """Lay out one day's sessions (rooms and tracks attached, as load_day gives them).

    url_for: session slug → URL; speakers: session id → speaker names; now: the current time,
    to mark what is on and what is next; version: the programme's LatestVersion, whose changes
    the boxes show.
    """
    timeline = Timeline(day=day, zone=zone, version=version)
    sessions = sorted(
        sessions,
        key=lambda s: (s.starts_at, s.room_id is not None, s.room and room_order(s.room), s.pk),
    )
    if not sessions:
        return timeline
    items = [_item(session, zone, url_for, speakers) for session in sessions]
    if version is not None:
        for item in items:
            item.changes = version.changes.get(item.session.pk, [])
    last = max(session.ends_at for session in sessions)
    bounds = row_bounds(sessions, items[0].starts_at, last)
    line_of = {moment: index + 2 for index, moment in enumerate(bounds)}  # line 1: room headers
    timeline.rows, sizes = make_rows(sessions, bounds, line_of, zone)
    timeline.columns, column_css, lane_count = make_columns(items)
    tracks = {s.track_id: s.track for s in sessions if s.track_id is not None}
    timeline.tracks = sorted(tracks.values(), key=lambda t: (t.order, t.name, t.pk))
    timeline.css = "\n".join(
        [
            grid_template(lane_count, sizes),
            *column_css,
            *placement_css(timeline.rows, items, line_of),
            *(track_css(track) for track in timeline.tracks),
        ]
    )
    timeline.slots = [
        Slot(starts_at=start, items=list(group))
        for start, group in groupby(items, key=lambda item: item.starts_at)
    ]
    if now is not None:
        mark_now_and_next(timeline, items, now, last)
    return timeline


def _item(session, zone, url_for, speakers) -> Item:
    return Item(
        session=session,
        css_id=f"s{session.pk}",
        url=url_for(session.slug),
        starts_at=timezone.localtime(session.starts_at, zone),
        ends_at=timezone.localtime(session.ends_at, zone),
        speakers=speakers.get(session.pk, []),
        all_rooms=session.room_id is None,
    )


def track_css(track):
    """.tr7{--track:#7c3aed}: the colour checked here, since imports bypass form validation."""
    colour = track.color if is_colour(track.color) else DEFAULT_COLOUR
    return f".tr{track.pk}{{--track:{colour}}}"


def mark_now_and_next(timeline, items, now, last_end):
    """What is on at `now`, and what starts next, while the day is live."""
    timeline.live = items[0].session.starts_at - LIVE_BEFORE <= now < last_end
    if not timeline.live:
        return
    upcoming = None
    for item in items:
        session = item.session
        if session.cancelled or session.kind == Session.Kind.BREAK:
            continue
        if session.starts_at <= now < session.ends_at:
            item.is_now = True
            timeline.now.append(item)
        elif session.starts_at > now:
            if upcoming is None:
                upcoming = session.starts_at
            if session.starts_at == upcoming:
                timeline.next.append(item)


# --- what changed in the latest version ---------------------------------------------------

Kind = ScheduleChange.Kind
# The badge each kind of change puts on a session's box and page, in the order they show (the
# order sessions/recording.py writes a session's changes in): (CSS name, label). A move in
# time and one to another day are both "moved".
BADGES = {
    Kind.NEW: ("new", _("New")),
    Kind.CANCELLED: ("cancelled", _("Cancelled")),
    Kind.RESTORED: ("restored", _("Back on")),
    Kind.DAY: ("moved", _("Moved")),
    Kind.TIME: ("moved", _("Moved")),
    Kind.ROOM: ("room", _("Room changed")),
    Kind.TITLE: ("retitled", _("Retitled")),
    Kind.SPEAKERS: ("speakers", _("Speakers changed")),
}
BADGE_ORDER = list(BADGES)


def badges(kinds) -> list[tuple[str, str]]:
    """(CSS name, label) of each badge the change kinds make, once each, in BADGES order."""
    found = {}
    for kind in sorted(set(kinds) & BADGES.keys(), key=BADGE_ORDER.index):
        name, label = BADGES[kind]
        found.setdefault(name, str(label))
    return list(found.items())


@dataclass(frozen=True)
class LatestVersion:
    """A conference's latest schedule version, as the timeline shows it."""

    number: int
    created_at: datetime
    changes: dict  # session id → its change kinds in this version


def latest_version(conference) -> LatestVersion | None:
    """The conference's latest version with the kinds of change of each session in it (one
    query: the version joined to its changes), or None before the first.

    Only the latest version marks the timeline: the rule stays true for a page kept in the cache
    until the next version, which changes the conference's stamp and so every key.
    """
    latest = ScheduleVersion.objects.filter(conference=conference).order_by("-number")
    rows = ScheduleVersion.objects.filter(pk=Subquery(latest.values("pk")[:1])).values_list(
        "number", "created_at", "changes__session_id", "changes__kind"
    )
    rows = list(rows)
    if not rows:
        return None
    changes = {}
    for _number, _created_at, session_id, kind in rows:
        if session_id is not None:
            changes.setdefault(session_id, []).append(kind)
    number, created_at = rows[0][:2]
    return LatestVersion(number=number, created_at=created_at, changes=changes)
