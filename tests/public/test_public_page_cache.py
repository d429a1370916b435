"""Whole public pages are kept in the cache for anonymous visitors, keyed by the conference's
change stamp: the second visitor costs one small query, gets their own CSP nonce and CSRF token, and
any change the public can see (an admin edit, a public note, a photo) shows at once."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from notes import services
from notes.models import Visibility
from notes.photos import services as photo_services
from sessions.models import Conference, Session
from tests.support.factories import UserFactory
from tests.support.photo_corpus import phone_jpeg, upload
from tests.support.public_programme import PROGRAMME_PAGES, build_programme, publish_writeup

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def conference():
    conference = build_programme(3)
    author = UserFactory(username="writer")
    session = Session.objects.get(slug="talk-0")
    services.save_note(
        author=author, session=session, body="Public words", visibility="public", base_version=0
    )
    publish_writeup(conference, author)
    return conference


PAGES = [
    *PROGRAMME_PAGES,
    "/pycon-kr/writeups/writer/",
    "/pycon-kr/schedule.xml",
    "/pycon-kr/schedule.ics",
    "/search/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", PAGES)
def test_the_second_anonymous_visitor_gets_the_same_page_for_one_query(
    conference, django_assert_num_queries, path
):
    first = Client().get(path)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the change stamp
        second = Client().get(path)
    assert second.status_code == 200
    assert without_tokens(second) == without_tokens(first)


def without_tokens(response):
    """The page without what differs between visitors: the nonce and the CSRF token."""
    return CSRF.sub("", NONCE.sub("", response.content.decode()))


@pytest.mark.parametrize("path", ["/pycon-kr/", "/pycon-kr/sessions/talk-0/"])
def test_each_visitor_gets_their_own_nonce_matching_their_policy(conference, path):
    Client().get(path)
    first, second = Client().get(path), Client().get(path)
    nonces = []
    for response in (first, second):
        in_page = set(NONCE.findall(response.content.decode()))
        assert len(in_page) == 1, in_page
        nonce = in_page.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "hugi-nonce-slot" not in second.content.decode()


def test_the_language_switch_of_a_cached_page_works_for_its_visitor(conference):
    Client().get("/pycon-kr/speakers/")  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/pycon-kr/speakers/")
    token = CSRF.search(page.content.decode()).group(1)
    assert "hugi-csrf-slot" not in page.content.decode()
    switched = visitor.post(
        reverse("set_language"),
        {"language": "en", "next": "/pycon-kr/speakers/", "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302
    assert switched["Location"] == "/pycon-kr/speakers/"


def test_languages_are_kept_apart(conference):
    korean = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/pycon-kr/speakers/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/pycon-kr/speakers/")
    assert '<html lang="ko"' in korean.content.decode()
    assert '<html lang="en"' in english.content.decode()


def text_of(path):
    return Client().get(path).content.decode()


def test_an_admin_change_to_a_session_shows_at_once(conference):
    assert "Renamed talk" not in text_of("/pycon-kr/sessions/talk-0/")
    session = Session.objects.get(slug="talk-0")
    session.title = "Renamed talk"
    session.save()
    conference.touch()  # what every admin save, import and public note save does
    assert "Renamed talk" in text_of("/pycon-kr/sessions/talk-0/")
    assert "Renamed talk" in text_of("/pycon-kr/schedule.xml")


def test_a_public_note_shows_at_once_and_a_private_one_never(conference):
    session = Session.objects.get(slug="talk-1")
    path = session.get_absolute_url()
    text_of(path)
    author = UserFactory(username="second")
    services.save_note(
        author=author, session=session, body="Secret words", visibility="private", base_version=0
    )
    assert "Secret words" not in text_of(path)
    services.save_note(
        author=author, session=session, body="Open words", visibility="public", base_version=1
    )
    assert "Open words" in text_of(path)
    services.save_note(
        author=author, session=session, body="Open words", visibility="private", base_version=2
    )
    assert "Open words" not in text_of(path)


def test_a_photo_made_private_leaves_the_cached_page_at_once(conference):
    session = Session.objects.get(slug="talk-0")
    owner = UserFactory(username="photographer")
    photo = photo_services.add_photo(
        owner=owner,
        session=session,
        upload=upload(phone_jpeg((320, 240))),
        caption="Slide caption",
        visibility=Visibility.PUBLIC,
    )
    path = session.get_absolute_url()
    assert "Slide caption" in text_of(path)
    photo_services.update_photo(
        photo=photo,
        caption="Renamed caption",
        credit="",
        credit_url="",
        visibility=Visibility.PUBLIC,
    )
    assert "Renamed caption" in text_of(path)
    photo_services.update_photo(
        photo=photo,
        caption="Renamed caption",
        credit="",
        credit_url="",
        visibility=Visibility.PRIVATE,
    )
    assert "Renamed caption" not in text_of(path)


def test_a_deleted_public_photo_leaves_the_cached_page_at_once(conference):
    session = Session.objects.get(slug="talk-0")
    photo = photo_services.add_photo(
        owner=UserFactory(),
        session=session,
        upload=upload(phone_jpeg((320, 240))),
        caption="Gone soon",
        visibility=Visibility.PUBLIC,
    )
    assert "Gone soon" in text_of(session.get_absolute_url())
    photo_services.delete_photo(photo=photo)
    assert "Gone soon" not in text_of(session.get_absolute_url())


def test_a_page_with_a_message_for_its_visitor_is_never_kept(conference, rf):
    # A message waiting in the visitor's cookie, as after signing out.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.INFO, "Only for you")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value
    assert "Only for you" in visitor.get("/pycon-kr/speakers/").content.decode()
    assert "Only for you" not in text_of("/pycon-kr/speakers/")


def test_signed_in_visitors_get_their_own_page_not_the_kept_one(conference):
    text_of("/pycon-kr/schedule/2025-08-15/")
    member = Client()
    member.force_login(UserFactory(username="member"))
    page = member.get("/pycon-kr/schedule/2025-08-15/").content.decode()
    assert "star-form" in page  # their star buttons
    assert "star-form" not in text_of("/pycon-kr/schedule/2025-08-15/")


def test_pages_are_shared_through_redis_when_it_is_the_cache(conference, settings):
    """Several app servers share one Redis (CACHE_URL=redis://…): a page one of them drew is
    the next visitor's, wherever they land. Needs the Redis server CI and deployments run."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "hugi-tests",
        }
    }
    cache.clear()
    try:
        first = Client().get("/pycon-kr/speakers/")
        assert any(key.startswith(b"hugi-tests") for key in redis_keys())
        again = Client().get("/pycon-kr/speakers/")
        assert without_tokens(again) == without_tokens(first)
    finally:
        cache.clear()


