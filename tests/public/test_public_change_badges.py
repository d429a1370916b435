"""What changed in the latest version, where the programme shows a session: a badge on its box in
the day timeline, and on its page the badge and what it was."""

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Visibility
from tests.support.factories import NoteFactory, StarFactory, UserFactory
from tests.support.public_programme import by_class, page, texts
from tests.support.version_factories import (
    changed_programme,
    moved,
    new_version,
    restored,
    room_changed,
    speakers_changed,
)

pytestmark = pytest.mark.django_db
DAY = "/pycon-kr/schedule/2025-08-15/"


def badges(response):
    """{box title: its change badges}, for the boxes that have any."""
    found = {}
    for box in page(response).xpath("//article[contains(concat(' ', @class, ' '), ' s ')]"):
        tags = [tag.text_content() for tag in box.xpath(f".{by_class('tag-change')}")]
        if tags:
            found[box.xpath(f".{by_class('s-title')}")[0].text_content()] = tags
    return found


def session_url(session):
    return reverse(
        "public:session", kwargs={"conf": session.conference.slug, "session": session.slug}
    )


def test_the_day_timeline_badges_the_sessions_changed_in_the_latest_version(client):
    changed_programme()
    response = client.get(DAY)
    assert badges(response) == {
        "Python과 함께하는 AI 플랫폼": ["Room changed"],
        "파이썬으로 엮는 나만의 레거시": ["Cancelled"],
        "타입 힌트로 레거시 코드 길들이기 (개정판)": ["Retitled"],
        "선 넘지 않는 윤리적인 LLM 솔루션 구축": ["Moved"],
        "새로 추가된 라이트닝 토크": ["New"],
    }
    boxes = page(response).xpath("//article[contains(@class, 'is-changed')]/@id")
    assert len(boxes) == 5
    # The cancelled session stays on the timeline, struck through, with one "Cancelled" tag.
    cancelled = page(response).xpath("//article[contains(@class, 'is-cancelled')]")
    assert len(cancelled) == 1
    assert [t.text_content() for t in cancelled[0].xpath(f".{by_class('tag')}")] == [
        "Cancelled",
        "AI · ML",
    ]


def test_only_the_latest_version_marks_the_timeline(client):
    world = changed_programme()
    new_version(world.conference, [speakers_changed(world.retitled, ["발표자 3a"], ["발표자 3c"])])
    assert badges(client.get(DAY)) == {
        "타입 힌트로 레거시 코드 길들이기 (개정판)": ["Speakers changed"]
    }


def test_a_session_moved_and_rehoused_in_one_version_gets_both_badges_once(client):
    world = changed_programme()
    room_102 = world.conference.rooms.get(slug="room-102")
    new_version(
        world.conference, [moved(world.moved, hours=1), room_changed(world.moved, room_102)]
    )
    assert badges(client.get(DAY)) == {
        "선 넘지 않는 윤리적인 LLM 솔루션 구축": ["Moved", "Room changed"]
    }


def test_a_restored_session_is_back_on(client):
    world = changed_programme()
    new_version(world.conference, [restored(world.cancelled)])
    response = client.get(DAY)
    assert badges(response) == {"파이썬으로 엮는 나만의 레거시": ["Back on"]}
    assert page(response).xpath("//article[contains(@class, 'is-cancelled')]") == []


@pytest.mark.parametrize("size", [4, 8])
def test_the_badges_cost_the_timeline_one_query_whatever_its_size(
    client, django_assert_num_queries, size
):
    changed_programme(size)
    # the stamp, conference, days, rooms, tracks, sessions, speaker names, the latest version
    # with its changes
    with django_assert_num_queries(8):
        response = client.get(DAY)
    assert len(badges(response)) == size + 1


def test_signed_in_visitors_see_the_badges_and_their_starred_changed_session(owner_client, owner):
    world = changed_programme()
    StarFactory(user=owner, session=world.moved)
    StarFactory(user=owner, session=world.cancelled)
    response = owner_client.get(DAY)
    assert badges(response)["선 넘지 않는 윤리적인 LLM 솔루션 구축"] == ["Moved"]
    starred = page(response).xpath("//article[.//button[contains(@class, 'is-starred')]]/@class")
    track = f"tr{world.moved.track_id}"
    assert world.cancelled.track_id == world.moved.track_id
    assert sorted(starred) == [
        f"s k-talk {track} is-cancelled is-changed",
        f"s k-talk {track} is-changed",
    ]


# --- the session page ---------------------------------------------------------------------


def test_a_moved_session_says_what_it_was(client):
    world = changed_programme()
    response = client.get(session_url(world.moved))
    assert texts(response, by_class("session-changed")) == ["Moved Was 10:00–10:40. What changed"]
    assert page(response).xpath(f"{by_class('session-changed')}/a/@href") == [
        "/pycon-kr/changes/#v2"
    ]


def test_a_session_in_another_room_says_where_it_was(client):
    world = changed_programme()
    response = client.get(session_url(world.rehoused))
    assert texts(response, by_class("session-changed")) == [
        "Room changed Was in 102호. What changed"
    ]


def test_time_and_room_read_as_one_sentence(client):
    world = changed_programme()
    room_102 = world.conference.rooms.get(slug="room-102")
    new_version(
        world.conference, [moved(world.moved, minutes=90), room_changed(world.moved, room_102)]
    )
    response = client.get(session_url(world.moved))
    assert texts(response, by_class("was")) == ["Was 14:00–14:40 in 101호."]


def test_a_retitled_session_says_its_old_title(client):
    world = changed_programme()
    response = client.get(session_url(world.retitled))
    assert texts(response, by_class("was")) == ["Was called “타입 힌트로 레거시 코드 길들이기”."]


def test_a_cancelled_session_stays_readable_struck_through_with_its_notes(client):
    world = changed_programme()
    NoteFactory(
        author=UserFactory(username="writer"),
        session=world.cancelled,
        body="Still worth reading",
        body_html="<p>Still worth reading</p>",
        visibility=Visibility.PUBLIC,
    )
    response = client.get(session_url(world.cancelled))
    assert response.status_code == 200
    assert page(response).xpath("//article/@class")[0] == "session-page is-cancelled"
    assert texts(response, f"{by_class('note')}//p") == ["Still worth reading"]
    # The notice says it, with a link to the changes: no second "Cancelled" badge.
    assert texts(response, by_class("notice")) == ["This session has been cancelled. What changed"]
    assert page(response).xpath(f"{by_class('notice')}/a/@href") == ["/pycon-kr/changes/#v2"]
    assert page(response).xpath(by_class("session-changed")) == []


def test_a_session_unchanged_in_the_latest_version_shows_no_change(client):
    world = changed_programme()
    new_version(world.conference, [moved(world.retitled, minutes=10)])
    assert page(client.get(session_url(world.moved))).xpath(by_class("session-changed")) == []


@pytest.mark.parametrize("extra", [0, 3])
def test_the_session_page_runs_eight_queries_with_one_version_or_four(
    client, django_assert_num_queries, extra
):
    world = changed_programme()
    for _ in range(extra):
        new_version(world.conference, [moved(world.moved, minutes=5)])
    # stamp, session, speakers, notes, photos, before, after, its latest changes (no notes:
    # no write-ups to look for)
    with django_assert_num_queries(8):
        response = Client().get(session_url(world.moved))
    assert len(texts(response, by_class("session-changed"))) == 1
