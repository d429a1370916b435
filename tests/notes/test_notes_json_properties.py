"""Properties of the note save and star endpoints under any body a stranger can send.

Save (JSON): 200 with the note saved as sent, or 400/409/413 with one line and the stored note
exactly as it was. Star (a form): 200/302 when it says "1" or "0", else a 400 and the star as it
was. Never anything else, never a server error.
"""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notes.models import Note, Star
from tests.support.factories import SessionFactory
from tests.support.json_strategies import json_values, odd_text

pytestmark = pytest.mark.django_db

# Each test reuses one client and session for all its examples (function-scoped fixtures) and
# puts the stored note or star back at the start of every example, so examples stay independent.
PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORED_VERSION = 3

# --- what a stranger sends ---

# Around the note's limit (counted in UTF-8 bytes: "é" is two), and beyond what Django reads.
sized_bodies = st.builds(
    lambda count, letter: letter * count,
    st.sampled_from(
        [
            settings.NOTE_MAX_BYTES // 2,
            settings.NOTE_MAX_BYTES,
            settings.NOTE_MAX_BYTES + 1,
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1,
        ]
    ),
    st.sampled_from(["x", "é"]),
)
versions = st.one_of(
    st.integers(0, 5),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True),
    st.booleans(),
    odd_text,
    st.none(),
)
payloads = st.fixed_dictionaries(
    {},
    optional={
        "body": st.one_of(odd_text, sized_bodies, json_values),
        "visibility": st.one_of(st.sampled_from(["private", "public"]), json_values),
        "base_version": versions,
        "extra": json_values,
    },
)
deep_nesting = st.builds(
    lambda opener, depth, inside: (
        opener * depth
        if not inside
        else '{"body": "x", "visibility": "private", "base_version": 3, "more": '
        + "[" * depth
        + "]" * depth
        + "}"
    ),
    st.sampled_from(["[", '{"a": ', '{"body": ']),
    st.integers(1, 200_000),
    st.booleans(),
)
save_bodies = st.one_of(
    payloads.map(json.dumps),
    deep_nesting,
    st.binary(min_size=1, max_size=200),  # (the test client sends no content type without a body)
    json_values.map(json.dumps),
)


@pytest.fixture
def session():
    return SessionFactory()


def reset_note(owner, session) -> tuple:
    """The stored note as every example starts with it; returns what must survive a refusal."""
    Note.objects.update_or_create(
        author=owner,
        session=session,
        defaults={
            "body": "stored text",
            "body_html": "<p>stored text</p>",
            "visibility": "private",
            "version": STORED_VERSION,
        },
    )
    return stored_note(owner, session)


def stored_note(owner, session) -> tuple:
    return Note.objects.filter(author=owner, session=session).values_list(
        "body", "body_html", "visibility", "version", "updated_at"
    )[0]


@PROPERTY_SETTINGS
@given(raw=save_bodies)
def test_any_save_body_is_saved_as_sent_or_refused_with_the_note_unchanged(
    owner_client, owner, session, raw
):
    before = reset_note(owner, session)

    response = owner_client.post(
        reverse("notes:save", args=[session.pk]), data=raw, content_type="application/json"
    )

    assert response.status_code in (200, 400, 409, 413)
    answer = response.json()
    if response.status_code == 200:
        sent = json.loads(raw)
        note = Note.objects.get(author=owner, session=session)
        assert (note.body, note.visibility, note.version) == (
            sent["body"],
            sent.get("visibility", "private"),
            answer["version"],
        )
        return
    assert stored_note(owner, session) == before
    assert isinstance(answer["error"], str) and answer["error"] and "\n" not in answer["error"]
    if response.status_code == 409:
        assert (answer["body"], answer["version"]) == ("stored text", STORED_VERSION)


# --- stars ---

form_values = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
star_forms = st.fixed_dictionaries(
    {},
    optional={
        "starred": st.one_of(st.sampled_from(["0", "1"]), form_values),
        "next": st.one_of(
            st.sampled_from(["/", "//evil.example/", "https://evil.example/"]), form_values
        ),
        "csrfmiddlewaretoken": form_values,
    },
)


@PROPERTY_SETTINGS
@given(
    starred_before=st.booleans(),
    form=star_forms,
    json_body=st.one_of(st.none(), payloads.map(json.dumps), deep_nesting),
    from_script=st.booleans(),
)
def test_a_star_request_stars_unstars_or_changes_nothing(
    owner_client, owner, session, starred_before, form, json_body, from_script
):
    Star.objects.filter(user=owner).delete()
    if starred_before:
        Star.objects.create(user=owner, session=session)
    url = reverse("notes:star", args=[session.pk])
    headers = {"X-Requested-With": "fetch"} if from_script else {}

    if json_body is None:
        response = owner_client.post(url, form, headers=headers)
        choice = form.get("starred")
    else:  # a JSON body is no form: it says neither star nor unstar
        response = owner_client.post(
            url, json_body, content_type="application/json", headers=headers
        )
        choice = None

    starred_now = Star.objects.filter(user=owner, session=session).exists()
    if choice in ("0", "1"):
        assert response.status_code == (200 if from_script else 302)
        assert starred_now == (choice == "1")
    else:
        assert response.status_code == 400
        assert response.content.decode() == "“starred” must be 1 (star) or 0 (unstar)."
        assert starred_now == starred_before
