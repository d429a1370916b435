"""The day timeline in real Chromium: a grid on a laptop, a list on a phone."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from sessions.models import Session
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)
from tests.support.public_programme import KOREAN_TITLES, SEOUL

pytestmark = pytest.mark.usefixtures("transactional_db")


def running_day():
    """Today's programme in Seoul: five rooms, talks every 50 minutes around now, two talks
    that overlap in one room, a lunch break across all rooms."""
    now = timezone.now()
    today = timezone.localtime(now, SEOUL).date()
    conference = ConferenceFactory(
        slug="live", timezone="Asia/Seoul", start_date=today, end_date=today
    )
    day = DayFactory(conference=conference, index=1, date=today)
    rooms = [
        RoomFactory(conference=conference, name=f"{101 + n}호 세미나실", order=n) for n in range(5)
    ]
    tracks = [
        TrackFactory(conference=conference, name="AI · ML", color="#7c3aed"),
        TrackFactory(conference=conference, name="Web", color="#0284c7"),
    ]
    # Slots on the ten minutes, from two hours ago to three hours ahead.
    first = now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
    first -= timedelta(hours=2)
    number = 0
    for slot in range(6):
        starts_at = first + timedelta(minutes=50 * slot)
        for room in rooms:
            if slot == 3:
                continue  # lunch
            SessionFactory(
                conference=conference, day=day, room=room, track=tracks[number % 2],
                title=f"{KOREAN_TITLES[number % len(KOREAN_TITLES)]} ({number})",
                starts_at=starts_at, ends_at=starts_at + timedelta(minutes=40),
                speakers=[SpeakerFactory(conference=conference, name=f"발표자 {number}")],
            )  # fmt: skip
            number += 1
    SessionFactory(
        conference=conference, day=day, room=None, kind=Session.Kind.BREAK, title="점심 · Lunch",
        starts_at=first + timedelta(minutes=150), ends_at=first + timedelta(minutes=190),
    )  # fmt: skip
    # Two workshops that overlap in the first room, beside its talks.
    for offset in (0, 20):
        SessionFactory(
            conference=conference, day=day, room=rooms[0], kind=Session.Kind.WORKSHOP,
            title=f"Workshop at +{offset}", starts_at=first + timedelta(minutes=offset),
            ends_at=first + timedelta(minutes=offset + 90),
        )  # fmt: skip
    return day


def boxes(page, selector):
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => { const r = e.getBoundingClientRect();
            return {id: e.id, x: r.x, y: r.y, right: r.right, bottom: r.bottom,
                    visible: r.width > 0 && r.height > 0}; })""",
    )


def overlap(a, b):
    return min(a["right"], b["right"]) - max(a["x"], b["x"]) > 1 and (
        min(a["bottom"], b["bottom"]) - max(a["y"], b["y"]) > 1
    )


def test_desktop_grid_has_no_overlaps_sticky_headers_and_a_now_line(new_context):
    day = running_day()
    page = new_context(DESKTOP, timezone_id="America/New_York").new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(day.get_absolute_url())

    sessions = boxes(page, ".tl > .s:not(.is-all-rooms)")
    assert len(sessions) == 27
    clashes = [
        (a["id"], b["id"])
        for i, a in enumerate(sessions)
        for b in sessions[i + 1 :]
        if overlap(a, b)
    ]
    assert clashes == []
    # Every box's text fits inside it: rows grow rather than spill.
    spills = page.eval_on_selector_all(
        ".tl > .s",
        "els => els.filter(e => e.querySelector('.s-in').getBoundingClientRect().bottom"
        " > e.getBoundingClientRect().bottom + 1).map(e => e.id)",
    )
    assert spills == []
    # The two overlapping workshops sit side by side under the first room's header.
    header = boxes(page, ".tl-room")[0]
    workshops = boxes(page, ".k-workshop")
    assert all(header["x"] - 1 <= w["x"] and w["right"] <= header["right"] + 1 for w in workshops)
    assert workshops[0]["right"] <= workshops[1]["x"] + 1

    # Room names stay on top while the day scrolls down, times stay left when it scrolls across.
    scroller = page.locator(".tl-scroll")
    scroller.evaluate("el => el.scrollTo(0, 400)")
    top = scroller.bounding_box()["y"]
    assert abs(page.locator(".tl-room").first.bounding_box()["y"] - top) < 2
    page.set_viewport_size({"width": 800, "height": 700})
    scroller.evaluate("el => el.scrollTo(300, 400)")
    left = scroller.bounding_box()["x"]
    assert abs(page.locator(".tl-time").nth(10).bounding_box()["x"] - (left + 1)) < 2

    # The "now" line lies between the rows around now, and the session on now is marked.
    line = page.locator(".tl-now")
    assert line.is_visible()
    assert page.locator(".tl .s.is-now").count() == 5

    # A visitor in New York can switch to their own time.
    toggle = page.locator("[data-tz-toggle]")
    before = page.locator(".tl .s-when time").first.inner_text()
    toggle.click()
    after = page.locator(".tl .s-when time").first.inner_text()
    assert before != after
    assert "America/New_York" in page.locator("[data-tz-label]").inner_text()
    assert problems == []


def test_phone_reads_the_same_day_as_a_time_ordered_list(new_context):
    day = running_day()
    page = new_context(PHONE).new_page()
    page.goto(day.get_absolute_url())
    assert not page.locator(".tl-room").first.is_visible()
    assert not page.locator(".tl-now").is_visible()
    sessions = boxes(page, ".tl > .s")
    assert len(sessions) == 28
    for above, below in pairwise(sessions):
        assert below["y"] >= above["bottom"] - 1  # one after another, no overlap
    widths = {round(s["right"] - s["x"]) for s in sessions}
    assert len(widths) == 1 and widths.pop() > PHONE["width"] - 40
    starts = page.eval_on_selector_all(
        ".tl > .s", "els => els.map(e => e.querySelector('.s-when time').dateTime)"
    )
    assert starts == sorted(starts)
    # Nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
