"""Bulk actions on the session list: each goes through a confirmation page, writes all the
selected sessions or none, and is one schedule version (origin admin) like any other edit."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from lxml import html as lxml_html

from sessions.models import Session
from sessions.versions import ScheduleChange, ScheduleVersion
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
CHANGELIST = "/admin/program/session/"


def at(clock):
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 8, 15, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def world():
    conference = ConferenceFactory(name="PyCon Bulk")
    day = DayFactory(conference=conference, index=1)
    hall, lab = (
        RoomFactory(conference=conference, name="Hall"),
        RoomFactory(conference=conference, name="Lab"),
    )
    first = SessionFactory(
        conference=conference, day=day, room=hall, title="First",
        starts_at=at("10:00"), ends_at=at("10:30"),
    )  # fmt: skip
    second = SessionFactory(
        conference=conference, day=day, room=hall, title="Second",
        starts_at=at("22:00"), ends_at=at("23:00"),
    )  # fmt: skip
    with_version_one(conference)
    return conference, (hall, lab), (first, second)


def with_version_one(conference):
    ScheduleVersion.objects.create(conference=conference, number=1, origin="admin")


def act(staff, action, sessions, **fields):
    """The action's confirmation page, as the session list's action form asks for it."""
    data = {"action": action, "_selected_action": [s.pk for s in sessions], **fields}
    return staff.post(CHANGELIST, data)


def confirm(staff, action, sessions, **fields):
    page = act(staff, action, sessions)
    assert page.status_code == 200
    form = lxml_html.fromstring(page.text).xpath("//form[.//input[@name='apply']]")[0]
    data = dict(form.form_values())
    data.setdefault("_selected_action", [s.pk for s in sessions])
    data["_selected_action"] = [
        i.get("value") for i in form.xpath(".//input[@name='_selected_action']")
    ]
    return staff.post(CHANGELIST, {**data, **fields, "apply": "yes"})


def latest_changes(conference):
    version = ScheduleVersion.objects.filter(conference=conference).order_by("-number").first()
    return version, sorted(
        (c.session_title, c.kind, c.old, c.new)
        for c in ScheduleChange.objects.filter(version=version)
    )


def test_the_confirmation_page_lists_the_sessions_and_changes_nothing(staff, world):
    conference, _rooms, sessions = world
    page = act(staff, "shift_sessions", sessions)
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    listed = [
        " ".join(li.text_content().split()) for li in tree.xpath("//ul[@class='hugi-bulk-list']/li")
    ]
    assert listed == ["First Fri 15 Aug 10:00–10:30 · Hall", "Second Fri 15 Aug 22:00–23:00 · Hall"]
    assert tree.xpath("//input[@name='minutes']")
    assert Session.objects.get(pk=sessions[0].pk).starts_at == at("10:00")
    assert ScheduleVersion.objects.filter(conference=conference).count() == 1


def test_shifting_moves_every_selected_session_as_one_version(staff, world):
    conference, _rooms, (first, second) = world
    response = confirm(staff, "shift_sessions", [first, second], minutes="-15")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.starts_at, first.ends_at) == (at("09:45"), at("10:15"))
    assert (second.starts_at, second.ends_at) == (at("21:45"), at("22:45"))
    version, changes = latest_changes(conference)
    assert (version.number, version.origin) == (2, "admin")
    assert changes == [
        ("First", "time", "10:00–10:30", "09:45–10:15"),
        ("Second", "time", "22:00–23:00", "21:45–22:45"),
    ]
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == ["Shifted by -15 minutes: 2 sessions."]
    assert LogEntry.objects.filter(object_id__in=[str(first.pk), str(second.pk)]).count() == 2


def test_a_shift_off_the_day_changes_nothing_and_says_which(staff, world):
    conference, _rooms, (first, second) = world
    response = confirm(staff, "shift_sessions", [first, second], minutes="150")
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.text)
    assert [e.text_content() for e in tree.xpath("//p[@class='errornote']")] == [
        "“Second” would move from Fri 15 Aug to Sat 16 Aug: change its day in its form."
    ]
    first.refresh_from_db()
    assert first.starts_at == at("10:00")  # not even the one that could move
    assert ScheduleVersion.objects.filter(conference=conference).count() == 1


@pytest.mark.parametrize("minutes", ["0", "abc", "100000"])
def test_a_shift_that_is_not_a_number_of_minutes_is_refused(staff, world, minutes):
    _conference, _rooms, sessions = world
    response = confirm(staff, "shift_sessions", sessions, minutes=minutes)
    assert response.status_code == 400
    assert 'class="errorlist' in response.text
    assert Session.objects.get(pk=sessions[0].pk).starts_at == at("10:00")


def test_moving_to_a_room_records_the_room_change(staff, world):
    conference, (_hall, lab), sessions = world
    response = confirm(staff, "move_sessions_to_room", sessions, room=str(lab.pk))
    assert response.status_code == 302
    assert set(Session.objects.filter(room=lab).values_list("title", flat=True)) == {
        "First",
        "Second",
    }
    _version, changes = latest_changes(conference)
    assert changes == [("First", "room", "Hall", "Lab"), ("Second", "room", "Hall", "Lab")]


def test_a_room_of_another_conference_is_refused_in_one_line(staff, world):
    _conference, _rooms, sessions = world
    elsewhere = RoomFactory(name="Elsewhere")
    response = confirm(staff, "move_sessions_to_room", sessions, room=str(elsewhere.pk))
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.text)
    assert [e.text_content() for e in tree.xpath("//ul[contains(@class,'errorlist')]/li")] == [
        "That room is not one of PyCon Bulk's rooms."
    ]
    assert not Session.objects.filter(room=elsewhere).exists()


def test_the_room_choices_are_the_conference_rooms(staff, world):
    _conference, _rooms, sessions = world
    RoomFactory(name="Elsewhere")
    tree = lxml_html.fromstring(act(staff, "move_sessions_to_room", sessions).text)
    assert tree.xpath("//select[@name='room']/option[@value!='']/text()") == ["Hall", "Lab"]


def test_setting_and_clearing_the_track(staff, world):
    conference, _rooms, sessions = world
    track = TrackFactory(conference=conference, name="Data")
    before = conference.changed_at
    assert confirm(staff, "set_sessions_track", sessions, track=str(track.pk)).status_code == 302
    assert set(Session.objects.values_list("track__name", flat=True)) == {"Data"}
    conference.refresh_from_db()
    assert conference.changed_at > before  # the timeline shows tracks
    assert confirm(staff, "set_sessions_track", sessions, track="").status_code == 302
    assert set(Session.objects.values_list("track", flat=True)) == {None}


def test_cancel_and_restore_are_versions(staff, world):
    conference, _rooms, (first, _second) = world
    assert confirm(staff, "cancel_sessions", [first]).status_code == 302
    assert list(Session.objects.filter(cancelled=True).values_list("title", flat=True)) == ["First"]
    assert latest_changes(conference)[1] == [("First", "cancelled", "", "")]
    assert confirm(staff, "restore_sessions", [first]).status_code == 302
    assert not Session.objects.filter(cancelled=True).exists()
    version, changes = latest_changes(conference)
    assert (version.number, changes) == (3, [("First", "restored", "", "")])


def test_sessions_of_two_conferences_are_refused(staff, world):
    _conference, _rooms, (first, _second) = world
    other = SessionFactory(title="Other conference's")
    response = act(staff, "cancel_sessions", [first, other])
    assert response.status_code == 302
    response = staff.get(CHANGELIST)
    assert "Choose sessions of one conference at a time" in response.text
    assert not Session.objects.filter(cancelled=True).exists()


def test_a_get_changes_nothing(staff, world):
    _conference, _rooms, sessions = world
    response = staff.get(
        CHANGELIST, {"action": "cancel_sessions", "_selected_action": sessions[0].pk}
    )
    assert response.status_code == 302  # the list, told the address was not one it knows
    assert not Session.objects.filter(cancelled=True).exists()


def test_select_all_over_an_empty_list_does_nothing(staff, world):
    _conference, _rooms, sessions = world
    response = staff.post(
        f"{CHANGELIST}?q=no-such-title",
        {"action": "cancel_sessions", "select_across": "1", "_selected_action": [sessions[0].pk]},
    )
    assert response.status_code == 302
    assert not Session.objects.filter(cancelled=True).exists()
