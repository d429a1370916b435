"""Importing from the admin: upload or URL, preview what will change, confirm."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from notes.models import Note
from sessions.models import Conference, Session
from tests.support.factories import NoteFactory, UserFactory
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES
DEMOCON = FIXTURES / "pretalx-democon.json"
NEW_URL = "/admin/program/conference/import/"


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def upload(data: bytes, name="pretalx-democon.json"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_uploads():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def confirm_fields(html: str) -> dict:
    return {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }


def test_new_conference_preview_then_confirm(admin_client):
    page = admin_client.get(NEW_URL)
    assert page.status_code == 200
    assert 'type="file" name="file"' in page.text

    preview = admin_client.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())})

    assert preview.status_code == 200
    assert "A new conference “DemoCon” (democon) will be created." in preview.text
    assert "Created: 3 days, 2 rooms, 2 tracks, 27 speakers, 36 sessions" in preview.text
    assert Conference.objects.count() == 0  # nothing written by the preview
    fields = confirm_fields(preview.text)
    assert stored_uploads() == [fields["upload"]]
    assert (fields["source_name"], fields["slug"]) == ("pretalx-democon.json", "democon")

    done = admin_client.post(NEW_URL, {**fields, "confirm": "Import"})

    conference = Conference.objects.get(slug="democon")
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:program_conference_change", args=[conference.pk])
    assert conference.sessions.count() == 36
    assert stored_uploads() == []
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == [
        "Imported pretalx-democon.json into “DemoCon”. Created: 3 days, 2 rooms, 2 tracks, "
        "27 speakers, 36 sessions"
    ]


def test_conference_import_shows_changes_and_keeps_notes(admin_client, owner):
    admin_client.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())})
    fields = confirm_fields(admin_client.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())}).text)
    admin_client.post(NEW_URL, {**fields, "confirm": "Import"})
    conference = Conference.objects.get()
    session = Session.objects.get(title="Focused 5thgeneration hardware")
    note = NoteFactory(author=owner, session=session)
    url = reverse("admin:program_conference_import", args=[conference.pk])
    newer = DEMOCON.read_text().replace("Focused 5thgeneration hardware", "Focused, retitled")

    preview = admin_client.post(url, {"file": upload(newer.encode())})

    assert "The conference “DemoCon” (democon) will be updated." in preview.text
    assert "Changed: 1 session" in preview.text
    assert "Focused, retitled" in preview.text
    done = admin_client.post(url, {**confirm_fields(preview.text), "confirm": "Import"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.title == "Focused, retitled"
    assert Note.objects.get().session_id == session.pk == note.session_id


def test_unchanged_schedule_preview_says_so_and_cannot_be_confirmed(admin_client):
    fields = confirm_fields(admin_client.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())}).text)
    admin_client.post(NEW_URL, {**fields, "confirm": "Import"})
    url = reverse("admin:program_conference_import", args=[Conference.objects.get().pk])

    preview = admin_client.post(url, {"file": upload(DEMOCON.read_bytes())})

    assert "No changes." in preview.text
    assert 'value="Nothing to import" class="default" disabled' in preview.text


def test_bad_file_shows_the_error_and_changes_nothing(admin_client):
    response = admin_client.post(
        NEW_URL, {"file": upload((FIXTURES / "invalid-example.json").read_bytes(), "bad.json")}
    )

    assert response.status_code == 400
    assert (
        "bad.json: schedule.conference.days[0].rooms[&quot;Winterchaos&quot;][0].id: expected an "
        "integer, got the string &#x27;2814&#x27;" in response.text
    )
    assert Conference.objects.count() == 0
    assert stored_uploads() == []


def test_file_or_url_is_required(admin_client):
    response = admin_client.post(NEW_URL, {})

    assert response.status_code == 400
    assert "Upload a file or give an address (one of the two)." in response.text


def test_confirm_with_an_unknown_or_forged_upload_name_is_refused(admin_client):
    expired = admin_client.post(
        NEW_URL,
        {"upload": "a" * 32, "source_name": "x.json", "slug": "x", "confirm": "Import"},
    )
    forged = admin_client.post(
        NEW_URL,
        {"upload": "../../settings.py" + "a" * 15, "source_name": "x", "confirm": "Import"},
    )

    assert expired.status_code == forged.status_code == 400
    assert (
        "The uploaded schedule is no longer here (it was imported, or it expired)." in expired.text
    )
    assert "The import form was incomplete." in forged.text
    assert Conference.objects.count() == 0


def test_only_staff_with_permission_may_import(client, owner):
    assert client.get(NEW_URL).status_code == 302  # to the admin login
    staff = Client()
    staff.force_login(UserFactory(username="staff", is_staff=True))
    assert staff.get(NEW_URL).status_code == 403
    assert staff.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())}).status_code == 403


def test_buttons_on_the_changelist_and_the_change_form(admin_client):
    fields = confirm_fields(admin_client.post(NEW_URL, {"file": upload(DEMOCON.read_bytes())}).text)
    admin_client.post(NEW_URL, {**fields, "confirm": "Import"})
    conference = Conference.objects.get()

    changelist = admin_client.get("/admin/program/conference/")
    change = admin_client.get(reverse("admin:program_conference_change", args=[conference.pk]))

    assert f'<a href="{NEW_URL}">Import a conference</a>' in changelist.text
    import_url = reverse("admin:program_conference_import", args=[conference.pk])
    assert f'<a href="{import_url}">Import schedule</a>' in change.text
