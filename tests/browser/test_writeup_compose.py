"""The write-up compose page in real Chromium: autosave, the draft on this device, the preview."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from notes.models import WriteUp
from tests.writeup_world import build_world, compose_url

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
