"""Bad input to every form and JSON endpoint: a 4xx with a clear message, never a 500, and
nothing changed.

Each endpoint has a table of cases — missing fields, wrong types, huge values, invalid UTF-8,
NUL characters, wrong methods — sent by a client that turns a server error into a 500 response
instead of raising. Every case also checks that the stored notes, photos, stars, write-ups and
programme are exactly what they were.
"""

import json
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from notes.models import CalendarFeed, Note, Photo, Star, WriteUp
from sessions.models import Conference, Session
from tests.support.hardening_world import build_site
from tests.support.photo_corpus import phone_jpeg

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
NOT_JSON = object()  # send `data` as it is, with a JSON content type


@dataclass
class Case:
    label: str
    url: Any  # site → address
    method: str = "post"
    data: Any = None  # site → data (a dict, bytes or text)
    content_type: str | None = None
    who: str = "owner"
    status: int | tuple = 400
    says: str = ""  # the one clear line the answer holds (English)
    headers: dict = field(default_factory=dict)
    # Only "no 500" is asked: a store may take the input as it is (SQLite takes NUL, say).
    may_store: bool = False


def snapshot():
    """Everything a bad request must leave alone."""
    return {
        model.__name__: sorted(
            (tuple(sorted(row.items())) for row in model.objects.values()), key=str
        )
        for model in (Note, Photo, Star, WriteUp, CalendarFeed, Conference, Session)
    } | {"users": get_user_model().objects.count()}


def client_for(site, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(site, who))
    return client


def send(site, case):
    client = client_for(site, case.who)
    url = case.url(site)
    data = case.data(site) if callable(case.data) else case.data
    if case.method == "get":
        return client.get(url, data or {}, headers=case.headers)
    kwargs = {"headers": case.headers}
    if case.content_type:
        if isinstance(data, dict | list):
            data = json.dumps(data)
        kwargs["content_type"] = case.content_type
    return client.post(url, data if data is not None else {}, **kwargs)


def message_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json().get("error", "")
    return response.content.decode("utf-8", "replace")


def run(site, cases):
    """{label: what went wrong} for every case that did not answer as expected."""
    wrong = {}
    for case in cases:
        before = snapshot()
        response = send(site, case)
        expected = case.status if isinstance(case.status, tuple) else (case.status,)
        problems = []
        if response.status_code not in expected:
            problems.append(f"status {response.status_code}, expected {case.status}")
        if case.says and case.says not in message_of(response):
            problems.append(f"does not say {case.says!r}: {message_of(response)[:200]!r}")
        if snapshot() != before and not (case.may_store and response.status_code < 400):
            problems.append("changed stored data")
        if problems:
            wrong[case.label] = problems
    return wrong


@pytest.fixture
def site():
    return build_site()


# --- the note save endpoint (JSON, and the editor's form without JavaScript) ---


def save_url(site):
    return reverse("notes:save", args=[site.private_notes[0].session_id])


def save_json(**fields):
    base = {"body": "new text", "visibility": "private", "base_version": 1}
    return {key: value for key, value in {**base, **fields}.items() if value is not ...}


JSON = "application/json"
TOO_LONG = "The note is too long: at most 200 KB."
BAD_VERSION = "“base_version” must be a whole number, 0 for a new note."

