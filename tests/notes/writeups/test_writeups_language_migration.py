"""notes.0006: write-ups from before a write-up had a language are Korean when written in it."""

from importlib import import_module

import pytest
from django.apps import apps

from notes.models import WriteUp
from tests.support.factories import ConferenceFactory, UserFactory, WriteUpFactory

migration = import_module("notes.migrations.0006_writeup_language_from_text")

pytestmark = pytest.mark.django_db


def test_a_write_up_written_in_korean_becomes_korean_and_the_rest_stay_english():
    conference = ConferenceFactory()
    korean = WriteUpFactory(author=UserFactory(), conference=conference, title="파이콘 후기")
    closing_only = WriteUpFactory(
        author=UserFactory(), conference=conference, title="PyCon", closing="또 만나요"
    )
    english = WriteUpFactory(author=UserFactory(), conference=conference, title="My PyCon")
    WriteUp.objects.update(language="en")  # as 0005 left them

    migration.korean_by_their_text(apps, None)

    assert dict(WriteUp.objects.values_list("pk", "language")) == {
        korean.pk: "ko",
        closing_only.pk: "ko",
        english.pk: "en",
    }
