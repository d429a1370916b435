"""An organiser in the admin, in real Chromium: adds a session by clicking an empty slot of the
programme grid and saving, moves two sessions to another room with a bulk action (through its
confirmation page), and the grid and session forms read well on a phone and a laptop in English
and Korean. Screenshots go to HUGI_SHOTS (default /tmp/shots) for a person to look at."""

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from sessions.models import Session
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("transactional_db")
SHOTS = Path(os.environ.get("HUGI_SHOTS", "/tmp/shots")) / "admin-grid"
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LOCALES = {"en": "en-GB", "ko": "ko-KR"}
SEOUL = ZoneInfo("Asia/Seoul")


def at(clock):
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 8, 15, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def world():
    UserFactory(username="organiser", is_staff=True, is_superuser=True)
    conference = ConferenceFactory(name="PyCon Korea 2025", slug="pycon-kr")
    day = DayFactory(conference=conference, index=1)
    DayFactory(conference=conference, index=2)
    rooms = [
        RoomFactory(conference=conference, name=name, order=i)
        for i, name in enumerate(["Hall A", "Room 101", "Room 102"])
    ]
    web, data = (TrackFactory(conference=conference, name=n, color=c) for n, c in
                 (("Web", "#1e5bb8"), ("Data", "#17703f")))  # fmt: skip
    kim, lee = (
        SpeakerFactory(conference=conference, name="김파이"),
        SpeakerFactory(conference=conference, name="Lee"),
    )
    plan = [
        ("Opening keynote", None, None, "09:30", "10:00", Session.Kind.KEYNOTE, [kim]),
        ("Django at scale", rooms[0], web, "10:00", "10:40", Session.Kind.TALK, [kim]),
        ("Pandas tricks", rooms[1], data, "10:00", "10:40", Session.Kind.TALK, [lee]),
        ("Async all the way", rooms[0], web, "11:00", "11:40", Session.Kind.TALK, [lee]),
        ("Lunch", None, None, "12:00", "13:00", Session.Kind.BREAK, []),
        ("Typing in practice", rooms[1], data, "13:00", "13:40", Session.Kind.TALK, [lee]),
    ]
    for title, room, track, start, end, kind, speakers in plan:
        SessionFactory(
            conference=conference, day=day, room=room, track=track, title=title, kind=kind,
            starts_at=at(start), ends_at=at(end), speakers=speakers,
        )  # fmt: skip
    # A clash for the page to list: Lee is in two rooms at 13:00.
    SessionFactory(
        conference=conference, day=day, room=rooms[2], title="Testing with pytest",
        starts_at=at("13:00"), ends_at=at("13:40"), speakers=[lee],
    )  # fmt: skip
    # Another conference, whose rooms and speakers must not be offered.
    other = ConferenceFactory(name="DebConf 23", slug="debconf23", timezone="Asia/Kolkata")
    RoomFactory(conference=other, name="Kuteeram")
    return conference, day, rooms


def admin_page(new_context, viewport=DESKTOP, language="en"):
    page = new_context(viewport, locale=LOCALES[language]).new_page()
    page.goto("/admin/login/", timeout=30_000)
    page.fill("input[name=username]", "organiser")
    page.fill("input[name=password]", "correct horse battery staple")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    return page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_adding_a_session_by_clicking_an_empty_slot(new_context, world):
    conference, day, rooms = world
    page = admin_page(new_context)
    page.goto(f"/admin/program/conference/{conference.pk}/change/")
    expect(page.locator(".hugi-clashes li")).to_have_count(1)
    page.get_by_role("link", name="Programme grid").click()
    slot = page.locator("a.tl-add[aria-label='Add a session in Room 102 at 10:30']")
    slot.hover()
    expect(slot.locator(".tl-add-time")).to_have_text("+ 10:30")
    slot.click()
    page.wait_for_url("**/admin/program/session/add/?*")
    expect(page.locator("select[name=room] option:checked")).to_have_text("Room 102")
    expect(page.locator("select[name=day] option:checked")).to_have_text("Day 1 · Fri 15 Aug")
    # Only this conference's rooms are offered.
    expect(page.locator("select[name=room] option:not([value=''])")).to_have_text(
        ["Hall A", "Room 101", "Room 102"]
    )
    expect(page.locator("input[name=starts_at_1]")).to_have_value("10:30:00")
    page.fill("input[name=title]", "Rust for Pythonistas")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("Rust for Pythonistas")
    added = Session.objects.get(title="Rust for Pythonistas")
    assert (added.room, added.day, added.starts_at, added.ends_at) == (
        rooms[2],
        day,
        at("10:30"),
        at("11:00"),
    )
    assert added.slug == "rust-for-pythonistas"
    page.goto(f"/admin/program/conference/{conference.pk}/grid/")
    expect(page.locator("article", has_text="Rust for Pythonistas")).to_be_visible()
    expect(page.locator("a.tl-add[aria-label='Add a session in Room 102 at 10:30']")).to_have_count(
        0
    )


def test_moving_two_sessions_with_a_bulk_action(new_context, world):
    conference, _day, rooms = world
    page = admin_page(new_context)
    page.goto(f"/admin/program/session/?conference__id__exact={conference.pk}")
    for title in ("Django at scale", "Async all the way"):
        row = page.locator("#result_list tbody tr", has_text=title)
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", "move_sessions_to_room")
    page.locator("button[name=index]").first.click()
    expect(page.locator("h1")).to_have_text("Move the selected sessions to a room")
    expect(page.locator(".hugi-bulk-list li")).to_have_count(2)
    expect(page.locator("select[name=room] option:not([value=''])")).to_have_text(
        ["Hall A", "Room 101", "Room 102"]
    )
    shot(page, "bulk-confirm-desktop-en")
    page.select_option("select[name=room]", label="Room 102")
    page.get_by_role("button", name="Yes, change them").click()
    expect(page.locator(".messagelist .success")).to_have_text("Moved to Room 102: 2 sessions.")
    moved = Session.objects.filter(title__in=["Django at scale", "Async all the way"])
    assert {session.room for session in moved} == {rooms[2]}


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_grid_and_session_form_read_well(new_context, world, size, language):
    conference, _day, _rooms = world
    page = admin_page(new_context, VIEWPORTS[size], language)
    assert page.locator("html").get_attribute("lang") == language
    page.goto(f"/admin/program/conference/{conference.pk}/grid/")
    expect(page.locator("article.s")).to_have_count(7)
    expect(page.locator(".hugi-clashes li")).to_have_count(1)
    if size == "desktop":
        # Rooms side by side: the talks at 10:00 start on one line, in their own columns.
        django, pandas = (page.locator("article", has_text=t) for t in ("Django", "Pandas"))
        assert django.bounding_box()["y"] == pandas.bounding_box()["y"]
        assert django.bounding_box()["x"] < pandas.bounding_box()["x"]
        expect(page.locator("a.tl-add").first).to_be_attached()
    else:
        expect(page.locator("a.tl-add").first).to_be_hidden()  # the list: add from the button
    assert overflow(page) <= 0
    shot(page, f"grid-{size}-{language}")
    page.goto(f"/admin/program/session/add/?conference={conference.pk}")
    expect(page.locator("select[name=day] option")).to_have_count(3)
    shot(page, f"session-add-{size}-{language}")
    page.goto("/admin/program/session/add/")
    expect(page.locator(".hugi-choose-list li")).to_have_count(2)
    shot(page, f"choose-{size}-{language}")
