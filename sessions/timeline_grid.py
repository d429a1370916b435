"""Where each session of a day sits in the rooms-by-time grid, computed in one pass.

The grid's rows are the moments at which something starts or ends, plus every half hour for the
time labels, so a five-minute lightning talk gets rows of its own and nothing is rounded. A row is
at least as tall as its minutes say (MINUTE_REM), grows when a title needs more room, and a
stretch in which nothing happens is squeezed (QUIET_REM). Sessions that overlap in one room get a
lane each and the room's header spans its lanes; sessions without a room (breaks) span all rooms.

CSP forbids style="" attributes, so the positions come out as CSS text that the page puts in
its nonce'd <style> block (#s123{grid-area:5/3/9/4}).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby, pairwise

from django.utils import timezone

MINUTE_REM = 0.15
QUIET_REM = 1.75
LABEL_MINUTES = 30


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


def hhmm(moment) -> str:
    """24-hour "09:30"; an f-string, since strftime is slow enough to show on a busy day."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def room_order(room):
    return (room.order, room.name, room.pk)


def row_bounds(sessions, first, last) -> list[datetime]:
    """Every moment a session starts or ends, and the half hours from first to last."""
    moments = set()
    for session in sessions:
        moments.add(session.starts_at)
        moments.add(session.ends_at)
    mark = first.replace(
        minute=first.minute - first.minute % LABEL_MINUTES, second=0, microsecond=0
    )
    while mark < last:
        moments.add(mark)
        mark += timedelta(minutes=LABEL_MINUTES)
    return sorted(moments)


def make_rows(sessions, bounds, line_of, zone) -> tuple[list[Row], list[str]]:
    """The rows between the bounds, and their heights: as tall as their minutes, or at most
    QUIET_REM where nothing is on."""
    depth = [0] * (len(bounds) + 1)
    for session in sessions:
        depth[line_of[session.starts_at] - 2] += 1
        depth[line_of[session.ends_at] - 2] -= 1
    found, sizes, running = [], [], 0
    for index, (start, end) in enumerate(pairwise(bounds)):
        running += depth[index]
        rem = (end - start).total_seconds() / 60 * MINUTE_REM
        if running <= 0:
            rem = min(rem, QUIET_REM)
        sizes.append(f"minmax({rem:.2f}rem,auto)")
        local = timezone.localtime(start, zone)
        label = hhmm(local) if index == 0 or local.minute % LABEL_MINUTES == 0 else ""
        found.append(Row(starts_at=local, css_id=f"t{index}", label=label))
    return found, sizes


def make_columns(items) -> tuple[list[Column], list[str], int]:
    """One column per room, rooms in their order, as wide as the room has lanes: the columns,
    the CSS that places their headers, and the number of lanes. Sets each item's .column."""
    by_room = {}
    for item in items:
        session = item.session
        if session.room_id is not None:
            by_room.setdefault(session.room_id, (session.room, []))[1].append(item)
    found, css, line = [], [], 2
    for room, room_items in sorted(by_room.values(), key=lambda pair: room_order(pair[0])):
        lanes = assign_lanes(room_items)
        column = Column(room=room, css_id=f"r{room.pk}")
        found.append(column)
        css.append(f"#{column.css_id}{{grid-column:{line}/{line + lanes}}}")
        for item in room_items:
            end = lanes if item.lane_end is None else item.lane_end
            item.column = (line + item.lane, line + end)
        line += lanes
    return found, css, line - 2


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


def placement_css(rows, items, line_of) -> list[str]:
    """Each row's line, the half hours' rules, and each session's area."""
    css = []
    for index, row in enumerate(rows):
        css.append(f"#{row.css_id}{{grid-row:{index + 2}}}")
        if row.label:
            # A faint rule across the rooms on the half hours.
            css.append(f"#u{index}{{grid-area:{index + 2}/2/{index + 3}/-1}}")
    for item in items:
        start, end = line_of[item.session.starts_at], line_of[item.session.ends_at]
        first_column, end_column = item.column
        css.append(f"#{item.css_id}{{grid-area:{start}/{first_column}/{end}/{end_column}}}")
    return css


def grid_template(lane_count, sizes) -> str:
    """The grid's columns and rows. Only wide screens get the grid (hugi.css); phones read the
    same boxes as a list."""
    lane_count = max(lane_count, 1)
    return (
        f"@media (min-width:48rem){{#tl{{"
        f"grid-template-columns:var(--tl-time) repeat({lane_count},minmax(var(--tl-room),1fr));"
        f"grid-template-rows:var(--tl-head) {compact(sizes)};"
        f"min-width:calc(var(--tl-time) + {lane_count}*var(--tl-room))}}}}"
    )


def compact(sizes):
    """minmax(…) minmax(…) minmax(…) → repeat(3,minmax(…)): keeps the style block small."""
    out = []
    for size, group in groupby(sizes):
        count = len(list(group))
        out.append(size if count == 1 else f"repeat({count},{size})")
    return " ".join(out)