SAVE_CASES = [
    Case("not JSON", save_url, data="body=x", content_type=JSON, says="not valid JSON"),
    Case("invalid UTF-8", save_url, data=b'{"body": "\xff\xfe"}', content_type=JSON,
         says="not valid JSON"),
    Case("blank body", save_url, data=b" ", content_type=JSON, says="not valid JSON"),
    Case("a JSON list", save_url, data=[1, 2], content_type=JSON, says="must be a JSON object"),
    Case("no body", save_url, data=save_json(body=...), content_type=JSON,
         says="“body” must be text."),
    Case("body a number", save_url, data=save_json(body=12), content_type=JSON,
         says="“body” must be text."),
    Case("body null", save_url, data=save_json(body=None), content_type=JSON,
         says="“body” must be text."),
    Case("visibility unknown", save_url, data=save_json(visibility="friends"), content_type=JSON,
         says="“visibility” must be private or public."),
    Case("visibility a list", save_url, data=save_json(visibility=["public"]), content_type=JSON,
         says="“visibility” must be private or public."),
    Case("no base version", save_url, data=save_json(base_version=...), content_type=JSON,
         says=BAD_VERSION),
    Case("base version text", save_url, data=save_json(base_version="1"), content_type=JSON,
         says=BAD_VERSION),
    Case("base version negative", save_url, data=save_json(base_version=-1), content_type=JSON,
         says=BAD_VERSION),
    Case("base version true", save_url, data=save_json(base_version=True), content_type=JSON,
         says=BAD_VERSION),
    Case("base version fraction", save_url, data=save_json(base_version=1.5), content_type=JSON,
         says=BAD_VERSION),
    Case("base version beyond any integer column", save_url,
         data=save_json(base_version=2**70), content_type=JSON, status=409,
         says="This note was changed on another device."),
    Case("body one byte too long", save_url,
         data=lambda s: save_json(body="x" * (settings.NOTE_MAX_BYTES + 1)), content_type=JSON,
         status=413, says=TOO_LONG),
    Case("request larger than Django reads", save_url,
         data=lambda s: save_json(body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)),
         content_type=JSON, status=413, says=TOO_LONG),
    Case("GET", save_url, method="get", status=405),
    Case("signed out", save_url, data=save_json(), content_type=JSON, who="anonymous",
         status=401, says="You are signed out."),
    Case("unknown session", lambda s: reverse("notes:save", args=[987654]), data=save_json(),
         content_type=JSON, status=404),
    Case("form without base version", save_url, data={"body": "x", "visibility": "private"},
         says=BAD_VERSION),
    Case("form base version text", save_url,
         data={"body": "x", "visibility": "private", "base_version": "one"},
         says=BAD_VERSION),
    Case("form body too long", save_url,
         data=lambda s: {"body": "x" * (settings.NOTE_MAX_BYTES + 1), "visibility": "private",
                         "base_version": "1"}, says=TOO_LONG),
    Case("form visibility unknown", save_url,
         data={"body": "x", "visibility": "friends", "base_version": "1"},
         says="Unknown visibility: friends"),
]  # fmt: skip

# Cases that found real bugs (fixed): kept as regressions.
SAVE_BUGS = [
    pytest.param(
        Case(
            "body with a lone surrogate",
            save_url,
            data=b'{"body": "\\ud800", "visibility": "private", "base_version": 1}',
            content_type=JSON,
            says="not valid",
        ),
        id="lone surrogate",
    ),
    pytest.param(
        Case(
            "body with a NUL character",
            save_url,
            data=save_json(body="a\x00b"),
            content_type=JSON,
            says="NUL",
        ),
        id="NUL in body",
    ),
    pytest.param(
        Case(
            "100,000 open brackets",
            save_url,
            data="[" * 100_000,
            content_type=JSON,
            says="The request is not valid JSON: it is nested too deeply.",
        ),
        id="deep nesting",
    ),
]


def test_bad_note_saves_are_refused_with_one_clear_line(site):
    assert run(site, SAVE_CASES) == {}


@pytest.mark.parametrize("case", SAVE_BUGS)
def test_bad_note_saves_found_bugs(site, case):
    assert run(site, [case]) == {}


# --- stars ---

STAR_CASES = [
    Case("GET", lambda s: reverse("notes:star", args=[s.sessions[0].pk]), method="get",
         status=405),
    Case("unknown session", lambda s: reverse("notes:star", args=[987654]),
         data={"starred": "1"}, status=404),
    Case("signed out", lambda s: reverse("notes:star", args=[s.sessions[0].pk]),
         data={"starred": "1"}, who="anonymous", status=302),
    Case("no choice", lambda s: reverse("notes:star", args=[s.sessions[0].pk]),
         data={"next": "/"}, says="“starred” must be 1 (star) or 0 (unstar)."),
    Case("a JSON body", lambda s: reverse("notes:star", args=[s.sessions[0].pk]),
         data={"starred": "0"}, content_type=JSON,
         says="“starred” must be 1 (star) or 0 (unstar)."),
]  # fmt: skip


def test_bad_star_requests_change_nothing(site):
    assert run(site, STAR_CASES) == {}


