"""axe-core on every page of the URL access table: phone and desktop widths, light and dark,
English and Korean, signed in where the page is someone's own. Zero serious or critical
violations, and the structure a screen reader walks: one h1, the site's four landmarks.

The pages come from tests/support/a11y_pages.py; a new address of the URL access table without
a case there fails the first test. Each language loads every page once and checks it at both
widths and in both colour schemes without reloading (the viewport and the emulated
prefers-color-scheme change in place), so the whole file stays within a few minutes on 2 cores.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from playwright.sync_api import expect

from notes.models import CalendarFeed
from notes.services import save_note
from tests.browser.conftest import DESKTOP, PHONE
from tests.site.test_url_access import ACCESS
from tests.support.a11y_axe import axe_problems, structure_problems
from tests.support.a11y_pages import NOT_A_PAGE, PAGES, all_pages, language_context
from tests.support.a11y_targets import small_target_problems
from tests.support.crawl import body_of
from tests.support.hardening_world import build_site

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"390": PHONE, "1280": DESKTOP}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def only_posts(key):
    return all(case.changes_data for case in ACCESS[key])


def test_every_address_of_the_access_table_has_an_accessibility_case():
    """Like the URL access table itself: a new address must say how its page is checked."""
    missing = sorted(
        key for key in ACCESS if key not in PAGES and key not in NOT_A_PAGE and not only_posts(key)
    )
    assert missing == [], "add these to PAGES (or NOT_A_PAGE) in tests/support/a11y_pages.py"
    stale = sorted((set(PAGES) | set(NOT_A_PAGE)) - set(ACCESS))
    assert stale == [], "these are no longer in the URL access table"
    assert set(PAGES) & set(NOT_A_PAGE) == set()
    names = [page.name for page in all_pages()]
    assert len(names) == len(set(names)), "page names must be unique"


def test_addresses_said_to_draw_no_page_answer_no_html():
    site = build_site()
    CalendarFeed.objects.create(user=site.owner)
    client = Client()
    client.force_login(site.owner)
    html = []
    for key in NOT_A_PAGE:
        for case in ACCESS[key]:
            if case.changes_data:
                continue
            response = client.get(case.url(site))
            body = body_of(response).decode("utf-8", "replace")
            kind = response.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("text/html") and "<html" in body:
                html.append(key)
    assert html == []


def lines(problems: dict[str, list[str]]) -> list[str]:
    """One line per problem, so a failure reads as a list."""
    return [f"{where}: {problem}" for where, found in problems.items() for problem in found]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_page_has_no_serious_axe_violations(new_context, live_server, language):
    site = build_site()
    pages = {
        "anonymous": language_context(new_context, live_server, language, DESKTOP).new_page(),
        "owner": language_context(
            new_context, live_server, language, DESKTOP, site.owner
        ).new_page(),
    }
    problems = {}
    checked = 0
    for case in all_pages():
        page = pages[case.persona]
        page.set_viewport_size(DESKTOP)
        page.emulate_media(color_scheme="light")
        with override_settings(**case.settings):
            response = page.goto(case.url(site))
        expected = 404 if case.name == "404" else 200
        if response.status != expected:
            problems[case.name] = [f"answered {response.status}, not {expected}"]
            continue
        if page.locator("html").get_attribute("lang") != language:
            problems[case.name] = [f"html lang is not {language}"]
        if found := structure_problems(page):
            problems[case.name] = found
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            if viewport == PHONE and (small := small_target_problems(page)):
                problems[f"{case.name} {width} small targets"] = small
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                if found := axe_problems(page):
                    problems[f"{case.name} {width} {scheme}"] = found
                checked += 1
    assert lines(problems) == []
    assert checked == 4 * len(all_pages())


def test_the_preview_and_conflict_views_have_no_serious_axe_violations(new_context, live_server):
    """What only scripts show: the note's preview (a tab on phones) and its conflict view."""
    site = build_site()
    note = site.private_notes[0]
    page = language_context(new_context, live_server, "en", DESKTOP, site.owner).new_page()
    page.goto(reverse("notes:editor", args=[note.session_id]))
    problems = {}
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        preview_tab = page.get_by_role("button", name="Preview")
        if preview_tab.is_visible():  # side by side on wide screens
            preview_tab.press("Enter")
        expect(page.get_by_role("region", name="Preview")).to_contain_text("zanzibarquokka")
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            problems[f"preview {width} {scheme}"] = axe_problems(page)
        if preview_tab.is_visible():
            page.get_by_role("button", name="Write").press("Enter")

    # Another device saved meanwhile: this page's next save meets the conflict view.
    save_note(
        author=site.owner, session=note.session, body="From the laptop.",
        visibility=note.visibility, base_version=note.version,
    )  # fmt: skip
    page.locator("textarea[name=body]").press_sequentially(" and more")
    expect(page.locator("#conflict")).to_be_visible(timeout=15_000)
    conflict = page.get_by_role("region", name="This note was changed on another device")
    for name in ("Keep mine", "Keep theirs", "Merge both"):
        expect(conflict.get_by_role("button", name=name)).to_be_visible()
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            problems[f"conflict {width} {scheme}"] = axe_problems(page)
    assert lines(problems) == []


