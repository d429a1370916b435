"""C3VOC schedule JSON (as written by pretalx and frab).

The official JSON Schema rejects files that real generators publish (frab writes upper-case
acronyms and slugs), so instead of validating against it this parser checks the type of every
field it reads and names the first one that is wrong, with its path in the file.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sessions.importers.build import ScheduleBuilder, conference_info
from sessions.importers.errors import ScheduleError, short
from sessions.importers.schedule import Schedule, SessionInfo
from sessions.importers.text import clean_line, clean_text
from sessions.importers.times import first_offset_sample, parse_date
from sessions.importers.values import MAX, clean_url, kind_for_type, link

FORMAT = "C3VOC JSON"

TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}
# No number in the format needs more digits. Longer integers are read as a HugeInteger, which no
# field accepts, so the error names the field (Python refuses to convert thousands of digits).
LONGEST_INTEGER = 20


@dataclass(frozen=True)
class HugeInteger:
    digits: int


def _integer(text: str):
    if len(text.lstrip("-")) > LONGEST_INTEGER:
        return HugeInteger(digits=len(text.lstrip("-")))
    return int(text)


def parse(data: bytes, source: str) -> Schedule:
    document = _read_json(data, source)
    reader = _Reader(source)
    schedule = reader.field(document, "schedule", dict, where="", required=True)
    conference = reader.field(schedule, "conference", dict, where="schedule", required=True)
    where = "schedule.conference"
    builder = _builder(reader, conference, schedule, where)
    days = reader.field(conference, "days", list, where=where) or []
    for position, day in enumerate(days):
        _read_day(reader, builder, day, f"{where}.days[{position}]")
    return builder.build()


def _read_json(data: bytes, source: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleError(
            _("%(source)s: not UTF-8 text (byte %(position)d)")
            % {"source": source, "position": exc.start}
        ) from None
    try:
        return json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise ScheduleError(
            _("%(source)s: not valid JSON: %(problem)s at line %(line)d, column %(column)d")
            % {"source": source, "problem": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from None
    except RecursionError:
        raise ScheduleError(
            _("%(source)s: the JSON is nested too deeply") % {"source": source}
        ) from None


def _describe(value) -> str:
    if isinstance(value, str):
        return _("the string %(value)r") % {"value": short(value)}
    if isinstance(value, HugeInteger):
        return _("a number with %(digits)d digits") % {"digits": value.digits}
    return TYPE_NAMES.get(type(value), type(value).__name__)


class _Reader:
    """Reads fields of the expected types, and names the path of the first that is not."""

    def __init__(self, source):
        self.source = source

    def fail(self, where, problem):
        raise ScheduleError(f"{self.source}: {where}: {problem}")

    def expect(self, value, types, where, expected=""):
        types = types if isinstance(types, tuple) else (types,)
        # bool is an int in Python, never in a schedule.
        wrong_bool = isinstance(value, bool) and bool not in types
        if wrong_bool or not isinstance(value, types):
            expected = expected or _(" or ").join(TYPE_NAMES[t] for t in types)
            self.fail(
                where,
                _("expected %(expected)s, got %(actual)s")
                % {"expected": expected, "actual": _describe(value)},
            )
        return value

    def field(self, obj, key, types, *, where, required=False, expected=""):
        path = f"{where}.{key}" if where else key
        if not isinstance(obj, dict):
            self.fail(
                where or "(top level)",
                _("expected an object, got %(actual)s") % {"actual": _describe(obj)},
            )
        if key not in obj or obj[key] is None:
            if required:
                self.fail(path, _("missing"))
            return None
        return self.expect(obj[key], types, path, expected)

    def text(self, obj, key, *, where, max_length=None, multiline=False) -> str:
        # Numbers are taken as text too (a title 2024), but a string is what the format has.
        value = self.field(obj, key, (str, int, float), where=where, expected=TYPE_NAMES[str])
        if value is None:
            return ""
        return clean_text(str(value)) if multiline else clean_line(str(value), max_length)


def _builder(reader, conference, schedule, where) -> ScheduleBuilder:
    title = reader.text(conference, "title", where=where, max_length=MAX["conference"])
    acronym = reader.text(conference, "acronym", where=where, max_length=MAX["acronym"])
    if not (title or acronym):
        reader.fail(f"{where}.title", _("missing"))
    base_url = clean_url(reader.text(schedule, "base_url", where="schedule"))
    info = conference_info(title, acronym, reader.text(conference, "url", where=where), base_url)
    for key in ("start", "end"):
        value = reader.text(conference, key, where=where)
        if value:
            setattr(info, key, parse_date(value, f"{reader.source}: {where}.{key}"))
    builder = ScheduleBuilder(
        source=reader.source, format=FORMAT, conference=info, base_url=base_url
    )
    builder.use_zone(
        reader.text(conference, "time_zone_name", where=where),
        _first_instant(conference, builder),
    )
    # The room list gives the order; guids are not trusted to be unique (pretalx repeats them).
    for position, room in enumerate(reader.field(conference, "rooms", list, where=where) or []):
        path = f"{where}.rooms[{position}]"
        name = reader.text(reader.expect(room, dict, path), "name", where=path)
        builder.add_room(name, reader.text(room, "guid", where=path))
    for position, track in enumerate(reader.field(conference, "tracks", list, where=where) or []):
        path = f"{where}.tracks[{position}]"
        reader.expect(track, dict, path)
        builder.add_track(
            reader.text(track, "name", where=path), reader.text(track, "color", where=path)
        )
    return builder


def _first_instant(conference, builder):
    """A time from the file, to learn its UTC offset when it names no zone."""
    days = conference.get("days")
    for day in days if isinstance(days, list) else []:
        if isinstance(day, dict) and isinstance(day.get("day_start"), str):
            return first_offset_sample(day["day_start"], builder.tz)
    return None


def _read_day(reader, builder, day, where):
    reader.expect(day, dict, where)
    info = builder.add_day(
        where=f"{reader.source}: {where}",
        date_value=reader.text(day, "date", where=where),
        start=reader.text(day, "day_start", where=where),
        end=reader.text(day, "day_end", where=where),
    )
    rooms = reader.field(day, "rooms", dict, where=where) or {}
    for room_name, events in rooms.items():
        room_where = f"{where}.rooms[{json.dumps(short(room_name), ensure_ascii=False)}]"
        room = builder.add_room(room_name)
        for number, event in enumerate(reader.expect(events, list, room_where)):
            _read_event(reader, builder, event, info, room, f"{room_where}[{number}]")


def _read_event(reader, builder, event, day, room, where):
    reader.expect(event, dict, where)
    event_id = _event_id(reader, event, where)
    title = reader.text(event, "title", where=where, max_length=MAX["title"])
    if not title:
        reader.fail(f"{where}.title", _("missing"))
    starts_at, ends_at = _event_times(reader, builder, event, day, where)
    speakers = _read_persons(reader, builder, event, where)
    links, slides_url = _read_links(reader, builder, event, where)
    do_not_record = reader.field(event, "do_not_record", bool, where=where)
    base_url = builder.base_url
    builder.add_session(
        SessionInfo(
            guid=reader.text(event, "guid", where=where, max_length=MAX["guid"]),
            source_id=str(event_id) if event_id is not None else "",
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            day=day.date,
            room=room or builder.add_room(reader.text(event, "room", where=where)),
            track=builder.add_track(reader.text(event, "track", where=where)),
            slug=reader.text(event, "slug", where=where),
            subtitle=reader.text(event, "subtitle", where=where, max_length=MAX["subtitle"]),
            kind=kind_for_type(reader.text(event, "type", where=where)),
            language=reader.text(event, "language", where=where, max_length=MAX["language"]),
            abstract=reader.text(event, "abstract", where=where, multiline=True),
            description=reader.text(event, "description", where=where, multiline=True),
            # origin_url is the event's page where it came from (hugi's own exports set it).
            url=clean_url(reader.text(event, "origin_url", where=where), base_url)
            or clean_url(reader.text(event, "url", where=where), base_url),
            slides_url=slides_url,
            links=links,
            do_not_record=bool(do_not_record),
            speakers=speakers,
        ),
        where=f"{reader.source}: {where}",
    )


def _event_id(reader, event, where):
    event_id = reader.field(event, "id", int, where=where)
    if event_id is not None and event_id < 1:
        reader.fail(f"{where}.id", _("expected a positive integer, got %(id)d") % {"id": event_id})
    return event_id


def _event_times(reader, builder, event, day, where):
    """(start, end): from date (or the day and start), then from duration (or end)."""
    date_value = reader.text(event, "date", where=where)
    starts_at = builder.start_of(
        where=f"{reader.source}: {where}.{'date' if date_value else 'start'}",
        day=day,
        date_value=date_value,
        start_value=reader.text(event, "start", where=where),
    )
    ends_at = builder.end_of(
        where=f"{reader.source}: {where}.duration",
        start=starts_at,
        duration_value=reader.field(event, "duration", (str, int), where=where),
        end_value=reader.text(event, "end", where=where),
    )
    return starts_at, ends_at


def _read_persons(reader, builder, event, where) -> list:
    speakers = []
    for position, person in enumerate(reader.field(event, "persons", list, where=where) or []):
        path = f"{where}.persons[{position}]"
        reader.expect(person, dict, path)
        speakers.append(
            builder.add_speaker(
                where=f"{reader.source}: {path}",
                person_id=reader.field(person, "id", int, where=path),
                guid=reader.text(person, "guid", where=path),
                code=reader.text(person, "code", where=path),
                name=reader.text(person, "public_name", where=path)
                or reader.text(person, "name", where=path),
                bio=reader.text(person, "biography", where=path, multiline=True),
            )
        )
    return speakers


def _read_links(reader, builder, event, where) -> tuple[list, str]:
    """(links and attachments, the first one typed "slides")."""
    links, slides_url = [], ""
    for key, attachment in (("links", False), ("attachments", True)):
        for position, item in enumerate(reader.field(event, key, list, where=where) or []):
            path = f"{where}.{key}[{position}]"
            if isinstance(reader.expect(item, (dict, str), path), str):
                item = {"url": item}
            url = reader.text(item, "url", where=path)
            title = reader.text(item, "title", where=path) or url
            found = link(url, title, builder.base_url, attachment=attachment)
            if found:
                links.append(found)
                if reader.text(item, "type", where=path) == "slides":
                    slides_url = slides_url or found.url
    return links, slides_url
