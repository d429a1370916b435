"""The write-up compose page in real Chromium: autosave, the draft on this device, the preview,
and two devices meeting in the conflict view."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from notes.models import WriteUp
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.writeup_world import build_world, compose_url

pytestmark = pytest.mark.django_db(transaction=True)
SAVED = re.compile(r"^Saved \d\d:\d\d$")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def sign_in(context, username):
    page = context.new_page()
    page.goto("/accounts/login/")
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill("correct horse battery staple")
    with page.expect_navigation():
        form.locator("input[name=password]").press("Enter")
    page.close()


def test_typing_autosaves_refreshes_the_preview_and_survives_a_failed_save(new_context, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    context = new_context()
    sign_in(context, "owner")
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto(compose_url(world.conference))
    status = page.locator("[data-save-status]")
    preview = page.locator("[data-writeup-preview]")

    page.fill("textarea[name=summary]", "자동으로 저장되는 요약")
    expect(status).to_have_text(SAVED)
    expect(preview.locator(".post-lede")).to_have_text("자동으로 저장되는 요약")
    world.writeup.refresh_from_db()
    assert world.writeup.summary == "자동으로 저장되는 요약"

    # The server is unreachable: the text stays on this device and comes back after a reload.
    page.route(
        "**/me/writeups/**",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.fill("textarea[name=closing]", "끝인사 — 서버가 못 받은 글")
    expect(status).to_contain_text("kept on this device")
    page.unroute("**/me/writeups/**")
    page.reload()
    expect(page.locator("textarea[name=closing]")).to_have_value("끝인사 — 서버가 못 받은 글")
    expect(status).to_have_text(SAVED)
    world.writeup.refresh_from_db()
    assert world.writeup.closing == "끝인사 — 서버가 못 받은 글"
    assert page.evaluate("Object.keys(localStorage)") == []

    # The introduction's own Markdown preview, through the one sanitizing renderer.
    page.fill("textarea[name=intro]", "**굵게** <script>alert(1)</script>")
    page.locator("[data-markdown-field]").first.get_by_role("button", name="Preview").click()
    expect(page.locator(".markdownx-preview").first.locator("strong")).to_have_text("굵게")
    assert page.locator(".markdownx-preview script").count() == 0
    expect(status).to_have_text(SAVED)  # nothing left to send when the page closes
    assert [p for p in problems if "Failed to load resource" not in p] == []


def open_compose(new_context, world, viewport=DESKTOP, **options):
    context = new_context(viewport, **options)
    sign_in(context, "owner")
    page = context.new_page()
    page.goto(compose_url(world.conference))
    return page


def conflict_between_two_devices(new_context, world, viewport=DESKTOP, **options):
    """Devices A and B open the page; B saves a new introduction, then A changes the title.
    Returns A's page, showing the conflict."""
    device_a = open_compose(new_context, world, viewport, **options)
    device_b = open_compose(new_context, world, viewport, **options)
    device_b.fill("textarea[name=intro]", "B가 쓴 인트로")
    expect(device_b.locator("[data-save-status]")).to_have_attribute("data-state", "saved")
    device_a.fill("input[name=title]", "A가 고친 제목")
    expect(device_a.locator("#writeup-conflict")).to_be_visible()
    return device_a


def shown_rows(page):
    return page.locator("[data-conflict-field]:visible").evaluate_all(
        "rows => rows.map(row => [row.dataset.conflictField,"
        " row.querySelector('[data-mine]').value, row.querySelector('[data-theirs]').value])"
    )


def test_two_devices_meet_in_the_conflict_view_and_merge(new_context, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    page = conflict_between_two_devices(new_context, world)

    assert shown_rows(page) == [
        ["title", "A가 고친 제목", "파이콘 한국 2025 후기"],
        ["intro", "들어가며 **인트로**.", "B가 쓴 인트로"],
    ]
    expect(page.locator("[data-save-status]")).to_have_attribute("data-state", "error")
    world.writeup.refresh_from_db()
    assert (world.writeup.title, world.writeup.intro) == ("파이콘 한국 2025 후기", "B가 쓴 인트로")

    page.get_by_role("button", name="Merge both").click()
    # Each side changed one field: the merge takes each change.
    expect(page.locator("[data-merged=title]")).to_have_value("A가 고친 제목")
    expect(page.locator("[data-merged=intro]")).to_have_value("B가 쓴 인트로")
    page.fill("[data-merged=intro]", "B가 쓴 인트로 — A가 다듬음")
    page.get_by_role("button", name="Save the merged texts").click()

    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(page.locator("#writeup-conflict")).to_be_hidden()
    expect(page.locator("textarea[name=intro]")).to_have_value("B가 쓴 인트로 — A가 다듬음")
    world.writeup.refresh_from_db()
    assert (world.writeup.title, world.writeup.intro, world.writeup.version) == (
        "A가 고친 제목", "B가 쓴 인트로 — A가 다듬음", 3,
    )  # fmt: skip
    assert page.evaluate("Object.keys(localStorage)") == []


def test_keep_theirs_then_keep_mine(new_context, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    page = conflict_between_two_devices(new_context, world, PHONE)

    page.get_by_role("button", name="Keep theirs").click()
    expect(page.locator("input[name=title]")).to_have_value("파이콘 한국 2025 후기")
    expect(page.locator("textarea[name=intro]")).to_have_value("B가 쓴 인트로")
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    world.writeup.refresh_from_db()
    assert (world.writeup.intro, world.writeup.version) == ("B가 쓴 인트로", 2)

    # A third device saves the closing; A, now on version 2, changes it too and keeps its own.
    device_c = open_compose(new_context, world)
    device_c.fill("textarea[name=closing]", "C의 마무리")
    expect(device_c.locator("[data-save-status]")).to_have_attribute("data-state", "saved")
    page.fill("textarea[name=closing]", "A의 마무리")
    expect(page.locator("#writeup-conflict")).to_be_visible()
    assert shown_rows(page) == [["closing", "A의 마무리", "C의 마무리"]]
    page.get_by_role("button", name="Keep mine").click()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    world.writeup.refresh_from_db()
    assert (world.writeup.intro, world.writeup.closing, world.writeup.version) == (
        "B가 쓴 인트로", "A의 마무리", 4,
    )  # fmt: skip
