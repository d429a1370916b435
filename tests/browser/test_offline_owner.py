"""Pages kept for offline use are shown to their owner only, however the sign-in changed.

Real Chromium with hugi's service worker in control: the previous user's private note must not
appear offline after the cookies were cleared, or after someone else signed in through the
admin's own form (which neither the sign-out button nor the sign-in page's script sees).
"""

import pytest
from playwright.sync_api import expect

from notes.models import Visibility
from notes.services import save_note
from tests.support.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Ada's private plan: quokkas at dawn."


@pytest.fixture
def talk():
    return SessionFactory(title="Offline-first web apps")


@pytest.fixture
def ada(talk):
    user = UserFactory(username="ada")
    save_note(author=user, session=talk, body=SECRET, visibility=Visibility.PRIVATE, base_version=0)
    return user


def keep_offline(context, path):
    """Open a page while online and wait until the service worker keeps a copy of it."""
    page = context.new_page()
    page.goto(path)
    expect(page.locator("main")).to_contain_text(SECRET)
    page.wait_for_function(
        "async () => navigator.serviceWorker.controller !== null"
        " && Boolean(await caches.match(location.pathname))"
    )
    return page


def kept(page, path):
    return page.evaluate("async (path) => Boolean(await caches.match(path))", path)


def expect_offline_without_the_note(page, path):
    page.goto(path, wait_until="commit")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert SECRET not in page.content()
    assert not kept(page, path)


def test_after_the_cookies_are_cleared_the_kept_note_is_not_shown_offline(
    new_context, login, ada, talk
):
    context = new_context()
    login(context, "ada")
    page = keep_offline(context, f"/notes/{talk.pk}/")
    keep_offline(context, "/me/")

    context.clear_cookies()  # no answer from the server tells the service worker
    context.set_offline(True)
    expect_offline_without_the_note(page, f"/notes/{talk.pk}/")
    expect_offline_without_the_note(page, "/me/")


def test_after_someone_else_signs_in_through_the_admin_the_kept_note_is_gone(
    new_context, login, ada, talk
):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    context = new_context()
    login(context, "ada")
    page = keep_offline(context, f"/notes/{talk.pk}/")
    keep_offline(context, "/me/")

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery staple")
    with page.expect_navigation(url="**/admin/"):
        page.locator("#login-form [type=submit]").click()
    # Forgotten before the admin's page was shown, not only hidden when opened later.
    assert not kept(page, f"/notes/{talk.pk}/")
    assert not kept(page, "/me/")

    context.set_offline(True)
    expect_offline_without_the_note(page, f"/notes/{talk.pk}/")


def test_the_owner_still_opens_the_kept_note_offline(new_context, login, ada, talk):
    context = new_context()
    login(context, "ada")
    page = keep_offline(context, f"/notes/{talk.pk}/")
    page.goto("/")  # a public page names the same owner: nothing is forgotten

    context.set_offline(True)
    page.goto(f"/notes/{talk.pk}/")
    expect(page.locator("textarea[name=body]")).to_have_value(SECRET)
