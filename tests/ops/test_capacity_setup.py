"""`manage.py capacity_setup` makes the capacity benchmark's attendees once, signed in, with stars
and notes; the after-run checks find a lost save and a half-written photo."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client

from notes import services
from notes.models import CalendarFeed, Note, Photo, Star, Visibility
from ops.capacity import check_acknowledged, check_photos
from sessions.models import Conference, Session
from tests.support.paths import SCHEDULES

DEBCONF = SCHEDULES / "debconf23.xml"


def setup(tmp_path, users):
    roster = tmp_path / "roster.json"
    call_command(
        "capacity_setup", "--users", str(users), "--roster", str(roster),
        "--schedule", str(DEBCONF), "--conference", "debconf23",
    )  # fmt: skip
    return json.loads(roster.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_attendees_are_made_once_signed_in_with_stars_and_notes(tmp_path, capsys):
    roster = setup(tmp_path, 4)
    assert "4 attendees on debconf23" in capsys.readouterr().out
    conference = Conference.objects.get(slug="debconf23")
    assert conference.sessions.count() == 117
    names = [entry["username"] for entry in roster["note_takers"]]
    assert names == ["capacity-0001", "capacity-0002", "capacity-0003", "capacity-0004"]
    notes = Note.objects.filter(author__username__in=names)
    assert notes.count() == 4 * 3
    assert notes.filter(visibility=Visibility.PUBLIC).count() == 4
    # Half write in Korean, half in English; notes of a real length.
    korean = [n for n in notes if any("\uac00" <= ch <= "\ud7a3" for ch in n.body)]
    assert len(korean) == 2 * 3
    assert all(800 <= len(n.body) <= 3200 for n in notes)
    assert all(n.body_html.startswith("<h1>") for n in notes)
    assert Star.objects.filter(user__username__in=names).count() == 4 * 6  # 5 and the talk now
    assert CalendarFeed.objects.filter(user__username__in=names).count() == 4
    staff = get_user_model().objects.get(username="capacity-staff")
    assert staff.is_staff and staff.is_superuser

    # Each attendee's session is theirs: /me/ and their editor open with it.
    first = roster["note_takers"][0]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = first["cookie"]
    assert client.get("/me/").context["user"].username == "capacity-0001"
    editor = client.get(f"/notes/{first['session_id']}/")
    assert editor.status_code == 200
    assert first["page"] == conference.sessions.get(pk=first["session_id"]).get_absolute_url()
    assert first["calendar"].startswith("/calendar/")
    assert client.get(first["calendar"]).content.startswith(b"BEGIN:VCALENDAR")
    assert roster["staff"]["import_url"] == f"/admin/program/conference/{conference.pk}/import/"
    assert roster["schedule"] == str(DEBCONF)
    assert roster["pages"]["day"].startswith("/debconf23/schedule/")

    before = sorted(Note.objects.values_list("pk", "version"))
    again = setup(tmp_path, 4)
    assert get_user_model().objects.filter(username__startswith="capacity-").count() == 5
    assert sorted(Note.objects.values_list("pk", "version")) == before
    assert [e["session_id"] for e in again["note_takers"]] == [
        e["session_id"] for e in roster["note_takers"]
    ]
    assert again["note_takers"][0]["cookie"] != first["cookie"]  # signed in again


@pytest.mark.django_db
def test_refuses_no_users_and_a_missing_schedule(tmp_path):
    with pytest.raises(CommandError, match="--users must be at least 1"):
        call_command("capacity_setup", "--users", "0", "--roster", str(tmp_path / "r.json"))
    with pytest.raises(CommandError, match="No schedule file at"):
        call_command(
            "capacity_setup", "--roster", str(tmp_path / "r.json"),
            "--schedule", str(tmp_path / "missing.xml"),
        )  # fmt: skip
    assert not Conference.objects.exists()


@pytest.mark.django_db
def test_check_finds_a_lost_save_and_accepts_one_that_landed_late(tmp_path):
    roster = setup(tmp_path, 2)
    one, two = roster["note_takers"]
    assert one["version"] == 0  # the talk they sit in has no note yet
    note = services.save_note(
        author=get_user_model().objects.get(username=one["username"]),
        session=Session.objects.get(pk=one["session_id"]),
        body="typed", visibility=Visibility.PRIVATE, base_version=0,
    )  # fmt: skip
    acks = [
        {"username": one["username"], "session_id": one["session_id"], "version": note.version,
         "body": note.body, "pending": None},
        {"username": two["username"], "session_id": two["session_id"], "version": 0, "body": "",
         "pending": "typed, never answered"},
    ]  # fmt: skip
    assert check_acknowledged(acks) == []
    # A save on its way when the run stopped may have landed: one version later, its text.
    acks[0]["pending"] = note.body + "more"
    Note.objects.filter(pk=note.pk).update(body=note.body + "more", version=note.version + 1)
    assert check_acknowledged(acks) == []
    # An acknowledged text the database does not hold is lost.
    acks[1] = {**acks[1], "version": 1, "body": "acknowledged", "pending": None}
    assert check_acknowledged(acks) == [
        f"{two['username']} on session {two['session_id']}: acknowledged version 1 "
        "(12 characters), stored version 0 (0 characters)"
    ]


@pytest.mark.django_db
def test_check_finds_a_photo_without_its_file_and_a_file_without_its_row(tmp_path, owner):
    roster = setup(tmp_path, 1)
    session_id = roster["note_takers"][0]["session_id"]
    assert check_photos() == []
    kept = default_storage.save("photos/whole.jpg", ContentFile(b"jpeg"))
    Photo.objects.create(owner=owner, session_id=session_id, image=kept, width=1, height=1,
                         renditions=[{"width": 480, "name": "photos/whole-480.webp"}])  # fmt: skip
    stray = default_storage.save("photos/stray.jpg", ContentFile(b"jpeg"))
    assert check_photos() == ["photo " + str(Photo.objects.get().pk) +
                              ": photos/whole-480.webp is missing", f"{stray} has no row"]  # fmt: skip
