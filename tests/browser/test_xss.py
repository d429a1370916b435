"""The XSS corpus in real Chromium: no payload in any field runs on the pages that show it.

A handful of page loads, each showing many payloads (tests/xss_payloads.py puts them in every
typed and imported field). On each page no dialog may open, window.__xss (which every payload
that runs sets) stays undefined, and the Content-Security-Policy reports no violation: an
injected script or handler that CSP blocked would still be a sanitizing bug, so it counts too.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.support.xss_payloads import JS, build_xss_site

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " "
    + (event.sample || ""));
});
"""


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def watched_page(context):
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(WATCH)
    return page


def what_ran(page, url):
    """Open url and report dialogs, window.__xss and CSP violations (all empty when safe)."""
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return report(page)


def report(page):
    page.wait_for_timeout(300)  # broken images fire onerror a moment after the load
    return {
        "dialogs": list(page.dialogs),
        "__xss": page.evaluate("typeof window.__xss"),
        "csp": page.evaluate("window.__cspViolations"),
    }


SAFE = {"dialogs": [], "__xss": "undefined", "csp": []}


def test_no_payload_runs_on_the_pages_that_show_them(new_context, live_server, tmp_path):
    site = build_xss_site(tmp_path)
    anonymous = new_context(viewport={"width": 1280, "height": 900})
    owner = new_context(viewport={"width": 1280, "height": 900})
    client = Client()
    client.force_login(site.owner)
    owner.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    imported_day = site.imported[0].days.first()
    visits = [
        (anonymous, site.conference.days.get(index=1).get_absolute_url()),
        (anonymous, site.corpus_session.get_absolute_url()),
        (anonymous, reverse("public:speakers", kwargs={"conf": site.conference.slug})),
        (anonymous, site.speaker.get_absolute_url()),
        (anonymous, reverse("public:writeup", kwargs={"conf": "xss", "username": "owner"})),
        (anonymous, reverse("public:search") + "?q=xss&type=sessions"),
        (anonymous, imported_day.get_absolute_url()),
        (owner, reverse("public:search") + "?q=alert"),
        (owner, reverse("notes:me")),
        # On a wide screen the editor shows the live preview (markdownx's endpoint) at once.
        (owner, reverse("notes:editor", args=[site.corpus_session.pk])),
    ]
    results = {}
    for context, url in visits:
        page = watched_page(context)
        results[url] = what_ran(page, url)
        if url.startswith("/notes/"):
            preview = page.locator(".markdownx-preview")
            preview.locator("p").first.wait_for()  # the corpus came back rendered
            results[url + " (preview)"] = report(page)
        page.close()
    assert results == {url: SAFE for url in results}

    # The watchers are not blind: a page without our policy and sanitizer gets caught.
    page = watched_page(anonymous)
    page.set_content(f"<img src=x onerror='{JS}'>")
    page.wait_for_function("window.__xss === 1")
    caught = report(page)
    assert (caught["dialogs"], caught["__xss"]) == (["1"], "number")