# --- what a screen reader says, and what a phone's finger meets ---

ANNOUNCEMENTS = """() => {
  const status = document.querySelector("[data-save-status]");
  window.announced = [];
  new MutationObserver(() => window.announced.push(status.textContent.trim()))
    .observe(status, {childList: true, characterData: true, subtree: true});
  return [status.getAttribute("role"), status.getAttribute("aria-live")];
}"""


def test_screen_reader_basics(new_context, live_server):
    site = build_site()
    talk = site.sessions[0]
    talk.language = "ko"  # a Korean talk on the English page
    talk.save()
    page = language_context(new_context, live_server, "en", DESKTOP, site.owner).new_page()

    # The save status: a polite live region that speaks once per save, not once per key.
    page.goto(reverse("notes:editor", args=[site.sessions[2].pk]))
    assert page.evaluate(ANNOUNCEMENTS) == ["status", "polite"]
    page.locator("textarea[name=body]").press_sequentially("Forty keystrokes, one announcement.")
    expect(page.locator("[data-save-status]")).to_have_attribute("data-state", "saved")
    announced = page.evaluate("window.announced")
    assert len(announced) <= 3, announced  # not saved yet, saving, saved
    assert announced[-1].startswith("Saved")

    # The session page: its Korean words marked so; the photo's text alternative is its caption;
    # the star says its state.
    page.goto(talk.get_absolute_url())
    assert page.locator("h1").get_attribute("lang") == "ko"
    assert page.locator("html").get_attribute("lang") == "en"
    photo = site.public_photos[0]
    assert (
        page.locator(f"figure.photo img[src*='/photos/{photo.pk}/']").first.get_attribute("alt")
        == photo.caption
    )
    star = page.get_by_role("button", name=f"Star: {talk.title}")
    expect(star).to_have_attribute("aria-pressed", "false")
    star.press("Enter")
    expect(page.get_by_role("button", name=f"Starred: {talk.title}")).to_have_attribute(
        "aria-pressed", "true"
    )

    # The day grid signed in: every star button carries its pressed state and the title.
    page.goto(conf_url(site, "public:day", date="2025-08-15"))
    stars = page.locator("button.star").evaluate_all(
        "buttons => buttons.map(b => [b.getAttribute('aria-pressed'),"
        " b.querySelector(':not([aria-hidden])').textContent])"
    )
    assert sorted(stars) == sorted(
        [["true", f"Starred: {talk.title}"], ["false", f"Star: {site.sessions[2].title}"]]
    )

    # A Korean page showing an English write-up marks the post as English.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ko", "url": live_server.url}]
    )
    page.goto(conf_url(site, "public:writeup", username="owner"))
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("article.post").get_attribute("lang") == "en"


def conf_url(site, name, **kwargs):
    return reverse(name, kwargs={"conf": site.conference.slug, **kwargs})


MOTION_AND_CONTRAST = """() => {
  const dot = document.createElement("span");
  dot.className = "live-dot";
  document.querySelector("main").append(dot);
  const moving = Array.from(document.querySelectorAll("*")).filter((el) => {
    const s = getComputedStyle(el);
    return s.animationName !== "none" || s.transitionDuration.split(",").some((d) => parseFloat(d) > 0.01);
  }).map((el) => el.tagName.toLowerCase() + "." + el.className);
  const root = getComputedStyle(document.documentElement);
  return {moving, muted: root.getPropertyValue("--muted").trim(), border: root.getPropertyValue("--border").trim()};
}"""


def test_reduced_motion_stops_animation_and_more_contrast_darkens_the_quiet_colours(
    new_context, live_server
):
    site = build_site()
    page = language_context(new_context, live_server, "en", DESKTOP, site.owner).new_page()
    page.goto(reverse("notes:editor", args=[site.sessions[0].pk]))
    seen = {}
    for motion in ("no-preference", "reduce"):
        for contrast in ("no-preference", "more"):
            for scheme in SCHEMES:
                page.emulate_media(reduced_motion=motion, contrast=contrast, color_scheme=scheme)
                seen[motion, contrast, scheme] = page.evaluate(MOTION_AND_CONTRAST)
    assert "span.live-dot" in seen["no-preference", "no-preference", "light"]["moving"]
    assert [seen["reduce", c, s]["moving"] for c in ("no-preference", "more") for s in SCHEMES] == [
        [],
        [],
        [],
        [],
    ]
    for scheme in SCHEMES:
        usual, more = seen["reduce", "no-preference", scheme], seen["reduce", "more", scheme]
        assert (more["muted"], more["border"]) != (usual["muted"], usual["border"])


def test_the_target_size_check_finds_crowded_small_targets(browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        "<style>button{width:16px;height:16px;padding:0;margin:0;border:0}</style>"
        "<p><button>a</button><button>b</button></p>"
        "<p style='margin-top:40px'><button>alone</button></p>"
        "<p>Some text with <a href='#'>a link</a> inside.</p>"
    )
    assert small_target_problems(page) == ['<button> "a" 16x16 px', '<button> "b" 16x16 px']
    page.close()
