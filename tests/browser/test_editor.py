"""The note editor in real Chromium on a phone-sized screen: nothing typed is ever lost."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as LoginSession
from playwright.sync_api import expect

from notes.models import Note
from tests.support.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^✓?\s*Saved \d\d:\d\d$")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def user():
    return UserFactory(username="ada")


@pytest.fixture
def talk():
    return SessionFactory(title="Offline-first web apps")


@pytest.fixture
def login(live_server):
    """Sign a context in through the real form (the site header has a search form too)."""

    def sign_in(context, username, password="correct horse battery staple"):
        page = context.new_page()
        page.goto("/accounts/login/", timeout=30_000)  # the first request warms the server up
        form = page.locator("form.account-form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.url.endswith("/me/"), page.url
        page.close()

    return sign_in


def open_editor(context, talk):
    page = context.new_page()
    page.goto(f"/notes/{talk.pk}/")
    return page


def status(page):
    return page.locator("[data-save-status]")


def expect_saved(page):
    # Autosave waits 2 s after typing; a loaded test machine needs some slack on top.
    expect(status(page)).to_have_text(SAVED, timeout=15_000)


def body_on_server(user):
    return Note.objects.get(author=user).body


def wait_until_kept_offline(page):
    """The service worker controls the page and keeps a copy of it for offline use."""
    page.wait_for_function(
        "async () => navigator.serviceWorker.controller !== null"
        " && Boolean(await caches.match(location.pathname))"
    )


def test_typed_note_is_saved_and_found_after_a_reload(new_context, login, user, talk):
    context = new_context()
    login(context, "ada")
    page = open_editor(context, talk)
    expect(page.locator("h1")).to_have_text("Offline-first web apps")
    editor = page.locator("textarea[name=body]")
    editor.click()
    editor.press_sequentially("Hello **hugi**")
    expect_saved(page)
    assert body_on_server(user) == "Hello **hugi**"

    page.reload()
    expect(editor).to_have_value("Hello **hugi**")
    expect_saved(page)


def test_offline_typing_survives_a_reload_and_reaches_the_server(new_context, login, user, talk):
    context = new_context()
    login(context, "ada")
    page = open_editor(context, talk)
    editor = page.locator("textarea[name=body]")
    editor.fill("Before the Wi-Fi died.")
    expect_saved(page)
    wait_until_kept_offline(page)

    context.set_offline(True)
    editor.press("End")
    editor.press_sequentially(" Typed offline, every word.")
    expect(status(page)).to_contain_text("Not saved — kept on this device")
    page.reload()
    expect(editor).to_have_value("Before the Wi-Fi died. Typed offline, every word.")
    assert body_on_server(user) == "Before the Wi-Fi died."

    context.set_offline(False)
    expect_saved(page)
    assert body_on_server(user) == "Before the Wi-Fi died. Typed offline, every word."


def test_two_devices_get_the_conflict_view_and_can_merge(new_context, login, user, talk):
    phone, laptop = new_context(), new_context()
    login(phone, "ada")
    login(laptop, "ada")
    on_phone = open_editor(phone, talk)
    on_phone.locator("textarea[name=body]").fill("Shared start.")
    expect_saved(on_phone)

    on_laptop = open_editor(laptop, talk)
    expect(on_laptop.locator("textarea[name=body]")).to_have_value("Shared start.")

    on_phone.locator("textarea[name=body]").fill("Shared start. Phone words.")
    expect_saved(on_phone)
    on_laptop.locator("textarea[name=body]").fill("Shared start. Laptop words.")

    conflict = on_laptop.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(status(on_laptop)).to_contain_text("changed on another device")
    expect(on_laptop.locator("#conflict-mine")).to_have_value("Shared start. Laptop words.")
    expect(on_laptop.locator("#conflict-theirs")).to_have_value("Shared start. Phone words.")
    assert body_on_server(user) == "Shared start. Phone words."

    on_laptop.get_by_role("button", name="Merge both").click()
    merged = on_laptop.locator("#conflict-merged")
    expect(merged).to_have_value("Shared start. Laptop words.\n\nShared start. Phone words.")
    merged.fill("Shared start. Phone words. Laptop words.")
    on_laptop.get_by_role("button", name="Save merged text").click()
    expect(conflict).to_be_hidden()
    expect_saved(on_laptop)
    note = Note.objects.get(author=user)
    assert (note.body, note.version) == ("Shared start. Phone words. Laptop words.", 3)


def test_sign_in_expiry_keeps_the_draft_and_saves_after_signing_in(new_context, login, user, talk):
    context = new_context()
    login(context, "ada")
    page = open_editor(context, talk)
    editor = page.locator("textarea[name=body]")
    editor.fill("Written while signed in.")
    expect_saved(page)

    LoginSession.objects.all().delete()  # the sign-in expires in the middle of the talk
    editor.press("End")
    editor.press_sequentially(" And after it expired.")
    expect(status(page)).to_contain_text("Your sign-in has expired")
    sign_in_link = status(page).get_by_role("link")
    expect(sign_in_link).to_have_attribute("target", "_blank")
    draft = page.evaluate(f"JSON.parse(localStorage.getItem('hugi:note:{user.pk}:{talk.pk}'))")
    assert (draft["body"], draft["dirty"]) == (
        "Written while signed in. And after it expired.",
        True,
    )

    login(context, "ada")  # in another tab, as the link offers
    page.bring_to_front()
    expect(status(page)).to_have_text(SAVED, timeout=20_000)
    assert body_on_server(user) == "Written while signed in. And after it expired."


def test_signing_out_forgets_the_pages_kept_for_offline_use(new_context, login, user, talk):
    context = new_context()
    login(context, "ada")
    page = open_editor(context, talk)
    wait_until_kept_offline(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_function(
        f"async () => !(await caches.match('/notes/{talk.pk}/')) && !(await caches.match('/me/'))"
    )