def test_a_star_with_a_foreign_next_address_goes_back_to_the_session(site):
    client = client_for(site, "owner")
    session = site.sessions[0]
    response = client.post(
        reverse("notes:star", args=[session.pk]),
        {"starred": "1", "next": "https://evil.example/"},
    )
    assert (response.status_code, response["Location"]) == (302, session.get_absolute_url())


# --- photos ---


def upload_url(site):
    return reverse("photos:upload", args=[site.sessions[0].pk])


def photo_url(name):
    return lambda site: reverse(name, args=[site.private_photos[0].pk])


def file(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


XHR = {"X-Requested-With": "fetch"}

PHOTO_CASES = [
    Case("upload GET", upload_url, method="get", status=405),
    Case("upload without a file", upload_url, data={}, says="Choose a photo to upload."),
    Case("upload without a file (script)", upload_url, data={}, headers=XHR,
         says="Choose a photo to upload."),
    Case("upload text as the image field", upload_url, data={"image": "hello"},
         says="Choose a photo to upload."),
    Case("upload a text file", upload_url, data=lambda s: {"image": file(b"just text")},
         says="This is not a photo"),
    Case("upload an empty file", upload_url, data=lambda s: {"image": file(b"")},
         says="The file is empty"),
    Case("upload invalid UTF-8 bytes", upload_url,
         data=lambda s: {"image": file(b"\xff\xfe\xfd" * 100)}, says="This is not a photo"),
    Case("upload a truncated JPEG", upload_url,
         data=lambda s: {"image": file(phone_jpeg((320, 240))[:500])},
         says="The image is damaged"),
    Case("upload declared too large", upload_url, data={},
         headers={"Content-Length": str(200 * 1024 * 1024)}, says="The upload is too large"),
    Case("upload two photos at once", upload_url,
         data=lambda s: {"image": [file(phone_jpeg((320, 240))), file(phone_jpeg((320, 240)))]},
         says="Upload one photo at a time: this upload holds 2."),
    Case("upload to an unknown session", lambda s: reverse("photos:upload", args=[987654]),
         data=lambda s: {"image": file(phone_jpeg((320, 240)))}, status=404),
    Case("edit GET", photo_url("photos:update"), method="get", status=405),
    Case("caption too long", photo_url("photos:update"), data={"caption": "x" * 501},
         says="Caption: Ensure this value has at most 500 characters"),
    Case("credit too long", photo_url("photos:update"), data={"credit": "x" * 201},
         says="Image source: Ensure this value has at most 200 characters"),
    Case("credit address not a web address", photo_url("photos:update"),
         data={"credit_url": "javascript:alert(1)"}, says="Image source URL: Enter a valid URL."),
    Case("visibility unknown", photo_url("photos:update"), data={"visibility": "friends"},
         says="Visibility: Value &#x27;friends&#x27; is not a valid choice."),
    Case("visibility unknown (script)", photo_url("photos:update"),
         data={"visibility": "friends"}, headers=XHR,
         says="Visibility: Value 'friends' is not a valid choice."),
    Case("edit an unknown photo", lambda s: reverse("photos:update", args=[987654]),
         data={"caption": "x"}, status=404),
    Case("move sideways", photo_url("photos:reorder"), data={"direction": "sideways"},
         says="Move a photo up or down."),
    Case("move without a direction", photo_url("photos:reorder"), data={},
         says="Move a photo up or down."),
    Case("move GET", photo_url("photos:reorder"), method="get", status=405),
    Case("delete GET", photo_url("photos:delete"), method="get", status=405),
    Case("delete an unknown photo", lambda s: reverse("photos:delete", args=[987654]),
         status=404),
    Case("delete another's photo", photo_url("photos:delete"), who="other", status=404),
    Case("manager POST", lambda s: reverse("photos:manager", args=[s.sessions[0].pk]),
         status=405),
]  # fmt: skip

PHOTO_BUGS = [
    pytest.param(
        Case(
            "caption with a NUL character",
            photo_url("photos:update"),
            data={"caption": "a\x00b"},
            status=400,
        ),
        id="NUL in caption",
    ),
]


def test_bad_photo_requests_are_refused_with_one_clear_line(site):
    assert run(site, PHOTO_CASES) == {}


@pytest.mark.parametrize("case", PHOTO_BUGS)
def test_bad_photo_requests_found_bugs(site, case):
    assert run(site, [case]) == {}


# --- write-ups ---


def compose_url(site):
    return reverse("writeups:compose", kwargs={"conf": site.conference.slug})


def compose(**fields):
    base = {"title": "A title", "summary": "", "intro": "", "closing": "", "cover_photo": "",
            "language": "en", "base_version": "1"}  # fmt: skip
    return {key: value for key, value in {**base, **fields}.items() if value is not ...}


WRITEUP_CASES = [
    Case("no title", compose_url, data=compose(title=...),
         says="Title: This field is required."),
    Case("no title (script)", compose_url, data=compose(title=...), headers=XHR,
         says="Title: This field is required."),
    Case("blank title", compose_url, data=compose(title="   "),
         says="Title: This field is required."),
    Case("title too long", compose_url, data=compose(title="x" * 301),
         says="Title: Ensure this value has at most 300 characters"),
    Case("title with NUL", compose_url, data=compose(title="a\x00b"),
         says="Title: Null characters are not allowed."),
    Case("summary too long", compose_url, data=compose(summary="x" * 501),
         says="Summary: Ensure this value has at most 500 characters"),
    Case("intro too long", compose_url, data=compose(intro="x" * 100_001), headers=XHR,
         says="Introduction: Ensure this value has at most 100000 characters"),
    Case("cover not a number", compose_url, data=compose(cover_photo="abc"), headers=XHR,
         says="Cover photo: Select a valid choice."),
    Case("cover a private photo", compose_url,
         data=lambda s: compose(cover_photo=s.private_photos[0].pk), headers=XHR,
         says="Cover photo: Select a valid choice."),
    Case("unknown conference", lambda s: reverse("writeups:compose", args=["nope"]),
         data=compose(), status=404),
    Case("PUT", compose_url, method="put", status=405),
    Case("publish GET", lambda s: reverse("writeups:publish", args=[s.second.slug]),
         method="get", status=405),
    Case("publish without a write-up", lambda s: reverse("writeups:publish",
                                                         args=[s.second.slug]),
         who="other", status=404),
    # The compose page again, holding what was typed (a redirect would drop it).
    Case("publish with a bad title", lambda s: reverse("writeups:publish", args=[s.second.slug]),
         data=compose(title=""), says="This field is required."),
    Case("publish with a bad title (script)",
         lambda s: reverse("writeups:publish", args=[s.second.slug]), data=compose(title=""),
         headers=XHR, says="This field is required."),
    Case("unpublish GET", lambda s: reverse("writeups:unpublish", args=[s.conference.slug]),
         method="get", status=405),
]  # fmt: skip


def test_bad_write_up_forms_are_refused_with_one_clear_line(site):
    wrong = run(site, [case for case in WRITEUP_CASES if case.method != "put"])
    client = client_for(site, "owner")
    put = client.put(compose_url(site), "title=x")
    assert wrong == {}
    assert put.status_code == 405


@pytest.mark.parametrize("action", ["explode:1", "leave:abc", "up:", "leave:{other}"])
def test_an_unknown_layout_change_is_refused_and_the_layout_kept(site, action):
    """The compose form's layout buttons save the typed texts too; the bad change is refused."""
    client = client_for(site, "owner")
    layout_before = WriteUp.objects.get(pk=site.writeup.pk).layout
    action = action.format(other=site.sessions[-1].pk)  # a session of another conference
    response = client.post(compose_url(site), compose(layout=action), follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert messages in (
        ["Unknown change to the list of sessions."],
        ["That session is not part of this conference."],
    )
    assert WriteUp.objects.get(pk=site.writeup.pk).layout == layout_before


def test_a_write_up_saved_through_invalid_utf8_keeps_the_replacement_text(site):
    """Undecodable bytes become U+FFFD, as Django decodes forms: stored as text, not a 500."""
    client = client_for(site, "owner")
    response = client.post(
        compose_url(site),
        b"title=T%ff&summary=&intro=&closing=&cover_photo=&language=en&base_version=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert WriteUp.objects.get(pk=site.writeup.pk).title == "T\ufffd"


# --- accounts ---


def test_bad_sign_ins_answer_with_the_form_and_a_clear_line(site):
    client = Client(raise_request_exception=False)
    for data in (
        {},
        {"username": "owner"},
        {"username": "owner", "password": "wrong"},
        {"username": "x" * 150, "password": "x" * 10_000},
        {"username": "own\x00er", "password": "x"},
        {"username": ["a", "b"], "password": "x"},
    ):
        response = client.post(reverse("login"), data)
        where = str(data)[:40]
        assert response.status_code == 200, where
        says = "That username and password do not match. Please try again."
        assert says in response.content.decode(), where
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_sign_in_with_a_very_long_username_is_refused_like_any_wrong_one(site, url):
    client = Client(raise_request_exception=False)
    response = client.post(reverse(url), {"username": "x" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_bad_sign_ups_answer_with_the_form_and_a_clear_line(site, settings):
    settings.SIGNUP_ENABLED = True
    client = Client(raise_request_exception=False)
    users = get_user_model().objects.count()
    for data, says in (
        ({"username": ""}, "This field is required."),
        (
            {"username": "new", "email": "n@example.org", "password1": "a-long-pass-phrase!",
             "password2": "different-pass-phrase!"},
            "The two password fields didn",
        ),
        (
            {"username": "x" * 200, "email": "n@example.org", "password1": "a-long-pass-phrase!",
             "password2": "a-long-pass-phrase!"},
            "Ensure this value has at most 150 characters",
        ),
        (
            {"username": "owner", "email": "n@example.org", "password1": "a-long-pass-phrase!",
             "password2": "a-long-pass-phrase!"},
            "A user with that username already exists.",
        ),
    ):  # fmt: skip
        response = client.post(reverse("signup"), data)
        assert response.status_code == 200
        assert says in response.content.decode()
    assert get_user_model().objects.count() == users


# --- search ---


def test_odd_searches_answer_a_page_never_an_error(site):
    client = Client(raise_request_exception=False)
    url = reverse("public:search")
    for query in (
        {"q": "x" * 100_000},
        {"q": "a\x00b"},
        {"q": "%ff"},
        {"q": "talk", "page": "abc"},
        {"q": "talk", "page": "-1"},
        {"q": "talk", "page": str(10**30), "type": "sessions"},
        {"q": "talk", "type": "bogus"},
        {"q": "talk", "conference": "x" * 10_000},
        {"q": "talk", "conference": "../../etc"},
        {"q": "((( ||| *** \\"},
    ):
        response = client.get(url, query)
        assert response.status_code == 200, str(query)[:60]
    # Bytes that are not UTF-8, and UTF-8 for a lone surrogate, straight in the address.
    for raw in ("?q=%FF%FE&page=%00", "?q=%ED%A0%80", "?q=%C0%AF"):
        assert client.get(url + raw).status_code == 200, raw
    assert client.post(url, {"q": "talk"}).status_code == 405


# --- the calendar address and the Markdown preview ---


def test_calendar_reset_is_post_only(site):
    client = client_for(site, "owner")
    assert client.get(reverse("notes:reset_calendar")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_a_preview_without_content_is_a_400_with_one_line(site):
    client = client_for(site, "owner")
    response = client.post(reverse("markdownx_markdownify"), {})
    assert response.status_code == 400
    assert response.content.decode() == "Nothing to preview: the content field is missing."


def test_a_preview_of_huge_or_odd_text_answers(site):
    client = client_for(site, "owner")
    url = reverse("markdownx_markdownify")
    assert client.get(url).status_code == 405
    assert client.post(url, {"content": "*a*\x00\ufffd"}).status_code == 200
    too_long = client.post(url, {"content": "x" * (settings.NOTE_MAX_BYTES + 1)})
    assert (too_long.status_code, too_long.content.decode()) == (413, TOO_LONG)
    beyond = client.post(url, {"content": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert beyond.status_code in (400, 413)


# --- the admin's schedule import ---


def import_url(site):
    return reverse("admin:program_conference_import_new")


def schedule_file(data, name="schedule.json"):
    return SimpleUploadedFile(name, data, content_type="application/json")


IMPORT_CASES = [
    Case("neither file nor address", import_url, data={}, who="staff",
         says="Upload a file or give an address (one of the two)."),
    Case("both file and address", import_url, who="staff",
         data=lambda s: {"file": schedule_file(b"{}"), "url": "https://example.org/x.json"},
         says="Upload a file or give an address (one of the two)."),
    Case("empty file", import_url, who="staff", data=lambda s: {"file": schedule_file(b"")},
         says="The submitted file is empty."),
    Case("invalid UTF-8 file", import_url, who="staff",
         data=lambda s: {"file": schedule_file(b"\xff\xfe\x00garbage")}, says="schedule.json"),
    Case("JSON that is not a schedule", import_url, who="staff",
         data=lambda s: {"file": schedule_file(b'{"hello": 1}')}, says="schedule.json"),
    Case("XML that is not a schedule", import_url, who="staff",
         data=lambda s: {"file": schedule_file(b"<html><body/></html>", "x.xml")},
         says="x.xml"),
    Case("not an http address", import_url, who="staff", data={"url": "ftp://example.org/x"},
         says="only http:// and https:// addresses can be imported"),
    Case("bad slug", import_url, who="staff",
         data=lambda s: {"file": schedule_file(b"{}"), "slug": "a b/c"},
         says="Enter a valid “slug”"),
    Case("confirm without an upload", import_url, who="staff", data={"confirm": "1"},
         says="The import form was incomplete."),
    Case("confirm a path outside the uploads", import_url, who="staff",
         data={"confirm": "1", "upload": "../../../etc/passwd", "source_name": "x"},
         says="The import form was incomplete."),
    Case("confirm an upload that is gone", import_url, who="staff",
         data={"confirm": "1", "upload": "A" * 32, "source_name": "x.json"},
         says="The uploaded schedule is no longer here"),
    Case("not staff", import_url, who="owner", data={}, status=302),
]  # fmt: skip


def small_schedule(title: str) -> bytes:
    """A one-session C3VOC schedule whose session has the given title."""
    event = {
        "id": 1, "guid": "00000001-0000-4000-8000-000000000000",
        "date": "2025-08-15T10:00:00+09:00", "start": "10:00", "duration": "00:30",
        "room": "Hall", "slug": "one", "title": title, "persons": [],
    }  # fmt: skip
    conference = {
        "acronym": "odd", "title": "Odd Con", "start": "2025-08-15", "end": "2025-08-15",
        "time_zone_name": "Asia/Seoul",
        "days": [{"index": 1, "date": "2025-08-15", "day_start": "2025-08-15T08:00:00+09:00",
                  "day_end": "2025-08-15T23:00:00+09:00", "rooms": {"Hall": [event]}}],
    }  # fmt: skip
    return json.dumps({"schedule": {"version": "1", "conference": conference}}).encode()


def preview_then_confirm(client, data: bytes):
    """Upload a schedule in the admin, then press Import with the form the preview gave."""
    url = reverse("admin:program_conference_import_new")
    preview = client.post(url, {"file": schedule_file(data)})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    page = lxml.html.fromstring(preview.content.decode())
    fields = {field.get("name"): field.get("value") for field in page.xpath("//form//input")}
    assert fields.get("upload"), "the preview offers no import"
    return client.post(url, {**fields, "confirm": "Import"})


def test_an_imported_schedule_is_applied_through_the_admin(site):
    client = client_for(site, "staff")
    response = preview_then_confirm(client, small_schedule("A fine title"))
    assert response.status_code == 302
    assert Session.objects.get(conference__slug="odd").title == "A fine title"


def test_an_imported_schedule_with_a_nul_character_does_not_break_the_import(site):
    client = client_for(site, "staff")
    before = snapshot()
    response = preview_then_confirm(client, small_schedule("Bad\u0000title"))
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert snapshot() == before


def test_bad_schedule_imports_in_the_admin_are_refused_with_one_clear_line(site, settings):
    assert run(site, IMPORT_CASES) == {}


def test_a_schedule_file_over_the_limit_is_refused(site, settings):
    settings.SCHEDULE_IMPORT_MAX_BYTES = 1000
    case = Case(
        "too big", import_url, who="staff",
        data=lambda s: {"file": schedule_file(b" " * 1001)},
        says="schedule.json: larger than the limit of 1000\xa0bytes",
    )  # fmt: skip
    assert run(site, [case]) == {}
