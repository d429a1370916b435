"""The admin's import page with a spreadsheet, in real Chromium on a phone and a laptop, in
English and Korean: a CSV of the demo programme previews and imports, a malformed row shows its
one-line error, and nothing spills out of the screen. Screenshots go to
HUGI_SHOTS/spreadsheet (default /tmp/shots/spreadsheet) for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sessions.models import Session
from tests.browser.conftest import DESKTOP, PHONE
from tests.sessions.spreadsheet_demo import (
    demo_conference,
    empty_conference,
    programme_rows,
    to_csv,
)
from tests.support.factories import UserFactory

pytestmark = pytest.mark.usefixtures("transactional_db")
SHOTS = Path(os.environ.get("HUGI_SHOTS", "/tmp/shots")) / "spreadsheet"
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LOCALES = {"en": "en-GB", "ko": "ko-KR"}
MALFORMED = b"date,start,duration,title\n2025-08-15,10:00,40,A\n2025-08-15,25:00,40,B\n"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def overflow(page):
    """How far the page is wider than the screen (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def sign_in(page):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    page.goto("/accounts/login/", timeout=30_000)
    form = page.locator("form.account-form")
    form.locator("input[name=username]").fill("boss")
    form.locator("input[name=password]").fill("correct horse battery staple")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def upload(page, name, data):
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    with page.expect_navigation():
        page.locator("input[type=submit][value]").first.click()


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_spreadsheet_previews_imports_and_shows_its_errors(new_context, size, language):
    demo = demo_conference()
    target = empty_conference(like=demo)
    page = new_context(VIEWPORTS[size], locale=LOCALES[language]).new_page()
    sign_in(page)
    url = f"/admin/program/conference/{target.pk}/import/"

    page.goto(url)
    expect(page.locator("a[href='?template=xlsx']")).to_be_visible()
    page.locator(".import-spreadsheet summary").click()
    expect(page.locator(".import-spreadsheet table")).to_be_visible()
    shot(page, f"form-{size}-{language}")
    assert overflow(page) == 0

    upload(page, "demo.csv", MALFORMED)
    error = page.locator("p.errornote")
    expect(error).to_contain_text("demo.csv: ")
    expect(error).to_contain_text("25:00")
    shot(page, f"error-{size}-{language}")
    assert overflow(page) == 0

    upload(page, "pyconkr-2025.csv", to_csv(programme_rows(demo)))
    expect(page.locator("ul.import-summary")).to_contain_text("50")
    expect(page.locator("h2").first).to_be_visible()
    shot(page, f"preview-{size}-{language}")
    assert overflow(page) == 0
    assert Session.objects.filter(conference=target).count() == 0

    with page.expect_navigation():
        page.locator("input[type=submit][name=confirm]").click()
    expect(page.locator("ul.messagelist")).to_contain_text(re.compile("pyconkr-2025.csv", re.I))
    assert Session.objects.filter(conference=target).count() == 50
