"""What changed, in real Chromium on a phone and a laptop, in English and Korean: the changes
page, a badge on the day timeline, and My hugi's changed-stars panel, with nothing spilling out
of the screen. Screenshots go to HUGI_SHOTS (default /tmp/shots) for a person to look at."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from notes.models import Star
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.factories import UserFactory
from tests.support.version_factories import PUBLISHED_AT, changed_programme

pytestmark = pytest.mark.usefixtures("transactional_db")
SHOTS = Path(os.environ.get("HUGI_SHOTS", "/tmp/shots"))
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LOCALES = {"en": "en-GB", "ko": "ko-KR"}


@pytest.fixture
def world():
    world = changed_programme(6)
    ada = UserFactory(username="ada")
    for session in (world.moved, world.cancelled, world.rehoused):
        Star.objects.create(user=ada, session=session)
    Star.objects.filter(user=ada).update(created_at=PUBLISHED_AT + timedelta(days=1))
    return world


def browser_page(new_context, viewport, language):
    context = new_context(viewport, locale=LOCALES[language])
    return context.new_page()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def overflow(page):
    """How far the page is wider than the screen (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def sign_in(page, username="ada"):
    page.goto("/accounts/login/", timeout=30_000)
    form = page.locator("form.account-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill("correct horse battery staple")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_changes_page_reads_well(new_context, world, size, language):
    page = browser_page(new_context, VIEWPORTS[size], language)
    page.goto("/pycon-kr/changes/", timeout=30_000)
    assert page.locator("html").get_attribute("lang") == language
    versions = page.locator("section.version")
    expect(versions).to_have_count(2)
    expect(versions.first.locator("h2")).to_have_attribute("id", "v2-title")
    moved = page.locator(".change", has=page.locator("a[href='/pycon-kr/sessions/talk-0/']"))
    expect(moved.locator("del")).to_be_visible()
    # The old value is struck through, the new one stands out.
    assert moved.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine") == (
        "line-through"
    )
    assert moved.locator("ins").evaluate("e => getComputedStyle(e).fontWeight") == "600"
    cancelled = page.locator(".change.is-cancelled")
    expect(cancelled.locator(".tag-cancelled")).to_be_visible()
    colour = cancelled.locator(".tag-cancelled").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    moved_colour = moved.locator(".tag-change").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour != moved_colour  # cancelled in its own colour
    assert overflow(page) <= 0
    shot(page, f"changes-{size}-{language}")


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_day_timeline_shows_the_badges(new_context, world, size, language):
    page = browser_page(new_context, VIEWPORTS[size], language)
    page.goto("/pycon-kr/schedule/2025-08-15/", timeout=30_000)
    box = page.locator(f"article#s{world.moved.pk}")
    badge = box.locator(".tag-change")
    expect(badge).to_be_visible()
    # The badge sits inside its box, whether the boxes are a list (phone) or a grid (laptop).
    inner, outer = badge.bounding_box(), box.bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    expect(page.locator(".programme-changed a")).to_have_attribute("href", "/pycon-kr/changes/")
    cancelled = page.locator(f"article#s{world.cancelled.pk}")
    assert cancelled.locator(".s-title").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    ) == ("line-through")
    assert overflow(page) <= 0
    shot(page, f"day-{size}-{language}")


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_my_hugi_shows_my_changed_stars_and_dismisses_them(new_context, world, size, language):
    page = browser_page(new_context, VIEWPORTS[size], language)
    sign_in(page)
    page.goto("/me/")
    panel = page.locator("section.changed-stars")
    expect(panel).to_be_visible()
    expect(panel.locator(".change")).to_have_count(3)
    expect(panel.locator(".change.is-cancelled")).to_have_count(1)
    assert overflow(page) <= 0
    shot(page, f"me-{size}-{language}")
    with page.expect_navigation():
        panel.locator(".dismiss-form button").click()
    expect(page.locator("section.changed-stars")).to_have_count(0)