def redis_keys():
    import redis

    return redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("hugi-tests*")


def test_deleting_a_user_takes_their_public_notes_off_the_cached_pages(conference):

    path = "/pycon-kr/sessions/talk-0/"
    assert "Public words" in text_of(path)
    assert "My days" in text_of("/")
    get_user_model().objects.get(username="writer").delete()  # as in the admin: a cascade
    assert "Public words" not in text_of(path)
    assert "My days" not in text_of("/")
    assert Client().get("/pycon-kr/writeups/writer/").status_code == 404


def test_renaming_an_author_shows_on_the_cached_pages_at_once(conference):

    path = "/pycon-kr/sessions/talk-0/"
    writer = get_user_model().objects.get(username="writer")
    writer.first_name, writer.last_name = "Jiwoo", "Kim"
    writer.save()
    assert "Jiwoo Kim" in text_of(path)
    writer.first_name, writer.last_name = "", ""
    writer.save()  # as the admin does: asked to take their real name off the site
    assert "Jiwoo Kim" not in text_of(path)
    assert "Jiwoo Kim" not in text_of("/")


def test_signing_in_does_not_empty_the_cache(conference):
    from django.contrib.auth.models import update_last_login

    before = Conference.objects.get().changed_at
    update_last_login(None, get_user_model().objects.get(username="writer"))
    assert Conference.objects.get().changed_at == before


