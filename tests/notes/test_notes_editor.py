"""The note editor page, the Markdown preview it uses and the service worker behind it."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from notes.models import Visibility
from tests.support.factories import NoteFactory, RoomFactory, SessionFactory, SpeakerFactory
from tests.support.page_checks import csp_nonce

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    first = SessionFactory(
        title="Typing <fast> & safe",
        starts_at=datetime(2025, 8, 15, 1, 0, tzinfo=UTC),  # 10:00 in Seoul
        ends_at=datetime(2025, 8, 15, 1, 40, tzinfo=UTC),
    )
    first.room = RoomFactory(conference=first.conference, name="Hall 101")
    first.save()
    speakers = [SpeakerFactory(conference=first.conference, name=n) for n in ("Kim", "Lee")]
    for order, speaker in enumerate(speakers):
        first.session_speakers.create(speaker=speaker, order=order)
    return first


def textarea_of(page):
    return re.search(r"<textarea name=\"body\"[^>]*>\n(.*?)</textarea>", page, re.S).group(1)


def test_editor_shows_the_session_in_the_conference_zone(owner_client, session):
    page = owner_client.get(reverse("notes:editor", args=[session.pk])).content.decode()
    assert "<h1>Typing &lt;fast&gt; &amp; safe</h1>" in page
    assert "Kim, Lee" in page
    assert "Hall 101" in page
    assert '<time datetime="2025-08-15T10:00:00+09:00">August 15 (Fri) 10:00</time>' in page
    assert '<time datetime="2025-08-15T10:40:00+09:00">10:40</time>' in page
    assert "Asia/Seoul" in page


def test_editor_holds_the_owners_note_its_version_and_visibility(owner_client, owner, session):
    NoteFactory(
        author=owner, session=session, body="my **words**", version=7, visibility=Visibility.PUBLIC
    )
    page = owner_client.get(reverse("notes:editor", args=[session.pk])).content.decode()
    assert textarea_of(page) == "my **words**"
    assert 'data-version="7"' in page
    assert 'name="visibility" value="public" id="id_visibility_1" required checked' in page
    assert f'data-draft-key="hugi:note:{owner.pk}:{session.pk}"' in page


def test_a_new_note_is_private_by_default(owner_client, session):
    page = owner_client.get(reverse("notes:editor", args=[session.pk])).content.decode()
    assert textarea_of(page) == ""
    assert 'data-version="0"' in page
    assert 'name="visibility" value="private" id="id_visibility_0" required checked' in page


def test_another_user_gets_their_own_empty_editor_never_the_owners_note(
    other_client, owner, session
):
    NoteFactory(author=owner, session=session, body="owner's private words", version=3)
    page = other_client.get(reverse("notes:editor", args=[session.pk])).content.decode()
    assert textarea_of(page) == ""
    assert 'data-version="0"' in page
    assert "owner&#x27;s private words" not in page and "owner's private words" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    url = reverse("notes:editor", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_editor_of_a_missing_session_is_404(owner_client):
    assert owner_client.get(reverse("notes:editor", args=[424242])).status_code == 404


def test_editor_uses_the_markdownx_textarea_and_our_preview(owner_client, session):
    page = owner_client.get(reverse("notes:editor", args=[session.pk])).content.decode()
    assert 'class="markdownx-editor"' in page
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in page
    try:
        upload = reverse("photos:upload", args=[session.pk])
    except NoReverseMatch:
        upload = ""
    assert f'data-markdownx-upload-urls-path="{upload}"' in page
    assert '<div class="markdownx-preview"></div>' in page


def test_editor_page_obeys_the_content_security_policy(owner_client, session):
    response = owner_client.get(reverse("notes:editor", args=[session.pk]))
    page = response.content.decode()
    assert " style=" not in page
    nonce = f'nonce="{csp_nonce(response)}"'  # the offline guard is inline, with the nonce
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert " src=" in tag or 'type="application/json"' in tag or nonce in tag, tag
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_editor_is_never_stored_by_http_caches(owner_client, session):
    response = owner_client.get(reverse("notes:editor", args=[session.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_preview_renders_through_the_sanitizing_renderer(owner_client):
    response = owner_client.post(
        "/markdownx/markdownify/",
        {"content": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_preview_needs_a_signed_in_user_and_a_post(owner_client):
    assert Client().post("/markdownx/markdownify/", {"content": "x"}).status_code == 401
    assert owner_client.get("/markdownx/markdownify/").status_code == 405


def test_preview_without_content_or_too_long_is_a_clear_4xx(owner_client, settings):
    response = owner_client.post("/markdownx/markdownify/", {})
    assert response.status_code == 400
    assert response.content.decode() == "Nothing to preview: the content field is missing."
    settings.NOTE_MAX_BYTES = 10
    response = owner_client.post("/markdownx/markdownify/", {"content": "x" * 11})
    assert response.status_code == 413


def test_preview_requires_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_service_worker_is_served_from_the_root_with_its_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert script.startswith('const HUGI_SW = {"static_prefix": "/static/", "media_prefix": ')
    assert '"me": "/me/"' in script
    assert '"editor_prefix": "/notes/"' in script
    assert '"logout": "/accounts/logout/"' in script
    assert 'self.addEventListener("fetch"' in script
