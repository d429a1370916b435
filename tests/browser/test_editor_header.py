"""The editor's header in Korean, on a phone and a laptop: the session's date in Korean order."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.support.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_editor_header_reads_in_korean_and_fits(new_context, login, viewport):
    UserFactory(username="ada")
    talk = SessionFactory(title="타입 힌트로 레거시 코드 길들이기")  # 2025-08-15 10:00 in Seoul
    context = new_context(viewport, locale="ko-KR")
    login(context, "ada")
    page = context.new_page()
    page.goto(f"/notes/{talk.pk}/")
    when = page.locator(".meta-time")
    expect(when).to_have_text("8월 15일 (금) 10:00–10:40 Asia/Seoul")
    header = page.locator(".editor-session")
    assert header.evaluate("element => element.scrollWidth <= element.clientWidth")
