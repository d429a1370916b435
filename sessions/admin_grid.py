"""A conference's day grid for staff: the public timeline's layout (sessions/timeline.py and
timeline_html.py draw it), each box linking to its change form, and what only the admin adds on
top: a column for each room with nothing on that day yet, a link in each empty room and half
hour to "add session" with the conference, day, room and start filled in, two hours of empty
slots after the last session (a whole day of them on an empty day), and the day's clashes.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html import escape
from itertools import pairwise

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sessions.admin_clashes import clashes_context
from sessions.admin_forms import add_session_url, day_label
from sessions.models import Conference, Session
from sessions.timeline import build_timeline, load_day
from sessions.timeline_grid import LABEL_MINUTES, hhmm
from sessions.timeline_html import render_grid

TEMPLATE = "admin/program/conference/grid.html"
SLOT = timedelta(minutes=LABEL_MINUTES)
AFTER_LAST = 4  # empty half hours after the day's last session
SHORTEST_FREE = timedelta(minutes=15)  # a shorter gap between sessions gets no "add" link
EMPTY_DAY = (time(9), 18)  # an empty day: half hours from 09:00 to 18:00


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # in the conference's zone
    ends_at: datetime
    line: int  # its grid row lines
    end_line: int


def grid_view(model_admin, request, object_id, date=None):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    conference = get_object_or_404(Conference, pk=object_id)
    if not model_admin.has_view_permission(request, conference):
        raise PermissionDenied
    days = list(conference.days.order_by("date"))
    day = _chosen_day(days, date)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": conference,
        "conference": conference,
        "title": _("Programme of %(name)s") % {"name": conference.name},
        "days": [(other, day_label(other)) for other in days],
        "day": day,
    }
    if day is not None:
        context.update(day_grid(conference, day))
    return TemplateResponse(request, TEMPLATE, context)


def _chosen_day(days, date):
    if date is None:
        return days[0] if days else None
    try:
        wanted = parse_date(date) if len(date) == 10 else None
    except ValueError:  # well formed, but no such date: 2025-02-30
        wanted = None
    for day in days:
        if day.date == wanted:
            return day
    raise Http404("No such day")


def day_grid(conference, day) -> dict:
    """What the grid page shows of one day: the timeline, the admin's additions, the clashes."""
    sessions, speakers = load_day(conference, day)
    change_urls = {
        session.slug: reverse("admin:program_session_change", args=[session.pk])
        for session in sessions
    }
    timeline = build_timeline(
        day, sessions, zone=conference.tz, url_for=change_urls.__getitem__, speakers=speakers
    )
    timeline.grid_html = render_grid(timeline)
    html, css = admin_additions(timeline, list(conference.rooms.all()), conference, day)
    return {
        "timeline": timeline,
        "grid_html": mark_safe(timeline.grid_html + html),  # escaped parts
        "grid_css": timeline.css + "\n" + css,
        "add_url": add_session_url(conference, day=day.pk),
        **clashes_context(conference, day=day),
    }


def admin_additions(timeline, rooms, conference, day) -> tuple[str, str]:
    """The admin's cells on top of the public grid, as HTML and the CSS placing them."""
    items = [item for slot in timeline.slots for item in slot.items]
    spans = room_spans(items)
    html, css = [], []
    if not timeline.rows:
        html.append('<div class="tl-corner" aria-hidden="true"></div>')
    next_line = max((end for _first, end in spans.values()), default=2)
    for room in rooms:
        if room.pk not in spans:  # nothing in it on this day: a column of empty slots
            spans[room.pk] = (next_line, next_line + 1)
            name = escape(room.name)
            html.append(f'<div class="tl-room" id="r{room.pk}" title="{name}">{name}</div>')
            css.append(f"#r{room.pk}{{grid-column:{next_line}/{next_line + 1}}}")
            next_line += 1
    css.append(column_template(next_line - 2))
    slots, extra_rows = half_hours(timeline, items, conference, day)
    for index, (starts_at, line) in enumerate(extra_rows):
        html.append(
            f'<div class="tl-time" id="x{index}"><time datetime="{starts_at.isoformat()}">'
            f"{hhmm(starts_at)}</time></div>"
        )
        css.append(f"#x{index}{{grid-row:{line}}}")
    line_at = {row.starts_at: index + 2 for index, row in enumerate(timeline.rows)}
    for slot in slots:
        line_at.setdefault(slot.starts_at, slot.line)
        line_at.setdefault(slot.ends_at, slot.end_line)
    free = free_slots(rooms, slots, busy_times(items), line_at)
    html += empty_slot_links(rooms, spans, free, conference, day, css)
    html += edit_links_for_breaks(timeline, items, css)
    return "".join(html), "\n".join(css)


def free_slots(rooms, slots, busy, line_at) -> dict:
    """room id → the free parts of its half hours: a half hour wholly free, or the part of it
    left after a session ends or before one starts (10:40 to 11:00), when at least
    SHORTEST_FREE long. Their ends are moments a session starts or ends, so grid lines."""
    free = {}
    for room in rooms:
        taken = sorted(busy.get(room.pk, []) + busy.get(None, []))
        found = free[room.pk] = []
        for slot in slots:
            cursor = slot.starts_at
            for start, stop in taken:
                if stop <= cursor or start >= slot.ends_at:
                    continue
                if start > cursor:
                    found.append((cursor, start))
                cursor = max(cursor, stop)
            if cursor < slot.ends_at:
                found.append((cursor, slot.ends_at))
        free[room.pk] = [
            Slot(start, stop, line_at[start], line_at[stop])
            for start, stop in found
            if stop - start >= SHORTEST_FREE
        ]
    return free


