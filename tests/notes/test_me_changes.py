"""My hugi's "Changed since you last looked": the user's starred sessions that a schedule version
changed after they last looked (and after they starred them), what changed, their clashes again;
dismissed with a POST. And a starred session that is cancelled or moved says so in "now"."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notes.models import ChangesSeen, Star
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    StarFactory,
    UserFactory,
)
from tests.support.public_programme import SEOUL, by_class, page, seoul, texts
from tests.support.version_factories import (
    PUBLISHED_AT,
    cancelled,
    changed_programme,
    moved,
    new_version,
    publish,
    room_changed,
)

pytestmark = pytest.mark.django_db
ME = "/me/"
STARRED_AT = PUBLISHED_AT + timedelta(days=1)  # after version 1, before the sync


def star(user, *sessions, at=STARRED_AT):
    """Star the sessions as the user did at `at`."""
    for session in sessions:
        StarFactory(user=user, session=session)
    Star.objects.filter(user=user, session__in=sessions).update(created_at=at)


def panel(response):
    """{conference: [(title, badges, lines, clash)]} of the changed-stars panel."""
    found = {}
    for group in page(response).xpath(by_class("changed-group")):
        entries = []
        for item in group.xpath(f".{by_class('change')}"):
            lines = []
            for li in item.xpath(f".{by_class('change-lines')}/li"):
                for hidden in li.xpath(f".{by_class('visually-hidden')}"):
                    hidden.drop_tree()
                lines.append(" ".join(li.text_content().split()))
            clash = item.xpath(f".{by_class('clash')}")
            entries.append(
                (
                    item.xpath(f".{by_class('change-title')}")[0].text_content(),
                    [tag.text_content() for tag in item.xpath(f".{by_class('tag-change')}")],
                    lines,
                    " ".join(clash[0].text_content().split()) if clash else "",
                )
            )
        found[group.xpath(".//h3")[0].text_content()] = entries
    return found


def test_my_starred_sessions_that_changed_are_listed_with_what_changed(owner_client, owner):
    world = changed_programme()
    star(owner, world.moved, world.cancelled, world.rehoused)
    response = owner_client.get(ME)
    assert texts(response, "//section[contains(@class, 'changed-stars')]/h2") == [
        "Changed since you last looked"
    ]
    assert panel(response) == {
        "파이콘 한국 2025": [
            ("Python과 함께하는 AI 플랫폼", ["Room changed"], ["Room 102호 → 101호"], ""),
            ("파이썬으로 엮는 나만의 레거시", ["Cancelled"], [], ""),
            ("선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Moved"], ["Time 10:00–10:40 → 14:00–14:40"], ""),
        ]
    }  # fmt: skip
    links = page(response).xpath(f"{by_class('changed-group')}{by_class('change-title')}/a/@href")
    assert links == [
        "/pycon-kr/sessions/talk-1/",
        "/pycon-kr/sessions/talk-2/",
        "/pycon-kr/sessions/talk-0/",
    ]


def test_another_users_stars_never_show(owner_client, owner, other_user):
    world = changed_programme()
    star(owner, world.moved)
    star(other_user, world.retitled, world.cancelled)
    assert [entry[0] for entry in panel(owner_client.get(ME))["파이콘 한국 2025"]] == [
        "선 넘지 않는 윤리적인 LLM 솔루션 구축"
    ]
    other = Client()
    other.force_login(other_user)
    assert [entry[0] for entry in panel(other.get(ME))["파이콘 한국 2025"]] == [
        "파이썬으로 엮는 나만의 레거시",
        "타입 힌트로 레거시 코드 길들이기 (개정판)",
    ]
    nobody = Client()
    nobody.force_login(UserFactory(username="nobody"))
    assert page(nobody.get(ME)).xpath(by_class("changed-stars")) == []


def test_a_session_starred_after_it_changed_is_no_news(owner_client, owner):
    """Starring for the first time starts from the current version: they saw it as it is."""
    world = changed_programme()
    star(owner, world.moved, at=timezone.now())
    assert page(owner_client.get(ME)).xpath(by_class("changed-stars")) == []
    # …but the next change to it is.
    new_version(world.conference, [moved(world.moved, minutes=30)])
    assert panel(owner_client.get(ME))["파이콘 한국 2025"] == [
        ("선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Moved"], ["Time 14:00–14:40 → 14:30–15:10"], "")
    ]


def test_dismiss_marks_the_shown_version_seen_and_only_newer_changes_come_back(owner_client, owner):
    world = changed_programme()
    star(owner, world.moved, world.retitled)
    form = page(owner_client.get(ME)).xpath(by_class("dismiss-form"))[0]
    assert form.get("method") == "post"
    assert form.xpath(".//input[@name='version']/@value") == ["2"]
    assert form.xpath(".//button/text()") == ["Dismiss"]

    response = owner_client.post(form.get("action"), {"version": "2", "next": ME})
    assert (response.status_code, response["Location"]) == (302, ME)
    assert ChangesSeen.objects.get(user=owner, conference=world.conference).version_number == 2
    assert page(owner_client.get(ME)).xpath(by_class("changed-stars")) == []

    room_102 = world.conference.rooms.get(slug="room-102")
    new_version(world.conference, [room_changed(world.moved, room_102)])
    assert panel(owner_client.get(ME))["파이콘 한국 2025"] == [
        ("선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Room changed"], ["Room 101호 → 102호"], "")
    ]


def test_dismissing_never_goes_back_nor_beyond_the_latest_version(owner_client, owner):
    world = changed_programme()
    url = reverse("notes:changes_seen", kwargs={"conf": world.conference.slug})
    owner_client.post(url, {"version": "99"})
    assert ChangesSeen.objects.get(user=owner).version_number == 2
    owner_client.post(url, {"version": "1"})
    assert ChangesSeen.objects.get(user=owner).version_number == 2
    for bad in ("", "two", "-1"):
        response = owner_client.post(url, {"version": bad})
        assert response.status_code == 400
    assert owner_client.get(url).status_code == 405
    assert ChangesSeen.objects.get(user=owner).version_number == 2


def test_a_version_dismissed_elsewhere_is_not_shown_but_one_that_came_since_is(owner_client, owner):
    world = changed_programme()
    star(owner, world.moved)
    url = reverse("notes:changes_seen", kwargs={"conf": world.conference.slug})
    new_version(world.conference, [moved(world.moved, hours=1)])
    owner_client.post(url, {"version": "2"})  # a page that showed version 2
    assert panel(owner_client.get(ME))["파이콘 한국 2025"] == [
        ("선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Moved"], ["Time 14:00–14:40 → 15:00–15:40"], "")
    ]


def test_changes_over_several_versions_read_from_first_to_last(owner_client, owner):
    world = changed_programme()
    star(owner, world.moved, world.rehoused)
    new_version(world.conference, [moved(world.moved, hours=1)])
    # 101호 → 102호 and back: nothing to tell.
    new_version(
        world.conference,
        [room_changed(world.rehoused, world.conference.rooms.get(slug="room-102"))],
    )
    assert panel(owner_client.get(ME))["파이콘 한국 2025"] == [
        ("선 넘지 않는 윤리적인 LLM 솔루션 구축", ["Moved"], ["Time 10:00–10:40 → 15:00–15:40"], "")
    ]
    assert page(owner_client.get(ME)).xpath(
        f"{by_class('dismiss-form')}//input[@name='version']/@value"
    ) == ["4"]


def test_clashes_among_my_stars_are_checked_again(owner_client, owner):
    world = changed_programme()
    day = world.moved.day
    afternoon = SessionFactory(
        conference=world.conference,
        day=day,
        title="Afternoon talk",
        starts_at=seoul(day.date, 14, 20),
        ends_at=seoul(day.date, 15, 0),
    )
    star(owner, world.moved, afternoon)
    assert panel(owner_client.get(ME))["파이콘 한국 2025"] == [
        (
            "선 넘지 않는 윤리적인 LLM 솔루션 구축",
            ["Moved"],
            ["Time 10:00–10:40 → 14:00–14:40"],
            "Clash Now overlaps Afternoon talk",
        )
    ]


def test_my_schedule_says_what_changed_of_a_starred_session(owner_client, owner):
    world = changed_programme()
    star(owner, world.moved, world.cancelled)
    doc = page(owner_client.get(ME))
    items = doc.xpath(f"{by_class('schedule')}{by_class('session-item')}")
    notes = {
        item.xpath(f".{by_class('session-title')}")[0].text_content(): " ".join(
            item.xpath(f".{by_class('session-what')}")[0].text_content().split()
        )
        for item in items
    }
    assert notes == {
        "파이썬으로 엮는 나만의 레거시": "파이썬으로 엮는 나만의 레거시 101호 · 발표자 2a, Speaker 2b Cancelled",
        "선 넘지 않는 윤리적인 LLM 솔루션 구축": "선 넘지 않는 윤리적인 LLM 솔루션 구축 101호 · 발표자 0a, "
        "Speaker 0b Moved Was 10:00–10:40.",
    }  # fmt: skip


@pytest.mark.parametrize("size", [4, 8])
def test_my_hugi_runs_a_fixed_number_of_queries_with_changes(
    owner_client, owner, django_assert_num_queries, size
):
    world = changed_programme(size)
    second = changed_programme(size, slug="second")
    star(owner, *world.conference.sessions.all(), *second.conference.sessions.all())
    # session and user; notes; running conferences; starred sessions, their speaker links and
    # speakers; the changes since last looked; my conferences; the calendar feed
    with django_assert_num_queries(10):
        response = owner_client.get(ME)
    groups = page(response).xpath(by_class("changed-group"))
    assert [len(group.xpath(f".{by_class('change')}")) for group in groups] == [size + 1] * 2


# --- now and next -------------------------------------------------------------------------


def live_programme():
    """A conference running now in Seoul: a talk on now and two that start in 20 minutes."""
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localtime(now, SEOUL).date()
    conference = ConferenceFactory(
        name="Live Con", slug="live", timezone="Asia/Seoul", start_date=today, end_date=today
    )
    day = DayFactory(conference=conference, index=1, date=today)
    hall = RoomFactory(conference=conference, name="Hall A")
    talks = [
        SessionFactory(
            conference=conference,
            day=day,
            room=hall,
            title=title,
            starts_at=now + timedelta(minutes=start),
            ends_at=now + timedelta(minutes=start + 30),
        )
        for title, start in [("On now", -10), ("Next one", 20), ("Next two", 20)]
    ]
    publish(conference, at=now - timedelta(days=2))
    return conference, talks


def test_a_starred_session_cancelled_while_on_now_still_shows_and_says_so(owner_client, owner):
    conference, (on_now, _next_one, next_two) = live_programme()
    star(owner, on_now, at=timezone.now() - timedelta(days=1))
    new_version(conference, [cancelled(on_now), cancelled(next_two)])
    doc = page(owner_client.get(ME))
    now_items = doc.xpath(f"{by_class('board')}{by_class('session-item')}")
    titles = [
        " ".join(i.xpath(f".{by_class('session-title')}")[0].text_content().split())
        for i in now_items
    ]
    # Mine says it is cancelled; the one I did not star is simply gone.
    assert titles == ["On now", "Next one"]
    assert "is-cancelled" in now_items[0].get("class")
    assert now_items[0].xpath(f".{by_class('badge-cancelled')}/text()") == ["Cancelled"]


def test_a_starred_session_moved_into_next_says_where_it_was(owner_client, owner):
    conference, (_on_now, next_one, _next_two) = live_programme()
    star(owner, next_one, at=timezone.now() - timedelta(days=1))
    other_room = SessionFactory(conference=conference).room  # another room of this conference
    new_version(conference, [room_changed(next_one, other_room)])
    doc = page(owner_client.get(ME))
    mine = next(
        item
        for item in doc.xpath(f"{by_class('board')}{by_class('session-item')}")
        if "Next one" in item.text_content()
    )
    assert " ".join(mine.xpath(f".{by_class('changed-note')}")[0].text_content().split()) == (
        "Room changed Was in Hall A."
    )
