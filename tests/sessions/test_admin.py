"""Admin data entry: every changelist runs a fixed number of queries, whatever the row count."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import Visibility
from sessions.versions import HeldSchedule, ScheduleChange, ScheduleVersion
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    NoteFactory,
    PhotoFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    StarFactory,
    TrackFactory,
    UserFactory,
    WriteUpFactory,
)

pytestmark = pytest.mark.django_db


def populate(count):
    """`count` of every kind of object, spread over conferences, with speakers on sessions."""
    for i in range(count):
        conference = ConferenceFactory()
        speakers = [SpeakerFactory(conference=conference) for _ in range(2)]
        track = TrackFactory(conference=conference)
        session = SessionFactory(conference=conference, track=track, speakers=speakers)
        user = UserFactory()
        NoteFactory(author=user, session=session, visibility=Visibility.PUBLIC)
        PhotoFactory(owner=user, session=session)
        StarFactory(user=user, session=session)
        WriteUpFactory(author=user, conference=conference, title=f"Write-up {i}")
        version = ScheduleVersion.objects.create(
            conference=conference, number=1, origin="sync", counts={"title": 1}
        )
        ScheduleChange.objects.create(
            version=version,
            session=session,
            session_title=session.title,
            starts_at=session.starts_at,
            kind="title",
            old="Before",
            new=session.title,
        )
        HeldSchedule.objects.create(
            conference=conference,
            source="https://example.org/s.xml",
            data=b"<schedule/>",
            reason="would cancel 90 % of the programme",
            summary=["Removed: 9 sessions"],
            decided_by=user,
            status=HeldSchedule.Status.REJECTED,
        )


def changelist_urls():
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if model._meta.app_label in {"program", "notes"}
    ]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.mark.parametrize("url", changelist_urls())
def test_changelist_query_count_does_not_grow_with_rows(staff_client, url):
    populate(1)
    small, _ = count_queries(staff_client, url)
    populate(3)
    large, response = count_queries(staff_client, url)
    assert large == small, f"{url}: {small} queries for 1 row each, {large} for 4"
    assert "result_list" in response.text


def test_admin_lists_cover_every_model():
    assert sorted(changelist_urls()) == sorted(
        [
            "/admin/program/conference/",
            "/admin/program/day/",
            "/admin/program/room/",
            "/admin/program/track/",
            "/admin/program/speaker/",
            "/admin/program/session/",
            "/admin/program/scheduleversion/",
            "/admin/program/heldschedule/",
            "/admin/notes/note/",
            "/admin/notes/photo/",
            "/admin/notes/star/",
            "/admin/notes/writeup/",
        ]
    )


def test_session_admin_searches_speakers_and_filters(staff_client):
    speaker = SpeakerFactory(name="박해선")
    session = SessionFactory(conference=speaker.conference, speakers=[speaker], title="레거시")
    SessionFactory(conference=speaker.conference, title="Something else")
    response = staff_client.get("/admin/program/session/", {"q": "박해선"})
    assert "레거시" in response.text
    assert "Something else" not in response.text
    response = staff_client.get(
        "/admin/program/session/", {"kind": "talk", "day__id__exact": session.day_id}
    )
    assert "레거시" in response.text and "Something else" in response.text


def test_session_add_form_has_markdown_editor_and_speaker_autocomplete(staff_client):
    conference = ConferenceFactory()
    response = staff_client.get("/admin/program/session/add/", {"conference": conference.pk})
    assert 'class="markdownx"' in response.text or "markdownx-editor" in response.text
    assert "admin-autocomplete" in response.text


def test_saving_a_session_in_the_admin_marks_its_conference_changed(staff_client):
    session = SessionFactory()
    before = session.conference.changed_at
    data = {
        "conference": session.conference_id,
        "title": "Retitled",
        "subtitle": "",
        "slug": session.slug,
        "kind": "talk",
        "day": session.day_id,
        "starts_at_0": "2025-08-15",
        "starts_at_1": "10:00:00",
        "ends_at_0": "2025-08-15",
        "ends_at_1": "10:40:00",
        "room": session.room_id,
        "track": "",
        "abstract": "**new**",
        "description": "",
        "language": "ko",
        "level": "",
        "slides_url": "",
        "video_url": "",
        "website_url": "",
        "session_speakers-TOTAL_FORMS": "0",
        "session_speakers-INITIAL_FORMS": "0",
        "session_speakers-MIN_NUM_FORMS": "0",
        "session_speakers-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(f"/admin/program/session/{session.pk}/change/", data)
    assert response.status_code == 302, response.text[:2000]
    session.refresh_from_db()
    session.conference.refresh_from_db()
    assert session.title == "Retitled"
    # Typed in the conference's zone (Asia/Seoul), stored in UTC.
    assert session.starts_at.isoformat() == "2025-08-15T01:00:00+00:00"
    assert session.abstract_html == "<p><strong>new</strong></p>"
    assert session.conference.changed_at > before


def test_moving_a_session_to_another_conference_marks_both_changed(staff_client):
    session = SessionFactory()
    old = session.conference
    new = ConferenceFactory(slug="elsewhere", timezone="Asia/Seoul")
    day = DayFactory(conference=new, date=old.start_date, index=1)
    room = RoomFactory(conference=new)
    before_old, before_new = old.changed_at, new.changed_at
    data = {
        "conference": new.pk, "title": session.title, "subtitle": "", "slug": session.slug,
        "kind": "talk", "day": day.pk, "starts_at_0": "2025-08-15", "starts_at_1": "10:00:00",
        "ends_at_0": "2025-08-15", "ends_at_1": "10:40:00", "room": room.pk, "track": "",
        "abstract": "", "description": "", "language": "", "level": "", "slides_url": "",
        "video_url": "", "website_url": "", "session_speakers-TOTAL_FORMS": "0",
        "session_speakers-INITIAL_FORMS": "0", "session_speakers-MIN_NUM_FORMS": "0",
        "session_speakers-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = staff_client.post(f"/admin/program/session/{session.pk}/change/", data)
    assert response.status_code == 302, response.text[:2000]
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.changed_at > before_new
    # The conference it left no longer shows it: its pages must be drawn again.
    assert old.changed_at > before_old


def test_note_admin_is_read_only_for_staff(staff_client):
    note = NoteFactory()
    response = staff_client.get(f"/admin/notes/note/{note.pk}/change/")
    assert response.status_code == 200
    assert note.body in response.text
    assert 'name="body"' not in response.text
    response = staff_client.get("/admin/notes/note/add/")
    assert response.status_code == 403


def test_session_form_and_list_show_times_in_the_conference_zone(staff_client):
    session = SessionFactory()  # 01:00 UTC = 10:00 Asia/Seoul
    response = staff_client.get(f"/admin/program/session/{session.pk}/change/")
    assert 'value="10:00:00"' in response.text
    assert "In the conference's time zone (Asia/Seoul)." in response.text
    response = staff_client.get("/admin/program/session/")
    assert "2025-08-15 10:00–10:40 (Asia/Seoul)" in response.text
