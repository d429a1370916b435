"""Re-importing: the same file changes nothing; a newer one updates in place, keeps people's
notes, photos and stars on their sessions, and marks vanished sessions cancelled."""

import copy
import json
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError

from notes.models import Note, Photo, Star
from sessions.importers import parse_schedule, plan_import
from sessions.models import Conference, Day, Room, Session, Speaker, Track
from tests.support.factories import NoteFactory, PhotoFactory, SessionFactory, StarFactory
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

DEMOCON = SCHEDULES / "pretalx-democon.json"
MOVED = "8079583e-8321-506c-95af-fd2903a5f075"  # "Focused 5thgeneration hardware", day 1


def load():
    return json.loads(DEMOCON.read_bytes())


def events(document):
    for day in document["schedule"]["conference"]["days"]:
        for room_events in day["rooms"].values():
            yield from room_events


def event(document, guid):
    return next(item for item in events(document) if item["guid"] == guid)


def run_import(document, slug="democon"):
    data = json.dumps(document).encode()
    return plan_import(parse_schedule(data, "democon.json"), slug=slug).apply()


def state():
    """Everything an import may touch, to show that nothing changed."""
    return {
        "conferences": list(Conference.objects.values_list("slug", "name", "timezone")),
        "days": list(Day.objects.order_by("pk").values_list("date", "index")),
        "rooms": list(Room.objects.order_by("pk").values_list("name", "slug", "order")),
        "tracks": list(Track.objects.order_by("pk").values_list("name", "color")),
        "speakers": list(Speaker.objects.order_by("pk").values_list("name", "source_id")),
        "sessions": list(
            Session.objects.order_by("pk").values_list(
                "pk", "title", "slug", "starts_at", "ends_at", "room_id", "cancelled"
            )
        ),
        "notes": list(Note.objects.order_by("pk").values_list("pk", "session_id", "body")),
    }


@pytest.fixture
def democon():
    run_import(load())
    return Conference.objects.get(slug="democon")


def test_same_file_twice_changes_nothing_the_second_time(democon):
    before = state()
    changed_at = Conference.objects.get().changed_at

    plan = run_import(load())

    assert plan.changes == []
    assert plan.summary() == ["No changes."]
    assert state() == before
    assert Conference.objects.get().changed_at == changed_at  # pages not marked changed


def test_newer_schedule_moves_retitles_adds_and_cancels_keeping_notes(democon, owner):
    document = load()
    all_events = list(events(document))
    retitled, removed = all_events[1], all_events[2]
    moved = event(document, MOVED)
    moved_session = Session.objects.get(source_guid=MOVED)
    removed_session = Session.objects.get(source_guid=removed["guid"])
    retitled_session = Session.objects.get(source_guid=retitled["guid"])
    notes = [NoteFactory(author=owner, session=s) for s in (moved_session, removed_session)]
    photo = PhotoFactory(owner=owner, session=removed_session)
    star = StarFactory(user=owner, session=removed_session)

    moved["date"], moved["start"] = "2020-12-14T16:00:00+01:00", "16:00"
    retitled["title"] = "A brand new title"
    added = copy.deepcopy(retitled)
    added.update(guid="5a5a5a5a-1111-4222-8333-944444444444", id=999, title="Added late", slug="")
    document["schedule"]["conference"]["days"][2]["rooms"]["Gray Room"].append(added)
    for room_events in document["schedule"]["conference"]["days"][0]["rooms"].values():
        if removed in room_events:
            room_events.remove(removed)
    for room_events in document["schedule"]["conference"]["days"][1]["rooms"].values():
        if removed in room_events:
            room_events.remove(removed)

    plan = run_import(document)

    assert sorted((c.kind, c.action, c.name, tuple(c.fields)) for c in plan.changes) == sorted([
        ("session", "created", "Added late", ()),
        ("session", "changed", "A brand new title", ("title",)),
        ("session", "changed", moved["title"], ("starts_at", "ends_at")),
        ("session", "removed", removed["title"], ("cancelled",)),
    ])  # fmt: skip
    assert plan.summary() == [
        "Created: 1 session",
        "Changed: 2 sessions",
        "Removed: 1 session (marked cancelled, not deleted)",
    ]
    moved_session.refresh_from_db()
    assert moved_session.starts_at == datetime(2020, 12, 14, 15, 0, tzinfo=UTC)
    retitled_session.refresh_from_db()
    assert (retitled_session.title, retitled_session.slug) == (
        "A brand new title",
        retitled["slug"],
    )
    removed_session.refresh_from_db()
    assert removed_session.cancelled is True
    assert Session.objects.get(source_guid=added["guid"]).day.date == date(2020, 12, 16)
    # People's things stay on the very same rows.
    assert list(Note.objects.order_by("pk").values_list("pk", "session_id")) == [
        (notes[0].pk, moved_session.pk),
        (notes[1].pk, removed_session.pk),
    ]
    assert Photo.objects.get().session_id == removed_session.pk == photo.session_id
    assert Star.objects.get().session_id == removed_session.pk == star.session_id
    # And importing the newer file again is a no-op too.
    assert run_import(document).changes == []


