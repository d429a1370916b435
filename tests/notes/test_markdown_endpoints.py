"""Texts that hung Python-Markdown or crashed it (RecursionError, a 500) go through the real ways
in: a note save, the editor's preview, a schedule import. Each completes and stores the text."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.markdown import render_markdown
from notes.models import Note
from sessions.models import Session
from tests.support.factories import SessionFactory
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

BRACKETS = "[" * 20000
DEEP_LIST = "- " * 1000 + "x"
DEMOCON = SCHEDULES / "pretalx-democon.json"


def save_note(client, session, body):
    return client.post(
        reverse("notes:save", args=[session.pk]),
        data=json.dumps({"body": body, "visibility": "public", "base_version": 0}),
        content_type="application/json",
    )


@pytest.mark.parametrize("body", [BRACKETS, DEEP_LIST], ids=["20 KB of brackets", "deep list"])
def test_a_note_made_to_hang_the_renderer_is_saved(owner_client, owner, body):
    session = SessionFactory()

    response = save_note(owner_client, session, body)

    assert response.status_code == 200
    assert response.json()["version"] == 1
    note = Note.objects.get(author=owner, session=session)
    assert note.body == body
    assert note.body_html == render_markdown(body)


def test_the_stored_html_of_brackets_is_the_brackets(owner_client, owner):
    session = SessionFactory()
    save_note(owner_client, session, BRACKETS)
    assert Note.objects.get(author=owner).body_html == f"<p>{BRACKETS}</p>"


def test_the_public_session_page_shows_a_deep_list_note(owner_client, owner, client):
    session = SessionFactory()
    save_note(owner_client, session, DEEP_LIST)

    response = client.get(f"/{session.conference.slug}/sessions/{session.slug}/")

    assert response.status_code == 200
    assert "<li>" + "- " * 901 + "x</li>" in response.text


def test_the_preview_renders_a_text_made_to_hang_the_renderer(owner_client):
    response = owner_client.post(reverse("markdownx_markdownify"), {"content": "*[" * 10000})
    assert response.status_code == 200
    assert response.text == "<p>" + "<em>[</em>[" * 5000 + "</p>"


def test_a_schedule_whose_abstract_is_a_deep_list_is_imported(tmp_path):
    document = json.loads(DEMOCON.read_bytes())
    first = document["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0]
    first["abstract"] = DEEP_LIST
    path = tmp_path / "democon.json"
    path.write_text(json.dumps(document))

    # The command's own output is tests/sessions/test_import_command.py's business.
    call_command("import_schedule", str(path), stdout=StringIO(), stderr=StringIO())

    session = Session.objects.get(source_guid=first["guid"])
    assert session.abstract == DEEP_LIST
    assert session.abstract_html.count("<ul>") == 99
    assert session.abstract_html == render_markdown(DEEP_LIST)
