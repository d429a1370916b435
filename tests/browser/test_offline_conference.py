"""A whole conference in the pocket: kept while online, then read and written with no network.

Real Chromium at phone size with hugi's service worker: keep two conferences, go offline, walk
their pages by clicking and by typing addresses, open the editor of a session never opened,
type, star, reload, go online again, and find every word and the star in the database.
"""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from notes.models import Note, Star, Visibility
from notes.services import save_note
from sessions.models import Session
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.support.factories import PhotoFactory, UserFactory
from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "Offline in hall 101: 파이썬 타입 힌트는 문서다."


@pytest.fixture
def conferences():
    cache.clear()  # the page cache outlives a test's database
    jsconf = build_programme(2, slug="jsconf", start=date(2025, 9, 1))
    jsconf.name = "JSConf Korea 2025"
    jsconf.save()
    return build_programme(4), jsconf


def keep(page, path):
    if not page.url.endswith(path):
        page.goto(path)
    page.get_by_role("button", name="Keep this conference offline").click()
    expect(page.locator("[data-keep-status]")).to_contain_text(
        "Saved for offline use", timeout=30_000
    )


def test_two_kept_conferences_are_read_and_written_offline(new_context, login, conferences):
    pycon, jsconf = conferences
    UserFactory(username="ada")
    context = new_context()
    login(context, "ada")
    page = context.new_page()
    keep(page, "/pycon-kr/")
    keep(page, "/jsconf/")
    talk = Session.objects.get(conference=pycon, slug="talk-1")
    other = Session.objects.get(conference=jsconf, slug="talk-0")

    context.set_offline(True)
    # By clicking: the conference, a day, a session, a speaker, back to the other day.
    page.goto("/pycon-kr/")
    expect(page.locator(".offline-bar")).to_contain_text("Offline — programme saved at")
    page.locator(".day-tabs a").nth(1).click()
    expect(page).to_have_url(f"/pycon-kr/schedule/{pycon.start_date + timedelta(days=1)}/")
    page.locator(".day-tabs a").nth(0).click()
    page.get_by_role("link", name=talk.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(talk.title)
    page.get_by_role("link", name="발표자 1a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("발표자 1a")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(talk.title)
    # By typing addresses.
    page.goto("/pycon-kr/speakers/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Speakers")
    page.goto("/jsconf/sessions/talk-0/")
    expect(page.get_by_role("heading", level=1)).to_have_text(other.title)
    # A page never kept says what is.
    page.goto("/nowhere-conf/", wait_until="commit")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_role("link", name=jsconf.name)).to_be_visible()

    # The editor of sessions never opened, in both conferences: type, star, reload.
    # From the kept session page (an anonymous copy, offering the signed-in their editor)...
    page.goto(talk.get_absolute_url())
    expect(page.locator(".nav-links")).to_contain_text("My hugi")
    page.get_by_role("link", name="Take notes").click()
    expect(page).to_have_url(f"/notes/{talk.pk}/")
    for session, text in ((talk, WORDS), (other, "jsconf, offline too")):
        page.goto(f"/notes/{session.pk}/")  # ...and by its address
        expect(page.get_by_role("heading", level=1)).to_have_text(session.title)
        expect(page.locator(".editor-meta")).to_contain_text("발표자")
        page.locator("textarea[name=body]").fill(text)
        page.locator("form[data-star-form] button").click()
        expect(page.locator("form[data-star-form] button")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.locator("form[data-star-form] button")).to_have_class(
            "star is-starred is-pending"
        )
        page.reload()
        expect(page.locator("textarea[name=body]")).to_have_value(text)
        expect(page.locator("form[data-star-form] button")).to_have_attribute(
            "aria-pressed", "true"
        )
    assert not Note.objects.exists() and not Star.objects.exists()

    context.set_offline(False)
    page.goto(f"/notes/{talk.pk}/")  # back online: the drafts and the queued stars go out
    expect(page.locator("[data-save-status]")).to_contain_text("Saved", timeout=15_000)
    page.goto(f"/notes/{other.pk}/")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved", timeout=15_000)
    expect(page.locator("form[data-star-form] button")).not_to_have_class(
        "star is-starred is-pending"
    )
    assert dict(Note.objects.values_list("session_id", "body")) == {
        talk.pk: WORDS,
        other.pk: "jsconf, offline too",
    }
    assert set(Star.objects.values_list("session_id", flat=True)) == {talk.pk, other.pk}


def test_an_ongoing_conference_is_kept_on_the_first_visit(new_context, conferences):
    ongoing = build_programme(2, slug="today-conf", start=date.today())
    page = new_context(timezone_id="Europe/Berlin").new_page()  # not the conference's Seoul
    page.goto(f"/{ongoing.slug}/")
    expect(page.locator("[data-keep-status]")).to_contain_text(
        "Saved for offline use", timeout=30_000
    )
    page.context.set_offline(True)
    page.goto(f"/{ongoing.slug}/sessions/talk-1/")
    expect(page.locator(".offline-bar")).to_be_visible()
    # The scripts came along: times switch to the visitor's zone with no network.
    page.get_by_role("button", name="Show in my time zone").click()
    expect(page.locator("[data-tz-label]")).to_contain_text("Europe/Berlin")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        Session.objects.get(conference=ongoing, slug="talk-1").title
    )


def test_chromium_finds_hugi_installable(browser, live_server, conferences, tmp_path):
    # A profile on disk: Chromium installs nothing from an incognito context, which new_context is.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        viewport=PHONE,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/")
        page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert manifest["errors"] == []
    finally:
        context.close()


def test_photos_are_kept_when_asked_for(new_context, conferences):
    pycon, _ = conferences
    talk = Session.objects.get(conference=pycon, slug="talk-2")
    author = UserFactory(username="grace")
    save_note(author=author, session=talk, body="Slides below.", visibility=Visibility.PUBLIC,
              base_version=0)  # fmt: skip
    PhotoFactory(owner=author, session=talk, visibility=Visibility.PUBLIC, caption="The slide")
    page = new_context().new_page()
    page.goto("/pycon-kr/")
    page.get_by_label("with photos").check()
    keep(page, "/pycon-kr/")
    page.context.set_offline(True)
    page.goto(talk.get_absolute_url())
    picture = page.get_by_role("img", name="The slide")
    expect(picture).to_be_visible()
    # Decoded (a picture that failed has no width; srcset scales the 64 px to the layout's).
    size = "(img) => [img.currentSrc, img.complete, img.naturalWidth > 0]"
    loaded = page.evaluate(size, picture.element_handle())
    assert loaded[1:] == [True, True], loaded


def test_a_refused_storage_is_said_and_nothing_half_kept_is_shown(new_context, conferences):
    page = new_context().new_page()
    page.goto("/pycon-kr/")
    page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")
    cdp = page.context.new_cdp_session(page)
    origin = page.evaluate("location.origin")
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": 60_000})
    page.get_by_role("button", name="Keep this conference offline").click()
    status = page.locator("[data-keep-status]")
    expect(status).to_contain_text("This browser refused to store the conference", timeout=30_000)
    assert page.evaluate("async () => (await caches.open('hugi-kept-v1')).keys()") == []
    page.context.set_offline(True)
    page.goto("/pycon-kr/speakers/", wait_until="commit")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_role("link", name="파이콘 한국 2025")).to_have_count(0)