def test_cancelled_session_back_in_the_file_is_not_cancelled_any_more(democon):
    document = load()
    Session.objects.filter(source_guid=MOVED).update(cancelled=True)

    plan = run_import(document)

    assert [(c.action, c.fields) for c in plan.changes] == [("changed", ["cancelled"])]
    assert Session.objects.get(source_guid=MOVED).cancelled is False


def test_what_the_admin_added_survives_a_reimport(democon):
    track = Track.objects.get(name="Phased")
    track.color = "#123456"
    track.save()
    speaker = Speaker.objects.get(source_id="26")
    Speaker.objects.filter(pk=speaker.pk).update(bio="", affiliation="ACME")
    Session.objects.filter(source_guid=MOVED).update(
        slides_url="https://example.org/slides.pdf", level="advanced"
    )
    document = load()
    for person in (p for e in events(document) for p in e["persons"] if p["id"] == 26):
        person["biography"] = ""

    plan = run_import(document)

    assert plan.changes == []
    assert Track.objects.get(pk=track.pk).color == "#123456"
    assert Speaker.objects.get(pk=speaker.pk).affiliation == "ACME"
    session = Session.objects.get(source_guid=MOVED)
    assert (session.slides_url, session.level) == ("https://example.org/slides.pdf", "advanced")


def test_changed_links_and_biography_are_updated(democon):
    document = load()
    moved = event(document, MOVED)
    moved["links"] = [{"url": "https://example.org/paper.pdf", "title": "Paper", "type": "paper"}]
    for person in moved["persons"]:
        person["biography"] = "A new *biography*."

    plan = run_import(document)

    assert sorted((c.kind, tuple(c.fields)) for c in plan.changes) == [
        ("session", ("links",)),
        ("speaker", ("bio", "bio_html")),
    ]
    session = Session.objects.get(source_guid=MOVED)
    assert session.links == [{"title": "Paper", "url": "https://example.org/paper.pdf"}]
    speaker = session.ordered_speakers[0]
    assert (speaker.bio, speaker.bio_html) == (
        "A new *biography*.", "<p>A new <em>biography</em>.</p>",
    )  # fmt: skip


def test_speaker_order_change_relinks_the_session(democon):
    document = load()
    two = next(e for e in events(document) if len(e["persons"]) >= 2)
    two["persons"].reverse()

    plan = run_import(document)

    assert [(c.name, c.fields) for c in plan.changes] == [(two["title"], ["speakers"])]
    session = Session.objects.get(source_guid=two["guid"])
    assert [s.name for s in session.ordered_speakers] == [p["public_name"] for p in two["persons"]]


