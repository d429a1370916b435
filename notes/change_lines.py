"""How a change to the programme reads to an attendee.

sessions/recording.py writes a change's old and new values as text: a time as "14:00-14:40" in
the conference's zone (or "2019-12-28 00:30-01:10" when the date matters), a day as its ISO date,
a room and the speakers by name ("" for none), a title as it was. Here they become what the
changes page, a session's page and My hugi show: one SessionChanges per session, with a badge
per kind (sessions.timeline.BADGES) and a line per value that changed ("<del>Room 101</del> →
Hall A"), and the old values as a sentence ("Was 14:00-14:40 in Room 101.").
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions import changes
from sessions.timeline import BADGE_ORDER, badges
from sessions.versions import ScheduleChange

Kind = ScheduleChange.Kind
STATUS_KINDS = {Kind.NEW, Kind.CANCELLED, Kind.RESTORED}
# What each kind of value is called in a change line.
VALUE_NAMES = {
    Kind.DAY: gettext_lazy("Day"),
    Kind.TIME: gettext_lazy("Time"),
    Kind.ROOM: gettext_lazy("Room"),
    Kind.TITLE: gettext_lazy("Title"),
    Kind.SPEAKERS: gettext_lazy("Speakers"),
}
DATED_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}) (.+)")


@dataclass(frozen=True)
class Line:
    """One value that changed: its name, what it was and what it is (as read_value says them;
    had_old: it had a value before, not "no room")."""

    kind: str
    name: str
    old: str
    new: str
    had_old: bool = True


@dataclass
class SessionChanges:
    """What happened to one session, in one version or over several."""

    session_id: int | None  # None: the session is gone from the programme
    slug: str
    title: str
    starts_at: datetime  # as the session is now (or was, when gone)
    kinds: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    url: str = ""
    version: int = 0  # the (latest) version it changed in, where the caller knows it

    @property
    def badges(self):
        return badges(self.kinds)

    @property
    def besides_cancelled(self):
        """The badges but "cancelled" (for a page that says so in its own words)."""
        return [badge for badge in self.badges if badge[0] != "cancelled"]

    @property
    def cancelled(self):
        return Kind.CANCELLED in self.kinds

    @property
    def was(self) -> str:
        return was_sentence(self.lines)


def day_text(value: date) -> str:
    """ "Aug. 15 (Fri)" / "8월 15일 (금)", as the day tabs write a day."""
    return f"{formats.date_format(value, 'MONTH_DAY_FORMAT')} ({formats.date_format(value, 'D')})"


def read_value(kind: str, value: str) -> str:
    """A recorded value as an attendee reads it."""
    if kind == Kind.DAY:
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    if kind == Kind.TIME:
        dated = DATED_TIME.fullmatch(value)
        if dated:
            try:
                return f"{day_text(date.fromisoformat(dated[1]))} {dated[2]}"
            except ValueError:
                return value
        return value
    if not value:
        return _("no room") if kind == Kind.ROOM else _("nobody") if kind == Kind.SPEAKERS else ""
    return value


def line(kind: str, old: str, new: str) -> Line:
    return Line(
        kind=kind,
        name=str(VALUE_NAMES[kind]),
        old=read_value(kind, old),
        new=read_value(kind, new),
        had_old=bool(old),
    )


def session_changes(rows, *, url_for=None) -> list[SessionChanges]:
    """Change rows (ScheduleChange, oldest version first, session slug loaded) as one
    SessionChanges per session, in the order of their first row. Over several versions a value
    reads from what it was first to what it is last, and one that came back to where it was
    (or a cancellation undone) is left out."""
    found: dict = {}
    values: dict = {}  # key → {kind: [old, new]}
    statuses: dict = {}  # key → [status kinds in order]
    for row in rows:
        key = row.session_id if row.session_id is not None else ("gone", row.session_title)
        entry = found.get(key)
        if entry is None:
            slug = row.session.slug if row.session_id is not None else ""
            entry = found[key] = SessionChanges(
                session_id=row.session_id,
                slug=slug,
                title=row.session_title,
                starts_at=row.starts_at,
                url=url_for(slug) if url_for and slug else "",
            )
            values[key], statuses[key] = {}, []
        entry.title, entry.starts_at = row.session_title, row.starts_at  # the latest
        if row.kind in STATUS_KINDS:
            statuses[key].append(row.kind)
        elif row.kind in VALUE_NAMES:
            pair = values[key].setdefault(row.kind, [row.old, row.new])
            pair[1] = row.new
    for key, entry in found.items():
        kinds = net_status(statuses[key])
        kinds += [kind for kind, (old, new) in values[key].items() if old != new]
        entry.kinds = sorted(kinds, key=BADGE_ORDER.index)
        entry.lines = [
            line(kind, *values[key][kind]) for kind in entry.kinds if kind in VALUE_NAMES
        ]
    return [entry for entry in found.values() if entry.kinds]


def net_status(kinds: list[str]) -> list[str]:
    """The status changes that still stand after several: new stays new (and may be cancelled
    since), a cancellation undone by a restoration (or the other way round) is none."""
    if not kinds:
        return []
    found = [Kind.NEW] if Kind.NEW in kinds else []
    was_cancelled = kinds[0] == Kind.RESTORED
    is_cancelled = kinds[-1] == Kind.CANCELLED
    if was_cancelled != is_cancelled:
        found.append(kinds[-1])
    return found


def was_sentence(lines: list[Line]) -> str:
    """The old values as a sentence: "Was Aug. 15 (Fri) 14:00-14:40 in Room 101."."""
    old = {entry.kind: entry.old for entry in lines if entry.had_old}
    when = " ".join(old[kind] for kind in (Kind.DAY, Kind.TIME) if kind in old)
    room = old.get(Kind.ROOM, "")
    parts = []
    if when and room:
        parts.append(_("Was %(when)s in %(room)s.") % {"when": when, "room": room})
    elif when:
        parts.append(_("Was %(when)s.") % {"when": when})
    elif room:
        parts.append(_("Was in %(room)s.") % {"room": room})
    if Kind.TITLE in old:
        parts.append(_("Was called “%(title)s”.") % {"title": old[Kind.TITLE]})
    if Kind.SPEAKERS in old:
        parts.append(_("Speakers were: %(names)s.") % {"names": old[Kind.SPEAKERS]})
    return " ".join(parts)


def count_phrases(counts: dict) -> list[str]:
    """{kind: number} → ["1 new", "3 moved"], in the badges' order."""
    return changes.count_phrases(counts, order=BADGE_ORDER)
