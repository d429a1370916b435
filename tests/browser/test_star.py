"""Starring from My hugi's "Now": in place with JavaScript, by a plain form post without it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from notes.models import Star
from tests.support.factories import ConferenceFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def talk_on_now():
    UserFactory(username="ada")
    now = timezone.now()
    conference = ConferenceFactory(
        timezone="UTC", start_date=now.date(), end_date=now.date(), name="Live Con"
    )
    return SessionFactory(
        conference=conference,
        title="Happening right now",
        starts_at=now - timezone.timedelta(minutes=5),
        ends_at=now + timezone.timedelta(minutes=30),
    )


def signed_in_page(new_context, live_server, **options):
    context = new_context(**options)
    page = context.new_page()
    page.goto("/accounts/login/", timeout=30_000)  # the first request warms the server up
    form = page.locator("form.account-form")
    form.locator("input[name=username]").fill("ada")
    form.locator("input[name=password]").fill("correct horse battery staple")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == f"{live_server.url}/me/"
    return page


def test_star_toggles_in_place_with_javascript(new_context, live_server, talk_on_now):
    page = signed_in_page(new_context, live_server)
    now_section = page.locator("section.now")
    star = now_section.get_by_role("button", name="Star: Happening right now")
    star.click()
    starred = now_section.get_by_role("button", name="Starred: Happening right now")
    expect(starred).to_have_attribute("aria-pressed", "true")
    expect(starred).to_be_focused()  # the new button took the old one's place, focus kept
    assert page.url == f"{live_server.url}/me/"
    assert list(Star.objects.values_list("session__title", flat=True)) == ["Happening right now"]

    starred.click()
    expect(now_section.get_by_role("button", name="Star: Happening right now")).to_be_visible()
    assert not Star.objects.exists()


def test_star_works_without_javascript(new_context, live_server, talk_on_now):
    page = signed_in_page(new_context, live_server, java_script_enabled=False)
    with page.expect_navigation():
        page.locator("section.now").get_by_role("button", name="Star: Happening right now").click()
    assert page.url == f"{live_server.url}/me/"
    expect(
        page.locator("section.now").get_by_role("button", name="Starred: Happening right now")
    ).to_be_visible()
    assert Star.objects.count() == 1