def test_session_typed_in_the_admin_is_left_alone(democon):
    room = Room.objects.get(name="Tan Room")
    own = SessionFactory(conference=democon, room=room, day=Day.objects.first(), title="Own")
    document = load()
    for day in document["schedule"]["conference"]["days"]:
        day["rooms"].pop("Tan Room")

    run_import(document)

    own.refresh_from_db()
    assert own.cancelled is False
    # Its room stays, though the file has no Tan Room sessions any more.
    assert Room.objects.filter(pk=room.pk).exists()


def test_unused_room_and_speakers_are_removed_but_kept_while_a_cancelled_session_uses_them(democon):
    document = load()
    tan_events = [
        e for day in document["schedule"]["conference"]["days"] for e in day["rooms"]["Tan Room"]
    ]
    for day in document["schedule"]["conference"]["days"]:
        day["rooms"].pop("Tan Room")
    document["schedule"]["conference"]["rooms"] = [
        {"name": "Gray Room", "guid": "b379c473-93b9-4eae-9a09-d482e86cede3"}
    ]

    plan = run_import(document)

    # The Tan Room sessions are cancelled, not deleted: their room and speakers stay with them.
    assert Session.objects.filter(room__name="Tan Room", cancelled=True).count() == len(tan_events)
    assert Room.objects.filter(name="Tan Room").exists()
    assert [c for c in plan.changes if c.action == "removed" and c.kind != "session"] == []

    Session.objects.filter(room__name="Tan Room").delete()
    plan = run_import(document)

    gray = {p["public_name"] for e in events(document) for p in e["persons"]}
    only_tan = {p["public_name"] for e in tan_events for p in e["persons"]} - gray
    removed = [(c.kind, c.name) for c in plan.changes if c.action == "removed"]
    assert removed == [("room", "Tan Room"), *(("speaker", name) for name in sorted(only_tan))]
    assert not Speaker.objects.filter(name__in=only_tan).exists()
    assert list(Room.objects.values_list("name", flat=True)) == ["Gray Room"]


def test_a_new_first_day_renumbers_the_days(democon):
    document = load()
    first = document["schedule"]["conference"]["days"][0]
    earlier = copy.deepcopy(first)
    earlier.update(date="2020-12-13", day_start="2020-12-13T04:00:00+01:00",
                   day_end="2020-12-14T03:59:00+01:00")  # fmt: skip
    for room_events in earlier["rooms"].values():
        for item in room_events:
            item["guid"] = item["guid"][:-4] + "0000"
            item["date"] = item["date"].replace("2020-12-14", "2020-12-13")
    document["schedule"]["conference"]["days"].insert(0, earlier)

    run_import(document)

    assert list(Day.objects.order_by("date").values_list("date", "index")) == [
        (date(2020, 12, 13), 1), (date(2020, 12, 14), 2), (date(2020, 12, 15), 3),
        (date(2020, 12, 16), 4),
    ]  # fmt: skip
    assert Conference.objects.get().start_date == date(2020, 12, 13)


def test_an_import_that_fails_while_writing_changes_nothing(democon, owner):
    document = load()
    document["schedule"]["conference"]["rooms"].append({"name": "New Room", "guid": ""})
    document["schedule"]["conference"]["days"][0]["rooms"]["New Room"] = [
        dict(event(document, MOVED), guid="6b6b6b6b-1111-4222-8333-944444444444", title="New")
    ]
    event(document, MOVED)["title"] = "Retitled"
    NoteFactory(author=owner, session=Session.objects.get(source_guid=MOVED))
    plan = plan_import(
        parse_schedule(json.dumps(document).encode(), "democon.json"), slug="democon"
    )
    # Someone else creates the room the plan wants, between the preview and the write.
    Room.objects.create(conference=democon, name="Other", slug="new-room")
    before = state()

    with pytest.raises(IntegrityError):
        plan.apply()

    assert state() == before