def test_a_search_for_a_stand_in_is_drawn_not_kept(conference):
    first = Client().get("/search/?q=hugi-csrf-slot")
    second = Client().get("/search/?q=hugi-csrf-slot")
    assert 'value="hugi-csrf-slot"' in second.content.decode()
    assert first.status_code == second.status_code == 200


def test_pages_asked_for_with_made_up_query_strings_are_not_kept(conference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        Client().get("/pycon-kr/speakers/?x=1")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/pycon-kr/speakers/?x=1")
    assert len(queries) > 1  # drawn again: more than the stamp


def test_pages_are_drawn_when_the_cache_is_down(conference, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = Client().get("/pycon-kr/sessions/talk-0/")
    assert response.status_code == 200
    assert "Public words" in response.content.decode()


def test_photos_made_public_by_an_empty_public_note_show_at_once(conference):
    session = Session.objects.get(slug="talk-2")
    owner = UserFactory(username="quiet")
    photo_services.add_photo(
        owner=owner, session=session, upload=upload(phone_jpeg((320, 240))), caption="No words"
    )  # private: there is no note yet
    assert "No words" not in text_of(session.get_absolute_url())
    services.save_note(author=owner, session=session, body="", visibility="public", base_version=0)
    assert "No words" in text_of(session.get_absolute_url())


def test_public_note_saves_leave_the_timeline_and_speakers_cached(
    conference, django_assert_num_queries
):
    """While people take public notes in every room, the programme's pages stay cached; only
    the pages that show notes are drawn again."""
    pages = ["/pycon-kr/schedule/2025-08-15/", "/pycon-kr/speakers/", "/pycon-kr/speakers/sp-1a/"]
    for path in pages:
        text_of(path)
    services.save_note(
        author=UserFactory(username="busy"),
        session=Session.objects.get(slug="talk-1"),
        body="Live notes",
        visibility="public",
        base_version=0,
    )
    for path in pages:
        with django_assert_num_queries(1):
            Client().get(path)
    assert "Live notes" in text_of("/pycon-kr/sessions/talk-1/")


def test_a_note_saved_on_one_session_leaves_the_other_session_pages_cached(
    conference, django_assert_num_queries
):
    """In a live conference people save notes in every room: each session's page is drawn again
    only when its own public notes or photos change."""
    text_of("/pycon-kr/sessions/talk-0/")
    etag = Client().get("/pycon-kr/sessions/talk-0/")["ETag"]
    services.save_note(
        author=UserFactory(username="busy"),
        session=Session.objects.get(slug="talk-1"),
        body="Live notes",
        visibility="public",
        base_version=0,
    )
    with django_assert_num_queries(1):
        again = Client().get("/pycon-kr/sessions/talk-0/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "Live notes" in text_of("/pycon-kr/sessions/talk-1/")


def test_a_photo_or_note_gone_from_a_session_changes_only_its_page(conference):
    session = Session.objects.get(slug="talk-0")
    untouched = Client().get("/pycon-kr/sessions/talk-1/")["ETag"]
    before = Client().get(session.get_absolute_url())["ETag"]
    session.notes.get().delete()  # the writer's public note, as a cascade would
    assert "Public words" not in text_of(session.get_absolute_url())
    assert Client().get(session.get_absolute_url())["ETag"] != before
    assert Client().get("/pycon-kr/sessions/talk-1/")["ETag"] == untouched


def test_a_missing_session_is_a_404_before_anything_is_drawn(conference, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get("/pycon-kr/sessions/no-such-talk/")
    assert response.status_code == 404


def test_an_empty_public_note_puts_the_session_in_the_write_up_at_once(conference):
    """A public note without words still puts its session in its author's write-up, which the
    session's page lists."""
    talk = Session.objects.get(slug="talk-2")
    assert "My days" not in text_of(talk.get_absolute_url())
    services.save_note(
        author=get_user_model().objects.get(username="writer"),
        session=talk,
        body="",
        visibility="public",
        base_version=0,
    )
    assert "My days" in text_of(talk.get_absolute_url())
