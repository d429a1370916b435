"""Small valid schedules in both formats, to vary one field at a time in tests.

json_schedule(event={"duration": "100:00"})          # C3VOC JSON bytes
xml_schedule(event={"duration": "100:00"})           # frab XML bytes
with_raw(data, "@ID@", "9" * 5000)                   # what json.dumps cannot write
"""

import json
from xml.sax.saxutils import escape, quoteattr

EVENT = {
    "id": 1,
    "guid": "0b5e9f2a-6d1c-4c53-9b1e-2f0d4c8a7e11",
    "title": "Opening",
    "date": "2024-05-01T10:00:00+02:00",
    "duration": "00:30",
}


def json_schedule(event=None, *, conference=None, day=None, persons=None, room="Hall") -> bytes:
    event = {**EVENT, "persons": persons or [{"id": 7, "public_name": "Ada"}], **(event or {})}
    day = {"index": 1, "date": "2024-05-01", "rooms": {room: [event]}, **(day or {})}
    conference = {
        "title": "Limits",
        "acronym": "limits",
        "time_zone_name": "Europe/Berlin",
        "days": [day],
        **(conference or {}),
    }
    return json.dumps({"schedule": {"version": "1", "conference": conference}}).encode()


def xml_schedule(event=None, *, conference=None, day=None, persons=None, room="Hall") -> bytes:
    """event and conference: {element: text}, the event's id and guid as attributes; day: the
    <day> element's attributes."""
    fields = {**EVENT, **(event or {})}
    attributes = " ".join(f"{name}={quoteattr(str(fields.pop(name)))}" for name in ("id", "guid"))
    people = "".join(
        f"<person id={quoteattr(str(person_id))}>{escape(name)}</person>"
        for person_id, name in (persons or [(7, "Ada")])
    )
    conference = {
        "title": "Limits",
        "acronym": "limits",
        "time_zone_name": "Europe/Berlin",
        **(conference or {}),
    }
    day = {"index": "1", "date": "2024-05-01", **(day or {})}
    return (
        '<?xml version="1.0" encoding="utf-8"?><schedule><version>1</version>'
        f"<conference>{_elements(conference)}</conference>"
        f"<day {' '.join(f'{name}={quoteattr(value)}' for name, value in day.items())}>"
        f"<room name={quoteattr(room)}><event {attributes}>{_elements(fields)}"
        f"<persons>{people}</persons></event></room></day></schedule>"
    ).encode()


def _elements(fields: dict) -> str:
    return "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in fields.items())


def with_raw(data: bytes, placeholder: str, raw: str) -> bytes:
    """data with the JSON string "placeholder" replaced by raw JSON text, such as a number with
    more digits than Python converts."""
    quoted = json.dumps(placeholder).encode()
    assert quoted in data
    return data.replace(quoted, raw.encode())
