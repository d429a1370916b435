"""Taking notes with the keyboard alone, never a click: from the home page to a session's note,
written, previewed, made public, saved with Ctrl+S, the session starred, then My hugi.

On every page of the way a full round of Tab: each stop visible (an indicator of 2 px or more
at 3:1 against its surroundings, light and dark), in view and not covered, in reading order,
and no keyboard trap. The day grid: each session a link in reading order, never under the
sticky room names or time column.
"""

from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from notes.models import Note, Star, Visibility
from sessions.models import Session
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.a11y_keyboard import before, focused, is_focused, press_until, tab_cycle
from tests.support.a11y_pages import all_pages, signed_in_context
from tests.support.factories import UserFactory
from tests.support.hardening_world import build_site
from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def enter(page, selector, *, key="Tab", problems):
    """Tab (or Shift+Tab) to the element, then follow it with Enter."""
    press_until(page, selector, key=key, problems=problems)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def round_of_tab(page, where, problems):
    stops, found = tab_cycle(page)
    problems.extend(f"{where}: {problem}" for problem in found)
    assert len(stops) > 3, f"{where}: only {len(stops)} stops"
    return stops


@pytest.mark.parametrize(
    ("viewport", "language"), [(PHONE, "en"), (DESKTOP, "ko")], ids=["390-en", "1280-ko"]
)
def test_notes_are_taken_with_the_keyboard_alone(new_context, live_server, viewport, language):
    conference = build_programme(size=6, rooms=3)
    talk = Session.objects.get(conference=conference, slug="talk-4")
    user = UserFactory(username="ada")
    context = new_context(viewport, locale="ko-KR" if language == "ko" else "en-US")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto("/", timeout=30_000)  # the first request warms the server up
    problems: list[str] = []

    # Sign in from the home page.
    round_of_tab(page, "home", problems)
    enter(page, "a[href^='/accounts/login/']", problems=problems)
    press_until(page, "form.account-form input[name=username]", problems=problems)
    page.keyboard.type("ada")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/"  # back where the visitor was, signed in
    expect(page.locator(".site-nav a[href='/me/']")).to_be_visible()

    # Home → the conference → its first day → the session → "Take notes".
    enter(page, f"a[href='{conference.get_absolute_url()}']", problems=problems)
    round_of_tab(page, "conference", problems)
    enter(page, ".day-tabs a[href$='/2025-08-15/']", problems=problems)
    round_of_tab(page, "day", problems)
    enter(page, f".tl a[href='{talk.get_absolute_url()}']", problems=problems)
    round_of_tab(page, "session", problems)
    enter(page, f"a[href='/notes/{talk.pk}/']", problems=problems)
    assert page.url == f"{live_server.url}/notes/{talk.pk}/"
    round_of_tab(page, "editor", problems)

    # Write.
    press_until(page, "textarea[name=body]", problems=problems)
    page.keyboard.type("## 요점\n\nKeyboard only: *fast*.")
    preview = page.locator(".markdownx-preview")
    if page.locator(".editor-tabs [data-show=preview]").is_visible():
        # Phones: Preview is a tab before the text. Back to it, look, and back to writing.
        press_until(page, "[data-show=preview]", key="Shift+Tab", problems=problems)
        page.keyboard.press("Enter")
        expect(preview.locator("em")).to_have_text("fast")
        expect(page.locator("[data-show=preview]")).to_have_attribute("aria-pressed", "true")
        press_until(page, "[data-show=write]", key="Shift+Tab", problems=problems)
        page.keyboard.press("Enter")
        assert is_focused(page, "textarea[name=body]")  # straight back to the text
    else:
        expect(preview.locator("em")).to_have_text("fast")  # beside the text on wide screens
    page.keyboard.press("End")
    page.keyboard.type(" Done.")

    # Public, by the arrow keys within the radio group, then Ctrl+S.
    press_until(page, "input[name=visibility]:checked", problems=problems)
    for _ in range(2):
        if page.locator("input[name=visibility][value=public]").is_checked():
            break
        page.keyboard.press("ArrowRight")
    expect(page.locator("input[name=visibility][value=public]")).to_be_checked()
    page.keyboard.press("Control+s")
    expect(page.locator("[data-save-status]")).to_have_attribute("data-state", "saved")
    note = Note.objects.get(author=user, session=talk)
    assert (note.body, note.visibility) == (
        "## 요점\n\nKeyboard only: *fast*. Done.",
        Visibility.PUBLIC,
    )

    # Star the session: back up to the star beside the title.
    press_until(page, "[data-star-form] button", key="Shift+Tab", problems=problems)
    page.keyboard.press("Enter")
    expect(page.locator("[data-star-form] button")).to_have_attribute("aria-pressed", "true")
    assert is_focused(page, "[data-star-form] button")  # focus kept on the new button
    assert list(Star.objects.filter(user=user).values_list("session", flat=True)) == [talk.pk]

    # My hugi, through the site's navigation.
    enter(page, ".site-nav a[href='/me/']", key="Shift+Tab", problems=problems)
    assert page.url == f"{live_server.url}/me/"
    expect(page.locator("main")).to_contain_text(talk.title)
    round_of_tab(page, "me", problems)
    assert problems == []