def empty_slot_links(rooms, spans, free, conference, day, css) -> list[str]:
    """A link in each free slot to "add session" there. A busy day of a large conference has
    thousands: the address and the label are put together from parts made once."""
    base = add_session_url(conference, day=day.pk)
    wording = _("Add a session in %(room)s at %(time)s")
    html = []
    for room in rooms:
        first, end = spans[room.pk]
        prefix = escape(f"{base}&room={room.pk}&starts_at=")
        for slot in free[room.pk]:
            clock = hhmm(slot.starts_at)
            label = escape(wording % {"room": room.name, "time": clock})
            css_id = f"a{room.pk}-{slot.line}"
            until = (
                ""
                if slot.ends_at - slot.starts_at >= SLOT
                else f"&amp;ends_at={slot.ends_at:%Y-%m-%dT%H:%M}"
            )
            html.append(
                f'<a class="tl-add" id="{css_id}" href="{prefix}{slot.starts_at:%Y-%m-%dT%H:%M}{until}" '
                f'aria-label="{label}"><span class="tl-add-time">+ {clock}</span></a>'
            )
            css.append(f"#{css_id}{{grid-area:{slot.line}/{first}/{slot.end_line}/{end}}}")
    return html


def room_spans(items) -> dict:
    """room id → (first, end) grid column lines of its lanes, as the public layout placed them."""
    spans = {}
    for item in items:
        if item.all_rooms:
            continue
        first, end = item.column
        known = spans.get(item.session.room_id, (first, end))
        spans[item.session.room_id] = (min(known[0], first), max(known[1], end))
    return spans


def column_template(lanes) -> str:
    """Columns for every room (the public template counts only rooms with sessions)."""
    lanes = max(lanes, 1)
    return (
        f"@media (min-width:48rem){{#tl{{"
        f"grid-template-columns:var(--tl-time) repeat({lanes},minmax(var(--tl-room),1fr));"
        f"min-width:calc(var(--tl-time) + {lanes}*var(--tl-room))}}}}"
    )


def half_hours(timeline, items, conference, day) -> tuple[list[Slot], list]:
    """The half hours one can add a session in, and the rows added after the public grid's
    (start, line) for their time labels."""
    zone = conference.tz
    slots = []
    if timeline.rows:
        marks = [
            (row.starts_at, index + 2)
            for index, row in enumerate(timeline.rows)
            if row.starts_at.minute % LABEL_MINUTES == 0
        ]
        last = max(item.ends_at for item in items)
        end_line = len(timeline.rows) + 2
        for (start, line), (stop, stop_line) in zip(
            marks, [*marks[1:], (last, end_line)], strict=True
        ):
            slots.append(Slot(start, stop, line, stop_line))
        starts = starts_after(last, AFTER_LAST)
    else:
        end_line = 2
        clock, count = EMPTY_DAY
        first = dj_timezone.make_aware(datetime.combine(day.date, clock), zone)
        starts = [first + index * SLOT for index in range(count)]
    extra_rows = []
    for index, (start, stop) in enumerate(pairwise([*starts, starts[-1] + SLOT])):
        slots.append(Slot(start, stop, end_line + index, end_line + index + 1))
        extra_rows.append((start, end_line + index))
    return slots, extra_rows


def starts_after(last, count) -> list[datetime]:
    """The slots after the day's last session: from its end, then count half hours."""
    minutes = last.minute % LABEL_MINUTES
    if minutes == 0 and last.second == 0:
        return [last + index * SLOT for index in range(count)]
    first = last.replace(second=0, microsecond=0) + timedelta(minutes=LABEL_MINUTES - minutes)
    return [last, *(first + index * SLOT for index in range(count))]


def busy_times(items) -> dict:
    """room id (None: every room, for breaks) → the (start, end) of its boxes."""
    busy = {}
    for item in items:
        busy.setdefault(item.session.room_id, []).append((item.starts_at, item.ends_at))
    return busy


def edit_links_for_breaks(timeline, items, css) -> list[str]:
    """The public grid does not link breaks; here they open their change form too."""
    lines = {row.starts_at: index + 2 for index, row in enumerate(timeline.rows)}
    end_line = len(timeline.rows) + 2
    html = []
    for item in items:
        session = item.session
        if session.kind != Session.Kind.BREAK:
            continue
        url = reverse("admin:program_session_change", args=[session.pk])
        label = escape(_("Change “%(title)s”") % {"title": session.title})
        html.append(
            f'<a class="tl-edit" id="e{session.pk}" href="{url}" title="{label}">'
            f'<span class="visually-hidden">{label}</span></a>'
        )
        first, end = item.column
        start, stop = lines[item.starts_at], lines.get(item.ends_at, end_line)
        css.append(f"#e{session.pk}{{grid-area:{start}/{first}/{stop}/{end}}}")
    return html
