"""Public pages answer conditional GETs: ETag and Last-Modified, 304 when nothing changed."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from notes import services
from notes.models import Visibility, WriteUp
from notes.writeups import services as writeup_services
from sessions.models import Session
from tests.support.factories import UserFactory, WriteUpFactory
from tests.support.public_programme import PROGRAMME_PAGES, build_programme

pytestmark = pytest.mark.django_db

PAGES = PROGRAMME_PAGES


@pytest.fixture
def conference():
    return build_programme(2)


@pytest.mark.parametrize("path", PAGES)
def test_matching_etag_gets_304_without_a_body_or_a_csp_header(client, conference, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')  # copies differ in their nonce, token, encoding
    assert first["Last-Modified"]
    assert first["Cache-Control"] == "no-cache"
    vary = {"Cookie", "Accept-Language", "Accept-Encoding"}
    assert set(first["Vary"].replace(" ", "").split(",")) == vary
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # A 304 says what the page would (RFC 9110 15.4.5).
    assert again["ETag"] == first["ETag"]
    assert set(again["Vary"].replace(" ", "").split(",")) == vary
    # The cached page keeps its own policy, whose nonce matches its inline <style>.
    assert "Content-Security-Policy" not in again


@pytest.mark.parametrize("path", PAGES)
def test_if_modified_since_gets_304(client, conference, path):
    first = client.get(path)
    again = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_change_to_the_conference_changes_the_etag(client, conference):
    first = client.get("/pycon-kr/sessions/talk-0/")
    session = Session.objects.get(slug="talk-1")
    session.title = "Renamed"
    session.save()
    conference.touch()
    again = client.get("/pycon-kr/sessions/talk-0/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_public_note_saved_shows_at_once(client, conference):
    path = "/pycon-kr/sessions/talk-0/"
    first = client.get(path)
    services.save_note(
        author=UserFactory(),
        session=Session.objects.get(slug="talk-0"),
        body="Fresh note",
        visibility=Visibility.PUBLIC,
        base_version=0,
    )
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Fresh note" in again.content.decode()


def test_each_language_has_its_own_etag(client, conference):
    english = client.get("/pycon-kr/", HTTP_ACCEPT_LANGUAGE="en")
    korean = client.get("/pycon-kr/", HTTP_ACCEPT_LANGUAGE="ko")
    assert english["ETag"] != korean["ETag"]
    again = client.get("/pycon-kr/", HTTP_ACCEPT_LANGUAGE="ko", HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 200


def test_an_old_etag_or_date_gets_the_full_page(client, conference):
    response = client.get(
        "/pycon-kr/",
        HTTP_IF_NONE_MATCH='"something-else"',
        HTTP_IF_MODIFIED_SINCE=http_date(0),
    )
    assert response.status_code == 200


def test_malformed_conditional_headers_are_ignored(client, conference):
    response = client.get(
        "/pycon-kr/", HTTP_IF_NONE_MATCH="garbage, ,", HTTP_IF_MODIFIED_SINCE="yesterday-ish"
    )
    assert response.status_code == 200


def test_signed_in_visitors_always_get_the_page_fresh(owner_client, conference):
    anonymous = Client().get("/pycon-kr/")
    response = owner_client.get("/pycon-kr/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert response.status_code == 200
    assert "ETag" not in response
    assert response["Cache-Control"] == "private, no-cache"


def test_unpublishing_a_write_up_changes_the_home_page_etag(client, conference):
    older = WriteUpFactory(
        conference=conference, status=WriteUp.Status.PUBLISHED, published_at=timezone.now()
    )
    WriteUpFactory(
        conference=conference, status=WriteUp.Status.PUBLISHED, published_at=timezone.now()
    )
    first = client.get("/")
    writeup_services.unpublish(writeup=older)
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert older.title not in again.content.decode()
