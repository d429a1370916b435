"""The write-up save endpoint (writeup.js's JSON) under any body a stranger can send.

200 with the write-up saved as sent, or 400/409/413 with one line and the stored write-up exactly
as it was. Never anything else, never a server error.
"""

import json

import pytest
from django.conf import settings
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notes.models import WriteUp
from notes.writeups.forms import TEXT_MAX_CHARS
from tests.support.json_strategies import json_values, odd_text
from tests.support.writeup_world import build_world, compose_url

pytestmark = pytest.mark.django_db

# One world per test (a function-scoped fixture) serves every example; each example puts the
# stored write-up back first, so examples stay independent.
PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORED_VERSION = 3
STORED = {
    "title": "저장된 제목",
    "summary": "저장된 요약",
    "intro": "저장된 인트로",
    "closing": "저장된 마무리",
    "language": "ko",
    "version": STORED_VERSION,
}
FIELDS = (
    "title",
    "summary",
    "intro",
    "closing",
    "language",
    "cover_photo_id",
    "version",
    "intro_html",
    "closing_html",
    "slug",
    "updated_at",
)

# --- what a stranger sends ---

# Around the limits of a field, and beyond what Django reads at all.
huge_texts = st.builds(
    lambda count, letter: letter * count,
    st.sampled_from(
        [300, 301, TEXT_MAX_CHARS, TEXT_MAX_CHARS + 1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1]
    ),
    st.sampled_from(["x", "한", " "]),
)
texts = st.one_of(odd_text, huge_texts, json_values)
versions = st.one_of(
    st.just(STORED_VERSION),
    st.integers(-2, 5),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=5),
    st.none(),
)
payloads = st.fixed_dictionaries(
    {},
    optional={
        "title": texts,
        "summary": texts,
        "intro": texts,
        "closing": texts,
        "language": st.one_of(st.sampled_from(["en", "ko", "fr", "", "EN"]), json_values),
        "cover_photo": st.one_of(
            st.none(), st.integers(-1, 10**6), st.sampled_from([2**63, 2**80]), json_values
        ),
        "base_version": versions,
        "extra": json_values,
    },
)
# Mostly well-formed saves, so that many examples get as far as the database.
likely_saves = st.fixed_dictionaries(
    {
        "title": st.one_of(st.just("새 제목"), odd_text),
        "summary": st.one_of(st.just(""), odd_text),
        "intro": st.one_of(st.just("**새** 인트로"), odd_text, huge_texts),
        "closing": odd_text,
        "cover_photo": st.none(),
        "language": st.sampled_from(["en", "ko"]),
        "base_version": st.one_of(st.just(STORED_VERSION), versions),
    }
)
deep_nesting = st.builds(
    lambda opener, depth: opener * depth,
    st.sampled_from(["[", '{"a": ', '{"title": ']),
    st.integers(1, 200_000),
)
save_bodies = st.one_of(
    payloads.map(json.dumps),
    likely_saves.map(json.dumps),
    deep_nesting,
    st.binary(min_size=1, max_size=200),
    json_values.map(json.dumps),
)


@pytest.fixture
def world(owner):
    return build_world(owner)


def reset(writeup) -> tuple:
    WriteUp.objects.filter(pk=writeup.pk).update(**STORED, cover_photo=None)
    return stored(writeup)


def stored(writeup) -> tuple:
    return WriteUp.objects.filter(pk=writeup.pk).values_list(*FIELDS)[0]


@PROPERTY_SETTINGS
@given(raw=save_bodies)
def test_any_save_body_is_saved_as_sent_or_refused_with_the_write_up_unchanged(
    owner_client, world, raw
):
    before = reset(world.writeup)

    response = owner_client.post(
        compose_url(world.conference), data=raw, content_type="application/json"
    )

    assert response.status_code in (200, 400, 409, 413)
    event(str(response.status_code))
    answer = response.json()
    writeup = WriteUp.objects.get(pk=world.writeup.pk)
    if response.status_code == 200:
        sent = json.loads(raw)
        assert (writeup.title, writeup.summary, writeup.intro, writeup.closing) == (
            sent["title"].strip(),
            sent["summary"].strip(),
            sent["intro"],
            sent["closing"],
        )
        assert (writeup.language, writeup.cover_photo_id) == (sent["language"], None)
        assert answer["version"] == writeup.version
        return
    assert stored(world.writeup) == before
    assert isinstance(answer["error"], str) and answer["error"] and "\n" not in answer["error"]
    if response.status_code == 409:
        assert (answer["intro"], answer["version"]) == ("저장된 인트로", STORED_VERSION)
