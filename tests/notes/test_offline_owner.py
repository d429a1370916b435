"""Every HTML answer names whose pages the service worker may keep, and the owner cookie follows.

The browser side (the service worker and the guard on kept pages) is in
tests/browser/test_offline_owner.py.
"""

import re

import pytest
from django.urls import reverse

from notes.offline import ANONYMOUS, OWNER_COOKIE, OWNER_HEADER, owner_mark
from tests.support.factories import SessionFactory
from tests.support.page_checks import csp_nonce
from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_the_mark_is_opaque_and_differs_between_users(owner, other_user):
    mark = owner_mark(owner)
    assert re.fullmatch(r"[0-9a-f]{32}", mark)
    assert "owner" not in mark
    assert mark == owner_mark(owner)
    assert mark != owner_mark(other_user)


def test_signing_in_names_the_owner_and_sets_a_cookie_scripts_can_read(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response[OWNER_HEADER] == owner_mark(owner)
    cookie = response.cookies[OWNER_COOKIE]
    assert (cookie.value, cookie["httponly"], cookie["samesite"]) == (owner_mark(owner), "", "Lax")
    assert "Cookie" in response["Vary"]


def test_a_signed_in_page_names_its_owner_and_sets_the_cookie_only_when_it_is_missing(
    owner_client, owner
):
    first = owner_client.get("/me/")
    assert first[OWNER_HEADER] == owner_mark(owner)
    assert first.cookies[OWNER_COOKIE].value == owner_mark(owner)
    again = owner_client.get("/me/")
    assert again[OWNER_HEADER] == owner_mark(owner)
    assert OWNER_COOKIE not in again.cookies


def test_another_user_signing_in_replaces_the_mark(owner_client, owner, other_user):
    owner_client.get("/me/")
    owner_client.post(reverse("login"), {"username": "other", "password": PASSWORD})
    assert owner_client.cookies[OWNER_COOKIE].value == owner_mark(other_user)


def test_signing_out_names_no_one_and_deletes_the_cookie(owner_client):
    owner_client.get("/me/")
    response = owner_client.post(reverse("logout"))
    assert response[OWNER_HEADER] == ANONYMOUS
    assert response.cookies[OWNER_COOKIE].value == ""
    assert response.cookies[OWNER_COOKIE]["max-age"] == 0


def test_an_anonymous_page_names_no_one_and_sets_no_cookie(client):
    response = client.get(reverse("login"))
    assert response[OWNER_HEADER] == ANONYMOUS
    assert OWNER_COOKIE not in response.cookies


def test_kept_public_pages_name_no_one_too(client):
    """The second visit is answered from the page cache, ahead of most middleware."""
    build_programme(1)
    assert [client.get("/pycon-kr/")[OWNER_HEADER] for _ in range(2)] == [ANONYMOUS, ANONYMOUS]


def test_answers_that_are_not_pages_name_no_one(owner_client):
    response = owner_client.get(reverse("notes:service_worker"))
    assert OWNER_HEADER not in response
    assert OWNER_COOKIE not in response.cookies


def test_the_service_worker_knows_the_header_and_the_anonymous_value(client):
    script = client.get(reverse("notes:service_worker")).content.decode()
    assert '"owner_header": "Hugi-Owner", "anonymous": "anonymous"' in script


@pytest.mark.parametrize("page", ["me", "editor"])
def test_kept_pages_carry_the_guard_with_their_owner_mark(owner_client, owner, page):
    url = (
        reverse("notes:me") if page == "me" else reverse("notes:editor", args=[SessionFactory().pk])
    )
    response = owner_client.get(url)
    html = response.content.decode()
    head = html[: html.index("</head>")]
    guard = re.search(r"<script nonce=\"([^\"]+)\" data-owner=\"([0-9a-f]+)\"", head)
    assert guard.groups() == (csp_nonce(response), owner_mark(owner))
    assert f'data-cookie="{OWNER_COOKIE}" data-leave="{reverse("login")}"' in head
