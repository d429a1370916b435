"""The note editor's offline shell, and the service worker's settings that fill it in.

The service worker replaces the stand-in's id and words in the shell with a session's (sw-keep.js:
shellFor); these tests pin that the shell carries every one of them where the real editor puts
the session's, and nothing of the user's own notes.
"""

import json

import pytest
from django.urls import reverse

from notes.models import Visibility
from notes.offline_views import STAND_IN_PK, STAND_IN_WORDS
from notes.services import save_note
from tests.support.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_shell_is_the_editor_for_a_stand_in_session(client):
    user = UserFactory()
    session = SessionFactory()
    save_note(
        author=user,
        session=session,
        body="My own words",
        visibility=Visibility.PRIVATE,
        base_version=0,
    )
    client.force_login(user)
    html = client.get(reverse("notes:editor_shell")).content.decode()
    assert f'action="/notes/{STAND_IN_PK}/save/"' in html
    assert f'data-draft-key="hugi:note:{user.pk}:{STAND_IN_PK}"' in html
    assert f'action="/star/{STAND_IN_PK}/"' in html
    assert f'data-upload-url="/photos/upload/{STAND_IN_PK}/"' in html
    assert 'data-version="0"' in html
    for word in STAND_IN_WORDS.values():
        assert word in html, word
    assert "My own words" not in html
    assert session.title not in html


def test_the_service_worker_knows_the_shell_and_its_stand_in(client):
    response = client.get(reverse("notes:service_worker"))
    assert response["Cache-Control"] == "no-cache"
    head = response.content.decode().split("\n", 1)[0]
    config = json.loads(head.removeprefix("const HUGI_SW = ").removesuffix(";"))
    assert config["shell"] == reverse("notes:editor_shell")
    assert config["stand_in"] == {"pk": STAND_IN_PK, "words": STAND_IN_WORDS}
    assert config["keep_script"].startswith("/static/js/sw-keep")
    assert config["texts"]["offline_kept"] == "Saved for offline use"
