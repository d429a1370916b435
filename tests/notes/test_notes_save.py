"""Saving a note: versions, conflicts, sizes, bad input and who may save (JSON endpoint)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Note, Visibility
from notes.services import StaleNote, save_note
from sessions.models import Conference, Session
from tests.support.factories import NoteFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(title="Async all the way down")


def post_save(client, session, **payload):
    return client.post(
        reverse("notes:save", args=[session.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_first_save_creates_the_note_at_version_1(owner_client, owner, session):
    response = post_save(
        owner_client, session, body="# Hello\n\n*async*", visibility="private", base_version=0
    )
    assert response.status_code == 200
    note = Note.objects.get(author=owner, session=session)
    assert response.json() == {
        "version": 1,
        "saved_at": note.updated_at.isoformat(),
        "visibility": "private",
    }
    assert note.body == "# Hello\n\n*async*"
    assert note.body_html == "<h1>Hello</h1>\n<p><em>async</em></p>"
    assert note.visibility == Visibility.PRIVATE


def test_each_save_based_on_the_stored_version_moves_it_on(owner_client, owner, session):
    for version, body in enumerate(["one", "one two", "one two three"]):
        response = post_save(
            owner_client, session, body=body, visibility="private", base_version=version
        )
        assert response.status_code == 200
        assert response.json()["version"] == version + 1
    note = Note.objects.get(author=owner, session=session)
    assert (note.body, note.version) == ("one two three", 3)


def test_two_saves_from_the_same_base_one_is_refused_with_the_server_text(
    owner_client, owner, session
):
    NoteFactory(author=owner, session=session, body="start", version=4)
    phone = post_save(
        owner_client, session, body="from the phone", visibility="private", base_version=4
    )
    laptop = post_save(
        owner_client, session, body="from the laptop", visibility="public", base_version=4
    )
    assert phone.status_code == 200
    assert laptop.status_code == 409
    assert laptop.json() == {
        "error": "This note was changed on another device.",
        "version": 5,
        "body": "from the phone",
        "visibility": "private",
        "saved_at": Note.objects.get().updated_at.isoformat(),
        "deleted": False,
    }
    note = Note.objects.get(author=owner, session=session)
    assert (note.body, note.version, note.visibility) == ("from the phone", 5, "private")


def test_two_devices_creating_the_same_note_one_gets_a_conflict(owner_client, owner, session):
    first = post_save(owner_client, session, body="first", visibility="private", base_version=0)
    second = post_save(owner_client, session, body="second", visibility="private", base_version=0)
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["body"] == "first"
    assert Note.objects.get(author=owner, session=session).body == "first"


def test_a_retried_save_of_the_same_text_is_not_a_conflict(owner_client, owner, session):
    """The answer to a save got lost on the way; the retry asks for what is stored already."""
    post_save(owner_client, session, body="same words", visibility="public", base_version=0)
    retry = post_save(owner_client, session, body="same words", visibility="public", base_version=0)
    assert retry.status_code == 200
    assert retry.json()["version"] == 1
    assert Note.objects.get(author=owner, session=session).version == 1


def test_saving_a_note_that_was_deleted_meanwhile_is_a_conflict_with_nothing(
    owner_client, owner, session
):
    NoteFactory(author=owner, session=session, body="old", version=3).delete()
    response = post_save(owner_client, session, body="mine", visibility="private", base_version=3)
    assert response.status_code == 409
    assert response.json() == {
        "error": "This note was changed on another device.",
        "version": 0,
        "body": "",
        "visibility": "private",
        "saved_at": None,
        "deleted": True,
    }
    assert not Note.objects.exists()
    # Keeping mine after that: a save based on "nothing stored" creates it again.
    again = post_save(owner_client, session, body="mine", visibility="private", base_version=0)
    assert again.status_code == 200
    assert Note.objects.get().body == "mine"


def test_a_note_of_200_kb_is_saved_and_one_byte_more_is_refused(
    owner_client, owner, session, settings
):
    limit = settings.NOTE_MAX_BYTES
    just_right = "가" * (limit // 3) + "a" * (limit % 3)
    assert len(just_right.encode()) == limit
    ok = post_save(owner_client, session, body=just_right, visibility="private", base_version=0)
    assert ok.status_code == 200
    too_long = post_save(
        owner_client, session, body=just_right + "a", visibility="private", base_version=1
    )
    assert too_long.status_code == 413
    assert too_long.json() == {"error": "The note is too long: at most 200 KB."}
    assert Note.objects.get().version == 1


def test_a_request_bigger_than_django_accepts_is_refused_as_too_long(
    owner_client, session, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_save(
        owner_client, session, body="x" * 2000, visibility="private", base_version=0
    )
    assert response.status_code == 413
    assert response.json() == {"error": "The note is too long: at most 200 KB."}
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "The request is not valid JSON."),
        (b"\xff\xfe", "The request is not valid JSON."),
        ("[1, 2]", "The request must be a JSON object."),
        ('{"visibility": "private", "base_version": 0}', "“body” must be text."),
        ('{"body": 5, "visibility": "private", "base_version": 0}', "“body” must be text."),
        (
            '{"body": "x", "visibility": "friends", "base_version": 0}',
            "“visibility” must be private or public.",
        ),
        (
            '{"body": "x", "visibility": "private"}',
            "“base_version” must be a whole number, 0 for a new note.",
        ),
        (
            '{"body": "x", "visibility": "private", "base_version": "1"}',
            "“base_version” must be a whole number, 0 for a new note.",
        ),
        (
            '{"body": "x", "visibility": "private", "base_version": -1}',
            "“base_version” must be a whole number, 0 for a new note.",
        ),
        (
            '{"body": "x", "visibility": "private", "base_version": true}',
            "“base_version” must be a whole number, 0 for a new note.",
        ),
        # json's decoder recurses per level: this deep it reached Python's limit (a 500).
        ("[" * 100_000, "The request is not valid JSON: it is nested too deeply."),
        ('{"body": ' * 100_000, "The request is not valid JSON: it is nested too deeply."),
        (
            '{"body": "x", "visibility": "private", "base_version": 0, "extra": '
            + "[" * 100_000
            + "]" * 100_000
            + "}",
            "The request is not valid JSON: it is nested too deeply.",
        ),
        # Python refuses to read integers of more than 4300 digits (CVE-2020-10735).
        (
            '{"body": "x", "visibility": "private", "base_version": 1' + "0" * 5000 + "}",
            "The request is not valid JSON.",
        ),
        (
            '{"body": "x", "visibility": "private", "base_version": 1e400}',
            "“base_version” must be a whole number, 0 for a new note.",
        ),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_bad_input_gets_a_one_line_400_and_changes_nothing(owner_client, session, raw, message):
    response = owner_client.post(
        reverse("notes:save", args=[session.pk]), data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not Note.objects.exists()


def test_anonymous_save_is_401_json_not_a_login_redirect(client, session):
    response = post_save(client, session, body="x", visibility="private", base_version=0)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "You are signed out. Sign in again; your note is kept on this device."
    }
    assert not Note.objects.exists()


def test_another_user_never_sees_or_changes_the_owners_note(other_client, owner, session):
    NoteFactory(author=owner, session=session, body="owner's secret", version=2)
    response = post_save(
        other_client, session, body="overwrite?", visibility="public", base_version=2
    )
    # The other user has no note on this session: their save is based on nothing of theirs.
    assert response.status_code == 409
    assert response.json()["body"] == ""
    assert "owner's secret" not in response.content.decode()
    owner_note = Note.objects.get(author=owner)
    assert (owner_note.body, owner_note.version) == ("owner's secret", 2)


def test_another_users_first_save_is_their_own_note(other_client, other_user, owner, session):
    NoteFactory(author=owner, session=session, body="owner's words")
    response = post_save(other_client, session, body="mine", visibility="private", base_version=0)
    assert response.status_code == 200
    assert Note.objects.get(author=other_user).body == "mine"
    assert Note.objects.get(author=owner).body == "owner's words"


def test_saving_on_a_session_that_does_not_exist_is_404(owner_client):
    response = owner_client.post(
        reverse("notes:save", args=[999999]),
        data=json.dumps({"body": "x", "visibility": "private", "base_version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_get_on_the_save_endpoint_is_405(owner_client, session):
    response = owner_client.get(reverse("notes:save", args=[session.pk]))
    assert response.status_code == 405
    assert not Note.objects.exists()


def test_save_without_csrf_token_is_refused(owner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = post_save(client, session, body="x", visibility="private", base_version=0)
    assert response.status_code == 403
    assert not Note.objects.exists()


def test_save_with_the_csrf_header_is_accepted(owner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("notes:editor", args=[session.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("notes:save", args=[session.pk]),
        data=json.dumps({"body": "x", "visibility": "private", "base_version": 0}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_script_in_a_note_never_reaches_the_stored_html(owner_client, owner, session):
    body = (
        "<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n"
        '<img src=x onerror="alert(3)">\n\n<div onclick="x()">raw</div>'
    )
    post_save(owner_client, session, body=body, visibility="public", base_version=0)
    html = Note.objects.get(author=owner).body_html
    for bad in ("<script", "javascript:", "onerror", "onclick"):
        assert bad not in html


def test_private_saves_leave_the_conference_public_pages_unchanged(owner, session):
    before = stamps()
    save_note(author=owner, session=session, body="x", visibility="private", base_version=0)
    save_note(author=owner, session=session, body="x y", visibility="private", base_version=1)
    assert stamps() == before


def test_public_saves_and_unpublishing_mark_the_conference_notes_changed(owner, session):
    changes = []
    for body, visibility, base in [("x", "public", 0), ("x y", "public", 1), ("x y", "private", 2)]:
        before = stamps()
        save_note(
            author=owner, session=session, body=body, visibility=visibility, base_version=base
        )
        after = stamps()
        changes.append((after[0] == before[0], after[1] > before[1]))
    # the notes stamp moves each time; the programme's (timeline, speakers) stays as it was
    assert changes == [(True, True)] * 3


def stamps():
    return Conference.objects.values_list("changed_at", "notes_changed_at").get()


def test_a_public_save_marks_its_own_session_changed_and_no_other(owner, session):
    other = SessionFactory(conference=session.conference, day=session.day)
    before = dict(Session.objects.values_list("pk", "notes_changed_at"))
    save_note(author=owner, session=session, body="x", visibility="public", base_version=0)
    after = dict(Session.objects.values_list("pk", "notes_changed_at"))
    assert after[session.pk] > before[session.pk]
    assert after[other.pk] == before[other.pk]


def test_stale_save_through_the_service_raises_with_the_stored_note(owner, session):
    save_note(author=owner, session=session, body="a", visibility="private", base_version=0)
    save_note(author=owner, session=session, body="b", visibility="private", base_version=1)
    with pytest.raises(StaleNote) as raised:
        save_note(author=owner, session=session, body="c", visibility="private", base_version=1)
    assert (raised.value.current.body, raised.value.current.version) == ("b", 2)


def test_a_form_post_without_javascript_saves_and_returns_to_the_editor(
    owner_client, owner, session
):
    url = reverse("notes:save", args=[session.pk])
    response = owner_client.post(
        url, {"body": "typed without js", "visibility": "public", "base_version": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:editor", args=[session.pk])
    note = Note.objects.get(author=owner)
    assert (note.body, note.visibility, note.version) == ("typed without js", "public", 1)


def test_a_stale_form_post_shows_both_texts_and_keeps_mine_in_the_editor(
    owner_client, owner, session
):
    NoteFactory(author=owner, session=session, body="from the phone", version=2)
    url = reverse("notes:save", args=[session.pk])
    response = owner_client.post(
        url, {"body": "from the laptop", "visibility": "private", "base_version": "1"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert ">\nfrom the laptop</textarea>" in page
    assert ">from the phone</textarea>" in page
    assert 'name="base_version" value="2"' in page
    assert Note.objects.get().body == "from the phone"


def test_photos_follow_the_note_when_it_is_created_public_and_made_private(owner, session):
    from notes.photos.services import add_photo
    from tests.support.photo_corpus import phone_jpeg, upload

    early = add_photo(owner=owner, session=session, upload=upload(phone_jpeg((64, 48))))
    assert early.visibility == Visibility.PRIVATE
    note = save_note(
        author=owner, session=session, body="Slides", visibility="public", base_version=0
    )
    early.refresh_from_db()
    assert early.visibility == Visibility.PUBLIC
    save_note(
        author=owner,
        session=session,
        body="Slides",
        visibility="private",
        base_version=note.version,
    )
    early.refresh_from_db()
    assert early.visibility == Visibility.PRIVATE
