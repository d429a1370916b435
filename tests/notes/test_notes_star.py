"""Starring sessions: a plain form post, or fetch() that gets the button back."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from notes.models import Star
from tests.support.factories import SessionFactory, StarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(title="Stars and stripes")


def test_starring_saves_the_star_and_returns_to_the_page(owner_client, owner, session):
    response = owner_client.post(
        reverse("notes:star", args=[session.pk]), {"starred": "1", "next": "/me/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert list(Star.objects.values_list("user", "session")) == [(owner.pk, session.pk)]


def test_starring_twice_keeps_one_star(owner_client, session):
    for _ in range(2):
        owner_client.post(reverse("notes:star", args=[session.pk]), {"starred": "1", "next": "/"})
    assert Star.objects.count() == 1


def test_unstarring_removes_only_my_star(owner_client, owner, other_user, session):
    StarFactory(user=owner, session=session)
    StarFactory(user=other_user, session=session)
    owner_client.post(reverse("notes:star", args=[session.pk]), {"starred": "0", "next": "/"})
    assert list(Star.objects.values_list("user", flat=True)) == [other_user.pk]


def test_fetch_gets_the_button_partial_back(owner_client, session):
    response = owner_client.post(
        reverse("notes:star", args=[session.pk]),
        {"starred": "1", "next": "/pycon/"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<form method="post" action="/star/{session.pk}/"')
    assert 'name="starred" value="0" class="star is-starred" aria-pressed="true"' in html
    assert '<input type="hidden" name="next" value="/pycon/">' in html


def test_an_outside_next_url_is_not_followed(owner_client, session):
    response = owner_client.post(
        reverse("notes:star", args=[session.pk]),
        {"starred": "1", "next": "https://evil.example/"},
        headers={"X-Requested-With": "fetch"},
    )
    assert "evil.example" not in response.content.decode()


def test_get_is_405_and_stars_nothing(owner_client, session):
    assert owner_client.get(reverse("notes:star", args=[session.pk])).status_code == 405
    assert not Star.objects.exists()


def test_anonymous_star_is_sent_to_sign_in(client, session):
    response = client.post(reverse("notes:star", args=[session.pk]), {"starred": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Star.objects.exists()


def test_star_needs_the_csrf_token(owner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("notes:star", args=[session.pk]), {"starred": "1"})
    assert response.status_code == 403
    assert not Star.objects.exists()


def test_star_on_a_missing_session_is_404(owner_client):
    response = owner_client.post(reverse("notes:star", args=[98765]), {"starred": "1"})
    assert response.status_code == 404


def test_anonymous_visitors_see_a_sign_in_link_instead_of_the_form(client, session):
    request = RequestFactory().get("/pycon/")
    request.user = AnonymousUser()
    html = render_to_string(
        "notes/_star_button.html", {"session": session, "starred": False}, request=request
    )
    assert html.startswith('<a class="star" href="/accounts/login/?next=/pycon/"')
    assert "<form" not in html


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ({"next": "/"}, None),
        ({"starred": "yes"}, None),
        ({"starred": "2"}, None),
        ({"starred": ""}, None),
        ('{"starred": "0"}', "application/json"),  # the view reads a form, not JSON
    ],
    ids=["missing", "yes", "2", "empty", "JSON"],
)
def test_a_star_request_that_says_neither_star_nor_unstar_is_a_400_and_changes_nothing(
    owner_client, owner, session, data, content_type
):
    """Anything but "1" used to unstar: a request that says nothing must change nothing."""
    StarFactory(user=owner, session=session)
    kwargs = {"content_type": content_type} if content_type else {}
    response = owner_client.post(reverse("notes:star", args=[session.pk]), data, **kwargs)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "“starred” must be 1 (star) or 0 (unstar)."
    assert list(Star.objects.values_list("user", "session")) == [(owner.pk, session.pk)]


@pytest.mark.parametrize("next_url", ["0", "notes:me", "//evil.example/", "javascript:alert(1)"])
def test_a_next_address_that_is_no_path_here_goes_back_to_the_session(
    owner_client, owner, session, next_url
):
    """A next of "0" or a view's name reached redirect(), which looked it up as a view: a 500."""
    response = owner_client.post(
        reverse("notes:star", args=[session.pk]), {"starred": "1", "next": next_url}
    )
    assert (response.status_code, response["Location"]) == (302, session.get_absolute_url())
    assert list(Star.objects.values_list("user", "session")) == [(owner.pk, session.pk)]