def test_the_day_grid_is_read_session_by_session_never_under_its_sticky_headers(
    new_context, live_server
):
    """A grid taller and wider than the screen: Tab walks its sessions in reading order
    (row by row, each row left to right) and each comes fully into view below the room names
    and right of the time column."""
    conference = build_programme(size=24, rooms=6)
    page = new_context({"width": 1024, "height": 600}).new_page()
    page.goto(f"/{conference.slug}/schedule/2025-08-15/", timeout=30_000)
    links = page.locator(".tl .s-title a")
    count = links.count()
    assert count == 24  # the talks (the lunch break is no link)

    problems = []
    stops = []
    press_until(page, ".tl .s-title a", problems=problems)
    for index in range(count):
        if index:
            press_until(page, ".tl .s-title a", problems=problems)
        focus = focused(page)
        stops.append(focus)
        problems.extend(f"{focus}: {p}" for p in hidden_by_sticky_headers(page))
    # And back with Shift+Tab: rows come into view from above, under the room names.
    for _ in range(count - 1):
        focus = press_until(page, ".tl .s-title a", key="Shift+Tab", problems=problems)
        problems.extend(f"{focus}: {p}" for p in hidden_by_sticky_headers(page))
    assert problems == []
    titles = [stop.name for stop in stops]
    assert len(set(titles)) == count  # each once
    backwards = [f"{b} after {a}" for a, b in pairwise(stops) if before(a.grid_box, b.grid_box)]
    assert backwards == []


HIDDEN_BY_HEADERS = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const scroller = el.closest(".tl-scroll").getBoundingClientRect();
  const rooms = Array.from(document.querySelectorAll(".tl-room, .tl-corner"))
    .map((h) => h.getBoundingClientRect().bottom);
  const times = Array.from(document.querySelectorAll(".tl-time"))
    .map((h) => h.getBoundingClientRect().right);
  const problems = [];
  const headBottom = Math.max(...rooms), timeRight = Math.max(...times);
  if (r.top < headBottom - 1) problems.push(`top ${r.top} above the room names' ${headBottom}`);
  if (r.left < timeRight - 1) problems.push(`left ${r.left} under the time column's ${timeRight}`);
  if (r.bottom > Math.min(scroller.bottom, innerHeight) + 1) problems.push(`bottom ${r.bottom} cut off`);
  if (r.right > Math.min(scroller.right, innerWidth) + 1) problems.push(`right ${r.right} cut off`);
  return problems;
}"""


def hidden_by_sticky_headers(page) -> list[str]:
    return page.evaluate(HIDDEN_BY_HEADERS)


# The pages the journey does not pass through, each given a full round of Tab.
ROUND_PAGES = (
    "sign-in", "speakers", "speaker", "changes", "search", "writeup", "writeups", "compose",
    "compose-draft", "password-change", "404",
)  # fmt: skip


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_every_other_page_has_a_full_round_of_visible_focus(new_context, live_server, viewport):
    site = build_site()
    contexts = {
        "anonymous": new_context(viewport),
        "owner": signed_in_context(new_context, live_server, site.owner, viewport),
    }
    pages = {persona: context.new_page() for persona, context in contexts.items()}
    problems = []
    for case in all_pages():
        if case.name not in ROUND_PAGES:
            continue
        page = pages[case.persona]
        page.goto(case.url(site))
        stops, found = tab_cycle(page)
        problems.extend(f"{case.name}: {problem}" for problem in found)
        assert len(stops) > 3, case.name
    assert problems == []


def test_the_focus_checks_find_a_missing_ring_a_covered_stop_and_a_jump_back(browser):
    page = browser.new_page(viewport={"width": 400, "height": 300})
    page.set_content(
        "<style>a{display:block;height:40px} .bare:focus{outline:none}"
        " header{position:fixed;top:0;left:0;right:0;height:120px;background:#fff}"
        " .first{position:absolute;top:600px}"
        " .cover{position:fixed;top:130px;left:0;right:0;height:40px;background:#eee}</style>"
        "<div class='cover'></div>"
        "<header><a href='#h'>In the header</a></header>"
        "<main><div style='height:130px'></div><a href='#1'>One</a><a class='bare' href='#2'>Two</a>"
        "<a class='first' href='#3'>Low</a><a href='#4' style='margin-top:100px'>Back up</a></main>"
    )
    stops, problems = tab_cycle(page)
    assert [stop.name for stop in stops] == ["In the header", "One", "Two", "Low", "Back up"]
    assert "<a> 'Two' #2: no focus indicator (light)" in problems
    assert "<a> 'One' #1: covered by div.cover" in problems
    assert any("'Back up' #4 comes after <a> 'Low' #3" in problem for problem in problems)
    page.close()
