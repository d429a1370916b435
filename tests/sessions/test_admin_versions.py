"""The live programme in the admin: the conference's schedule source, held files applied or
rejected by staff, the versions (read-only), and admin saves that are versions themselves. Every
form is posted as a browser would post the page's own form (read from the page)."""

from datetime import UTC, datetime
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.test import Client

from sessions.models import Conference, Session
from sessions.recording import recording
from sessions.versions import HeldSchedule, ScheduleSource, ScheduleVersion
from tests.sessions.frab_edits import edit
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def form_of(response, form_id) -> dict:
    """The values the page's form would send as it stands."""
    assert response.status_code == 200, response.status_code
    form = lxml.html.fromstring(response.content).get_element_by_id(form_id)
    return dict(form.form_values())


def conference_page(conference):
    return f"/admin/program/conference/{conference.pk}/change/"


def sync():
    call_command("sync_schedules", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def held(served):
    """A truncated DebConf 23 export, held by the sync."""
    edit(served, lambda schedule: schedule.keep_days(2))
    sync()
    return HeldSchedule.objects.get()


def decide(client, held, decision):
    return client.post(
        f"/admin/program/conference/{held.conference_id}/held/{held.pk}/{decision}/", follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the source ------------------------------------------------------------------------------


def test_the_conference_page_shows_its_source_and_the_last_fetch(staff, served):
    source = ScheduleSource.objects.get()
    ScheduleSource.objects.filter(pk=source.pk).update(outcome="not modified")

    page = staff.get(conference_page(source.conference))

    values = form_of(page, "conference_form")
    assert values["source-0-url"] == served.url
    assert values["source-0-enabled"] == "on"
    assert "not modified" in page.text
    assert source.etag.strip('"') in page.text
    assert 'name="source-0-etag"' not in page.text  # shown, not editable


def test_a_new_address_forgets_the_old_validators_and_unticking_stops_the_sync(staff, served):
    conference = Conference.objects.get()
    values = form_of(staff.get(conference_page(conference)), "conference_form")
    values["source-0-url"] = served.server.url + "/moved.xml"
    del values["source-0-enabled"]

    response = staff.post(conference_page(conference), values)

    assert response.status_code == 302
    source = ScheduleSource.objects.get()
    assert (source.url, source.enabled, source.etag, source.last_modified) == (
        served.server.url + "/moved.xml",
        False,
        "",
        "",
    )
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    assert out.getvalue() == ""


def test_deleting_the_source_stops_the_sync(staff, served):
    conference = Conference.objects.get()
    values = form_of(staff.get(conference_page(conference)), "conference_form")
    values["source-0-DELETE"] = "on"

    staff.post(conference_page(conference), values)

    assert ScheduleSource.objects.count() == 0


# --- held files --------------------------------------------------------------------------------


def test_a_held_file_is_listed_with_its_reason_what_it_would_change_and_two_buttons(staff, held):
    page = staff.get(conference_page(held.conference))

    assert "would cancel 68 % of the programme (80 of 117 sessions)" in page.text
    assert "Removed: 80 sessions (marked cancelled, not deleted)" in page.text
    buttons = lxml.html.fromstring(page.content).xpath("//button[@formaction]")
    assert [(b.text, b.get("formaction"), b.get("formmethod")) for b in buttons] == [
        ("Apply", f"/admin/program/conference/{held.conference_id}/held/{held.pk}/apply/", "post"),
        (
            "Reject",
            f"/admin/program/conference/{held.conference_id}/held/{held.pk}/reject/",
            "post",
        ),
    ]


def test_no_held_files_no_list(staff, served):
    page = staff.get(conference_page(Conference.objects.get()))

    assert "not applied until you decide" not in page.text


def test_applying_a_held_file_makes_it_a_version_from_the_sync(staff, held):
    response = decide(staff, held, "apply")

    assert response.redirect_chain == [(conference_page(held.conference), 302)]
    assert messages_of(response) == [f"Applied {held.source} as version 2: 80 cancelled."]
    version = ScheduleVersion.objects.get(number=2)
    assert (version.origin, version.source, version.counts) == (
        "sync",
        held.source,
        {"cancelled": 80},
    )
    held.refresh_from_db()
    assert (held.status, held.decided_by.username) == ("applied", "boss")
    assert held.decided_at is not None
    assert Session.objects.filter(cancelled=True).count() == 80
    # The file it applied is no news to the next sync.
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    assert out.getvalue() == "debconf23: not modified\n"


def test_rejecting_a_held_file_keeps_the_programme_and_the_same_file_is_then_old_news(staff, held):
    response = decide(staff, held, "reject")

    assert messages_of(response) == [f"Rejected {held.source}: the programme stays as it is."]
    held.refresh_from_db()
    assert held.status == "rejected"
    assert Session.objects.filter(cancelled=True).count() == 0
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    assert out.getvalue() == "debconf23: not modified\n"
    assert HeldSchedule.objects.count() == 1


def test_a_decided_file_cannot_be_decided_again(staff, held):
    decide(staff, held, "reject")

    response = decide(staff, held, "apply")

    assert messages_of(response) == ["That schedule was already decided (rejected)."]
    assert ScheduleVersion.objects.count() == 1


def test_deciding_is_post_only_and_for_staff_who_may_change_conferences(client, staff, held):
    url = f"/admin/program/conference/{held.conference_id}/held/{held.pk}/apply/"
    assert staff.get(url).status_code == 405

    viewer = Client()
    viewer.force_login(UserFactory(username="viewer", is_staff=True))
    assert viewer.post(url).status_code == 403
    anonymous = Client().post(url)
    assert (anonymous.status_code, anonymous["Location"].startswith("/admin/login/")) == (
        302,
        True,
    )
    other = ConferenceFactory()
    assert (
        staff.post(f"/admin/program/conference/{other.pk}/held/{held.pk}/apply/").status_code == 404
    )
    assert HeldSchedule.objects.get().status == "held"


def test_held_files_list_and_its_actions(staff, held):
    listing = staff.get("/admin/program/heldschedule/")
    assert "would cancel 68 %" in listing.text

    response = staff.post(
        "/admin/program/heldschedule/",
        {"action": "reject_selected", "_selected_action": [held.pk]},
        follow=True,
    )

    assert messages_of(response) == [f"Rejected {held.source}: the programme stays as it is."]
    assert HeldSchedule.objects.get().status == "rejected"
    assert staff.get(f"/admin/program/heldschedule/{held.pk}/change/").status_code == 200


# --- versions --------------------------------------------------------------------------------


def test_versions_are_listed_and_shown_with_their_changes_read_only(staff, served):
    edit(served, lambda schedule: schedule.retitle("Why Debian", "Why Debian?"))
    sync()
    version = ScheduleVersion.objects.get(number=2)

    listing = staff.get("/admin/program/scheduleversion/")
    page = staff.get(f"/admin/program/scheduleversion/{version.pk}/change/")

    assert "1 retitled" in listing.text
    assert "published" in listing.text
    assert "Why Debian?" in page.text and "retitled" in page.text
    assert 'name="number"' not in page.text
    assert staff.get("/admin/program/scheduleversion/add/").status_code == 403
    assert staff.post(f"/admin/program/scheduleversion/{version.pk}/delete/").status_code == 403


# --- admin saves are versions ----------------------------------------------------------------


@pytest.fixture
def talk():
    """A published talk with two speakers, from 10:00 to 10:40 in Seoul, and a second room."""
    conference = ConferenceFactory(timezone="Asia/Seoul")
    day = DayFactory(conference=conference, index=1)
    room = RoomFactory(conference=conference, name="Hall A")
    RoomFactory(conference=conference, name="Room 101")
    speakers = [SpeakerFactory(conference=conference, name=name) for name in ("Ada", "Bo")]
    with recording(conference, origin=ScheduleVersion.Origin.IMPORT):
        session = SessionFactory(
            conference=conference,
            day=day,
            room=room,
            title="Talk",
            starts_at=datetime(2025, 8, 15, 1, 0, tzinfo=UTC),
            speakers=speakers,
        )
    return session


def session_page(session):
    return f"/admin/program/session/{session.pk}/change/"


def test_a_session_saved_in_the_admin_is_one_version_of_what_changed(staff, talk):
    values = form_of(staff.get(session_page(talk)), "session_form")
    values.update(
        {
            "title": "Talk, retitled",
            "starts_at_1": "14:00:00",
            "ends_at_1": "14:30:00",
            "room": str(talk.conference.rooms.get(name="Room 101").pk),
            "session_speakers-1-DELETE": "on",
        }
    )

    response = staff.post(session_page(talk), values)

    assert response.status_code == 302, response.text[:3000]
    version = ScheduleVersion.objects.get(number=2)
    assert (version.origin, version.source) == ("admin", "")
    assert sorted(version.changes.values_list("kind", "old", "new")) == [
        ("room", "Hall A", "Room 101"),
        ("speakers", "Ada, Bo", "Ada"),
        ("time", "10:00–10:40", "14:00–14:30"),
        ("title", "Talk", "Talk, retitled"),
    ]
    assert Session.objects.get(pk=talk.pk).sequence == 1


def test_cancelling_in_the_admin_is_a_version(staff, talk):
    values = form_of(staff.get(session_page(talk)), "session_form")
    values["cancelled"] = "on"

    staff.post(session_page(talk), values)

    version = ScheduleVersion.objects.get(number=2)
    assert list(version.changes.values_list("kind", flat=True)) == ["cancelled"]


def test_an_unchanged_or_invalid_save_makes_no_version(staff, talk):
    values = form_of(staff.get(session_page(talk)), "session_form")
    assert staff.post(session_page(talk), {**values, "abstract": "New text"}).status_code == 302

    invalid = staff.post(session_page(talk), {**values, "title": "X", "ends_at_1": "09:00:00"})

    assert invalid.status_code == 200
    assert ScheduleVersion.objects.count() == 1
    assert Session.objects.get(pk=talk.pk).title == "Talk"


def test_a_session_added_in_the_admin_is_new(staff, talk):
    values = form_of(
        staff.get(f"/admin/program/session/add/?conference={talk.conference_id}"), "session_form"
    )
    values.update(
        {
            "conference": str(talk.conference_id),
            "title": "Added",
            "slug": "added",
            "day": str(talk.day_id),
            "starts_at_0": "2025-08-15",
            "starts_at_1": "16:00:00",
            "ends_at_0": "2025-08-15",
            "ends_at_1": "16:30:00",
        }
    )

    response = staff.post("/admin/program/session/add/", values)

    assert response.status_code == 302, response.text[:3000]
    assert list(
        ScheduleVersion.objects.get(number=2).changes.values_list("kind", "session_title")
    ) == [("new", "Added")]


def test_renaming_a_room_on_the_conference_page_changes_its_sessions_room(staff, talk):
    conference = talk.conference
    values = form_of(staff.get(conference_page(conference)), "conference_form")
    index = next(
        key.split("-")[1]
        for key, value in values.items()
        if key.startswith("rooms-") and value == "Hall A"
    )
    values[f"rooms-{index}-name"] = "Grand Hall"

    response = staff.post(conference_page(conference), values)

    assert response.status_code == 302, response.text[:3000]
    change = ScheduleVersion.objects.get(number=2).changes.get()
    assert (change.session_id, change.kind, change.old, change.new) == (
        talk.pk,
        "room",
        "Hall A",
        "Grand Hall",
    )


def test_moving_a_session_to_another_conference_cancels_it_in_the_first_and_adds_it_to_the_second(
    staff, talk
):
    other = ConferenceFactory(timezone="Asia/Seoul")
    day = DayFactory(conference=other, index=1)
    values = form_of(staff.get(session_page(talk)), "session_form")
    values.update({"conference": str(other.pk), "day": str(day.pk), "room": ""})
    values = {
        key: value for key, value in values.items() if not key.startswith("session_speakers-")
    }
    values.update(
        {
            "session_speakers-TOTAL_FORMS": "0",
            "session_speakers-INITIAL_FORMS": "0",
            "session_speakers-MIN_NUM_FORMS": "0",
            "session_speakers-MAX_NUM_FORMS": "1000",
        }
    )
    SessionFactory(conference=other, day=day, title="Already there")

    response = staff.post(session_page(talk), values)

    assert response.status_code == 302, response.text[:3000]
    left = talk.conference.versions.get(number=2).changes.get()
    assert (left.session_id, left.kind, left.session_title) == (None, "cancelled", "Talk")
    arrived = other.versions.order_by("number").last()
    assert [(c.session_id, c.kind) for c in arrived.changes.all()] == [(talk.pk, "new")]


def test_address_import_in_the_admin_remembers_the_source(staff, settings, served):
    ScheduleSource.objects.all().delete()
    conference = Conference.objects.get()
    url = f"/admin/program/conference/{conference.pk}/import/"

    preview = staff.post(url, {"url": served.url})
    confirm = {
        name: value
        for name, value in lxml.html.fromstring(preview.content)
        .xpath("//form[.//input[@name='upload']]")[0]
        .form_values()
    }
    confirm["confirm"] = "1"
    staff.post(url, confirm)

    source = ScheduleSource.objects.get()
    assert (source.conference, source.url, source.enabled, source.outcome) == (
        conference,
        served.url,
        True,
        "imported",
    )
    assert source.fetched_at is not None


def test_the_conference_page_saves_as_before_while_a_file_is_held(staff, held):
    values = form_of(staff.get(conference_page(held.conference)), "conference_form")
    values["name"] = "DebConf 23 (Kochi)"

    response = staff.post(conference_page(held.conference), values)

    assert response.status_code == 302, response.text[:3000]
    assert Conference.objects.get().name == "DebConf 23 (Kochi)"
    assert HeldSchedule.objects.get().status == "held"
