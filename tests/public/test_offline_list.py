"""/<conference>/offline.json: every page a phone keeps of a conference, with its validator.

The validator of each page must be the ETag the page itself answers an anonymous visitor with,
so that a phone refreshing its copy asks again for exactly the pages that changed.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from notes.models import Visibility
from notes.services import save_note
from sessions.models import Session
from tests.support.factories import UserFactory
from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def offline_list(client, conference, **headers):
    response = client.get(reverse("public:conference_offline", args=[conference.slug]), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def validators(data):
    return dict(data["pages"])


def test_every_page_of_the_conference_is_named_with_the_etag_it_answers_with(client):
    conference = build_programme(3)
    data = offline_list(client, conference)
    slug = conference.slug
    sessions = Session.objects.filter(conference=conference)
    expected = {
        f"/{slug}/",
        f"/{slug}/schedule/2025-08-15/",
        f"/{slug}/schedule/2025-08-16/",
        f"/{slug}/speakers/",
        *(speaker.get_absolute_url() for speaker in conference.speakers.all()),
        *(session.get_absolute_url() for session in sessions),
    }
    assert set(validators(data)) == expected
    assert len(data["pages"]) == len(expected) == 4 + 6 + 4  # pages, 6 speakers, 3 talks + lunch
    for path, validator in data["pages"]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert page["ETag"] == validator, path


def test_the_list_carries_what_the_editor_shows_of_each_session(client):
    conference = build_programme(3)
    data = offline_list(client, conference)
    talk = Session.objects.get(conference=conference, slug="talk-1")
    assert data["conference"] == {
        "slug": "pycon-kr",
        "name": "파이콘 한국 2025",
        "url": "/pycon-kr/",
        "zone": "Asia/Seoul",
    }
    assert data["sessions"][str(talk.pk)] == {
        "title": talk.title,
        "url": "/pycon-kr/sessions/talk-1/",
        "when": "August 15 (Fri) 10:00–10:40",
        "room": "102호",
        "speakers": "발표자 1a, Speaker 1b",
    }
    assert len(data["sessions"]) == 4


def test_a_public_note_changes_only_its_session_page(client):
    conference = build_programme(3)
    before = validators(offline_list(client, conference))
    talk = Session.objects.get(conference=conference, slug="talk-2")
    save_note(
        author=UserFactory(),
        session=talk,
        body="A public note",
        visibility=Visibility.PUBLIC,
        base_version=0,
    )
    after = validators(offline_list(client, conference))
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {talk.get_absolute_url()}


def test_a_programme_change_changes_every_page_and_a_removed_session_leaves_the_list(client):
    conference = build_programme(3)
    before = validators(offline_list(client, conference))
    gone = Session.objects.get(conference=conference, slug="talk-0")
    gone.delete()
    conference.touch()  # as the admin and the importers do after every change
    after = validators(offline_list(client, conference))
    assert gone.get_absolute_url() not in after
    assert all(after[path] != before[path] for path in after)


def test_each_language_has_its_own_validators(client):
    conference = build_programme(1)
    english = offline_list(client, conference, HTTP_ACCEPT_LANGUAGE="en")
    korean = offline_list(client, conference, HTTP_ACCEPT_LANGUAGE="ko")
    assert validators(english).keys() == validators(korean).keys()
    assert not set(validators(english).values()) & set(validators(korean).values())
    talk = Session.objects.get(conference=conference, slug="talk-0")
    assert korean["sessions"][str(talk.pk)]["when"] == "8월 15일 (금) 10:00–10:40"


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_costs_the_same_queries_whatever_the_size_and_then_comes_from_the_cache(
    client, django_assert_num_queries, size
):
    conference = build_programme(size, rooms=3)
    url = reverse("public:conference_offline", args=[conference.slug])
    # the stamp, the conference, its days, its speakers, its sessions with rooms, their speakers
    with django_assert_num_queries(6):
        first = client.get(url)
    assert len(first.json()["sessions"]) == size + 1
    with django_assert_num_queries(1):  # the stamp; the list itself from the page cache
        again = client.get(url)
    assert again.content == first.content
    with django_assert_num_queries(1):
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304


def test_signed_in_visitors_get_the_same_list_drawn_for_them(client):
    conference = build_programme(2)
    anonymous = offline_list(Client(), conference)
    client.force_login(UserFactory())
    signed_in = client.get(reverse("public:conference_offline", args=[conference.slug]))
    assert signed_in.json() == anonymous
    assert "ETag" not in signed_in  # only anonymous answers are kept and validated


def test_an_unknown_conference_is_404(client):
    response = client.get(reverse("public:conference_offline", args=["nope"]))
    assert response.status_code == 404
