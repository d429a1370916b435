"""Where each session of a day sits in the rooms-by-time grid, computed in one pass.

The grid's rows are the moments at which something starts or ends, plus every half hour for the
time labels, so a five-minute lightning talk gets rows of its own and nothing is rounded. A row is
at least as tall as its minutes say (MINUTE_REM), grows when a title needs more room, and a
stretch in which nothing happens is squeezed (QUIET_REM). Sessions that overlap in one room get a
lane each and the room's header spans its lanes; sessions without a room (breaks) span all rooms.

CSP forbids style="" attributes, so the positions come out as one CSS text that the page puts in
its nonce'd <style> block (#s123{grid-area:5/3/9/4}).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import groupby, pairwise

from django.utils import timezone
from django.utils.html import format_html

from sessions.colours import DEFAULT_COLOUR, is_colour
from sessions.models import Session, SessionSpeaker

MINUTE_REM = 0.15
QUIET_REM = 1.75
LABEL_MINUTES = 30
# How long before the first session a day counts as live ("up next" is worth showing).
LIVE_BEFORE = timedelta(hours=3)
# What a box on the timeline shows; the long texts stay in the database.
SESSION_FIELDS = (
    "conference_id", "day_id", "room_id", "track_id", "kind", "title", "slug", "starts_at",
    "ends_at", "cancelled",
)  # fmt: skip


@dataclass
class Row:
    starts_at: datetime  # in the conference's zone
    css_id: str
    label: str  # "10:30" on the half hours, "" between

    @property
    def iso(self):
        return self.starts_at.isoformat(timespec="minutes")

    @property
    def rule_id(self):
        return "u" + self.css_id[1:]

    @property
    def is_hour(self):
        return self.starts_at.minute == 0


@dataclass
class Column:
    room: object
    css_id: str


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


def hhmm(moment) -> str:
    """24-hour "09:30"; an f-string, since strftime is slow enough to show on a busy day."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def room_order(room):
    return (room.order, room.name, room.pk)


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


