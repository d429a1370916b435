"""program.0006 renders every stored Markdown field again with cmark-gfm."""

from importlib import import_module

import pytest
from django.apps import apps

from core.markdown import render_markdown
from notes.models import Note, WriteUp
from sessions.models import Conference, Session, Speaker
from tests.support.factories import (
    ConferenceFactory,
    NoteFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
    WriteUpFactory,
)

migration = import_module("sessions.migrations.0006_rerender_markdown_with_cmarkgfm")

pytestmark = pytest.mark.django_db

# Python-Markdown's rendering of the same texts: no autolinks, no list right after a line.
OLD = "<p>stale</p>"
TEXT = "See https://pycon.kr\n- one\n- two"
FRESH = (
    '<p>See <a href="https://pycon.kr" rel="noopener noreferrer nofollow">https://pycon.kr</a></p>'
    "\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
)


@pytest.fixture
def stale_rows():
    conference = ConferenceFactory(description=TEXT)
    SpeakerFactory(conference=conference, bio=TEXT)
    sessions = [
        SessionFactory(conference=conference, abstract=f"{TEXT}\n- {n}", description=TEXT)
        for n in range(5)
    ]
    NoteFactory(session=sessions[0], body=TEXT)
    WriteUpFactory(author=UserFactory(), conference=conference, intro=TEXT, closing="*bye*")
    for model, html_fields in [
        (Conference, ["description_html"]), (Speaker, ["bio_html"]),
        (Session, ["abstract_html", "description_html"]), (Note, ["body_html"]),
        (WriteUp, ["intro_html", "closing_html"]),
    ]:  # fmt: skip
        model.objects.update(**dict.fromkeys(html_fields, OLD))
    return sessions


def test_the_migration_renders_every_markdown_field_again(stale_rows):
    migration.render_again(apps, None)

    conference, speaker, note = Conference.objects.get(), Speaker.objects.get(), Note.objects.get()
    writeup = WriteUp.objects.get()
    assert conference.description_html == speaker.bio_html == note.body_html == FRESH
    assert (writeup.intro_html, writeup.closing_html) == (FRESH, "<p><em>bye</em></p>")
    for n, session in enumerate(Session.objects.order_by("pk")):
        assert session.abstract_html == render_markdown(f"{TEXT}\n- {n}")
        assert session.abstract_html.endswith(f"<li>two</li>\n<li>{n}</li>\n</ul>")
        assert session.description_html == FRESH


def test_rows_are_read_in_batches_and_only_changed_ones_written(stale_rows):
    sessions = stale_rows
    Session.objects.filter(pk=sessions[2].pk).update(
        abstract_html=render_markdown(sessions[2].abstract), description_html=FRESH
    )
    columns = {"abstract": "abstract_html", "description": "description_html"}

    changed = migration.render_rows_again(Session, columns, batch_size=2)

    assert changed == 4
    assert (
        list(Session.objects.order_by("pk").values_list("description_html", flat=True))
        == [FRESH] * 5
    )
    assert migration.render_rows_again(Session, columns, batch_size=2) == 0
