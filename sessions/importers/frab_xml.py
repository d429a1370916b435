"""frab / Pentabarf schedule XML (as written by frab, pretalx, wafer and FOSDEM's Pentabarf).

Parsed with defusedxml only, and any DOCTYPE is refused: no entity expansion (billion laughs),
no external entities or DTDs.
"""

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from sessions.importers.build import ScheduleBuilder, conference_info
from sessions.importers.errors import ScheduleError, short
from sessions.importers.schedule import Schedule, SessionInfo
from sessions.importers.text import clean_line, clean_text
from sessions.importers.times import first_offset_sample, parse_date
from sessions.importers.values import MAX, clean_id, clean_url, kind_for_type, link

FORMAT = "frab XML"


def parse(data: bytes, source: str) -> Schedule:
    root = _read_xml(data, source)
    if root.tag != "schedule":
        # Not named: what a server answered is never shown back.
        raise ScheduleError(
            _("%(source)s: not a schedule: the root element is not <schedule>") % {"source": source}
        )
    conference_element = root.find("conference")
    if conference_element is None:
        raise ScheduleError(_("%(source)s: <schedule> has no <conference>") % {"source": source})
    builder = _builder(root, conference_element, source)
    for position, day_element in enumerate(root.findall("day"), start=1):
        _read_day(builder, day_element, position)
    return builder.build()


def _read_xml(data: bytes, source: str):
    try:
        # No schedule has a DOCTYPE; refusing it refuses entity expansion (billion laughs) and
        # external entities and DTDs before anything is expanded or fetched.
        return fromstring(data, forbid_dtd=True)
    except DTDForbidden:
        raise ScheduleError(
            _(
                "%(source)s: the XML has a document type declaration (<!DOCTYPE …>); schedules "
                "have none, and it could declare entities that expand without end or read other "
                "files, so it is refused"
            )
            % {"source": source}
        ) from None
    except DefusedXmlException as exc:
        raise ScheduleError(
            _("%(source)s: unsafe XML refused (%(problem)s)") % {"source": source, "problem": exc}
        ) from None
    except ParseError as exc:
        raise ScheduleError(
            _("%(source)s: not well-formed XML: %(problem)s") % {"source": source, "problem": exc}
        ) from None


def _text(element, tag):
    """The text of a child element, or "" when it is missing or empty."""
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


def _builder(root, conference_element, source) -> ScheduleBuilder:
    title = clean_line(_text(conference_element, "title"), MAX["conference"])
    acronym = clean_line(_text(conference_element, "acronym"), MAX["acronym"])
    if not (title or acronym):
        raise ScheduleError(_("%(source)s: <conference> has no <title>") % {"source": source})
    base_url = clean_url(_text(conference_element, "base_url"))
    conference = conference_info(title, acronym, _text(conference_element, "url"), base_url)
    builder = ScheduleBuilder(
        source=source, format=FORMAT, conference=conference, base_url=base_url
    )
    builder.use_zone(_text(conference_element, "time_zone_name"), _first_instant(root, builder))
    for tag in ("start", "end"):
        value = _text(conference_element, tag).strip()
        if value:
            setattr(conference, tag, parse_date(value, f"{source}: <conference> <{tag}>"))
    for track in conference_element.findall("track"):
        builder.add_track(track.get("name") or track.text, track.get("color", ""))
    return builder


def _first_instant(root, builder):
    """A time from the file, to learn its UTC offset when it names no zone."""
    day = root.find("day")
    if day is not None and day.get("start"):
        return first_offset_sample(day.get("start"), builder.tz)
    date = root.find("day/room/event/date")
    return first_offset_sample(date.text, builder.tz) if date is not None else None


def _read_day(builder, day_element, position):
    label = f'<day index="{short(day_element.get("index") or position)}">'
    day = builder.add_day(
        where=f"{builder.source}: {label}",
        date_value=day_element.get("date"),
        start=day_element.get("start"),
        end=day_element.get("end"),
    )
    for room_element in day_element.findall("room"):
        room = builder.add_room(room_element.get("name", ""), room_element.get("guid", ""))
        for number, event in enumerate(room_element.findall("event"), start=1):
            _read_event(builder, event, day, room, label, number)


def _read_event(builder, event, day, room, day_label, number):
    event_id = (event.get("id") or _text(event, "id")).strip()
    guid = (event.get("guid") or _text(event, "guid")).strip()
    where = _event_name(event_id, guid) or (
        f'{day_label} <room name="{short(room)}"> <event> #{number}'
    )
    title = clean_line(_text(event, "title"), MAX["title"])
    if not title:
        raise ScheduleError(
            _("%(source)s: %(where)s has no <title>") % {"source": builder.source, "where": where}
        )
    where = f"{builder.source}: {where}"
    starts_at, ends_at = _event_times(builder, event, day, where)
    if not room:
        # Events outside any <room> element name their room themselves.
        room = builder.add_room(_text(event, "room"))
    speakers = _read_persons(builder, event, where)
    base_url = builder.base_url
    optout = _text(event, "recording/optout").strip().lower()
    builder.add_session(
        SessionInfo(
            guid=clean_line(guid, MAX["guid"]),
            source_id=clean_id(event_id, MAX["source_id"]),
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            day=day.date,
            room=room,
            track=builder.add_track(_text(event, "track")),
            slug=_text(event, "slug").strip(),
            subtitle=clean_line(_text(event, "subtitle"), MAX["subtitle"]),
            kind=kind_for_type(_text(event, "type")),
            language=clean_line(_text(event, "language"), MAX["language"]),
            abstract=clean_text(_text(event, "abstract")),
            description=clean_text(_text(event, "description")),
            # origin_url is the event's page where it came from (hugi's own exports set it).
            url=clean_url(_text(event, "origin_url"), base_url)
            or clean_url(_text(event, "url"), base_url),
            video_url=clean_url(
                _text(event, "recording/url") or _text(event, "video_download_url"), base_url
            ),
            links=_read_links(event, base_url),
            do_not_record=optout in ("true", "1", "yes"),
            speakers=speakers,
        ),
        where=where,
    )


def _event_name(event_id, guid) -> str:
    """How messages name an event: by its id, else its guid ("" when it has neither)."""
    if event_id:
        return f'<event id="{short(event_id)}">'
    if guid:
        return f'<event guid="{short(guid)}">'
    return ""


def _event_times(builder, event, day, where):
    """(start, end): from <date> (or the day and <start>), then from <duration> (or <end>)."""
    date_value, start_value = _text(event, "date").strip(), _text(event, "start").strip()
    starts_at = builder.start_of(
        where=f"{where} <date>" if date_value else f"{where} <start>",
        day=day,
        date_value=date_value,
        start_value=start_value,
    )
    ends_at = builder.end_of(
        where=f"{where} <duration>",
        start=starts_at,
        duration_value=_text(event, "duration").strip(),
        end_value=_text(event, "end").strip(),
    )
    return starts_at, ends_at


def _read_persons(builder, event, where) -> list:
    return [
        builder.add_speaker(
            where=f"{where} <person>",
            person_id=person.get("id"),
            guid=person.get("guid", ""),
            name=person.text,
        )
        for person in event.findall("persons/person")
    ]


def _read_links(event, base_url) -> list:
    """Its links, then its attachments; those without a usable URL left out."""
    found = [
        link(item.get("href"), item.text or item.get("href"), base_url)
        for item in event.findall("links/link")
    ] + [
        link(item.get("href"), item.text or item.get("href"), base_url, attachment=True)
        for item in event.findall("attachments/attachment")
    ]
    return [item for item in found if item is not None]
