"""A frab schedule XML file edited the way a programme committee edits theirs between two
exports: talks moved in time or to another day, rooms swapped, titles and speakers changed,
talks dropped or added. The tests of sync_schedules (and bench/import.py) serve the result.

    schedule = FrabFile(SCHEDULES / "debconf23.xml")
    schedule.move("Why Debian", minutes=60)
    schedule.swap_rooms("Teams, newcomers and numbers", "State of Stateless …")
    path.write_bytes(schedule.bytes())

The `served` fixture (tests/sessions/conftest.py) serves such a file; edit(served, change)
edits it in place, and Watched notes what each request sent and got.
"""

import copy
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree


class FrabFile:
    def __init__(self, path: Path):
        self.tree = etree.parse(str(path))
        self.root = self.tree.getroot()

    def bytes(self) -> bytes:
        return etree.tostring(self.tree, xml_declaration=True, encoding="UTF-8")

    def events(self):
        return self.root.iterfind("day/room/event")

    def event(self, title: str):
        for event in self.events():
            if event.findtext("title") == title:
                return event
        raise KeyError(title)

    def titles(self) -> list[str]:
        return [event.findtext("title") for event in self.events()]

    def move(self, title: str, *, minutes: int):
        """Later (or earlier) by minutes, on the same day."""
        event = self.event(title)
        starts_at = datetime.fromisoformat(event.findtext("date")) + timedelta(minutes=minutes)
        start = datetime.strptime(event.findtext("start"), "%H:%M") + timedelta(minutes=minutes)
        event.find("date").text = starts_at.isoformat()
        event.find("start").text = start.strftime("%H:%M")

    def to_day(self, title: str, index: int):
        """To the same room and clock time on the day numbered index (1, 2, …)."""
        event = self.event(title)
        room = event.getparent()
        old_day = room.getparent()
        new_day = self.root.find(f"day[@index='{index}']")
        shift = datetime.fromisoformat(new_day.get("date")) - datetime.fromisoformat(
            old_day.get("date")
        )
        starts_at = datetime.fromisoformat(event.findtext("date")) + shift
        event.find("date").text = starts_at.isoformat()
        self._room_of_day(new_day, room.get("name")).append(event)

    def swap_rooms(self, first: str, second: str):
        """Two talks of the same day trade rooms."""
        one, other = self.event(first), self.event(second)
        one_room, other_room = one.getparent(), other.getparent()
        other_room.append(one)
        one_room.append(other)
        one.find("room").text, other.find("room").text = (
            other_room.get("name"),
            one_room.get("name"),
        )

    def retitle(self, title: str, new_title: str):
        self.event(title).find("title").text = new_title

    def drop_speaker(self, title: str, name: str):
        persons = self.event(title).find("persons")
        for person in persons.findall("person"):
            if person.text == name:
                persons.remove(person)

    def drop(self, title: str):
        event = self.event(title)
        event.getparent().remove(event)

    def drop_every_other(self):
        """Every second talk of each room gone (each day keeps some)."""
        for room in self.root.iterfind("day/room"):
            for event in room.findall("event")[1::2]:
                room.remove(event)

    def drop_day(self, index: int):
        """Every talk of that day gone (the day itself stays, empty)."""
        for room in self.root.iterfind(f"day[@index='{index}']/room"):
            for event in room.findall("event"):
                room.remove(event)

    def keep_days(self, count: int):
        """A truncated export: only the first count days have talks."""
        for day in self.root.findall("day"):
            if int(day.get("index")) > count:
                for event in day.iterfind("room/event"):
                    event.getparent().remove(event)

    def add(self, like: str, title: str) -> str:
        """A new talk in the same slot and room as another one; returns its guid."""
        original = self.event(like)
        event = copy.deepcopy(original)
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, title))
        event.set("guid", guid)
        event.set("id", str(100000 + sum(1 for _ in self.events())))
        event.find("title").text = title
        slug = event.find("slug")
        if slug is not None:
            slug.text = f"added-{event.get('id')}"
        original.getparent().append(event)
        return guid

    @staticmethod
    def _room_of_day(day, name):
        room = day.find(f"room[@name='{name}']")
        if room is None:
            room = etree.SubElement(day, "room", name=name)
        return room


def edit(served, change):
    """Apply change(FrabFile) to the served file."""
    schedule = FrabFile(served.path)
    change(schedule)
    served.path.write_bytes(schedule.bytes())


class Watched:
    """A route that notes, for each request, the If-None-Match it sent and the status it got."""

    def __init__(self, route):
        self.route = route
        self.seen = []

    def __call__(self, handler):
        status, headers, body = self.route(handler) if callable(self.route) else self.route
        self.seen.append((handler.headers.get("If-None-Match"), status))
        return status, headers, body