def build_timeline(day, sessions, *, zone, url_for, speakers, now=None) -> Timeline:
    """Lay out one day's sessions (rooms and tracks attached, as load_day gives them).

    url_for: session slug → URL; speakers: session id → speaker names; now: the current time,
    to mark what is on and what is next.
    """
    timeline = Timeline(day=day, zone=zone)
    sessions = sorted(
        sessions,
        key=lambda s: (s.starts_at, s.room_id is not None, s.room and room_order(s.room), s.pk),
    )
    if not sessions:
        return timeline

    items, by_room, tracks, moments = [], {}, {}, set()
    for session in sessions:
        item = Item(
            session=session,
            css_id=f"s{session.pk}",
            url=url_for(session.slug),
            starts_at=timezone.localtime(session.starts_at, zone),
            ends_at=timezone.localtime(session.ends_at, zone),
            speakers=speakers.get(session.pk, []),
            all_rooms=session.room_id is None,
        )
        items.append(item)
        moments.add(session.starts_at)
        moments.add(session.ends_at)
        if session.room_id is not None:
            by_room.setdefault(session.room_id, (session.room, []))[1].append(item)
        if session.track_id is not None:
            tracks[session.track_id] = session.track

    # Rows: every start and end, plus the half hours for the labels in the time column.
    first = items[0].starts_at
    last = max(session.ends_at for session in sessions)
    mark = first.replace(
        minute=first.minute - first.minute % LABEL_MINUTES, second=0, microsecond=0
    )
    while mark < last:
        moments.add(mark)
        mark += timedelta(minutes=LABEL_MINUTES)
    bounds = sorted(moments)
    line_of = {moment: index + 2 for index, moment in enumerate(bounds)}  # line 1: room headers

    # Which rows have something on, so that empty stretches can be squeezed.
    depth = [0] * (len(bounds) + 1)
    for session in sessions:
        depth[line_of[session.starts_at] - 2] += 1
        depth[line_of[session.ends_at] - 2] -= 1
    sizes, running = [], 0
    for index, (start, end) in enumerate(pairwise(bounds)):
        running += depth[index]
        rem = (end - start).total_seconds() / 60 * MINUTE_REM
        if running <= 0:
            rem = min(rem, QUIET_REM)
        sizes.append(f"minmax({rem:.2f}rem,auto)")
        local = timezone.localtime(start, zone)
        label = hhmm(local) if index == 0 or local.minute % LABEL_MINUTES == 0 else ""
        timeline.rows.append(Row(starts_at=local, css_id=f"t{index}", label=label))

    # Columns: one per lane of each room, rooms in their order.
    css = []
    line = 2
    for room, room_items in sorted(by_room.values(), key=lambda pair: room_order(pair[0])):
        lanes = assign_lanes(room_items)
        column = Column(room=room, css_id=f"r{room.pk}")
        timeline.columns.append(column)
        css.append(f"#{column.css_id}{{grid-column:{line}/{line + lanes}}}")
        for item in room_items:
            end = lanes if item.lane_end is None else item.lane_end
            item.column = (line + item.lane, line + end)
        line += lanes
    lane_count = line - 2

    for index, row in enumerate(timeline.rows):
        css.append(f"#{row.css_id}{{grid-row:{index + 2}}}")
        if row.label:
            # A faint rule across the rooms on the half hours.
            css.append(f"#u{index}{{grid-area:{index + 2}/2/{index + 3}/-1}}")
    for item in items:
        start, end = line_of[item.session.starts_at], line_of[item.session.ends_at]
        first_column, end_column = item.column
        css.append(f"#{item.css_id}{{grid-area:{start}/{first_column}/{end}/{end_column}}}")
    timeline.tracks = sorted(tracks.values(), key=lambda t: (t.order, t.name, t.pk))
    for track in timeline.tracks:
        css.append(track_css(track))
    lane_count = max(lane_count, 1)
    # Only wide screens get the grid (hugi.css); phones read the same boxes as a list.
    template = (
        f"@media (min-width:48rem){{#tl{{"
        f"grid-template-columns:var(--tl-time) repeat({lane_count},minmax(var(--tl-room),1fr));"
        f"grid-template-rows:var(--tl-head) {compact(sizes)};"
        f"min-width:calc(var(--tl-time) + {lane_count}*var(--tl-room))}}}}"
    )
    timeline.css = "\n".join([template, *css])

    timeline.slots = [
        Slot(starts_at=start, items=list(group))
        for start, group in groupby(items, key=lambda item: item.starts_at)
    ]
    if now is not None:
        mark_now_and_next(timeline, items, now, last)
    return timeline


def track_css(track):
    """.tr7{--track:#7c3aed}: the colour checked here, since imports bypass form validation."""
    colour = track.color if is_colour(track.color) else DEFAULT_COLOUR
    return f".tr{track.pk}{{--track:{colour}}}"


def assign_lanes(items) -> int:
    """Give overlapping sessions of one room lanes side by side; return the number of lanes.

    Greedy interval colouring over clusters of overlapping sessions; then each session widens
    to the right over lanes that stay free while it runs.
    """
    lane_ends, cluster, cluster_end, lanes = [], [], None, 1
    for item in sorted(items, key=lambda i: (i.starts_at, -i.minutes)):
        if cluster_end is not None and item.starts_at >= cluster_end:
            widen(cluster)
            lane_ends, cluster = [], []
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= item.starts_at:
                item.lane, lane_ends[lane] = lane, item.ends_at
                break
        else:
            item.lane = len(lane_ends)
            lane_ends.append(item.ends_at)
        cluster.append(item)
        cluster_end = item.ends_at if cluster_end is None else max(cluster_end, item.ends_at)
        lanes = max(lanes, len(lane_ends))
    widen(cluster)
    return lanes


def widen(cluster):
    if len(cluster) < 2:
        return
    for item in cluster:
        blockers = [
            other.lane
            for other in cluster
            if other.lane > item.lane
            and other.starts_at < item.ends_at
            and item.starts_at < other.ends_at
        ]
        item.lane_end = min(blockers) if blockers else None


def compact(sizes):
    """minmax(…) minmax(…) minmax(…) → repeat(3,minmax(…)): keeps the style block small."""
    out = []
    for size, group in groupby(sizes):
        count = len(list(group))
        out.append(size if count == 1 else f"repeat({count},{size})")
    return " ".join(out)


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
